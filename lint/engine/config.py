"""Configuration: ``.contentlint.yaml`` or ``[tool.contentlint]`` in ``pyproject.toml``.

The file is looked for from the linted paths upward; ``--config`` names one directly.
Keys::

    preset: auto               # hugo, jekyll, hexo, dump, none (default auto: detected)
    select: [rule ids]         # only these rules (default: every enabled rule)
    ignore: [rule ids]         # never these
    rules-dirs: [folders]      # extra rule folders, relative to the configuration file
    exclude: [globs]           # paths not to lint (relative to the configuration file)
    respect-gitignore: true    # also skip what .gitignore ignores, when walking folders
    per-file-ignores: {glob: [rule ids]}
    rules: {rule-id: {severity: error, <option>: <value>}}
    packs: [pack names]        # the rule packs to run besides core (default: lint.engine.packs)

Unknown keys are errors that name the file (and line, for YAML). A configuration file
must be a regular file of bounded size (``lint.engine.rules.read_config``).
"""

from __future__ import annotations

import fnmatch
import functools
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from lint.engine.packs import active_packs
from lint.engine.presets import AUTO, NONE, PRESETS
from lint.engine.rules import (
    Rule,
    RuleError,
    builtin_rules,
    bundled_rules_dir,
    compose_yaml,
    load_rules,
    read_config,
)
from lint.files.gitignore import GitIgnore

CONFIG_NAMES = (".contentlint.yaml", ".contentlint.yml")
CONFIG_KEYS = frozenset(
    {
        "preset",
        "select",
        "ignore",
        "rules-dirs",
        "exclude",
        "respect-gitignore",
        "per-file-ignores",
        "rules",
        "packs",
    }
)


_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Config(NamedTuple):
    """A validated configuration; paths in it are relative to ``base_dir``."""

    path: str | None = None
    base_dir: str = "."
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    rules_dirs: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    per_file_ignores: Mapping[str, tuple[str, ...]] = _EMPTY
    rules: Mapping[str, Mapping[str, Any]] = _EMPTY
    packs: tuple[str, ...] | None = None
    preset: str = AUTO

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled with plain dicts for its read-only mappings (which do not pickle), so
        that a configuration can be shipped to other processes (``lint.dask``)."""
        fields = (dict(value) if isinstance(value, MappingProxyType) else value for value in self)
        return (Config, tuple(fields))

    def relative(self, path: str) -> str:
        return os.path.relpath(os.path.abspath(path), os.path.abspath(self.base_dir)).replace(
            os.sep, "/"
        )

    def is_excluded(self, path: str) -> bool:
        return bool(self.exclude) and _matches_any(self.relative(path), self.exclude)

    def excluder(
        self, explicit: Collection[str] = (), respect_gitignore: bool | None = None
    ) -> Callable[[str], bool]:
        """The test for paths not to lint: ``exclude``, and ``.gitignore`` (unless turned
        off) for what a folder walk finds. The ``explicit`` paths named on the command
        line are linted even if git ignores them, and so is what a walk of a named
        folder finds unless git ignores it below that folder (as ripgrep has it)."""
        use_gitignore = self.respect_gitignore if respect_gitignore is None else respect_gitignore
        if not use_gitignore:
            return self.is_excluded
        named = frozenset(explicit)

        @functools.cache
        def gitignore() -> GitIgnore:  # a run over named files never needs it
            return GitIgnore()

        folders = [folder.rstrip(os.sep) + os.sep for folder in named]

        def excluded(path: str) -> bool:
            if self.is_excluded(path):
                return True
            if path in named:
                return False
            holder = max((f for f in folders if path.startswith(f)), key=len, default=None)
            return gitignore().ignored(path, holder)

        return excluded

    def ignored_rules(self, path: str) -> frozenset[str]:
        if not self.per_file_ignores:
            return frozenset()
        relative = self.relative(path)
        ignored: set[str] = set()
        for pattern, ids in self.per_file_ignores.items():
            if _matches_any(relative, (pattern,)):
                ignored.update(ids)
        return frozenset(ignored)


def _matches_any(relative: str, patterns: Sequence[str]) -> bool:
    """Glob match on the path or any of its parent folders (``*`` crosses ``/``)."""
    parts = relative.split("/")
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    return any(
        fnmatch.fnmatchcase(prefix, pattern.rstrip("/"))
        or fnmatch.fnmatchcase(parts[index], pattern.rstrip("/"))
        for pattern in patterns
        for index, prefix in enumerate(prefixes)
    )


def find_config(paths: Sequence[str]) -> str | None:
    """The nearest configuration file above the common folder of ``paths``."""
    absolute = [os.path.abspath(path) for path in paths] or [os.getcwd()]
    try:
        folder = os.path.commonpath(absolute)
    except ValueError:
        folder = os.getcwd()
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate
        pyproject = os.path.join(folder, "pyproject.toml")
        if os.path.isfile(pyproject) and read_config_file(pyproject)[0] is not None:
            return pyproject
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _mentions_contentlint(path: str) -> bool:
    return b"contentlint" in read_config(path)


def _pyproject_section(path: str) -> dict[str, Any] | None:
    """The ``[tool.contentlint]`` table of a ``pyproject.toml``; None if it has none."""
    import tomllib  # heavy: see lint.engine

    try:
        data = tomllib.loads(read_config(path).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise RuleError(path, None, f"cannot read configuration: {error}") from None
    section = data.get("tool", {}).get("contentlint")
    return section if isinstance(section, dict) else None


def read_config_file(path: str) -> tuple[Any, dict[str, int]]:
    """The data of a configuration file and the line of each top-level key; for a
    ``pyproject.toml``, its ``[tool.contentlint]`` table (None if it has none) and no
    lines. A ``pyproject.toml`` that never mentions contentlint is not parsed: it cannot
    hold the table."""
    if path.endswith(".toml"):
        if not _mentions_contentlint(path):
            return None, {}
        return _pyproject_section(path), {}
    return compose_yaml(path)


def load_config(path: str | None) -> Config:
    """Read and validate the configuration at ``path`` (no file: the defaults)."""
    if path is None:
        return Config()
    data, lines = read_config_file(path)
    if data is None:  # an empty file, only comments, or no table: the defaults
        data = {}
    if not isinstance(data, dict):
        raise RuleError(path, 1, "the configuration must be a mapping")

    def fail(key: str, message: str) -> RuleError:
        return RuleError(path, lines.get(key), message)

    unknown = sorted(set(data) - CONFIG_KEYS)
    if unknown:
        raise fail(
            unknown[0],
            f"unknown configuration key {unknown[0]!r}; known: {', '.join(sorted(CONFIG_KEYS))}",
        )
    per_file = data.get("per-file-ignores", {})
    if not isinstance(per_file, dict):
        raise fail("per-file-ignores", "'per-file-ignores' must map globs to lists of rule ids")
    rules = data.get("rules", {})
    if not isinstance(rules, dict) or not all(isinstance(v, dict) for v in rules.values()):
        raise fail("rules", "'rules' must map rule ids to mappings of settings")
    select = data.get("select")
    packs = data.get("packs")
    preset = data.get("preset", AUTO)
    if preset not in (AUTO, NONE, *PRESETS):
        names = ", ".join((AUTO, NONE, *PRESETS))
        raise fail("preset", f"'preset' must be one of {names}, not {preset!r}")
    respect_gitignore = data.get("respect-gitignore", True)
    if not isinstance(respect_gitignore, bool):
        raise fail("respect-gitignore", "'respect-gitignore' must be true or false")
    return Config(
        path=path,
        base_dir=os.path.dirname(os.path.abspath(path)),
        select=None if select is None else _strings(select, "select", fail),
        ignore=_strings(data.get("ignore", []), "ignore", fail),
        rules_dirs=_strings(data.get("rules-dirs", []), "rules-dirs", fail),
        exclude=_strings(data.get("exclude", []), "exclude", fail),
        respect_gitignore=respect_gitignore,
        per_file_ignores={
            str(glob): _strings(ids, "per-file-ignores", fail) for glob, ids in per_file.items()
        },
        rules=rules,
        packs=None if packs is None else _strings(packs, "packs", fail),
        preset=preset,
    )


def _strings(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise fail(key, f"{key!r} must be a list of strings")
    return tuple(value)


def configured_rules(config: Config, extra_dirs: Sequence[str] = ()) -> dict[str, Rule]:
    """Every rule (bundled, built in, the configuration's folders, ``extra_dirs``) with its
    settings."""
    origin = config.path or "command line"
    folders = [bundled_rules_dir()]
    folders.extend(os.path.join(config.base_dir, folder) for folder in config.rules_dirs)
    folders.extend(extra_dirs)
    rules = load_rules(folders)
    for builtin in builtin_rules():
        if builtin.id in rules:
            raise RuleError(rules[builtin.id].origin, None, f"rule id {builtin.id!r} is built in")
        rules[builtin.id] = builtin
    for rule_id, settings in config.rules.items():
        if rule_id not in rules:
            raise RuleError(origin, None, f"unknown rule {rule_id!r} in 'rules'")
        rules[rule_id] = rules[rule_id].configure(settings, origin, config.base_dir)
    return rules


def select_rules(
    rules: Mapping[str, Rule],
    config: Config,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    preset_packs: Sequence[str] = (),
) -> list[Rule]:
    """The active rules, sorted by id: selected ones (command line over configuration),
    or every enabled rule of a pack that is on (``lint.engine.packs.active_packs``, with
    the packs ``preset_packs`` that the run's site presets switch on), less the ignored
    ones."""
    origin = config.path or "command line"
    chosen = tuple(select) or config.select
    ignored = set(ignore) | set(config.ignore)
    for rule_id in [*(chosen or ()), *sorted(ignored)]:
        if rule_id not in rules:
            raise RuleError(origin, None, f"unknown rule id {rule_id!r}")
    known = {rule.pack for rule in rules.values()}
    for pack in config.packs or ():
        if pack not in known:
            raise RuleError(
                origin, None, f"unknown pack {pack!r}; known: {', '.join(sorted(known))}"
            )
    packs = active_packs(known, config.packs, preset_packs)
    return [
        rule
        for rule_id, rule in sorted(rules.items())
        if (rule_id in chosen if chosen is not None else rule.enabled and rule.pack in packs)
        and rule_id not in ignored
    ]


def load(
    paths: Sequence[str],
    config_path: str | None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules_dirs: Sequence[str] = (),
    max_file_size: int | None = None,
) -> tuple[Config, dict[str, Rule], list[Rule]]:
    """The configuration (``config_path``, or found upward from ``paths``), every rule,
    and the active rules; ``max_file_size`` is the limit of the rules that set one
    (``--max-file-size``). Raises ``RuleError``."""
    config = load_config(config_path or find_config(paths))
    return load_rules_of(config, select, ignore, rules_dirs, max_file_size)


def load_rules_of(
    config: Config,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules_dirs: Sequence[str] = (),
    max_file_size: int | None = None,
) -> tuple[Config, dict[str, Rule], list[Rule]]:
    """``config``, every rule, and the active rules (``load``). Raises ``RuleError``."""
    every_rule = configured_rules(config, rules_dirs)
    if max_file_size is not None:
        for rule_id, rule in every_rule.items():
            if rule.kind.size_limit is not None:
                limit = {"limit": max_file_size}
                every_rule[rule_id] = rule.configure(limit, "--max-file-size", rule.base_dir)
    return config, every_rule, select_rules(every_rule, config, _ids(select), _ids(ignore))


def _ids(values: Sequence[str]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
