"""Reporters: a finished run's findings to text, one small module per output format.

``REPORTERS`` maps each ``--output-format`` name to its ``Reporter``. Reporters only
format what the run computed (``Report``); they never lint, fix or choose an exit code.
"""

from __future__ import annotations

from lint.reporters.base import Report, Reporter
from lint.reporters.github import render_github, write_github
from lint.reporters.gitlab import write_gitlab
from lint.reporters.json_array import (
    finding_dict,
    render_json,
    render_json_lines,
    write_json,
    write_json_lines,
)
from lint.reporters.junit import write_junit
from lint.reporters.sarif import write_sarif
from lint.reporters.text import render_concise, render_text, summary, write_concise, write_text

REPORTERS: dict[str, Reporter] = {
    reporter.name: reporter
    for reporter in (
        Reporter(
            "text",
            write_text,
            "findings with source excerpts and a summary",
            True,
            render_text,
        ),
        Reporter(
            "concise", write_concise, "one line per finding and a summary", False, render_concise
        ),
        Reporter(
            "json",
            write_json,
            "a JSON array of findings (the stable contract)",
            False,
            render_json,
        ),
        Reporter(
            "json-lines", write_json_lines, "one JSON object per line", False, render_json_lines
        ),
        Reporter(
            "github",
            write_github,
            "GitHub Actions workflow commands (annotations)",
            False,
            render_github,
        ),
        Reporter("sarif", write_sarif, "SARIF 2.1.0 (GitHub code scanning, IDEs)", True),
        Reporter("junit", write_junit, "JUnit XML for CI test reports"),
        Reporter("gitlab", write_gitlab, "GitLab Code Quality JSON", True),
    )
}

__all__ = ["REPORTERS", "Report", "Reporter", "finding_dict", "summary"]
