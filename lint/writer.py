"""Writing fixed files atomically, without ever damaging one.

The new bytes go to a temporary file in the same folder, which then replaces the
original with a rename: a reader sees the old file or the new one, never half. The
file mode is kept. If the file changed on disk since it was read, it is left alone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from lint.source import Source


class WriteError(Exception):
    """A fixed file that could not be written; the original is untouched."""


def write_atomic(source: Source, text: str) -> None:
    """Replace the file of ``source`` with ``text`` (encoded as the source was)."""
    data = source.encode(text)
    path = os.path.realpath(source.path)  # a symlink stays a link; its target is fixed
    folder = os.path.dirname(path)
    try:
        with open(path, "rb") as handle:
            if handle.read() != source.raw:
                raise WriteError(f"{path}: changed on disk while being fixed; not written")
        read_only = source.mode is not None and not source.mode & 0o222
        if read_only or not os.access(path, os.W_OK):
            raise WriteError(f"{path}: file is read-only; not written")
        descriptor, temporary = tempfile.mkstemp(prefix=".contentlint-", dir=folder)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if source.mode is not None:
            os.chmod(temporary, stat.S_IMODE(source.mode))
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
