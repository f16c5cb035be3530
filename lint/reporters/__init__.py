"""Reporters: a run's findings to text, one small module per output format.

``FORMATS`` lists each ``--output-format`` name; ``reporter(name)`` imports that format's
module (and only that one) and gives its ``Reporter`` class. Every format streams: it
writes each file's share as the file finishes (``lint.reporters.base``).
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from lint.reporters.base import Reporter


class Format(NamedTuple):
    """Where a format's reporter lives: its module in this package and its class there."""

    module: str
    name: str
    description: str


HTML_MAX_PER_RULE = 50  # findings of each rule the html report shows, by default

FORMATS: dict[str, Format] = {
    "text": Format("text", "TextReporter", "findings with source excerpts and a summary"),
    "concise": Format("text", "ConciseReporter", "one line per finding and a summary"),
    "json": Format("json_array", "JsonReporter", "a JSON array of findings (the stable contract)"),
    "json-lines": Format("json_array", "JsonLinesReporter", "one JSON object per line"),
    "github": Format("github", "GithubReporter", "GitHub Actions workflow commands (annotations)"),
    "sarif": Format("sarif", "SarifReporter", "SARIF 2.1.0 (GitHub code scanning, IDEs)"),
    "junit": Format("junit", "JunitReporter", "JUnit XML for CI test reports"),
    "gitlab": Format("gitlab", "GitlabReporter", "GitLab Code Quality JSON"),
    "html": Format(
        "html",
        "HtmlReporter",
        "one self-contained page: charts, filters, excerpts and fixes (with --output-file)",
    ),
}


def reporter(name: str) -> type[Reporter]:
    """The reporter class of the output format ``name`` (a key of ``FORMATS``)."""
    spec = FORMATS[name]
    found: type[Reporter] = getattr(
        importlib.import_module(f"lint.reporters.{spec.module}"), spec.name
    )
    return found


__all__ = ["FORMATS", "HTML_MAX_PER_RULE", "Format", "Reporter", "reporter"]
