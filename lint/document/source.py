"""Reading article files: bytes to text, keeping what a writer needs to restore them.

A UTF-8 byte-order mark is accepted, removed from the text (so columns on line 1 are
right) and remembered so that a fixed file keeps it. Newlines are never translated:
CRLF stays in the text and therefore in every fixed file.

Only UTF-8 is read. Bytes that are not UTF-8 (GB18030/GBK, Big5, Shift-JIS, EUC-JP,
EUC-KR, Latin-1, UTF-16/32, binary data) and text with NUL bytes give a ``DecodeProblem``
that says what the bytes probably are (``lint/document/charsets.py``); such a file is
reported by the ``encoding`` rule, not linted otherwise and never fixed. Guessing an
encoding and writing the file back in it could damage it, and the site generators these
archives feed want UTF-8 anyway, so the cure is converting the file once
(``iconv -f GB18030 -t UTF-8``).

A file that is UTF-8 except for a few damaged sequences (a multi-byte character cut
short, its last byte replaced by ``?``) is not in another encoding, and converting it
from one would garble every character. It is decoded with U+FFFD for each damaged
sequence and linted like any file; its ``damage`` (the count and the first position)
is reported by the ``encoding`` rule, and ``--fix`` never writes it (writing the text
back would turn the damaged bytes into U+FFFD for good).

A path that is not a regular file (a folder, a FIFO, a socket, a device) is not an
article: ``read_source`` raises ``SourceError`` without reading it (a FIFO is never opened
for a blocking read). A file over the size limit is not read either: its ``Source`` has no
text and says how large it is (``oversize``), for the ``file-too-large`` rule.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from typing import NamedTuple

from lint.document.charsets import (
    guess_legacy,
    is_damaged_utf8,
    utf16_without_bom,
    utf32_without_bom,
)

BOM = "\ufeff"
# Real articles are well under 1 MB (the largest in the test corpus is 137 kB); pages with
# images inlined as data: URIs reach a few MB. Past this, a file is not an article.
MAX_FILE_BYTES = 16 * 1024 * 1024


class SourceError(OSError):
    """A path that cannot be an article: not a regular file."""


class Oversize(NamedTuple):
    """A file over the size limit, not read: its size in bytes (``exact``), or, for a
    stream read no further than the limit, a size it is at least (not ``exact``)."""

    size: int
    exact: bool = True


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
    damage: DecodeProblem | None = None  # damaged UTF-8, decoded with U+FFFD: never written
    oversize: Oversize | None = None  # over the size limit: not read, no text

    def encode(self, text: str) -> bytes:
        """Bytes of ``text`` as this file stores them (UTF-8, BOM kept)."""
        return ((BOM if self.has_bom else "") + text).encode("utf-8")


def _describe_nul(data: bytes, offset: int) -> str:
    """What a UTF-8-decodable file with a NUL byte probably is."""
    wide = utf32_without_bom(data) or utf16_without_bom(data)
    if wide is not None:
        return f"{wide} text without a byte-order mark; save the file as UTF-8"
    if data[:8192].count(0) > 8 or offset < 1024:
        return "binary data (NUL bytes), not a text article"
    return "a NUL byte in the text (a damaged file?); remove it, the file is not checked until then"


def _describe_undecodable(data: bytes, error_start: int) -> str:
    """What the bytes probably are; the guess about the text starts at the line of the
    first bad byte (a UTF-8 front matter may precede a GBK body)."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32 text (byte-order mark found); save the file as UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16 text (byte-order mark found); save the file as UTF-8"
    if b"\x00" in data[:8192]:
        wide = utf32_without_bom(data) or utf16_without_bom(data)
        if wide is not None:
            return f"{wide} text without a byte-order mark; save the file as UTF-8"
        return "binary data (NUL bytes), not a text article"
    guess = guess_legacy(data[data.rfind(b"\n", 0, error_start) + 1 :])
    if guess is None:
        return (
            "not UTF-8, and no encoding reads it plausibly (binary data, or several "
            "encodings mixed?); find out what it is before converting it"
        )
    return (
        f"not UTF-8; the bytes read as {guess.name}: convert the file once, e.g. "
        f"iconv -f {guess.iconv} -t UTF-8"
    )


def _damage(data: bytes, error: UnicodeDecodeError) -> tuple[str, DecodeProblem] | None:
    """The text of UTF-8 ``data`` with damaged sequences (U+FFFD in their place) and what
    to report, or None when the bytes are not damaged UTF-8 but another encoding."""
    if b"\x00" in data[:8192] or not is_damaged_utf8(data):
        return None
    text = data.decode("utf-8", "replace")
    damaged = text.count("\ufffd") - data.count("\ufffd".encode())
    first = _problem(data, error.start, "")
    if first.line == 1 and data.startswith(BOM.encode()):
        first = first._replace(column=first.column - 1)  # the text has no byte-order mark
    message = (
        f"UTF-8 with {damaged} damaged byte sequence{'s' if damaged != 1 else ''} (the first "
        f"at line {first.line}, column {first.column}: a multi-byte character cut short); "
        "checked with U+FFFD in their place and never fixed. It is UTF-8: do not convert "
        "it from another encoding, restore the lost characters from the source"
    )
    return text, first._replace(message=message)


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
        damaged = _damage(data, error)
        if damaged is not None:
            text, damage = damaged
            has_bom = text.startswith(BOM)
            text = text[1:] if has_bom else text
            return Source(path, text, has_bom=has_bom, raw=data, mode=mode, damage=damage)
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


_SIZE_UNITS = {"": 1, "k": 1024, "kib": 1024, "m": 1024**2, "mib": 1024**2}
_SIZE_UNITS |= {"g": 1024**3, "gib": 1024**3, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3}


def parse_size(text: str) -> int:
    """A size in bytes from "16777216", "512k", "16 MiB", "50 MB" (k/M/G are binary,
    kB/MB/GB decimal, case ignored). Raises ValueError."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", text)
    unit = match and _SIZE_UNITS.get(match[2].lower())
    if match is None or unit is None:
        raise ValueError(f"{text!r} is not a size (e.g. 16777216, 512k, 16 MiB, 50 MB)")
    size = int(float(match[1]) * unit)
    if size <= 0:
        raise ValueError(f"{text!r} is not a positive size")
    return size


def describe_size(size: int) -> str:
    """``size`` bytes for people: "16 MiB", "50.0 MB" style."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size:,} bytes"


def read_source(path: str, max_bytes: int = MAX_FILE_BYTES) -> Source:
    """Read and decode the file at ``path``.

    A file over ``max_bytes`` is not read (its ``oversize`` says how large it is). Raises
    ``SourceError`` for a path that is not a regular file (opened without blocking, so a
    FIFO never hangs the run); other OSErrors propagate to the caller.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(f"not a regular file ({_file_type(status.st_mode)})")
    except BaseException:
        os.close(descriptor)
        raise
    if status.st_size > max_bytes:
        os.close(descriptor)
        return Source(path, "", mode=status.st_mode, oversize=Oversize(status.st_size))
    with open(descriptor, "rb") as handle:
        # As much as fstat said, and a byte more to see whether the file has grown since:
        # asking for ``max_bytes`` at once would allocate that much for every file.
        data = handle.read(status.st_size + 1)
        if len(data) > status.st_size:
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:  # grown since fstat: at least this large
        return Source(path, "", mode=status.st_mode, oversize=Oversize(len(data), exact=False))
    return decode(path, data, status.st_mode)


def describe_oversize(oversize: Oversize, limit: int) -> str:
    """What is wrong with a file over ``limit``: "file is too large (17 MiB, the limit
    is 16 MiB)"."""
    size = describe_size(oversize.size) if oversize.exact else f"more than {describe_size(limit)}"
    return f"file is too large ({size}, the limit is {describe_size(limit)})"


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
