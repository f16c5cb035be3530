"""The references the remote pass checks: a document's http(s) image URLs with their
positions, those no offline check already rejects."""

from __future__ import annotations

from typing import NamedTuple

from lint.document.document import Document
from lint.document.images import MissingSrc
from lint.engine.kinds.images import DEFAULT_IMAGE_FIELDS
from lint.engine.kinds.urls import WEB_SCHEMES, url_problem


class RemoteImageRef(NamedTuple):
    """A remote image URL used in a file, with its position."""

    path: str
    url: str  # absolute http(s) URL; protocol-relative URLs get https:
    source: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    media: bool = False


def remote_image_refs(
    document: Document, fields: tuple[str, ...] = DEFAULT_IMAGE_FIELDS
) -> list[RemoteImageRef]:
    """The document's image URLs that a remote check can request: http(s) and ``//``
    URLs with no offline problem, each with its position."""
    refs: list[RemoteImageRef] = []
    if not document.has_text:
        return refs
    for ref in document.image_refs(fields):
        if isinstance(ref, MissingSrc) or "malformed descriptor" in ref.source:
            continue
        url = ref.url.strip()
        if url_problem(url, WEB_SCHEMES) is not None:
            continue
        if url.startswith("//"):
            url = "https:" + url
        elif not url.lower().startswith(("http:", "https:")):
            continue
        line, column, end_line, end_column = document.lines.span(ref.start, ref.end)
        refs.append(
            RemoteImageRef(
                path=document.path,
                url=url,
                source=ref.source,
                start=ref.start,
                end=ref.end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                media=ref.media,
            )
        )
    return refs
