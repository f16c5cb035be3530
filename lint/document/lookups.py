"""The file system as rules see it: every lookup recorded, so that a cached result can be
re-checked.

Kinds that look at other files (an image next to the article, a site's static folder)
go through ``Document.files``, a ``Files`` facade; they use neither ``os.path`` nor
``pathlib`` (a ruff banned-API rule keeps it so). Each lookup it makes is recorded by
every active ``record_lookups``; the result cache stores what was recorded with the
result, and serves the result again only if ``check_path`` still gives the same answers.
"""

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


class Files:
    """The file system seen from one article (``Document.files``): its paths, and
    lookups that are recorded (``lookup``)."""

    __slots__ = ("article",)

    def __init__(self, article: str) -> None:
        self.article = article  # the article's path; "" or "-" for standard input

    @property
    def on_disk(self) -> bool:
        """Whether the article is a file on this machine: standard input has no folder to
        look in, and an article read from a URL (``s3://…``, ``memory://…``, as
        ``lint.dask`` reads them) has its neighbours in its store, not here."""
        return self.article not in ("", "-") and "://" not in self.article

    @property
    def folder(self) -> str:
        """The article's folder."""
        return os.path.dirname(self.article) or "."

    @property
    def stem(self) -> str:
        """The article's path without its suffix (Hexo's post-asset folder)."""
        return os.path.splitext(self.article)[0]

    @staticmethod
    def join(folder: str, *parts: str) -> str:
        """``os.path.join``: the path of ``parts`` inside ``folder``."""
        return os.path.join(folder, *parts)

    def exists(self, path: str) -> bool:
        """Whether ``path`` exists (recorded)."""
        return lookup("exists", path)

    def isdir(self, path: str) -> bool:
        """Whether ``path`` is a folder (recorded)."""
        return lookup("isdir", path)

    def isfile(self, path: str) -> bool:
        """Whether ``path`` is a file (recorded)."""
        return lookup("isfile", path)
