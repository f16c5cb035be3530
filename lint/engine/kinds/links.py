"""Kinds over URLs: image references that cannot work, links by URL, tracking parameters.

Image references are ``<img src>``, the candidates of ``srcset`` (on ``<img>`` and
``<source>``), ``<source src>``, Markdown images (inline and reference-style) and
front-matter image fields. The ``image`` kind runs one of several offline checks on
them, chosen by its ``check`` option:

- ``broken``: empty or missing sources, malformed URLs, unsupported schemes, ``data:``
  URIs that do not decode, local files that do not exist (next to the article, in a
  Hexo post-asset folder, or under the site's static roots);
- ``protocol-relative``: ``//host/path`` URLs (fix: prefix ``https:``);
- ``insecure``: ``http:`` images (fix: ``https:`` for hosts listed in ``https-hosts``);
- ``placeholder``: placeholder services (picsum, placehold.co, ...) and lazy-load
  placeholders whose real image sits in ``data-src``;
- ``proxy``: images wrapped in a proxy such as a CORS proxy (fix: unwrap).

The image rules share one pass over a document's references (``shared_image_refs``) and
the offline problem of each URL (``offline_problem``). ``remote_image_refs`` lists a
document's remote image URLs with their positions for the opt-in remote check
(``lint.remote``).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import functools
import os
import re
from collections.abc import Iterable, Iterator
from typing import ClassVar, NamedTuple
from urllib.parse import unquote, urlsplit

from lint.document.document import Document
from lint.document.html import Tag
from lint.document.tree import Element
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEX,
    REGEXES,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    PerDocument,
    choice,
    shorten,
)
from lint.engine.kinds.markup import (
    MESSAGE_WINDOW,
    element_index,
    element_text,
    tags_with_attributes,
)

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_WHITE_SPACE = re.compile(r"\s")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Patterns of rarer cases, compiled on first use (through the ``re`` module's cache):
_DATA_URI = r"data:(?P<type>[^,;]*)(?P<params>(?:;[^,;]*)*),(?P<data>.*)\Z"
_QUERY_SEPARATOR = r"&amp;|&"
_SRCSET_DESCRIPTOR = r"(?:\d+w|\d+(?:\.\d+)?x|\d+h)\Z"
_HTML_WHITESPACE = " \t\n\r\f"

DEFAULT_IMAGE_FIELDS = ("headimg", "thumbnail", "cover", "image", "banner")
CHECKS = ("broken", "protocol-relative", "insecure", "placeholder", "proxy")
_WEB = ("http", "https")
HUGO_CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.json",
)


def unescape(text: str) -> str:
    """``html.unescape``; the ``html`` module (a large table of entities) is imported only
    when a text has an entity."""
    if "&" not in text:
        return text
    from html import unescape as unescape_entities

    return unescape_entities(text)


class UrlRef(NamedTuple):
    """A URL found in the document: where its value is, and what refers to it."""

    url: str  # decoded (HTML entities resolved, YAML unquoted)
    start: int
    end: int
    source: str  # "<img>", "<img srcset>", "Markdown image", "front-matter field 'headimg'"
    raw_start: int  # span of the raw (undecoded) value in the text
    raw_end: int
    media: bool = False  # <source src>: a video or audio file, not only an image


class MissingSrc(NamedTuple):
    """An image element with no URL at all (``<img>`` without ``src``)."""

    start: int
    end: int
    source: str


def image_refs(document: Document, fields: tuple[str, ...]) -> Iterator[UrlRef | MissingSrc]:
    """Every image reference of the document, in the order of the kinds of reference:
    front-matter fields, ``<img>``/``<source>`` tags, Markdown images.

    Rules use ``shared_image_refs``, which gives the same references, found once per
    document."""
    yield from _front_matter_refs(document, fields)
    for tag in document.markup.tags:
        if not tag.closing and tag.name in ("img", "source"):
            yield from _tag_refs(document.text, tag)
    yield from _markdown_refs(document)


def _front_matter_refs(document: Document, fields: tuple[str, ...]) -> Iterator[UrlRef]:
    front_matter = document.front_matter
    if front_matter is None or front_matter.problem is not None:
        return
    for name in fields:
        value = front_matter.data.get(name)
        if isinstance(value, str) and name in front_matter.keys:
            span = front_matter.keys[name]
            yield UrlRef(
                value,
                span.value_start,
                span.value_end,
                f"front-matter field {name!r}",
                span.value_start,
                span.value_end,
            )


def _tag_refs(text: str, tag: Tag) -> Iterator[UrlRef | MissingSrc]:
    """The references of an ``<img>`` or ``<source>`` start tag."""
    src = tag.attribute("src")
    srcset = tag.attribute("srcset")
    if src is not None:
        yield UrlRef(
            unescape(src.value or ""),
            src.name_start,
            src.end,
            f"<{tag.name}>",
            src.value_start,
            src.value_end,
            media=tag.name == "source",
        )
    elif tag.name == "img" and (srcset is None or not (srcset.value or "").strip()):
        yield MissingSrc(tag.start, tag.end, "<img> without src")
    if srcset is not None and srcset.value:
        yield from _srcset_refs(text, tag.name, srcset.value_start, srcset.value_end)


def _markdown_refs(document: Document) -> Iterator[UrlRef]:
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


def _elements_named(document: Document, *names: str) -> list[Element]:
    """The elements with one of ``names`` (valid XML names), in document order."""
    by_name = element_index(document).by_name
    groups = [by_name[name] for name in names if name in by_name]
    if len(groups) == 1:
        return groups[0]
    return sorted((element for group in groups for element in group), key=_element_start)


def _element_start(element: Element) -> int:
    return element.start


class _DocumentImages:
    """A document's image references and their offline problems, found once for all the
    image rules (it must not refer to the document: it is cached per document)."""

    __slots__ = ("_body", "_problems", "_refs")

    def __init__(self, document: Document) -> None:
        text = document.text
        body: list[UrlRef | MissingSrc] = []
        for element in _elements_named(document, "img", "source"):
            body.extend(_tag_refs(text, element.tag))
        body.extend(_markdown_refs(document))
        self._body = tuple(body)
        self._refs: dict[tuple[str, ...], tuple[UrlRef | MissingSrc, ...]] = {}
        self._problems: dict[tuple[str, tuple[str, ...]], str | None] = {}

    def refs(self, document: Document, fields: tuple[str, ...]) -> tuple[UrlRef | MissingSrc, ...]:
        refs = self._refs.get(fields)
        if refs is None:
            refs = self._refs[fields] = (*_front_matter_refs(document, fields), *self._body)
        return refs

    def problem(self, url: str, schemes: tuple[str, ...]) -> str | None:
        """``url_problem(url, schemes)``, remembered."""
        key = (url, schemes)
        if key in self._problems:
            return self._problems[key]
        problem = self._problems[key] = url_problem(url, schemes)
        return problem


_document_images: PerDocument[_DocumentImages] = PerDocument(_DocumentImages)


def shared_image_refs(document: Document, fields: Iterable[str]) -> tuple[UrlRef | MissingSrc, ...]:
    """``image_refs`` as a tuple, found once per document and shared by the rules."""
    return _document_images(document).refs(document, tuple(fields))


def offline_problem(document: Document, url: str, schemes: tuple[str, ...]) -> str | None:
    """``url_problem(url, schemes)`` for an image URL of ``document``, found once per
    document and shared by the rules."""
    return _document_images(document).problem(url, schemes)


def _srcset_refs(text: str, tag: str, start: int, end: int) -> Iterator[UrlRef]:
    """The candidates of a ``srcset`` value, parsed as the HTML standard says.

    A candidate is a URL (a run of non-space characters; trailing commas end it) and an
    optional descriptor (``2x``, ``640w``) up to the next comma. A descriptor that is
    neither makes the candidate a ``UrlRef`` whose URL carries the problem in ``source``.
    """
    position = start
    while position < end:
        while position < end and (text[position] in _HTML_WHITESPACE or text[position] == ","):
            position += 1
        if position >= end:
            return
        url_start = position
        while position < end and text[position] not in _HTML_WHITESPACE:
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
        url = unescape(text[url_start:url_end])
        source = f"<{tag} srcset>"
        if descriptor and not re.match(_SRCSET_DESCRIPTOR, descriptor, re.IGNORECASE):
            source = f"<{tag} srcset>, malformed descriptor {descriptor!r}"
        yield UrlRef(url, url_start, url_end, source, url_start, url_end)


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
    if _WHITE_SPACE.search(stripped):
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
    match = re.match(_DATA_URI, url, re.DOTALL)
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


@functools.lru_cache(maxsize=4096)
def detected_static_roots(folder: str) -> tuple[str, ...]:
    """The static roots of the site ``folder`` belongs to, found by its markers upward.

    Hexo (``_config.yml`` beside ``source/``): ``source/``. Hugo (a Hugo configuration
    beside ``content/``): ``static/``. Jekyll (``_config.yml`` alone): the site root.
    """
    current = os.path.abspath(folder)
    while True:
        if os.path.isfile(os.path.join(current, "_config.yml")) or os.path.isfile(
            os.path.join(current, "_config.yaml")
        ):
            hexo_source = os.path.join(current, "source")
            return (hexo_source,) if os.path.isdir(hexo_source) else (current,)
        if os.path.isdir(os.path.join(current, "content")) and any(
            os.path.isfile(os.path.join(current, name)) for name in HUGO_CONFIGS
        ):
            static = os.path.join(current, "static")
            return (static,) if os.path.isdir(static) else ()
        parent = os.path.dirname(current)
        if parent == current:
            return ()
        current = parent


def literal_span(text: str, ref: UrlRef) -> tuple[int, int] | None:
    """The span of ``ref``'s URL written literally in the text (quotes and white space
    excluded), or None where the text encodes it (HTML entities, YAML escapes)."""
    start, end = ref.raw_start, ref.raw_end
    raw = text[start:end]
    if raw[:1] in ("'", '"') and len(raw) >= 2 and raw[-1] == raw[0]:
        start, end = start + 1, end - 1
    while start < end and text[start] in _HTML_WHITESPACE:
        start += 1
    while end > start and text[end - 1] in _HTML_WHITESPACE:
        end -= 1
    if text[start:end] != ref.url.strip() or any(char in text[start:end] for char in "'\"\\"):
        return None
    return start, end


def host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``host`` matches one of the globs (``*.sinaimg.cn`` also matches the domain)."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower()
        if fnmatch.fnmatchcase(host, pattern):
            return True
        if pattern.startswith("*.") and host == pattern[2:]:
            return True
    return False


class RemoteImageRef(NamedTuple):
    """A remote image URL used in a file, with its position (for ``lint.remote``)."""

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
    if not document.decodable:
        return refs
    for ref in shared_image_refs(document, fields):
        if isinstance(ref, MissingSrc) or "malformed descriptor" in ref.source:
            continue
        url = ref.url.strip()
        if offline_problem(document, url, ("http", "https")) is not None:
            continue
        if url.startswith("//"):
            url = "https:" + url
        elif not url.lower().startswith(("http:", "https:")):
            continue
        line, column = document.lines.position(ref.start)
        end_line, end_column = document.lines.position(ref.end)
        refs.append(
            RemoteImageRef(
                document.path,
                url,
                ref.source,
                ref.start,
                ref.end,
                line,
                column,
                end_line,
                end_column,
                ref.media,
            )
        )
    return refs


class ImageKind(Kind):
    """Image references: broken ones, and those that work but should not be written so."""

    name = "image"
    summary = "image references (<img>, srcset, <source>, Markdown, front matter), offline"
    options: ClassVar[dict[str, Option]] = {
        "check": Option(
            choice(*CHECKS),
            "broken",
            doc="what to look for: broken (cannot show), protocol-relative (//host), "
            "insecure (http:), placeholder (patterns, lazy-load placeholders), "
            "proxy (wrapped in a proxy URL)",
        ),
        "fields": Option(
            STRINGS,
            DEFAULT_IMAGE_FIELDS,
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
        "detect-site-root": Option(
            BOOLEAN,
            True,
            doc="without static-roots, find the site's static folder from its markers "
            "upward (Hexo source/, Hugo static/, Jekyll root)",
        ),
        "empty-fields": Option(
            BOOLEAN,
            True,
            doc="report image fields of the front matter "
            "that are present but empty (off where '' means 'no image')",
        ),
        "https-hosts": Option(
            STRINGS,
            (),
            doc="host globs known to serve the same images over https "
            "(check insecure: the https fix is offered for these hosts only)",
        ),
        "patterns": Option(
            REGEXES,
            (),
            doc="regular expressions searched in the URL (check placeholder)",
        ),
        "lazy-attributes": Option(
            STRINGS,
            ("data-src", "data-original", "data-lazy-src", "data-actualsrc"),
            doc="attributes where lazy loaders keep the real image; an <img> with one "
            "and a data: src is a placeholder (check placeholder)",
        ),
        "wrappers": Option(
            REGEXES,
            (),
            doc="regular expressions matching a whole proxy URL, with a group named "
            "'url' around the wrapped URL (check proxy)",
        ),
    }
    variables = frozenset({"url", "problem", "source", "target"})
    fix_actions = frozenset({"https", "unwrap"})

    def validate(self) -> None:
        check = self.settings["check"]
        fixes = {"protocol-relative": "https", "insecure": "https", "proxy": "unwrap"}
        if self.fix_action is not None and fixes.get(check) != self.fix_action:
            raise OptionError("fix", f"check {check!r} cannot {self.fix_action!r}")
        if check == "placeholder" and not (
            self.settings["patterns"] or self.settings["lazy-attributes"]
        ):
            raise OptionError("patterns", "check 'placeholder' needs 'patterns'")
        if check == "proxy":
            if not self.settings["wrappers"]:
                raise OptionError("wrappers", "check 'proxy' needs 'wrappers'")
            for wrapper in self.settings["wrappers"]:
                if "url" not in wrapper.groupindex:
                    raise OptionError(
                        "wrappers", f"wrapper {wrapper.pattern!r} has no group named 'url'"
                    )

    def check(self, document: Document) -> Iterator[Hit]:
        check = self.settings["check"]
        if check == "broken":
            yield from self._broken(document)
            return
        method = {
            "protocol-relative": self._protocol_relative,
            "insecure": self._insecure,
            "placeholder": self._placeholder,
            "proxy": self._proxy,
        }[check]
        if check == "placeholder":
            yield from self._lazy_placeholders(document)
        for ref in shared_image_refs(document, self.settings["fields"]):
            if isinstance(ref, MissingSrc) or offline_problem(document, ref.url, _WEB):
                continue
            hit = method(document, ref)
            if hit is not None:
                yield hit

    def _values(self, ref: UrlRef, problem: str, target: str = "") -> dict[str, str]:
        source = ref.source.split(",", 1)[0]
        return {"url": shorten(ref.url), "problem": problem, "source": source, "target": target}

    def _broken(self, document: Document) -> Iterator[Hit]:
        schemes = tuple(scheme.lower() for scheme in self.settings["schemes"])
        for ref in shared_image_refs(document, self.settings["fields"]):
            if isinstance(ref, MissingSrc):
                values = {"url": "", "problem": "image has no src", "source": ref.source}
                yield Hit(ref.start, ref.end, {**values, "target": ""})
                continue
            if (
                not self.settings["empty-fields"]
                and ref.source.startswith("front-matter")
                and not ref.url.strip()
            ):
                continue
            problem = offline_problem(document, ref.url, schemes)
            if problem is None and ", malformed descriptor " in ref.source:
                problem = "malformed srcset descriptor " + ref.source.split(" descriptor ", 1)[1]
            if problem is None and self.settings["check-local"]:
                problem = self._missing_file(document, ref.url)
            if problem is not None:
                yield Hit(ref.start, ref.end, self._values(ref, problem))

    def _missing_file(self, document: Document, url: str) -> str | None:
        path = local_path(url)
        if path is None or document.path in ("", "-"):
            return None
        folder = os.path.dirname(document.path) or "."
        if path.startswith("/"):
            roots = [os.path.join(self.base_dir, root) for root in self.settings["static-roots"]]
            roots = [root for root in roots if os.path.isdir(root)]
            if not self.settings["static-roots"] and self.settings["detect-site-root"]:
                roots = list(detected_static_roots(folder))
            candidates = [os.path.join(root, path.lstrip("/")) for root in roots]
        else:
            candidates = [
                os.path.join(folder, path),
                # Hexo's post asset folder: source/_posts/a.md -> source/_posts/a/
                os.path.join(os.path.splitext(document.path)[0], path),
            ]
        if not candidates or any(os.path.exists(candidate) for candidate in candidates):
            return None
        return "local image file not found"

    def _https_edit(self, document: Document, ref: UrlRef, prefix_length: int) -> Edit | None:
        span = literal_span(document.text, ref)
        if span is None:
            return None
        return Edit(span[0], span[0] + prefix_length, "https:")

    def _protocol_relative(self, document: Document, ref: UrlRef) -> Hit | None:
        if not ref.url.strip().startswith("//"):
            return None
        edit = self._https_edit(document, ref, 0) if self.fix_action == "https" else None
        values = self._values(ref, "protocol-relative URL")
        return Hit(ref.start, ref.end, values, (edit,) if edit else None)

    def _insecure(self, document: Document, ref: UrlRef) -> Hit | None:
        url = ref.url.strip()
        if url[:5].lower() != "http:":
            return None
        edit = None
        host = urlsplit(url).hostname or ""
        if self.fix_action == "https" and host_matches(host, self.settings["https-hosts"]):
            edit = self._https_edit(document, ref, len("http:"))
        values = self._values(ref, "http: image", "https:" + url[5:])
        return Hit(ref.start, ref.end, values, (edit,) if edit else None)

    def _placeholder(self, document: Document, ref: UrlRef) -> Hit | None:
        url = ref.url.strip()
        for pattern in self.settings["patterns"]:
            if pattern.found_in(url):
                return Hit(ref.start, ref.end, self._values(ref, shorten(url)))
        return None

    def _lazy_placeholders(self, document: Document) -> Iterator[Hit]:
        lazy: tuple[str, ...] = self.settings["lazy-attributes"]
        if not lazy:
            return
        for element in element_index(document).by_name.get("img", ()):
            tag = element.tag
            src = tag.attribute("src")
            real = next(
                (tag.attribute(name) for name in lazy if tag.attribute(name) is not None), None
            )
            if src is None or real is None or not (real.value or "").strip():
                continue
            url = unescape(src.value or "").strip()
            if url[:5].lower() != "data:":
                continue
            target = unescape(real.value or "").strip()
            values = {
                "url": shorten(url),
                "problem": f"lazy-load placeholder, the image is in {real.name}: "
                + shorten(target),
                "source": "<img>",
                "target": shorten(target),
            }
            yield Hit(src.name_start, src.end, values)

    def _proxy(self, document: Document, ref: UrlRef) -> Hit | None:
        url = ref.url.strip()
        for wrapper in self.settings["wrappers"]:
            match = wrapper.fullmatch(url)
            if match is None or not match.group("url"):
                continue
            target = match.group("url")
            if re.match(r"(?:https?|HTTPS?)%3[Aa]", target):
                target = unquote(target)
            edits = None
            span = literal_span(document.text, ref)
            if self.fix_action == "unwrap" and span is not None and _unwrappable(target):
                edits = (Edit(span[0], span[1], target),)
            values = self._values(ref, f"proxied image of {shorten(target)}", shorten(target))
            return Hit(ref.start, ref.end, values, edits)
        return None


def _unwrappable(target: str) -> bool:
    """Whether an unwrapped URL can replace its wrapper as written: an http(s) URL with
    nothing that would need quoting in HTML, YAML or a Markdown destination."""
    return (
        url_problem(target, ("http", "https")) is None
        and re.match(r"(?:https?:)?//", target, re.IGNORECASE) is not None
        and not any(char in target for char in "\"'<>()\\")
    )


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
        names = frozenset(self.settings["attributes"])
        for tag in tags_with_attributes(document):
            for attribute in tag.attributes:
                if attribute.name in names and attribute.value and "?" in attribute.value:
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
        for match in [*re.finditer(_QUERY_SEPARATOR, query), None]:
            piece_end = match.start() if match else len(query)
            piece = query[position:piece_end]
            name = unescape(unquote(piece.split("=", 1)[0])).lower()
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
    }
    variables = frozenset({"url", "text"})
    fix_actions = frozenset({"unwrap"})

    def check(self, document: Document) -> Iterator[Hit]:
        pattern = self.settings["pattern"]
        text = document.text
        if self.settings["html"] and document.markup.tags:
            for element in element_index(document).by_name.get("a", ()):
                href = element.tag.attribute("href")
                if href is None or href.value is None:
                    continue
                url = unescape(href.value).strip()
                if not pattern.found_in(url):
                    continue
                edits: tuple[Edit, ...] | None = None
                if self.fix_action == "unwrap":
                    edits = (Edit(element.tag.start, element.tag.end),)
                    if element.end_tag is not None:
                        edits += (Edit(element.end_tag.start, element.end_tag.end),)
                end = element.end if element.end_tag is not None else element.tag.end
                values = {
                    "url": shorten(url),
                    "text": shorten(element_text(document, element, MESSAGE_WINDOW), 40),
                }
                yield Hit(element.start, end, values, edits)
        if self.settings["markdown"]:
            for link in document.links:
                if link.image or link.reference or link.label_start < 0:
                    continue
                url = link.url.strip()
                if not pattern.found_in(url):
                    continue
                edits = None
                if self.fix_action == "unwrap":
                    edits = (Edit(link.start, link.label_start), Edit(link.label_end, link.end))
                label = text[link.label_start : link.label_end]
                yield Hit(
                    link.start, link.end, {"url": shorten(url), "text": shorten(label, 40)}, edits
                )
