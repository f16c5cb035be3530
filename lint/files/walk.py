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
            # Walks follow no links, so a found file's real path is the root's real path
            # and the rest of the found path: one realpath per folder named, not per file.
            real_root = os.path.realpath(path)
            for found, error in _walk(path, excluded):
                if error is not None:
                    yield found, error
                elif (
                    real := os.path.join(real_root, found[len(path) :].lstrip(os.sep))
                ) not in seen:
                    seen.add(real)
                    yield found, None
        elif not os.path.exists(path) or not excluded(path):
            problem = named_problem(path)
            if problem is not None:
                yield path, problem
            elif _first_time(path, seen):
                yield path, None


def named_problem(path: str) -> str | None:
    """Why the file named ``path`` cannot be linted (missing, a broken link, not a
    regular file), or None."""
    if os.path.exists(path):
        return _not_regular(path)
    if os.path.islink(path):
        return "broken symbolic link (its target does not exist)"
    return "no such file or folder"


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
    """Markdown files under ``root`` in sorted order, depth first (``os.walk`` order),
    using the types ``scandir`` reports so that no file needs its own ``lstat``. The walk
    keeps its own stack of folders, so a tree of any depth is walked without recursion."""
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            yield folder, f"cannot read folder: {error.strerror}"
            continue
        subfolders = []
        for entry in entries:
            path = entry.path  # os.path.join(folder, entry.name), made by scandir
            try:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not entry.name.startswith(".") and not excluded(path):
                        subfolders.append(path)
                    continue
                if not entry.name.lower().endswith(MARKDOWN_SUFFIXES) or excluded(path):
                    continue
                regular = entry.is_file(follow_symlinks=False)
            except OSError as error:
                yield path, f"cannot read: {error.strerror or error}"
                continue
            yield path, None if regular else _not_regular(path)
        stack.extend(reversed(subfolders))
