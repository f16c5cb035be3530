"""``json``: the core's contract, an array of findings, and ``json-lines``: one per line.

Each finding is an object with exactly the keys ``path, rule, severity, message, line,
column, end_line, end_column, fixable`` (``"safe"``, ``"unsafe"`` or ``null``).
"""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import TextIO

from lint.findings import Finding
from lint.reporters.base import FilePart, Report, byte_sink, rendered


def finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "path": finding.path,
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "fixable": finding.fixable,
    }


_FIXABLE = {None: "null", "safe": '"safe"', "unsafe": '"unsafe"'}


def finding_rows(findings: Sequence[Finding]) -> list[str]:
    """``json.dumps(finding_dict(finding), ensure_ascii=False)`` for each finding, built
    without the encoder's per-call set-up: strings go through the same C function that
    ``json.dumps`` uses with ``ensure_ascii=False``, integers are written as ``repr``."""
    strings: dict[str, str] = {}  # paths, rule ids and severities repeat

    def string(value: str) -> str:
        encoded = strings.get(value)
        if encoded is None:
            encoded = strings[value] = encode_basestring(value)
        return encoded

    return [
        f'{{"path": {string(f.path)}, "rule": {string(f.rule)}, '
        f'"severity": {string(f.severity)}, "message": {encode_basestring(f.message)}, '
        f'"line": {f.line!r}, "column": {f.column!r}, "end_line": {f.end_line!r}, '
        f'"end_column": {f.end_column!r}, "fixable": {_FIXABLE[f.fixable]}}}'
        for f in findings
    ]


_SEPARATOR = ",\n  "  # between two rows of the array


def render_json(part: FilePart, colour: bool) -> str:
    """The file's rows of the array, each after a separator (the writer replaces the
    first of the array by the opening bracket): a file's share is then written out
    in one piece."""
    return "".join(_SEPARATOR + row for row in finding_rows(part.findings))


def render_json_lines(part: FilePart, colour: bool) -> str:
    return "".join(row + "\n" for row in finding_rows(part.findings))


def write_json(out: TextIO, report: Report) -> None:
    """A JSON array, one finding per line, written file by file."""
    write = byte_sink(out)
    first = True
    for chunk in rendered(report, render_json):
        if chunk and first:
            write(b"[\n  ")
            write(chunk[len(_SEPARATOR) :])
            first = False
        elif chunk:
            write(chunk)
    write(b"[]\n" if first else b"\n]\n")


def write_json_lines(out: TextIO, report: Report) -> None:
    """One JSON object per line, nothing else (no line at all without findings)."""
    write = byte_sink(out)
    for chunk in rendered(report, render_json_lines):
        write(chunk)
