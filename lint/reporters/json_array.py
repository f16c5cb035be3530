"""``json``: the core's contract, an array of findings, and ``json-lines``: one per line.

Each finding is an object with exactly the keys ``path, rule, severity, message, line,
column, end_line, end_column, fixable`` (``"safe"``, ``"unsafe"`` or ``null``).
"""

from __future__ import annotations

from collections.abc import Sequence
from json.encoder import encode_basestring
from typing import TextIO

from lint.engine.findings import Finding
from lint.reporters.base import FilePart, Report, byte_sink, rendered, write_rendered


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


def finding_rows(findings: Sequence[Finding]) -> list[str]:
    """``json.dumps(finding_dict(finding), ensure_ascii=False)`` for each finding, built
    without the encoder's per-call set-up: strings go through the same C function that
    ``json.dumps`` uses with ``ensure_ascii=False``, integers are written as ``repr``."""
    heads: dict[tuple[str, str, str], str] = {}  # paths, rule ids and severities repeat
    messages: dict[str, str] = {}  # and so do many messages
    rows = []
    for finding in findings:
        path, rule, severity, message = finding[:4]
        head = heads.get((path, rule, severity))
        if head is None:
            head = heads[path, rule, severity] = (
                f'{{"path": {encode_basestring(path)}, "rule": {encode_basestring(rule)}, '
                f'"severity": {encode_basestring(severity)}, "message": '
            )
        text = messages.get(message)
        if text is None:
            text = messages[message] = encode_basestring(message)
        fix = finding.fix
        fixable = "null" if fix is None else '"safe"' if fix.safe else '"unsafe"'
        rows.append(
            f'{head}{text}, "line": {finding.line!r}, "column": {finding.column!r}, '
            f'"end_line": {finding.end_line!r}, "end_column": {finding.end_column!r}, '
            f'"fixable": {fixable}}}'
        )
    return rows


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
    write_rendered(out, report, render_json_lines)
