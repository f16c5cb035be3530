"""The kind of the built-in ``unused-suppression`` rule.

The linter computes that rule's hits (``lint.engine.suppressions``): they depend on every
other rule's findings, so ``check`` yields nothing itself."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import ClassVar

from lint.document.document import Document
from lint.engine.kinds.base import Hit, Kind, Option


class SuppressionKind(Kind):
    """contentlint's own suppression comments (see ``lint.engine.suppressions``)."""

    name = "suppression"
    summary = "contentlint's own suppression comments"
    options: ClassVar[Mapping[str, Option]] = {}
    variables = frozenset({"directive", "detail"})

    def check(self, document: Document) -> Iterator[Hit]:
        return iter(())
