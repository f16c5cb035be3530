"""One file through the pipeline: read, lint, fix, write. The CLI only orchestrates.

``process_file`` never raises for a bad file: what goes wrong is returned as messages,
so one unreadable or unfixable file never stops a run over an archive. A file over the
size limit or a path that is not a regular file is an error for that file; the rule
patterns get a time budget per file (``lint.engine.kinds.base.regex_budget``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import Enum
from typing import TYPE_CHECKING

from lint.document.source import MAX_FILE_BYTES, Source, SourceError, read_source
from lint.engine.findings import Finding
from lint.engine.tally import Tally

if TYPE_CHECKING:
    from lint.engine.linter import Linter


class Mode(Enum):
    CHECK = "check"
    FIX = "fix"  # write fixed files
    DIFF = "diff"  # print fixes as a diff, write nothing


class FileResult:
    """What came of one file: its findings, the text they refer to (the fixed text after
    ``--fix``), errors, fixes made and the diff printed.

    Set when the report's share for this file was rendered where it was linted (or came
    from the cache): ``rendered`` (UTF-8), and ``tally`` with the counts of the findings,
    which are then dropped with the text. (A plain class: a run makes one per file.)"""

    __slots__ = ("diff", "errors", "findings", "fixed", "path", "rendered", "tally", "text")

    def __init__(
        self,
        path: str,
        findings: list[Finding] | None = None,
        text: str = "",
        errors: list[str] | None = None,
        fixed: int = 0,
        diff: str = "",
        rendered: bytes | memoryview | None = None,
        tally: Tally | None = None,
    ) -> None:
        self.path = path
        self.findings = [] if findings is None else findings
        self.text = text
        self.errors = [] if errors is None else errors
        self.fixed = fixed
        self.diff = diff
        self.rendered = rendered
        self.tally = tally

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {len(self.findings)} findings, {self.errors!r})"

    @property
    def changed(self) -> bool:
        return bool(self.diff) or self.fixed > 0


def process_file(
    path: str,
    linter: Linter,
    ignored: Iterable[str],
    mode: Mode,
    unsafe: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    read: Callable[[str, int], Source] = read_source,
) -> FileResult:
    """Lint ``path``; with FIX or DIFF also fix it (unsafe fixes only if ``unsafe``).

    A file over ``max_bytes`` is not read: an error for that file. ``read``: what reads
    it (``read_source``, or a ``ResultCache.ReadRecorder``)."""
    result = FileResult(path)
    try:
        source = read(path, max_bytes)
    except SourceError as error:
        result.errors.append(f"{path}: error: {error}")
        return result
    except OSError as error:
        result.errors.append(f"{path}: error: cannot read: {error.strerror or error}")
        return result
    return process_source(source, linter, ignored, mode, unsafe)


def process_source(
    source: Source,
    linter: Linter,
    ignored: Iterable[str],
    mode: Mode,
    unsafe: bool = False,
    write: Callable[[Source, str], None] | None = None,
) -> FileResult:
    """Lint a decoded ``source``; with FIX also fix it and hand the fixed text to
    ``write`` (the file on disk by default; standard input gives its own)."""
    result = FileResult(source.path)
    from lint.engine.kinds.base import regex_budget  # with the kinds: only runs that lint a file

    with regex_budget():
        _process(result, source, linter, frozenset(ignored), mode, unsafe, write)
    return result


def _process(
    result: FileResult,
    source: Source,
    linter: Linter,
    ignored: frozenset[str],
    mode: Mode,
    unsafe: bool,
    write: Callable[[Source, str], None] | None,
) -> None:
    path = source.path
    result.text = source.text
    if mode is Mode.CHECK:
        result.findings = linter.lint(source, ignored)
        return
    from lint.engine.fixer import FixError, fix_text
    from lint.files.writer import WriteError, write_atomic  # only runs that fix need them

    try:
        fixed = fix_text(
            source.text,
            lambda text: linter.lint(replace(source, text=text), ignored),
            unsafe,
            linter.failures,
        )
    except FixError as error:
        result.errors.append(f"{path}: error: {error}; not changed")
        result.findings = linter.lint(source, ignored)
        return
    result.findings = fixed.findings
    if fixed.text == source.text:
        return
    if mode is Mode.DIFF:
        result.diff = unified_diff(path, source.text, fixed.text)
        result.findings = linter.lint(source, ignored)
        return
    try:
        (write or write_atomic)(source, fixed.text)
    except WriteError as error:
        result.errors.append(f"error: {error}")
        result.findings = linter.lint(source, ignored)
        return
    result.text, result.fixed = fixed.text, fixed.resolved


def unified_diff(path: str, old: str, new: str) -> str:
    import difflib

    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
