"""The ``contentlint`` command: check (the default), rules and explain.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from lint import __version__
from lint.config import Config, configured_rules, find_config, load_config, select_rules
from lint.files import iter_files
from lint.findings import Finding
from lint.linter import Linter
from lint.positions import LineIndex
from lint.report import (
    write_json,
    write_rules_json,
    write_rules_markdown,
    write_rules_text,
    write_text,
)
from lint.rules import Rule, RuleError
from lint.runner import Mode, process_file

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """``contentlint PATH...`` means ``contentlint check PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _ids(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _load(
    paths: tuple[str, ...],
    config_path: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
) -> tuple[Config, dict[str, Rule], list[Rule]]:
    """The configuration, every rule, and the active rules; exit 2 on any error."""
    try:
        config = load_config(config_path or find_config(paths))
        every_rule = configured_rules(config, rules_dirs)
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
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@rule_options
def check(
    paths: tuple[str, ...],
    fix: bool,
    unsafe_fixes: bool,
    diff: bool,
    output_format: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    rules_dirs: tuple[str, ...],
    config_path: str | None,
) -> None:
    """Check PATHS (files, or folders walked for .md/.markdown; default: .)."""
    paths = paths or (".",)
    config, _, rules = _load(paths, config_path, select, ignore, rules_dirs)
    linter = Linter(rules)
    mode = Mode.DIFF if diff else Mode.FIX if fix else Mode.CHECK
    findings: list[Finding] = []
    line_texts: dict[tuple[str, int], str] = {}
    errors = fixed = changed = 0
    for path, problem in iter_files(paths, config.is_excluded):
        if problem is not None:
            click.echo(f"{path}: error: {problem}", err=True)
            errors += 1
            continue
        result = process_file(path, linter, config.ignored_rules(path), mode, unsafe_fixes)
        for message in result.errors:
            click.echo(message, err=True)
        errors += len(result.errors)
        fixed += result.fixed
        changed += result.changed
        if result.diff:
            click.echo(result.diff, nl=False)
        if result.findings and output_format == "text":
            lines = LineIndex(result.text)
            for finding in result.findings:
                if finding.line <= lines.line_count:
                    line_texts[(path, finding.line)] = lines.line_text(finding.line)
        findings.extend(result.findings)
    for failure in linter.failures:
        click.echo(
            f"{failure.path}: internal error in rule {failure.rule}: {failure.error}", err=True
        )
        errors += 1
    if mode is Mode.DIFF:
        sys.exit(EXIT_ERROR if errors else (EXIT_FINDINGS if changed else EXIT_CLEAN))
    out = sys.stdout
    if output_format == "json":
        write_json(out, findings)
    else:
        write_text(out, findings, line_texts, fixed, errors)
    sys.exit(EXIT_ERROR if errors else (EXIT_FINDINGS if findings else EXIT_CLEAN))


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
