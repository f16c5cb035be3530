"""The cache folder (``.contentlint_cache/``) that the result cache and the remote-image
cache share: tagging it, and writing entries atomically so concurrent runs never see half
an entry."""

from __future__ import annotations

import contextlib
import os

DEFAULT_CACHE_DIR = ".contentlint_cache"
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
    import tempfile  # imported when first needed: start-up time matters for one file

    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
