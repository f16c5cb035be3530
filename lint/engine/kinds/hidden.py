"""The ``hidden-text`` kind: text that an inline style hides from the reader.

An element whose ``style`` hides it (``display:none``, ``visibility:hidden``,
``font-size:0``, text coloured like its background, off-screen positioning...: see
``lint.document.css``) and that holds visible characters is keyword stuffing, a hidden
link, or a spoiler that only works on the source site. Removing the style would show
it; removing the element would delete text: a person decides, so there is no fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.document.css import style_effect
from lint.document.document import Document
from lint.document.images import unescape
from lint.document.tree import element_text
from lint.engine.kinds.base import MESSAGE_WINDOW, Hit, Kind, Option, shorten


class HiddenTextKind(Kind):
    """Elements with visible characters that their inline style hides."""

    name = "hidden-text"
    summary = "text hidden by an inline style (display:none, font-size:0, ...)"
    options: ClassVar[dict[str, Option]] = {}
    variables = frozenset({"tag", "style", "text"})

    def needles(self) -> tuple[str, ...] | None:
        """All it looks for is markup with a style."""
        return ("style",)

    def check(self, document: Document) -> Iterator[Hit]:
        covered = -1  # the end of the last element reported: its descendants are not
        starts = {tag.start for tag in document.attributed_tags if tag.attribute("style")}
        if not starts:
            return
        for element in document.elements:
            if element.start not in starts or element.start < covered:
                continue
            style = element.tag.attribute("style")
            assert style is not None
            effect = style_effect(unescape(style.value or ""))
            if effect.kind != "hides":
                continue
            text = unescape(element_text(document.text, element, MESSAGE_WINDOW)).strip()
            if not text.replace("\xa0", "").strip():
                continue
            covered = element.end
            end = element.end if element.closed else element.tag.end
            values = {"tag": element.name, "style": effect.reason, "text": shorten(text, 40)}
            yield Hit(element.start, end, values)
