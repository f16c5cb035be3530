"""Compatibility: the reporters used to live here; they are now ``lint.reporters``."""

from __future__ import annotations

from lint.reporters import REPORTERS, Report, Reporter
from lint.reporters.json_array import finding_dict, write_json, write_json_lines
from lint.reporters.rules import write_rules_json, write_rules_markdown, write_rules_text
from lint.reporters.text import excerpt, summary

__all__ = [
    "REPORTERS",
    "Report",
    "Reporter",
    "excerpt",
    "finding_dict",
    "summary",
    "write_json",
    "write_json_lines",
    "write_rules_json",
    "write_rules_markdown",
    "write_rules_text",
]
