"""The counts of a run: for the summary line, ``--statistics`` and the exit code.

A ``Tally`` is added up file by file while the report streams; a file linted in a worker
process or served from the cache brings its own small tally (``as_row``/``from_row``)
instead of its findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from lint.findings import Finding


@dataclass
class Tally:
    findings: int = 0
    safe: int = 0  # findings ``--fix`` repairs
    unsafe: int = 0  # findings only ``--unsafe-fixes`` repairs
    files_with_findings: int = 0
    fixed: int = 0  # findings fixed by ``--fix``
    errors: int = 0
    rules: dict[str, list[int]] = field(default_factory=dict)  # id: [count, safe, unsafe]

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
        """Add another tally (of other files) to this one."""
        self.findings += other.findings
        self.safe += other.safe
        self.unsafe += other.unsafe
        self.files_with_findings += other.files_with_findings
        self.fixed += other.fixed
        self.errors += other.errors
        rules = self.rules
        for rule, (count, safe, unsafe) in other.rules.items():
            row = rules.get(rule)
            if row is None:
                rules[rule] = [count, safe, unsafe]
            else:
                row[0] += count
                row[1] += safe
                row[2] += unsafe

    def as_row(self) -> tuple[Any, ...]:
        """Plain values for marshal (``from_row`` restores it)."""
        return (
            self.findings,
            self.safe,
            self.unsafe,
            self.files_with_findings,
            self.fixed,
            self.errors,
            self.rules,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Tally:
        # ``merge`` copies the rows it takes, so the dictionary need not be copied here.
        return cls(*row)
