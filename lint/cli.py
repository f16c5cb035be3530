"""The ``contentlint`` command: check (the default), rules and explain.

Exit codes: 0 no findings, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import replace
from typing import Any

import click

from lint import __version__
from lint.config import Config, build_rules, find_config, load_config
from lint.files import iter_files
from lint.findings import Finding
from lint.fixer import FixError, fix_text
from lint.linter import Linter
from lint.positions import LineIndex
from lint.report import write_json, write_text
from lint.rules import Rule, RuleError
from lint.source import read_source
from lint.writer import WriteError, write_atomic

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """``contentlint PATH...`` means ``contentlint check PATH...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _ids(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _load(paths: tuple[str, ...], config_path: str | None, select: tuple[str, ...],
          ignore: tuple[str, ...], rules_dirs: tuple[str, ...]) -> tuple[Config, list[Rule]]:
    try:
        config = load_config(config_path or find_config(paths))
        rules = build_rules(config, _ids(select), _ids(ignore), rules_dirs)
    except RuleError as error:
        click.echo(f"contentlint: error: {error}", err=True)
        sys.exit(EXIT_ERROR)
    return config, rules


_rule_options = [
    click.option("--select", multiple=True, metavar="IDS",
                 help="Run only these rules (comma-separated ids; repeatable)."),
    click.option("--ignore", multiple=True, metavar="IDS",
                 help="Skip these rules (comma-separated ids; repeatable)."),
    click.option("--rules-dir", "rules_dirs", multiple=True,
                 type=click.Path(file_okay=False), help="An extra folder of YAML rules."),
    click.option("--config", "config_path", type=click.Path(dir_okay=False),
                 help="Configuration file (default: found upward from the paths)."),
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
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
@rule_options
def check(paths: tuple[str, ...], fix: bool, unsafe_fixes: bool, diff: bool, output_format: str,
          select: tuple[str, ...], ignore: tuple[str, ...], rules_dirs: tuple[str, ...],
          config_path: str | None) -> None:
    """Check PATHS (files, or folders walked for .md/.markdown; default: .)."""
    paths = paths or (".",)
    config, rules = _load(paths, config_path, select, ignore, rules_dirs)
    linter = Linter(rules)
    findings: list[Finding] = []
    line_texts: dict[tuple[str, int], str] = {}
    errors = 0
    fixed = 0
    changed = 0
    for path, problem in iter_files(paths, config.is_excluded):
        if problem is not None:
            click.echo(f"{path}: error: {problem}", err=True)
            errors += 1
            continue
        try:
            source = read_source(path)
        except OSError as error:
            click.echo(f"{path}: error: cannot read: {error.strerror or error}", err=True)
            errors += 1
            continue
        ignored = config.ignored_rules(path)
        text = source.text
        if fix or diff:
            try:
                result = fix_text(
                    source.text,
                    lambda t: linter.lint(replace(source, text=t), ignored),
                    unsafe=unsafe_fixes,
                )
            except FixError as error:
                click.echo(f"{path}: error: {error}; file not changed", err=True)
                errors += 1
                file_findings = linter.lint(source, ignored)
            else:
                file_findings = result.findings
                if result.text != source.text:
                    changed += 1
                    if diff:
                        _print_diff(path, source.text, result.text)
                    else:
                        try:
                            write_atomic(source, result.text)
                            fixed += result.applied
                            text = result.text
                        except WriteError as error:
                            click.echo(f"error: {error}", err=True)
                            errors += 1
                            file_findings = linter.lint(source, ignored)
        else:
            file_findings = linter.lint(source, ignored)
        if file_findings and output_format == "text":
            lines = LineIndex(text)
            for finding in file_findings:
                if finding.line <= lines.line_count:
                    line_texts[(path, finding.line)] = lines.line_text(finding.line)
        findings.extend(file_findings)
    for failure in linter.failures:
        click.echo(f"{failure.path}: internal error in rule {failure.rule}: {failure.error}",
                   err=True)
        errors += 1
    if diff:
        sys.exit(EXIT_ERROR if errors else (EXIT_FINDINGS if changed else EXIT_CLEAN))
    out = click.get_text_stream("stdout")
    if output_format == "json":
        write_json(out, findings)
    else:
        write_text(out, findings, line_texts, fixed)
    sys.exit(EXIT_ERROR if errors else (EXIT_FINDINGS if findings else EXIT_CLEAN))


def _print_diff(path: str, old: str, new: str) -> None:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    for line in lines:
        click.echo(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n",
                   nl=False)


@main.command("rules")
@click.option("--all", "show_all", is_flag=True, help="Include rules that are not enabled.")
@rule_options
def list_rules(show_all: bool, select: tuple[str, ...], ignore: tuple[str, ...],
               rules_dirs: tuple[str, ...], config_path: str | None) -> None:
    """List the active rules: id, kind, severity, fixable."""
    _, rules = _load((".",), config_path, select, ignore, rules_dirs)
    rows = [("id", "kind", "severity", "fixable")]
    rows.extend((r.id, r.kind.name, r.severity, r.fixable or "-") for r in rules)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@main.command()
@click.argument("rule_id")
@rule_options
def explain(rule_id: str, select: tuple[str, ...], ignore: tuple[str, ...],
            rules_dirs: tuple[str, ...], config_path: str | None) -> None:
    """Print the documentation of rule RULE_ID."""
    config, _ = _load((".",), config_path, (), (), rules_dirs)
    from lint.rules import bundled_rules_dir, load_rules
    import os

    folders = [bundled_rules_dir(), *(os.path.join(config.base_dir, d) for d in config.rules_dirs),
               *rules_dirs]
    rule = load_rules(folders).get(rule_id)
    if rule is None:
        click.echo(f"contentlint: error: unknown rule {rule_id!r}", err=True)
        sys.exit(EXIT_ERROR)
    fixable = {"safe": "yes (safe)", "unsafe": "yes (unsafe: use --unsafe-fixes)"}
    click.echo(f"# {rule.id}\n")
    click.echo(f"kind: {rule.kind.name}   severity: {rule.severity}   "
               f"fix: {fixable.get(rule.fixable or '', 'no')}   "
               f"enabled by default: {'yes' if rule.enabled else 'no'}\n")
    click.echo(rule.description)
