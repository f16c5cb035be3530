"""The top and the bottom of the ``html`` report: the run's facts, the totals, the bar
charts (inline SVG, each with the same numbers as a table beside it), the filter form,
and the documentation of the rules that the findings link to.

Everything here is formatting of counts the report has already gathered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import NamedTuple

from lint.engine.findings import SEVERITIES
from lint.engine.rules import Rule
from lint.reporters.base import plural
from lint.reporters.html_findings import FIX_LABELS, SEVERITY_SIGNS

CHART_WIDTH = 560
LABEL_WIDTH = 200
VALUE_WIDTH = 120
ROW_HEIGHT = 24
LABEL_CHARACTERS = 26  # longer labels are cut (the whole label is the bar's tooltip)
FOLDER_BARS = 20  # folders drawn; the rest are one bar "other folders"


class Bar(NamedTuple):
    """One bar of a chart: its label, its length and the text after it. ``severity``
    draws the severity's sign before the label."""

    label: str
    value: int
    note: str
    severity: str = ""


class Facts(NamedTuple):
    """What the run was: shown at the top of the report."""

    version: str
    date: str  # ISO 8601, UTC
    paths: tuple[str, ...]
    configuration: str  # the file's path, or how the defaults were chosen
    settings: tuple[tuple[str, str], ...]  # configuration keys set, as text
    preset: str
    max_per_rule: int


def number(value: int) -> str:
    return f"{value:,}"


def bar_chart(chart_id: str, title: str, bars: Sequence[Bar]) -> str:
    """A horizontal bar chart as inline SVG, longest bar first as given; each bar is a
    ``<g class="bar">`` with a ``<title>`` that says all of it."""
    height = ROW_HEIGHT * max(1, len(bars)) + 8
    widest = max((bar.value for bar in bars), default=0) or 1
    span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = []
    for row, bar in enumerate(bars):
        y = 4 + row * ROW_HEIGHT
        length = max(2.0, span * bar.value / widest)
        label = bar.label
        if len(label) > LABEL_CHARACTERS:
            label = "…" + label[-(LABEL_CHARACTERS - 1) :]
        sign = ""
        if bar.severity:
            sign = (
                f'<text class="sign sign-{bar.severity}" x="4" y="{y + 16}" aria-hidden="true">'
                f"{SEVERITY_SIGNS.get(bar.severity, '')}</text>"
            )
        tip = f"{bar.label}: {bar.note}"
        rows.append(
            f'<g class="bar" data-label="{escape(bar.label)}"><title>{escape(tip)}</title>{sign}'
            f'<text class="label" x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect class="fill {"sev-" + bar.severity if bar.severity else "plain"}" '
            f'x="{LABEL_WIDTH}" y="{y + 3}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" rx="2"/>'
            f'<text class="value" x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 16}">'
            f"{escape(bar.note)}</text></g>"
        )
    body = "".join(rows)
    return (
        f'<svg id="{chart_id}" class="chart" role="img" aria-labelledby="{chart_id}-title" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{chart_id}-title">{escape(title)}</title>{body}</svg>'
    )


def table(caption: str, head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain table; cells are HTML already, numeric columns are those after the first."""
    header = "".join(f'<th scope="col">{cell}</th>' for cell in head)
    body = "".join(
        "<tr>"
        + f'<th scope="row">{row[0]}</th>'
        + "".join(f'<td class="num">{cell}</td>' for cell in row[1:])
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{header}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def facts_html(facts: Facts) -> str:
    """The run: version, date, paths, configuration and preset, as a definition list."""
    settings = "".join(
        f"<li><code>{escape(key)}</code>: {escape(value)}</li>" for key, value in facts.settings
    )
    items = [
        ("contentlint", escape(facts.version)),
        ("Run", f'<time datetime="{escape(facts.date)}">{escape(facts.date)}</time>'),
        ("Paths", " ".join(f"<code>{escape(path)}</code>" for path in facts.paths)),
        (
            "Configuration",
            escape(facts.configuration) + (f"<ul>{settings}</ul>" if settings else ""),
        ),
        ("Preset", escape(facts.preset)),
        ("Findings shown", f"at most {number(facts.max_per_rule)} per rule (counts are exact)"),
    ]
    rows = "".join(f"<div><dt>{term}</dt><dd>{value}</dd></div>" for term, value in items)
    return f'<dl class="facts">{rows}</dl>'


def totals_html(
    files: int,
    files_with_findings: int,
    by_severity: Mapping[str, int],
    safe: int,
    unsafe: int,
    errors: int,
) -> str:
    """The headline counts, one tile each."""
    total = sum(by_severity.values())
    tiles = [
        ("Files checked", number(files), ""),
        ("Files with findings", number(files_with_findings), ""),
        ("Findings", number(total), ""),
    ]
    for severity in SEVERITIES:
        sign = f'<span aria-hidden="true">{SEVERITY_SIGNS[severity]}</span> '
        tiles.append(
            (
                f"{sign}{severity.capitalize()}s",
                number(by_severity.get(severity, 0)),
                f"sev-{severity}",
            )
        )
    tiles.append(("Safe fixes (<code>--fix</code>)", number(safe), "fix-safe"))
    tiles.append(("Unsafe fixes", number(unsafe), "fix-unsafe"))
    if errors:
        tiles.append(("Files not checked (errors)", number(errors), "sev-error"))
    cells = "".join(
        f'<li class="tile {css}"><span class="tile-value">{value}</span>'
        f'<span class="tile-label">{label}</span></li>'
        for label, value, css in tiles
    )
    return f'<ul class="totals">{cells}</ul>'


def rules_overview(
    counts: Mapping[str, Sequence[int]], severities: Mapping[str, str], max_per_rule: int
) -> str:
    """The chart of findings per rule, most first, and the same as a table.
    ``counts``: rule id → [findings, safely fixable, fixable only unsafely]."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    bars = []
    rows = []
    for rule, (count, safe, unsafe) in ranked:
        severity = severities.get(rule, "")
        fixable = safe + unsafe
        note = "all fixable" if fixable == count else f"{number(fixable)} fixable"
        bars.append(
            Bar(rule, count, f"{number(count)} ({note})" if fixable else number(count), severity)
        )
        rows.append(
            (
                f'<a href="#rule-{escape(rule)}">{escape(rule)}</a>',
                escape(severity),
                number(count),
                number(safe),
                number(unsafe),
                number(min(count, max_per_rule)),
            )
        )
    chart = bar_chart("rules-chart", "Findings per rule", bars)
    data = table(
        "Findings per rule",
        ["Rule", "Severity", "Findings", "Safe fixes", "Unsafe fixes", "Shown below"],
        rows,
    )
    legend = " ".join(
        f'<span class="sev-{severity}">{SEVERITY_SIGNS[severity]}</span> {severity}'
        for severity in SEVERITIES
    )
    return _figure("Findings per rule", chart, data, f'<span class="legend">{legend}</span>')


def folders_overview(root: str, folders: Sequence[tuple[str, int, int]]) -> str:
    """The chart of findings per folder of ``root``, most first, and the same as a table.
    ``folders``: (folder, findings, files with findings)."""
    ranked = sorted(folders, key=lambda item: (-item[1], item[0]))
    if len(ranked) > FOLDER_BARS:
        rest = ranked[FOLDER_BARS - 1 :]
        ranked = [
            *ranked[: FOLDER_BARS - 1],
            (
                f"{len(rest)} other folders",
                sum(item[1] for item in rest),
                sum(item[2] for item in rest),
            ),
        ]
    bars = [
        Bar(folder, count, f"{number(count)} in {plural(files, 'file')}")
        for folder, count, files in ranked
    ]
    title = f"Findings per folder of {root or '.'}"
    chart = bar_chart("folders-chart", title, bars)
    data = table(
        title,
        ["Folder", "Findings", "Files with findings"],
        ((escape(folder), number(count), number(files)) for folder, count, files in ranked),
    )
    return _figure(title, chart, data)


def _figure(title: str, chart: str, data: str, legend: str = "") -> str:
    return (
        f'<figure class="chart-box">{chart}<figcaption>{escape(title)}{legend}</figcaption>'
        f"<details><summary>{escape(title)} as a table</summary>{data}</details></figure>"
    )


def filters_html(rules: Iterable[str]) -> str:
    """The filter form; the page's script applies it as it changes."""
    options = "".join(f'<option value="{escape(rule)}">{escape(rule)}</option>' for rule in rules)
    severities = "".join(
        f'<option value="{severity}">{severity}</option>' for severity in SEVERITIES
    )
    fixes = "".join(
        f'<option value="{value}">{escape(label)}</option>'
        for value, label in [*FIX_LABELS.items(), ("none", "not fixable")]
    )
    return (
        '<form id="filters" class="filters" role="search" aria-label="Filter findings">'
        '<label>Rule <select id="filter-rule" name="rule"><option value="">all rules</option>'
        f"{options}</select></label>"
        '<label>Severity <select id="filter-severity" name="severity">'
        f'<option value="">all severities</option>{severities}</select></label>'
        '<label>Fix <select id="filter-fix" name="fix">'
        f'<option value="">fixable or not</option>{fixes}</select></label>'
        '<label>Path <input id="filter-path" name="path" type="search" '
        'placeholder="part of a path" autocomplete="off"></label>'
        '<div class="actions"><button type="reset">Clear</button>'
        '<button type="button" id="expand-all">Expand all</button>'
        '<button type="button" id="collapse-all">Collapse all</button></div>'
        '<p id="filter-status" class="status" role="status" aria-live="polite"></p></form>'
    )


_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    escaped = escape(" ".join(text.split()), quote=False)
    return _CODE.sub(r"<code>\1</code>", escaped)


def description_html(description: str) -> str:
    """A rule's description (plain text with a little Markdown: paragraphs, indented
    examples, lists and `code`) as HTML."""
    blocks = []
    for block in re.split(r"\n\s*\n", description.strip("\n")):
        lines = block.split("\n")
        if all(line.startswith("    ") or not line.strip() for line in lines):
            code = escape("\n".join(line[4:] for line in lines), quote=False)
            blocks.append(f"<pre><code>{code}</code></pre>")
        elif all(line.lstrip().startswith(("- ", "* ")) for line in lines):
            items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{_inline(block)}</p>")
    return "".join(blocks)


def rules_html(rules: Iterable[Rule], counts: Mapping[str, Sequence[int]]) -> str:
    """The documentation of each rule, the anchor that findings link to."""
    articles = []
    for rule in rules:
        fix = FIX_LABELS.get(rule.fixable or "", "no fix")
        found = counts.get(rule.id, (0,))[0]
        articles.append(
            f'<article id="rule-{escape(rule.id)}" class="rule-doc"><h3>{escape(rule.id)}</h3>'
            f'<p class="rule-meta">{escape(rule.severity)} · kind <code>{escape(rule.kind_name)}'
            f"</code> · {escape(fix)} · {number(found)} findings in this run</p>"
            f"{description_html(rule.description)}</article>"
        )
    return "".join(articles)
