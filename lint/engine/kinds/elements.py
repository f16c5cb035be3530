"""The ``element`` kind: HTML elements of the body matched by a CSS selector."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.tree import Element, element_text, inner_tags
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    MESSAGE_WINDOW,
    REGEX,
    SELECTOR,
    Hit,
    Kind,
    Option,
    shorten,
)


class ElementKind(Kind):
    """HTML elements matched by a CSS selector; fixes remove or unwrap them."""

    name = "element"
    summary = "HTML elements matched by a CSS selector"
    options: ClassVar[dict[str, Option]] = {
        "selector": Option(SELECTOR, required=True, doc="CSS selector (cssselect syntax)"),
        "text": Option(REGEX, doc="only elements whose text matches this regular expression"),
    }
    variables = frozenset({"tag", "id", "class", "text"})
    fix_actions = frozenset({"remove", "unwrap"})

    def needles(self) -> tuple[str, ...] | None:
        """What the selector needs in the text (its values, its tag names)."""
        hints: tuple[str, ...] | None = self.settings["selector"].hints()
        return hints

    def check(self, document: Document) -> Iterator[Hit]:
        if not document.markup.tags:
            return
        pattern = self.settings["text"]
        selector = self.settings["selector"]
        index = document.element_index if selector.simple else None
        for element in selector.select(document, index):
            limit = None if pattern is not None else MESSAGE_WINDOW
            text = element_text(document.text, element, limit)
            if pattern is not None and not pattern.found_in(text):
                continue
            values = {
                "tag": element.name,
                "id": _attribute_value(element, "id"),
                "class": _attribute_value(element, "class"),
                "text": shorten(text, 40),
            }
            end = element.end if element.closed else element.tag.end
            yield Hit(element.start, end, values, self._edits(document, element))

    def _edits(self, document: Document, element: Element) -> tuple[Edit, ...] | None:
        if self.fix_action == "remove" and element.closed:
            return (Edit(element.start, element.end),)
        if self.fix_action == "unwrap":
            if not element.closed:
                return (Edit(element.tag.start, element.tag.end),)
            return tuple(Edit(tag.start, tag.end) for tag in inner_tags(element, document.markup))
        return None


def _attribute_value(element: Element, name: str) -> str:
    attribute = element.tag.attribute(name)
    return attribute.value or "" if attribute is not None else ""
