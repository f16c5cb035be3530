"""Finding the files to lint: named files as they are, folders walked for Markdown.

Symbolic links: a link named on the command line is followed (the user chose it, and
``--fix`` writes its target). Inside a walked folder, links are skipped, to folders and
to files alike: a link to a folder could make a loop or lead out of the tree, and a link
to a file either points inside the tree, where its target is linted as itself, or out
of it, where ``--fix`` must never write. Every file is linted once per run, however it
was reached (``a.md a.md``, a file named and inside a named folder, a link named beside
its target). A path that is not a regular file (a FIFO, a socket, a device) is an error,
never opened, so it cannot hang the run.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence

MARKDOWN_SUFFIXES = (".md", ".markdown")


def iter_files(
    paths: Sequence[str], excluded: Callable[[str], bool]
) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, error)`` pairs: each file to lint, or a path that cannot be read.

    Folders are walked in sorted order for ``.md``/``.markdown`` files, skipping hidden
    folders, excluded paths and symbolic links. A file named on the command line is
    linted whatever its suffix, unless excluded.
    """
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            if excluded(path):
                continue
            for found, error in _walk(path, excluded):
                if error is not None or _first_time(found, seen):
                    yield found, error
        elif os.path.exists(path):
            if excluded(path):
                continue
            problem = _not_regular(path)
            if problem is not None:
                yield path, problem
            elif _first_time(path, seen):
                yield path, None
        elif os.path.islink(path):
            yield path, "broken symbolic link (its target does not exist)"
        else:
            yield path, "no such file or folder"


def _first_time(path: str, seen: set[str]) -> bool:
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _not_regular(path: str) -> str | None:
    """Why ``path`` (followed if a link) is not a regular file, or None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return f"cannot read: {error.strerror or error}"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "of an unknown type"
    )
    return f"not a regular file ({kind})"


def _walk(root: str, excluded: Callable[[str], bool]) -> Iterator[tuple[str, str | None]]:
    errors: list[OSError] = []
    for folder, subfolders, names in os.walk(root, onerror=errors.append):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".")
            and not os.path.islink(os.path.join(folder, name))
            and not excluded(os.path.join(folder, name))
        )
        for name in sorted(names):
            if not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            if excluded(path):
                continue
            try:
                mode = os.lstat(path).st_mode
            except OSError as failure:
                yield path, f"cannot read: {failure.strerror or failure}"
                continue
            if stat.S_ISLNK(mode):
                continue
            if not stat.S_ISREG(mode):
                yield path, _not_regular(path)
                continue
            yield path, None
    for walk_error in errors:
        yield walk_error.filename or root, f"cannot read folder: {walk_error.strerror}"
