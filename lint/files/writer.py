"""Writing fixed files atomically, without ever damaging one or anything about it.

The new bytes go to a temporary file in the same folder, which then replaces the
original with a rename: a reader sees the old file or the new one, never half. Before the
rename the temporary file gets the original's owner, group, mode (setuid, setgid and
sticky bits included) and extended attributes (POSIX ACLs and capabilities are extended
attributes), so the file's metadata is kept even when root fixes a file of another user;
where one of them cannot be kept (a user who may not give the file its group), the file
is not written. If the file changed on disk since it was read, it is left alone.

A file with more than one hard link is left alone with an error: the rename would give
this name the new text and leave the old text under the other names, splitting what was
one file.

A write that lands between the last "changed on disk?" check and the rename is not lost:
the original file is held open through the rename and read again after it; if it no
longer holds the bytes that were fixed, the other program's bytes are put back (or, if
the path changed once more meanwhile, kept beside it as ``<name>.contentlint-kept-*``)
and the file is an error.

SIGINT, SIGTERM and SIGHUP are held back from the creation of the temporary file until
the rename is done (and delivered right after), so an interrupted run leaves every file
old or new and no temporary file behind. Only SIGKILL or a crash of the machine can leave
a ``.contentlint-*`` temporary file, never a damaged article.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import tempfile
from collections.abc import Iterator

from lint.document.source import Source


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
    """Replace the file of ``source`` with ``text`` (encoded as the source was). A source
    of damaged UTF-8 is never written (its U+FFFD would replace the damaged bytes)."""
    if source.damage is not None:
        raise WriteError(f"{source.path}: damaged UTF-8; not written")
    data = source.encode(text)
    path = os.path.realpath(source.path)  # a symlink stays a link; its target is fixed
    folder = os.path.dirname(path)
    try:
        with open(path, "rb") as handle:
            if handle.read() != source.raw:
                raise WriteError(f"{path}: changed on disk while being fixed; not written")
            links = os.fstat(handle.fileno()).st_nlink
        read_only = source.mode is not None and not source.mode & 0o222
        if read_only or not os.access(path, os.W_OK):
            raise WriteError(f"{path}: file is read-only; not written")
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    if links > 1:
        raise WriteError(
            f"{path}: has {links} hard links; replacing it would leave the old text under "
            "the other names; not written"
        )
    with signals_held():
        _replace(path, folder, data, source.raw)


def _replace(path: str, folder: str, data: bytes, raw: bytes) -> None:
    """Write ``data`` to a temporary file with the metadata of ``path`` and rename it
    over ``path`` if ``path`` still holds ``raw`` (compared again just before the
    rename, and after it through the original file, held open)."""
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".contentlint-", dir=folder)
    except OSError as error:
        raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
    renamed = False
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            with open(path, "rb", buffering=0) as original:  # read() reads the file, not a buffer
                _copy_metadata(path, original.fileno(), handle.fileno())
                os.fsync(handle.fileno())
                written = os.fstat(handle.fileno())
                if original.read() != raw:
                    raise WriteError(f"{path}: changed on disk while being fixed; not written")
                os.replace(temporary, path)
                renamed = True
                original.seek(0)
                now = original.read()
        if now != raw:
            _put_back(path, folder, now, written)
    except BaseException as error:
        if not renamed:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        if isinstance(error, OSError):
            raise WriteError(f"{path}: cannot write: {error.strerror or error}") from None
        raise


def _copy_metadata(path: str, source: int, target: int) -> None:
    """Give the open file ``target`` the owner, group, mode and extended attributes of
    ``source`` (in that order: a change of owner clears setuid bits and capabilities).
    Raises WriteError for what cannot be kept."""
    status, current = os.fstat(source), os.fstat(target)
    owner = (status.st_uid, status.st_gid)
    if owner != (current.st_uid, current.st_gid):
        try:
            os.fchown(target, *owner)
        except PermissionError:
            raise WriteError(
                f"{path}: cannot keep its owner and group ({owner[0]}:{owner[1]}); not written"
            ) from None
    mode = stat.S_IMODE(status.st_mode)
    os.fchmod(target, mode)
    if stat.S_IMODE(os.fstat(target).st_mode) != mode:  # setgid of a group we are not in
        raise WriteError(f"{path}: cannot keep its mode {mode:o}; not written")
    wanted, present = _attributes(source), _attributes(target)
    for name in present.keys() - wanted.keys():  # inherited from the folder
        with contextlib.suppress(OSError):
            os.removexattr(target, name)
    for name, value in wanted.items():
        if present.get(name) == value:  # a security label the folder gave it already
            continue
        try:
            os.setxattr(target, name, value)
        except OSError as error:
            raise WriteError(
                f"{path}: cannot keep its extended attribute {name}: "
                f"{error.strerror or error}; not written"
            ) from None


def _attributes(descriptor: int) -> dict[str, bytes]:
    """The extended attributes of an open file (none where the platform or the file
    system has none)."""
    if not hasattr(os, "listxattr"):  # pragma: no cover - not Linux
        return {}
    try:
        return {name: os.getxattr(descriptor, name) for name in os.listxattr(descriptor)}
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return {}
        raise


def _put_back(path: str, folder: str, theirs: bytes, written: os.stat_result) -> None:
    """Another program wrote ``theirs`` into the original during the rename: put it back
    at ``path`` if ``path`` still holds what was written, else keep it beside. Raises
    WriteError."""
    descriptor, temporary = tempfile.mkstemp(prefix=".contentlint-", dir=folder)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(theirs)
        handle.flush()
        with open(path, "rb") as fixed:
            _copy_metadata(path, fixed.fileno(), handle.fileno())
        os.fsync(handle.fileno())
    current = os.stat(path)
    if (current.st_ino, current.st_dev) == (written.st_ino, written.st_dev):
        os.replace(temporary, path)
        raise WriteError(
            f"{path}: changed on disk while being fixed; the other program's text is kept, "
            "not the fix"
        )
    kept = f"{path}.contentlint-kept-{os.getpid()}-{os.urandom(3).hex()}"
    os.replace(temporary, kept)
    raise WriteError(
        f"{path}: changed on disk while being fixed, twice; the other program's first "
        f"text is kept in {kept}"
    )
