"""The registry of check kinds, by the name rule files use in ``kind:``, and the kinds of
the built-in rules."""

from __future__ import annotations

from lint.engine.kinds.active import ActiveContentKind
from lint.engine.kinds.attributes import AttributeKind
from lint.engine.kinds.base import Kind
from lint.engine.kinds.comments import CommentKind
from lint.engine.kinds.elements import ElementKind
from lint.engine.kinds.front_matter import DocumentKind, FrontMatterFieldKind
from lint.engine.kinds.hidden import HiddenTextKind
from lint.engine.kinds.images import ImageKind
from lint.engine.kinds.lines import LineKind
from lint.engine.kinds.links import LinkKind, UrlParamKind
from lint.engine.kinds.structure import StructureKind
from lint.engine.kinds.suppression import SuppressionKind
from lint.engine.kinds.text import TextKind

KINDS: dict[str, type[Kind]] = {
    kind.name: kind
    for kind in (
        DocumentKind,
        FrontMatterFieldKind,
        ElementKind,
        AttributeKind,
        CommentKind,
        TextKind,
        LineKind,
        ImageKind,
        LinkKind,
        UrlParamKind,
        StructureKind,
        ActiveContentKind,
        HiddenTextKind,
    )
}
BUILTIN_KINDS: dict[str, type[Kind]] = {SuppressionKind.name: SuppressionKind}
"""Kinds of the rules built into contentlint, which rule files cannot name."""

__all__ = ["BUILTIN_KINDS", "KINDS", "Kind"]
