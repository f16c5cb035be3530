"""Start and end tags that do not pair up in a way that changes how a browser renders the
page: what the ``unpaired-tag`` rule reports.

The element tree (``lint.document.tree``) closes elements as browsers do; this module
reads what it did. Three cases change the page:

- ``stray``: an end tag of an HTML element when no start tag of its name is left to end
  (``</div>`` after every ``<div>`` was closed). Browsers drop it, except ``</br>``
  (read as ``<br>``) and ``</p>`` (an empty paragraph), but it shows that the author's
  structure was lost.
- ``misnested``: a block element closed by an ancestor's end tag before its own end tag
  comes (``<div><blockquote>…</div>…</blockquote>``): what stands between the two end
  tags leaves the element. Formatting elements (``<b>``, ``<a>``, ``<font>``…) are not
  reported here: browsers reopen them after the ancestor closes (the "adoption agency"),
  so ``<b><i>x</b>y</i>`` shows as written.
- ``open``: an element whose end tag never comes and whose extent shows. A formatting
  element is reopened in every block that follows, so the rest of the article becomes
  bold, struck or one long link. A block element is closed with its parent, as if its
  end tag stood there, unless it has no parent: then everything after it nests inside
  it. That shows for the blocks that render their content (``<blockquote>``, lists,
  tables, headings, ``<pre>``, ``<center>``…) and for any block with a ``style``,
  ``class`` or ``align`` attribute; a bare ``<div>`` around the rest changes nothing.

Not reported: the ends the HTML standard implies (``<p>`` before a block, ``<li>`` before
the next ``<li>``, ``<td>``, ``<tr>``, ``<option>``, ``<html>``, ``<body>``…), void
elements, unknown and custom elements (placeholders such as ``<name>`` in prose,
autolinks), elements inside ``<svg>``/``<math>``, and everything after an unclosed
``<script>`` or other raw-text element (hidden, and reported as such). Elements whose
end the standard implies still take the stray end tags of their name (``</p>`` after a
``<p>`` that a ``<div>`` closed is no stray).
"""

from __future__ import annotations

from bisect import bisect_left
from typing import NamedTuple

from lint.document.html import Tag
from lint.document.markdown import inside
from lint.document.rawtext import foreign_extents
from lint.document.tree import VOID_ELEMENTS, Element

# Elements whose end tag the HTML standard lets the author leave out.
IMPLIED_END = frozenset(
    [
        "html",
        "head",
        "body",
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "rb",
        "rt",
        "rtc",
        "rp",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
    ]
)
# The standard's formatting elements: reopened after a misnested or missing end tag.
FORMATTING = frozenset(
    [
        "a",
        "b",
        "big",
        "code",
        "em",
        "font",
        "i",
        "nobr",
        "s",
        "small",
        "strike",
        "strong",
        "tt",
        "u",
    ]
)
# Blocks that render their content differently from the text around them.
RENDERING_BLOCKS = frozenset(
    [
        "blockquote",
        "center",
        "dir",
        "dl",
        "ol",
        "ul",
        "menu",
        "pre",
        "listing",
        "table",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "figure",
        "fieldset",
        "details",
        "dialog",
        "form",
    ]
)
# Blocks that render like the text around them unless styled.
PLAIN_BLOCKS = frozenset(
    [
        "div",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
        "main",
        "address",
        "hgroup",
        "figcaption",
        "summary",
        "search",
    ]
)
BLOCKS = RENDERING_BLOCKS | PLAIN_BLOCKS
_STYLING = ("style", "class", "align")
# Other HTML elements: their stray end tags are reported too.
_OTHER_ELEMENTS = frozenset(
    [
        "abbr",
        "audio",
        "bdi",
        "bdo",
        "button",
        "canvas",
        "cite",
        "data",
        "datalist",
        "del",
        "dfn",
        "ins",
        "kbd",
        "label",
        "legend",
        "map",
        "mark",
        "meter",
        "noscript",
        "object",
        "output",
        "picture",
        "progress",
        "q",
        "ruby",
        "samp",
        "select",
        "slot",
        "span",
        "sub",
        "sup",
        "template",
        "textarea",
        "time",
        "var",
        "video",
        "iframe",
        "script",
        "style",
        "title",
    ]
)
KNOWN_ELEMENTS = IMPLIED_END | FORMATTING | BLOCKS | VOID_ELEMENTS | _OTHER_ELEMENTS


class Unpaired(NamedTuple):
    """One finding: ``tag`` is the offending tag (a stray end tag, or the start tag of an
    element); ``other`` the other end where there is one (the element's own late end
    tag), ``closer`` what closed a misnested element."""

    case: str  # "stray", "misnested" or "open"
    tag: Tag
    other: Tag | None = None
    closer: Tag | None = None


def unpaired_tags(
    elements: list[Element], strays: list[Tag], text: str, hidden_from: int
) -> list[Unpaired]:
    """The unpaired tags of a body, in document order. ``strays`` are the end tags that
    closed nothing; tags from ``hidden_from`` on (an unclosed raw-text element) are
    not looked at."""
    # Elements left without their end tag, and stray end tags, in document order. A stray
    # end tag ends the latest such element of its name (as pairing by name does).
    foreign = foreign_extents(elements)
    events: list[tuple[int, Element | Tag]] = [
        (element.start, element)
        for element in elements
        if element.end_tag is None
        and _needs_end(element)
        and element.start < hidden_from
        and not (foreign and inside(foreign, element.start))
    ]
    events.extend((tag.start, tag) for tag in strays if tag.start < hidden_from)
    events.sort(key=lambda event: event[0])
    waiting: dict[str, list[Element]] = {}
    found: list[Unpaired] = []
    for _, event in events:
        if isinstance(event, Element):
            waiting.setdefault(event.name, []).append(event)
            continue
        pending = waiting.get(event.name)
        if pending:
            element = pending.pop()
            if element.name in BLOCKS and element.closer is not None and element.closer.closing:
                found.append(Unpaired("misnested", element.tag, event, element.closer))
        elif event.name in KNOWN_ELEMENTS:
            found.append(Unpaired("stray", event))
    links: list[int] | None = None  # where the <a> elements start, if needed
    for pending in waiting.values():
        reported_to = -1  # the end of the last one reported: one inside it adds nothing
        for element in pending:
            if element.name in IMPLIED_END or element.start < reported_to:
                continue
            if element.name == "a":
                if links is None:
                    links = [other.start for other in elements if other.name == "a"]
                if _next_link_closes(element, links):
                    continue
            if _left_open_shows(element, text):
                found.append(Unpaired("open", element.tag, closer=element.closer))
                reported_to = element.end
    found.sort(key=lambda unpaired: unpaired.tag.start)
    return found


def _needs_end(element: Element) -> bool:
    """Whether an element without an end tag is one that has an end tag in HTML: a known,
    non-void element (``<div/>`` too: in HTML it opens a div)."""
    name = element.name
    return name not in VOID_ELEMENTS and name in KNOWN_ELEMENTS


def _left_open_shows(element: Element, text: str) -> bool:
    """Whether an element whose end tag never came changes what the reader sees."""
    if not text[element.tag.end : element.end].strip():
        return False  # nothing after it to take in
    if element.name in FORMATTING:
        return True
    if element.name not in BLOCKS or element.closer is not None or element.parent is not None:
        return False  # closed with its parent, as if its end tag stood there
    return element.name in RENDERING_BLOCKS or any(
        element.tag.attribute(name) is not None for name in _STYLING
    )


def _next_link_closes(element: Element, links: list[int]) -> bool:
    """Whether another ``<a>`` starts inside this one (``links``: the sorted starts of
    all): browsers end the first there."""
    index = bisect_left(links, element.tag.end)
    return index < len(links) and links[index] < element.end
