"""The ``active-content`` kind: markup outside code that runs code in the reader's
browser (``lint.document.active``), and whether it looks like a code sample that lost
its fence (``lint.document.lostfence``).

No fix: deleting a live script may delete the example an article is about, and fencing
it needs to know where the sample ends. The message says which of the two it looks like.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.lostfence import lost_fence_reason
from lint.document.tree import Element
from lint.engine.kinds.base import Hit, Kind, Option


class ActiveContentKind(Kind):
    """``<script>`` elements, ``on…=`` handlers and ``javascript:`` URLs outside code."""

    name = "active-content"
    summary = "markup that runs code: <script>, on…= handlers, javascript: in src/data/action"
    options: ClassVar[dict[str, Option]] = {}
    variables = frozenset({"what", "context"})

    def needles(self) -> tuple[str, ...] | None:
        """All it looks for is markup."""
        return ("<",)

    def check(self, document: Document) -> Iterator[Hit]:
        found = document.active_markup
        if not found:
            return
        text = document.text
        elements = document.elements
        starts = [element.start for element in elements]
        for active in found:
            tag, attribute = active.tag, active.attribute
            element = _element_at(elements, starts, tag.start)
            if attribute is None:
                what = "<script> element"
                end = element.end if element is not None and element.end_tag else tag.end
                start = tag.start
            elif attribute.name.startswith("on"):
                what = f"event handler {attribute.name}= on <{tag.name}>"
                start, end = attribute.name_start, attribute.end
            else:
                what = f"javascript: URL in {attribute.name}= of <{tag.name}>"
                start, end = attribute.name_start, attribute.end
            reason = lost_fence_reason(text, tag.start, (start, end), element)
            context = (
                f"; it looks like a code sample that lost its fence ({reason}): fence it"
                if reason
                else "; remove it, or fence it if it is an example"
            )
            yield Hit(start, end, {"what": what, "context": context})


def _element_at(elements: list[Element], starts: list[int], offset: int) -> Element | None:
    """The element whose start tag starts at ``offset`` (``starts``: the elements' starts)."""
    index = bisect_right(starts, offset) - 1
    if index >= 0 and starts[index] == offset:
        return elements[index]
    return None
