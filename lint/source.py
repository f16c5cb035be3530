"""Reading article files: bytes to text, keeping what a writer needs to restore them.

A UTF-8 byte-order mark is accepted, removed from the text (so columns on line 1 are
right) and remembered so that a fixed file keeps it. Newlines are never translated:
CRLF stays in the text and therefore in every fixed file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

BOM = "\ufeff"
_GB2312_PAIR = re.compile(rb"[\xa1-\xf7][\xa1-\xfe]")
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class DecodeProblem:
    """Why bytes could not be read as UTF-8 text, and where (a byte offset)."""

    message: str
    byte_offset: int
    line: int
    column: int


@dataclass(frozen=True)
class Source:
    """The decoded text of one file, or the reason it could not be decoded."""

    path: str
    text: str
    has_bom: bool = False
    problem: DecodeProblem | None = None
    raw: bytes = b""
    mode: int | None = None

    def encode(self, text: str) -> bytes:
        """Bytes of ``text`` as this file stores them (UTF-8, BOM kept)."""
        return ((BOM if self.has_bom else "") + text).encode("utf-8")


def _describe_undecodable(data: bytes, error_start: int) -> str:
    """What the bytes probably are; the guess about the text starts at the first bad byte
    (a UTF-8 front matter may precede a GBK body)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (byte-order mark found); save the file as UTF-8"
    if b"\x00" in data[:8192]:
        return "binary data (NUL bytes), not a text article"
    data = data[error_start:]
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        head = data[:4096]
        high = sum(byte >= 0x80 for byte in head)
        # GBK Chinese is mostly GB2312 pairs (both bytes 0xA1-0xFE); Latin-1 accents are
        # single high bytes between ASCII letters, which GBK would also accept.
        if high and 2 * len(_GB2312_PAIR.findall(head)) >= 0.8 * high:
            return "not UTF-8; the bytes decode as GB18030/GBK Chinese, convert the file to UTF-8"
    return "not UTF-8 (perhaps Latin-1 or Windows-1252); convert the file to UTF-8"


def decode(path: str, data: bytes, mode: int | None = None) -> Source:
    """Decode ``data`` as UTF-8; on failure return a Source carrying the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        head = data[: error.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = _describe_undecodable(data, error.start)
        problem = DecodeProblem(message, error.start, line, column)
        return Source(path, "", problem=problem, raw=data, mode=mode)
    has_bom = text.startswith(BOM)
    if has_bom:
        text = text[1:]
    return Source(path, text, has_bom=has_bom, raw=data, mode=mode)


def read_source(path: str) -> Source:
    """Read and decode the file at ``path``. OSError propagates to the caller."""
    with open(path, "rb") as handle:
        stat = os.fstat(handle.fileno())
        if stat.st_size > MAX_FILE_BYTES:
            problem = DecodeProblem(
                f"file is {stat.st_size} bytes, over the {MAX_FILE_BYTES} byte limit", 0, 1, 1
            )
            return Source(path, "", problem=problem, mode=stat.st_mode)
        data = handle.read()
    return decode(path, data, stat.st_mode)
