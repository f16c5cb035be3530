"""TOML front matter (``+++`` fences, as Hugo writes it): ``tomllib``'s data, and the
offsets of every key from a small scan of the text.

``tomllib`` gives no positions, so once it has accepted the text a scan walks it
statement by statement: table headers (``[meta]``, ``[[menu.main]]``), ``key = value``
lines with bare, quoted and dotted keys, and inside values the strings (all four kinds),
arrays and inline tables, whose keys are entries too. Key names are decoded by
``tomllib`` itself. A parse error is reported at the line and column ``tomllib`` names.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from lint.document.frontmatter.model import (
    Extent,
    FrontMatter,
    KeyEntry,
    KeySpan,
    assemble,
    line_starts,
    refused,
    too_large,
)

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_KEY = re.compile(rf"{_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*")
_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""(?:""?)?'
    r"|'''(?:[^']|'(?!''))*'''(?:''?)?"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'",
    re.DOTALL,
)
_SCALAR = re.compile(r"[^\s,\]}#]+(?:[ \t]+[^\s,\]}#=]+)*")  # numbers, dates, booleans
_SPACE = re.compile(r"(?:\s|#[^\n]*)*")  # white space, line breaks and comments
_INLINE_SPACE = re.compile(r"[ \t]*")
_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, extent: Extent) -> FrontMatter:
    """The front matter whose TOML is ``text[extent.content_start:extent.content_end]``."""
    refusal = too_large(extent, text)
    if refusal is not None:
        return refusal
    start, end = extent.content_start, extent.content_end
    try:
        data = tomllib.loads(text[start:end])
    except tomllib.TOMLDecodeError as error:
        return refused(extent, _message(error), _error_offset(text, start, end, str(error)))
    return assemble(extent, data, _Scan(text, end).entries(start))


def _message(error: tomllib.TOMLDecodeError) -> str:
    reason = _POSITION.sub("", str(error)).replace("(at end of document)", "").strip()
    if reason.startswith("Cannot overwrite a value") or reason.startswith("Cannot declare"):
        reason += " (a key or table given twice?)"
    return f"front matter is not valid TOML: {reason}"


def _error_offset(text: str, start: int, end: int, message: str) -> int:
    """The offset of the line and column a ``tomllib`` error names (its end for an error
    at the end of the document)."""
    found = _POSITION.search(message)
    if found is None:
        return end
    starts = line_starts(text, start, end)
    line, column = int(found.group(1)), int(found.group(2))
    if not 1 <= line <= len(starts):
        return start
    if message.startswith("Cannot overwrite"):  # reported past the value: at its key
        return _INLINE_SPACE.match(text, starts[line - 1]).end()  # type: ignore[union-attr]
    return min(starts[line - 1] + column - 1, end)


def _key_path(source: str) -> tuple[str, ...]:
    """The names of a (dotted, perhaps quoted) TOML key, decoded by ``tomllib``."""
    try:
        value: Any = tomllib.loads(f"{source} = 0")
    except tomllib.TOMLDecodeError:  # not reached for a key of text tomllib accepted
        return ()
    path: list[str] = []
    while isinstance(value, dict) and len(value) == 1:
        name, value = next(iter(value.items()))
        path.append(name)
    return tuple(path)


class _Scan:
    """The keys of valid TOML in ``text`` up to ``end``, in document order."""

    def __init__(self, text: str, end: int) -> None:
        self.text = text
        self.end = end
        self.found: list[KeyEntry] = []
        self.mappings = 0

    def _new_mapping(self) -> int:
        self.mappings += 1
        return self.mappings

    def entries(self, position: int) -> list[KeyEntry]:
        text, end = self.text, self.end
        table: tuple[str, ...] = ()
        mapping = self._new_mapping()
        header: int | None = None  # index in ``found`` of the open table's header entry
        last = position  # end of the last statement
        while True:
            position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
            if position >= end:
                break
            if text.startswith("[", position):
                self._close_table(header, last)
                array = text.startswith("[[", position)
                key = _KEY.match(text, _INLINE_SPACE.match(text, position + 1 + array).end())  # type: ignore[union-attr]
                if key is None:
                    break  # not reached for text tomllib accepted
                path = _key_path(key.group())
                closing = text.find("]" * (1 + array), key.end(), end)
                if closing == -1 or not path:
                    break
                last = closing + 1 + array
                header = len(self.found)
                span = KeySpan(key.start(), key.end(), last, last)
                self.found.append(KeyEntry(path[-1], path[:-1], mapping, span))
                table, mapping, position = path, self._new_mapping(), last
                continue
            statement_end = self._pair(position, table, mapping)
            if statement_end is None:
                break
            position = last = statement_end
        self._close_table(header, last)
        return self.found

    def _close_table(self, header: int | None, last: int) -> None:
        """A table's value runs from its header to the end of its last statement."""
        if header is not None:
            entry = self.found[header]
            span = entry.span._replace(value_end=max(entry.span.value_start, last))
            self.found[header] = entry._replace(span=span)

    def _pair(self, position: int, parents: tuple[str, ...], mapping: int) -> int | None:
        """Record the ``key = value`` at ``position``; return the end of its value."""
        text = self.text
        key = _KEY.match(text, position, self.end)
        if key is None:
            return None
        path = _key_path(key.group())
        equals = _INLINE_SPACE.match(text, key.end()).end()  # type: ignore[union-attr]
        if not path or not text.startswith("=", equals):
            return None
        value_start = _INLINE_SPACE.match(text, equals + 1).end()  # type: ignore[union-attr]
        entry = len(self.found)
        self.found.append(KeyEntry(path[-1], parents + path[:-1], mapping, KeySpan(0, 0, 0, 0)))
        value_end = self._value(value_start, parents + path)
        if value_end is None:
            return None
        span = KeySpan(key.start(), key.end(), value_start, value_end)
        self.found[entry] = self.found[entry]._replace(span=span)
        return value_end

    def _value(self, position: int, owner: tuple[str, ...]) -> int | None:
        """The end of the value at ``position``; keys of inline tables are recorded with
        ``owner`` (the names of the key the value belongs to) as their parents."""
        text, end = self.text, self.end
        if text.startswith("{", position):
            mapping = self._new_mapping()
            position += 1
            while True:
                position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
                if text.startswith("}", position):
                    return position + 1
                pair_end = self._pair(position, owner, mapping)
                if pair_end is None:
                    return None
                position = _SPACE.match(text, pair_end, end).end()  # type: ignore[union-attr]
                if text.startswith(",", position):
                    position += 1
        if text.startswith("[", position):
            position += 1
            while True:
                position = _SPACE.match(text, position, end).end()  # type: ignore[union-attr]
                if text.startswith("]", position):
                    return position + 1
                item_end = self._value(position, owner)
                if item_end is None:
                    return None
                position = _SPACE.match(text, item_end, end).end()  # type: ignore[union-attr]
                if text.startswith(",", position):
                    position += 1
        found = _STRING.match(text, position, end) or _SCALAR.match(text, position, end)
        return found.end() if found is not None else None
