"""Decoding article bytes: UTF-8 with or without BOM, and helpful problems otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.document.source import Oversize, SourceError, decode, parse_size, read_source

UTF8_BOM = b"\xef\xbb\xbf"


@pytest.mark.parametrize(
    ("data", "text", "has_bom"),
    [
        (b"", "", False),
        (b"---\ntitle: a\n---\nbody\n", "---\ntitle: a\n---\nbody\n", False),
        ("中文\n".encode(), "中文\n", False),
        (UTF8_BOM + "中文\n".encode(), "中文\n", True),
        (UTF8_BOM, "", True),
        (b"a\r\nb\r\n", "a\r\nb\r\n", False),  # newlines are never translated
        (UTF8_BOM + b"a\r\nb", "a\r\nb", True),
        (b"a\rb", "a\rb", False),
    ],
)
def test_utf8_decodes(data: bytes, text: str, has_bom: bool) -> None:
    source = decode("a.md", data)
    assert source.problem is None
    assert source.text == text
    assert source.has_bom is has_bom
    assert source.raw == data


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"plain\n",
        UTF8_BOM + b"---\r\ntitle: x\r\n---\r\n\r\nbody\r\n",
        "---\r\ntitle: 中文\r\n---\r\n<p>正文</p>\r\n".encode(),
        UTF8_BOM + "mixed\nendings\r\n中\r".encode(),
    ],
)
def test_round_trip_is_byte_identical(data: bytes) -> None:
    source = decode("a.md", data)
    assert source.encode(source.text) == data


def test_encode_keeps_bom_on_new_text() -> None:
    assert decode("a.md", UTF8_BOM + b"old").encode("new") == UTF8_BOM + b"new"
    assert decode("a.md", b"old").encode("new") == b"new"


@pytest.mark.parametrize(
    ("data", "words", "line", "column"),
    [
        ("第一行\n中文内容".encode("gb18030"), "GB18030", 1, 1),
        (b"ascii\n" + "中文".encode("gb18030"), "GB18030", 2, 1),
        ("résumé, naïve café\n".encode("latin-1"), "Latin-1", 1, 2),
        ("Größe: groß\n".encode("cp1252"), "Latin-1", 1, 3),
        ("Ça coûte 5 €\n".encode("cp1252"), "Latin-1", 1, 1),
        ("\ufefftitle: a\n".encode("utf-16"), "UTF-16", 1, 1),
        ("\ufefftitle: a\n".encode("utf-16-be"), "UTF-16", 1, 1),
        (b"PK\x03\x04\x00\x00\xff\xfe", "binary", 1, 7),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary", 1, 1),
    ],
)
def test_undecodable_bytes_give_a_helpful_problem(
    data: bytes, words: str, line: int, column: int
) -> None:
    source = decode("a.md", data)
    assert source.problem is not None
    assert source.text == ""
    assert source.raw == data
    assert words in source.problem.message
    assert "UTF-8" in source.problem.message or "binary" in words
    assert (source.problem.line, source.problem.column) == (line, column)


def test_problem_column_counts_code_points_before_the_bad_byte() -> None:
    data = b"ab\nxy\xff\xfe"
    problem = decode("a.md", data).problem
    assert problem is not None
    assert problem.byte_offset == len(data) - 2
    assert (problem.line, problem.column) == (2, 3)


def test_latin1_spanish_is_not_called_chinese() -> None:
    """Bytes like 0xF1 0x6F ('ño') also form a valid GBK pair; the guess must not say GB18030."""
    problem = decode("a.md", "señor año niño\n".encode("latin-1")).problem
    assert problem is not None
    assert "GB18030" not in problem.message
    assert "Latin-1" in problem.message


def test_read_source_keeps_bytes_and_mode(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    data = UTF8_BOM + "---\r\ntitle: 中\r\n---\r\n".encode()
    path.write_bytes(data)
    path.chmod(0o640)
    source = read_source(str(path))
    assert source.path == str(path)
    assert source.has_bom
    assert source.text == "---\r\ntitle: 中\r\n---\r\n"
    assert source.mode is not None
    assert source.mode & 0o777 == 0o640
    assert source.encode(source.text) == data


def test_read_source_reports_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes("标题".encode("gb18030"))
    source = read_source(str(path))
    assert source.problem is not None
    assert "GB18030" in source.problem.message


@pytest.mark.parametrize(
    ("data", "words", "column"),
    [
        ("---\ntitle: a\n---\nbody\n".encode("utf-16-le"), "UTF-16-LE text without", 2),
        ("---\ntitle: a\n---\nbody\n".encode("utf-16-be"), "UTF-16-BE text without", 1),
        (b"x" * 2000 + b"\x00tail", "a NUL byte in the text", 2001),
        (b"\x00\x01\x02\x03ELF", "binary", 1),
    ],
)
def test_nul_bytes_are_a_problem_even_in_valid_utf8(data: bytes, words: str, column: int) -> None:
    source = decode("a.md", data)
    assert source.problem is not None
    assert words in source.problem.message
    assert source.problem.column == column
    assert source.text == ""


def test_read_source_refuses_folders_and_does_not_read_large_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"not a regular file \(a folder\)"):
        read_source(str(tmp_path))
    path = tmp_path / "a.md"
    path.write_bytes(b"12345")
    refused = read_source(str(path), max_bytes=4)
    assert (refused.text, refused.raw, refused.oversize) == ("", b"", Oversize(5, exact=True))
    accepted = read_source(str(path), max_bytes=5)
    assert (accepted.text, accepted.oversize) == ("12345", None)


def test_read_source_reads_a_file_that_grew_after_its_size_was_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read asks for the size fstat gave and a byte more; a file that has grown since
    is read to its end, and still refused once it is over the limit."""
    import os

    import lint.document.source

    path = tmp_path / "a.md"
    path.write_bytes(b"1234567890")
    real_fstat = os.fstat

    def earlier_size(descriptor: int) -> os.stat_result:  # the size before the file grew
        status = list(real_fstat(descriptor))
        status[6] = 3  # st_size
        return os.stat_result(status)

    monkeypatch.setattr(lint.document.source.os, "fstat", earlier_size)
    assert read_source(str(path)).text == "1234567890"
    assert read_source(str(path), max_bytes=10).text == "1234567890"
    grown = read_source(str(path), max_bytes=9)  # read to a byte past the limit, no further
    assert (grown.text, grown.oversize) == ("", Oversize(10, exact=False))


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("16777216", 16777216),
        ("512k", 512 * 1024),
        ("16 MiB", 16 << 20),
        ("50 MB", 50_000_000),
        ("1.5G", 3 << 29),
        (" 2 kB ", 2000),
    ],
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "x", "12 parsecs", "-3", "0", "0k", "1e6"])
def test_parse_size_refuses_what_is_not_a_positive_size(text: str) -> None:
    with pytest.raises(ValueError, match="size"):
        parse_size(text)


# Article 1 of the Universal Declaration of Human Rights, in the languages of each legacy
# encoding (the United Nations' own translations), saved in that encoding.
UDHR = {
    "zh-hans": "人人生而自由，在尊严和权利上一律平等。"  # noqa: RUF001
    "他们赋有理性和良心，并应以兄弟关系的精神相对待。",  # noqa: RUF001
    "zh-hant": "人人生而自由，在尊嚴和權利上一律平等。"  # noqa: RUF001
    "他們賦有理性和良心，並應以兄弟關係的精神相對待。",  # noqa: RUF001
    "ja": "すべての人間は、生まれながらにして自由であり、かつ、尊厳と権利とについて平等である。"
    "人間は、理性と良心とを授けられており、互いに同胞の精神をもって行動しなければならない。",
    "ko": "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다. 인간은 천부적으로 "
    "이성과 양심을 부여받았으며 서로 형제애의 정신으로 행동하여야 한다.",
    "fr": "Tous les êtres humains naissent libres et égaux en dignité et en droits. Ils sont "
    "doués de raison et de conscience et doivent agir les uns envers les autres dans un "
    "esprit de fraternité.",
    "de": "Alle Menschen sind frei und gleich an Würde und Rechten geboren. Sie sind mit "
    "Vernunft und Gewissen begabt und sollen einander im Geist der Brüderlichkeit begegnen.",
}


def short(text: str) -> str:
    """A dozen characters of ``text`` from just before its first non-ASCII one."""
    first = next(index for index, char in enumerate(text) if char >= "\x80")
    return text[max(0, first - 5) : first + 7]


@pytest.mark.parametrize(
    ("language", "codec", "named", "iconv"),
    [
        ("zh-hans", "gb18030", "GB18030/GBK", "GB18030"),
        ("zh-hans", "gbk", "GB18030/GBK", "GB18030"),
        ("zh-hant", "big5", "Big5", "BIG5"),
        ("zh-hant", "gb18030", "GB18030/GBK", "GB18030"),
        ("ja", "shift_jis", "Shift-JIS", "SHIFT_JIS"),
        ("ja", "euc_jp", "EUC-JP", "EUC-JP"),
        ("ko", "euc_kr", "EUC-KR", "EUC-KR"),
        ("fr", "latin-1", "Latin-1", "WINDOWS-1252"),
        ("de", "cp1252", "Latin-1", "WINDOWS-1252"),
    ],
)
def test_legacy_encodings_are_named_right(
    language: str, codec: str, named: str, iconv: str
) -> None:
    front = "---\ntitle: udhr\n---\n"
    for data in (
        (front + UDHR[language] + "\n").encode(codec),  # after a UTF-8 (ASCII) front matter
        (short(UDHR[language]) + "\n").encode(codec),
    ):
        source = decode("a.md", data)
        assert source.problem is not None
        assert source.damage is None
        assert named in source.problem.message
        assert f"iconv -f {iconv} -t UTF-8" in source.problem.message


@pytest.mark.parametrize(
    ("codec", "words"),
    [
        ("utf-32", "UTF-32 text (byte-order mark found)"),
        ("utf-32-le", "UTF-32-LE text without a byte-order mark"),
        ("utf-32-be", "UTF-32-BE text without a byte-order mark"),
        ("utf-16", "UTF-16 text (byte-order mark found)"),
        ("utf-16-le", "UTF-16-LE text without a byte-order mark"),
        ("utf-16-be", "UTF-16-BE text without a byte-order mark"),
    ],
)
def test_utf16_and_utf32_are_told_by_bom_or_nul_bytes(codec: str, words: str) -> None:
    data = ("---\ntitle: udhr\n---\n" + UDHR["zh-hans"] + "\n").encode(codec)
    source = decode("a.md", data)
    assert source.problem is not None
    assert words in source.problem.message


def cut_short(text: str, *characters: str) -> bytes:
    """``text`` in UTF-8 with the last byte of the first occurrence of each of
    ``characters`` replaced by "?", as a summary truncated by bytes leaves it."""
    data = text.encode()
    for character in characters:
        start = data.index(character.encode())
        end = start + len(character.encode())
        data = data[: end - 1] + b"?" + data[end:]
    return data


def test_damaged_utf8_is_decoded_with_replacement_characters_and_named_so() -> None:
    text = "---\ntitle: 极速Python项目管理\n---\n" + UDHR["zh-hans"] + "\n"
    source = decode("a.md", cut_short(text, "理", "权", "神"))
    assert source.problem is None
    assert source.damage is not None
    assert source.text.count("\ufffd") == 3
    assert source.text.startswith("---\ntitle: 极速Python项目管\ufffd?\n")
    assert (source.damage.line, source.damage.column) == (2, 19)
    message = source.damage.message
    assert "UTF-8 with 3 damaged byte sequences" in message
    assert "line 2, column 19" in message
    for wrong_advice in ("iconv", "Latin-1", "GB18030", "Windows-1252"):
        assert wrong_advice not in message


def test_damaged_utf8_keeps_its_byte_order_mark_and_columns() -> None:
    data = UTF8_BOM + cut_short("极速Python项目管理\n", "理")
    source = decode("a.md", data)
    assert source.damage is not None
    assert source.has_bom
    assert source.text == "极速Python项目管\ufffd?\n"
    assert (source.damage.line, source.damage.column) == (1, 12)
