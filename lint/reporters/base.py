"""What every reporter receives and shares: the ``Report`` and a few formatting helpers.

A reporter turns a ``Report`` into text, file by file where the format allows it (so
memory does not grow with the number of files). It formats; it never lints, fixes or
decides an exit code. Positions in findings are 1-based lines and code-point columns
(``lint/document/positions.py``); formats that count in UTF-16 code units (SARIF) convert here.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import NamedTuple, TextIO

from lint.document.positions import LineIndex
from lint.engine.findings import Finding
from lint.engine.rules import Rule
from lint.engine.tally import Tally

TOOL_NAME = "contentlint"
# A file's share of a per-file format's output, as UTF-8: bytes, or a view of the result
# cache's pack that holds it.
Rendered = bytes | memoryview


class FilePart:
    """One checked file's share of a report: its findings in order and, if the format
    needs it, the text their offsets refer to (the fixed text after ``--fix``), or the
    share already rendered (by a worker or the cache). (A plain class: a run makes one
    per file.)"""

    __slots__ = ("_index", "findings", "path", "rendered", "text")

    def __init__(
        self,
        path: str,
        findings: Sequence[Finding],
        text: str | None = None,
        rendered: Rendered | None = None,
    ) -> None:
        self.path = path
        self.findings = findings
        self.text = text
        self.rendered = rendered
        self._index: LineIndex | None = None

    def lines(self) -> LineIndex | None:
        """The line index of ``text``, if the part carries it."""
        if self._index is None and self.text is not None:
            self._index = LineIndex(self.text)
        return self._index

    def line_text(self, line: int) -> str | None:
        index = self.lines()
        if index is None or not 1 <= line <= index.line_count:
            return None
        return index.line_text(line)


class Report:
    """The outcome of a run, as reporters see it.

    ``parts`` holds one ``FilePart`` per checked file, in order. It may be a stream that
    can be read once (a run over an archive never holds all its findings): a reporter
    reads it once, front to back, and reads ``tally`` only after that, when the run's
    counts are complete.
    """

    def __init__(
        self,
        parts: Iterable[FilePart],
        rules: Mapping[str, Rule] | None = None,
        tally: Tally | None = None,
        colour: bool = False,
        quiet: bool = False,
    ) -> None:
        self.parts = parts
        self.rules: Mapping[str, Rule] = {} if rules is None else rules
        self.tally = Tally() if tally is None else tally
        self.colour = colour
        self.quiet = quiet

    @classmethod
    def of(
        cls,
        findings: Sequence[Finding],
        rules: Mapping[str, Rule] | None = None,
        texts: Mapping[str, str] | None = None,
        files: Sequence[str] = (),
        fixed: int = 0,
        errors: int = 0,
        colour: bool = False,
        quiet: bool = False,
    ) -> Report:
        """A report of findings already gathered: one part per path of ``files``, then
        one per other path the findings name, in the order they appear."""
        by_path: dict[str, list[Finding]] = {path: [] for path in files}
        for finding in findings:
            by_path.setdefault(finding.path, []).append(finding)
        texts = texts or {}
        parts = [FilePart(path, found, texts.get(path)) for path, found in by_path.items()]
        tally = Tally(fixed=fixed, errors=errors)
        for part in parts:
            tally.add(part.findings)
        return cls(parts, rules or {}, tally, colour, quiet)


Writer = Callable[[TextIO, Report], None]
Renderer = Callable[[FilePart, bool], str]  # a file's share of the output (colour or not)


class Reporter(NamedTuple):
    """A registered output format. ``render`` is set for formats whose output is the
    concatenation of per-file shares: those can be rendered where a file is linted (a
    worker process) and cached with its findings."""

    name: str
    write: Writer
    description: str
    needs_texts: bool = False  # whether parts must carry their text
    render: Renderer | None = None


class PartRenderer(NamedTuple):
    """A per-file format with its options, ready to render parts anywhere (picklable)."""

    format: str
    colour: bool
    render: Renderer
    needs_text: bool = True  # whether it shows the file's text (text excerpts do)

    def __call__(self, part: FilePart) -> bytes:
        return self.render(part, self.colour).encode("utf-8", "surrogateescape")

    @property
    def key(self) -> str:
        """What the rendering depends on besides the file (its path, text and findings)."""
        return f"{self.format}:{int(self.colour)}"


def rendered(report: Report, render: Renderer) -> Iterator[Rendered]:
    """Each part's share of the output, as UTF-8: rendered already (by a worker or the
    cache), or rendered now."""
    colour = report.colour
    for part in report.parts:
        if part.rendered is not None:
            yield part.rendered
        else:
            yield render(part, colour).encode("utf-8", "surrogateescape")


def write_rendered(out: TextIO, report: Report, render: Renderer) -> Callable[[Rendered], object]:
    """Write each part's share of a per-file format to ``out`` (``rendered``, through
    ``byte_sink``); returns the writer, for what comes after the shares."""
    write = byte_sink(out)
    for chunk in rendered(report, render):
        write(chunk)
    return write


def byte_sink(out: TextIO) -> Callable[[Rendered], object]:
    """A function that writes UTF-8 bytes to ``out``: straight to its byte buffer if it
    encodes UTF-8 (a warm run copies cached shares out without decoding them), else
    decoded. Once it is made, write to ``out`` only through it until done."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        out.flush()  # what was written as text goes first
        return buffer.write  # type: ignore[no-any-return]

    def write(data: Rendered) -> object:
        return out.write(str(data, "utf-8", "surrogateescape"))

    return write


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
