"""What every reporter shares: the ``Reporter`` base class and a few formatting helpers.

A reporter writes a report while the run goes: ``start`` once the rules are known,
``file`` for each linted file's ``FileResult`` as it finishes (in the order the files
were given), and ``finish`` with the run's counts. It holds no more than one file's
findings, so memory does not grow with the archive. It formats; it never lints, fixes or
decides an exit code. Positions in findings are 1-based lines and code-point columns
(``lint/document/positions.py``); formats that count in UTF-16 code units (SARIF) convert
here.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping
from typing import TextIO

from lint.engine.findings import FileResult
from lint.engine.rules import Rule
from lint.engine.tally import Tally

TOOL_NAME = "contentlint"


class Reporter:
    """One output format, written to ``out`` file by file. Subclasses override ``file``
    and, where the format has a head or a tail, ``start`` and ``finish``."""

    needs_text = False  # whether ``file`` reads the results' texts

    def __init__(
        self,
        out: TextIO,
        rules: Mapping[str, Rule] | None = None,
        colour: bool = False,
        quiet: bool = False,
    ) -> None:
        self.out = out
        self.rules: Mapping[str, Rule] = {} if rules is None else rules
        self.colour = colour
        self.quiet = quiet
        self.write = text_sink(out)

    def start(self) -> None:
        """Before the first file."""

    def file(self, result: FileResult) -> None:
        """One file's share of the report."""

    def finish(self, tally: Tally) -> None:
        """After the last file, with the run's counts."""


def text_sink(out: TextIO) -> Callable[[str], object]:
    """A function that writes text to ``out``: as UTF-8 straight to its byte buffer if it
    has one that takes UTF-8 (file names that are not UTF-8 are written back as the bytes
    they were, ``surrogateescape``), else as text. Once it is made, write to ``out`` only
    through it."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        out.flush()  # what was written as text goes first

        def write(text: str) -> object:
            return buffer.write(text.encode("utf-8", "surrogateescape"))

        return write
    return out.write


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report_path(path: str) -> str:
    """``path`` with forward slashes and without a leading ``./`` (CI tools expect that)."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def path_text(path: str) -> str:
    """``path`` as valid UTF-8 text, whatever the file system holds: a byte of the name
    that is not UTF-8 is written ``\\xNN`` (``caf\\xe9.md``), as Python's
    ``backslashreplace`` writes it. Every format shows names this way (SARIF's URIs
    percent-encode the bytes instead)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def display_path(path: str) -> str:
    """``report_path`` as text (``path_text``)."""
    return path_text(report_path(path))


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """``text`` with control characters (ESC, CR, LF, other C0 and C1 controls, line and
    paragraph separators) written as ``\\x1b``-style escapes, so that a file name or an
    article's text cannot forge a report line or drive a terminal. Tabs are kept."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def rule_summary(rule: Rule) -> str:
    """The head of the first sentence of a rule's description, on one line."""
    first = " ".join(rule.description.split("\n\n", 1)[0].split())
    return first.split(". ")[0].split(": ")[0].rstrip(".") + "."
