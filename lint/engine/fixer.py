"""Applying fixes: non-overlapping edits by slicing, repeated to a fixed point.

Fixing stops with a ``FixError`` (and the file is left as it was) when fixes never
settle, when a rule raises while the text is being fixed (its findings would be missing,
which is not the same as having none), and when the fixes would grow the text past
``growth_limit`` of the original (a replacement that repeats what it matched, applied
pass after pass, doubles the file each time).

The edits of a pass are tidied together (``lint.engine.tidy``): a line that the fixes of
two rules empty between them goes too.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lint.engine.findings import Edit, Finding, Fix
from lint.engine.tidy import tidy_edits

if TYPE_CHECKING:
    from lint.engine.linter import RuleFailure

MAX_PASSES = 20
GROWTH_ALLOWANCE = 64 * 1024  # characters fixes may add beyond doubling the text


def growth_limit(length: int) -> int:
    """The longest text fixes may make of one of ``length`` characters."""
    return 2 * length + GROWTH_ALLOWANCE


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
    failures: Sequence[RuleFailure] = (),
) -> FixResult:
    """Lint, apply what can be fixed, and repeat until nothing fixable remains.

    ``failures``: the list where ``lint`` records rules that raised (the linter's); one
    recorded while fixing is a FixError."""
    seen = {text}
    applied = 0
    failed = len(failures)
    original = len(text)
    limit = growth_limit(original)
    growth: Counter[str] = Counter()  # characters each rule's fixes added so far

    def checked(text: str) -> list[Finding]:
        findings = lint(text)
        if len(failures) > failed:
            failure = failures[failed]
            raise FixError(f"rule {failure.rule!r} failed while fixing: {failure.error}")
        return findings

    findings = checked(text)
    found = len(findings)
    for passes in range(MAX_PASSES + 1):
        fixes = {
            id(finding.fix): (finding.fix, finding.rule)
            for finding in findings
            if finding.fix is not None and (finding.fix.safe or unsafe)
        }
        chosen = select_fixes([fix for fix, _ in fixes.values()])
        if not chosen:
            return FixResult(text, findings, applied, found)
        if passes == MAX_PASSES:
            break
        for fix in chosen:
            growth[fixes[id(fix)][1]] += sum(
                len(edit.replacement) - (edit.end - edit.start) for edit in fix.edits
            )
        if original + sum(growth.values()) > limit:  # before building the text
            rule = growth.most_common(1)[0][0]
            raise FixError(
                f"fixes of rule {rule!r} would grow the file past {limit:,} characters "
                f"(twice its size plus {GROWTH_ALLOWANCE // 1024} KiB)"
            )
        edits = tidy_edits(text, [edit for fix in chosen for edit in fix.edits])
        new_text = apply_edits(text, edits)
        if new_text == text:
            return FixResult(text, findings, applied, found)
        if new_text in seen:
            raise FixError("fixes undo each other (the text came back to an earlier version)")
        seen.add(new_text)
        applied += len(chosen)
        text = new_text
        findings = checked(text)
    raise FixError(f"fixes did not settle after {MAX_PASSES} passes")
