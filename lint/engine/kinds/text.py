"""Text patterns in the prose of the body (outside markup, comments and code)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.markdown import inside
from lint.engine.findings import Edit
from lint.engine.kinds.base import REGEX, STRING, Hit, Kind, Option, OptionError, choice, shorten
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
        pattern: re.Pattern[str] = self.settings["pattern"]
        prose_only = self.settings["scope"] == "prose"
        for match in pattern.finditer(document.text, document.body_start):
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
