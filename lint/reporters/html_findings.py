"""One finding as HTML, for the ``html`` report: its head (severity, rule, fixability,
line and column), its message, the source lines around it with the span marked, and its
fix as a before/after diff of each edit.

Everything is clipped so that one finding stays small whatever the file looks like:
long lines show a window around the span, long spans their first and last lines, long
removed text its head and tail. Invisible characters (format and control characters,
lone surrogates) are shown as their code point, so a finding about a zero-width
character shows what it is about.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from html import escape

from lint.document.positions import LineIndex
from lint.engine.findings import Edit, Finding

CONTEXT_LINES = 2  # lines shown before and after the span
LINE_WIDTH = 160  # characters of a long line shown around the span
SPAN_LINES = 6  # a span over more lines shows its first and last few
EDIT_CONTEXT = 40  # characters shown either side of an edit
EDIT_WIDTH = 240  # characters of removed or inserted text shown
EDITS_SHOWN = 4  # edits shown of one fix
SEVERITY_SIGNS = {"error": "■", "warning": "▲", "info": "●"}
FIX_LABELS = {
    "safe": "safe fix (--fix)",
    "unsafe": "unsafe fix (--fix --unsafe-fixes)",
}
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def visible(text: str) -> str:
    """``text`` escaped for HTML, with invisible characters (but tab) shown as their code
    point in a ``<span class="cp">``, and line breaks as ``↵`` before the break."""
    if text.isprintable() or all(
        char == "\t" or unicodedata.category(char) not in _INVISIBLE for char in text
    ):
        return escape(text, quote=False)
    pieces = []
    for char in text:
        if char == "\n":
            pieces.append('<span class="cp" title="line break">↵</span>\n')
        elif char != "\t" and unicodedata.category(char) in _INVISIBLE:
            pieces.append(f'<span class="cp">U+{ord(char):04X}</span>')
        else:
            pieces.append(escape(char, quote=False))
    return "".join(pieces)


def clip(text: str, width: int = EDIT_WIDTH) -> str:
    """``text`` as HTML, its middle left out (and counted) if it is longer than ``width``."""
    if len(text) <= width:
        return visible(text)
    head, tail = width * 2 // 3, width // 3
    left_out = len(text) - head - tail
    return (
        f'{visible(text[:head])}<span class="gap">… {left_out:,} characters …</span>'
        f"{visible(text[-tail:])}"
    )


def finding_html(finding: Finding, index: LineIndex | None, text: str | None) -> str:
    """The ``<li>`` of one finding; ``index`` and ``text``: the file's text (the fixed
    text after ``--fix``), without which there is no excerpt and no diff."""
    fixable = finding.fixable or "none"
    severity = finding.severity
    sign = SEVERITY_SIGNS.get(severity, "")
    rule = escape(finding.rule)
    head = (
        f'<span class="sev sev-{severity}"><span aria-hidden="true">{sign}</span> {severity}</span>'
        f' <a class="rule" href="#rule-{rule}">{rule}</a>'
        f' <span class="where">line {finding.line}, column {finding.column}</span>'
    )
    if finding.fixable:
        head += f' <span class="fixable fix-{fixable}">{FIX_LABELS[fixable]}</span>'
    parts = [
        f'<li class="finding" data-rule="{rule}" data-sev="{severity}" data-fix="{fixable}">',
        f'<p class="head">{head}</p>',
        f'<p class="message">{escape(finding.message, quote=False)}</p>',
    ]
    if index is not None and text is not None:
        parts.append(excerpt_html(finding, index))
        if finding.fix is not None:
            parts.append(fix_html(finding, text))
    parts.append("</li>")
    return "".join(parts)


def _shown_lines(finding: Finding, line_count: int) -> Iterator[int | None]:
    """The line numbers of the excerpt; None where lines of a long span are left out."""
    first, last = finding.line, finding.end_line
    if last > first and finding.end_column == 1:
        last -= 1  # the span ends with a line break
    top = max(1, first - CONTEXT_LINES)
    bottom = min(line_count, last + CONTEXT_LINES)
    if last - first + 1 <= SPAN_LINES:
        yield from range(top, bottom + 1)
        return
    yield from range(top, first + SPAN_LINES // 2)
    yield None
    yield from range(last - SPAN_LINES // 2 + 1, bottom + 1)


def excerpt_html(finding: Finding, index: LineIndex) -> str:
    """The source lines around ``finding``, numbered, its span in ``<mark>``."""
    start, end = finding.start, finding.end
    rows = []
    for number in _shown_lines(finding, index.line_count):
        if number is None:
            rows.append('<span class="ln">⋮</span><span class="gap">lines left out</span>')
            continue
        line = index.line_text(number)
        line_start = index.line_start(number)
        mark_from = max(start, line_start) - line_start
        mark_to = min(end, line_start + len(line)) - line_start
        marked = start <= line_start + len(line) and end >= line_start and mark_from <= mark_to
        if start != end and mark_from == mark_to:
            marked = False  # the span only touches this line's break
        anchor = mark_from if marked else finding.column - 1
        window = max(0, min(anchor - LINE_WIDTH // 3, len(line) - LINE_WIDTH))
        limit = window + LINE_WIDTH
        before = "…" if window > 0 else ""
        after = "…" if limit < len(line) else ""
        if marked:
            inner_from, inner_to = max(mark_from, window), min(mark_to, limit)
            body = (
                f"{visible(line[window:inner_from])}<mark>{visible(line[inner_from:inner_to])}"
                f"</mark>{visible(line[inner_to:limit])}"
            )
        else:
            body = visible(line[window:limit])
        cls = ' class="hit"' if marked else ""
        rows.append(f'<span{cls}><span class="ln">{number}</span>{before}{body}{after}</span>')
    return f'<pre class="source">{"".join(rows)}</pre>'


def fix_html(finding: Finding, text: str) -> str:
    """The fix of ``finding`` as a before/after pair per edit, with the removed text in
    ``<del>`` and the inserted text in ``<ins>``."""
    assert finding.fix is not None
    edits = sorted(finding.fix.edits)
    rows = [_edit_rows(edit, text) for edit in edits[:EDITS_SHOWN]]
    more = len(edits) - EDITS_SHOWN
    note = f'<p class="gap">and {more} more edits</p>' if more > 0 else ""
    label = (
        "Fix: what <code>--fix</code>"
        if finding.fix.safe
        else ("Unsafe fix: what <code>--fix --unsafe-fixes</code>")
    )
    return (
        f'<div class="fix"><p class="fix-title">{label} changes</p>'
        f'<pre class="diff">{"".join(rows)}</pre>{note}</div>'
    )


def _edit_rows(edit: Edit, text: str) -> str:
    left_from = text.rfind("\n", max(0, edit.start - EDIT_CONTEXT), edit.start) + 1
    left_from = max(left_from, edit.start - EDIT_CONTEXT)
    right_to = text.find("\n", edit.end, edit.end + EDIT_CONTEXT)
    right_to = min(len(text), edit.end + EDIT_CONTEXT) if right_to < 0 else right_to
    left = ("…" if left_from > 0 and text[left_from - 1] != "\n" else "") + visible(
        text[left_from : edit.start]
    )
    right = visible(text[edit.end : right_to]) + (
        "…" if right_to < len(text) and text[right_to] != "\n" else ""
    )
    removed = text[edit.start : edit.end]
    old = f"<del>{clip(removed)}</del>" if removed else ""
    new = f"<ins>{clip(edit.replacement)}</ins>" if edit.replacement else ""
    minus = '<span class="sign" aria-label="before">&#8722;</span>'
    plus = '<span class="sign" aria-label="after">+</span>'
    return (
        f'<span class="old">{minus}{left}{old}{right}</span>'
        f'<span class="new">{plus}{left}{new}{right}</span>'
    )
