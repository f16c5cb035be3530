"""Prefilters that kinds derive from their options: they may skip a file only where the
rule finds nothing in it."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SEED, build_rules, corpus_dir

from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.findings import Finding
from lint.engine.kinds.base import Kind
from lint.engine.kinds.needles import pattern_needles
from lint.engine.linter import Linter
from lint.engine.rules import bundled_rules_dir, load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "rules"

# Pieces of patterns: characters, escapes, classes, groups, anchors, each maybe quantified.
ATOMS = ["a", "b", "c", "-", ".", "\\.", "\\s", "\\d", "[ab]", "[^a]", "[a-c]", "(a|b)"]
ATOMS += ["(?:ab)", "(?=a)", "^", "$", "ä", "Σ", "\\x61", "\\1", "[\\]]"]
QUANTIFIERS = ["", "", "", "?", "*", "+", "{2}", "{1,2}", "{0,}", "+?", "*+"]
piece = st.tuples(st.sampled_from(ATOMS), st.sampled_from(QUANTIFIERS)).map("".join)
alternative = st.lists(piece, max_size=6).map("".join)
patterns = st.lists(alternative, min_size=1, max_size=3).map("|".join)
subjects = st.text(alphabet="abc-. 1ä\u03a3\u03c3", max_size=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patterns, st.lists(subjects, min_size=1, max_size=8))
def test_a_pattern_matches_only_where_one_of_its_needles_is(pattern: str, texts: list[str]) -> None:
    try:
        compiled = regex.compile(pattern)
    except regex.error:
        return
    needles = pattern_needles(pattern)
    if needles is None:
        return
    assert needles
    assert all(needles)
    for text in texts:
        if compiled.search(text) is not None:
            assert any(needle in text for needle in needles), (pattern, text, needles)


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        ("news_keyword_pub", ("news_keyword_pub",)),
        ("data-track(ing)?(-.*)?", ("data-track",)),
        (r"^\s*/?wp:[a-z]", ("wp:",)),
        ("style|cms-style", ("style", "cms-style")),
        ("[\u200b\u2060\ufeff]+", ("\u200b", "\u2060", "\ufeff")),
        (r"a\.b+c", ("a.b",)),
        ("(?i)style", None),  # inline flags change what the characters mean
        (r"\x61", None),  # an escape with an argument is not read
        ("a?b*", None),  # nothing every match holds
        ("a|[a-z]", None),  # one alternative without needles: none at all
    ],
)
def test_needles_of_patterns(pattern: str, needles: tuple[str, ...] | None) -> None:
    assert pattern_needles(pattern) == needles


def sample_texts() -> list[Path]:
    """Real articles (the corpus, when present), the rule fixtures and the seed."""
    corpus = corpus_dir()
    paths = sorted(corpus.rglob("*.md")) if corpus.is_dir() else []
    return [*paths, *sorted(FIXTURES.rglob("*.md")), SEED]


def lint_all(linter: Linter, paths: list[Path]) -> list[Finding]:
    return [
        finding for path in paths for finding in linter.lint(decode(str(path), path.read_bytes()))
    ]


def test_prefilters_never_change_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bundled rule (enabled or not) finds the same with its prefilter as without,
    on real articles and on every rule fixture."""
    rules = build_rules(load_config(None), select=sorted(load_rules([bundled_rules_dir()])))
    assert sum(rule.kind.prefilter() is not None for rule in rules) > len(rules) // 2
    paths = sample_texts()
    filtered = lint_all(Linter(rules), paths)
    monkeypatch.setattr(Kind, "prefilter", lambda self: None)
    assert filtered == lint_all(Linter(rules), paths)
