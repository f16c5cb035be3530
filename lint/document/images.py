"""The image references of a document, with the offsets of their URLs.

An image reference is an ``<img src>``, a candidate of ``srcset`` (on ``<img>`` and
``<source>``), a ``<source src>``, a Markdown image (inline or reference-style) or a
front-matter field that holds an image URL. ``body_image_refs`` finds those of the body
(``Document.image_refs`` keeps them); ``front_matter_image_refs`` those of the named
front-matter fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from html import unescape as unescape_entities
from typing import NamedTuple

from lint.document.frontmatter import FrontMatter
from lint.document.html import Tag
from lint.document.markdown import Link
from lint.document.tree import Element

HTML_WHITESPACE = " \t\n\r\f"
_SRCSET_DESCRIPTOR = re.compile(r"(?:\d+w|\d+(?:\.\d+)?x|\d+h)\Z", re.IGNORECASE)


def unescape(text: str) -> str:
    """``text`` with its HTML entities resolved (``html.unescape``)."""
    return unescape_entities(text) if "&" in text else text


class UrlRef(NamedTuple):
    """A URL found in the document: where its value is, and what refers to it."""

    url: str  # decoded (HTML entities resolved, YAML unquoted)
    start: int
    end: int
    source: str  # "<img>", "<img srcset>", "Markdown image", "front-matter field 'headimg'"
    raw_start: int  # span of the raw (undecoded) value in the text
    raw_end: int
    media: bool = False  # <source src>: a video or audio file, not only an image


MARKDOWN_IMAGE = "Markdown image"  # the source of a Markdown image's UrlRef
# Attributes where lazy-loading scripts keep an image's URL until they copy it to src.
LAZY_SOURCES = ("data-src", "data-original", "data-lazy-src", "data-actualsrc", "data-url")


class MissingSrc(NamedTuple):
    """An image element with no URL at all (``<img>`` without ``src``); ``lazy`` names
    the lazy-loading attribute that holds its URL instead (``data-src``), if any."""

    start: int
    end: int
    source: str
    lazy: str = ""


def body_image_refs(
    text: str, elements: Sequence[Element], links: Sequence[Link]
) -> tuple[UrlRef | MissingSrc, ...]:
    """The image references of the body: those of the ``<img>`` and ``<source>``
    ``elements`` (in document order), then the Markdown images among ``links``."""
    refs: list[UrlRef | MissingSrc] = []
    for element in elements:
        refs.extend(_tag_refs(text, element.tag))
    refs.extend(
        UrlRef(
            # A <…> destination may hold spaces, which the URL has %-encoded.
            url=link.url.replace(" ", "%20") if link.angled else link.url,
            start=link.url_start if link.url else link.start,
            end=link.url_end if link.url else link.end,
            source=MARKDOWN_IMAGE,
            raw_start=link.url_start,
            raw_end=link.url_end,
        )
        for link in links
        if link.image
    )
    return tuple(refs)


def front_matter_image_refs(
    front_matter: FrontMatter | None, fields: Sequence[str]
) -> Iterator[UrlRef]:
    """The string values of the front-matter ``fields``, in the order of ``fields``."""
    if front_matter is None or front_matter.problem is not None:
        return
    for name in fields:
        value = front_matter.data.get(name)
        if isinstance(value, str) and name in front_matter.keys:
            span = front_matter.keys[name]
            yield UrlRef(
                url=value,
                start=span.value_start,
                end=span.value_end,
                source=f"front-matter field {name!r}",
                raw_start=span.value_start,
                raw_end=span.value_end,
            )


def _tag_refs(text: str, tag: Tag) -> Iterator[UrlRef | MissingSrc]:
    """The references of an ``<img>`` or ``<source>`` start tag."""
    src = tag.attribute("src")
    srcset = tag.attribute("srcset")
    if src is not None:
        yield UrlRef(
            url=unescape(src.value or ""),
            start=src.name_start,
            end=src.end,
            source=f"<{tag.name}>",
            raw_start=src.value_start,
            raw_end=src.value_end,
            media=tag.name == "source",
        )
    elif tag.name == "img" and (srcset is None or not (srcset.value or "").strip()):
        lazy = next(
            (a.name for a in tag.attributes if a.name in LAZY_SOURCES and (a.value or "").strip()),
            "",
        )
        yield MissingSrc(start=tag.start, end=tag.end, source="<img> without src", lazy=lazy)
    if srcset is not None and srcset.value:
        yield from _srcset_refs(text, tag.name, srcset.value_start, srcset.value_end)


def _srcset_refs(text: str, tag: str, start: int, end: int) -> Iterator[UrlRef]:
    """The candidates of a ``srcset`` value, parsed as the HTML standard says.

    A candidate is a URL (a run of non-space characters; trailing commas end it) and an
    optional descriptor (``2x``, ``640w``) up to the next comma. A descriptor that is
    neither makes the candidate a ``UrlRef`` whose URL carries the problem in ``source``.
    """
    position = start
    while position < end:
        while position < end and (text[position] in HTML_WHITESPACE or text[position] == ","):
            position += 1
        if position >= end:
            return
        url_start = position
        while position < end and text[position] not in HTML_WHITESPACE:
            position += 1
        url_end = position
        while url_end > url_start and text[url_end - 1] == ",":
            url_end -= 1
        descriptor = ""
        if url_end == position:  # no comma ended the URL: a descriptor may follow
            depth = 0
            descriptor_start = position
            while position < end and (depth or text[position] != ","):
                depth += {"(": 1, ")": -1}.get(text[position], 0)
                position += 1
            descriptor = text[descriptor_start:position].strip()
        source = f"<{tag} srcset>"
        if descriptor and not _SRCSET_DESCRIPTOR.match(descriptor):
            source = f"<{tag} srcset>, malformed descriptor {descriptor!r}"
        yield UrlRef(
            url=unescape(text[url_start:url_end]),
            start=url_start,
            end=url_end,
            source=source,
            raw_start=url_start,
            raw_end=url_end,
        )
