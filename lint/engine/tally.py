"""The counts of a run: for the summary line, ``--statistics`` and the exit code.

A ``Tally`` is added up file by file while the report streams; a file linted in a worker
process or served from the cache brings its own small tally (``as_row``/``from_row``)
instead of its findings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lint.engine.findings import Finding

ADD_UP_AFTER = 256  # merged tallies whose counts by rule are kept before adding them up


class Tally:
    """Counts of findings (all, safely fixable, fixable only unsafely), of files with
    findings, of findings fixed and of errors, and the same counts by rule."""

    __slots__ = (
        "_merged",
        "_rules",
        "errors",
        "files_with_findings",
        "findings",
        "fixed",
        "safe",
        "unsafe",
    )

    def __init__(
        self,
        findings: int = 0,
        safe: int = 0,  # findings ``--fix`` repairs
        unsafe: int = 0,  # findings only ``--unsafe-fixes`` repairs
        files_with_findings: int = 0,
        fixed: int = 0,  # findings fixed by ``--fix``
        errors: int = 0,
        rules: dict[str, list[int]] | None = None,  # id: [count, safe, unsafe]
    ) -> None:
        self.findings = findings
        self.safe = safe
        self.unsafe = unsafe
        self.files_with_findings = files_with_findings
        self.fixed = fixed
        self.errors = errors
        self._rules: dict[str, list[int]] = {} if rules is None else rules
        # Counts by rule of merged tallies, added up when first asked for, or once there
        # are ``ADD_UP_AFTER`` of them: a run merges a tally per file, and only
        # --statistics reads these (a warm run's tallies have none).
        self._merged: list[Mapping[str, Sequence[int]]] = []

    def __repr__(self) -> str:
        return f"Tally({self.as_row()!r})"

    @property
    def rules(self) -> dict[str, list[int]]:
        """Counts by rule id: [findings, safely fixable, fixable only unsafely]."""
        if self._merged:
            self._add_up()
        return self._rules

    def _add_up(self) -> None:
        rules = self._rules
        for other in self._merged:
            for rule, (count, safe, unsafe) in other.items():
                row = rules.get(rule)
                if row is None:
                    rules[rule] = [count, safe, unsafe]
                else:
                    row[0] += count
                    row[1] += safe
                    row[2] += unsafe
        self._merged.clear()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Tally:
        tally = cls()
        tally.add(findings)
        return tally

    def add(self, findings: Iterable[Finding]) -> None:
        """Count one file's findings."""
        rules = self.rules
        before = self.findings
        for finding in findings:
            row = rules.get(finding.rule)
            if row is None:
                row = rules[finding.rule] = [0, 0, 0]
            row[0] += 1
            fix = finding.fix
            if fix is not None:
                if fix.safe:
                    row[1] += 1
                    self.safe += 1
                else:
                    row[2] += 1
                    self.unsafe += 1
            self.findings += 1
        self.files_with_findings += self.findings > before

    def merge(self, other: Tally) -> None:
        """Add another tally (of other files) to this one; ``other`` must not change
        afterwards."""
        self.findings += other.findings
        self.safe += other.safe
        self.unsafe += other.unsafe
        self.files_with_findings += other.files_with_findings
        self.fixed += other.fixed
        self.errors += other.errors
        if other._merged:
            self._merged.extend(other._merged)
        if other._rules:
            self._merged.append(other._rules)
        if len(self._merged) >= ADD_UP_AFTER:
            self._add_up()  # so that memory stays flat however many files a run has

    def as_row(self, by_rule: bool = True) -> tuple[Any, ...]:
        """Plain values for marshal (``from_row`` restores it). Without ``by_rule``, the
        counts by rule are left out: the result cache's index keeps a row per file, and
        only ``--statistics`` reads them (from findings: it renders nothing)."""
        rules = {rule: tuple(counts) for rule, counts in self.rules.items()} if by_rule else {}
        return (
            self.findings,
            self.safe,
            self.unsafe,
            self.files_with_findings,
            self.fixed,
            self.errors,
            rules,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Tally:
        tally = cls(*row[:6])
        if row[6]:
            tally._merged.append(row[6])  # copied into lists when added up
        return tally
