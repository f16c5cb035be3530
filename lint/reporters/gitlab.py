"""``gitlab``: GitLab Code Quality JSON, shown in merge requests.

Each finding is ``{description, check_name, fingerprint, severity, location: {path,
lines: {begin, end}}}``. Severities map to GitLab's scale: error → ``major``, warning →
``minor``, info → ``info``.

The fingerprint identifies a finding across runs so GitLab can tell new findings from
old ones: a SHA-256 of the path, the rule, the message, the flagged text itself and its occurrence
number among identical (path, rule, text) findings. It contains no line or column, so
editing lines above a finding does not change it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TextIO

from lint.engine.findings import Finding
from lint.reporters.base import Report, display_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def fingerprint(finding: Finding, flagged: str, occurrence: int) -> str:
    parts = (display_path(finding.path), finding.rule, finding.message, flagged, str(occurrence))
    key = "\0".join(parts)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issues(report: Report) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str], int] = {}
    rows = []
    for finding, text in ((f, part.text) for part in report.parts for f in part.findings):
        flagged = text[finding.start : finding.end] if text is not None else finding.message
        key = (finding.path, finding.rule, finding.message + "\0" + flagged)
        occurrence = seen[key] = seen.get(key, -1) + 1
        rows.append(
            {
                "description": f"{finding.rule}: {finding.message}",
                "check_name": finding.rule,
                "fingerprint": fingerprint(finding, flagged, occurrence),
                "severity": SEVERITIES.get(finding.severity, "minor"),
                "location": {
                    "path": display_path(finding.path),
                    "lines": {"begin": finding.line, "end": finding.end_line},
                },
            }
        )
    return rows


def write_gitlab(out: TextIO, report: Report) -> None:
    out.write(json.dumps(issues(report), ensure_ascii=False, indent=2) + "\n")
