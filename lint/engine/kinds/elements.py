"""The ``element`` kind: HTML elements of the body matched by a CSS selector.

Its fixes remove an element, unwrap it (its tags go, its content stays), or turn a code
element into a fenced Markdown code block (``fence``): WP-Syntax's
``<pre lang="powershell">…</pre>`` becomes a block fenced with the language of the
``language-attribute``, its content entity-decoded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.images import unescape
from lint.document.tree import Element, element_text, inner_tags
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    MESSAGE_WINDOW,
    REGEX,
    SELECTOR,
    STRING,
    Hit,
    Kind,
    Option,
    shorten,
)

_BACKTICKS = re.compile(r"`+")


class ElementKind(Kind):
    """HTML elements matched by a CSS selector; fixes remove or unwrap them."""

    name = "element"
    summary = "HTML elements matched by a CSS selector"
    options: ClassVar[dict[str, Option]] = {
        "selector": Option(SELECTOR, required=True, doc="CSS selector (cssselect syntax)"),
        "text": Option(REGEX, doc="only elements whose text matches this regular expression"),
        "language-attribute": Option(
            STRING, "lang", doc="the attribute that names the code's language (fix fence)"
        ),
        "unsafe-with-live-content": Option(
            BOOLEAN,
            False,
            doc="the fix is unsafe in an article that also has live script or an unclosed "
            "<script>, <iframe>...: the element may belong to a code sample that lost its fence",
        ),
    }
    variables = frozenset({"tag", "id", "class", "text"})
    fix_actions = frozenset({"remove", "unwrap", "fence"})

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
        safe = not (
            self.settings["unsafe-with-live-content"]
            and (document.active_markup or document.unclosed_raw_text is not None)
        )
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
            yield Hit(element.start, end, values, self._edits(document, element), safe)

    def _edits(self, document: Document, element: Element) -> tuple[Edit, ...] | None:
        if self.fix_action == "remove" and element.closed:
            return (Edit(element.start, element.end),)
        if self.fix_action == "unwrap":
            if not element.closed:
                return (Edit(element.tag.start, element.tag.end),)
            return tuple(Edit(tag.start, tag.end) for tag in inner_tags(element, document.markup))
        if self.fix_action == "fence" and element.end_tag is not None:
            return self._fence(document, element)
        return None

    def _fence(self, document: Document, element: Element) -> tuple[Edit, ...] | None:
        """The element as a fenced code block on lines of its own; None when its content
        holds markup other than ``<code>`` tags (highlighted code), which a fence would
        show as text."""
        assert element.end_tag is not None
        text = document.text
        inner = [
            tag
            for tag in inner_tags(element, document.markup)
            if element.tag.start < tag.start < element.end_tag.start
        ]
        if any(tag.name != "code" for tag in inner):
            return None
        pieces, position = [], element.tag.end
        for tag in inner:
            pieces.append(text[position : tag.start])
            position = tag.end
        pieces.append(text[position : element.end_tag.start])
        code = unescape("".join(pieces)).replace("\r\n", "\n").strip("\n")
        language = _attribute_value(element, self.settings["language-attribute"]).strip()
        if not code.strip() or not re.fullmatch(r"[\w+#.-]*", language):
            return None
        longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0)
        fence = "`" * max(3, longest + 1)
        before = "" if element.start == 0 or text[element.start - 1] == "\n" else "\n"
        after = "" if text.startswith("\n", element.end) or element.end == len(text) else "\n"
        block = f"{before}{fence}{language.lower()}\n{code}\n{fence}{after}"
        return (Edit(element.start, element.end, block),)


def _attribute_value(element: Element, name: str) -> str:
    attribute = element.tag.attribute(name)
    return attribute.value or "" if attribute is not None else ""
