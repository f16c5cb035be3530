"""The linter: findings in document order, messages from each hit's values, and a rule
that fails on a file reported without losing what it found before."""

from __future__ import annotations

from collections.abc import Iterator

from lint.document.document import Document
from lint.document.source import Source
from lint.engine.kinds.attributes import AttributeKind
from lint.engine.kinds.base import Hit
from lint.engine.linter import Linter
from lint.engine.rules import Rule


class _FailingKind(AttributeKind):
    """Yields one hit, then fails."""

    def check(self, document: Document) -> Iterator[Hit]:
        yield Hit(0, 1, {"attribute": "a", "value": "", "tag": "p"})
        raise RuntimeError("broken")


def _rule(rule_id: str) -> Rule:
    return Rule(
        rule_id, "attribute", "warning", "{attribute}", "", None, False, True, {"names": ["x"]}
    )


def test_findings_before_a_failure_stay() -> None:
    rule = _rule("failing")
    rule.__dict__["kind"] = _FailingKind.create({"names": ["x"]}, None)
    linter = Linter([rule])
    findings = linter.lint(Source("a.md", "<p x>\n"))
    assert [(finding.rule, finding.start) for finding in findings] == [("failing", 0)]
    assert [failure.rule for failure in linter.failures] == ["failing"]


def test_findings_sorted_by_offsets_then_rule() -> None:
    rules = [_rule("b-rule"), _rule("a-rule")]
    findings = Linter(rules).lint(Source("a.md", "<p x>\n<i x>\n"))
    assert [(finding.start, finding.rule) for finding in findings] == [
        (3, "a-rule"),
        (3, "b-rule"),
        (9, "a-rule"),
        (9, "b-rule"),
    ]


class _RepeatingKind(AttributeKind):
    """Yields the same values mapping for several hits, as the attribute kind does."""

    def check(self, document: Document) -> Iterator[Hit]:
        same = {"attribute": "a", "value": "1", "tag": "p"}
        other = {"attribute": "b", "value": "2", "tag": "i"}
        equal = dict(same)
        for start, values in enumerate([same, same, other, same, equal, other, other]):
            yield Hit(start, start + 1, values)


def test_a_repeated_values_mapping_gives_the_same_message() -> None:
    rule = _rule("repeating")
    rule = Rule(
        "repeating",
        "attribute",
        "warning",
        "{attribute}={value} <{tag}>",
        "",
        None,
        False,
        True,
        {"names": ["x"]},
    )
    rule.__dict__["kind"] = _RepeatingKind.create({"names": ["x"]}, None)
    findings = Linter([rule]).lint(Source("a.md", "<p x>\n<i x>\n"))
    assert [finding.message for finding in findings] == [
        "a=1 <p>",
        "a=1 <p>",
        "b=2 <i>",
        "a=1 <p>",
        "a=1 <p>",
        "b=2 <i>",
        "b=2 <i>",
    ]
