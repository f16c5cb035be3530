"""Reporters: findings to text or JSON. They format; they never compute."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from lint.findings import Finding
from lint.rules import Rule

EXCERPT_WIDTH = 100


def _excerpt(line_text: str, column: int) -> tuple[str, int]:
    """A window of ``line_text`` around ``column`` and the caret's column within it."""
    expanded = line_text.replace("\t", " ")
    if len(expanded) <= EXCERPT_WIDTH:
        return expanded, column
    start = max(0, min(column - 1 - EXCERPT_WIDTH // 3, len(expanded) - EXCERPT_WIDTH))
    window = expanded[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(expanded) else ""
    return prefix + window + suffix, column - start + len(prefix)


def write_text(
    out: TextIO,
    findings: Sequence[Finding],
    line_texts: dict[tuple[str, int], str],
    fixed: int = 0,
    errors: int = 0,
) -> None:
    """``path:line:col: rule message``, the source line and a caret, then a summary."""
    for finding in findings:
        marker = {"safe": " [*]", "unsafe": " [**]"}.get(finding.fixable or "", "")
        out.write(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.rule}{marker} "
            f"{finding.message}\n"
        )
        line_text = line_texts.get((finding.path, finding.line))
        if line_text is not None and line_text.strip():
            excerpt, caret = _excerpt(line_text, finding.column)
            out.write(f"    {excerpt}\n    {' ' * (caret - 1)}^\n")
    out.write(summary(findings, fixed, errors) + "\n")


def summary(findings: Sequence[Finding], fixed: int = 0, errors: int = 0) -> str:
    safe = sum(1 for finding in findings if finding.fixable == "safe")
    unsafe = sum(1 for finding in findings if finding.fixable == "unsafe")
    files = len({finding.path for finding in findings})
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} problem{'s' if fixed != 1 else ''}.")
    if not findings:
        parts.append("No problems found.")
    else:
        parts.append(
            f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''} "
            f"in {files} file{'s' if files != 1 else ''}."
        )
        if safe:
            parts.append(f"{safe} fixable with --fix ([*]).")
        if unsafe:
            parts.append(f"{unsafe} more with --unsafe-fixes ([**]).")
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''} (see above).")
    return " ".join(parts)


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


def write_json(out: TextIO, findings: Sequence[Finding]) -> None:
    """A JSON array, one finding per line (the C encoder does the work)."""
    if not findings:
        out.write("[]\n")
        return
    rows = ",\n  ".join(json.dumps(finding_dict(f), ensure_ascii=False) for f in findings)
    out.write(f"[\n  {rows}\n]\n")


def _rule_summary(rule: Rule) -> str:
    """The head of the first sentence of a rule's description, on one line."""
    first = " ".join(rule.description.split("\n\n", 1)[0].split())
    return first.split(". ")[0].split(": ")[0].rstrip(".") + "."


def write_rules_text(out: TextIO, rules: Sequence[Rule]) -> None:
    rows = [("id", "kind", "severity", "fixable")]
    rows.extend((r.id, r.kind.name, r.severity, r.fixable or "-") for r in rules)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")


def write_rules_json(out: TextIO, rules: Sequence[Rule]) -> None:
    data = [
        {
            "id": rule.id,
            "kind": rule.kind.name,
            "severity": rule.severity,
            "fixable": rule.fixable,
            "enabled": rule.enabled,
            "summary": _rule_summary(rule),
            "description": rule.description,
        }
        for rule in rules
    ]
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_rules_markdown(out: TextIO, rules: Sequence[Rule]) -> None:
    """The rules table of the README (kept in sync by a test)."""
    out.write("| rule | kind | severity | fix | what it finds |\n|---|---|---|---|---|\n")
    for rule in rules:
        summary = _rule_summary(rule).replace("|", "\\|")
        out.write(
            f"| `{rule.id}` | {rule.kind.name} | {rule.severity} | {rule.fixable or '-'} "
            f"| {summary} |\n"
        )
