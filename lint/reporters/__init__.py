"""Reporters: a finished run's findings to text, one small module per output format.

``FORMATS`` lists each ``--output-format`` name; ``reporter(name)`` imports that format's
module (and only that one: a run pays for the format it writes) and gives its
``Reporter``. Reporters only format what the run computed (``Report``); they never lint,
fix or choose an exit code.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from lint.reporters.base import Report, Reporter


class Format(NamedTuple):
    """Where a format's reporter lives: its module in this package and the names there
    of its writer and, for per-file formats, its renderer."""

    module: str
    write: str
    description: str
    needs_texts: bool = False
    render: str | None = None


HTML_MAX_PER_RULE = 50  # findings of each rule the html report shows, by default

FORMATS: dict[str, Format] = {
    "text": Format(
        "text", "write_text", "findings with source excerpts and a summary", True, "render_text"
    ),
    "concise": Format(
        "text", "write_concise", "one line per finding and a summary", False, "render_concise"
    ),
    "json": Format(
        "json_array",
        "write_json",
        "a JSON array of findings (the stable contract)",
        False,
        "render_json",
    ),
    "json-lines": Format(
        "json_array", "write_json_lines", "one JSON object per line", False, "render_json_lines"
    ),
    "github": Format(
        "github",
        "write_github",
        "GitHub Actions workflow commands (annotations)",
        False,
        "render_github",
    ),
    "sarif": Format("sarif", "write_sarif", "SARIF 2.1.0 (GitHub code scanning, IDEs)", True),
    "junit": Format("junit", "write_junit", "JUnit XML for CI test reports"),
    "gitlab": Format("gitlab", "write_gitlab", "GitLab Code Quality JSON", True),
    "html": Format(
        "html",
        "write_html",
        "one self-contained page: charts, filters, excerpts and fixes (with --output-file)",
        True,
    ),
}


def reporter(name: str) -> Reporter:
    """The reporter of the output format ``name`` (a key of ``FORMATS``)."""
    spec = FORMATS[name]
    module = importlib.import_module(f"lint.reporters.{spec.module}")
    render = None if spec.render is None else getattr(module, spec.render)
    return Reporter(name, getattr(module, spec.write), spec.description, spec.needs_texts, render)


__all__ = ["FORMATS", "HTML_MAX_PER_RULE", "Format", "Report", "Reporter", "reporter"]
