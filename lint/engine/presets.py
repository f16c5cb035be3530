"""Site presets: what a static site generator means by an article, and which one applies.

A ``Preset`` is data: the front-matter fields its articles need and the ones it reads,
whether it reads keys without regard to case, whether a post's file name gives its date,
the folders that serve site-absolute paths (``/images/a.png``), the template syntax its
URLs may hold, and the rule packs it switches on. ``Preset.rule_settings`` turns it into
rule settings, the layer between the bundled rules and the configuration's ``rules:``.

``detect`` finds the site of a folder from the generator's markers, from the folder
upward: Hugo (``hugo.toml|yaml|json`` or ``config.toml|yaml|json`` beside ``content/``),
Hexo (``_config.yml`` beside ``source/_posts/``), Jekyll (``_config.yml`` beside
``_posts/``); with no site, a folder where most articles have no front matter is a dump.
Detection belongs to the run, never to the kinds: a ``Site`` is settled before any file
is linted, and is part of the configuration fingerprint of the files it applies to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from lint.engine.rules import Rule, RuleError, compose_yaml

HUGO_CONFIGS = ("hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.json")
JEKYLL_CONFIGS = ("_config.yml", "_config.yaml")
ARTICLE_SUFFIXES = (".md", ".markdown")
DUMP_SAMPLE = 15  # articles of a folder read to tell a dump (evenly spaced by name)
DUMP_MINIMUM = 3  # articles without front matter a dump has at least (one is a defect)
HEAD_BYTES = 4096  # of each sampled article: enough to see whether front matter opens
AUTO, NONE = "auto", "none"  # the configuration's ``preset:`` besides a preset's name
# How each form of front matter opens (``lint.document.frontmatter`` parses them): a
# fence of YAML (---), TOML (+++) or Hexo's JSON (;;;), or a JSON object, after any
# blank lines. Enough to tell a dump, without parsing anything.
_FRONT_MATTER_OPENING = re.compile(r"(?:[ \t]*\r?\n)*(?:(?:---|\+\+\+|;;;)[ \t]*\r?\n|\{)")

# Fields every generator's themes read, besides each generator's own.
_COMMON_FIELDS = (
    "title",
    "date",
    "author",
    "authors",
    "categories",
    "tags",
    "keywords",
    "description",
    "summary",
    "excerpt",
    "draft",
    "published",
    "slug",
    "permalink",
    "layout",
    "comments",
    "toc",
    "image",
    "images",
    "cover",
    "thumbnail",
    "banner",
    "lang",
    "language",
)


@dataclass(frozen=True)
class Preset:
    """What one generator means by an article (see the module's docstring)."""

    name: str
    summary: str
    required: tuple[str, ...]  # fields an article must have (missing-field)
    known: tuple[str, ...]  # fields the generator and common themes read (misspelt-field)
    case_sensitive: bool = True  # False: ``Title:`` is ``title`` (Hugo)
    date_from_file_name: bool = False  # ``_posts/2020-01-02-x.md`` is dated (Jekyll)
    undated: tuple[str, ...] = ()  # file names whose pages need no date (Hugo sections)
    static_roots: tuple[str, ...] = ()  # folders, relative to the site root, serving /x
    templates: tuple[str, ...] = ()  # template syntaxes the generator expands in URLs
    packs: tuple[str, ...] = ()  # rule packs the preset switches on

    def rule_settings(self, root: str = "", baseurl: str = "") -> dict[str, dict[str, Any]]:
        """The settings of the bundled rules this preset implies, by rule id, as the
        configuration's ``rules:`` holds them; ``root``: the site's root folder (the
        static roots are joined to it; "" leaves them relative)."""
        fields: dict[str, Any] = {"case-sensitive": self.case_sensitive}
        required: dict[str, Any] = {"required": list(self.required), **fields}
        if self.date_from_file_name:
            required["file-name-date"] = True
        if self.undated:
            required["undated"] = list(self.undated)
        image: dict[str, Any] = {
            "static-roots": [os.path.join(root, folder) for folder in self.static_roots],
            "baseurl": baseurl,
            "resolve-liquid": "liquid" in self.templates,
        }
        return {
            "missing-field": required,
            "misspelt-field": {"known": list(self.known), **fields},
            "invalid-field": dict(fields),
            "broken-image": image,
        }


HUGO = Preset(
    name="hugo",
    summary="Hugo (a Hugo configuration beside content/)",
    required=("title", "date"),
    known=(
        *_COMMON_FIELDS,
        "lastmod",
        "publishDate",
        "expiryDate",
        "linkTitle",
        "translationKey",
        "aliases",
        "url",
        "weight",
        "type",
        "menu",
        "series",
        "featured_image",
        "outputs",
        "resources",
        "headless",
        "isCJKLanguage",
        "markup",
        "sitemap",
        "build",
        "cascade",
        "params",
    ),
    case_sensitive=False,
    undated=("_index.md", "_index.markdown"),
    static_roots=("static",),
    templates=("go-template", "hugo-shortcode"),
)
JEKYLL = Preset(
    name="jekyll",
    summary="Jekyll (_config.yml beside _posts/)",
    required=("title",),
    known=(*_COMMON_FIELDS, "category", "image_feature", "last_modified_at"),
    date_from_file_name=True,
    static_roots=(".",),
    templates=("liquid",),
)
HEXO = Preset(
    name="hexo",
    summary="Hexo (_config.yml beside source/_posts/)",
    required=("title", "date"),
    known=(*_COMMON_FIELDS, "updated", "headimg", "top", "sticky", "photos", "link"),
    static_roots=("source",),
    templates=("nunjucks",),
)
DUMP = Preset(
    name="dump",
    summary="a dump (most articles of the folder have no front matter)",
    required=(),
    known=_COMMON_FIELDS,
)
PRESETS: Mapping[str, Preset] = {preset.name: preset for preset in (HUGO, JEKYLL, HEXO, DUMP)}


@dataclass(frozen=True)
class Site:
    """The preset that applies to a folder, with the facts of that site: its root (the
    folder with the markers; for a dump, the folder itself) and Jekyll's ``baseurl``."""

    preset: Preset
    root: str
    baseurl: str = ""

    def rule_settings(self) -> dict[str, dict[str, Any]]:
        return self.preset.rule_settings(self.root, self.baseurl)

    def describe(self) -> str:
        """``hugo (site root /x)``, as ``--verbose`` says it."""
        baseurl = f", baseurl {self.baseurl}" if self.baseurl else ""
        return f"{self.preset.name} (site root {self.root}{baseurl})"


def preset_named(name: str) -> Preset | None:
    """The preset called ``name``; None for ``auto`` and ``none``; KeyError otherwise."""
    if name in (AUTO, NONE):
        return None
    return PRESETS[name]


def detect(folder: str, seen: dict[str, Site | None] | None = None) -> Site | None:
    """The site ``folder`` belongs to: the nearest folder upward with a generator's
    markers; else, if most articles of ``folder`` have no front matter, a dump.

    ``seen``: the sites of folders already looked at in this run (by absolute path), so
    that sibling folders do not look at their common ancestors again. Nothing is kept
    from one run to the next: a site may appear between two runs of one process."""
    memo: dict[str, Site | None] = {} if seen is None else seen
    start = current = os.path.abspath(folder)
    while True:
        if current not in memo:
            memo[current] = _site_at(current)
        site = memo[current]
        if site is not None:
            return site
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    return Site(DUMP, start) if is_dump(start) else None


def _site_at(folder: str) -> Site | None:
    """The site whose root is ``folder``, from the markers in it."""
    if os.path.isdir(os.path.join(folder, "content")) and any(
        os.path.isfile(os.path.join(folder, name)) for name in HUGO_CONFIGS
    ):
        return Site(HUGO, folder)
    config = next(
        (path for name in JEKYLL_CONFIGS if os.path.isfile(path := os.path.join(folder, name))),
        None,
    )
    if config is None:
        return None
    if os.path.isdir(os.path.join(folder, "source", "_posts")):
        return Site(HEXO, folder)
    if os.path.isdir(os.path.join(folder, "_posts")):
        return Site(JEKYLL, folder, jekyll_baseurl(config))
    return None


def jekyll_baseurl(config: str) -> str:
    """The ``baseurl`` of a Jekyll ``_config.yml`` ("" when unset, unreadable or refused),
    without its trailing slash. Read as rule files are (``compose_yaml``: bounded, and no
    alias bombs)."""
    try:
        data, _ = compose_yaml(config)
    except RuleError:
        return ""
    baseurl = data.get("baseurl") if isinstance(data, dict) else None
    return baseurl.rstrip("/") if isinstance(baseurl, str) else ""


def is_dump(folder: str) -> bool:
    """Whether most articles of ``folder`` have no front matter, judged from at most
    ``DUMP_SAMPLE`` of them evenly spaced in name order (the same every run), of which
    only the first ``HEAD_BYTES`` are read; at least ``DUMP_MINIMUM`` must have none."""
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.endswith(ARTICLE_SUFFIXES) and entry.is_file()
        )
    except OSError:
        return False
    if not names:
        return False
    count = min(len(names), DUMP_SAMPLE)
    sample = [names[index * len(names) // count] for index in range(count)]
    bare = sum(not _has_front_matter(os.path.join(folder, name)) for name in sample)
    return bare >= DUMP_MINIMUM and bare * 2 > count


def _has_front_matter(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return True  # not an article that tells either way
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")
    return _FRONT_MATTER_OPENING.match(text) is not None


def sites_for(folders: list[str], setting: str, base_dir: str) -> dict[str, Site | None]:
    """The site of each folder, for the configuration's ``preset:`` setting: detected
    (``auto``), none at all (``none``), or the named preset everywhere (rooted at the
    detected site of that preset, or else at the configuration's folder)."""
    sites: dict[str, Site | None] = {}
    chosen = preset_named(setting)
    seen: dict[str, Site | None] = {}
    for folder in folders:
        if setting == NONE:
            sites[folder] = None
            continue
        site = detect(folder, seen)
        if chosen is not None and (site is None or site.preset is not chosen):
            site = Site(chosen, os.path.abspath(base_dir))
        sites[folder] = site
    return sites


def site_rules(
    rules: Sequence[Rule],
    sites: Mapping[str, Site | None],
    configured: Mapping[str, Mapping[str, Any]],
    origin: str,
    base_dir: str,
) -> dict[str, list[Rule]]:
    """The rules of each folder that has a site: ``rules`` (the active rules, configured)
    with the settings of the folder's preset under those of the configuration
    (``configured``, its ``rules:``), so that the configuration wins. Folders of one
    site share one list."""
    by_site: dict[Site, list[Rule]] = {}
    folders: dict[str, list[Rule]] = {}
    for folder, site in sites.items():
        if site is None:
            continue
        if site not in by_site:
            settings = site.rule_settings()
            by_site[site] = [
                rule.configure(
                    {**settings[rule.id], **configured.get(rule.id, {})}, origin, base_dir
                )
                if rule.id in settings
                else rule
                for rule in rules
            ]
        folders[folder] = by_site[site]
    return folders


def configuration_text(site: Site | None, folder: str) -> str:
    """A ``.contentlint.yaml`` for ``folder``, whose site is ``site``: the preset and each
    of its settings spelled out (paths relative to ``folder``), to edit."""
    if site is None:
        return (
            "# contentlint configuration written by `contentlint init`.\n"
            "# No site preset was detected here: no Hugo, Jekyll or Hexo site around this\n"
            "# folder, and its articles have front matter. The bundled rules' defaults apply\n"
            "# (missing-field requires title and date); set `preset:` to name one.\n"
            "preset: auto\n"
        )
    root = os.path.relpath(site.root, os.path.abspath(folder))
    settings = site.preset.rule_settings("" if root == "." else root, site.baseurl)
    body = yaml.safe_dump(
        {"preset": site.preset.name, "rules": settings},
        sort_keys=False,
        default_flow_style=None,
        allow_unicode=True,
        width=96,
    )
    return (
        "# contentlint configuration written by `contentlint init`.\n"
        f"# Detected: {site.preset.summary}; site root: {'here' if root == '.' else root}\n"
        "# The preset's settings, spelled out: edit them (these win over the preset's).\n" + body
    )
