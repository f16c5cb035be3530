"""Text patterns in the prose of the body (outside markup, comments and code), and, when a
rule asks, in the values of the front matter."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.frontmatter import value_regions
from lint.document.markdown import inside
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEX,
    STRING,
    Hit,
    Kind,
    Option,
    OptionError,
    choice,
    shorten,
)
from lint.engine.kinds.needles import pattern_needles


class TextKind(Kind):
    """A regular expression over prose; fixes remove the match or replace it."""

    name = "text"
    summary = "regular expression over the body's prose"
    options: ClassVar[dict[str, Option]] = {
        "pattern": Option(REGEX, required=True, doc="regular expression searched in the text"),
        "replacement": Option(STRING, doc="replacement template (\\1, \\g<name>) for 'replace'"),
        "scope": Option(
            choice("prose", "body"),
            "prose",
            doc="'prose' skips markup and code; 'body' searches the whole body",
        ),
        "front-matter-values": Option(
            BOOLEAN,
            False,
            doc="also search the values of the front matter (titles, descriptions, ...)",
        ),
    }
    variables = frozenset({"match"})
    fix_actions = frozenset({"remove", "replace"})

    def validate(self) -> None:
        if self.fix_action == "replace" and self.settings["replacement"] is None:
            raise OptionError("replacement", "fix action 'replace' needs option 'replacement'")

    def needles(self) -> tuple[str, ...] | None:
        """The literal characters of the pattern."""
        return pattern_needles(self.settings["pattern"].pattern)

    def check(self, document: Document) -> Iterator[Hit]:
        front_matter = document.front_matter
        if self.settings["front-matter-values"] and front_matter is not None:
            for start, end in value_regions(front_matter):
                yield from self._search(document, start, end, prose_only=False)
        prose_only = self.settings["scope"] == "prose"
        yield from self._search(document, document.body_start, len(document.text), prose_only)

    def _search(self, document: Document, start: int, end: int, prose_only: bool) -> Iterator[Hit]:
        pattern: re.Pattern[str] = self.settings["pattern"]
        for match in pattern.finditer(document.text, start, end):
            if match.end() == match.start():
                continue
            if prose_only and (
                inside(document.not_text, match.start())
                or inside(document.not_text, match.end() - 1)
            ):
                continue
            edits: tuple[Edit, ...] | None = None
            if self.fix_action == "remove":
                edits = (Edit(match.start(), match.end()),)
            elif self.fix_action == "replace":
                edits = (
                    Edit(match.start(), match.end(), match.expand(self.settings["replacement"])),
                )
            yield Hit(match.start(), match.end(), {"match": shorten(match.group(), 40)}, edits)
