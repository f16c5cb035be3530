"""``--statistics``: how many findings each rule has, and how many of them are fixable.

Sorted by count (most first), then by rule id. As text::

    49  inline-style         [*] 49 fixable
     1  promo-block          [**] 1 fixable with --unsafe-fixes

or, with ``--output-format json``, a list of ``{rule, count, fixable, unsafe_fixable}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TextIO

from lint.engine.tally import Tally
from lint.reporters.base import Reporter
from lint.reporters.text import summary


@dataclass(frozen=True)
class RuleCount:
    rule: str
    count: int
    fixable: int  # safe fixes
    unsafe_fixable: int


def rule_counts(tally: Tally) -> list[RuleCount]:
    rows = [RuleCount(rule, *counts) for rule, counts in tally.rules.items()]
    return sorted(rows, key=lambda row: (-row.count, row.rule))


def write_statistics_text(out: TextIO, tally: Tally) -> None:
    rows = rule_counts(tally)
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


def write_statistics_json(out: TextIO, tally: Tally) -> None:
    data = [
        {
            "rule": row.rule,
            "count": row.count,
            "fixable": row.fixable,
            "unsafe_fixable": row.unsafe_fixable,
        }
        for row in rule_counts(tally)
    ]
    out.write(json.dumps(data, indent=2) + "\n")


class StatisticsReporter(Reporter):
    """``--statistics``: nothing per file; the counts by rule at the end, as JSON with
    ``--output-format json``, else as text with the summary line (unless quiet)."""

    def __init__(self, out: TextIO, as_json: bool, quiet: bool = False) -> None:
        super().__init__(out, quiet=quiet)
        self.as_json = as_json

    def finish(self, tally: Tally) -> None:
        if self.as_json:
            write_statistics_json(self.out, tally)
            return
        write_statistics_text(self.out, tally)
        if not self.quiet:
            self.out.write(summary(tally) + "\n")
