"""Whole lines of prose whose text, stripped of decoration, is a known phrase.

The ``line`` kind looks at each line of the body that holds one of its ``markers``
(outside code, comments and raw text), strips its decoration (Markdown emphasis, heading,
list and quote markers, images, balanced HTML tags, entities and all white space) and
reports it when one of its ``patterns`` matches the WHOLE of what is left: a line that
merely contains the phrase inside a sentence is never reported.

A line matching one of ``list-headings`` (``推荐阅读``) is reported together with the
list of links that follows it, when every link of the list goes to an address matching
``list-links`` (the account's own articles), and the heading alone is not: a heading
before the author's own references stays.

The ``remove`` fix deletes the reported lines with their line ends. A line whose tags
are not balanced (it opens an element that another line closes) is never reported: its
removal would break the markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cached_property
from typing import ClassVar, NamedTuple

from lint.document.document import Document
from lint.document.html import Tag
from lint.document.images import unescape
from lint.document.markdown import inside
from lint.document.tree import VOID_ELEMENTS
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    REGEXES,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    RulePattern,
    shorten,
)

_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
_LEAD = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:#{1,6}[ \t]+|[*+-][ \t]+|\d{1,3}[.)][ \t]+)?")
_DECORATION = re.compile(r"[\s*_~`]+")
# What may stand between the links of a read-more list: white space, emphasis, quote
# and list markers, numbers, separators.
_LIST_GAP = re.compile("[\\s*_>+\\-·•|\uff5c、.\\d]*")


class _Span(NamedTuple):
    start: int
    end: int
    url: str


class _Layout:
    """What the line kind needs of a document: the regions whose lines are not prose,
    and the links (Markdown and ``<a>``) in document order."""

    __slots__ = ("hidden", "links", "tag_starts", "tags")

    def __init__(self, document: Document) -> None:
        markup = document.markup
        hidden = [*markup.code, *markup.raw_text, *markup.other]
        hidden.extend((comment.start, comment.end) for comment in markup.comments)
        self.hidden = sorted(hidden)
        self.tags = markup.tags
        self.tag_starts = [tag.start for tag in markup.tags]
        links = [
            _Span(link.start, link.end, link.url.strip())
            for link in document.links
            if not link.image
        ]
        for element in document.element_index.by_name.get("a", ()):
            href = element.tag.attribute("href")
            if element.end_tag is not None and href is not None:
                links.append(_Span(element.start, element.end, unescape(href.value or "").strip()))
        self.links = sorted(links)

    def line_tags(self, start: int, end: int) -> list[Tag]:
        index = bisect_left(self.tag_starts, start)
        found = []
        while index < len(self.tags) and self.tags[index].start < end:
            found.append(self.tags[index])
            index += 1
        return found


def _balanced(tags: list[Tag], start: int, end: int) -> bool:
    """Whether the tags between ``start`` and ``end`` close every element they open."""
    open_names: list[str] = []
    for tag in tags:
        if tag.end > end or tag.start < start:
            return False
        if tag.self_closing or tag.name in VOID_ELEMENTS:
            continue
        if not tag.closing:
            open_names.append(tag.name)
        elif open_names and open_names[-1] == tag.name:
            open_names.pop()
        else:
            return False
    return not open_names


def plain(text: str, tags: list[Tag], offset: int) -> str:
    """The text of a line (starting at ``offset``) without its decoration: tags, Markdown
    images, link destinations, emphasis, leading markers, entities and white space."""
    pieces, position = [], offset
    for tag in tags:
        pieces.append(text[position - offset : tag.start - offset])
        position = tag.end
    pieces.append(text[position - offset :])
    line = "".join(pieces)
    line = _LINK.sub(r"\1", _IMAGE.sub("", line))
    line = _LEAD.sub("", line, count=1)
    return _DECORATION.sub("", unescape(line)).replace("\u3000", "").replace("\xa0", "")


class LineKind(Kind):
    """Whole lines of prose matching a phrase; the fix removes the lines."""

    name = "line"
    summary = "whole lines of prose whose undecorated text matches a pattern"
    options: ClassVar[dict[str, Option]] = {
        "markers": Option(
            STRINGS,
            required=True,
            doc="substrings of which a line must hold one to be looked at",
        ),
        "patterns": Option(
            REGEXES,
            required=True,
            doc="regular expressions that must match the whole undecorated line "
            "(white space removed)",
        ),
        "list-headings": Option(
            REGEXES,
            (),
            doc="regular expressions matching a whole heading line that starts a list of "
            "links reported with it",
        ),
        "list-links": Option(
            REGEXES,
            (),
            doc="regular expressions one of which every link of such a list must match "
            "(searched in the URL)",
        ),
    }
    variables = frozenset({"text"})
    fix_actions = frozenset({"remove"})

    def validate(self) -> None:
        if self.settings["list-headings"] and not self.settings["list-links"]:
            raise OptionError("list-links", "'list-headings' needs 'list-links'")

    def needles(self) -> tuple[str, ...] | None:
        """The markers: a reported line holds one."""
        return tuple(self.settings["markers"])

    @cached_property
    def _markers(self) -> re.Pattern[str]:
        """Any of the markers (a line never holds one with a line break)."""
        markers: tuple[str, ...] = self.settings["markers"]
        return re.compile("|".join(re.escape(marker) for marker in markers if "\n" not in marker))

    def check(self, document: Document) -> Iterator[Hit]:
        text = document.text
        if not any("\n" not in marker for marker in self.settings["markers"]):
            return
        layout: _Layout | None = None
        body_start = document.body_start
        position = skip_to = body_start
        # Each line holding a marker, found by one search over the text.
        while (marker := self._markers.search(text, position)) is not None:
            start = max(body_start, text.rfind("\n", 0, marker.start()) + 1)
            end = text.find("\n", marker.start())
            end = len(text) if end == -1 else end
            position = end + 1
            if start < skip_to:
                continue
            layout = _Layout(document) if layout is None else layout
            hit = self._line(document, layout, start, end)
            if hit is not None:
                yield hit
                skip_to = hit.end

    def _line(self, document: Document, layout: _Layout, start: int, end: int) -> Hit | None:
        text = document.text
        first = start + len(text[start:end]) - len(text[start:end].lstrip())
        if first >= end or inside(layout.hidden, first):
            return None
        tags = layout.line_tags(start, end)
        if not _balanced(tags, start, end):
            return None
        words = plain(text[start:end].rstrip("\r"), tags, start)
        if not words:
            return None
        patterns: tuple[RulePattern, ...] = self.settings["patterns"]
        if any(pattern.fullmatches(words) for pattern in patterns):
            return self._hit(document, start, end, words)
        return self._read_more(document, layout, start, end)

    def _read_more(self, document: Document, layout: _Layout, start: int, end: int) -> Hit | None:
        """A read-more heading on the line at ``start``, with the links that follow it."""
        text = document.text
        index = bisect_left(layout.links, (start,))
        heading_end = layout.links[index].start if index < len(layout.links) else end
        heading_end = min(heading_end, end)
        tags = [tag for tag in layout.line_tags(start, heading_end) if tag.name != "a"]
        heading = plain(text[start:heading_end], tags, start)
        if not heading or not any(
            pattern.fullmatches(heading) for pattern in self.settings["list-headings"]
        ):
            return None
        list_end, count = heading_end, 0
        while index < len(layout.links):
            link = layout.links[index]
            gap = _without_tags(text, layout, list_end, link.start)
            if link.start < list_end or _LIST_GAP.fullmatch(gap) is None:
                break
            if not any(pattern.found_in(link.url) for pattern in self.settings["list-links"]):
                return None
            list_end, count, index = link.end, count + 1, index + 1
        if count == 0:
            return None
        line_end = text.find("\n", list_end)
        line_end = len(text) if line_end == -1 else line_end
        if _LIST_GAP.fullmatch(_without_tags(text, layout, list_end, line_end)) is not None:
            list_end = line_end
        return self._hit(document, start, list_end, heading)

    def _hit(self, document: Document, start: int, end: int, words: str) -> Hit:
        edits = None
        if self.fix_action == "remove":
            text = document.text
            removal_end = end + 1 if text.startswith("\n", end) else end
            edits = (Edit(start, removal_end),)
        return Hit(start, end, {"text": shorten(words, 40)}, edits)


def _without_tags(text: str, layout: _Layout, start: int, end: int) -> str:
    """``text[start:end]`` with its tags left out."""
    pieces, position = [], start
    for tag in layout.line_tags(start, end):
        if tag.end > end:
            break
        pieces.append(text[position : tag.start])
        position = tag.end
    pieces.append(text[position:end])
    return "".join(pieces)
