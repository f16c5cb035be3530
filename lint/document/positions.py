"""Offsets to (line, column): the one place where positions are computed.

Every other module works with offsets into the decoded text. Lines and columns are
1-based; columns count code points, as editors and the SARIF default do.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

_NEWLINE = re.compile("\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class LineIndex:
    """Maps offsets in a text to 1-based (line, column) pairs."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0, *[match.end() for match in _NEWLINE.finditer(text)]]

    def position(self, offset: int) -> tuple[int, int]:
        """Return the (line, column) of ``offset``; both 1-based."""
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def span(self, start: int, end: int) -> tuple[int, int, int, int]:
        """``position(start) + position(end)`` in one call: (line, column, end line, end
        column) of a finding."""
        starts = self._starts
        index = bisect_right(starts, start) - 1
        # The end line is at or after the start line: search from there.
        end_index = bisect_right(starts, end, index if end >= start else 0) - 1
        return index + 1, start - starts[index] + 1, end_index + 1, end - starts[end_index] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self._text)
        return self._text[start:end].rstrip("\r\n")

    @property
    def text(self) -> str:
        return self._text

    @property
    def line_count(self) -> int:
        return len(self._starts)


class Utf16Index:
    """Code-point offsets and columns as UTF-16 code units (SARIF's default): a character
    above U+FFFF counts twice. Each conversion is a binary search over the offsets of such
    characters, found once, so a file with many findings is converted in linear time."""

    __slots__ = ("_astral", "_lines")

    def __init__(self, lines: LineIndex) -> None:
        self._lines = lines
        self._astral = [match.start() for match in _ASTRAL.finditer(lines.text)]

    def offset(self, offset: int) -> int:
        """The UTF-16 offset of code-point ``offset``."""
        return offset + bisect_left(self._astral, offset)

    def column(self, line: int, column: int) -> int:
        """The 1-based UTF-16 column of 1-based code-point ``column`` on 1-based ``line``."""
        if not self._astral or not 1 <= line <= self._lines.line_count:
            return column
        start = self._lines.line_start(line)
        return self.offset(start + column - 1) - self.offset(start) + 1
