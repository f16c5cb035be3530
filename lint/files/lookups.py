"""File-system lookups that rules make (an image next to the article), recorded so that a
cached result can be re-checked against the file system (``lint.files.cache``). A module of its
own, without the document model: a run served from the cache needs only this."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

# Active recorders of file-system lookups: absolute path -> (kind of lookup, result).
_recorders: list[dict[str, tuple[str, bool]]] = []


@contextmanager
def record_lookups() -> Iterator[dict[str, tuple[str, bool]]]:
    """Collect the file-system lookups documents make inside the ``with`` block."""
    lookups: dict[str, tuple[str, bool]] = {}
    _recorders.append(lookups)
    try:
        yield lookups
    finally:
        _recorders.remove(lookups)


_CHECKS = {"exists": os.path.exists, "isdir": os.path.isdir, "isfile": os.path.isfile}


def check_path(kind: str, path: str) -> bool:
    """``os.path.exists``, ``isdir`` or ``isfile`` (``kind``) of ``path``, not recorded."""
    return _CHECKS[kind](path)


def lookup(kind: str, path: str) -> bool:
    """``check_path``, recorded by every active ``record_lookups``."""
    result = _CHECKS[kind](path)
    for recorder in _recorders:
        recorder[os.path.abspath(path)] = (kind, result)
    return result
