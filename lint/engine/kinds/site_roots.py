"""Site-root detection: the static folders of the site an article belongs to, found from
the markers of the static site generators (Hexo, Hugo, Jekyll) upward from its folder.

Every lookup goes through the document's ``Files``, so a cached result is re-judged when
a marker or a static folder appears or goes."""

from __future__ import annotations

from lint.document.lookups import Files

JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")  # Hexo's too
HUGO_CONFIGS = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.json",
)


def detected_static_roots(files: Files) -> tuple[str, ...]:
    """The static roots of the site the article of ``files`` belongs to, found by its
    markers upward from the article's folder.

    Hexo (``_config.yml`` beside ``source/``): ``source/``. Hugo (a Hugo configuration
    beside ``content/``): ``static/``. Jekyll (``_config.yml`` alone): the site root.
    """
    for current in files.ancestors(files.folder):
        if any(files.isfile(files.join(current, name)) for name in JEKYLL_CONFIGS):
            hexo_source = files.join(current, "source")
            return (hexo_source,) if files.isdir(hexo_source) else (current,)
        if files.isdir(files.join(current, "content")) and any(
            files.isfile(files.join(current, name)) for name in HUGO_CONFIGS
        ):
            static = files.join(current, "static")
            return (static,) if files.isdir(static) else ()
    return ()
