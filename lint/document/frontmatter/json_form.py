"""JSON front matter: Hugo's (a ``{…}`` object at the top of the file) and Hexo's (the
members of an object without its braces, ended by a ``;;;`` line).

``json`` parses it; a parse error is reported where ``json`` says it is. A scan of the
tokens (strings, brackets, ``:`` and ``,``) of the accepted text then gives the offsets
of every key, at every depth; a key given twice (``json`` keeps the last) is two entries.
"""

from __future__ import annotations

import json
import re

from lint.document.frontmatter.model import (
    Extent,
    FrontMatter,
    KeyEntry,
    KeySpan,
    assemble,
    refused,
    too_large,
)

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.DOTALL)


def parse_json(text: str, extent: Extent, braces: bool) -> FrontMatter:
    """The front matter whose JSON is ``text[extent.content_start:extent.content_end]``:
    an object (``braces``) or the members of one (Hexo's ``;;;`` form)."""
    refusal = too_large(extent, text)
    if refusal is not None:
        return refusal
    start, end = extent.content_start, extent.content_end
    source = text[start:end]
    wrapped = source if braces else "{" + source + "}"
    try:
        data = json.loads(wrapped)
    except json.JSONDecodeError as error:
        offset = start + error.pos - (0 if braces else 1)
        message = f"front matter is not valid JSON: {error.msg}"
        return refused(extent, message, min(max(offset, start), end))
    except RecursionError:
        return refused(extent, "front matter is refused: it nests too deeply", start)
    if not isinstance(data, dict):
        message = f"front matter is a {type(data).__name__}, not a mapping of keys"
        return refused(extent, message, start)
    return assemble(extent, data, _entries(text, start, end, braces))


class _Frame:
    """An object or array being scanned."""

    __slots__ = ("key", "key_span", "mapping", "object", "owner", "value_start")

    def __init__(self, is_object: bool, owner: tuple[str, ...], mapping: int) -> None:
        self.object = is_object
        self.owner = owner  # names of the keys around the values of this frame
        self.mapping = mapping
        self.key: str | None = None  # the key whose value is being read
        self.key_span = (0, 0)
        self.value_start = -1


def _entries(text: str, start: int, end: int, braces: bool) -> list[KeyEntry]:
    found: list[KeyEntry] = []
    mappings = 0
    stack: list[_Frame] = [] if braces else [_Frame(True, (), 0)]
    previous_end = start
    expect_key = not braces

    def close_value(frame: _Frame) -> None:
        if frame.key is not None and frame.value_start >= 0:
            span = KeySpan(*frame.key_span, frame.value_start, previous_end)
            found.append(KeyEntry(frame.key, frame.owner, frame.mapping, span))
        frame.key, frame.value_start = None, -1

    for token in _TOKEN.finditer(text, start, end):
        value = token.group()
        frame = stack[-1] if stack else None
        if frame is not None and frame.object and expect_key and value.startswith('"'):
            frame.key, frame.key_span = json.loads(value), (token.start(), token.end())
            expect_key = False
        elif value == ":":
            pass
        elif value == ",":
            if frame is not None and frame.object:
                close_value(frame)
                expect_key = True
        elif value in ("}", "]"):
            if frame is not None and frame.object:
                close_value(frame)
            if stack:
                stack.pop()
            previous_end = token.end()
            expect_key = False
            continue
        else:
            if frame is not None and frame.object and frame.value_start < 0:
                frame.value_start = token.start()
            if value in ("{", "["):
                owner = frame.owner if frame is not None else ()
                if frame is not None and frame.object and frame.key is not None:
                    owner = (*owner, frame.key)
                mappings += 1
                stack.append(_Frame(value == "{", owner, mappings))
                expect_key = value == "{"
        previous_end = token.end()
    if stack and stack[0].object:
        close_value(stack[0])  # Hexo's members end without a closing brace
    found.sort(key=lambda entry: entry.span.key_start)
    return found
