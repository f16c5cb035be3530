"""Offsets to (line, column): the one place where positions are computed.

Every other module works with offsets into the decoded text. Lines and columns are
1-based; columns count code points, as editors and the SARIF default do.
"""

from __future__ import annotations

from bisect import bisect_right


class LineIndex:
    """Maps offsets in a text to 1-based (line, column) pairs."""

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the (line, column) of ``offset``; both 1-based."""
        index = bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line``."""
        return self._starts[line - 1]

    def line_text(self, line: int) -> str:
        """The text of 1-based ``line`` without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self._text)
        return self._text[start:end].rstrip("\r\n")

    @property
    def line_count(self) -> int:
        return len(self._starts)
