"""Tallies: merged tallies of files count what one tally of all their findings counts."""

from __future__ import annotations

from lint.engine.findings import Edit, Finding, Fix
from lint.engine.tally import Tally


def finding(rule: str, fix: Fix | None = None) -> Finding:
    return Finding("a.md", rule, "warning", "m", 0, 1, 1, 1, 1, 2, fix)


SAFE = Fix((Edit(0, 1),), True)
UNSAFE = Fix((Edit(0, 1),), False)
FILES = [
    [finding("a"), finding("b", SAFE), finding("a", UNSAFE)],
    [],
    [finding("c", SAFE), finding("a", SAFE)],
    [finding("b")],
]


def test_merged_tallies_count_what_one_tally_of_every_finding_counts() -> None:
    whole = Tally()
    for findings in FILES:
        whole.add(findings)
    merged = Tally()
    for findings in FILES:
        row = Tally.of(findings).as_row()
        merged.merge(Tally.from_row(row))  # as a worker or the cache sends it
        merged.add([])  # a file with an error: nothing, in between
    nested = Tally()
    nested.merge(merged)
    assert whole.rules == {"a": [3, 1, 1], "b": [2, 1, 0], "c": [1, 1, 0]}
    for tally in (merged, nested):
        assert tally.as_row() == whole.as_row()
        assert list(tally.rules) == list(whole.rules)  # the same order (for ties)


def test_merging_does_not_change_the_tallies_merged() -> None:
    parts = [Tally.of(findings) for findings in FILES]
    rows = [part.as_row() for part in parts]
    total = Tally()
    for part in parts:
        total.merge(part)
    assert total.rules["a"] == [3, 1, 1]
    assert [part.as_row() for part in parts] == rows


def test_a_tally_keeps_few_merged_counts_by_rule_however_many_files_it_merges() -> None:
    """A run merges a tally per file: their counts by rule are added up as they come in
    batches, so memory stays flat (a run over 100,000 files kept 100,000 of them)."""
    from lint.engine.tally import ADD_UP_AFTER

    total = Tally()
    for index in range(10 * ADD_UP_AFTER + 3):
        total.merge(Tally.from_row(Tally.of(FILES[index % len(FILES)]).as_row()))
        assert len(total._merged) < ADD_UP_AFTER
    whole = Tally()
    for index in range(10 * ADD_UP_AFTER + 3):
        whole.add(FILES[index % len(FILES)])
    assert total.as_row() == whole.as_row()
