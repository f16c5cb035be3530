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
_FENCE_OPEN = r"^ {0,3}(`{3,}|~{3,})([^\n]*)$"
_BACKTICKS = r"`+"
_PARAGRAPH_END = r"\n[ \t]*\r?\n"
_PARAGRAPH_ENDS = r"(?=\n[ \t]*\r?\n)"  # every offset where one starts
# ![alt](destination "title") and [text](destination "title"); destination may be <...>.
_INLINE_LINK = (
    r"(?P<bang>!?)\[(?P<label>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\([ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>(?:\\[()]|[^\s()]|\([^\s()]*\))*))"
    r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*\)"
)
_REFERENCE_IMAGE = r"!\[(?P<label>[^\[\]\n]*)\](?:\[(?P<ref>[^\[\]\n]*)\])?"
_DEFINITION = r"^ {0,3}\[(?P<label>[^\[\]\n]+)\]:[ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>\S+))"


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
    """Inline links and images plus reference-style images resolved to their definitions.

    ``skip`` holds sorted regions (code, HTML tags, comments) where nothing is looked for.
    """
    links: list[Link] = []
    inline_spans: list[tuple[int, int]] = []
    # Every inline link has "](" and every definition "]:": most bodies have neither, and
    # a scan of the text for them is much cheaper than the patterns' scans.
    matches: list[re.Match[str]] = []
    if text.find("](", start, end) != -1:
        inline_link = compile_once(_INLINE_LINK)
        matches.extend(inline_link.finditer(text, start, end))
        for match in list(matches):
            if not match.group("bang") and match.group("label"):
                # ``[![alt](img)](href)``: the image inside a link's text is an image too.
                label_start, label_end = match.span("label")
                matches.extend(
                    inner
                    for inner in inline_link.finditer(text, label_start, label_end)
                    if inner.group("bang")
                )
    for match in matches:
        if inside(skip, match.start()):
            continue
        group = "angled" if match.group("angled") is not None else "plain"
        links.append(
            Link(
                bool(match.group("bang")),
                match.start(),
                match.end(),
                match.group(group),
                match.start(group),
                match.end(group),
                label_start=match.start("label"),
                label_end=match.end("label"),
            )
        )
        inline_spans.append((match.start(), match.end()))
    definitions: dict[str, re.Match[str]] = {}
    if text.find("]:", start, end) != -1:
        for match in compile_once(_DEFINITION, re.MULTILINE).finditer(text, start, end):
            if not inside(skip, match.start()):
                definitions.setdefault(_normalise_label(match.group("label")), match)
    if definitions:
        for match in compile_once(_REFERENCE_IMAGE).finditer(text, start, end):
            if inside(skip, match.start()) or inside(inline_spans, match.start()):
                continue
            label = match.group("ref") or match.group("label")
            definition = definitions.get(_normalise_label(label))
            if definition is None:
                continue
            group = "angled" if definition.group("angled") is not None else "plain"
            links.append(
                Link(
                    True,
                    match.start(),
                    match.end(),
                    definition.group(group),
                    definition.start(group),
                    definition.end(group),
                    reference=True,
                    label_start=match.start("label"),
                    label_end=match.end("label"),
                )
            )
    links.sort(key=lambda link: link.start)
    return links


def _normalise_label(label: str) -> str:
    return " ".join(label.split()).casefold()


def inside(regions: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls inside one of the sorted, non-overlapping ``regions``."""
    index = bisect_right(regions, (offset, float("inf"))) - 1
    return index >= 0 and regions[index][0] <= offset < regions[index][1]
