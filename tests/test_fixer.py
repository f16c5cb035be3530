"""The fixer: applying edits, choosing non-overlapping fixes, and reaching a fixed point."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from lint.engine.findings import Edit, Finding, Fix
from lint.engine.fixer import MAX_PASSES, FixError, apply_edits, fix_text, select_fixes


def fix(*edits: tuple[int, int, str] | tuple[int, int], safe: bool = True) -> Fix:
    return Fix(tuple(Edit(*edit) for edit in edits), safe)


def finding(start: int, end: int, fix: Fix | None = None, rule: str = "r") -> Finding:
    return Finding("a.md", rule, "warning", "m", start, end, 1, start + 1, 1, end + 1, fix)


def pattern_lint(
    pattern: str, replacement: str = "", safe: bool = True
) -> Callable[[str], list[Finding]]:
    """A lint function reporting every match of ``pattern``, fixed by ``replacement``."""
    regex = re.compile(pattern)

    def lint(text: str) -> list[Finding]:
        return [
            finding(m.start(), m.end(), fix((m.start(), m.end(), replacement), safe=safe))
            for m in regex.finditer(text)
        ]

    return lint


@pytest.mark.parametrize(
    ("text", "edits", "expected"),
    [
        ("abc", [], "abc"),
        ("abcdef", [Edit(1, 3)], "adef"),
        ("abcdef", [Edit(4, 5, "X"), Edit(0, 1, "Y")], "YbcdXf"),  # any order
        ("abc", [Edit(0, 0, ">")], ">abc"),
        ("abc", [Edit(3, 3, "<")], "abc<"),
        ("abc", [Edit(1, 1, "-"), Edit(1, 2, "B")], "a-Bc"),  # insertion before a replacement
        ("abc", [Edit(0, 3, "")], ""),
        ("中文字", [Edit(1, 2, "X")], "中X字"),  # offsets are code points
        ("a\r\nb", [Edit(1, 3)], "ab"),
    ],
)
def test_apply_edits(text: str, edits: list[Edit], expected: str) -> None:
    assert apply_edits(text, edits) == expected


@pytest.mark.parametrize(
    ("fixes", "chosen"),
    [
        ([fix((0, 2)), fix((4, 6))], [0, 1]),
        ([fix((4, 6)), fix((0, 2))], [1, 0]),  # earliest first
        ([fix((0, 4)), fix((2, 6))], [0]),  # overlapping: the later one waits
        ([fix((2, 6)), fix((0, 4))], [1]),
        ([fix((0, 2)), fix((2, 4))], [0, 1]),  # touching is not overlapping
        ([fix((0, 6)), fix((2, 3))], [0]),  # nested
        ([fix((0, 1), (5, 6)), fix((3, 4))], [0, 1]),  # a fix's edits may be apart
        ([fix((0, 1), (5, 6)), fix((4, 8))], [0]),  # all of a fix's edits count
        ([fix((1, 1, "a")), fix((1, 1, "b"))], [0]),  # insertions at the same point
        ([fix((1, 1, "a")), fix((1, 3))], [0]),  # insertion where a deletion starts
        ([fix((1, 3)), fix((3, 3, "a"))], [0, 1]),  # insertion where a deletion ends
        ([fix((0, 3), (2, 4)), fix((5, 6))], [1]),  # a fix whose own edits overlap
        ([fix((1, 1, "a"), (1, 1, "b"))], []),  # ... or insert at the same point
        ([], []),
    ],
)
def test_select_fixes(fixes: list[Fix], chosen: list[int]) -> None:
    assert select_fixes(fixes) == [fixes[index] for index in chosen]


def test_fix_text_without_findings() -> None:
    result = fix_text("clean", lambda text: [])
    assert (result.text, result.findings, result.applied) == ("clean", [], 0)


def test_fix_text_applies_all_fixes_in_one_pass() -> None:
    calls: list[str] = []
    lint = pattern_lint(r" style=\"[^\"]*\"")

    def counting(text: str) -> list[Finding]:
        calls.append(text)
        return lint(text)

    text = '<p style="a">x</p><b style="b">y</b>'
    result = fix_text(text, counting)
    assert result.text == "<p>x</p><b>y</b>"
    assert result.findings == []
    assert result.applied == 2
    assert calls == [text, result.text]


def test_fix_text_repeats_until_overlapping_fixes_are_done() -> None:
    # Each 'aa' becomes 'a'; overlapping matches wait for a later pass.
    result = fix_text("aaaaaaa!", pattern_lint("aa", "a"))
    assert result.text == "a!"
    assert result.findings == []
    assert result.applied == 6


def test_fix_text_reaches_a_fixed_point_when_fixes_reveal_new_defects() -> None:
    # Removing the inner comment joins '<!' and '-- x -->' into a new one.
    result = fix_text("<!<!-- a -->-- x -->.", pattern_lint(r"<!--.*?-->"))
    assert result.text == "."
    assert result.applied == 2


def test_fix_text_keeps_unsafe_fixes_unless_asked() -> None:
    def lint(text: str) -> list[Finding]:
        safe = pattern_lint("S")(text)
        unsafe = pattern_lint("U", safe=False)(text)
        return sorted(safe + unsafe, key=lambda f: f.start)

    safe_only = fix_text("aSbUc", lint)
    assert safe_only.text == "abUc"
    assert [(f.start, f.fixable) for f in safe_only.findings] == [(2, "unsafe")]
    everything = fix_text("aSbUc", lint, unsafe=True)
    assert (everything.text, everything.findings, everything.applied) == ("abc", [], 2)


def test_findings_without_fixes_remain() -> None:
    def lint(text: str) -> list[Finding]:
        return [finding(0, 1), *pattern_lint("x")(text)]

    result = fix_text("axx", lint)
    assert result.text == "a"
    assert [f.fix for f in result.findings] == [None]


def test_fix_that_changes_nothing_stops() -> None:
    result = fix_text("abc", pattern_lint("b", "b"))
    assert result.text == "abc"
    assert result.applied == 0
    assert len(result.findings) == 1


@pytest.mark.parametrize(
    "lint",
    [
        # a → b and b → a: the text comes back.
        lambda text: [finding(0, 1, fix((0, 1, "b" if text == "a" else "a")))],
        # two rules undoing each other over three states
        lambda text: [finding(0, 1, fix((0, 1, {"a": "b", "b": "c", "c": "a"}[text])))],
    ],
)
def test_oscillating_fixes_raise(lint: Callable[[str], list[Finding]]) -> None:
    with pytest.raises(FixError, match="undo each other"):
        fix_text("a", lint)


def test_never_settling_fixes_raise() -> None:
    texts: list[str] = []

    def grow(text: str) -> list[Finding]:
        texts.append(text)
        return [finding(0, 0, fix((0, 0, "x")))]

    with pytest.raises(FixError, match=f"{MAX_PASSES} passes"):
        fix_text("", grow)
    assert len(texts) == MAX_PASSES + 1
    assert len(set(texts)) == len(texts)


def one_at_a_time(text: str) -> list[Finding]:
    """Reports every 'x' but offers a fix for the first one only."""
    found = [m.start() for m in re.finditer("x", text)]
    return [
        finding(index, index + 1, fix((index, index + 1)) if index == found[0] else None)
        for index in found
    ]


@pytest.mark.parametrize("passes", [1, MAX_PASSES - 1, MAX_PASSES])
def test_slow_fixes_that_settle_within_the_limit(passes: int) -> None:
    """MAX_PASSES passes that each apply a fix and then leave nothing to fix have settled."""
    result = fix_text("x" * passes, one_at_a_time)
    assert result.text == ""
    assert result.findings == []
    assert result.applied == passes
