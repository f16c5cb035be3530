"""Site-root detection: the static folders of the site an article belongs to, found from
the markers of the static site generators (Hexo, Hugo, Jekyll) upward from its folder."""

from __future__ import annotations

import functools
import os

HUGO_CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.json",
)


@functools.lru_cache(maxsize=4096)
def detected_static_roots(folder: str) -> tuple[str, ...]:
    """The static roots of the site ``folder`` belongs to, found by its markers upward.

    Hexo (``_config.yml`` beside ``source/``): ``source/``. Hugo (a Hugo configuration
    beside ``content/``): ``static/``. Jekyll (``_config.yml`` alone): the site root.
    """
    current = os.path.abspath(folder)
    while True:
        if os.path.isfile(os.path.join(current, "_config.yml")) or os.path.isfile(
            os.path.join(current, "_config.yaml")
        ):
            hexo_source = os.path.join(current, "source")
            return (hexo_source,) if os.path.isdir(hexo_source) else (current,)
        if os.path.isdir(os.path.join(current, "content")) and any(
            os.path.isfile(os.path.join(current, name)) for name in HUGO_CONFIGS
        ):
            static = os.path.join(current, "static")
            return (static,) if os.path.isdir(static) else ()
        parent = os.path.dirname(current)
        if parent == current:
            return ()
        current = parent
