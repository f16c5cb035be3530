"""A tolerant HTML tokenizer that keeps exact offsets.

Article bodies mix Markdown and raw HTML copied from news pages, often broken. This
scanner finds start tags (with every attribute's name and value spans), end tags and
comments, skipping Markdown code and the raw text inside ``<style>``/``<script>``.
It never raises: whatever it cannot read as markup is text.

One regular-expression search goes from token to token and matches the common tags
whole: those that hold no ``<`` after the first. Whatever else starts with ``<`` (or a
backtick) is read by a careful scanner, which gives the same tokens for the tags the
search matches. A start tag's parse is kept by its text, as articles repeat the same
few tags (``<p class="x">``) many times.

The scan takes linear time on any input. The search's attempt at a ``<`` stops at the
next ``<``. The cases that would be quadratic if done naively are remembered per stretch
of text: a ``<`` that never reaches a ``>`` (stray ``<a`` or ``<!`` repeated), start tags
that are never closed (each later one would re-read the same attributes to the end of
the text), runs of unmatched backticks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lint.document.markdown import CodeSpans, compile_once

RAW_TEXT_ELEMENTS = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes"}
)

# The careful scanner's patterns, compiled on first use (most bodies never need them).
_TAG_NAME = r"[A-Za-z][^\s/>]*"
_ATTRIBUTE = (
    r"""[\s/]*(?P<name>[^\s/>"'=][^\s/>"'=]*)"""
    r"""(?:\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<uq>[^\s>]+)))?"""
)
_TAG_TAIL = r"[\s/]*"

# A tag that holds no "<" after its first character, in parts: attributes separated by
# ASCII white space, their names, unquoted values. Possessive throughout: such a tag is
# read one way only, and a miss costs one pass up to the next "<".
_SPACE = r"[ \t\r\n\f]"
_ATTRIBUTE_NAME = r"""[^\s/>"'=<][^\s/>"'=<]*+"""
_UNQUOTED = r"""[^\s<>"'][^\s<>]*+"""
# The scan's search (_TOKEN): the next "<" or backtick and, at a "<", a whole start tag (groups
# name, attributes and slash, the last to match) or end tag (group end_name). An end tag
# is its name, then anything up to the first ">". The careful scanner (_start_tag,
# _end_tag) reads the tags matched here the same way; the tests compare the two.
_MARKUP_TOKEN = (
    rf"""<(?:(?P<name>[A-Za-z][^\s/<>]*+)"""
    rf"""(?P<attributes>(?:{_SPACE}++{_ATTRIBUTE_NAME}"""
    rf"""(?:\s*+=\s*+(?:"[^"<]*+"|'[^'<]*+'|{_UNQUOTED}))?+)*+){_SPACE}*+(?P<slash>/?)>"""
    r"""|/(?P<end_name>[A-Za-z][^\s/<>]*+)[^<>]*+>)?"""
)
_TOKEN = re.compile(_MARKUP_TOKEN + "|`")
# The same search for a stretch without backticks (most bodies): a pattern that starts
# with the literal "<" lets the regular expression engine skip to each "<".
_MARKUP_ONLY_TOKEN = re.compile(_MARKUP_TOKEN)
# One attribute of a start tag matched by _TOKEN. Groups name, double-quoted, single-quoted
# and unquoted value, numbered 1 to 4 as in _ATTRIBUTE.
_TOKEN_ATTRIBUTE = re.compile(
    rf"""{_SPACE}++({_ATTRIBUTE_NAME})"""
    rf"""(?:\s*+=\s*+(?:"([^"<]*+)"|'([^'<]*+)'|({_UNQUOTED})))?+"""
)
_WHITESPACE = " \t\r\n\f"
# Start tags up to this length are parsed once per process (see _remembered_start_tag).
_REMEMBERED_TAG_LENGTH = 512


class Attribute(NamedTuple):
    """One attribute. ``start`` includes the whitespace before the name, so that
    ``text[start:end]`` is exactly what removing the attribute deletes."""

    name: str
    value: str | None
    start: int
    name_start: int
    end: int
    value_start: int
    value_end: int


class Tag(NamedTuple):
    """A start tag (``closing`` false) or an end tag, ``text[start:end]``."""

    name: str
    start: int
    end: int
    closing: bool = False
    self_closing: bool = False
    attributes: tuple[Attribute, ...] = ()

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


class Comment(NamedTuple):
    """``<!-- ... -->``; ``closed`` is false when the comment runs to the end of the text."""

    start: int
    end: int
    content_start: int
    content_end: int
    closed: bool = True


@dataclass
class Markup:
    """All markup of a body, in document order, plus the regions that are not markup."""

    tags: list[Tag]
    comments: list[Comment]
    code: list[tuple[int, int]]  # Markdown code blocks and spans
    raw_text: list[tuple[int, int]]  # contents of <style>, <script>, ...
    other: list[tuple[int, int]]  # doctypes, processing instructions, CDATA


def tokenize(text: str, start: int, end: int, code_blocks: list[tuple[int, int]]) -> Markup:
    """Tokenize ``text[start:end]``, leaving the sorted ``code_blocks`` alone.

    A comment that opens before a code block and closes after it hides the block: the
    scan goes on after the comment, not inside it.
    """
    markup = Markup([], [], list(code_blocks), [], [])
    position = start
    for block_start, block_end in [*code_blocks, (end, end)]:
        if block_end <= position and block_start < end:
            continue  # inside a comment already read
        if position < block_start:
            reached = _scan_segment(text, position, block_start, end, markup)
            if reached < 0:
                break  # an unclosed comment swallowed the rest
            position = reached
        position = max(position, block_end)
    markup.code.sort()
    return markup


class _Stretch:
    """What the scan of one stretch remembers to stay linear."""

    def __init__(self, text: str, start: int, limit: int) -> None:
        self.text, self.start, self.limit = text, start, limit
        self.code_spans = CodeSpans(text, start, limit)
        self._gt_from, self._gt_at = limit + 1, -1
        # Offsets where the attribute loop of a start tag never reaches its '>': any start
        # tag whose loop arrives there fails the same way (the loop's state is the offset).
        self.doomed: bytearray | None = None

    def find_gt(self, pos: int) -> int:
        """``text.find(">", pos, limit)``, remembering the answer for later offsets."""
        if not (self._gt_from <= pos and (self._gt_at == -1 or self._gt_at >= pos)):
            self._gt_from, self._gt_at = pos, self.text.find(">", pos, self.limit)
        return self._gt_at

    def is_doomed(self, pos: int) -> bool:
        return self.doomed is not None and pos < self.limit and self.doomed[pos - self.start] == 1

    def doom(self, offsets: list[int]) -> None:
        if self.doomed is None:
            self.doomed = bytearray(self.limit - self.start)
        for offset in offsets:
            if offset < self.limit:
                self.doomed[offset - self.start] = 1


def _scan_segment(text: str, pos: int, limit: int, end: int, markup: Markup) -> int:
    """Scan one stretch between code blocks. Returns where scanning stopped (at least
    ``limit``; more when a comment ran past it), or -1 if the text ended in a comment."""
    tags = markup.tags
    stretch = _Stretch(text, pos, limit)
    token = _TOKEN if text.find("`", pos, limit) != -1 else _MARKUP_ONLY_TOKEN
    while pos < limit:
        # The search goes on from the end of each token, except after raw text or a token
        # that the careful scanner read differently: it starts again from there.
        for found in token.finditer(text, pos, limit):
            kind = found.lastgroup
            if kind == "end_name":  # a whole end tag
                here, pos = found.span()
                tags.append(
                    Tag(name=found.group("end_name").lower(), start=here, end=pos, closing=True)
                )
                continue
            if kind == "slash":  # a whole start tag
                pos = _whole_start_tag(text, found, limit, markup)
            else:
                pos = _token(text, found.start(), stretch, end, markup)
                if pos < 0:
                    return -1
            if pos != found.end():
                break
        else:
            break  # no token up to the limit
    return max(pos, limit)


def _token(text: str, here: int, stretch: _Stretch, end: int, markup: Markup) -> int:
    """Read the token at ``here`` (a "<" or a backtick) that ``_TOKEN`` did not match whole.
    Returns where the scan goes on, or -1 if the text ended in a comment."""
    limit = stretch.limit
    if text[here] == "`":
        span_end = stretch.code_spans.end(here)
        if span_end > 0:
            markup.code.append((here, span_end))
            return span_end
        pos = here + 1
        while pos < limit and text[pos] == "`":
            pos += 1
        return pos
    following = text[here + 1 : here + 2]
    if text.startswith("<!--", here):
        comment = _comment(text, here, end)
        markup.comments.append(comment)
        return comment.end if comment.closed else -1
    if following == "/":
        if compile_once(_TAG_NAME).match(text, here + 2, limit):
            return _end_tag(text, here, stretch, markup)
        return here + 1
    if following.isascii() and following.isalpha():
        return _start_tag(text, here, stretch, markup)
    if following in ("!", "?"):
        close = stretch.find_gt(here)
        if close == -1:
            return here + 1
        markup.other.append((here, close + 1))
        return close + 1
    return here + 1


def _comment(text: str, start: int, end: int) -> Comment:
    content_start = start + 4
    for abrupt in (">", "->"):
        if text.startswith(abrupt, content_start):
            stop = content_start + len(abrupt)
            return Comment(start, stop, content_start, content_start)
    close = text.find("-->", content_start, end)
    if close == -1:
        return Comment(start, end, content_start, end, closed=False)
    return Comment(start, close + 3, content_start, close)


def _end_tag(text: str, start: int, stretch: _Stretch, markup: Markup) -> int:
    name = compile_once(_TAG_NAME).match(text, start + 2, stretch.limit)
    assert name is not None
    close = stretch.find_gt(name.end())
    if close == -1:
        return start + 1
    markup.tags.append(Tag(name.group().lower(), start, close + 1, True, False, ()))
    return close + 1


def _start_tag(text: str, start: int, stretch: _Stretch, markup: Markup) -> int:
    """The careful scanner's start tag at ``start``; returns where the scan goes on."""
    limit = stretch.limit
    name_match = compile_once(_TAG_NAME).match(text, start + 1, limit)
    assert name_match is not None
    name = name_match.group().lower()
    attributes: list[Attribute] = []
    attribute_pattern, tail_pattern = compile_once(_ATTRIBUTE), compile_once(_TAG_TAIL)
    pos = name_match.end()
    visited: list[int] = []
    while True:
        if stretch.is_doomed(pos):
            stretch.doom(visited)
            return start + 1  # never closed, as an earlier tag found from here
        visited.append(pos)
        attribute = attribute_pattern.match(text, pos, limit)
        if attribute is None:
            tail = tail_pattern.match(text, pos, limit)
            assert tail is not None
            pos = tail.end()
            if pos >= limit:
                stretch.doom(visited)
                return start + 1  # never closed: not a tag
            if text[pos] == ">":
                break
            pos += 1  # a stray quote or '=': skip it, as browsers do
            continue
        attributes.append(_make_attribute(text, attribute, pos))
        pos = attribute.end()
    # "/" just before ">" makes a self-closing tag, unless it ends an unquoted value
    # (``<span id=x/>`` is an open span whose id is "x/").
    last = attributes[-1] if attributes else None
    unquoted_end = (
        last is not None
        and last.end == pos
        and last.value is not None
        and text[last.value_start - 1 : last.value_start] not in ('"', "'")
    )
    self_closing = text[pos - 1] == "/" and not unquoted_end
    tag = Tag(name, start, pos + 1, False, self_closing, tuple(attributes))
    markup.tags.append(tag)
    pos += 1
    if name in RAW_TEXT_ELEMENTS and not self_closing:
        pos = _raw_text(text, name, pos, limit, markup)
    return pos


def _whole_start_tag(text: str, match: re.Match[str], limit: int, markup: Markup) -> int:
    """Add the start tag that ``_TOKEN`` matched whole; returns where the scan goes on."""
    start, end = match.span()
    if end - start > _REMEMBERED_TAG_LENGTH:
        name, self_closing, attributes = _start_tag_parts(text, match)
    else:
        name, self_closing, attributes = _remembered_start_tag(match.group())
        if attributes:  # moved from offsets into the tag to offsets into the text
            attributes = tuple(
                Attribute(
                    name=key,
                    value=value,
                    start=at + start,
                    name_start=key_at + start,
                    end=end_at + start,
                    value_start=value_at + start,
                    value_end=value_end_at + start,
                )
                for key, value, at, key_at, end_at, value_at, value_end_at in attributes
            )
    markup.tags.append(
        Tag(name=name, start=start, end=end, self_closing=self_closing, attributes=attributes)
    )
    if name in RAW_TEXT_ELEMENTS and not self_closing:
        return _raw_text(text, name, end, limit, markup)
    return end


def _start_tag_parts(text: str, match: re.Match[str]) -> tuple[str, bool, tuple[Attribute, ...]]:
    """The name, whether self-closing, and the attributes of a start tag that ``_TOKEN``
    matched whole."""
    attributes = tuple(
        _attribute(attribute, attribute.start())
        for attribute in _TOKEN_ATTRIBUTE.finditer(text, *match.span("attributes"))
    )
    return match.group("name").lower(), match.group("slash") == "/", attributes


@lru_cache(maxsize=1024)
def _remembered_start_tag(source: str) -> tuple[str, bool, tuple[Attribute, ...]]:
    """``_start_tag_parts`` of a start tag read alone (offsets are into ``source``), kept:
    articles repeat the same few tags (``<p class="x">``) many times."""
    match = _MARKUP_ONLY_TOKEN.match(source)
    assert match is not None
    return _start_tag_parts(source, match)


def _raw_text(text: str, name: str, pos: int, limit: int, markup: Markup) -> int:
    """The content of ``<style>``, ``<script>``... up to its end tag: text, not markup."""
    end_tag = compile_once(r"</" + re.escape(name) + r"[\s/>]", re.IGNORECASE)
    closing = end_tag.search(text, pos, limit)
    raw_end = closing.start() if closing else limit
    markup.raw_text.append((pos, raw_end))
    return raw_end


def _attribute(match: re.Match[str], start: int) -> Attribute:
    """An Attribute from a match with groups name, dq, sq and uq (numbered 1 to 4, so the
    last group matched is the value's, or the name's when there is no value); ``start`` as
    defined."""
    group = match.lastindex or 1  # the name always matches
    name_start = match.start(1)
    end = match.end()
    if group == 1:
        return Attribute(match.group(1).lower(), None, start, name_start, end, end, end)
    value_start, value_end = match.span(group)
    return Attribute(
        match.group(1).lower(), match.group(group), start, name_start, end, value_start, value_end
    )


def _make_attribute(text: str, match: re.Match[str], floor: int) -> Attribute:
    start = match.start("name")
    while start > floor and text[start - 1] in _WHITESPACE:
        start -= 1
    return _attribute(match, start)
