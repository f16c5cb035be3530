"""Linting text from standard input (``contentlint check -``), for editors and pipes.

The text is linted under the name ``--stdin-filename`` gives (for configuration,
``per-file-ignores`` and messages). With ``--fix`` the fixed text is the output, byte
for byte as a file would have been written (a byte-order mark and CRLF kept); text that
cannot be decoded, or whose fixes do not settle, is given back unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from lint.document.source import MAX_FILE_BYTES, Oversize, Source, decode
from lint.engine.findings import FileResult
from lint.engine.linter import Linter
from lint.runner import Mode, process_source

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
    limit: int = MAX_FILE_BYTES,
) -> StdinResult:
    """Lint ``data``; with FIX also fix it (the output), with DIFF give the diff. Data
    over ``limit`` (read up to a byte past it) is not decoded, as a file over it is not
    read, and is given back unchanged."""
    output = [data]

    def to_output(source: Source, text: str) -> None:
        output[0] = source.encode(text)

    if len(data) > limit:
        source = Source(name, "", oversize=Oversize(len(data), exact=False))
    else:
        source = decode(name, data)
    result = process_source(source, linter, ignored, mode, unsafe, to_output)
    return StdinResult(result, output[0])
