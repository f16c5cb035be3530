"""The cache folder (``.contentlint_cache/``) that the result cache and the remote-image
cache share: claimed before any write, cleaned without following a link.

contentlint writes only into a folder it made: one that did not exist, which it creates
with its marker inside (``CACHEDIR.TAG``, which also tells backup tools to skip it, and a
``.gitignore`` of ``*``). A cache path that is a symbolic link, is not a folder, or is a
folder without the marker is refused (``CacheDirError``), so ``--cache-dir ~/notes`` or a
repository's ``.contentlint_cache`` linked to another folder never has anything written
or deleted there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile

DEFAULT_CACHE_DIR = ".contentlint_cache"
MARKER = "CACHEDIR.TAG"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by contentlint.\n"
)
# What ``clean`` removes: the result cache's database, the remote-image cache and the
# folders of earlier versions' caches.
OWN_FILES = ("results.sqlite", "results.sqlite-wal", "results.sqlite-shm")
OWN_FOLDERS = ("remote-v1", "results", "parsed")


class CacheDirError(OSError):
    """A cache path that contentlint will not write to."""


def claim(cache_dir: str) -> None:
    """Make sure ``cache_dir`` is a cache folder of contentlint's own, creating it (with
    its marker) if it does not exist. Raises ``CacheDirError`` for a path that is not,
    OSError if it cannot be made."""
    try:
        status = os.lstat(cache_dir)
    except FileNotFoundError:
        parent = os.path.dirname(os.path.abspath(cache_dir))
        os.makedirs(parent, exist_ok=True)
        with contextlib.suppress(FileExistsError):  # another run made it meanwhile
            os.mkdir(cache_dir)
            _write_new(os.path.join(cache_dir, ".gitignore"), "*\n")
            _write_new(os.path.join(cache_dir, MARKER), CACHEDIR_TAG)
        status = os.lstat(cache_dir)
    if stat.S_ISLNK(status.st_mode):
        raise CacheDirError(f"{cache_dir} is a symbolic link")
    if not stat.S_ISDIR(status.st_mode):
        raise CacheDirError(f"{cache_dir} is not a folder")
    if not is_claimed(cache_dir):
        raise CacheDirError(f"{cache_dir} is a folder contentlint did not make (no {MARKER})")


def is_claimed(cache_dir: str) -> bool:
    """Whether ``cache_dir`` holds contentlint's marker (a regular file, not a link)."""
    try:
        descriptor = os.open(os.path.join(cache_dir, MARKER), os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return False
    with open(descriptor, "rb") as handle:
        return handle.read(len(CACHEDIR_TAG) + 1) == CACHEDIR_TAG.encode()


def _write_new(path: str, text: str) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with open(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


def no_links(paths: list[str]) -> None:
    """Raise ``CacheDirError`` if any of ``paths`` is a symbolic link."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if stat.S_ISLNK(os.lstat(path).st_mode):
                raise CacheDirError(f"{path} is a symbolic link")


def store(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` (inside a claimed cache folder) through a temporary
    file and a rename, so that readers see all of it or none. Raises OSError."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
    try:
        with open(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def clean(cache_dir: str) -> None:
    """Remove the caches contentlint keeps in ``cache_dir``, and the folder if nothing
    else is left. Raises ``CacheDirError`` if the folder is not contentlint's."""
    if os.path.islink(cache_dir) or not is_claimed(cache_dir):
        raise CacheDirError(f"{cache_dir} is not a contentlint cache folder")
    for name in OWN_FILES:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(cache_dir, name))  # a link is removed, not followed
    for name in OWN_FOLDERS:
        path = os.path.join(cache_dir, name)
        if os.path.islink(path):
            os.unlink(path)
        elif os.path.isdir(path):
            shutil.rmtree(path)  # does not follow links inside (Linux, macOS)
    if set(os.listdir(cache_dir)) <= {".gitignore", MARKER}:  # else the user's files stay
        for name in (".gitignore", MARKER):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(os.path.join(cache_dir, name))
        os.rmdir(cache_dir)
