"""The Markdown layer of a body: code regions, images and links, with exact offsets.

Only what the rules need is recognised. Code (fenced blocks, indented blocks and inline
code spans) is found first so that HTML shown as an example inside code is never taken
for markup. In a body written in HTML (one with a tag or comment at the start of a line
outside code), an indented block whose first line starts with ``<`` is not taken for
code: feed robots indent raw HTML, and it is rendered as HTML by the blogs they feed. In
a Markdown body such a block is code, e.g. a security article quoting a page's HTML.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache
from typing import NamedTuple

# A line that opens an HTML block: a tag or comment after at most three spaces.
_HTML_LINE = re.compile(
    r"^ {0,3}<(?:[A-Za-z][A-Za-z0-9-]*[\s/>]|/[A-Za-z][A-Za-z0-9-]*\s*>|!--)", re.MULTILINE
)
# Patterns compiled on first use, by ``compile_once``: each body needs only one of the two
# kinds of block opening, and most bodies (HTML, without fences, code spans or Markdown
# links) none of the others.
# The end of a line, a blank line, then a line that opens an indented code block (indented
# and not blank; in an HTML body, not starting with "<"): the match ends where it starts.
_BLOCK_OPENING = r"\n[^\S\n]*+\n(?=(?: {4}|\t)[^\S\n]*+\S)"
_BLOCK_OPENING_IN_HTML = r"\n[^\S\n]*+\n(?=(?: {4}|\t)[^\S\n]*+[^\s<])"
# The start of an HTML block that may interrupt a paragraph (CommonMark's kinds 1 to 6):
# raw-text elements, comments, processing instructions, declarations, CDATA, and tags
# of the block-level elements. Other tags (kind 7) only start a block after a blank line.
_BLOCK_NAMES = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details"
    "|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head"
    "|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option"
    "|p|param|search|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul"
)
_INTERRUPTING_HTML = (
    r"<(?:(?:script|pre|style|textarea)(?:[\s>]|$)|!--|\?|![A-Za-z]|!\[CDATA\["
    rf"|/?(?:{_BLOCK_NAMES})(?:[\s>]|/>|$))"
)
_FENCE_OPEN = r"^ {0,3}(`{3,}|~{3,})([^\n]*)$"
_BACKTICKS = r"`+"
_PARAGRAPH_END = r"\n[ \t]*\r?\n"
_PARAGRAPH_ENDS = r"(?=\n[ \t]*\r?\n)"  # every offset where one starts
# The tokens of a link scan: a backslash escape, an opening bracket (of a link or an
# image), a closing bracket, and a blank line (links never cross one).
_LINK_TOKENS = r"\\.|!?\[|\]|\n[ \t]*(?=\r?\n)"
# A link reference definition: ``[label]: destination "title"``, the destination and the
# title each on the same line or the next (their contents are checked by ``_definitions``).
_TITLE = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)"
_DEFINITION = (
    r"^ {0,3}\[(?P<label>(?:[^\[\]\\]|\\.){1,999}?)\]:[ \t]*(?:\r?\n[ \t]*)?"
    r"(?:<(?P<angled>(?:[^<>\n\\]|\\.)*)>|(?P<plain>[^\s<]\S*))"
    r"(?:(?:[ \t]+|[ \t]*\r?\n[ \t]*)(?P<title>" + _TITLE + r"))?"
    r"[ \t]*(?=\r?\n|\Z)"
)
_LABEL = r"\[(?P<label>(?:[^\[\]\\]|\\.){0,999})\]"
_SPACE_AND_LINE = r"[ \t]*(?:\r?\n[ \t]*)?"
_DESTINATION_RUN = r"[^\x00-\x20\x7f()\\{]*"  # characters of a destination without a role
_ESCAPED = r"\\([!-/:-@\[-`{-~])"  # a backslash escape of ASCII punctuation


@cache
def compile_once(source: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(source, flags)``, once per process: for the modules' own patterns (a
    fixed few), compiled on first use."""
    return re.compile(source, flags)


class Link(NamedTuple):
    """A Markdown link or image; ``url_start:url_end`` is the destination's span."""

    image: bool
    start: int
    end: int
    url: str
    url_start: int
    url_end: int
    reference: bool = False
    label_start: int = -1  # span of the text between the brackets (-1: unknown)
    label_end: int = -1
    angled: bool = False  # the destination is written <…> (it may hold spaces)


def code_regions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Fenced and indented code blocks in ``text[start:end]``, as sorted (start, end)."""
    regions = _fenced_blocks(text, start, end)
    html_body = _is_html_body(text, start, end, regions)
    regions.extend(_indented_blocks(text, start, end, regions, html_body))
    regions.sort()
    return regions


def _fenced_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Fenced code blocks in ``text[start:end]``, in order."""
    regions: list[tuple[int, int]] = []
    # Every fence opens with ``` or ~~~: most bodies have neither, and a scan of the text
    # for them is much cheaper than the pattern's scan.
    has_fences = text.find("```", start, end) != -1 or text.find("~~~", start, end) != -1
    pos = start if has_fences else end
    while pos < end:
        fence = compile_once(_FENCE_OPEN, re.MULTILINE).search(text, pos, end)
        if fence is None:
            break
        marker = fence.group(1)
        if marker[0] == "`" and "`" in fence.group(2):
            pos = fence.end()
            continue
        closing = re.compile(
            r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker)) + r",}[ \t]*\r?$",
            re.MULTILINE,
        ).search(text, fence.end(), end)
        region_end = closing.end() if closing else end
        regions.append((fence.start(), region_end))
        pos = region_end
    return regions


def _is_html_body(text: str, start: int, end: int, fenced: list[tuple[int, int]]) -> bool:
    """Whether the body is written in HTML: a line outside fenced code opens an HTML block."""
    return any(not inside(fenced, match.start()) for match in _HTML_LINE.finditer(text, start, end))


def _indented_blocks(
    text: str, start: int, end: int, fenced: list[tuple[int, int]], html_body: bool
) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    previous_blank = True
    block_start = -1
    block_end = -1
    pos = start
    opening = compile_once(_BLOCK_OPENING_IN_HTML if html_body else _BLOCK_OPENING)
    fenced_iter = iter(fenced)
    next_fence = next(fenced_iter, None)
    while pos < end:
        if next_fence is not None and pos >= next_fence[0]:
            pos = next_fence[1]
            next_fence = next(fenced_iter, None)
            previous_blank = False
            continue
        if block_start < 0 and not previous_blank and text[pos - 1] == "\n":
            # Outside a block, after a line that is not blank, the lines up to a blank line
            # followed by one that opens a block change nothing: go to that line at once.
            stop = next_fence[0] if next_fence is not None else end
            found = opening.search(text, pos - 1, stop)
            if found is None:
                pos = stop  # no block opens before the next fence (or the end)
                continue
            pos = found.end()
            previous_blank = True
            continue
        newline = text.find("\n", pos, end)
        line_end = end if newline == -1 else newline + 1
        content = text[pos:line_end]
        blank = not content.strip()
        indented = content.startswith(("    ", "\t"))
        if block_start >= 0:
            if indented or blank:
                if not blank:
                    block_end = line_end
            else:
                blocks.append((block_start, block_end))
                block_start = -1
        elif (
            indented
            and not blank
            and previous_blank
            and not (html_body and content.lstrip().startswith("<"))
        ):
            block_start, block_end = pos, line_end
        previous_blank = blank
        pos = line_end
    if block_start >= 0:
        blocks.append((block_start, block_end))
    return blocks


def interrupts_paragraph(text: str, pos: int) -> bool:
    """Whether the HTML at ``pos`` (the start of a line's content) starts an HTML block
    even right after a paragraph line, which it then ends."""
    return compile_once(_INTERRUPTING_HTML, re.IGNORECASE).match(text, pos) is not None


def code_span_end(text: str, pos: int, limit: int) -> int:
    """If a code span opens at ``pos`` (a backtick run), return its end; else -1."""
    backticks = compile_once(_BACKTICKS)
    run = backticks.match(text, pos, limit)
    assert run is not None
    width = run.end() - pos
    paragraph = compile_once(_PARAGRAPH_END).search(text, run.end(), limit)
    stop = paragraph.start() if paragraph else limit
    for candidate in backticks.finditer(text, run.end(), stop):
        if candidate.end() - candidate.start() == width:
            return candidate.end()
    return -1


class CodeSpans:
    """``code_span_end`` for many positions of one stretch ``text[start:limit]``, in linear
    time overall: the backtick runs and paragraph ends are listed once, and each run
    knows the next run of its width. (Calling ``code_span_end`` at every backtick of a
    long paragraph of unmatched backticks would take quadratic time.)"""

    def __init__(self, text: str, start: int, limit: int) -> None:
        self.text, self.start, self.limit = text, start, limit
        self._closing: dict[int, tuple[int, int]] | None = None
        self._breaks: list[int] = []

    def _index(self) -> dict[int, tuple[int, int]]:
        runs = [
            m.span() for m in compile_once(_BACKTICKS).finditer(self.text, self.start, self.limit)
        ]
        closing: dict[int, tuple[int, int]] = {}
        following: dict[int, tuple[int, int]] = {}  # width -> the next run of that width
        for run_start, run_end in reversed(runs):
            width = run_end - run_start
            closing[run_start] = following.get(width, (-1, -1))
            following[width] = (run_start, run_end)
        self._breaks = [
            m.start()
            for m in compile_once(_PARAGRAPH_ENDS).finditer(self.text, self.start, self.limit)
        ]
        return closing

    def end(self, pos: int) -> int:
        """Where the code span opening at ``pos`` ends, or -1 (as ``code_span_end``)."""
        if self._closing is None:
            self._closing = self._index()
        closing = self._closing.get(pos)
        if closing is None:  # not the start of a whole run: answer the slow way
            return code_span_end(self.text, pos, self.limit)
        close_start, close_end = closing
        if close_start < 0:
            return -1
        run_end = compile_once(_BACKTICKS).match(self.text, pos, self.limit).end()  # type: ignore[union-attr]
        index = bisect_right(self._breaks, run_end - 1)
        stop = self._breaks[index] if index < len(self._breaks) else self.limit
        return close_end if close_end <= stop else -1


def find_links(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[Link]:
    """Links and images of ``text[start:end]`` as CommonMark reads them, in order.

    Inline ones (``[text](url "title")``, ``![alt](<a b.png>)``) and reference ones
    (``[text][label]``, ``[label][]``, ``[label]``) resolved to their definitions
    (``[label]: url "title"``); a reference's URL span is in its definition. Link text
    and titles may run over several lines (not over a blank line) and hold balanced
    brackets; a link is never found inside another link's text, an image is. ``skip``
    holds sorted regions (code, HTML tags, comments) where nothing is looked for.
    """
    # Every inline link has "](" and every definition "]:": most bodies have neither,
    # and a scan of the text for them is much cheaper than the link scan.
    has_inline = text.find("](", start, end) != -1
    if not has_inline and text.find("]:", start, end) == -1:
        return []
    definitions, defined = _definitions(text, start, end, skip)
    if not has_inline and not definitions:
        return []
    if defined:
        skip = merge_regions([*skip, *defined])
    links = _BracketScan(text, end, skip, definitions).links(start)
    links.sort(key=_link_start)
    return links


def _link_start(link: Link) -> int:
    return link.start


class _Definition(NamedTuple):
    url: str
    url_start: int
    url_end: int
    angled: bool


def _definitions(
    text: str, start: int, end: int, skip: list[tuple[int, int]]
) -> tuple[dict[str, _Definition], list[tuple[int, int]]]:
    """The link reference definitions by normalised label (the first of a label wins),
    and the spans of every definition."""
    definitions: dict[str, _Definition] = {}
    spans: list[tuple[int, int]] = []
    if text.find("]:", start, end) == -1:
        return definitions, spans
    blank = compile_once(_PARAGRAPH_END)
    for match in compile_once(_DEFINITION, re.MULTILINE).finditer(text, start, end):
        label = match.group("label")
        if inside(skip, match.start()) or not label.strip():
            continue
        if blank.search(match.group()) is not None:
            continue  # a label or title over a blank line
        spans.append(match.span())
        group = "angled" if match.group("angled") is not None else "plain"
        definition = _Definition(
            _unescaped(match.group(group)),
            match.start(group),
            match.end(group),
            angled=group == "angled",
        )
        definitions.setdefault(_normalise_label(label), definition)
    return definitions, spans


class _Opener:
    """An opening bracket of the scan: ``[`` or ``![``."""

    __slots__ = ("active", "image", "start")

    def __init__(self, start: int, image: bool) -> None:
        self.start, self.image, self.active = start, image, True


class _BracketScan:
    """The look for link and image brackets of CommonMark's inline algorithm: each ``]``
    closes the nearest opening bracket, and is a link if an inline destination or a
    defined label follows."""

    def __init__(
        self,
        text: str,
        end: int,
        skip: list[tuple[int, int]],
        definitions: dict[str, _Definition],
    ) -> None:
        self.text, self.end, self.skip, self.definitions = text, end, skip, definitions

    def links(self, start: int) -> list[Link]:
        text, end = self.text, self.end
        tokens = compile_once(_LINK_TOKENS, re.DOTALL)
        openers: list[_Opener] = []
        found: list[Link] = []
        pos = start
        while True:
            token = tokens.search(text, pos, end)
            if token is None:
                return found
            here = token.start()
            region_end = _region_end(self.skip, here)
            if region_end != -1:
                pos = region_end
                continue
            pos = token.end()
            kind = text[here]
            if kind == "\\":
                continue
            if kind == "\n":
                openers.clear()  # a blank line ends the paragraph
            elif kind != "]":
                openers.append(_Opener(here, kind == "!"))
            elif openers:
                opener = openers.pop()
                link = self._link(opener, here) if opener.active else None
                if link is not None:
                    found.append(link)
                    pos = link.end
                    if not link.image:  # no link inside a link's text
                        for other in openers:
                            if not other.image:
                                other.active = False

    def _link(self, opener: _Opener, close: int) -> Link | None:
        """The link whose text opens at ``opener`` and closes at ``close``, if any."""
        text = self.text
        label_start = opener.start + (2 if opener.image else 1)
        after = close + 1
        if after < self.end and text[after] == "(":
            inline = self._inline(after)
            if inline is not None:
                url, url_start, url_end, link_end, angled = inline
                return Link(
                    opener.image,
                    opener.start,
                    link_end,
                    url,
                    url_start,
                    url_end,
                    label_start=label_start,
                    label_end=close,
                    angled=angled,
                )
        if not self.definitions:
            return None
        label, link_end = text[label_start:close], after
        following = compile_once(_LABEL).match(text, after, self.end)
        if following is not None and following.group("label").strip():
            label, link_end = following.group("label"), following.end()
        elif following is not None and not following.group("label"):
            link_end = following.end()  # a collapsed reference: [label][]
        definition = self.definitions.get(_normalise_label(label))
        if definition is None:
            return None
        return Link(
            opener.image,
            opener.start,
            link_end,
            definition.url,
            definition.url_start,
            definition.url_end,
            reference=True,
            label_start=label_start,
            label_end=close,
            angled=definition.angled,
        )

    def _inline(self, paren: int) -> tuple[str, int, int, int, bool] | None:
        """An inline link's ``(destination "title")`` at ``paren``: the URL, its span,
        where the link ends and whether it is written ``<…>``; None if there is none."""
        text, end = self.text, self.end
        space = compile_once(_SPACE_AND_LINE)
        pos = space.match(text, paren + 1, end).end()  # type: ignore[union-attr]
        angled = pos < end and text[pos] == "<"
        if angled:
            close = _angled_end(text, pos + 1, end)
            if close == -1:
                return None
            url_start, url_end, pos = pos + 1, close, close + 1
        else:
            url_start = pos
            pos = url_end = _plain_end(text, pos, end)
        gap = space.match(text, pos, end).end()  # type: ignore[union-attr]
        if gap > pos and gap < end and text[gap] in "\"'(":
            title = compile_once(_TITLE).match(text, gap, end)
            if title is not None and compile_once(_PARAGRAPH_END).search(title.group()) is None:
                gap = space.match(text, title.end(), end).end()  # type: ignore[union-attr]
        if gap >= end or text[gap] != ")":
            return None
        return _unescaped(text[url_start:url_end]), url_start, url_end, gap + 1, angled


def _angled_end(text: str, pos: int, end: int) -> int:
    """Where a ``<…>`` destination opened before ``pos`` closes (its ``>``), or -1."""
    while pos < end:
        char = text[pos]
        if char == ">":
            return pos
        if char in "<\n":
            return -1
        pos += 2 if char == "\\" else 1
    return -1


_MAX_PAREN_DEPTH = 32  # what CommonMark's reference parsers support, and no more


def _plain_end(text: str, pos: int, end: int) -> int:
    """Where a destination without ``<…>`` that starts at ``pos`` ends: at white space or
    a control character, or at a ``)`` that closes no ``(`` of its own. Parentheses nest
    at most 32 deep, as in cmark: a deeper ``(`` ends the destination there, so that no
    link is found, and ``[a](`` repeated costs linear time, not quadratic.

    A template expression (``{{ … }}``, ``{% … %}``, Hugo's ``{{< … >}}``) on one line is
    part of the destination whatever it holds: Jekyll and Hugo expand it before they read
    the Markdown (``![a]({{ "/a.png" | relative_url }})`` is an image)."""
    ordinary = compile_once(_DESTINATION_RUN)
    depth = 0
    while True:
        pos = ordinary.match(text, pos, end).end()  # type: ignore[union-attr]
        if pos >= end:
            return pos
        char = text[pos]
        if char == "{":
            pos = _template_end(text, pos, end)
        elif char == "\\":
            pos += 2 if pos + 1 < end and text[pos + 1] > " " else 1
        elif char == "(" and depth < _MAX_PAREN_DEPTH:
            depth += 1
            pos += 1
        elif char == ")" and depth:
            depth -= 1
            pos += 1
        else:  # white space, a control character, or the closing parenthesis
            return pos


def _template_end(text: str, pos: int, end: int) -> int:
    """Past the template expression that opens at ``pos`` and closes on its line, or
    past the ``{`` there if none does."""
    opening = text[pos : pos + 2]
    if opening not in ("{{", "{%"):
        return pos + 1
    line_end = text.find("\n", pos, end)
    close = text.find(
        "}}" if opening == "{{" else "%}", pos + 2, end if line_end == -1 else line_end
    )
    return pos + 1 if close == -1 else close + 2


def _unescaped(url: str) -> str:
    """A destination with its backslash escapes resolved (``a\\_b.png`` is ``a_b.png``)."""
    return compile_once(_ESCAPED).sub(r"\1", url) if "\\" in url else url


def _region_end(regions: list[tuple[int, int]], offset: int) -> int:
    """The end of the region of the sorted ``regions`` that holds ``offset``, or -1."""
    index = bisect_right(regions, (offset, float("inf"))) - 1
    if index >= 0 and regions[index][0] <= offset < regions[index][1]:
        return regions[index][1]
    return -1


def merge_regions(regions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``regions`` sorted, with those that overlap or touch joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _normalise_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def inside(regions: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls inside one of the sorted, non-overlapping ``regions``."""
    return _region_end(regions, offset) != -1
