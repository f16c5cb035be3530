"""The registry of check kinds, by the name rule files use in ``kind:``."""

from __future__ import annotations

from lint.engine.kinds.base import Kind
from lint.engine.kinds.front_matter import DocumentKind, FrontMatterFieldKind
from lint.engine.kinds.links import ImageKind, LinkKind, UrlParamKind
from lint.engine.kinds.markup import AttributeKind, CommentKind, ElementKind
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
        ImageKind,
        LinkKind,
        UrlParamKind,
    )
}

__all__ = ["KINDS", "Kind"]
