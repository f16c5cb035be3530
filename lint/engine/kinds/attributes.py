"""The ``attribute`` kind: HTML attributes of the body matched by name and value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, NamedTuple

from lint.document.document import Document
from lint.document.html import Tag
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
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
    }
    variables = frozenset({"attribute", "value", "tag"})
    fix_actions = frozenset({"remove"})

    def needles(self) -> tuple[str, ...] | None:
        """The literal characters of the name patterns (an attribute name is in the text)."""
        return any_needles(pattern.pattern for pattern in self.settings["names"])

    def validate(self) -> None:
        import regex

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
                edits = (Edit(start=attribute.start, end=attribute.end),) if remove else None
                yield Hit(start=attribute.name_start, end=attribute.end, values=values, edits=edits)
