"""Suppressions: ``contentlint-disable…`` comments, front-matter settings, unused-suppression.

Each test writes a small article with inline styles (``inline-style`` findings, one per
``style=`` attribute) and runs the command line on it, so what is checked is what users
see: which findings remain, and which suppression comments are reported as unused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import SEED

from lint.cli import main
from lint.engine.suppressions import parse_directive

HEAD = "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\n"


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def check(body: str, *args: str, head: str = HEAD) -> tuple[int, list[dict[str, Any]]]:
    Path("a.md").write_text(head + body, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["a.md", "--output-format", "json", *args], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def lines_of(findings: list[dict[str, Any]], rule: str = "inline-style") -> list[int]:
    return [finding["line"] for finding in findings if finding["rule"] == rule]


def unused(findings: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(f["line"], f["message"]) for f in findings if f["rule"] == "unused-suppression"]


STYLED = '<p style="a">1</p>\n'  # one inline-style finding per line
FIRST = HEAD.count("\n") + 1  # the line the body starts on


# --- directives -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "parsed"),
    [
        (" contentlint-disable ", ("disable", None, "", None)),
        ("contentlint-disable a b", ("disable", ("a", "b"), "", None)),
        (" contentlint-disable a,b , c ", ("disable", ("a", "b", "c"), "", None)),
        (
            " contentlint-disable-next-line a -- the CMS needs it -- really ",
            ("disable-next-line", ("a",), "the CMS needs it -- really", None),
        ),
        (" contentlint-disable-file -- generated ", ("disable-file", None, "generated", None)),
        ("\ncontentlint-enable\n  inline-style\n", ("enable", ("inline-style",), "", None)),
        (" contentlint-disable-line a--b ", ("disable-line", ("a--b",), "", None)),
    ],
)
def test_parse_directive(content: str, parsed: tuple[Any, ...]) -> None:
    assert parse_directive(content) == parsed


@pytest.mark.parametrize("content", [" a note about contentlint-disable ", " disable ", ""])
def test_other_comments_are_not_directives(content: str) -> None:
    assert parse_directive(content) is None


@pytest.mark.parametrize("content", [" contentlint-disabel x ", " contentlint-disable:x "])
def test_misspelt_directives_are_problems(content: str) -> None:
    parsed = parse_directive(content)
    assert parsed is not None
    assert parsed[3] is not None
    assert "is not a directive" in parsed[3]


def test_disable_and_enable_a_range() -> None:
    body = (
        STYLED  # FIRST
        + "<!-- contentlint-disable inline-style -- keep the CMS look -->\n"
        + STYLED * 2  # FIRST+2, +3
        + "<!-- contentlint-enable inline-style -->\n"
        + STYLED  # FIRST+5
    )
    _, findings = check(body)
    assert lines_of(findings) == [FIRST, FIRST + 5]
    assert unused(findings) == []


def test_a_range_without_enable_runs_to_the_end_and_covers_only_its_rules() -> None:
    body = (
        STYLED
        + "<!-- contentlint-disable tracking-comment -->\n"
        + STYLED
        + "<!-- news_keyword_pub,stock,sz300959 -->\n"
    )
    _, findings = check(body)
    assert lines_of(findings) == [FIRST, FIRST + 2]
    assert lines_of(findings, "tracking-comment") == []


def test_bare_disable_covers_every_rule_and_enable_with_ids_reopens_some() -> None:
    body = (
        "<!-- contentlint-disable -->\n"
        + STYLED
        + "<!-- news_keyword_pub,stock,sz300959 -->\n"
        + "<!-- contentlint-enable inline-style -->\n"
        + STYLED  # FIRST+4: inline-style is on again
        + "<!-- news_keyword_pub,stock,sz300959 -->\n"  # still off
        + "<!-- contentlint-enable -->\n"
        + "<!-- news_keyword_pub,stock,sz300959 -->\n"  # FIRST+7: everything on
    )
    _, findings = check(body)
    assert lines_of(findings) == [FIRST + 4]
    assert lines_of(findings, "tracking-comment") == [FIRST + 7]
    assert unused(findings) == []


def test_enable_of_one_id_keeps_the_others_disabled() -> None:
    body = (
        "<!-- contentlint-disable inline-style tracking-comment -->\n"
        + "<!-- contentlint-enable tracking-comment -->\n"
        + STYLED
        + "<!-- news_keyword_pub,stock,sz300959 -->\n"
    )
    _, findings = check(body)
    assert lines_of(findings) == []
    assert lines_of(findings, "tracking-comment") == [FIRST + 3]
    assert unused(findings) == [
        (
            FIRST,
            "suppression comment <!-- contentlint-disable inline-style tracking-comment --> "
            "suppresses no tracking-comment finding",
        )
    ]


def test_disable_next_line_covers_exactly_the_next_line() -> None:
    body = STYLED + "<!-- contentlint-disable-next-line inline-style -->\n" + STYLED * 2
    _, findings = check(body)
    assert lines_of(findings) == [FIRST, FIRST + 3]
    assert unused(findings) == []


def test_disable_line_covers_the_comments_line() -> None:
    body = '<p style="a">1</p><!-- contentlint-disable-line -->\n' + STYLED
    _, findings = check(body)
    assert lines_of(findings) == [FIRST + 1]


@pytest.mark.parametrize(
    ("directive", "left"),
    [
        ("<!-- contentlint-disable-file inline-style -->", ["tracking-comment"]),
        ("<!-- contentlint-disable-file -- generated page -->", []),
    ],
)
def test_disable_file_covers_the_whole_file(directive: str, left: list[str]) -> None:
    body = STYLED + "<!-- news_keyword_pub,stock,sz300959 -->\n" + directive + "\n" + STYLED
    _, findings = check(body)
    assert [finding["rule"] for finding in findings] == left


def test_disable_file_covers_front_matter_findings() -> None:
    head = "---\ntitle: T\n---\n\n"  # missing date, author, ...
    _, findings = check("<p>x</p>\n", head=head)
    assert "missing-field" in {finding["rule"] for finding in findings}
    _, findings = check("<!-- contentlint-disable-file missing-field -->\n", head=head)
    assert "missing-field" not in {finding["rule"] for finding in findings}
    assert unused(findings) == []


# --- unused suppressions --------------------------------------------------------------


def test_a_suppression_that_suppresses_nothing_is_reported() -> None:
    comment = "<!-- contentlint-disable-next-line inline-style -- old -->"
    code, findings = check(comment + "\n<p>plain</p>\n")
    assert code == 1
    assert findings == [
        {
            "path": "a.md",
            "rule": "unused-suppression",
            "severity": "warning",
            "message": "suppression comment <!-- contentlint-disable-next-line inline-style --> "
            "suppresses no inline-style finding",
            "line": FIRST,
            "column": 1,
            "end_line": FIRST,
            "end_column": len(comment) + 1,
            "fixable": None,
        }
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "inline-style",
        "tracking-attribute",  # the text has no "data-": its prefilter skips the rule
        "style-block",
        "promo-block",
        "tracking-param",
        "zero-width-character",
        "javascript-link",
        "insecure-image",
    ],
)
def test_a_rule_its_prefilter_skipped_has_run(rule: str) -> None:
    """A rule skipped because the text lacks what it looks for has still run: it found
    nothing, so a directive that suppresses it suppresses nothing."""
    comment = f"<!-- contentlint-disable-next-line {rule} -->"
    _, findings = check(comment + "\n<p>plain</p>\n")
    assert unused(findings) == [
        (FIRST, f"suppression comment {comment} suppresses no {rule} finding")
    ]


@pytest.mark.parametrize(
    ("comment", "detail"),
    [
        ("<!-- contentlint-disable-file no-such-rule -->", "names unknown rule 'no-such-rule'"),
        ("<!-- contentlint-enable no-such-rule -->", "names unknown rule 'no-such-rule'"),
        ("<!-- contentlint-disable-file -->", "suppresses nothing"),
        ("<!-- contentlint-disabel inline-style -->", "is not a directive"),
    ],
)
def test_unknown_rules_bare_and_misspelt_directives_are_reported(comment: str, detail: str) -> None:
    _, findings = check("<p>plain</p>\n" + comment + "\n")
    assert len(unused(findings)) == 1
    assert detail in unused(findings)[0][1]


def test_rules_that_did_not_run_are_not_judged() -> None:
    body = "<!-- contentlint-disable-next-line inline-style -->\n<p>plain</p>\n"
    for args in (["--select", "tracking-comment,unused-suppression"], ["--ignore", "inline-style"]):
        _, findings = check(body, *args)
        assert unused(findings) == [], args


def test_unused_suppression_is_a_rule_like_the_others(tmp_path: Path) -> None:
    body = "<!-- contentlint-disable-next-line inline-style -->\n<p>plain</p>\n"
    assert unused(check(body)[1])
    assert check(body, "--ignore", "unused-suppression") == (0, [])
    silenced = body + "<!-- contentlint-disable-file unused-suppression -->\n"
    assert check(silenced) == (0, [])
    Path(".contentlint.yaml").write_text("rules:\n  unused-suppression: {severity: error}\n")
    assert {finding["severity"] for finding in check(body)[1]} == {"error"}
    Path(".contentlint.yaml").write_text("per-file-ignores:\n  'a.md': [unused-suppression]\n")
    assert check(body) == (0, [])
    explained = CliRunner().invoke(main, ["explain", "unused-suppression"])
    assert explained.exit_code == 0
    assert "RUF100" in explained.stdout


def test_the_seed_has_no_unused_suppression() -> None:
    Path("seed.md").write_bytes(SEED.read_bytes())
    result = CliRunner().invoke(main, ["seed.md", "--select", "unused-suppression"])
    assert result.exit_code == 0, result.stdout


# --- suppression comments are left alone ----------------------------------------------


ALL_COMMENTS_RULE = """\
id: any-comment
kind: comment
severity: warning
message: "comment <!--{comment}-->"
description: Finds every comment.
patterns: ['.']
fix: {action: remove, safe: true}
"""
AD_BOX_RULE = """\
id: ad-box
kind: element
severity: warning
message: "ad box"
description: Finds ad boxes.
selector: div.ad
fix: {action: remove, safe: true}
"""


def test_comment_rules_never_report_suppression_comments(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "any-comment.yaml").write_text(ALL_COMMENTS_RULE)
    body = "<!-- contentlint-disable-next-line inline-style -->\n" + STYLED + "<!-- note -->\n"
    _, findings = check(body, "--rules-dir", "rules")
    assert [(f["rule"], f["line"]) for f in findings] == [("any-comment", FIRST + 2)]


def test_fixes_never_remove_suppression_comments(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ad-box.yaml").write_text(AD_BOX_RULE)
    body = (
        '<div class="ad">\n<!-- contentlint-disable-next-line inline-style -->\n'
        + STYLED
        + '</div>\n<div class="ad">buy</div>\n'
        + "<!-- contentlint-disable-next-line inline-style -->\n"
        + STYLED
    )
    _, findings = check(body, "--rules-dir", "rules")
    boxes = [(f["line"], f["fixable"]) for f in findings if f["rule"] == "ad-box"]
    assert boxes == [(FIRST, None), (FIRST + 4, "safe")]  # the fix is withheld, not the finding
    result = CliRunner().invoke(main, ["a.md", "--fix", "--unsafe-fixes", "--rules-dir", "rules"])
    assert result.exit_code == 1
    fixed = Path("a.md").read_text(encoding="utf-8")
    assert fixed.count("contentlint-disable-next-line inline-style") == 2
    assert fixed.count('style="a"') == 2  # suppressed findings are not fixed either
    assert '<div class="ad">buy</div>' not in fixed


# --- front-matter settings ------------------------------------------------------------


def test_front_matter_ignore() -> None:
    head = HEAD.replace("---\n\n", "contentlint:\n  ignore: [inline-style]\n---\n\n")
    body = STYLED + "<!-- news_keyword_pub,stock,sz300959 -->\n"
    _, findings = check(body, head=head)
    assert [finding["rule"] for finding in findings] == ["tracking-comment"]
    head = HEAD.replace("---\n\n", "contentlint: {ignore: tracking-comment}\n---\n\n")
    _, findings = check(body, head=head)
    assert [finding["rule"] for finding in findings] == ["inline-style"]


@pytest.mark.parametrize(
    ("setting", "detail"),
    [
        ("contentlint: [inline-style]", "must be a mapping"),
        ("contentlint: {select: [inline-style]}", "unknown setting 'select'"),
        ("contentlint: {ignore: [{a: 1}]}", "must be a list of rule ids"),
        ("contentlint: {ignore: [inline-stile]}", "names unknown rule 'inline-stile'"),
    ],
)
def test_invalid_front_matter_settings_are_reported(setting: str, detail: str) -> None:
    head = HEAD.replace("---\n\n", setting + "\n---\n\n")
    _, findings = check("<p>plain</p>\n", head=head)
    assert [finding["rule"] for finding in findings] == ["unused-suppression"]
    assert detail in findings[0]["message"]
    assert findings[0]["line"] == HEAD.count("\n") - 1  # the key's line
