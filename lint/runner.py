"""One file through the pipeline: read, lint, fix, write; its record for the reporters.

``process_file`` never raises for a bad file: what goes wrong is returned as messages,
so one unreadable or unfixable file never stops a run over an archive. A path that is not
a regular file is an error for that file; a file over the size limit is not read, and the
``file-too-large`` rule reports it; the rule patterns get a time budget per file
(``lint.engine.kinds.base.regex_budget``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import Enum

from lint.document.lookups import record_lookups
from lint.document.source import Source, SourceError, read_source
from lint.engine.findings import Basis, FileResult, Stamp
from lint.engine.fixer import FixError, fix_text
from lint.engine.kinds.base import regex_budget
from lint.engine.linter import Linter
from lint.files.writer import WriteError, write_atomic


class Mode(Enum):
    CHECK = "check"
    FIX = "fix"  # write fixed files
    DIFF = "diff"  # print fixes as a diff, write nothing


def file_stamp(status: os.stat_result) -> Stamp:
    """What tells a file's content changed without reading it (as git and ruff use)."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def digest(data: bytes) -> bytes:
    """The BLAKE2b-256 digest of a file's bytes."""
    return hashlib.blake2b(data, digest_size=32).digest()


def process_file(
    path: str,
    linter: Linter,
    ignored: Iterable[str],
    mode: Mode,
    unsafe: bool = False,
    with_basis: bool = True,
) -> FileResult:
    """Lint ``path``; with FIX or DIFF also fix it (unsafe fixes only if ``unsafe``).

    A file over the linter's size limit for it is not read. With ``with_basis`` (for the result
    cache) the result carries its ``basis`` unless a rule failed on it or the file was
    not read."""
    try:
        # Before reading: a later change moves it.
        stamp = file_stamp(os.stat(path)) if with_basis else None
        source = read_source(path, linter.size_limit(path, ignored))
    except OSError as error:
        return FileResult(path, errors=[read_error(path, error)])
    with record_lookups() as lookups:
        result = process_source(source, linter, ignored, mode, unsafe)
    if with_basis and not result.errors and source.oversize is None:
        written = result.text != source.text  # by a fix: the findings are of the bytes written
        data = source.encode(result.text) if written else source.raw
        result.basis = Basis(None if written else stamp, digest(data), lookups)
    return result


def read_error(path: str, error: OSError) -> str:
    """The error line of a file that could not be read."""
    if isinstance(error, SourceError):
        return f"{path}: error: {error}"
    return f"{path}: error: cannot read: {error.strerror or error}"


def process_source(
    source: Source,
    linter: Linter,
    ignored: Iterable[str],
    mode: Mode,
    unsafe: bool = False,
    write: Callable[[Source, str], None] | None = None,
) -> FileResult:
    """Lint a decoded ``source``; with FIX also fix it and hand the fixed text to
    ``write`` (the file on disk by default; standard input gives its own). Rules that
    raise are errors of the file."""
    result = FileResult(source.path, text=source.text)

    failures = len(linter.failures)
    with regex_budget():
        _process(result, source, linter, frozenset(ignored), mode, unsafe, write)
    for failure in linter.failures[failures:]:
        result.errors.append(
            f"{failure.path}: internal error in rule {failure.rule}: {failure.error}"
        )
    del linter.failures[failures:]
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
    if mode is Mode.CHECK:
        result.findings = linter.lint(source, ignored)
        return
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
    if source.damage is not None:
        result.errors.append(
            f"{path}: error: not fixed: the file is UTF-8 with damaged byte sequences, and "
            "writing it would make their U+FFFD replacements permanent; restore them first"
        )
        result.findings = linter.lint(source, ignored)
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
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
