"""Linting text from standard input (``contentlint check -``), for editors and pipes.

The text is linted under the name ``--stdin-filename`` gives (for configuration,
``per-file-ignores`` and messages). With ``--fix`` the fixed text is the output, byte
for byte as a file would have been written (a byte-order mark and CRLF kept); text that
cannot be decoded, or whose fixes do not settle, is given back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from lint.document.source import Source, decode
from lint.engine.linter import Linter
from lint.runner import FileResult, Mode, process_source

STDIN_NAME = "-"


class StdinResult(NamedTuple):
    """What linting standard input gives."""

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
    output = [data]

    def to_output(source: Source, text: str) -> None:
        output[0] = source.encode(text)

    result = process_source(decode(name, data), linter, ignored, mode, unsafe, to_output)
    return StdinResult(result, output[0])
