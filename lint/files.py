"""Finding the files to lint: named files as they are, folders walked for Markdown."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

MARKDOWN_SUFFIXES = (".md", ".markdown")


def iter_files(
    paths: Sequence[str], excluded: Callable[[str], bool]
) -> Iterator[tuple[str, str | None]]:
    """Yield ``(path, error)`` pairs: each file to lint, or a path that cannot be read.

    Folders are walked in sorted order for ``.md``/``.markdown`` files, skipping hidden
    folders and excluded paths; symlinked folders are not followed (no loops). A file
    named on the command line is linted whatever its suffix, unless excluded.
    """
    for path in paths:
        if os.path.isdir(path):
            if excluded(path):
                continue
            yield from _walk(path, excluded)
        elif os.path.exists(path):
            if not excluded(path):
                yield path, None
        else:
            yield path, "no such file or folder"


def _walk(root: str, excluded: Callable[[str], bool]) -> Iterator[tuple[str, str | None]]:
    errors: list[OSError] = []
    for folder, subfolders, names in os.walk(root, onerror=errors.append):
        subfolders[:] = sorted(
            name
            for name in subfolders
            if not name.startswith(".") and not excluded(os.path.join(folder, name))
        )
        for name in sorted(names):
            if not name.lower().endswith(MARKDOWN_SUFFIXES):
                continue
            path = os.path.join(folder, name)
            if not excluded(path):
                yield path, None
    for error in errors:
        yield error.filename or root, f"cannot read folder: {error.strerror}"
