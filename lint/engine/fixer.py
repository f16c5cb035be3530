"""Applying fixes: non-overlapping edits by slicing, repeated to a fixed point."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Sequence
from typing import NamedTuple

from lint.engine.findings import Edit, Finding, Fix

MAX_PASSES = 20


class FixError(Exception):
    """Fixes that never settle: the text keeps changing or comes back to an earlier one."""


class FixResult(NamedTuple):
    text: str
    findings: list[Finding]  # what remains after fixing
    applied: int  # how many fixes were applied over all passes
    found: int = 0  # how many findings there were before fixing

    @property
    def resolved(self) -> int:
        """Findings that fixing made go away (a fix may take others with it)."""
        return max(0, self.found - len(self.findings))


class _Taken:
    """Edits already chosen, sorted by start; they never overlap one another."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def overlaps(self, edit: Edit) -> bool:
        spans = self.spans
        index = bisect_left(spans, (edit.start, -1))
        # The chosen edit just before may reach into this one; those from ``index`` on
        # start at or after it.
        if index > 0 and spans[index - 1][1] > edit.start:
            return True
        while index < len(spans):
            start, end = spans[index]
            if start >= edit.end and start != edit.start:
                return False
            if edit.start < end and start < edit.end:
                return True
            if start == edit.start and (edit.start == edit.end or start == end):
                return True
            index += 1
        return False

    def add(self, edit: Edit) -> None:
        insort(self.spans, (edit.start, edit.end))


def _overlaps(edit: Edit, taken: Sequence[Edit]) -> bool:
    for other in taken:
        if edit.start < other.end and other.start < edit.end:
            return True
        if edit.start == other.start and (edit.start == edit.end or other.start == other.end):
            return True
    return False


def select_fixes(fixes: Sequence[Fix]) -> list[Fix]:
    """Fixes that can be applied together, earliest first; the rest wait for a later pass."""
    chosen: list[Fix] = []
    taken = _Taken()
    for fix in sorted(fixes, key=lambda f: min((e.start, e.end) for e in f.edits)):
        if any(taken.overlaps(edit) for edit in fix.edits):
            continue
        if any(_overlaps(edit, fix.edits[index + 1 :]) for index, edit in enumerate(fix.edits)):
            continue
        chosen.append(fix)
        for edit in fix.edits:
            taken.add(edit)
    return chosen


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Rebuild ``text`` once with non-overlapping ``edits`` applied."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[position : edit.start])
        pieces.append(edit.replacement)
        position = edit.end
    pieces.append(text[position:])
    return "".join(pieces)


def fix_text(
    text: str,
    lint: Callable[[str], list[Finding]],
    unsafe: bool = False,
) -> FixResult:
    """Lint, apply what can be fixed, and repeat until nothing fixable remains."""
    seen = {text}
    applied = 0
    findings = lint(text)
    found = len(findings)
    for passes in range(MAX_PASSES + 1):
        fixes = [
            finding.fix
            for finding in findings
            if finding.fix is not None and (finding.fix.safe or unsafe)
        ]
        chosen = select_fixes(fixes)
        if not chosen:
            return FixResult(text, findings, applied, found)
        if passes == MAX_PASSES:
            break
        new_text = apply_edits(text, [edit for fix in chosen for edit in fix.edits])
        if new_text == text:
            return FixResult(text, findings, applied, found)
        if new_text in seen:
            raise FixError("fixes undo each other (the text came back to an earlier version)")
        seen.add(new_text)
        applied += len(chosen)
        text = new_text
        findings = lint(text)
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes")
