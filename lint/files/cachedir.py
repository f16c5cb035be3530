"""The cache folder (``.contentlint_cache/``) that the result cache, the remembered rules
and configuration, and the remote-image cache share: tagging it, writing entries
atomically so concurrent runs never see half an entry, the stamp of contentlint's own
code that cache keys include, and ``Remembered``, what an earlier run made of some files.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import sys
import time
import zlib
from collections.abc import Sequence
from typing import Any

from lint import __version__

DEFAULT_CACHE_DIR = ".contentlint_cache"
REMEMBERED = "parsed"  # the subfolder of ``Remembered`` entries
SETTLED_SECONDS = 3.0  # files changed more recently than this are not remembered
_MAGIC = b"CLPARSED1\n"
_CHECKSUM = 4  # bytes of CRC-32 over the payload
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by contentlint.\n"
)


def tag(cache_dir: str) -> None:
    """Mark the folder so backup tools skip it (CACHEDIR.TAG) and git ignores it."""
    os.makedirs(cache_dir, exist_ok=True)
    for name, content in (("CACHEDIR.TAG", CACHEDIR_TAG), (".gitignore", "*\n")):
        path = os.path.join(cache_dir, name)
        if os.path.exists(path):
            continue
        with contextlib.suppress(OSError), open(path, "x", encoding="utf-8") as handle:
            handle.write(content)


def store(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename. Raises OSError."""
    from lint.files.writer import create_temporary

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = create_temporary(folder, ".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


@functools.cache
def code_stamp() -> str:
    """The size and modification time of every module of the ``lint`` package (once per
    process): in a cache key, it keeps an edited checkout from reading what older code
    wrote."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            relative = os.path.relpath(path, root)
            parts.append(f"{relative}:{status.st_size}:{status.st_mtime_ns}")
    return "|".join(parts)


@functools.cache
def library_stamp(name: str) -> str:
    """Where and when the library ``name`` was installed (its top module's path, size and
    modification time), found without importing it; "" if it is not installed."""
    from importlib.util import find_spec

    try:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        if origin is None:
            return ""
        status = os.stat(origin)
    except (ImportError, ValueError, OSError):
        return ""
    return f"{origin}:{status.st_size}:{status.st_mtime_ns}"


# A file's stamp: (path, size, modification time, change time, inode). The change time
# and the inode change whenever the content does, even when a tool restores the
# modification time (``rsync -t``, ``touch -d``) or a new file replaces the old one.
FileStamp = tuple[str, int, int, int, int]


class Remembered:
    """What an earlier run made of some files (parsed and validated rules or
    configuration), kept in the cache folder so that the next run need not read them.

    An entry is found by ``name`` and holds its stamp: the ``context`` given, the stamp
    of every file, the contentlint version and code, the Python version and the stamps of
    the ``libraries`` the result depends on. ``get`` gives the value only if all of that
    is still the same, so a remembered value is always what computing it again would
    give. Files changed in the last ``SETTLED_SECONDS`` are not remembered: a change
    within the same clock tick as the stamp would not show in it. Values are stored with
    marshal; one it cannot hold, or a folder that cannot be written, only means nothing
    is remembered.
    """

    def __init__(
        self,
        cache_dir: str,
        name: str,
        context: Any,
        paths: Sequence[str],
        libraries: Sequence[str] = (),
    ) -> None:
        self.cache_dir = cache_dir
        self.context = context
        self.paths = list(paths)
        self.libraries = tuple(libraries)
        label = repr(context).encode("utf-8", "surrogateescape")
        self.entry = os.path.join(cache_dir, REMEMBERED, f"{name}-{zlib.crc32(label):08x}")
        self.stamp = self._stamp()

    def _stamp(self) -> tuple[Any, ...] | None:
        """None if a file cannot be stat'ed (it is then read, and any error reported)."""
        files: list[FileStamp] = []
        try:
            for path in self.paths:
                status = os.stat(path)
                size, mtime, ctime = status.st_size, status.st_mtime_ns, status.st_ctime_ns
                files.append((path, size, mtime, ctime, status.st_ino))
        except OSError:
            return None
        libraries = tuple(library_stamp(name) for name in self.libraries)
        return (__version__, sys.version, code_stamp(), libraries, self.context, tuple(files))

    def get(self) -> Any | None:
        """The value remembered under the current stamp; None if there is none."""
        if self.stamp is None:
            return None
        try:
            with open(self.entry, "rb") as handle:
                blob = handle.read()
            header = len(_MAGIC) + _CHECKSUM
            payload = blob[header:]
            if blob[:header] != _MAGIC + zlib.crc32(payload).to_bytes(_CHECKSUM, "big"):
                return None  # not ours, or damaged
            stamp, value = marshal.loads(payload)
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return value if stamp == self.stamp else None

    def put(self, value: Any) -> None:
        """Remember ``value`` if the files are still as stamped and have settled."""
        if self.stamp is None or self._stamp() != self.stamp:
            return
        recent = (time.time() - SETTLED_SECONDS) * 1e9
        if any(mtime >= recent or ctime >= recent for _, _, mtime, ctime, _ in self.stamp[-1]):
            return
        try:
            payload = marshal.dumps((self.stamp, value))
            tag(self.cache_dir)
            store(self.entry, _MAGIC + zlib.crc32(payload).to_bytes(_CHECKSUM, "big") + payload)
        except (ValueError, OSError):
            pass
