"""Reading article files: bytes to text, keeping what a writer needs to restore them.

A UTF-8 byte-order mark is accepted, removed from the text (so columns on line 1 are
right) and remembered so that a fixed file keeps it. Newlines are never translated:
CRLF stays in the text and therefore in every fixed file.

Only UTF-8 is read. Bytes that are not UTF-8 (GB18030/GBK, Latin-1, UTF-16, binary data)
and text with NUL bytes give a ``DecodeProblem`` that says what the bytes probably are;
such a file is reported by the ``encoding`` rule and never fixed. Guessing an encoding and
writing the file back in it could damage it, and the site generators these archives feed
want UTF-8 anyway, so the cure is converting the file once (``iconv -f GB18030 -t UTF-8``).

A path that is not a regular file (a folder, a FIFO, a socket, a device) or a file over
``MAX_FILE_BYTES`` is not an article: ``read_source`` raises ``SourceError`` without
reading it (a FIFO is never opened for a blocking read).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import NamedTuple

BOM = "\ufeff"
_GB2312_PAIR = re.compile(rb"[\xa1-\xf7][\xa1-\xfe]")
# Real articles are well under 1 MB (the largest in the test corpus is 137 kB); pages with
# images inlined as data: URIs reach a few MB. Past this, a file is not an article.
MAX_FILE_BYTES = 16 * 1024 * 1024


class SourceError(OSError):
    """A path that cannot be an article: too large, or not a regular file."""


class DecodeProblem(NamedTuple):
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


def _utf16_without_bom(data: bytes) -> str | None:
    """ "UTF-16-LE"/"UTF-16-BE" when the NUL bytes say so: nearly all at odd (LE) or even
    (BE) offsets and the bytes decode to printable text; otherwise None."""
    head = data[:8192]
    head = head[: len(head) // 2 * 2]
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd + even < max(4, len(head) // 8):
        return None
    encoding = "utf-16-le" if odd > 9 * even else "utf-16-be" if even > 9 * odd else None
    if encoding is None:
        return None
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for char in text if char < " " and char not in "\t\r\n")
    return encoding.upper() if controls <= len(text) // 100 else None


def _describe_nul(data: bytes, offset: int) -> str:
    """What a UTF-8-decodable file with a NUL byte probably is."""
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return f"{utf16} text without a byte-order mark; save the file as UTF-8"
    if data[:8192].count(0) > 8 or offset < 1024:
        return "binary data (NUL bytes), not a text article"
    return "a NUL byte in the text (a damaged file?); remove it, the file is not checked until then"


def _describe_undecodable(data: bytes, error_start: int) -> str:
    """What the bytes probably are; the guess about the text starts at the first bad byte
    (a UTF-8 front matter may precede a GBK body)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32 text (byte-order mark found); save the file as UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (byte-order mark found); save the file as UTF-8"
    if b"\x00" in data[:8192]:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return f"{utf16} text without a byte-order mark; save the file as UTF-8"
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


def _problem(data: bytes, offset: int, message: str) -> DecodeProblem:
    head = data[:offset]
    line = head.count(b"\n") + 1
    column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    return DecodeProblem(message, offset, line, column)


def decode(path: str, data: bytes, mode: int | None = None) -> Source:
    """Decode ``data`` as UTF-8; on failure return a Source carrying the problem.

    Text with a NUL byte is refused too: no article has one, and UTF-16 without a
    byte-order mark or binary data can be valid UTF-8 by accident.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        problem = _problem(data, error.start, _describe_undecodable(data, error.start))
        return Source(path, "", problem=problem, raw=data, mode=mode)
    offset = data.find(b"\x00")
    if offset != -1:
        problem = _problem(data, offset, _describe_nul(data, offset))
        return Source(path, "", problem=problem, raw=data, mode=mode)
    has_bom = text.startswith(BOM)
    if has_bom:
        text = text[1:]
    return Source(path, text, has_bom=has_bom, raw=data, mode=mode)


def describe_size(size: int) -> str:
    """``size`` bytes for people: "16 MiB", "50.0 MB" style."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def read_source(path: str, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Read and decode the file at ``path``.

    Raises ``SourceError`` for a file over ``max_bytes`` or a path that is not a regular
    file (opened without blocking, so a FIFO never hangs the run); other OSErrors
    propagate to the caller.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(f"not a regular file ({_file_type(status.st_mode)})")
        if status.st_size > max_bytes:
            raise SourceError(_too_large(status.st_size, max_bytes))
    except BaseException:
        os.close(descriptor)
        raise
    with open(descriptor, "rb") as handle:
        # As much as fstat said, and a byte more to see whether the file has grown since:
        # asking for ``max_bytes`` at once would allocate that much for every file.
        data = handle.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise SourceError(_too_large(len(data), max_bytes))
    return decode(path, data, status.st_mode)


def _too_large(size: int, limit: int) -> str:
    return (
        f"file is too large ({describe_size(size)}, the limit is {describe_size(limit)}); "
        "not checked"
    )


def too_large(limit: int) -> str:
    """The error for standard input longer than ``limit`` (read no further than that)."""
    return f"input is too large (more than {describe_size(limit)}); not checked"


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "of an unknown type"
