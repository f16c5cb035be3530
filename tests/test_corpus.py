"""The bundled rules on real articles: the seed's exact findings, and the whole corpus.

- The seed article gives exactly the expected findings, each on the line where its defect
  string is in the file (found by searching the text, not copied from the tool's output).
- Every corpus file is linted and fixed without an internal error.
- ``contentlint --fix --unsafe-fixes`` on a copy of each corpus folder is idempotent,
  leaves nothing fixable, and changes only bytes inside the original findings' spans.
- The number of findings per folder and rule (with the default rules, and with each
  archive's example configuration) matches ``tests/snapshots/corpus_counts.json``.
  After a deliberate change, update the snapshot with::

      CONTENTLINT_UPDATE_SNAPSHOTS=1 pytest tests/test_corpus.py

  and review the diff of the JSON file like any other change.

The corpus is ``shared/corpus`` beside the repository (override with the environment
variable ``CONTENTLINT_CORPUS``); the tests that need it are skipped when it is absent.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import SEED_COUNTS, build_rules, corpus_dir, outside_kept

from lint.cli import main
from lint.document.positions import LineIndex
from lint.document.source import Source, read_source
from lint.engine.config import load_config
from lint.engine.findings import Finding
from lint.engine.fixer import fix_text
from lint.engine.linter import Linter
from lint.engine.presets import AUTO, site_rules, sites_for

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "sina-finance-fuwuhui.md"
EXAMPLES = REPO / "examples"
SNAPSHOT = Path(__file__).parent / "snapshots" / "corpus_counts.json"
UPDATE = os.environ.get("CONTENTLINT_UPDATE_SNAPSHOTS") == "1"


CORPUS = corpus_dir()
FOLDERS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
# Which example configuration applies to which corpus folder.
ARCHIVES = {
    "hugo-blog": "hugo-blog",
    "jekyll-news": "jekyll-news",
    "wechat": "wechat",
    "rsshub-page": "rsshub",
    "rsshub-page-extra": "rsshub",
    "rsshub-sina": "rsshub",
}
needs_corpus = pytest.mark.skipif(not FOLDERS, reason=f"corpus not found at {CORPUS}")


@cache
def default_linter() -> Linter:
    """The rules of a run without configuration, with the site preset that each corpus
    folder gets (the folders are bare article folders: wechat/ is a dump)."""
    rules = build_rules(load_config(None))
    sites = sites_for([str(CORPUS.resolve() / folder) for folder in FOLDERS], AUTO, ".")
    return Linter(rules, folders=site_rules(rules, sites, {}, "command line", "."))


@cache
def example_linter(archive: str) -> Linter:
    path = EXAMPLES / f"{archive}.contentlint.yaml"
    return Linter(build_rules(load_config(str(path))))


def corpus_files(folder: str) -> list[Path]:
    """The articles of a corpus folder: what ``contentlint FOLDER`` lints."""
    return sorted(p for p in (CORPUS / folder).iterdir() if p.suffix in (".md", ".markdown"))


def lint_function(linter: Linter, source: Source) -> Callable[[str], list[Finding]]:
    return lambda text: linter.lint(replace(source, text=text))


# --- the seed ---------------------------------------------------------------------------

# Each rule's defect as it is written in the seed; a finding is on the line where the
# pattern matches (group "at" when the finding starts inside the match).
SEED_DEFECTS = {
    "inline-style": r"<[a-z][^<>]*?\s(?P<at>cms-style|style|cms-width|cms-height)=",
    "tracking-comment": (
        r"<!--\s*(?:news_keyword_pub|正文下iframe|总声明|文末二维码|编辑姓名及工作代码)"
    ),
    "style-block": r"<style[\s>]",
    "tracking-attribute": r"\sdata-sudaclick=",
    "stock-keyword-span": r'<span id="stock_',
    "stock-quote-placeholder": r'<span id="quote_[^"]*"></span>',
    "promo-block": r'<div class="[^"]*\bappendQr_wrap\b',
}


def seed_expected_lines(text: str) -> dict[str, list[int]]:
    lines = LineIndex(text)
    expected: dict[str, list[int]] = {"front-matter-position": [1]}
    for rule, pattern in SEED_DEFECTS.items():
        found = []
        for match in re.finditer(pattern, text):
            offset = match.start("at") if "at" in match.groupdict() else match.start()
            found.append(lines.position(offset)[0])
        expected[rule] = found
    return expected


def test_seed_findings_exact() -> None:
    source = read_source(str(SEED))
    findings = default_linter().lint(source)
    assert Counter(finding.rule for finding in findings) == SEED_COUNTS
    expected = seed_expected_lines(source.text)
    assert {rule: len(lines) for rule, lines in expected.items()} == SEED_COUNTS
    for rule, lines in expected.items():
        assert sorted(f.line for f in findings if f.rule == rule) == lines, rule


def test_seed_with_its_archive_configuration() -> None:
    findings = example_linter("rsshub").lint(read_source(str(SEED)))
    assert Counter(finding.rule for finding in findings) == SEED_COUNTS


# --- the whole corpus -------------------------------------------------------------------


@needs_corpus
@pytest.mark.parametrize("folder", FOLDERS)
def test_corpus_lints_and_fixes_without_internal_error(folder: str) -> None:
    linters = [default_linter(), example_linter(ARCHIVES.get(folder, "rsshub"))]
    for path in corpus_files(folder):
        source = read_source(str(path))
        for linter in linters:
            linter.lint(source)
            fix_text(source.text, lint_function(linter, source), unsafe=True)  # no FixError
    for linter in linters:
        assert linter.failures == []


def _run_fix(folder: Path) -> list[dict[str, object]]:
    result = CliRunner().invoke(
        main, ["check", str(folder), "--fix", "--unsafe-fixes", "--output-format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@needs_corpus
@pytest.mark.parametrize("folder", FOLDERS)
def test_fix_corpus_copy(folder: str, tmp_path: Path) -> None:
    copy = tmp_path / folder
    shutil.copytree(CORPUS / folder, copy, copy_function=shutil.copyfile)  # writable copies
    (tmp_path / ".contentlint.yaml").write_text("ignore: []\n", encoding="utf-8")

    remaining = _run_fix(copy)
    assert [f for f in remaining if f["fixable"] is not None] == []

    linter = default_linter()
    for original_path in corpus_files(folder):
        fixed_path = copy / original_path.name
        original = read_source(str(original_path))
        fixed = fixed_path.read_bytes()
        if fixed == original.raw:
            continue
        problem = outside_kept(
            original.text, fixed.decode("utf-8").removeprefix("\ufeff"), linter.lint(original)
        )
        assert problem is None, f"{original_path.name}: {problem}"

    before = {path.name: path.read_bytes() for path in copy.iterdir()}
    again = _run_fix(copy)
    assert {path.name: path.read_bytes() for path in copy.iterdir()} == before
    assert again == remaining


# --- counts snapshot --------------------------------------------------------------------


def corpus_counts() -> dict[str, dict[str, dict[str, int]]]:
    counts: dict[str, dict[str, dict[str, int]]] = {"default": {}, "examples": {}}
    for folder in FOLDERS:
        for key, linter in (
            ("default", default_linter()),
            ("examples", example_linter(ARCHIVES.get(folder, "rsshub"))),
        ):
            counter: Counter[str] = Counter()
            for path in corpus_files(folder):
                counter.update(f.rule for f in linter.lint(read_source(str(path))))
            counts[key][folder] = dict(sorted(counter.items()))
    return counts


@needs_corpus
def test_corpus_counts_snapshot() -> None:
    counts = corpus_counts()
    if UPDATE or not SNAPSHOT.exists():
        SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
        SNAPSHOT.write_text(json.dumps(counts, indent=2, ensure_ascii=False) + "\n", "utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {SNAPSHOT.name} was missing and has been written; rerun")
    recorded = json.loads(SNAPSHOT.read_text("utf-8"))
    assert counts == recorded, (
        "per-rule corpus counts changed; if intended, rerun with CONTENTLINT_UPDATE_SNAPSHOTS=1"
    )


@needs_corpus
@pytest.mark.parametrize("folder", FOLDERS)
def test_truncated_articles_lint_without_internal_error(folder: str) -> None:
    """Cut every article at a few places (inside tags, comments, front matter, code) and
    lint the pieces: broken markup must never make a rule fail."""
    linter = Linter(build_rules(load_config(None)))
    for path in corpus_files(folder):
        source = read_source(str(path))
        text = source.text
        for fraction in (0.05, 0.3, 0.61, 0.97):
            cut = int(len(text) * fraction)
            for piece in (text[:cut], text[cut:]):
                linter.lint(replace(source, text=piece))
    assert linter.failures == []
