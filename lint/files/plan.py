"""Which files a run lints, with which rules: the walk (``lint.files.walk``), the shard
(``--shard``), each folder's site preset (``lint.engine.presets``) and each file's ignored
rules. The command (``lint.run``) and ``lint.lint_paths`` both start here."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint.engine.config import Config
from lint.engine.linter import Linter
from lint.engine.presets import Site, site_rules, sites_for
from lint.files.pool import Task
from lint.files.walk import iter_files

if TYPE_CHECKING:
    from lint.files.shard import Shard  # loaded by the runs that shard only (``--shard``)


def site_linter(
    config: Config,
    linter: Linter,
    paths: Sequence[str],
    tell: Callable[[str, Site | None], None] | None = None,
) -> Linter:
    """``linter`` with the rules of each folder of ``paths`` set to those of the folder's
    site preset (detected, or named by the configuration); ``tell`` hears which preset
    applies to which folder."""
    folders = sorted({os.path.dirname(os.path.abspath(path)) for path in paths})
    sites = sites_for(folders, config.preset, config.base_dir)
    if tell is not None:
        for folder, site in sites.items():
            tell(folder, site)
    origin = config.path or "command line"
    by_folder = site_rules(linter.rules, sites, config.rules, origin, config.base_dir)
    return Linter(linter.rules, linter.known, by_folder)


@dataclass(frozen=True)
class Plan:
    """The files of a run: every path found (with why it cannot be linted, if so), the
    tasks of those that can, in the same order, and the linter with their sites' rules."""

    entries: list[tuple[str, str | None]]
    tasks: list[Task]
    linter: Linter


def plan_files(
    config: Config,
    linter: Linter,
    paths: Sequence[str],
    respect_gitignore: bool | None = None,
    shard: Shard | None = None,
    tell: Callable[[str, Site | None], None] | None = None,
) -> Plan:
    """Walk ``paths`` (``lint.files.walk``), keep the files of ``shard``, give each folder
    its site's rules and each file the rules ignored for it."""
    excluded = config.excluder(paths, respect_gitignore)
    entries = [
        entry for entry in iter_files(paths, excluded) if shard is None or shard.holds(entry[0])
    ]
    found = [path for path, problem in entries if not problem]
    sited = site_linter(config, linter, found, tell)
    tasks = [(path, config.ignored_rules(path)) for path in found]
    return Plan(entries, tasks, sited)
