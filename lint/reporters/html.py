"""``html``: one self-contained page to look at (no network, no framework).

The page shows the run (version, date, configuration), the totals, a bar chart of
findings per rule and per folder, a filter form (rule, severity, fixability, path),
then one collapsible section per file with findings shown, most findings first, a table
of the files whose findings are all over the limit (at most ``OTHER_FILES_LISTED``),
and the documentation of every active rule, which the findings link to.

Bounded and streaming: at most ``max_per_rule`` findings of each rule are shown (the
first ones in the page's order; the counts are exact), and memory does not grow with
the findings. As files arrive, each file's section is written to a temporary file,
holding only the findings that can still be among the ones shown (``ShownLimit``);
the report keeps counters and an index of (order, offset) per file. At the end it
writes the overview, then copies the sections in order of their number of findings.
"""

from __future__ import annotations

import json
import os
import tempfile
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from html import escape
from importlib import resources
from typing import IO, Any, NamedTuple, TextIO

from lint import __version__
from lint.document.positions import LineIndex
from lint.engine.config import Config
from lint.engine.findings import FileResult
from lint.engine.rules import Rule
from lint.engine.tally import Tally
from lint.reporters import HTML_MAX_PER_RULE
from lint.reporters.base import Reporter, display_path, plural
from lint.reporters.html_findings import finding_html
from lint.reporters.html_overview import (
    Facts,
    facts_html,
    filters_html,
    folders_overview,
    number,
    rules_html,
    rules_overview,
    totals_html,
)


class HtmlSettings(NamedTuple):
    """What the page says about the run besides its findings, and its bound."""

    max_per_rule: int = HTML_MAX_PER_RULE
    paths: tuple[str, ...] = ()
    configuration: str = "none: the bundled defaults"
    settings: tuple[tuple[str, str], ...] = ()
    preset: str = "none"


OTHER_FILES_LISTED = 2000  # files without a finding shown, listed in a table


def settings_of(config: Config, paths: tuple[str, ...], max_per_rule: int) -> HtmlSettings:
    """What the page says about a run: its paths, its configuration and what it changes."""
    defaults = Config()
    settings = tuple(
        (key.replace("_", "-"), _setting_text(value))
        for key, value in config._asdict().items()
        if key not in ("path", "base_dir") and value != getattr(defaults, key)
    )
    configuration = config.path or "none found: the bundled defaults"
    return HtmlSettings(max_per_rule, paths, configuration, settings)


def _setting_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_setting_text(item)}" for key, item in value.items())
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return str(value)


Key = tuple[int, int]  # a file's place in the page: (-its findings, its place in the run)


class ShownLimit:
    """Which findings may still be among the first ``limit`` of their rule in the page's
    order (files with more findings first), while files still arrive in any order.

    For each rule it keeps the files seen so far that rank first, with their number of
    findings of the rule, until they add up to ``limit``. A new file can show at most
    ``limit`` less the findings of the rule in files ranked above it: files that come
    later can only add to that, so a finding left out now stays out."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._ranked: dict[str, list[tuple[Key, int]]] = {}

    def room(self, rule: str, key: Key, count: int) -> int:
        """How many of the first of a file's ``count`` findings of ``rule`` may be shown
        in the end; the file is counted (``key``: its place, unique)."""
        ranked = self._ranked.setdefault(rule, [])
        position = bisect_left(ranked, (key, 0))
        above = sum(found for _, found in ranked[:position])
        room = min(count, self.limit - above)
        if room <= 0:
            return 0
        insort(ranked, (key, count))
        total = 0
        for kept, (_, found) in enumerate(ranked):
            total += found
            if total >= self.limit:
                del ranked[kept + 1 :]  # ranked below enough findings: they never show
                break
        return room


class _Indexed(NamedTuple):
    key: Key
    offset: int
    length: int


class _Collector:
    """Reads the records once: counts, and each file's section candidates to ``spool``."""

    def __init__(self, spool: IO[bytes], limit: int) -> None:
        self.spool = spool
        self.limit = ShownLimit(limit)
        self.files = 0
        self.by_severity: Counter[str] = Counter()
        self.by_folder: dict[str, list[int]] = {}  # folder: [findings, files]
        self.index: list[_Indexed] = []
        # Each (rule, severity, fixability) seen, numbered: a file lists its kinds of
        # findings by number, for the page's filters.
        self.kinds: dict[str, int] = {}

    def add(self, result: FileResult) -> None:
        self.files += 1
        findings = result.findings
        if not findings:
            return
        key = (-len(findings), self.files)
        path = display_path(result.path)
        row = self.by_folder.setdefault(os.path.dirname(path), [0, 0])
        row[0] += len(findings)
        row[1] += 1
        found = Counter(
            (finding.rule, finding.severity, "none" if finding.fix is None else finding.fixable)
            for finding in findings
        )
        by_rule: Counter[str] = Counter()
        kinds: dict[int, int] = {}
        codes = self.kinds
        for (rule, severity, fixable), count in found.items():
            by_rule[rule] += count
            self.by_severity[severity] += count
            kinds[codes.setdefault(f"{rule}|{severity}|{fixable}", len(codes))] = count
        room = {rule: self.limit.room(rule, key, count) for rule, count in by_rule.items()}
        lines, text = LineIndex(result.text), result.text
        shown: list[tuple[str, str]] = []
        for finding in findings:
            if room[finding.rule] > 0:
                room[finding.rule] -= 1
                shown.append((finding.rule, finding_html(finding, lines, text)))
        record = {"path": path, "rules": by_rule, "kinds": kinds, "findings": shown}
        data = json.dumps(record).encode("ascii")
        self.index.append(_Indexed(key, self.spool.tell(), len(data)))
        self.spool.write(data)

    def ordered(self) -> list[_Indexed]:
        """The files with findings, most findings first."""
        return sorted(self.index)

    def record(self, entry: _Indexed) -> dict[str, Any]:
        self.spool.seek(entry.offset)
        return json.loads(self.spool.read(entry.length))  # type: ignore[no-any-return]

    def folders(self) -> tuple[str, list[tuple[str, int, int]]]:
        """The folder that holds every file with findings, and (folder, findings, files)
        for each folder right under it (relative to it)."""
        split = {folder: folder.split("/") if folder else [] for folder in self.by_folder}
        common = _common_head(list(split.values()))
        root = "/".join(common)
        grouped: dict[str, list[int]] = {}
        for folder, (count, files) in self.by_folder.items():
            parts = split[folder]
            label = parts[len(common)] + "/" if len(parts) > len(common) else "./"
            row = grouped.setdefault(label, [0, 0])
            row[0] += count
            row[1] += files
        return root, [(label, count, files) for label, (count, files) in grouped.items()]


def _common_head(lists: list[list[str]]) -> list[str]:
    """The longest list that starts every one of ``lists``."""
    head = lists[0] if lists else []
    for items in lists[1:]:
        size = 0
        while size < min(len(head), len(items)) and head[size] == items[size]:
            size += 1
        head = head[:size]
    return head


class HtmlReporter(Reporter):
    """The page: the files' sections are spooled as files finish, then written after the
    overview, which needs the totals."""

    needs_text = True

    def __init__(
        self,
        out: TextIO,
        rules: Mapping[str, Rule] | None = None,
        colour: bool = False,
        quiet: bool = False,
        settings: HtmlSettings | None = None,
    ) -> None:
        super().__init__(out, rules, colour, quiet)
        self.settings = settings or HtmlSettings()

    def start(self) -> None:
        # Closed in finish.
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115
        self.collector = _Collector(self.spool, self.settings.max_per_rule)

    def file(self, result: FileResult) -> None:
        self.collector.add(result)

    def finish(self, tally: Tally) -> None:
        with self.spool:
            settings, collector = self.settings, self.collector
            self.write(_top(tally, self.rules, settings, collector))
            limit = settings.max_per_rule
            shown: Counter[str] = Counter()
            others = []  # files none of whose findings are shown: listed after the others
            for entry in collector.ordered():
                record = collector.record(entry)
                items = _shown_items(record, shown, limit)
                if items:
                    self.write(_section(record, items, limit))
                else:
                    others.append(entry)
            self.write("</div>")
            if others:
                self.write(_others_top(len(others), limit))
                for entry in others[:OTHER_FILES_LISTED]:
                    self.write(_other_row(collector.record(entry)))
                self.write(_others_bottom(others[OTHER_FILES_LISTED:]))
            self.write(_bottom(tally, self.rules))


def _asset(name: str) -> str:
    return (resources.files("lint.reporters") / "assets" / name).read_text(encoding="utf-8")


def _top(
    tally: Tally, rules: Mapping[str, Rule], settings: HtmlSettings, collector: _Collector
) -> str:
    counts = tally.rules
    severities = {rule_id: rule.severity for rule_id, rule in rules.items()}
    facts = Facts(
        version=__version__,
        date=datetime.now(UTC).replace(microsecond=0).isoformat(),
        paths=settings.paths,
        configuration=settings.configuration,
        settings=settings.settings,
        preset=settings.preset,
        max_per_rule=settings.max_per_rule,
    )
    overview = [
        totals_html(
            collector.files,
            tally.files_with_findings,
            collector.by_severity,
            tally.safe,
            tally.unsafe,
            tally.errors,
        )
    ]
    if counts:
        overview.append('<div class="charts">')
        overview.append(rules_overview(counts, severities, settings.max_per_rule))
        overview.append(folders_overview(*collector.folders()))
        overview.append("</div>")
    else:
        overview.append('<p class="clean">No problems found.</p>')
    files = len(collector.index)
    kinds = " ".join(collector.kinds)  # in the order of their numbers
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        '<meta name="color-scheme" content="light dark">'
        f"<title>contentlint report: {number(tally.findings)} findings</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
        '<header><h1>contentlint report</h1><nav aria-label="Sections"><ul>'
        '<li><a href="#overview">Overview</a></li><li><a href="#files">Files</a></li>'
        '<li><a href="#rules">Rules</a></li></ul></nav>'
        f"{facts_html(facts)}</header><main>"
        f'<section id="overview" aria-labelledby="overview-title">'
        f'<h2 id="overview-title">Overview</h2>{"".join(overview)}</section>'
        f'<section id="files" aria-labelledby="files-title">'
        f'<h2 id="files-title">Files</h2><p class="lead">{plural(files, "file")} with findings, '
        "most findings first; open a file to see its findings, the source around them and "
        "what a fix changes.</p>"
        f"{filters_html(sorted(counts))}"
        f'<div id="file-list" data-kind-names="{escape(kinds)}">'
    )


def _shown_items(record: Mapping[str, Any], shown: Counter[str], limit: int) -> list[str]:
    """Of a file's stored findings, those still under the limit of their rule
    (``shown``: findings shown so far by rule, updated)."""
    counts: dict[str, int] = record["rules"]
    take = {rule: max(0, min(count, limit - shown[rule])) for rule, count in counts.items()}
    shown.update(take)
    items = []
    for rule, item in record["findings"]:
        if take[rule] > 0:
            take[rule] -= 1
            items.append(item)
    return items


def _file_attributes(record: Mapping[str, Any]) -> str:
    """The attributes the filters read: the path and the kinds of findings with counts."""
    kinds = " ".join(f"{code}:{count}" for code, count in record["kinds"].items())
    return f'class="file" data-path="{escape(record["path"])}" data-kinds="{kinds}"'


def _by_rule(record: Mapping[str, Any]) -> str:
    counts: dict[str, int] = record["rules"]
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    return ", ".join(f"{escape(rule)} {count}" for rule, count in ranked)


def _section(record: Mapping[str, Any], items: list[str], limit: int) -> str:
    """One file's collapsible section with the findings shown of it."""
    total = sum(record["rules"].values())
    return (
        f"<section {_file_attributes(record)}>"
        f'<details><summary><h3 class="path">{escape(record["path"])}</h3>'
        f'<span class="file-count">{plural(total, "finding")}</span>'
        f'<span class="file-rules">{_by_rule(record)}</span></summary>'
        f'<ol class="findings">{"".join(items)}</ol>'
        f"{_hidden_note(total - len(items), limit)}</details></section>"
    )


def _others_top(count: int, limit: int) -> str:
    return (
        '<h3 id="other-files-title">Files whose findings are all over the limit</h3>'
        f'<p class="lead">{plural(count, "file")}, most findings first: the page shows at '
        f"most {number(limit)} findings of each rule (<code>--html-max-per-rule</code>), "
        "from the files above.</p>"
        '<table id="other-files" aria-labelledby="other-files-title"><thead><tr>'
        '<th scope="col">File</th><th scope="col">Findings</th><th scope="col">By rule</th>'
        "</tr></thead><tbody>"
    )


def _other_row(record: Mapping[str, Any]) -> str:
    total = sum(record["rules"].values())
    return (
        f'<tr {_file_attributes(record)}><th scope="row" class="path">'
        f'{escape(record["path"])}</th><td class="num">{number(total)}</td>'
        f'<td class="file-rules">{_by_rule(record)}</td></tr>'
    )


def _others_bottom(unlisted: list[_Indexed]) -> str:
    note = ""
    if unlisted:
        findings = sum(-entry.key[0] for entry in unlisted)
        note = (
            f'<p class="more">And {plural(len(unlisted), "more file")} with '
            f"{plural(findings, 'finding')}, not listed (counted in the overview; "
            "the filters do not see them).</p>"
        )
    return f"</tbody></table>{note}"


def _hidden_note(hidden: int, limit: int) -> str:
    if hidden <= 0:
        return ""
    return (
        f'<p class="more">{plural(hidden, "more finding")} here not shown: the page shows '
        f"at most {number(limit)} findings of each rule, from the files above first "
        "(<code>--html-max-per-rule</code>).</p>"
    )


def _bottom(tally: Tally, by_id: Mapping[str, Rule]) -> str:
    counts = tally.rules
    rules = sorted(by_id.values(), key=lambda rule: (-counts.get(rule.id, [0])[0], rule.id))
    return (
        "</section>"
        '<section id="rules" aria-labelledby="rules-title"><h2 id="rules-title">Rules</h2>'
        f"{rules_html(rules, counts)}</section></main>"
        f"<footer><p>Written by contentlint {escape(__version__)}. This page makes no network "
        "requests.</p></footer>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
