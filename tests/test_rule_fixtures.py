"""Fixture-driven tests for every bundled rule (in the style of markdownlint and sqlfluff).

Each bundled rule has a folder ``tests/fixtures/rules/<rule-id>/`` holding:

- ``bad.md`` (or ``bad.bin`` for bytes that are not UTF-8): an article with several
  instances of the defect, including tricky ones, and defects inside Markdown code that
  must not be reported;
- ``expected.yaml``: the findings of that rule alone on the bad file, in order, as a list
  of ``{line, column, message?}`` (``end_line`` and ``end_column`` may be given too);
- ``fixed.md``: the bad file after applying the rule's fixes, safe and unsafe (only for
  rules whose YAML declares ``fix:``);
- ``clean.md``: an article full of near misses that must give no finding of that rule;
- ``options.yaml`` (optional): options of the rule for its fixtures (``limit: 1k`` for
  ``file-too-large``, whose default limit no fixture should reach).

A folder may hold more cases of the same rule beside these, each named by a suffix:
``bad-toml.md`` with ``expected-toml.yaml`` (and ``fixed-toml.md`` for a fixable rule,
``clean-toml.md`` if it has one): a case per front-matter form, for example. A case is
written ``rule-id:name`` in test ids.

One parametrized test per property proves, for every rule at once: the findings, the fix
(exact result, idempotence, nothing fixable left, only the defects' bytes touched), the
clean file, and that fixes are emitted exactly by the rules that declare them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from support import build_rules, changed_regions

from lint.document.source import Source, read_source
from lint.engine.config import load_config
from lint.engine.findings import Finding
from lint.engine.fixer import fix_text
from lint.engine.linter import Linter
from lint.engine.rules import Rule, bundled_rules_dir, load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
BAD_NAMES = ("bad.md", "bad.bin")
EXPECTED_KEYS = frozenset({"line", "column", "message", "end_line", "end_column"})


@cache
def bundled_ids() -> tuple[str, ...]:
    return tuple(sorted(load_rules([bundled_rules_dir()])))


def fixture_ids() -> list[str]:
    return sorted(path.name for path in FIXTURES.iterdir() if path.is_dir())


ALL_IDS = sorted(set(bundled_ids()) | set(fixture_ids()))


@cache
def rule_and_linter(rule_id: str) -> tuple[Rule, Linter]:
    """The rule alone, selected explicitly (so rules with ``enabled: false`` run too)."""
    rules = build_rules(load_config(None), select=[rule_id])
    assert [rule.id for rule in rules] == [rule_id]
    options = FIXTURES / rule_id / "options.yaml"
    if options.is_file():
        rules = [rules[0].configure(yaml.safe_load(options.read_text()), str(options), ".")]
    return rules[0], Linter(rules)


def read(path: Path) -> Source:
    """The fixture at ``path`` as a run reads it (with its rule's size limit)."""
    _, linter = rule_and_linter(path.parent.name)
    return read_source(str(path), linter.size_limit(str(path)))


def case_ids() -> list[str]:
    """Every rule's main case (its id) and its named cases (``id:name``)."""
    cases = []
    for rule_id in fixture_ids():
        cases.append(rule_id)
        names = {
            path.name.split(".", 1)[0].removeprefix("bad-")
            for path in (FIXTURES / rule_id).glob("bad-*")
        }
        cases.extend(f"{rule_id}:{name}" for name in sorted(names))
    return cases


def case_file(case: str, stem: str, extension: str = ".md") -> Path:
    """The ``stem`` file (bad, expected, fixed, clean) of ``case``."""
    rule_id, _, name = case.partition(":")
    return FIXTURES / rule_id / f"{stem}{'-' + name if name else ''}{extension}"


def rule_of(case: str) -> str:
    return case.partition(":")[0]


def bad_path(case: str) -> Path:
    for extension in (".md", ".bin"):
        path = case_file(case, "bad", extension)
        if path.is_file():
            return path
    pytest.fail(f"{case}: no {' or '.join(BAD_NAMES)} in {FIXTURES / rule_of(case)}")


def lint(rule_id: str, source: Source) -> list[Finding]:
    _, linter = rule_and_linter(rule_id)
    findings = linter.lint(source)
    assert linter.failures == [], f"{rule_id} raised: {linter.failures}"
    assert all(finding.rule == rule_id for finding in findings)
    return findings


def lint_function(rule_id: str, source: Source) -> Callable[[str], list[Finding]]:
    """Lint a new text as if it were the file of ``source`` (same path, BOM and mode)."""

    def run(text: str) -> list[Finding]:
        return lint(rule_id, dataclasses.replace(source, text=text))

    return run


def load_expected(case: str) -> list[dict[str, Any]]:
    path = case_file(case, "expected", ".yaml")
    expected = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    assert isinstance(expected, list), f"{path}: must be a list of findings"
    for entry in expected:
        assert isinstance(entry, dict), f"{path}: each finding must be a mapping"
        assert {"line", "column"} <= set(entry) <= EXPECTED_KEYS, f"{path}: bad keys {entry}"
    return expected


def describe(finding: Finding, keys: set[str]) -> dict[str, Any]:
    return {key: getattr(finding, key) for key in sorted(keys)}


def fixable_cases() -> list[str]:
    return [case for case in case_ids() if case_file(case, "fixed").is_file()]


def hulls(text: str, findings: list[Finding]) -> list[tuple[int, int]]:
    """Merged regions of the text that a finding reports or one of its edits touches, with
    the lines that fixes empty (``support.changed_regions``)."""
    edits = [(f.start, f.end) for f in findings]
    edits.extend((e.start, e.end) for f in findings for e in (f.fix.edits if f.fix else ()))
    merged: list[tuple[int, int]] = []
    for start, end in sorted([*changed_regions(text, findings), *edits]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@pytest.mark.parametrize("rule_id", ALL_IDS)
def test_every_rule_has_a_fixture_folder(rule_id: str) -> None:
    assert rule_id in bundled_ids(), f"fixture folder {rule_id!r} names no bundled rule"
    folder = FIXTURES / rule_id
    assert folder.is_dir(), f"bundled rule {rule_id!r} has no fixture folder {folder}"
    rule, _ = rule_and_linter(rule_id)
    assert (folder / "expected.yaml").is_file()
    assert (folder / "clean.md").is_file()
    bad_path(rule_id)
    has_fixed = (folder / "fixed.md").is_file()
    assert has_fixed == (rule.fix_action is not None), (
        f"{rule_id}: fixed.md must exist exactly when the rule declares 'fix:'"
    )


@pytest.mark.parametrize("case", case_ids())
def test_findings_on_bad_file(case: str) -> None:
    expected = load_expected(case)
    assert expected, f"{case}: the expected findings are none"
    findings = lint(rule_of(case), read(bad_path(case)))
    # Compare the keys each expected entry gives; extra findings show in full.
    default = {"line", "column", "message"}
    actual = [
        describe(finding, set(expected[index]) if index < len(expected) else default)
        for index, finding in enumerate(findings)
    ]
    assert actual == expected


@pytest.mark.parametrize("case", case_ids())
def test_clean_file_has_no_findings(case: str) -> None:
    path = case_file(case, "clean")
    if not path.is_file():
        assert ":" in case, f"{case}: no clean.md"
        return  # a named case needs no clean file of its own
    findings = lint(rule_of(case), read(path))
    assert [f"{f.line}:{f.column} {f.message}" for f in findings] == []


@pytest.mark.parametrize("case", case_ids())
def test_fixes_are_emitted_as_declared(case: str) -> None:
    rule, _ = rule_and_linter(rule_of(case))
    assert case_file(case, "fixed").is_file() == (rule.fix_action is not None), (
        f"{case}: a fixed file must exist exactly when the rule declares 'fix:'"
    )
    findings = lint(rule_of(case), read(bad_path(case)))
    if rule.fix_action is None:
        assert [f for f in findings if f.fix is not None] == [], "undeclared fix emitted"
    else:
        assert any(f.fix is not None for f in findings), "declared fix never emitted"
        emitted = {f.fixable for f in findings if f.fix is not None}
        # A safe rule's fix is unsafe where it would change what a reader sees (a style
        # that hides text or carries meaning); an unsafe rule's fix is never safe.
        allowed = {"safe", "unsafe"} if rule.fixable == "safe" else {"unsafe"}
        assert emitted <= allowed


@pytest.mark.parametrize("case", fixable_cases())
def test_fix_gives_fixed_file(case: str) -> None:
    source = read(bad_path(case))
    result = fix_text(source.text, lint_function(rule_of(case), source), unsafe=True)
    expected = case_file(case, "fixed").read_bytes()
    assert source.encode(result.text).decode("utf-8") == expected.decode("utf-8")
    assert source.encode(result.text) == expected


@pytest.mark.parametrize("case", fixable_cases())
def test_fixed_file_is_stable(case: str) -> None:
    source = read(case_file(case, "fixed"))
    run = lint_function(rule_of(case), source)
    leftover = [f"{f.line}:{f.column} {f.message}" for f in run(source.text) if f.fix is not None]
    assert leftover == [], "fixable findings remain in fixed.md"
    result = fix_text(source.text, run, unsafe=True)
    assert result.applied == 0
    assert result.text == source.text


@pytest.mark.parametrize("case", fixable_cases())
def test_edits_stay_within_their_findings(case: str) -> None:
    """An edit may reach past its finding only over white space (an attribute's indent)."""
    source = read(bad_path(case))
    for finding in lint(rule_of(case), source):
        for edit in finding.fix.edits if finding.fix else ():
            before = source.text[edit.start : max(edit.start, finding.start)]
            after = source.text[min(edit.end, finding.end) : edit.end]
            where = f"{finding.line}:{finding.column} {edit}"
            assert not before.strip(), where
            assert not after.strip(), where


@pytest.mark.parametrize("case", fixable_cases())
def test_fix_touches_only_reported_defects(case: str) -> None:
    """Outside the findings reported on bad.md (and their edits) not a byte may change, but
    for the lines that a fix leaves blank: they go."""
    source = read(bad_path(case))
    fixed = read(case_file(case, "fixed")).text
    regions = hulls(source.text, lint(rule_of(case), source))
    assert regions, "nothing reported, nothing may change"
    keep, position = [], 0
    for start, end in regions:
        keep.append(source.text[position:start])
        position = end
    keep.append(source.text[position:])
    pattern = "(?:.*?)".join(re.escape(piece) for piece in keep)
    assert re.fullmatch(pattern, fixed, re.DOTALL), "fixed.md changes bytes outside the defects"
    assert fixed != source.text
