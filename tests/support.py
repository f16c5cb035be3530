"""What several test modules share: paths, the seed's expected counts, the corpus, the
check that fixing kept everything outside the findings, and a report made of records."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lint.engine.config import Config, configured_rules, select_rules
from lint.engine.findings import FileResult, Finding
from lint.engine.rules import Rule
from lint.engine.tally import Tally
from lint.reporters import Reporter

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "sina-finance-fuwuhui.md"
SEED_COUNTS = {
    "inline-style": 49,
    "tracking-comment": 11,
    "style-block": 1,
    "tracking-attribute": 1,
    "stock-keyword-span": 1,
    "stock-quote-placeholder": 1,
    "promo-block": 1,
    "front-matter-position": 1,
}
CLEAN_ARTICLE = """\
---
title: A clean article
date: 2021-09-01
author: Reporter
categories: [news]
---

<p>Plain paragraph with <a href="https://example.com/a?id=3">a link</a>.</p>

Some *Markdown* text.
"""
# Headless Chromium as the html report's tests and bench/html_report.py launch it: the
# system's browser (Playwright's download cannot work offline), quiet, with no sandbox
# (CI runs as root) and no background traffic of its own.
CHROMIUM = os.environ.get("CONTENTLINT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
JSON_KEYS = (
    "path",
    "rule",
    "severity",
    "message",
    "line",
    "column",
    "end_line",
    "end_column",
    "fixable",
)


def contentlint(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m lint --no-cache ARGS`` in ``cwd``, its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "lint", "--no-cache", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def corpus_dir() -> Path:
    """The real-article corpus: ``shared/corpus`` beside the repository (as CI lays it out),
    or ``$CONTENTLINT_CORPUS``."""
    override = os.environ.get("CONTENTLINT_CORPUS")
    return Path(override) if override else ROOT.parent / "shared" / "corpus"


def finding_span(text: str, finding: Finding) -> tuple[int, int]:
    """The finding's span, widened by its fix's edits over white space only (removing an
    attribute takes the blank before it, while the finding starts at its name)."""
    start, end = finding.start, finding.end
    for edit in finding.fix.edits if finding.fix else ():
        if edit.start < start and not text[edit.start : start].strip():
            start = edit.start
        if edit.end > end and not text[end : edit.end].strip():
            end = edit.end
    return start, end


def changed_regions(text: str, findings: list[Finding]) -> list[tuple[int, int]]:
    """Where fixing ``findings`` may change ``text``: their spans (``finding_span``),
    merged, and the fixable ones widened over the rest of their line(s) when only spaces
    and tabs are left there, with the line break: a fix that empties a line removes it
    (``lint.engine.tidy``), also when the fixes of two findings empty it together."""
    merged: list[tuple[int, int, bool]] = []
    for finding in sorted(findings, key=lambda f: finding_span(text, f)):
        start, end = finding_span(text, finding)
        fixable = finding.fix is not None
        if merged and not text[merged[-1][1] : start].strip(" \t"):
            last_start, last_end, last_fixable = merged[-1]
            merged[-1] = (last_start, max(end, last_end), last_fixable or fixable)
        else:
            merged.append((start, end, fixable))
    regions: list[tuple[int, int]] = []
    for start, end, fixable in merged:
        if fixable:
            start, end = _emptied_lines(text, start, end)
        if regions and start <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(end, regions[-1][1]))
        else:
            regions.append((start, end))
    return regions


def _emptied_lines(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = start
    while line_start > 0 and text[line_start - 1] in " \t":
        line_start -= 1
    line_end = end
    while line_end < len(text) and text[line_end] in " \t\r":
        line_end += 1
    if line_end < len(text) and text[line_end] == "\n":
        line_end += 1
    if (line_start == 0 or text[line_start - 1] == "\n") and (
        line_end == len(text) or text[line_end - 1] == "\n"
    ):
        return line_start, line_end
    return start, end


def outside_kept(original: str, fixed: str, findings: list[Finding]) -> str | None:
    """None if every stretch of ``original`` outside the findings (``changed_regions``) is
    in ``fixed``, in order and in place; otherwise what changed."""
    pieces: list[tuple[int, int]] = []
    position = 0
    for start, end in changed_regions(original, findings):
        if start > position:
            pieces.append((position, start))
        position = max(position, end)
    if position < len(original):
        pieces.append((position, len(original)))
    cursor = 0
    for start, end in pieces:
        piece = original[start:end]
        if start == 0:
            found = 0 if fixed.startswith(piece) else -1
        elif end == len(original):
            found = len(fixed) - len(piece) if fixed.endswith(piece) else -1
        else:
            found = fixed.find(piece, cursor)
        if found < cursor:
            return f"text outside the findings changed at offset {start}: {piece[:60]!r}"
        cursor = found + len(piece)
    return None


@dataclass
class Report:
    """What a run hands a reporter: one record per file, the rules, the options."""

    results: list[FileResult]
    rules: Mapping[str, Rule] = field(default_factory=dict)
    colour: bool = False
    quiet: bool = False

    @classmethod
    def of(
        cls,
        findings: Sequence[Finding],
        rules: Mapping[str, Rule] | None = None,
        texts: Mapping[str, str] | None = None,
        files: Sequence[str] = (),
        colour: bool = False,
        quiet: bool = False,
    ) -> Report:
        """One record per path of ``files``, then one per other path the findings name."""
        by_path: dict[str, list[Finding]] = {path: [] for path in files}
        for finding in findings:
            by_path.setdefault(finding.path, []).append(finding)
        texts = texts or {}
        results = [FileResult(path, found, texts.get(path, "")) for path, found in by_path.items()]
        return cls(results, rules or {}, colour, quiet)

    def write(self, reporter: Reporter) -> None:
        """Hand the records to ``reporter`` as a run does."""
        reporter.start()
        for result in self.results:
            reporter.file(result)
        reporter.finish(self.tally)

    @property
    def tally(self) -> Tally:
        tally = Tally(files=len(self.results))
        for result in self.results:
            tally.add(result.findings)
        return tally


def build_rules(
    config: Config,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    extra_dirs: Sequence[str] = (),
) -> list[Rule]:
    """The active rules of ``config``, as a run selects them."""
    return select_rules(configured_rules(config, extra_dirs), config, select, ignore)
