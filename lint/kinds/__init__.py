"""The registry of check kinds, by the name rule files use in ``kind:``."""

from __future__ import annotations

from lint.kinds.base import Kind
from lint.kinds.front_matter import DocumentKind, FrontMatterFieldKind
from lint.kinds.links import ImageKind, LinkKind, UrlParamKind
from lint.kinds.markup import AttributeKind, CommentKind, ElementKind
from lint.kinds.text import TextKind

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
