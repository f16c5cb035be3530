"""Kinds over the body's HTML: elements by CSS selector, attributes by name, comments."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any, ClassVar

from lint.document.document import Document
from lint.document.html import Tag
from lint.document.tree import Element, ElementIndex, inner_tags
from lint.engine.findings import Edit, new_edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEX,
    REGEXES,
    SELECTOR,
    STRINGS,
    Hit,
    Kind,
    Option,
    PerDocument,
    RulePattern,
    shorten,
)

_TAGS = re.compile(r"<[^>]*>")
# Build a Hit from a tuple of all its fields, for the kinds with a hit per attribute:
# cheaper than the named tuple's own constructor (``new_edit`` likewise).
_new_hit = partial(tuple.__new__, Hit)


_CACHE_SIZE = 4096  # entries of a kind's caches of attribute names and values
MESSAGE_WINDOW = 2000  # characters of content looked at for a message's {text}

element_index: PerDocument[ElementIndex] = PerDocument(
    lambda document: ElementIndex(document.elements)
)
"""The document's elements by name, shared by the rules that select elements."""


def _tags_with_attributes(document: Document) -> list[Tag]:
    return [tag for tag in document.markup.tags if tag.attributes and not tag.closing]


tags_with_attributes: PerDocument[list[Tag]] = PerDocument(_tags_with_attributes)
"""The start tags that have attributes, in document order, shared by the rules that look
at attributes (most tags of an article are end tags or bare ``<p>``)."""


def element_text(document: Document, element: Element, limit: int | None = None) -> str:
    """The visible text of an element, roughly: its content with tags removed. With
    ``limit``, only that many characters of content are looked at (for messages; it keeps
    nested matches linear)."""
    content_end = element.end_tag.start if element.end_tag else element.end
    if limit is not None:
        content_end = min(content_end, element.tag.end + limit)
    return _TAGS.sub("", document.text[element.tag.end : content_end])


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

    def prefilter(self) -> tuple[str, ...] | None:
        """The rule's ``hint``, else what the selector needs in the text (its values, its
        tag names)."""
        hints = super().prefilter()
        if hints is None:
            hints = self.settings["selector"].hints()
        return hints

    def check(self, document: Document) -> Iterator[Hit]:
        if not document.markup.tags:
            return
        pattern = self.settings["text"]
        selector = self.settings["selector"]
        index = element_index(document) if selector.simple else None
        for element in selector.select(document, index):
            limit = None if pattern is not None else MESSAGE_WINDOW
            text = element_text(document, element, limit)
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


class AttributeKind(Kind):
    """Attributes whose name (and optionally value) match; the fix removes them."""

    name = "attribute"
    summary = "HTML attributes matched by name and value"
    options: ClassVar[dict[str, Option]] = {
        "names": Option(
            REGEXES,
            required=True,
            doc="regular expressions matched against the whole (lower-case) attribute name",
        ),
        "value": Option(REGEX, doc="only attributes whose value matches (searched)"),
        "tags": Option(STRINGS, (), doc="only on these elements (default: all)"),
    }
    variables = frozenset({"attribute", "value", "tag"})
    fix_actions = frozenset({"remove"})

    def check(self, document: Document) -> Iterator[Hit]:
        names: tuple[RulePattern, ...] = self.settings["names"]
        value_pattern: RulePattern | None = self.settings["value"]
        tags: tuple[str, ...] = self.settings["tags"]
        remove = self.fix_action is not None
        # Attribute names and values repeat a lot: decide each name, and make the message
        # values of each (name, value, tag), once per kind. The linter formats a values
        # mapping that repeats from one hit to the next once.
        known: dict[str, bool] = self.__dict__.setdefault("_name_matches", {})
        made: dict[tuple[str, str, str], dict[str, str]] = self.__dict__.setdefault(
            "_hit_values", {}
        )
        for tag in tags_with_attributes(document):
            if tags and tag.name not in tags:
                continue
            for attribute in tag.attributes:
                name = attribute.name
                matched = known.get(name)
                if matched is None:
                    matched = any(pattern.fullmatches(name) for pattern in names)
                    if len(known) < _CACHE_SIZE:
                        known[name] = matched
                if not matched:
                    continue
                value = attribute.value or ""
                if value_pattern is not None and not value_pattern.found_in(value):
                    continue
                key = (name, value, tag.name)
                values = made.get(key)
                if values is None:
                    values = {"attribute": name, "value": shorten(value), "tag": tag.name}
                    if len(made) < _CACHE_SIZE:
                        made[key] = values
                edits = (new_edit((attribute.start, attribute.end, "")),) if remove else None
                yield _new_hit((attribute.name_start, attribute.end, values, edits))


class CommentKind(Kind):
    """HTML comments whose content matches a pattern; the fix removes them."""

    name = "comment"
    summary = "HTML comments matched by their content"
    options: ClassVar[dict[str, Option]] = {
        "patterns": Option(
            REGEXES, required=True, doc="regular expressions searched in the comment's content"
        ),
        "closed-only": Option(BOOLEAN, False, doc="ignore comments that are never closed"),
    }
    variables = frozenset({"comment"})
    fix_actions = frozenset({"remove"})

    def check(self, document: Document) -> Iterator[Hit]:
        patterns: tuple[RulePattern, ...] = self.settings["patterns"]
        text = document.text
        for comment in document.markup.comments:
            if not comment.closed and self.settings["closed-only"]:
                continue
            content = text[comment.content_start : comment.content_end]
            if any(pattern.found_in(content) for pattern in patterns):
                values: dict[str, Any] = {"comment": shorten(content, 50)}
                removable = self.fix_action == "remove" and comment.closed
                edits = (Edit(comment.start, comment.end),) if removable else None
                yield Hit(comment.start, comment.end, values, edits)
