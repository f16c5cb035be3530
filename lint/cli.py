"""The ``contentlint`` command: check (the default), rules and explain.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error
(``--exit-zero`` turns 1 into 0; ``--exit-non-zero-on-fix`` makes a fix alone give 1).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TextIO

import click

from lint import __version__
from lint.engine.config import Config, configured_rules, find_config, load_config, select_rules
from lint.engine.findings import Finding
from lint.engine.linter import Linter
from lint.engine.rules import Rule, RuleError
from lint.engine.tally import Tally
from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.files.pool import run as run_files
from lint.files.stdin import STDIN_NAME, process_stdin
from lint.files.walk import iter_files
from lint.reporters import FORMATS, HTML_MAX_PER_RULE, Report, Reporter, reporter
from lint.reporters.base import FilePart, PartRenderer
from lint.reporters.progress import Progress
from lint.runner import FileResult, Mode

if TYPE_CHECKING:
    from lint.files.cache import ResultCache
    from lint.reporters.html import HtmlSettings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PROGRESS_DELAY = 0.5  # seconds before a run shows its progress line (on a terminal)


class DefaultToCheck(click.Group):
    """``contentlint PATH...`` means ``contentlint check PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


EXIT_INTERRUPTED = 130


def interruptible(function: Callable[..., None]) -> Callable[..., None]:
    """Ctrl-C ends a run with exit 130 and one line, not click's "Aborted!" and exit 1 (the
    code for findings). Files being written are whole either way (see lint.files.writer)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            function(*args, **kwargs)
        except KeyboardInterrupt:
            click.echo("contentlint: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)

    return wrapper


def _ids(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _load(
    paths: tuple[str, ...],
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
    cache_dir: str | None = None,
) -> tuple[Config, dict[str, Rule], list[Rule]]:
    """The configuration, every rule, and the active rules; exit 2 on any error.
    ``cache_dir``: where the configuration and rule files read are remembered (None:
    nowhere), so that the next run need not parse them."""
    try:
        config = load_config(config_path or find_config(paths, cache_dir), cache_dir)
        every_rule = configured_rules(config, rules_dirs, cache_dir)
        active = select_rules(every_rule, config, _ids(select), _ids(ignore))
    except RuleError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    return config, every_rule, active


_rule_options = [
    click.option(
        "--select",
        multiple=True,
        metavar="IDS",
        help="Run only these rules (comma-separated ids; repeatable).",
    ),
    click.option(
        "--ignore",
        multiple=True,
        metavar="IDS",
        help="Skip these rules (comma-separated ids; repeatable).",
    ),
    click.option(
        "--rules-dir",
        "rules_dirs",
        multiple=True,
        type=click.Path(file_okay=False),
        help="An extra folder of YAML rules.",
    ),
    click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Configuration file (default: found upward from the paths).",
    ),
]


def rule_options(function: Any) -> Any:
    for option in reversed(_rule_options):
        function = option(function)
    return function


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="contentlint")
def main() -> None:
    """Lint and fix scraped Markdown articles: front matter, images, leftover markup."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--fix", is_flag=True, help="Apply safe fixes to the files.")
@click.option("--unsafe-fixes", is_flag=True, help="Apply unsafe fixes too (with --fix/--diff).")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option(
    "--output-format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(dir_okay=False),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--html-max-per-rule",
    type=click.IntRange(min=1),
    default=HTML_MAX_PER_RULE,
    show_default=True,
    help="The html report shows at most this many findings of each rule (counts stay exact).",
)
@click.option("--statistics", is_flag=True, help="Show counts per rule (and how many are fixable).")
@click.option(
    "-q", "--quiet", is_flag=True, help="Print the findings only: no summary, no progress."
)
@click.option("--exit-zero", is_flag=True, help="Exit with 0 even when there are findings.")
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit with 1 if --fix changed any file, even if no findings remain.",
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The name of the text read from standard input (PATH '-'), for configuration, "
    "per-file-ignores and messages.",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip files that .gitignore ignores when walking folders (default: on).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Worker processes; 0 (the default) means one per CPU.",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    envvar="CONTENTLINT_CACHE_DIR",
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="Folder of the result cache (also $CONTENTLINT_CACHE_DIR).",
)
@click.option(
    "--check-remote",
    is_flag=True,
    help="Also request http(s) images (HEAD, then a ranged GET) and report broken ones.",
)
@click.option(
    "--allow-private-hosts",
    is_flag=True,
    help="Let --check-remote request loopback, private and link-local addresses.",
)
@click.option(
    "--remote-accept",
    metavar="CODES",
    default="",
    help="HTTP statuses that count as working for --check-remote (comma-separated, e.g. 403,429).",
)
@click.option(
    "--remote-timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds per remote request, from the connection to the last byte.",
)
@click.option(
    "--remote-run-timeout",
    type=click.FloatRange(min=0.1),
    default=600.0,
    show_default=True,
    help="Seconds the whole --check-remote pass may take (retries included).",
)
@rule_options
@interruptible
def check(
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    output_format: str,
    output_file: str | None,
    html_max_per_rule: int,
    statistics: bool,
    quiet: bool,
    exit_zero: bool,
    exit_non_zero_on_fix: bool,
    stdin_filename: str | None,
    respect_gitignore: bool | None,
    jobs: int,
    no_cache: bool,
    cache_dir: str,
    check_remote: bool,
    allow_private_hosts: bool,
    remote_accept: str,
    remote_timeout: float,
    remote_run_timeout: float,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Check PATHS (files, or folders walked for .md/.markdown; default: .; - reads stdin)."""
    paths = paths or (".",)
    from_stdin = STDIN_NAME in paths
    if from_stdin and len(paths) > 1:
        click.echo("contentlint: error: '-' (standard input) cannot be mixed with paths", err=True)
        sys.exit(EXIT_ERROR)
    name = stdin_filename or STDIN_NAME
    config_paths = (stdin_filename,) if from_stdin and stdin_filename else paths
    if from_stdin and not stdin_filename:
        config_paths = (".",)
    mode = Mode.DIFF if diff else Mode.FIX if fix else Mode.CHECK
    rules_cache = None if no_cache or mode is Mode.DIFF else cache_dir  # --diff writes nothing
    config, every_rule, rules = _load(
        config_paths, config_path, select, ignore, rules_dirs, rules_cache
    )
    linter = Linter(rules, known=every_rule)
    chosen = reporter(output_format)
    keep_texts = chosen.needs_texts and not statistics
    to_stderr = from_stdin and mode is Mode.FIX  # stdout carries the fixed text
    colour = output_file is None and _colour(sys.stderr if to_stderr else sys.stdout)
    run = Run(keep_texts)
    if from_stdin:
        data = sys.stdin.buffer.read()
        outcome = process_stdin(data, name, linter, config.ignored_rules(name), mode, unsafe_fixes)
        parts: Iterable[FilePart] = [run.part(outcome.result)]
        run.tally.errors += run.failures(linter)
        run.changed = max(run.changed, int(outcome.output != data))
        if mode is Mode.FIX:
            sys.stdout.buffer.write(outcome.output)
            sys.stdout.flush()
    else:
        excluded = config.excluder(paths, respect_gitignore)
        entries = list(iter_files(paths, excluded))
        cache = None if no_cache else _result_cache(linter, cache_dir)
        tasks = [(path, config.ignored_rules(path)) for path, problem in entries if problem is None]
        render = None  # per-file formats are rendered where files are linted, and cached
        if chosen.render is not None and not (statistics or check_remote or diff):
            render = PartRenderer(chosen.name, colour, chosen.render, chosen.needs_texts)
        results = run_files(
            tasks, linter, mode, unsafe_fixes, jobs or None, cache, keep_texts, render=render
        )
        progress = Progress(
            sys.stderr, len(entries), enabled=False if quiet else None, delay=PROGRESS_DELAY
        )
        parts = run.stream(entries, results, linter, progress)
        broken_image = next((rule for rule in rules if rule.id == "broken-image"), None)
        if check_remote and broken_image is not None and mode is not Mode.DIFF:
            from lint.remote import RemoteOptions, terminal_progress  # only when asked: slow
            from lint.remote.files import remote_findings

            linted = list(parts)  # the remote pass needs every file first
            options = RemoteOptions(
                timeout=remote_timeout,
                run_timeout=remote_run_timeout,
                accept=_status_codes(remote_accept),
                cache_dir=None if no_cache else cache_dir,
                allow_private_hosts=allow_private_hosts,
                severity=broken_image.severity,
                message=broken_image.message,
            )
            remote = remote_findings(
                [part.path for part in linted],
                broken_image,
                config.ignored_rules,
                options,
                terminal_progress(),
            )
            parts = run.merge_remote(linted, remote)
    if mode is Mode.DIFF:
        for _ in parts:  # prints the diffs
            pass
        failing = run.changed and not exit_zero
        sys.exit(EXIT_ERROR if run.tally.errors else (EXIT_FINDINGS if failing else EXIT_CLEAN))
    report = Report(parts, {rule.id: rule for rule in rules}, run.tally, colour, quiet)
    if chosen.name == "html":
        from lint.reporters.html import html_writer  # as reporter(): only the format written

        chosen = chosen._replace(
            write=html_writer(_html_settings(config, paths, html_max_per_rule))
        )
    _write_report(report, chosen, statistics, output_file, to_stderr)
    tally = run.tally
    failing = bool(tally.findings) or (exit_non_zero_on_fix and run.changed > 0)
    if tally.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN)


def _html_settings(config: Config, paths: tuple[str, ...], max_per_rule: int) -> HtmlSettings:
    """What the html report says about the run: the paths and the configuration."""
    from lint.reporters.html import HtmlSettings

    defaults = Config()
    settings = tuple(
        (key.replace("_", "-"), _setting_text(value))
        for key, value in config._asdict().items()
        if key not in ("path", "base_dir") and value != getattr(defaults, key)
    )
    configuration = config.path or "none found: the bundled defaults"
    return HtmlSettings(max_per_rule, paths, configuration, settings)


def _setting_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_setting_text(item)}" for key, item in value.items())
    if isinstance(value, tuple | list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _result_cache(linter: Linter, cache_dir: str) -> ResultCache:
    from lint.files.cache import ResultCache  # not imported by runs with --no-cache

    return ResultCache.for_linter(linter, cache_dir)


def _status_codes(value: str) -> frozenset[int]:
    """``--remote-accept`` as a set of HTTP statuses; exit 2 on anything else."""
    try:
        codes = frozenset(int(item) for item in value.split(",") if item.strip())
    except ValueError:
        codes = frozenset({0})
    if any(not 100 <= code <= 599 for code in codes):
        click.echo(f"contentlint: error: --remote-accept: not HTTP statuses: {value!r}", err=True)
        sys.exit(EXIT_ERROR)
    return codes


class Run:
    """What a run hands the reporter, file by file, and the counts it keeps for the exit
    code: errors and diffs go to the terminal as they come."""

    def __init__(self, keep_texts: bool) -> None:
        self.keep_texts = keep_texts
        self.tally = Tally()
        self.changed = 0

    def part(self, result: FileResult) -> FilePart:
        """The report's part for one file's result, counted."""
        for message in result.errors:
            click.echo(message, err=True)
        tally = self.tally
        tally.errors += len(result.errors)
        tally.fixed += result.fixed
        if result.tally is not None:  # rendered already: the counts came instead
            tally.merge(result.tally)
        else:
            tally.add(result.findings)
        self.changed += result.changed
        if result.diff:
            click.echo(result.diff, nl=False)
        text = result.text if result.findings and self.keep_texts else None
        return FilePart(result.path, result.findings, text, result.rendered)

    def stream(
        self,
        entries: list[tuple[str, str | None]],
        results: Iterator[FileResult],
        linter: Linter,
        progress: Progress,
    ) -> Iterator[FilePart]:
        """One part per file as results come in; files that could not be walked are errors.
        Rule failures are reported at the end, before the reporter reads the counts."""
        for done, (path, problem) in enumerate(entries, 1):
            if problem is not None:
                progress.clear()
                click.echo(f"{path}: error: {problem}", err=True)
                self.tally.errors += 1
            else:
                result = next(results)
                if result.errors or result.diff:
                    progress.clear()
                yield self.part(result)
            progress.update(done, self.tally.findings)
        next(results, None)  # lets the run end: it saves the result cache's index
        progress.close()
        self.tally.errors += self.failures(linter)

    @staticmethod
    def failures(linter: Linter) -> int:
        """Print the rules that raised (internal errors); how many."""
        for failure in linter.failures:
            click.echo(
                f"{failure.path}: internal error in rule {failure.rule}: {failure.error}",
                err=True,
            )
        return len(linter.failures)

    def merge_remote(self, parts: list[FilePart], findings: list[Finding]) -> list[FilePart]:
        """The parts with the remote pass's findings merged into each file's order."""
        by_path: dict[str, list[Finding]] = {}
        for finding in findings:
            by_path.setdefault(finding.path, []).append(finding)
        merged = []
        for part in parts:
            extra = by_path.get(part.path)
            if not extra:
                merged.append(part)
                continue
            self.tally.add(extra)  # counted as one more file only if it had none
            if part.findings:
                self.tally.files_with_findings -= 1
            text = part.text
            if self.keep_texts and text is None:
                with open(part.path, encoding="utf-8-sig", errors="replace") as handle:
                    text = handle.read()
            combined = sorted([*part.findings, *extra], key=lambda finding: finding.sort_key)
            merged.append(FilePart(part.path, combined, text))
        return merged


def _colour(stream: TextIO) -> bool:
    """ANSI colour: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _write_report(
    report: Report,
    reporter: Reporter,
    statistics: bool,
    output_file: str | None,
    to_stderr: bool,
) -> None:
    """The report (or the statistics) to the output file, stdout, or stderr (stdin --fix)."""
    if output_file is not None:
        folder = os.path.dirname(os.path.abspath(output_file))
        try:
            os.makedirs(folder, exist_ok=True)
            with open(output_file, "w", encoding="utf-8", newline="") as handle:
                _format(handle, report, reporter, statistics)
        except OSError as error:
            click.echo(f"contentlint: error: cannot write {output_file}: {error}", err=True)
            sys.exit(EXIT_ERROR)
        return
    out = sys.stderr if to_stderr else sys.stdout
    _format(out, report, reporter, statistics)
    out.flush()


def _format(out: TextIO, report: Report, reporter: Reporter, statistics: bool) -> None:
    if not statistics:
        reporter.write(out, report)
        return
    from lint.reporters.statistics import write_statistics_json, write_statistics_text
    from lint.reporters.text import summary

    for _ in report.parts:  # count every file first
        pass
    if reporter.name == "json":
        write_statistics_json(out, report.tally)
    else:
        write_statistics_text(out, report.tally)
        if not report.quiet:
            out.write(summary(report.tally) + "\n")


@main.command("rules")
@click.option("--all", "show_all", is_flag=True, help="Include rules that are not active.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="List format.",
)
@rule_options
def list_rules(
    show_all: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
    config_path: str | None,
) -> None:
    """List the active rules: id, kind, severity, fixable."""
    from lint.reporters.rules import write_rules_json, write_rules_markdown, write_rules_text

    _, every_rule, active = _load((".",), config_path, select, ignore, rules_dirs)
    shown = sorted(every_rule.values(), key=lambda r: r.id) if show_all else active
    out = sys.stdout
    if output_format == "json":
        write_rules_json(out, shown)
    elif output_format == "markdown":
        write_rules_markdown(out, shown)
    else:
        write_rules_text(out, shown)


@main.command()
@click.argument("rule_id")
@rule_options
def explain(
    rule_id: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Print the documentation of rule RULE_ID."""
    _, every_rule, _ = _load((".",), config_path, (), (), rules_dirs)
    rule = every_rule.get(rule_id)
    if rule is None:
        click.echo(f"contentlint: error: unknown rule {rule_id!r}", err=True)
        sys.exit(EXIT_ERROR)
    fixable = {"safe": "yes (safe)", "unsafe": "yes, unsafe (needs --unsafe-fixes)"}
    click.echo(f"# {rule.id}\n")
    click.echo(
        f"kind: {rule.kind.name}   severity: {rule.severity}   "
        f"fix: {fixable.get(rule.fixable or '', 'no')}   "
        f"enabled by default: {'yes' if rule.enabled else 'no'}\n"
    )
    click.echo(rule.description)
