"""``json``: the core's contract, an array of findings, and ``json-lines``: one per line.

Each finding is an object with exactly the keys ``path, rule, severity, message, line,
column, end_line, end_column, fixable`` (``"safe"``, ``"unsafe"`` or ``null``).
"""

from __future__ import annotations

from collections.abc import Sequence
from json import JSONEncoder

from lint.engine.findings import FileResult, Finding
from lint.engine.tally import Tally
from lint.reporters.base import Reporter, path_text


def finding_dict(finding: Finding) -> dict[str, object]:
    return {
        "path": path_text(finding.path),
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
    """``json.dumps(finding_dict(finding), ensure_ascii=False)`` for each finding; the
    strings that repeat (paths, rule ids, severities, messages) are encoded once."""
    heads: dict[tuple[str, str, str], str] = {}  # paths, rule ids and severities repeat
    messages: dict[str, str] = {}  # and so do many messages
    rows = []
    for finding in findings:
        path, rule, severity, message = finding[:4]
        head = heads.get((path, rule, severity))
        if head is None:
            head = heads[path, rule, severity] = (
                f'{{"path": {_string(path_text(path))}, "rule": {_string(rule)}, '
                f'"severity": {_string(severity)}, "message": '
            )
        text = messages.get(message)
        if text is None:
            text = messages[message] = _string(message)
        fix = finding.fix
        fixable = "null" if fix is None else '"safe"' if fix.safe else '"unsafe"'
        rows.append(
            f'{head}{text}, "line": {finding.line!r}, "column": {finding.column!r}, '
            f'"end_line": {finding.end_line!r}, "end_column": {finding.end_column!r}, '
            f'"fixable": {fixable}}}'
        )
    return rows


class JsonReporter(Reporter):
    """A JSON array, one finding per line, written file by file."""

    def start(self) -> None:
        self.separator = "[\n  "  # before the first row; between rows ",\n  "

    def file(self, result: FileResult) -> None:
        if result.findings:
            self.write(self.separator + ",\n  ".join(finding_rows(result.findings)))
            self.separator = ",\n  "

    def finish(self, tally: Tally) -> None:
        self.write("[]\n" if self.separator.startswith("[") else "\n]\n")


class JsonLinesReporter(Reporter):
    """One JSON object per line, nothing else (no line at all without findings)."""

    def file(self, result: FileResult) -> None:
        if result.findings:
            self.write("".join(row + "\n" for row in finding_rows(result.findings)))


_ENCODER = JSONEncoder(ensure_ascii=False)  # ``json.dumps`` with an option builds one per call


def _string(text: str) -> str:
    """``json.dumps(text, ensure_ascii=False)``."""
    return _ENCODER.encode(text)
