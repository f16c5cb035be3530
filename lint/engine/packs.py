"""Rule packs: the bundled rules grouped by the kind of archive whose defects they find.

A rule names its pack with the ``pack:`` key of its YAML file (no key: ``core``). A pack
is on for a run when

- it is ``core`` (always), or
- the configuration names it (``packs: [wechat]``; the list then replaces the default
  set), or, without ``packs:`` in the configuration,
- it is on by default, or a site preset of the run switches it on.

Every bundled pack is on by default: each of its rules is keyed on a structure that only
its platform emits (WeChat's image hosts and editor attributes, a whole paragraph of a
follow prompt, Jetpack's ``sharedaddy`` box, WP-Syntax's ``<pre lang>``), and each
kind skips a file that lacks what its rule looks for with one substring test. So a
default run on an unseen WeChat dump or WordPress migration finds their defects, and an
archive of another kind pays a few substring tests per file and gets no finding from
them. A pack that could hit an author's own text elsewhere would be registered off by
default, for its preset (``lint.engine.presets``) or the configuration to switch on.

Rules from other folders may name packs of their own; those are on by default.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import NamedTuple

CORE = "core"


class Pack(NamedTuple):
    """A bundled pack: whether it is on without being asked for, and what it is for."""

    default: bool
    summary: str


PACKS: dict[str, Pack] = {
    CORE: Pack(True, "defects of any scraped or syndicated article (always on)"),
    "wechat": Pack(
        True,
        "WeChat articles and their copies: hot-linked mmbiz images, editor attributes, "
        "follow and share prompts",
    ),
    "wordpress": Pack(
        True,
        "WordPress migrations: block comments, WP-Syntax code, shortcodes, uploads left "
        "on the old site",
    ),
    "pages": Pack(
        True,
        "whole rendered pages copied by robots: share, likes and related-posts widgets, "
        "ad slots, comment sections, head elements",
    ),
}


def active_packs(
    known: Collection[str], named: Iterable[str] | None, preset_packs: Iterable[str] = ()
) -> frozenset[str]:
    """The packs on for a run, among ``known`` (the packs of the loaded rules).

    ``named``: the configuration's ``packs:`` (None when it has none); ``preset_packs``:
    the packs the run's site presets switch on."""
    if named is not None:
        return frozenset({CORE, *named})
    on = {pack for pack in known if PACKS.get(pack, Pack(True, "")).default}
    return frozenset({CORE, *on, *preset_packs})
