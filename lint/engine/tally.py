"""The counts of a run: for the summary line, ``--statistics`` and the exit code."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from lint.engine.findings import Finding


@dataclass
class Tally:
    """Counts of findings (all, safely fixable, fixable only unsafely), of files with
    findings, of findings fixed and of errors, and by rule id: [findings, safely fixable,
    fixable only unsafely]."""

    findings: int = 0
    safe: int = 0  # findings ``--fix`` repairs
    unsafe: int = 0  # findings only ``--unsafe-fixes`` repairs
    files_with_findings: int = 0
    fixed: int = 0  # findings fixed by ``--fix``
    errors: int = 0
    files: int = 0  # files linted
    rules: dict[str, list[int]] = field(default_factory=dict)

    def add(self, findings: Iterable[Finding]) -> None:
        """Count one file's findings."""
        before = self.findings
        for finding in findings:
            row = self.rules.setdefault(finding.rule, [0, 0, 0])
            row[0] += 1
            fix = finding.fix
            if fix is not None and fix.safe:
                row[1] += 1
                self.safe += 1
            elif fix is not None:
                row[2] += 1
                self.unsafe += 1
            self.findings += 1
        self.files_with_findings += self.findings > before
