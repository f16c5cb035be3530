"""The ``attribute`` kind: HTML attributes of the body matched by name and value.

Its ``remove`` fix deletes the attribute. A ``<span>`` or ``<font>`` that would be left
bare and empty (``<font style="…"></font>``) goes with it, in the same fix: it shows
nothing and wraps nothing. With ``keep-meaning``, removing a ``style`` attribute is safe
only when the style is purely presentational (``lint.document.css``); otherwise the fix
is unsafe.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple

import regex

from lint.document.css import style_effect
from lint.document.document import Document
from lint.document.html import Tag
from lint.document.images import unescape
from lint.document.tree import Element
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEX,
    REGEXES,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    RulePattern,
    shorten,
)
from lint.engine.kinds.needles import any_needles

_CACHE_SIZE = 4096  # entries of a kind's memos of attribute names and message values
_WRAPPERS = ("span", "font")  # elements that only wrap: bare and empty, they are nothing


class Context(NamedTuple):
    """Where a generic attribute name is reported (option ``contexts``)."""

    tags: frozenset[str]
    value: RulePattern | None
    with_: tuple[str, ...]

    def admits(self, tag: Tag, value: str) -> bool:
        if self.tags and tag.name not in self.tags:
            return False
        if self.value is not None and not self.value.fullmatches(value):
            return False
        return not self.with_ or any(tag.attribute(name) is not None for name in self.with_)


_CONTEXT_KEYS = frozenset({"tags", "value", "with"})


def _contexts(key: str, value: Any) -> dict[str, Context]:
    if not isinstance(value, dict):
        raise OptionError(key, f"option {key!r} must map attribute names to contexts")
    contexts = {}
    for name, raw in value.items():
        if not isinstance(name, str) or not isinstance(raw, dict) or set(raw) - _CONTEXT_KEYS:
            keys = ", ".join(sorted(_CONTEXT_KEYS))
            raise OptionError(key, f"option {key!r}: each context is a mapping of {keys}")
        pattern = raw.get("value")
        contexts[name.lower()] = Context(
            frozenset(STRINGS(key, raw.get("tags", []))),
            REGEX(key, pattern) if pattern is not None else None,
            STRINGS(key, raw.get("with", [])),
        )
    return contexts


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
        "contexts": Option(
            _contexts,
            {},
            doc="attribute name -> {tags, value, with}: a generic name is reported only on "
            "these elements, with a value matching the whole 'value' pattern, on an element "
            "that also has one of the 'with' attributes",
        ),
        "keep-meaning": Option(
            BOOLEAN,
            False,
            doc="the fix of a style attribute is safe only when every declaration is "
            "presentational; a style that hides text or carries meaning gets an unsafe fix",
        ),
    }
    variables = frozenset({"attribute", "value", "tag"})
    fix_actions = frozenset({"remove"})

    def needles(self) -> tuple[str, ...] | None:
        """The literal characters of the name patterns (an attribute name is in the text)."""
        return any_needles(pattern.pattern for pattern in self.settings["names"])

    def validate(self) -> None:
        for name, context in self.settings["contexts"].items():
            try:
                if context.value is not None:
                    context.value.compiled()
            except regex.error as error:
                raise OptionError("contexts", f"context of {name!r}: {error}") from None

    def check(self, document: Document) -> Iterator[Hit]:
        names: tuple[RulePattern, ...] = self.settings["names"]
        value_pattern: RulePattern | None = self.settings["value"]
        tags: tuple[str, ...] = self.settings["tags"]
        contexts: dict[str, Context] = self.settings["contexts"]
        remove = self.fix_action is not None
        keep_meaning: bool = self.settings["keep-meaning"]
        # Attribute names and values repeat a lot: decide each name, and make the message
        # values of each (name, value, tag), once per kind. The linter formats a values
        # mapping that repeats from one hit to the next once.
        known: dict[str, bool] = self.__dict__.setdefault("_name_matches", {})
        made: dict[tuple[str, str, str], dict[str, str]] = self.__dict__.setdefault(
            "_hit_values", {}
        )
        for tag in document.attributed_tags:
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
                context = contexts.get(name)
                if context is not None and not context.admits(tag, value):
                    continue
                key = (name, value, tag.name)
                values = made.get(key)
                if values is None:
                    values = {"attribute": name, "value": shorten(value), "tag": tag.name}
                    if len(made) < _CACHE_SIZE:
                        made[key] = values
                safe = not (keep_meaning and name == "style") or _presentational(value)
                if not remove:
                    yield Hit(attribute.name_start, attribute.end, values, None, safe)
                    continue
                wrapper = self._bare_wrapper(document, tag) if tag.name in _WRAPPERS else None
                if wrapper is not None:
                    edits = (Edit(wrapper.start, wrapper.end),)
                    yield Hit(wrapper.start, wrapper.end, values, edits, safe)
                else:
                    edits = (Edit(start=attribute.start, end=attribute.end),)
                    yield Hit(attribute.name_start, attribute.end, values, edits, safe)

    def _bare_wrapper(self, document: Document, tag: Tag) -> Element | None:
        """The element of ``tag`` if removing this rule's attributes leaves it bare and
        it is empty: ``<font style="…"></font>``."""
        names: tuple[RulePattern, ...] = self.settings["names"]
        value_pattern: RulePattern | None = self.settings["value"]
        for attribute in tag.attributes:
            if not any(pattern.fullmatches(attribute.name) for pattern in names):
                return None
            if value_pattern is not None and not value_pattern.found_in(attribute.value or ""):
                return None
        elements = document.element_index.by_name.get(tag.name, [])
        index = bisect_left(elements, tag.start, key=lambda element: element.start)
        if index == len(elements) or elements[index].tag is not tag:
            return None
        element = elements[index]
        end_tag = element.end_tag
        return element if end_tag is not None and end_tag.start == tag.end else None


@lru_cache(maxsize=4096)
def _presentational(style: str) -> bool:
    return style_effect(unescape(style)).kind == "presentational"
