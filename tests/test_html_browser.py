"""The ``html`` report in a real browser: headless Chromium through Playwright.

The report of the real corpus (``shared/corpus``) and of the seed article is opened from
disk; the tests check the charts, the filters, a fix's diff, that the page makes no
network request and logs no error, and save a screenshot of the overview (its path is
printed) for people to look at.

They use the system's Chromium (``/usr/bin/chromium``, or ``$CONTENTLINT_CHROMIUM``):
Playwright's own browser download cannot work offline. Without it they are skipped,
except under CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import CHROMIUM, CHROMIUM_ARGS, ROOT, SEED, build_rules, corpus_dir

from lint.cli import main
from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.linter import Linter

OUTPUT = ROOT / "tests" / "output"  # screenshots (ignored by git)
IN_CI = os.environ.get("CI", "").lower() == "true"
INSTALL = "install it with: apt-get install chromium (or set $CONTENTLINT_CHROMIUM)"


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -e '.[test]'"
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: {INSTALL}"
    return None


MISSING = _missing()
if MISSING and IN_CI:
    raise RuntimeError(f"the browser tests must run under CI: {MISSING}")
pytestmark = pytest.mark.skipif(MISSING is not None, reason=MISSING or "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Opened:
    """A page with the report loaded, and what it asked the network for and logged."""

    def __init__(self, browser: Any, path: Path, scheme: str = "light") -> None:
        self.context = browser.new_context(
            viewport={"width": 1280, "height": 1000}, color_scheme=scheme
        )
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console", lambda message: message.type == "error" and self.errors.append(message.text)
        )
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.url = path.resolve().as_uri()
        self.page.goto(self.url, wait_until="load")


def write_report(target: Path, *args: str) -> Path:
    result = CliRunner().invoke(
        main,
        ["check", "--no-cache", "--output-format", "html", "--output-file", str(target), *args],
    )
    assert result.exit_code in (0, 1), result.output
    return target


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    corpus = corpus_dir()
    if not corpus.is_dir():
        pytest.skip(f"corpus not found at {corpus}")
    folder = tmp_path_factory.mktemp("html")
    report = write_report(folder / "report.html", str(corpus))
    result = CliRunner().invoke(
        main, ["check", "--no-cache", "--output-format", "json", str(corpus)]
    )
    return report, json.loads(result.output)


def test_charts_have_a_bar_and_label_per_rule_and_folder(
    browser: Any,
    corpus_report: tuple[Path, list[dict[str, Any]]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    report, findings = corpus_report
    opened = Opened(browser, report)
    page = opened.page
    by_rule = Counter(finding["rule"] for finding in findings)
    bars = page.locator("#rules-chart .bar")
    assert bars.count() == len(by_rule)
    labels = page.locator("#rules-chart .bar .label").all_text_contents()
    assert labels == sorted(by_rule, key=lambda rule: (-by_rule[rule], rule))
    widths = [bar.locator("rect").bounding_box()["width"] for bar in bars.all()]
    assert widths == sorted(widths, reverse=True)  # drawn, longest for the most findings
    assert widths[-1] > 0
    corpus = corpus_dir()
    tops = [Path(finding["path"]).relative_to(corpus).parts for finding in findings]
    folders = {parts[0] + "/" if len(parts) > 1 else "./" for parts in tops}
    assert set(page.locator("#folders-chart .bar .label").all_text_contents()) == folders
    assert opened.errors == []

    OUTPUT.mkdir(exist_ok=True)
    shots = []
    for scheme in ("light", "dark"):
        shown = Opened(browser, report, scheme)
        shot = OUTPUT / f"html-overview-{scheme}.png"
        shown.page.screenshot(path=str(shot))
        shots.append(shot)
        background = shown.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(255, 255, 255)") == (scheme == "light")
    with capsys.disabled():  # shown in every run's output, not only on failure
        print("\nscreenshots of the html report's overview: " + ", ".join(map(str, shots)))


def test_filter_by_rule_shows_only_that_rule(
    browser: Any, corpus_report: tuple[Path, list[dict[str, Any]]]
) -> None:
    report, findings = corpus_report
    page = Opened(browser, report).page
    rule = "style-block"
    expected = [finding for finding in findings if finding["rule"] == rule]
    page.select_option("#filter-rule", rule)
    visible = page.locator("#file-list .finding:visible")
    page.locator("#file-list details:visible").evaluate_all(
        "items => items.forEach(item => item.open = true)"
    )
    rules = set(visible.evaluate_all("items => items.map(item => item.dataset.rule)"))
    assert rules == {rule}
    files = {finding["path"] for finding in expected}
    assert page.locator("#files .file:visible").count() == len(files)
    status = page.locator("#filter-status").text_content()
    assert f"{len(expected):,} findings in {len(files):,} files" in status

    # The path filter, typed with the keyboard, narrows it further; Clear shows all again.
    folder = "rsshub-sina"
    page.locator("#filter-path").focus()
    page.keyboard.type(folder)
    shown = page.locator("#files .file:visible").evaluate_all(
        "items => items.map(item => item.dataset.path)"
    )
    assert shown
    assert all(folder in path for path in shown)
    assert len(shown) == len({path for path in files if folder in path})
    page.locator("button[type=reset]").click()
    # The rule filter with the keyboard alone: focus it, pick the next rule with an arrow.
    page.locator("#filter-rule").focus()
    page.keyboard.press("ArrowDown")
    first_rule = page.locator("#filter-rule").input_value()
    assert first_rule == sorted({finding["rule"] for finding in findings})[0]
    rules = page.locator("#file-list .finding").evaluate_all(
        "items => new Set(items.filter(item => !item.hidden && !item.closest('.file').hidden)"
        ".map(item => item.dataset.rule)).size"
    )
    assert rules == 1
    page.keyboard.press("ArrowUp")
    everything = len({finding["path"] for finding in findings})
    assert page.locator("#files .file:visible").count() == everything


def test_fix_diff_shows_the_removed_bytes_and_nothing_is_requested(
    browser: Any, tmp_path: Path
) -> None:
    text = SEED.read_text(encoding="utf-8")
    findings = Linter(build_rules(load_config(None))).lint(decode(str(SEED), text.encode()))
    finding = next(item for item in findings if item.rule == "inline-style")
    assert finding.fix is not None
    (edit,) = finding.fix.edits
    removed = text[edit.start : edit.end]

    opened = Opened(browser, write_report(tmp_path / "seed.html", str(SEED)))
    page = opened.page
    page.select_option("#filter-rule", "inline-style")
    page.locator("#file-list summary").first.click()
    first = page.locator("#file-list .finding:visible").first
    assert first.locator(".where").text_content() == (
        f"line {finding.line}, column {finding.column}"
    )
    assert first.locator(".diff del").text_content() == removed
    assert first.locator(".source mark").text_content() == text[finding.start : finding.end]
    first.locator("a.rule").click()
    assert page.evaluate("location.hash") == "#rule-inline-style"
    assert page.locator("#rule-inline-style").is_visible()
    assert opened.requests == [opened.url]
    assert opened.errors == []


def test_the_benchmark_measures_size_and_opening_time() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "html_report.py"),
            "--count",
            "5",
            "--runs",
            "1",
            "--corpus",
            str(ROOT / "no-corpus"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    header, row = done.stdout.splitlines()
    assert header.split()[:3] == ["archive", "run", "s"]
    assert row.startswith("5 generated articles")
    assert row.split()[-1] == "1"  # requests: the file itself
