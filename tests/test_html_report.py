"""The ``html`` report without a browser: what the page holds, parsed with lxml.

The seed article gives real findings, excerpts and fixes; generated runs (hypothesis)
check the bound: the findings shown are exactly the first ``max_per_rule`` of each rule
in the page's order (files with more findings first), whatever order files arrive in,
and the counts stay exact. The browser tests are in ``test_html_browser.py``.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html
from support import SEED, SEED_COUNTS, Report, build_rules

from lint.cli import main
from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.findings import Edit, FileResult, Finding, Fix
from lint.engine.linter import Linter
from lint.reporters import html as html_report
from lint.reporters.html import HtmlReporter, HtmlSettings
from lint.reporters.html_findings import EDITS_SHOWN, visible

HEAD = "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\n"


def page(report: Report, **options: object) -> lxml_html.HtmlElement:
    out = io.StringIO()
    settings = HtmlSettings(**options)  # type: ignore[arg-type]
    report.write(HtmlReporter(out, report.rules, settings=settings))
    return lxml_html.fromstring(out.getvalue())


def lint(path: str, text: str) -> list[Finding]:
    rules = build_rules(load_config(None))
    return Linter(rules).lint(decode(path, text.encode("utf-8")))


def linted_report(*files: tuple[str, str]) -> Report:
    rules = {rule.id: rule for rule in build_rules(load_config(None))}
    findings = [finding for path, text in files for finding in lint(path, text)]
    return Report.of(findings, rules, dict(files), [path for path, _ in files])


def shown(doc: lxml_html.HtmlElement) -> dict[str, Counter[str]]:
    """The findings shown in each file's section, counted by rule."""
    return {
        section.get("data-path"): Counter(
            item.get("data-rule") for item in section.cssselect(".finding")
        )
        for section in doc.cssselect("#files .file")
    }


def test_seed_report_counts_excerpts_and_fixes() -> None:
    text = SEED.read_text(encoding="utf-8")
    doc = page(linted_report(("seeds/seed.md", text)))
    tiles = {
        tile.cssselect(".tile-label")[0].text_content(): tile.cssselect(".tile-value")[0].text
        for tile in doc.cssselect(".totals .tile")
    }
    assert tiles["Findings"] == str(sum(SEED_COUNTS.values()))
    assert shown(doc) == {"seeds/seed.md": Counter(SEED_COUNTS)}
    bars = {bar.get("data-label") for bar in doc.cssselect("#rules-chart .bar")}
    assert bars == set(SEED_COUNTS)
    # Each finding marks its span in the source, and each fix shows what it removes.
    findings = lint("seeds/seed.md", text)
    items = doc.cssselect(".finding")
    assert len(items) == len(findings)
    for finding, item in zip(findings, items, strict=True):
        assert item.get("data-rule") == finding.rule
        marked = "".join(mark.text_content() for mark in item.cssselect(".source mark"))
        span = text[finding.start : finding.end]
        if finding.end_line == finding.line and len(span) < 60:
            assert marked == span
        if finding.fix is not None:
            edits = sorted(finding.fix.edits)[:EDITS_SHOWN]
            removed = [text[edit.start : edit.end] for edit in edits]
            deleted = [node.text_content().replace("↵", "") for node in item.cssselect(".diff del")]
            short = [part for part in removed if part and len(part) < 200]
            assert set(short) <= set(deleted)
    # Every rule a finding links to is documented on the page.
    for link in doc.cssselect(".finding a.rule"):
        assert doc.get_element_by_id(link.get("href")[1:]) is not None


def test_article_text_is_shown_never_run() -> None:
    hostile = HEAD + '<p style="x">a</p>\n<script>document.title="pwned"</script>\n</pre></li>\n'
    doc = page(linted_report(("a.md", hostile)))
    assert len(doc.cssselect("script")) == 1  # the page's own
    assert "pwned" in doc.cssselect(".source")[0].text_content()


def test_invisible_characters_are_shown_by_code_point() -> None:
    assert visible("a\u200bb<") == 'a<span class="cp">U+200B</span>b&lt;'
    assert visible("tab\there") == "tab\there"
    assert visible("a\nb") == 'a<span class="cp" title="line break">↵</span>\nb'


def test_long_lines_and_spans_are_clipped() -> None:
    line = "<p>" + "字" * 5000 + '<span style="c">x</span>' + "字" * 5000 + "</p>"
    style = "<style>\n" + "p { color: red; }\n" * 400 + "</style>\n"
    doc = page(linted_report(("long.md", HEAD + line + "\n" + style)))
    for source in doc.cssselect(".source"):
        assert all(len(row.text_content()) < 200 for row in source)
    assert len(doc.cssselect(".source")[-1]) < 12  # a long span: its first and last lines


def synthetic(path: str, rules: list[str]) -> FileResult:
    findings = [
        Finding(
            path,
            rule,
            "warning",
            f"{rule} here",
            at,
            at + 1,
            1,
            at + 1,
            1,
            at + 2,
            Fix((Edit(at, at + 1),), True),
        )
        for at, rule in enumerate(rules)
    ]
    return FileResult(path, findings, "x" * len(rules))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abc"), min_size=0, max_size=8), max_size=12),
    st.integers(min_value=1, max_value=6),
)
def test_shown_findings_are_the_first_of_each_rule_in_page_order(
    files: list[list[str]], limit: int
) -> None:
    parts = [synthetic(f"f{number}.md", rules) for number, rules in enumerate(files)]
    findings = [finding for part in parts for finding in part.findings]
    report = Report(parts)
    doc = page(report, max_per_rule=limit)

    order = sorted(
        (part for part in parts if part.findings), key=lambda part: -len(part.findings)
    )  # stable: equal counts keep the run's order
    expected: dict[str, Counter[str]] = {}
    taken: Counter[str] = Counter()
    for part in order:
        counts: Counter[str] = Counter()
        for finding in part.findings:
            if taken[finding.rule] < limit:
                taken[finding.rule] += 1
                counts[finding.rule] += 1
        expected[part.path] = counts
    got = shown(doc)
    # Files with findings shown come first, then those with none (a table), each in order.
    listed = [path for path in expected if expected[path]]
    listed += [path for path in expected if not expected[path]]
    assert list(got) == listed
    assert got == expected
    total = doc.cssselect(".totals .tile-value")[2].text
    assert total == f"{len(findings):,}"


def test_cli_writes_the_page(tmp_path: Path) -> None:
    article = tmp_path / "posts" / "a.md"
    article.parent.mkdir()
    article.write_text(HEAD + "".join(f'<p style="s{n}">{n}</p>\n' for n in range(5)))
    target = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--no-cache",
            "--output-format",
            "html",
            "--output-file",
            str(target),
            "--html-max-per-rule",
            "2",
            str(tmp_path / "posts"),
        ],
    )
    assert result.exit_code == 1, result.output
    doc = lxml_html.fromstring(target.read_text(encoding="utf-8"))
    assert list(shown(doc).values()) == [Counter({"inline-style": 2})]
    assert "3 more findings here not shown" in doc.cssselect(".more")[0].text_content()
    facts = doc.cssselect(".facts")[0].text_content()
    assert str(tmp_path / "posts") in facts


def test_the_page_names_the_site_presets_that_applied(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('title = "x"\n')
    (site / "content" / "posts" / "a.md").write_text(HEAD + '<p style="a">x</p>\n')
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "b.md").write_text(HEAD + "Text.\n")
    target = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--output-format", "html", "-o", str(target), str(tmp_path)]
    )
    assert result.exit_code == 1, result.output
    facts = lxml_html.fromstring(target.read_text(encoding="utf-8")).cssselect(".facts")[0]
    preset = facts.text_content().split("Preset", 1)[1]
    assert f"hugo (site root {site}): 1 folder" in preset
    assert "none (the rules' defaults): 1 folder" in preset


def test_files_without_a_finding_shown_are_listed_up_to_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(html_report, "OTHER_FILES_LISTED", 2)
    parts = [synthetic(f"f{number}.md", ["a"] * (9 - number)) for number in range(6)]
    doc = page(Report(parts), max_per_rule=9)  # the first file shows them all
    assert [row.get("data-path") for row in doc.cssselect("#other-files .file")] == [
        "f1.md",
        "f2.md",
    ]
    note = doc.cssselect("#files .more")[-1].text_content()
    assert note.startswith("And 3 more files with 15 findings, not listed")
