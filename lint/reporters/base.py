"""What every reporter receives and shares: the ``Report`` and a few formatting helpers.

A reporter turns a finished ``Report`` into text. It formats; it never lints, fixes or
decides an exit code. Positions in findings are 1-based lines and code-point columns
(``lint/positions.py``); formats that count in UTF-16 code units (SARIF) convert here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from lint.findings import Finding
from lint.positions import LineIndex
from lint.rules import Rule

TOOL_NAME = "contentlint"


@dataclass
class Report:
    """The outcome of a run, as reporters see it.

    ``texts`` holds, for each file with findings, the text the findings' offsets refer to
    (the fixed text after ``--fix``); ``files`` every file that was checked, in order.
    """

    findings: Sequence[Finding]
    rules: Mapping[str, Rule] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    files: Sequence[str] = ()
    fixed: int = 0
    errors: int = 0
    colour: bool = False
    quiet: bool = False

    _line_indexes: dict[str, LineIndex] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def lines(self, path: str) -> LineIndex | None:
        """The line index of the text of ``path``, if the report carries it."""
        index = self._line_indexes.get(path)
        if index is None and path in self.texts:
            index = self._line_indexes[path] = LineIndex(self.texts[path])
        return index

    def line_text(self, path: str, line: int) -> str | None:
        index = self.lines(path)
        if index is None or not 1 <= line <= index.line_count:
            return None
        return index.line_text(line)


Writer = Callable[[TextIO, Report], None]


@dataclass(frozen=True)
class Reporter:
    """A registered output format."""

    name: str
    write: Writer
    description: str
    needs_texts: bool = False  # whether ``Report.texts`` must be filled


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (characters above U+FFFF count twice)."""
    return len(text) + len(_ASTRAL.findall(text))


def utf16_column(line_text: str | None, column: int) -> int:
    """A 1-based code-point column of ``line_text`` as a 1-based UTF-16 column."""
    if line_text is None:
        return column
    return utf16_length(line_text[: column - 1]) + 1


def display_path(path: str) -> str:
    """``path`` with forward slashes and without a leading ``./`` (CI tools expect that)."""
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def rule_summary(rule: Rule) -> str:
    """The head of the first sentence of a rule's description, on one line."""
    first = " ".join(rule.description.split("\n\n", 1)[0].split())
    return first.split(". ")[0].split(": ")[0].rstrip(".") + "."
