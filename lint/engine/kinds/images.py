"""The ``image`` kind: image references that cannot work or should not be written so.

It looks at every image reference of the document (``Document.image_refs``) and runs one
of several offline checks on them, chosen by its ``check`` option:

- ``broken``: empty or missing sources, malformed URLs, unsupported schemes, ``data:``
  URIs that do not decode, local files that do not exist (next to the article, in a
  Hexo post-asset folder, or under the site's static roots);
- ``protocol-relative``: ``//host/path`` URLs (fix: prefix ``https:``);
- ``insecure``: ``http:`` images (fix: ``https:`` for hosts listed in ``https-hosts``);
- ``placeholder``: placeholder services (picsum, placehold.co, ...) and lazy-load
  placeholders whose real image sits in ``data-src``;
- ``proxy``: images wrapped in a proxy such as a CORS proxy (fix: unwrap);
- ``hotlinked``: images served from hosts that refuse other sites' pages (``hosts``),
  unless the ``<img>`` sends no referrer (``referrerpolicy="no-referrer"``).

The ``broken`` check's ``lazy-src`` fix copies a lazy loader's ``data-src`` into the
``src`` that an ``<img>`` lacks. With ``references: embeds`` the checks look at the
``src`` of ``<iframe>``, ``<script>`` and ``<embed>`` instead of images.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import unquote, urlsplit

from lint.document.document import Document
from lint.document.images import MARKDOWN_IMAGE, MissingSrc, UrlRef, unescape
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEXES,
    STRING,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    choice,
    shorten,
)
from lint.engine.kinds.urls import (
    WEB_SCHEMES,
    has_template,
    host_matches,
    literal_span,
    local_path,
    resolve_liquid,
    url_problem,
    without_baseurl,
)

DEFAULT_IMAGE_FIELDS = ("headimg", "thumbnail", "cover", "image", "banner")
CHECKS = ("broken", "protocol-relative", "insecure", "placeholder", "proxy", "hotlinked")
EMBEDS = ("iframe", "script", "embed")
# Referrer policies under which a browser sends no Referer to another site's host.
_NO_REFERRER = frozenset({"no-referrer", "same-origin"})
_SSL_PARAMETER = re.compile(r"[?&]ssl=1(?:&|$)")
_ENCODED_WEB_URL = re.compile(r"(?:https?|HTTPS?)%3[Aa]")
_WEB_URL = re.compile(r"(?:https?:)?//", re.IGNORECASE)
_LOST_URLS = frozenset({"", '""', "''"})


class ImageKind(Kind):
    """Image references: broken ones, and those that work but should not be written so."""

    name = "image"
    summary = "image references (<img>, srcset, <source>, Markdown, front matter), offline"
    options: ClassVar[dict[str, Option]] = {
        "check": Option(
            choice(*CHECKS),
            "broken",
            doc="what to look for: broken (cannot show), protocol-relative (//host), "
            "insecure (http:), placeholder (patterns, lazy-load placeholders, data: "
            "srcset candidates), proxy (wrapped in a proxy URL), hotlinked (hosts)",
        ),
        "references": Option(
            choice("images", "embeds"),
            "images",
            doc="what to look at: images, or the src of <iframe>, <script> and <embed>",
        ),
        "hosts": Option(
            STRINGS,
            (),
            doc="host globs that refuse to serve other sites' pages (check hotlinked)",
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
        "baseurl": Option(
            STRING,
            "",
            doc="the path the site is served under (Jekyll's baseurl, e.g. /blog): "
            "site-absolute paths that start with it are looked up without it",
        ),
        "resolve-liquid": Option(
            BOOLEAN,
            False,
            doc="resolve Jekyll's {{ site.baseurl }}, {{ site.url }} and "
            "{{ '/x' | relative_url }} in URLs before checking them; URLs with other "
            "template expressions ({{< ref >}}, {% post_url %}) are never checked",
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
            "'url' around the wrapped URL, or 'host' around a wrapped host and path "
            "(https when the proxy URL has ssl=1, else http) (check proxy)",
        ),
    }
    variables = frozenset({"url", "problem", "source", "target"})
    fix_actions = frozenset({"https", "unwrap", "lazy-src"})

    def validate(self) -> None:
        check = self.settings["check"]
        fixes = {
            "protocol-relative": "https",
            "insecure": "https",
            "proxy": "unwrap",
            "broken": "lazy-src",
        }
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
                if "url" not in wrapper.groupindex and "host" not in wrapper.groupindex:
                    raise OptionError(
                        "wrappers",
                        f"wrapper {wrapper.pattern!r} has no group named 'url' or 'host'",
                    )
        if check == "hotlinked" and not self.settings["hosts"]:
            raise OptionError("hosts", "check 'hotlinked' needs 'hosts'")

    @property
    def checks_remote(self) -> bool:
        """Rules that look for broken images: the remote pass checks their remote URLs."""
        settings = self.settings
        return bool(settings["check"] == "broken" and settings["references"] == "images")

    def needles(self) -> tuple[str, ...] | None:
        """What every image reference is written with: ``<img``, ``<source``, ``![``,
        or the name of a front-matter image field. (Not the URL's characters: an
        ``<img src>`` may be written with character references.) For embeds, their
        start tags."""
        if self.settings["references"] == "embeds":
            return tuple(f"<{name}" for name in EMBEDS)
        return ("<img", "<source", "![", *self.settings["fields"])

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
            "hotlinked": self._hotlinked,
        }[check]
        if check == "placeholder":
            yield from self._lazy_placeholders(document)
        refs = (
            _embed_refs(document)
            if self.settings["references"] == "embeds"
            else document.image_refs(self.settings["fields"])
        )
        for ref in refs:
            if isinstance(ref, MissingSrc) or url_problem(ref.url, WEB_SCHEMES):
                continue
            hit = method(document, ref)
            if hit is not None:
                yield hit

    def _values(self, ref: UrlRef, problem: str, target: str = "") -> dict[str, str]:
        source = ref.source.split(",", 1)[0]
        return {"url": shorten(ref.url), "problem": problem, "source": source, "target": target}

    def _broken(self, document: Document) -> Iterator[Hit]:
        schemes = tuple(scheme.lower() for scheme in self.settings["schemes"])
        baseurl: str = self.settings["baseurl"]
        for ref in document.image_refs(self.settings["fields"]):
            if isinstance(ref, MissingSrc):
                missing = f"image has no src (only {ref.lazy})" if ref.lazy else "image has no src"
                values = {"url": "", "problem": missing, "source": ref.source}
                edits = self._lazy_src(document, ref) if self.fix_action == "lazy-src" else None
                yield Hit(ref.start, ref.end, {**values, "target": ""}, edits)
                continue
            if (
                not self.settings["empty-fields"]
                and ref.source.startswith("front-matter")
                and not ref.url.strip()
            ):
                continue
            url = ref.url
            if has_template(url):  # the generator fills it in: check what it gives
                liquid = self.settings["resolve-liquid"]
                resolved = resolve_liquid(url, baseurl) if liquid else None
                if resolved is None:
                    continue
                url = resolved
            problem = url_problem(url, schemes)
            if ref.source == MARKDOWN_IMAGE and ref.url.strip() in _LOST_URLS:
                # ``![]()``, or ``![]( "")`` whose title a converter kept: the URL is lost.
                problem = "empty image URL (lost in conversion?)"
            if problem is None and ", malformed descriptor " in ref.source:
                problem = "malformed srcset descriptor " + ref.source.split(" descriptor ", 1)[1]
            if problem is None and self.settings["check-local"]:
                problem = self._missing_file(document, without_baseurl(url, baseurl))
            if problem is not None:
                yield Hit(ref.start, ref.end, self._values(ref, problem))

    def _missing_file(self, document: Document, url: str) -> str | None:
        path = local_path(url)
        files = document.files
        if path is None or not files.on_disk:
            return None
        if path.startswith("/"):
            static_roots: tuple[str, ...] = self.settings["static-roots"]
            roots = [files.join(self.base_dir, root) for root in static_roots]
            roots = [root for root in roots if files.isdir(root)]
            candidates = [files.join(root, path.lstrip("/")) for root in roots]
        else:
            # Next to the article, or in Hexo's post asset folder (source/_posts/a/)
            candidates = [files.join(files.folder, path), files.join(files.stem, path)]
        if not candidates or any(files.exists(candidate) for candidate in candidates):
            return None
        return "local image file not found"

    def _lazy_src(self, document: Document, ref: MissingSrc) -> tuple[Edit, ...] | None:
        """A ``src`` for an ``<img>`` without one, copied from its lazy loader's
        attribute (``data-src``) as written, inserted after that attribute."""
        for element in document.element_index.by_name.get("img", ()):
            if element.tag.start != ref.start:
                continue
            for name in self.settings["lazy-attributes"]:
                lazy = element.tag.attribute(name)
                if lazy is not None and (lazy.value or "").strip():
                    written = document.text[lazy.value_start : lazy.value_end]
                    return (Edit(lazy.end, lazy.end, f" src={written}"),)
            return None
        return None

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
        if url[:5].lower() == "data:" and "srcset>" in ref.source:
            problem = "a data: placeholder in srcset, which browsers show instead of src"
            return Hit(ref.start, ref.end, self._values(ref, problem))
        for pattern in self.settings["patterns"]:
            if pattern.found_in(url):
                return Hit(ref.start, ref.end, self._values(ref, shorten(url)))
        return None

    def _lazy_placeholders(self, document: Document) -> Iterator[Hit]:
        lazy: tuple[str, ...] = self.settings["lazy-attributes"]
        if not lazy:
            return
        for element in document.element_index.by_name.get("img", ()):
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
            if match is None:
                continue
            if "host" in wrapper.groupindex and match.group("host"):
                scheme = "https://" if _SSL_PARAMETER.search(url) else "http://"
                target = scheme + match.group("host")
            elif "url" in wrapper.groupindex and match.group("url"):
                target = match.group("url")
            else:
                continue
            if _ENCODED_WEB_URL.match(target):
                target = unquote(target)
            edits = None
            span = literal_span(document.text, ref)
            if self.fix_action == "unwrap" and span is not None and _unwrappable(target):
                edits = (Edit(span[0], span[1], target),)
            values = self._values(ref, f"proxied image of {shorten(target)}", shorten(target))
            return Hit(ref.start, ref.end, values, edits)
        return None

    def _hotlinked(self, document: Document, ref: UrlRef) -> Hit | None:
        host = urlsplit(ref.url.strip()).hostname or ""
        if not host or not host_matches(host, self.settings["hosts"]):
            return None
        if ref.source.startswith("<img"):
            for element in document.element_index.by_name.get("img", ()):
                tag = element.tag
                if tag.start <= ref.start < tag.end:
                    policy = tag.attribute("referrerpolicy")
                    if policy is not None and (policy.value or "").strip().lower() in _NO_REFERRER:
                        return None
                    break
        problem = f"hot-linked from {host}, which refuses other sites' pages"
        return Hit(ref.start, ref.end, self._values(ref, problem, host))


def _embed_refs(document: Document) -> list[UrlRef]:
    """The ``src`` of the document's ``<iframe>``, ``<script>`` and ``<embed>`` elements."""
    refs = []
    for name in EMBEDS:
        for element in document.element_index.by_name.get(name, ()):
            src = element.tag.attribute("src")
            if src is not None and src.value:
                refs.append(
                    UrlRef(
                        url=unescape(src.value),
                        start=src.name_start,
                        end=src.end,
                        source=f"<{name}>",
                        raw_start=src.value_start,
                        raw_end=src.value_end,
                    )
                )
    return sorted(refs, key=lambda ref: ref.start)


def _unwrappable(target: str) -> bool:
    """Whether an unwrapped URL can replace its wrapper as written: an http(s) URL with
    nothing that would need quoting in HTML, YAML or a Markdown destination."""
    return (
        url_problem(target, WEB_SCHEMES) is None
        and _WEB_URL.match(target) is not None
        and not any(char in target for char in "\"'<>()\\")
    )
