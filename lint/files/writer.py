"""Writing fixed files atomically, without ever damaging one.

The new bytes go to a temporary file in the same folder, which then replaces the
original with a rename: a reader sees the old file or the new one, never half. The
file mode is kept. If the file changed on disk since it was read, it is left alone.

SIGINT, SIGTERM and SIGHUP are held back from the creation of the temporary file until
the rename is done (and delivered right after), so an interrupted run leaves every file
old or new and no temporary file behind. Only SIGKILL or a crash of the machine can leave
a ``.contentlint-*`` temporary file, never a damaged article.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
from collections.abc import Iterator

from lint.document.source import Source


def create_temporary(folder: str, prefix: str) -> tuple[int, str]:
    """A new file in ``folder``, private to its owner, open for writing: its descriptor
    and path (``tempfile.mkstemp`` without ``tempfile``'s import time). Raises OSError."""
    for _ in range(100):
        path = os.path.join(folder, f"{prefix}{os.getpid()}-{os.urandom(6).hex()}")
        try:
            return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), path
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


class WriteError(Exception):
    """A fixed file that could not be written; the original is untouched."""


_HELD_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Delay SIGINT/SIGTERM/SIGHUP until the block is done (where the platform can)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


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
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    with signals_held():
        _replace(path, folder, data, source.raw, source.mode)


def _replace(path: str, folder: str, data: bytes, raw: bytes, mode: int | None) -> None:
    """Write ``data`` to a temporary file and rename it over ``path`` if ``path`` still
    holds ``raw`` (compared again just before the rename)."""
    try:
        descriptor, temporary = create_temporary(folder, ".contentlint-")
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
        with open(path, "rb") as handle:
            if handle.read() != raw:
                raise WriteError(f"{path}: changed on disk while being fixed; not written")
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
        raise
