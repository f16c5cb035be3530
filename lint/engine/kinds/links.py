"""Kinds over link URLs: links by URL pattern, and tracking parameters in link and image
URLs."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from lint.document.document import Document
from lint.document.images import MissingSrc, unescape
from lint.document.tree import element_text
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    MESSAGE_WINDOW,
    REGEX,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    shorten,
)
from lint.engine.kinds.urls import host_matches

_QUERY_SEPARATOR = re.compile(r"&amp;|&")


def _host_params(key: str, value: object) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Option ``host-params``: a mapping of host globs (comma-separated) to parameter
    patterns, as pairs of tuples."""
    if not isinstance(value, dict):
        raise OptionError(key, f"option {key!r} must map host globs to lists of parameters")
    pairs = []
    for hosts, params in value.items():
        if not isinstance(hosts, str):
            raise OptionError(key, f"option {key!r}: host globs must be strings")
        globs = tuple(glob.strip() for glob in hosts.split(",") if glob.strip())
        pairs.append((globs, tuple(item.lower() for item in STRINGS(key, params))))
    return tuple(pairs)


def _matches(piece: str, name: str, patterns: Iterable[str]) -> bool:
    """Whether a query parameter (``name=value`` as written, and its decoded lower-case
    ``name``) matches one of the globs: a glob with ``=`` is matched against the whole
    decoded parameter, any other against its name."""
    whole = ""
    for pattern in patterns:
        if "=" in pattern:
            whole = whole or unescape(unquote(piece)).lower()
            if fnmatch.fnmatchcase(whole, pattern):
                return True
        elif fnmatch.fnmatchcase(name, pattern):
            return True
    return False


class UrlParamKind(Kind):
    """Query parameters such as ``utm_*`` in link and image URLs; the fix strips them."""

    name = "url-param"
    summary = "query parameters in link and image URLs, by name pattern"
    options: ClassVar[dict[str, Option]] = {
        "params": Option(
            STRINGS,
            required=True,
            doc="parameter patterns (globs, case-insensitive) on the name, e.g. utm_*, or "
            "with '=' on the whole parameter, e.g. ct=t(*",
        ),
        "host-params": Option(
            _host_params,
            (),
            doc="host globs (comma-separated) -> parameter patterns reported on those "
            "hosts only (names that are generic elsewhere)",
        ),
        "attributes": Option(STRINGS, ("href", "src"), doc="HTML attributes holding URLs"),
    }
    variables = frozenset({"params", "url"})
    fix_actions = frozenset({"strip"})

    def needles(self) -> tuple[str, ...] | None:
        """A query starts with "?" (the URLs are looked at as written)."""
        return ("?",)

    def check(self, document: Document) -> Iterator[Hit]:
        names = frozenset(self.settings["attributes"])
        for tag in document.attributed_tags:
            for attribute in tag.attributes:
                if attribute.name in names and attribute.value and "?" in attribute.value:
                    yield from self._check_url(document, attribute.value_start, attribute.value_end)
        checked: set[int] = set()  # reference links share their definition's URL
        for link in document.links:
            if "?" in link.url and link.url_start not in checked:
                checked.add(link.url_start)
                yield from self._check_url(document, link.url_start, link.url_end)

    def _check_url(self, document: Document, start: int, end: int) -> Iterator[Hit]:
        raw = document.text[start:end]
        query_start = raw.find("?")
        fragment = raw.find("#", query_start)
        query_end = fragment if fragment != -1 else len(raw)
        query = raw[query_start + 1 : query_end]
        patterns = [pattern.lower() for pattern in self.settings["params"]]
        if self.settings["host-params"]:
            try:
                host = urlsplit(unescape(raw[:query_start]).strip()).hostname or ""
            except ValueError:
                host = ""
            for hosts, params in self.settings["host-params"]:
                if host and host_matches(host, hosts):
                    patterns.extend(params)
        kept: list[str] = []  # each kept parameter with the separator written before it
        removed: list[str] = []
        position = 0
        separator = ""
        for match in [*_QUERY_SEPARATOR.finditer(query), None]:
            piece_end = match.start() if match else len(query)
            piece = query[position:piece_end]
            name = unescape(unquote(piece.split("=", 1)[0])).lower()
            if piece and _matches(piece, name, patterns):
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
        values = {"params": ", ".join(removed), "url": shorten(unescape(raw))}
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
        "images": Option(
            BOOLEAN, False, doc="check image references too (<img>, srcset, Markdown images)"
        ),
        "own-hosts": Option(
            STRINGS, (), doc="host globs of the site itself, whose URLs are never reported"
        ),
    }
    variables = frozenset({"url", "text"})
    fix_actions = frozenset({"unwrap"})

    def needles(self) -> tuple[str, ...] | None:
        """The opening of an ``<a>`` element, the middle of a Markdown inline link. (Not
        the pattern's characters: the URL of an ``<a href>`` may be written with
        character references.)"""
        needles: tuple[str, ...] = ("<a",) if self.settings["html"] else ()
        needles += ("](",) if self.settings["markdown"] else ()
        needles += ("<img", "<source", "![") if self.settings["images"] else ()
        return needles or None

    def _matches(self, url: str) -> bool:
        if not self.settings["pattern"].found_in(url):
            return False
        own: tuple[str, ...] = self.settings["own-hosts"]
        if not own:
            return True
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return True
        return not (host and host_matches(host, own))

    def check(self, document: Document) -> Iterator[Hit]:
        yield from self._links(document)
        if self.settings["images"]:
            for ref in document.image_refs(()):
                if not isinstance(ref, MissingSrc) and self._matches(ref.url.strip()):
                    yield Hit(ref.start, ref.end, {"url": shorten(ref.url.strip()), "text": ""})

    def _links(self, document: Document) -> Iterator[Hit]:
        text = document.text
        if self.settings["html"] and document.markup.tags:
            for element in document.element_index.by_name.get("a", ()):
                href = element.tag.attribute("href")
                if href is None or href.value is None:
                    continue
                url = unescape(href.value).strip()
                if not self._matches(url):
                    continue
                edits: tuple[Edit, ...] | None = None
                if self.fix_action == "unwrap":
                    edits = (Edit(element.tag.start, element.tag.end),)
                    if element.end_tag is not None:
                        edits += (Edit(element.end_tag.start, element.end_tag.end),)
                end = element.end if element.end_tag is not None else element.tag.end
                values = {
                    "url": shorten(url),
                    "text": shorten(element_text(document.text, element, MESSAGE_WINDOW), 40),
                }
                yield Hit(element.start, end, values, edits)
        if self.settings["markdown"]:
            for link in document.links:
                if link.image or link.reference or link.label_start < 0:
                    continue
                url = link.url.strip()
                if not self._matches(url):
                    continue
                edits = None
                if self.fix_action == "unwrap":
                    edits = (Edit(link.start, link.label_start), Edit(link.label_end, link.end))
                label = text[link.label_start : link.label_end]
                yield Hit(
                    link.start, link.end, {"url": shorten(url), "text": shorten(label, 40)}, edits
                )
