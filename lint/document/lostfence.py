"""Whether markup at some place looks like a code sample whose fence was lost.

A security article shows ``<script>alert(1)</script>`` as an example; when the converter
drops the code fence (or the indentation), the example becomes live markup. The signs,
looked for in the text around the tag:

- the tag is inside an HTML ``<pre>``, ``<code>``, ``<xmp>`` or ``<tt>`` element: it was
  shown as code and lost its escaping;
- the tag stands in running prose: words come right before it on its line, after any
  other tag (``建立规则库扫描常见 Web 攻击特征(<script>``, ``<h4>1. via <script> Tag``);
- the line before it (the last line with text, within three lines) introduces a sample:
  it mentions code, a payload, a PoC, an example, a vulnerability... (代码, payload,
  PoC, exp, 示例, 例如, 如下, 漏洞, 演示, 构造, 插入, 复现, example, demo, snippet);
- what would run is a typical test payload: ``alert(``, ``prompt(``, ``confirm(``,
  ``document.cookie``, ``String.fromCharCode``, ``eval(``.

A widget that a blog embeds on purpose (``<script async src="https://platform.twitter.com/
widgets.js">`` on its own line after an ordinary paragraph) shows none of them.
"""

from __future__ import annotations

import re

from lint.document.tree import Element

_CODE_ELEMENTS = frozenset({"pre", "code", "xmp", "tt", "samp", "kbd", "listing"})
_INTRODUCES = re.compile(
    r"代码|payload|poc\b|\bexp\b|exploit|示例|例如|例子|如下|以下|漏洞|演示|构造|插入|复现|注入"
    r"|\bxss\b|example|\bdemo|snippet|sample|proof of concept",
    re.IGNORECASE,
)
_PAYLOAD = re.compile(
    r"\balert\s*\(|\bprompt\s*\(|\bconfirm\s*\(|document\.cookie|fromcharcode|\beval\s*\(",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^<>]*>")
_LOOK_BACK = 3  # lines above the tag's line where an introducing line is looked for


def lost_fence_reason(text: str, start: int, code: tuple[int, int], element: Element | None) -> str:
    """Why the tag at ``start`` looks like a code sample that lost its fence, or "" if it
    does not. ``code`` is the span of what would run (a script element, a handler's
    value); ``element`` the tag's element, if known."""
    ancestor = element
    while ancestor is not None:
        if ancestor.name in _CODE_ELEMENTS:
            return f"it is inside <{ancestor.name}>"
        ancestor = ancestor.parent
    line_start = text.rfind("\n", 0, start) + 1
    # The text right before the tag on its line, after the last tag before it.
    before = text[max(line_start, text.rfind(">", line_start, start) + 1) : start]
    if any(char.isalpha() for char in before):
        return "it stands in running text"
    introduction = _line_before(text, line_start)
    found = _INTRODUCES.search(introduction)
    if found:
        return f"the line before mentions {found.group()!r}"
    payload = _PAYLOAD.search(text, *code)
    if payload:
        return f"it runs a test payload ({payload.group()})"
    return ""


def _line_before(text: str, line_start: int) -> str:
    """The last line with text among the few above ``line_start``, without its tags."""
    position = line_start
    for _ in range(_LOOK_BACK):
        if position <= 0:
            return ""
        previous = text.rfind("\n", 0, position - 1) + 1
        line = _TAG.sub("", text[previous : position - 1]).strip()
        if line:
            return line
        position = previous
    return ""
