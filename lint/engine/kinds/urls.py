"""URL helpers of the kinds that look at URLs: what is wrong with a URL offline, the local
path it names, where it is written literally, and host globs."""

from __future__ import annotations

import base64
import binascii
import fnmatch
import functools
import re
from urllib.parse import unquote, urlsplit

from lint.document.images import HTML_WHITESPACE, UrlRef

WEB_SCHEMES = ("http", "https")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_WHITE_SPACE = re.compile(r"\s")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_DATA_URI = re.compile(r"data:(?P<type>[^,;]*)(?P<params>(?:;[^,;]*)*),(?P<data>.*)\Z", re.DOTALL)
_SPACES = re.compile(r"\s+")
_LIQUID_OUTPUT = re.compile(r"\{\{-?\s*(?P<expression>.*?)\s*-?\}\}", re.DOTALL)
_LIQUID_URL_FILTER = re.compile(
    r"(?P<quote>['\"])(?P<path>[^'\"]*)(?P=quote)\s*\|\s*"
    r"(?:(?P<url_filter>relative_url|absolute_url)|prepend:\s*site\.baseurl)\Z"
)


@functools.lru_cache(maxsize=4096)
def url_problem(url: str, schemes: tuple[str, ...]) -> str | None:
    """What is wrong with an image URL that can be told offline (not local files).

    Remembered: the image rules ask for the same URLs of a document in turn."""
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
    match = _DATA_URI.match(url)
    if match is None:
        return "malformed data: URI (no comma)"
    if ";base64" in match.group("params").lower():
        payload = _SPACES.sub("", unquote(match.group("data")))
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


def literal_span(text: str, ref: UrlRef) -> tuple[int, int] | None:
    """The span of ``ref``'s URL written literally in the text (quotes and white space
    excluded), or None where the text encodes it (HTML entities, YAML escapes)."""
    start, end = ref.raw_start, ref.raw_end
    raw = text[start:end]
    if raw[:1] in ("'", '"') and len(raw) >= 2 and raw[-1] == raw[0]:
        start, end = start + 1, end - 1
    while start < end and text[start] in HTML_WHITESPACE:
        start += 1
    while end > start and text[end - 1] in HTML_WHITESPACE:
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


def has_template(url: str) -> bool:
    """Whether ``url`` holds a template expression (``{{ … }}``, ``{% … %}``, Hugo's
    ``{{< … >}}``), which the site generator replaces: it is not the URL a reader gets."""
    return "{{" in url or "{%" in url


def resolve_liquid(url: str, baseurl: str) -> str | None:
    """``url`` with Jekyll's expressions of the site's address resolved, as Jekyll would
    for a site served under ``baseurl``: ``{{ site.baseurl }}``, ``{{ site.url }}``
    (the site itself: nothing), ``{{ "/x" | relative_url }}`` (also ``absolute_url``
    and ``prepend: site.baseurl``). None if it holds any other expression."""
    if "{%" in url:
        return None
    unresolved = False

    def resolve(match: re.Match[str]) -> str:
        nonlocal unresolved
        expression = match.group("expression")
        if expression == "site.baseurl":
            return baseurl
        if expression == "site.url":
            return ""
        filtered = _LIQUID_URL_FILTER.match(expression)
        if filtered is None:
            unresolved = True
            return ""
        path = filtered.group("path")
        if filtered.group("url_filter") and not path.startswith("/"):
            path = "/" + path
        return baseurl + path

    resolved = _LIQUID_OUTPUT.sub(resolve, url)
    return None if unresolved or has_template(resolved) else resolved


def without_baseurl(url: str, baseurl: str) -> str:
    """A site-absolute ``url`` without the ``baseurl`` the site is served under
    (``/blog/assets/a.png`` -> ``/assets/a.png``), as the file lies in the site."""
    if baseurl and (url == baseurl or url.startswith(baseurl + "/")):
        return url[len(baseurl) :] or "/"
    return url
