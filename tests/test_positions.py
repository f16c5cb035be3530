"""LineIndex: offsets to 1-based (line, column) pairs counted in code points."""

from __future__ import annotations

import pytest

from lint.document.positions import LineIndex


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("", 0, (1, 1)),
        ("abc", 0, (1, 1)),
        ("abc", 2, (1, 3)),
        ("abc", 3, (1, 4)),  # the offset at the end of the text
        ("a\nb", 1, (1, 2)),  # the '\n' belongs to line 1
        ("a\nb", 2, (2, 1)),
        ("a\n", 2, (2, 1)),  # after a final newline: an empty last line
        ("a\n\nb", 2, (2, 1)),
        ("a\n\nb", 3, (3, 1)),
        ("中文字\n汉", 2, (1, 3)),  # columns count code points, not bytes
        ("中文字\n汉", 5, (2, 2)),
        ("😀x", 1, (1, 2)),  # a character outside the BMP is one column
        ("ab\r\ncd", 2, (1, 3)),  # '\r' belongs to the line it ends
        ("ab\r\ncd", 3, (1, 4)),  # so does '\n'
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 6, (2, 3)),
        ("a\rb", 2, (1, 3)),  # a lone '\r' is not a line break
    ],
)
def test_position(text: str, offset: int, expected: tuple[int, int]) -> None:
    assert LineIndex(text).position(offset) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [("", 1), ("a", 1), ("a\n", 2), ("a\nb", 2), ("a\r\nb\r\n", 3), ("\n\n", 3)],
)
def test_line_count(text: str, count: int) -> None:
    assert LineIndex(text).line_count == count


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("", 1, ""),
        ("ab\r\ncd", 1, "ab"),  # without its line break, CR included
        ("ab\r\ncd", 2, "cd"),
        ("ab\n", 2, ""),
        ("中\n文\n", 2, "文"),
    ],
)
def test_line_text(text: str, line: int, expected: str) -> None:
    assert LineIndex(text).line_text(line) == expected


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [("abc", 1, 0), ("ab\r\ncd\nef", 2, 4), ("ab\r\ncd\nef", 3, 7)],
)
def test_line_start(text: str, line: int, expected: int) -> None:
    assert LineIndex(text).line_start(line) == expected


@pytest.mark.parametrize("text", ["", "a", "a\nb\r\n中文\n\n😀 x\r\nlast"])
def test_position_and_line_start_agree(text: str) -> None:
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        line, column = index.position(offset)
        assert index.line_start(line) + column - 1 == offset


def test_span_is_two_positions() -> None:
    text = "ab\ncd\r\n\n\nefg\n"
    lines = LineIndex(text)
    for start in range(len(text) + 2):
        for end in range(len(text) + 2):
            assert lines.span(start, end) == lines.position(start) + lines.position(end)
