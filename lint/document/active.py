"""Markup that runs code in the reader's browser: ``<script>`` elements, event-handler
attributes (``onerror=``, ``onload=``...) and ``javascript:`` URLs where a browser loads
or submits them (``src``, ``data``, ``action``, ``formaction``).

Only markup outside code counts: the tokenizer never reads tags inside Markdown code
blocks, code spans or HTML comments. A ``javascript:`` URL counts as a browser reads it:
entities decoded (``&#106;avascript:``), leading control characters and spaces skipped,
tabs and line breaks inside dropped (``java&#9;script:``), in any case.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from lint.document.html import Attribute, Markup, Tag
from lint.document.images import unescape

URL_ATTRIBUTES = ("src", "data", "action", "formaction")
_HANDLER = re.compile(r"on[a-z]+\Z")
_URL_NOISE = re.compile(r"[\t\n\r]")
_JAVASCRIPT = "javascript:"


class ActiveMarkup(NamedTuple):
    """A tag that runs code: ``attribute`` is the handler or URL attribute (None for a
    ``<script>`` start tag)."""

    tag: Tag
    attribute: Attribute | None = None


def active_markup(
    markup: Markup, url_attributes: tuple[str, ...] = URL_ATTRIBUTES
) -> list[ActiveMarkup]:
    """The ``<script>`` start tags, event-handler attributes and ``javascript:`` URLs in
    ``url_attributes`` of the body, in document order."""
    found: list[ActiveMarkup] = []
    for tag in markup.tags:
        if tag.closing:
            continue
        if tag.name == "script":
            found.append(ActiveMarkup(tag))
        for attribute in tag.attributes:
            if _HANDLER.match(attribute.name) or (
                attribute.name in url_attributes and is_javascript_url(attribute.value or "")
            ):
                found.append(ActiveMarkup(tag, attribute))
    return found


def is_javascript_url(value: str) -> bool:
    """Whether a browser runs ``value`` as a ``javascript:`` URL."""
    if ":" not in value:
        return False
    url = _URL_NOISE.sub("", unescape(value)).lstrip("".join(map(chr, range(33))))
    return url[: len(_JAVASCRIPT)].lower() == _JAVASCRIPT
