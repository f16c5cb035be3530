"""Where raw-text elements end, as a browser decides, and the first one that never does.

The content of ``<script>``, ``<style>``, ``<xmp>``, ``<iframe>``, ``<noembed>``,
``<noframes>``, ``<noscript>`` (raw text; ``<noscript>`` where scripting is on, as in
every browser a reader uses) and of ``<textarea>``, ``<title>`` (escapable raw text) is
not markup: the HTML tokenizer ends it only at an end tag of the same name, in any case,
followed by white space, ``/`` or ``>`` (``</script >``, ``</SCRIPT/``, but not
``</scripts>``). ``<plaintext>`` never ends. In HTML a start tag's ``/>`` closes nothing
(``<iframe src=x />`` stays open); only inside ``<svg>`` and ``<math>``, where these
names are foreign elements with ordinary content, is such a tag self-closing or the
element no raw text at all.

Markdown renderers pass raw HTML through in two ways: a line starting with the tag opens
an HTML block, and a tag inside a paragraph is inline HTML. Both reach the browser as
the tag, so a ``<script>`` in running text (``特征(<script>``) opens a script element as
much as one on its own line. What the renderer shows as code (fenced and indented code
blocks, code spans) is escaped: a start tag there opens nothing (the tokenizer never
reads it) and an end tag there ends nothing (``find_unclosed`` skips it).
"""

from __future__ import annotations

import re
from functools import cache

from lint.document.html import RAW_TEXT_ELEMENTS, Markup, Tag
from lint.document.markdown import CodeSpans, inside
from lint.document.tree import Element

# Elements whose content a browser reads as text up to their own end tag.
SWALLOWING_ELEMENTS = RAW_TEXT_ELEMENTS | {"noscript", "plaintext"}
_FOREIGN = frozenset({"svg", "math"})


@cache
def _end_tag(name: str) -> re.Pattern[str]:
    """The end tag that ends raw text of element ``name``: ``</name`` then white space,
    ``/`` or ``>`` (the tokenizer's "appropriate end tag")."""
    return re.compile("</" + re.escape(name) + r"[\t\n\f\r />]", re.IGNORECASE)


def find_unclosed(text: str, body_end: int, markup: Markup, elements: list[Element]) -> Tag | None:
    """The first raw-text start tag of the body that no end tag ends, or None.

    Only the first is of interest: everything after it is its content, hidden from the
    reader, including any later such tag."""
    foreign: list[tuple[int, int]] | None = None
    for tag in markup.tags:
        if tag.closing or tag.name not in SWALLOWING_ELEMENTS:
            continue
        if foreign is None:
            foreign = foreign_extents(elements)
        if foreign and inside(foreign, tag.start):
            continue
        if tag.name == "plaintext" or raw_text_end(text, tag, body_end, markup.code) < 0:
            return tag
    return None


def raw_text_end(text: str, tag: Tag, body_end: int, code: list[tuple[int, int]]) -> int:
    """Where the end tag that ends the raw text opened by ``tag`` starts, or -1 if none
    does before ``body_end``. End tags inside Markdown code (``code``, sorted, and the
    code spans that open after the tag) do not count."""
    spans: CodeSpans | None = None
    for match in _end_tag(tag.name).finditer(text, tag.end, body_end):
        at = match.start()
        if inside(code, at):
            continue
        if spans is None:
            spans = CodeSpans(text, tag.end, body_end)
        if not _in_code_span(text, spans, tag.end, at):
            return at
    return -1


def _in_code_span(text: str, spans: CodeSpans, start: int, offset: int) -> bool:
    """Whether ``offset`` falls inside a code span that opens between ``start`` and it
    (the tokenizer did not look for code spans inside raw text)."""
    position = text.find("`", start, offset)
    while position != -1:
        span_end = spans.end(position)
        if span_end > offset:
            return True
        if span_end < 0:  # an unmatched run of backticks: go past it
            while position < offset and text[position] == "`":
                position += 1
        else:
            position = span_end
        position = text.find("`", position, offset)
    return False


def foreign_extents(elements: list[Element]) -> list[tuple[int, int]]:
    """The extents of the outermost ``<svg>`` and ``<math>`` elements (foreign content,
    where HTML's rules on raw text and end tags do not apply), as sorted (start, end)."""
    extents: list[tuple[int, int]] = []
    for element in elements:
        if element.name in _FOREIGN and not (extents and element.start < extents[-1][1]):
            extents.append((element.start, element.end))
    return extents
