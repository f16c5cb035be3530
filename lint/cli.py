"""The ``contentlint`` command: check (the default), rules and explain.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error
(``--exit-zero`` turns 1 into 0; ``--exit-non-zero-on-fix`` makes a fix alone give 1).
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from lint import __version__
from lint.document.source import parse_size
from lint.engine.config import CONFIG_NAMES, load
from lint.engine.presets import configuration_text, detect
from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.reporters import FORMATS, HTML_MAX_PER_RULE
from lint.run import EXIT_ERROR, Options, run

if TYPE_CHECKING:
    from lint.files.shard import Shard

EXIT_INTERRUPTED = 130


class DefaultToCheck(click.Group):
    """``contentlint PATH...`` means ``contentlint check PATH...``; ``contentlint --help``
    shows check's options too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help(ctx, formatter)
        check = self.commands["check"]
        with formatter.section("Options of check (the default command)"):
            rows = [
                row
                for param in check.get_params(ctx)
                if isinstance(param, click.Option)
                and param.name != "help"
                and (row := param.get_help_record(ctx))
            ]
            formatter.write_dl(rows)


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


def _load(
    config_path: str | None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    rules_dirs: tuple[str, ...] = (),
) -> Any:
    from lint.engine.rules import RuleError

    try:
        return load((".",), config_path, select, ignore, rules_dirs)
    except RuleError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Shard | None:
    """``--shard I/N`` as a ``Shard`` (its module is loaded by the runs that shard only)."""
    if value is None:
        return None
    from lint.files.shard import Shard, ShardError

    try:
        return Shard.parse(value)
    except ShardError as error:
        raise click.BadParameter(str(error)) from error


def _status_codes(ctx: click.Context, param: click.Parameter, value: str) -> frozenset[int]:
    """``--remote-accept`` as a set of HTTP statuses."""
    try:
        codes = frozenset(int(item) for item in value.split(",") if item.strip())
    except ValueError:
        codes = frozenset({0})
    if any(not 100 <= code <= 599 for code in codes):
        raise click.BadParameter(f"not HTTP statuses: {value!r}")
    return codes


def _size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--max-file-size`` in bytes."""
    try:
        return None if value is None else parse_size(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


_cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    envvar="CONTENTLINT_CACHE_DIR",
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="Folder of the cache (also $CONTENTLINT_CACHE_DIR).",
)


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
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
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
@click.option(
    "--shard",
    metavar="I/N",
    callback=_shard,
    help="Lint only the I-th of N parts of the files (split by path, the same on every "
    "machine), for CI matrices.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Lint on the Dask cluster of this scheduler (tcp://host:8786); its workers must "
    "see the files at the same paths. Needs contentlint[dask].",
)
@click.option("--no-cache", is_flag=True, help="Do not read or write the result cache.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Say which site preset applies to which folder (stderr)."
)
@_cache_dir_option
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
    callback=_status_codes,
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
@click.option(
    "--max-file-size",
    metavar="SIZE",
    callback=_size,
    help="Files over SIZE (bytes, or 512k, 16 MiB, 50 MB) are reported by file-too-large and "
    "not read (default: the rule's limit, 16 MiB).",
)
@rule_options
@interruptible
def check(**options: Any) -> None:
    """Check PATHS (files, or folders walked for .md/.markdown; default: .; - reads stdin)."""
    sys.exit(run(Options(**options)))


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, exists=True))
def init(folder: str) -> None:
    """Write FOLDER/.contentlint.yaml: the site preset detected there, its settings
    spelled out (default FOLDER: .). An existing configuration is never overwritten."""
    for name in CONFIG_NAMES:
        if os.path.exists(os.path.join(folder, name)):
            path = os.path.join(folder, name)
            click.echo(f"contentlint: error: {path} exists; not overwritten", err=True)
            sys.exit(EXIT_ERROR)
    site = detect(folder)
    path = os.path.join(folder, CONFIG_NAMES[0])
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(configuration_text(site, folder))
    except OSError as error:
        click.echo(f"contentlint: error: cannot write {path}: {error}", err=True)
        sys.exit(EXIT_ERROR)
    preset = site.describe() if site is not None else "none detected"
    click.echo(f"contentlint: wrote {path} (preset {preset})")


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
    """List the active rules: id, pack, kind, severity, fixable."""
    from lint.reporters.rules import write_rules_json, write_rules_markdown, write_rules_text

    _, every_rule, active = _load(config_path, select, ignore, rules_dirs)
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
    from lint.reporters.rules import write_explanation

    _, every_rule, _ = _load(config_path, rules_dirs=rules_dirs)
    rule = every_rule.get(rule_id)
    if rule is None:
        click.echo(f"contentlint: error: unknown rule {rule_id!r}", err=True)
        sys.exit(EXIT_ERROR)
    write_explanation(sys.stdout, rule)


@main.group()
def cache() -> None:
    """Show or remove the cache (results and remote checks)."""


@cache.command("info")
@_cache_dir_option
def cache_info(cache_dir: str) -> None:
    """Print the cache's folder, size and rows."""
    from lint.files.cache import show_info

    sys.exit(show_info(sys.stdout, cache_dir))


@cache.command("clean")
@_cache_dir_option
def cache_clean(cache_dir: str) -> None:
    """Remove the cache."""
    from lint.files.cache import clean

    sys.exit(clean(cache_dir))
