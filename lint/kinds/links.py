"""Kinds over URLs: image references that cannot work, links by URL, tracking parameters.

Image references are ``<img src>``, Markdown images (inline and reference-style) and
front-matter image fields. The checks here are offline: empty or missing sources,
malformed URLs, unsupported schemes, ``data:`` URIs that do not decode and local files
that do not exist.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import html
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from lint.document import Document
from lint.findings import Edit
from lint.kinds.base import BOOLEAN, REGEX, STRINGS, Hit, Kind, Option, shorten
from lint.kinds.markup import element_text

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DATA_URI = re.compile(r"data:(?P<type>[^,;]*)(?P<params>(?:;[^,;]*)*),(?P<data>.*)\Z", re.DOTALL)
_QUERY_SEPARATOR = re.compile(r"&amp;|&")


@dataclass(frozen=True)
class UrlRef:
    """A URL found in the document: where its value is, and what refers to it."""

    url: str  # decoded (HTML entities resolved)
    start: int
    end: int
    source: str  # "<img>", "Markdown image", "front-matter field 'headimg'", ...
    raw_start: int  # span of the raw (undecoded) value in the text
    raw_end: int


def image_refs(
    document: Document, fields: tuple[str, ...]
) -> Iterator[UrlRef | tuple[int, int, str]]:
    """Image URLs of the document; a tuple ``(start, end, source)`` for an image with no URL."""
    front_matter = document.front_matter
    if front_matter is not None and front_matter.problem is None:
        for name in fields:
            value = front_matter.data.get(name)
            if isinstance(value, str):
                span = front_matter.keys[name]
                yield UrlRef(
                    value,
                    span.value_start,
                    span.value_end,
                    f"front-matter field {name!r}",
                    span.value_start,
                    span.value_end,
                )
    for tag in document.markup.tags:
        if tag.closing or tag.name != "img":
            continue
        src = tag.attribute("src")
        if src is None:
            yield (tag.start, tag.end, "<img> without src")
        else:
            yield UrlRef(
                html.unescape(src.value or ""),
                src.name_start,
                src.end,
                "<img>",
                src.value_start,
                src.value_end,
            )
    for link in document.links:
        if link.image:
            yield UrlRef(
                link.url,
                link.url_start if link.url else link.start,
                link.url_end if link.url else link.end,
                "Markdown image",
                link.url_start,
                link.url_end,
            )


def url_problem(url: str, schemes: tuple[str, ...]) -> str | None:
    """What is wrong with an image URL that can be told offline (not local files)."""
    stripped = url.strip()
    if not stripped:
        return "empty image URL"
    scheme_match = _SCHEME.match(stripped)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "data":
        return _data_uri_problem(stripped)
    if scheme and scheme not in schemes:
        return f"unsupported scheme {scheme!r}"
    if any(char.isspace() for char in stripped):
        return "malformed URL: contains white space"
    if _BAD_PERCENT.search(stripped):
        return "malformed URL: bad percent-encoding"
    try:
        parts = urlsplit(stripped)
        parts.port  # noqa: B018 - raises on an invalid port
    except ValueError as error:
        return f"malformed URL: {error}"
    if (scheme or stripped.startswith("//")) and not parts.hostname:
        return "malformed URL: no host"
    return None


def _data_uri_problem(url: str) -> str | None:
    match = _DATA_URI.match(url)
    if match is None:
        return "malformed data: URI (no comma)"
    if ";base64" in match.group("params").lower():
        payload = re.sub(r"\s+", "", unquote(match.group("data")))
        try:
            base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            return "data: URI whose base64 payload does not decode"
    return None


def local_path(url: str) -> str | None:
    """The file path a relative URL names, or None for URLs that are not local paths."""
    stripped = url.strip()
    if _SCHEME.match(stripped) or stripped.startswith(("//", "#")):
        return None
    path = unquote(urlsplit(stripped).path)
    return path or None


class ImageKind(Kind):
    """Image references that cannot show: empty, malformed, unsupported, missing files."""

    name = "image"
    summary = "image references (<img>, Markdown, front-matter fields), offline checks"
    options: ClassVar[dict[str, Option]] = {
        "fields": Option(
            STRINGS,
            ("headimg", "thumbnail", "cover", "image", "banner"),
            doc="front-matter fields that hold an image URL",
        ),
        "schemes": Option(
            STRINGS,
            ("http", "https"),
            doc="URL schemes accepted ('data' is always checked for decoding)",
        ),
        "check-local": Option(BOOLEAN, True, doc="report relative paths to missing files"),
        "static-roots": Option(
            STRINGS,
            (),
            doc="folders (relative to the configuration) "
            "where site-absolute paths such as /images/a.png are looked up; "
            "folders that do not exist are skipped",
        ),
        "empty-fields": Option(
            BOOLEAN,
            True,
            doc="report image fields of the front matter "
            "that are present but empty (off where '' means 'no image')",
        ),
    }
    variables = frozenset({"url", "problem", "source"})

    def check(self, document: Document) -> Iterator[Hit]:
        schemes = tuple(scheme.lower() for scheme in self.settings["schemes"])
        for ref in image_refs(document, self.settings["fields"]):
            if (
                not self.settings["empty-fields"]
                and isinstance(ref, UrlRef)
                and ref.source.startswith("front-matter")
                and not ref.url.strip()
            ):
                continue
            if isinstance(ref, tuple):
                start, end, source = ref
                yield Hit(start, end, {"url": "", "problem": "image has no src", "source": source})
                continue
            problem = url_problem(ref.url, schemes)
            if problem is None and self.settings["check-local"]:
                problem = self._missing_file(document, ref.url)
            if problem is not None:
                values = {"url": shorten(ref.url), "problem": problem, "source": ref.source}
                yield Hit(ref.start, ref.end, values)

    def _missing_file(self, document: Document, url: str) -> str | None:
        path = local_path(url)
        if path is None or document.path in ("", "-"):
            return None
        if path.startswith("/"):
            roots = [os.path.join(self.base_dir, root) for root in self.settings["static-roots"]]
            roots = [root for root in roots if os.path.isdir(root)]
            candidates = [os.path.join(root, path.lstrip("/")) for root in roots]
        else:
            candidates = [os.path.join(os.path.dirname(document.path), path)]
        if not candidates or any(os.path.exists(candidate) for candidate in candidates):
            return None
        return "local image file not found"


class UrlParamKind(Kind):
    """Query parameters such as ``utm_*`` in link and image URLs; the fix strips them."""

    name = "url-param"
    summary = "query parameters in link and image URLs, by name pattern"
    options: ClassVar[dict[str, Option]] = {
        "params": Option(
            STRINGS,
            required=True,
            doc="parameter name patterns (globs, case-insensitive), e.g. utm_*",
        ),
        "attributes": Option(STRINGS, ("href", "src"), doc="HTML attributes holding URLs"),
    }
    variables = frozenset({"params", "url"})
    fix_actions = frozenset({"strip"})

    def check(self, document: Document) -> Iterator[Hit]:
        attributes: tuple[str, ...] = self.settings["attributes"]
        for tag in document.markup.tags:
            if tag.closing:
                continue
            for attribute in tag.attributes:
                if attribute.name in attributes and attribute.value and "?" in attribute.value:
                    yield from self._check_url(document, attribute.value_start, attribute.value_end)
        for link in document.links:
            if "?" in link.url:
                yield from self._check_url(document, link.url_start, link.url_end)

    def _check_url(self, document: Document, start: int, end: int) -> Iterator[Hit]:
        raw = document.text[start:end]
        query_start = raw.find("?")
        fragment = raw.find("#", query_start)
        query_end = fragment if fragment != -1 else len(raw)
        query = raw[query_start + 1 : query_end]
        patterns = [pattern.lower() for pattern in self.settings["params"]]
        kept: list[str] = []  # each kept parameter with the separator written before it
        removed: list[str] = []
        position = 0
        separator = ""
        for match in [*_QUERY_SEPARATOR.finditer(query), None]:
            piece_end = match.start() if match else len(query)
            piece = query[position:piece_end]
            name = html.unescape(unquote(piece.split("=", 1)[0])).lower()
            if piece and any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns):
                removed.append(name)
            elif piece:
                kept.append((separator if kept else "") + piece)
            if match:
                separator, position = match.group(), match.end()
        if not removed:
            return
        replacement = "?" + "".join(kept) if kept else ""
        edits = None
        if self.fix_action == "strip":
            edits = (Edit(start + query_start, start + query_end, replacement),)
        values = {"params": ", ".join(removed), "url": shorten(html.unescape(raw))}
        yield Hit(start + query_start, start + query_end, values, edits)


class LinkKind(Kind):
    """Links (Markdown ``[text](url)`` and ``<a href>``) whose URL matches a pattern.

    The ``unwrap`` fix keeps the link's text and removes the link: the brackets and
    destination of a Markdown link, the start and end tags of an ``<a>``.
    """

    name = "link"
    summary = "links (Markdown and <a href>) whose URL matches a pattern"
    options: ClassVar[dict[str, Option]] = {
        "pattern": Option(
            REGEX,
            required=True,
            doc="regular expression searched in the "
            "link's URL (HTML entities decoded, white space stripped)",
        ),
        "markdown": Option(BOOLEAN, True, doc="check Markdown inline links"),
        "html": Option(BOOLEAN, True, doc="check <a href> elements"),
    }
    variables = frozenset({"url", "text"})
    fix_actions = frozenset({"unwrap"})

    def check(self, document: Document) -> Iterator[Hit]:
        pattern = self.settings["pattern"]
        text = document.text
        if self.settings["html"] and document.markup.tags:
            for element in document.elements:
                href = element.tag.attribute("href") if element.name == "a" else None
                if href is None or href.value is None:
                    continue
                url = html.unescape(href.value).strip()
                if not pattern.search(url):
                    continue
                edits: tuple[Edit, ...] | None = None
                if self.fix_action == "unwrap":
                    edits = (Edit(element.tag.start, element.tag.end),)
                    if element.end_tag is not None:
                        edits += (Edit(element.end_tag.start, element.end_tag.end),)
                end = element.end if element.end_tag is not None else element.tag.end
                values = {"url": shorten(url), "text": shorten(element_text(document, element), 40)}
                yield Hit(element.start, end, values, edits)
        if self.settings["markdown"]:
            for link in document.links:
                if link.image or link.reference or link.label_start < 0:
                    continue
                url = link.url.strip()
                if not pattern.search(url):
                    continue
                edits = None
                if self.fix_action == "unwrap":
                    edits = (Edit(link.start, link.label_start), Edit(link.label_end, link.end))
                label = text[link.label_start : link.label_end]
                yield Hit(
                    link.start, link.end, {"url": shorten(url), "text": shorten(label, 40)}, edits
                )
