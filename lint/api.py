"""The Python API: lint and fix texts and files from a program, as the command does.

    import lint

    settings = lint.load_config(".contentlint.yaml")   # once; None: the defaults
    for finding in lint.lint_text(text, "posts/a.md", settings):
        print(lint.to_dict(finding))                    # the JSON report's object
    fixed = lint.fix_text(text, "posts/a.md", settings)
    for result in lint.lint_paths(["archive/"], settings):
        ...

A text is linted as ``contentlint check - --stdin-filename PATH`` lints it: ``path``
names it for the configuration (found upward from it when none is given), its site
preset, ``per-file-ignores`` and the findings. Errors are ``LintError`` exceptions whose
message is the one the command prints after ``contentlint: error:`` (a broken
configuration, an unknown rule id) or the file's error line. What this module exports
is kept stable as the JSON report is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from lint.engine.config import Config, find_config, load_rules_of
from lint.engine.config import load_config as read_config
from lint.engine.findings import FileResult, Finding
from lint.engine.linter import Linter
from lint.engine.rules import Rule, RuleError
from lint.files.plan import plan_files, site_linter
from lint.files.pool import Work, lint_files
from lint.files.shard import Shard
from lint.files.stdin import STDIN_NAME, process_stdin
from lint.reporters.json_array import finding_dict
from lint.run import file_error
from lint.runner import Mode

__all__ = [
    "FileResult",
    "Finding",
    "Fixed",
    "LintError",
    "Settings",
    "fix_text",
    "lint_paths",
    "lint_text",
    "load_config",
    "to_dict",
]

to_dict = finding_dict  # a finding as the JSON report writes it


class LintError(Exception):
    """What the command reports as an error, with the same message."""


@dataclass(frozen=True, eq=False)
class Settings:
    """A configuration with its rules loaded: load it once (``load_config``) and pass it
    to every call. It pickles, so it can be shipped to other processes."""

    config: Config
    rules: Mapping[str, Rule]  # every rule there is, active or not
    active: tuple[Rule, ...]  # the rules that run
    _linters: dict[tuple[str, int], Linter] = field(default_factory=dict, init=False, repr=False)

    @property
    def linter(self) -> Linter:
        """A linter of the active rules, before any site preset applies."""
        return Linter(self.active, known=self.rules)

    def linter_for(self, path: str) -> Linter:
        """A linter for the file at ``path``: the rules of its folder's site preset (none
        for a URL, whose folder is not on this machine). One per folder and thread is
        kept (a linter collects its rules' failures as it goes: threads share none)."""
        remote = "://" in path
        folder = "" if remote else os.path.dirname(os.path.abspath(path))
        key = (folder, threading.get_ident())
        found = self._linters.get(key)
        if found is None:
            found = self.linter if remote else site_linter(self.config, self.linter, [path])
            self._linters[key] = found
        return found

    def __getstate__(self) -> dict[str, object]:
        return {"config": self.config, "rules": self.rules, "active": self.active}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, value in {**state, "_linters": {}}.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Fixed:
    """What ``fix_text`` gives: the fixed text, the findings left in it, and how many
    findings the fixes resolved (the command's "fixed" count)."""

    text: str
    findings: list[Finding]
    fixed: int


def load_config(
    path: str | None = None,
    *,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    rules_dirs: Sequence[str] = (),
    max_file_size: int | None = None,
) -> Settings:
    """The configuration file at ``path`` (None: the defaults) and its rules;
    ``select``, ``ignore``, ``rules_dirs`` and ``max_file_size`` (bytes) are the
    command's options of those names. Raises ``LintError``."""
    try:
        config = read_config(path)
        config, every_rule, active = load_rules_of(
            config, select, ignore, rules_dirs, max_file_size
        )
    except RuleError as error:
        raise LintError(str(error)) from error
    return Settings(config, every_rule, tuple(active))


def _resolve(config: Settings | str | None, paths: Sequence[str]) -> Settings:
    """``config`` as settings: given, read from a file, or found upward from ``paths``."""
    if isinstance(config, Settings):
        return config
    return load_config(find_config(paths) if config is None else config)


def lint_text(
    text: str | bytes, path: str | None = None, config: Settings | str | None = None
) -> list[Finding]:
    """The findings of ``text`` (bytes are decoded as a file's are) in document order.
    ``config``: settings, a configuration file, or None (found upward from ``path``)."""
    return _process(text, path, config, Mode.CHECK, False)[0].findings


def fix_text(
    text: str | bytes,
    path: str | None = None,
    config: Settings | str | None = None,
    unsafe: bool = False,
) -> Fixed:
    """``text`` with its safe fixes applied (unsafe ones too with ``unsafe``), as
    ``--fix`` would write it. Raises ``LintError`` where ``--fix`` reports an error
    (fixes that never settle, a rule that fails, damaged UTF-8)."""
    result, output = _process(text, path, config, Mode.FIX, unsafe)
    if isinstance(text, str) and not result.fixed:
        return Fixed(text, result.findings, 0)
    return Fixed(output.decode("utf-8", "surrogateescape"), result.findings, result.fixed)


def _process(
    text: str | bytes, path: str | None, config: Settings | str | None, mode: Mode, unsafe: bool
) -> tuple[FileResult, bytes]:
    name = path or STDIN_NAME
    settings = _resolve(config, [path] if path else ["."])
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    ignored = settings.config.ignored_rules(name)
    linter = settings.linter_for(name)
    limit = linter.size_limit(name, ignored)
    outcome = process_stdin(data, name, linter, ignored, mode, unsafe, limit)
    if outcome.result.errors:
        raise LintError("\n".join(outcome.result.errors))
    return outcome.result, outcome.output


def lint_paths(
    paths: Iterable[str],
    config: Settings | str | None = None,
    jobs: int = 0,
    shard: Shard | None = None,
) -> Iterator[FileResult]:
    """A record per file that ``contentlint check PATHS`` lints (folders walked for
    Markdown, ``exclude`` and ``.gitignore`` respected), in the command's order, as they
    come. A path that cannot be linted gives a record with its error line in
    ``errors``. ``jobs``: worker processes (0: one per CPU). Raises ``LintError`` for
    the configuration only."""
    named = list(paths) or ["."]
    settings = _resolve(config, named)
    plan = plan_files(settings.config, settings.linter, named, shard=shard)
    results = lint_files(plan.tasks, Work(plan.linter), jobs or None)
    for path, problem in plan.entries:
        if problem is None:
            yield next(results)
        else:
            yield FileResult(path, errors=[file_error(path, problem)])
