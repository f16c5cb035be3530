"""``--statistics``: how many findings each rule has, and how many of them are fixable.

Sorted by count (most first), then by rule id. As text::

    49  inline-style         [*] 49 fixable
     1  promo-block          [**] 1 fixable with --unsafe-fixes

or, with ``--output-format json``, a list of ``{rule, count, fixable, unsafe_fixable}``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TextIO

from lint.findings import Finding


@dataclass(frozen=True)
class RuleCount:
    rule: str
    count: int
    fixable: int  # safe fixes
    unsafe_fixable: int


def rule_counts(findings: Sequence[Finding]) -> list[RuleCount]:
    tally: dict[str, list[int]] = {}
    for finding in findings:
        row = tally.setdefault(finding.rule, [0, 0, 0])
        row[0] += 1
        row[1] += finding.fixable == "safe"
        row[2] += finding.fixable == "unsafe"
    rows = [RuleCount(rule, *counts) for rule, counts in tally.items()]
    return sorted(rows, key=lambda row: (-row.count, row.rule))


def write_statistics_text(out: TextIO, findings: Sequence[Finding]) -> None:
    rows = rule_counts(findings)
    if not rows:
        return
    count_width = max(len(str(row.count)) for row in rows)
    rule_width = max(len(row.rule) for row in rows)
    for row in rows:
        notes = []
        if row.fixable:
            notes.append(f"[*] {row.fixable} fixable")
        if row.unsafe_fixable:
            notes.append(f"[**] {row.unsafe_fixable} fixable with --unsafe-fixes")
        line = f"{str(row.count).rjust(count_width)}  {row.rule.ljust(rule_width)}  "
        out.write((line + ", ".join(notes)).rstrip() + "\n")


def write_statistics_json(out: TextIO, findings: Sequence[Finding]) -> None:
    data = [
        {
            "rule": row.rule,
            "count": row.count,
            "fixable": row.fixable,
            "unsafe_fixable": row.unsafe_fixable,
        }
        for row in rule_counts(findings)
    ]
    out.write(json.dumps(data, indent=2) + "\n")
