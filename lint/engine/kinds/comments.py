"""The ``comment`` kind: HTML comments of the body matched by their content."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from lint.document.document import Document
from lint.engine.findings import Edit
from lint.engine.kinds.base import BOOLEAN, REGEXES, Hit, Kind, Option, RulePattern, shorten
from lint.engine.kinds.needles import any_needles


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

    def needles(self) -> tuple[str, ...] | None:
        """The literal characters of the patterns (a comment's content is in the text),
        else the opening of every comment."""
        patterns = (pattern.pattern for pattern in self.settings["patterns"])
        return any_needles(patterns) or ("<!--",)

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
