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
from typing import Any

from lint.engine.findings import FileResult, Finding
from lint.engine.tally import Tally
from lint.reporters.base import Reporter, display_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def fingerprint(finding: Finding, flagged: str, occurrence: int) -> str:
    parts = (display_path(finding.path), finding.rule, finding.message, flagged, str(occurrence))
    key = "\0".join(parts)
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def issues(result: FileResult) -> list[dict[str, Any]]:
    """The Code Quality issues of one file's findings."""
    seen: dict[tuple[str, str], int] = {}
    rows = []
    for finding in result.findings:
        flagged = result.text[finding.start : finding.end]
        key = (finding.rule, finding.message + "\0" + flagged)
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


class GitlabReporter(Reporter):
    """A JSON array as ``json.dumps(issues, indent=2)`` would write it, file by file."""

    needs_text = True

    def start(self) -> None:
        self.separator = "[\n"  # before the first issue; between issues ",\n"

    def file(self, result: FileResult) -> None:
        for issue in issues(result):
            dumped = json.dumps(issue, ensure_ascii=False, indent=2)
            self.write(self.separator + "  " + dumped.replace("\n", "\n  "))
            self.separator = ",\n"

    def finish(self, tally: Tally) -> None:
        self.write("[]\n" if self.separator == "[\n" else "\n]\n")
