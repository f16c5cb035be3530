"""Linting text from standard input (``contentlint check -``), for editors and pipes.

The text is linted under the name ``--stdin-filename`` gives (for configuration,
``per-file-ignores`` and messages). With ``--fix`` the fixed text is the output, byte
for byte as a file would have been written (a byte-order mark and CRLF kept); text that
cannot be decoded, or whose fixes do not settle, is given back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from lint.fixer import FixError, fix_text
from lint.linter import Linter
from lint.runner import FileResult, Mode, unified_diff
from lint.source import decode

STDIN_NAME = "-"


@dataclass
class StdinResult:
    result: FileResult
    output: bytes  # what to print with --fix: the fixed bytes (or the input unchanged)


def process_stdin(
    data: bytes,
    name: str,
    linter: Linter,
    ignored: Iterable[str],
    mode: Mode,
    unsafe: bool = False,
) -> StdinResult:
    """Lint ``data``; with FIX also fix it (the output), with DIFF give the diff."""
    source = decode(name, data)
    ignored = frozenset(ignored)
    result = FileResult(name, text=source.text)
    if mode is Mode.CHECK or source.problem is not None:
        result.findings = linter.lint(source, ignored)
        return StdinResult(result, data)
    try:
        fixed = fix_text(
            source.text, lambda text: linter.lint(replace(source, text=text), ignored), unsafe
        )
    except FixError as error:
        result.errors.append(f"{name}: error: {error}; text not changed")
        result.findings = linter.lint(source, ignored)
        return StdinResult(result, data)
    if fixed.text == source.text:
        result.findings = fixed.findings
        return StdinResult(result, data)
    if mode is Mode.DIFF:
        result.diff = unified_diff(name, source.text, fixed.text)
        result.findings = linter.lint(source, ignored)
        return StdinResult(result, data)
    result.findings, result.text, result.fixed = fixed.findings, fixed.text, fixed.resolved
    return StdinResult(result, source.encode(fixed.text))
