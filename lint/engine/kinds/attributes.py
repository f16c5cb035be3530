"""The ``attribute`` kind: HTML attributes of the body matched by name and value."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.engine.findings import Edit
from lint.engine.kinds.base import REGEX, REGEXES, STRINGS, Hit, Kind, Option, RulePattern, shorten
from lint.engine.kinds.needles import any_needles

_CACHE_SIZE = 4096  # entries of a kind's memos of attribute names and message values


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

    def needles(self) -> tuple[str, ...] | None:
        """The literal characters of the name patterns (an attribute name is in the text)."""
        return any_needles(pattern.pattern for pattern in self.settings["names"])

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
                key = (name, value, tag.name)
                values = made.get(key)
                if values is None:
                    values = {"attribute": name, "value": shorten(value), "tag": tag.name}
                    if len(made) < _CACHE_SIZE:
                        made[key] = values
                edits = (Edit(start=attribute.start, end=attribute.end),) if remove else None
                yield Hit(start=attribute.name_start, end=attribute.end, values=values, edits=edits)
