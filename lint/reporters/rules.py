"""Listing rules (``contentlint rules``): a text table, JSON for tools, the README's Markdown."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from lint.engine.rules import Rule
from lint.reporters.base import rule_summary


def write_rules_text(out: TextIO, rules: Sequence[Rule]) -> None:
    rows = [("id", "pack", "kind", "severity", "fixable")]
    rows.extend((r.id, r.pack, r.kind.name, r.severity, r.fixable or "-") for r in rules)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def write_rules_json(out: TextIO, rules: Sequence[Rule]) -> None:
    data = [
        {
            "id": rule.id,
            "pack": rule.pack,
            "kind": rule.kind.name,
            "severity": rule.severity,
            "fixable": rule.fixable,
            "enabled": rule.enabled,
            "summary": rule_summary(rule),
            "description": rule.description,
        }
        for rule in rules
    ]
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_rules_markdown(out: TextIO, rules: Sequence[Rule]) -> None:
    """The rules table of the README (kept in sync by a test)."""
    out.write(
        "| rule | pack | kind | severity | fix | what it finds |\n|---|---|---|---|---|---|\n"
    )
    for rule in rules:
        summary = rule_summary(rule).replace("|", "\\|")
        out.write(
            f"| `{rule.id}` | {rule.pack} | {rule.kind.name} | {rule.severity} "
            f"| {rule.fixable or '-'} | {summary} |\n"
        )


def write_explanation(out: TextIO, rule: Rule) -> None:
    """``contentlint explain``: the rule's id, pack, kind, severity, fix, and
    documentation."""
    fixable = {"safe": "yes (safe)", "unsafe": "yes, unsafe (needs --unsafe-fixes)"}
    out.write(
        f"# {rule.id}\n\n"
        f"pack: {rule.pack}   kind: {rule.kind.name}   severity: {rule.severity}   "
        f"fix: {fixable.get(rule.fixable or '', 'no')}   "
        f"enabled by default: {'yes' if rule.enabled else 'no'}\n\n"
        f"{rule.description}\n"
    )
