"""``json``: the core's contract, an array of findings, and ``json-lines``: one per line.

Each finding is an object with exactly the keys ``path, rule, severity, message, line,
column, end_line, end_column, fixable`` (``"safe"``, ``"unsafe"`` or ``null``).
"""

from __future__ import annotations

import json
from typing import TextIO

from lint.findings import Finding
from lint.reporters.base import Report


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


def write_json(out: TextIO, report: Report) -> None:
    """A JSON array, one finding per line (the C encoder does the work)."""
    if not report.findings:
        out.write("[]\n")
        return
    rows = ",\n  ".join(json.dumps(finding_dict(f), ensure_ascii=False) for f in report.findings)
    out.write(f"[\n  {rows}\n]\n")


def write_json_lines(out: TextIO, report: Report) -> None:
    """One JSON object per line, nothing else (no line at all without findings)."""
    for finding in report.findings:
        out.write(json.dumps(finding_dict(finding), ensure_ascii=False) + "\n")
