"""A ``contentlint check`` run: options → files → (cache | pool) → reporter → exit code.

``run(Options(...))`` loads the configuration and rules, finds the files, serves each
from the result cache or lints it (``lint.files.pool``), hands every file's record to the
reporter as it comes, in the order the files were found, and returns the exit code.
Errors and diffs go to the terminal as they come. The opt-in remote pass
(``--check-remote``) runs after linting, for the rules whose kind checks remote URLs.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TextIO

import click

from lint.engine.config import Config, load
from lint.engine.findings import FileResult
from lint.engine.linter import Linter
from lint.engine.presets import Site
from lint.engine.rules import Rule, RuleError
from lint.engine.tally import Tally
from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.files.plan import plan_files, site_linter
from lint.files.pool import Task, Work, lint_files
from lint.files.stdin import STDIN_NAME, process_stdin
from lint.reporters import HTML_MAX_PER_RULE, Reporter, reporter
from lint.reporters.progress import Progress
from lint.runner import Mode

if TYPE_CHECKING:
    from lint.files.shard import Shard  # loaded by the runs that shard only (``--shard``)
    from lint.reporters.html import HtmlReporter

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_DELAY = 0.5  # seconds before a run shows its progress line (on a terminal)


@dataclass(frozen=True)
class Options:
    """What ``contentlint check`` was asked (its command-line options)."""

    paths: tuple[str, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    output_format: str = "text"
    output_file: str | None = None
    html_max_per_rule: int = HTML_MAX_PER_RULE
    statistics: bool = False
    quiet: bool = False
    exit_zero: bool = False
    exit_non_zero_on_fix: bool = False
    stdin_filename: str | None = None
    respect_gitignore: bool | None = None
    jobs: int = 0
    no_cache: bool = False
    verbose: bool = False
    cache_dir: str = DEFAULT_CACHE_DIR
    check_remote: bool = False
    allow_private_hosts: bool = False
    remote_accept: frozenset[int] = frozenset()
    remote_timeout: float = 10.0
    remote_run_timeout: float = 600.0
    max_file_size: int | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules_dirs: tuple[str, ...] = ()
    config_path: str | None = None
    shard: Shard | None = None
    scheduler: str | None = None  # a Dask scheduler's address: lint on its cluster

    @property
    def mode(self) -> Mode:
        return Mode.DIFF if self.diff else Mode.FIX if self.fix else Mode.CHECK


def file_error(path: str, problem: str) -> str:
    """The error line of a path that cannot be linted."""
    return f"{path}: error: {problem}"


def colour_for(stream: TextIO) -> bool:
    """ANSI colour: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def warn(message: str) -> None:
    click.echo(f"contentlint: warning: {message}", err=True)


LintMany = Callable[[Sequence[Task], Work, "int | None"], Iterator[FileResult]]


class Run:
    """One run: its options, rules and counts, and the reporter it feeds."""

    def __init__(
        self,
        options: Options,
        config: Config,
        linter: Linter,
        out: TextIO,
        lint_many: LintMany = lint_files,
    ) -> None:
        """``lint_many``: what lints the files that the cache does not serve (the local
        pool, or a Dask cluster's)."""
        self.options = options
        self.lint_many = lint_many
        self.config = config
        self.linter = linter
        self.tally = Tally()
        self.changed = 0
        self.linted = 0  # files linted or served from the cache
        self.sites: dict[str, int] = {}  # each site preset that applied: its folders
        colour = options.output_file is None and colour_for(out)
        rules = {rule.id: rule for rule in linter.rules}
        self.reporter: Reporter
        self.html: HtmlReporter | None = None
        if options.statistics:
            from lint.reporters.statistics import StatisticsReporter

            as_json = options.output_format == "json"
            self.reporter = StatisticsReporter(out, as_json, options.quiet)
        elif options.output_format == "html":
            from lint.reporters.html import HtmlReporter, settings_of

            settings = settings_of(config, options.paths, options.html_max_per_rule)
            self.reporter = self.html = HtmlReporter(out, rules, settings=settings)
        else:
            chosen = reporter(options.output_format)
            self.reporter = chosen(out, rules, colour, options.quiet)

    def use_sites(self, paths: list[str]) -> None:
        """Give the files of each folder of ``paths`` the rules of the folder's site
        preset (detected, or named by the configuration); with ``--verbose``, say which
        preset applies to which folder, on stderr."""
        self.linter = site_linter(self.config, self.linter, paths, self._tell())

    def _tell(self) -> Callable[[str, Site | None], None]:
        """What hears which preset applies to a folder: counted for the report, and with
        ``--verbose`` said on stderr."""

        def tell(folder: str, site: Site | None) -> None:
            applied = site.describe() if site is not None else "none (the rules' defaults)"
            self.sites[applied] = self.sites.get(applied, 0) + 1
            if self.options.verbose:
                click.echo(f"contentlint: {folder}: preset {applied}", err=True)

        return tell

    def finish(self) -> None:
        """Report the counts (the HTML report also names the presets that applied)."""
        if self.html is not None and self.sites:
            presets = "; ".join(
                f"{applied}: {count} folder{'s' if count != 1 else ''}"
                for applied, count in self.sites.items()
            )
            self.html.settings = self.html.settings._replace(preset=presets)
        self.tally.files = self.linted
        self.reporter.finish(self.tally)

    def add(self, result: FileResult) -> None:
        """Count a file's record, print its errors and diff, and report it."""
        for message in result.errors:
            click.echo(message, err=True)
        self.tally.errors += len(result.errors)
        self.tally.fixed += result.fixed
        self.tally.add(result.findings)
        self.changed += result.changed
        self.linted += 1
        if result.diff:
            click.echo(result.diff, nl=False)
        if self.options.mode is not Mode.DIFF:  # --diff prints the diffs alone
            self.reporter.file(result)

    def exit_code(self) -> int:
        options, tally = self.options, self.tally
        if tally.errors:
            return EXIT_ERROR
        if options.mode is Mode.DIFF:
            failing = bool(self.changed)
        else:
            failing = bool(tally.findings) or (options.exit_non_zero_on_fix and self.changed > 0)
        return EXIT_FINDINGS if failing and not options.exit_zero else EXIT_CLEAN

    def files(self) -> None:
        """Lint the files the paths name, reporting each as it comes."""
        options = self.options
        plan = plan_files(
            self.config,
            self.linter,
            options.paths,
            options.respect_gitignore,
            options.shard,
            self._tell(),
        )
        self.linter, entries = plan.linter, plan.entries
        results = self._results(plan.tasks)
        enabled = False if options.quiet else None
        progress = Progress(sys.stderr, len(entries), enabled=enabled, delay=PROGRESS_DELAY)
        remote = self._remote_rules()
        held: list[FileResult] = []  # the remote pass needs every file first
        for done, (path, problem) in enumerate(entries, 1):
            if problem is not None:
                progress.clear()
                click.echo(file_error(path, problem), err=True)
                self.tally.errors += 1
                continue
            result = next(results)
            if result.errors or result.diff:
                progress.clear()
            if remote:
                held.append(result)
            else:
                self.add(result)
            progress.update(done, self.tally.findings)
        progress.close()
        if remote:
            self._check_remote(held, remote)
        if not entries:
            where = " ".join(options.paths)
            warn(
                f"shard {options.shard} holds none of the Markdown files in {where}"
                if options.shard is not None
                else f"no Markdown files to lint in {where}"
            )

    def _results(self, tasks: list[Task]) -> Iterator[FileResult]:
        """Each task's result, in order: from the cache, or linted."""
        options = self.options
        with_text = self.reporter.needs_text or options.check_remote
        cache = None
        if not options.no_cache and options.mode is not Mode.DIFF:  # --diff writes nothing
            from lint.files.cache import ResultCache, fingerprint, folder_fingerprints

            linter, known = self.linter, sorted(self.linter.known or ())
            folders = folder_fingerprints(linter.folders, known)
            cache = ResultCache.open(
                options.cache_dir, fingerprint(linter.rules, known), warn, folders
            )
        work = Work(self.linter, options.mode, options.unsafe_fixes, with_text, cache is not None)
        jobs = options.jobs or None
        if cache is None:
            yield from self.lint_many(tasks, work, jobs)
            return
        fixing, unsafe = options.mode is Mode.FIX, options.unsafe_fixes
        try:
            # Which files the cache serves is decided first, so that the misses go to the
            # pool in one stream; a hit is read again when its turn comes (a run holds
            # one file's findings at a time), and linted here if it changed meanwhile.
            hits: list[FileResult | bool] = []  # a clean hit, True for another, False: a miss
            for path, ignored in tasks:
                found = cache.get(path, ignored, False, fixing, unsafe)
                hits.append(found is not None and (bool(found.findings) or found))
            cache.flush()  # the new stamps of touched files: the second look-up reads none
            misses = [task for task, hit in zip(tasks, hits, strict=True) if hit is False]
            linted = self.lint_many(misses, work, jobs)
            for task, hit in zip(tasks, hits, strict=True):
                if isinstance(hit, FileResult):
                    result = hit
                else:
                    served = cache.get(*task, with_text, fixing, unsafe) if hit else None
                    if served is not None:
                        result = served
                    else:
                        result = next(linted) if hit is False else work(task)
                        cache.put(result, task[1])
                result.basis = None
                yield result
        finally:
            cache.close()

    def _remote_rules(self) -> list[Rule]:
        if not self.options.check_remote or self.options.mode is Mode.DIFF:
            return []
        return [rule for rule in self.linter.rules if rule.kind.checks_remote]

    def _check_remote(self, results: list[FileResult], rules: list[Rule]) -> None:
        """The remote pass (``lint.remote.files``), then the files' records reported."""
        from lint.remote import RemoteOptions  # only when asked: slow
        from lint.remote.files import add_remote_findings

        options = self.options
        remote = RemoteOptions(
            timeout=options.remote_timeout,
            run_timeout=options.remote_run_timeout,
            accept=options.remote_accept,
            cache_dir=None if options.no_cache else options.cache_dir,
            allow_private_hosts=options.allow_private_hosts,
        )
        enabled = False if options.quiet else None
        progress = Progress(
            sys.stderr, 0, unit="remote images", enabled=enabled, delay=PROGRESS_DELAY
        )
        add_remote_findings(results, rules, self.config.ignored_rules, remote, progress.advance)
        progress.close()
        for result in results:
            self.add(result)

    def stdin(self, name: str, to_stdout: bool) -> None:
        """Lint standard input as the file ``name``; with ``to_stdout`` (``--fix``),
        print the fixed text."""
        options = self.options
        self.use_sites([name])
        ignored = self.config.ignored_rules(name)
        limit = self.linter.size_limit(name, ignored)
        data = sys.stdin.buffer.read(limit + 1)  # the limit a file has, no more
        outcome = process_stdin(
            data, name, self.linter, ignored, options.mode, options.unsafe_fixes, limit
        )
        self.add(outcome.result)
        self.changed = max(self.changed, int(outcome.output != data))
        if to_stdout:
            sys.stdout.buffer.write(outcome.output)
            if len(data) > limit:  # not read to its end: the rest goes through unchanged
                shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer)
            sys.stdout.flush()


def run(options: Options) -> int:
    """Run ``contentlint check`` as ``options`` say; the exit code."""
    options = replace(options, paths=options.paths or (".",))
    from_stdin = STDIN_NAME in options.paths
    if from_stdin and len(options.paths) > 1:
        click.echo("contentlint: error: '-' (standard input) cannot be mixed with paths", err=True)
        return EXIT_ERROR
    config_paths = options.paths
    if from_stdin:
        config_paths = (options.stdin_filename,) if options.stdin_filename else (".",)
    try:
        config, every_rule, rules = load(
            config_paths,
            options.config_path,
            options.select,
            options.ignore,
            options.rules_dirs,
            options.max_file_size,
        )
    except RuleError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        return EXIT_ERROR
    linter = Linter(rules, known=every_rule)
    if options.scheduler is None or from_stdin:
        return _write(options, config, linter, from_stdin, lint_files)
    from lint.files.cluster import ClusterError, ClusterFiles, connect  # optional: dask

    try:
        client = connect(options.scheduler, options.paths)
    except ClusterError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        return EXIT_ERROR
    try:
        return _write(options, config, linter, from_stdin, ClusterFiles(client))
    except ClusterError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        return EXIT_ERROR
    finally:
        client.close()


def _write(
    options: Options, config: Config, linter: Linter, from_stdin: bool, lint_many: LintMany
) -> int:
    """The run, its report written where ``options`` say; the exit code."""
    to_stderr = from_stdin and options.mode is Mode.FIX  # stdout carries the fixed text
    if options.output_file is None or options.mode is Mode.DIFF:
        out = sys.stderr if to_stderr else sys.stdout
        return _run(options, config, linter, out, from_stdin, lint_many)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(options.output_file)), exist_ok=True)
        with open(options.output_file, "w", encoding="utf-8", newline="") as out:
            return _run(options, config, linter, out, from_stdin, lint_many)
    except OSError as error:
        click.echo(f"contentlint: error: cannot write {options.output_file}: {error}", err=True)
        return EXIT_ERROR


def _run(
    options: Options,
    config: Config,
    linter: Linter,
    out: TextIO,
    from_stdin: bool,
    lint_many: LintMany,
) -> int:
    current = Run(options, config, linter, out, lint_many)
    reporting = options.mode is not Mode.DIFF
    if reporting:
        current.reporter.start()
    if from_stdin:
        current.stdin(options.stdin_filename or STDIN_NAME, options.mode is Mode.FIX)
    else:
        current.files()
    if reporting:
        current.finish()
    out.flush()
    return current.exit_code()
