"""Configuration files: discovery, ``--config``, and each setting's effect on a run.

A configuration is ``.contentlint.yaml`` (or ``.yml``) or the ``[tool.contentlint]``
table of ``pyproject.toml``, found from the linted paths upward. Tests run from an
unrelated folder so that discovery, not the working directory, finds the file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import SEED, SEED_COUNTS

from lint.cli import main

NO_DATE = """\
---
title: An article without a date
author: A
categories: [news]
---

Text.
"""
TODO_RULE = """\
id: todo-comment
kind: comment
message: "TODO note <!--{comment}-->"
description: Finds TODO notes in HTML comments.
patterns: ['\\bTODO\\b']
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding a copy of the seed; the run starts elsewhere."""
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "articles" / "seed.md").write_bytes(SEED.read_bytes())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def lint(*args: object) -> tuple[int, list[dict[str, Any]], str]:
    """Exit code, JSON findings and stderr of ``contentlint check``."""
    result = CliRunner().invoke(
        main, ["check", "--output-format", "json", *map(str, args)], catch_exceptions=False
    )
    findings = json.loads(result.stdout) if result.stdout.strip() else []
    return result.exit_code, findings, result.stderr


def counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(finding["rule"] for finding in findings))


def without(*rules: str) -> dict[str, int]:
    return {rule: count for rule, count in SEED_COUNTS.items() if rule not in rules}


# --- discovery ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".contentlint.yaml", "ignore: [inline-style]\n"),
        (".contentlint.yml", "ignore: [inline-style]\n"),
        (
            "pyproject.toml",
            '[project]\nname = "blog"\n\n[tool.contentlint]\nignore = ["inline-style"]\n',
        ),
    ],
)
@pytest.mark.parametrize("target", ["articles/seed.md", "articles", "."])
def test_configuration_is_found_upward(project: Path, name: str, text: str, target: str) -> None:
    write(project / name, text)
    code, findings, _ = lint(project / target)
    assert code == 1
    assert counts(findings) == without("inline-style")


def test_pyproject_without_the_table_is_skipped(project: Path) -> None:
    write(project / ".contentlint.yaml", "ignore: [inline-style]\n")
    write(project / "articles" / "pyproject.toml", '[project]\nname = "articles"\n')
    assert counts(lint(project / "articles")[1]) == without("inline-style")


def test_the_nearest_configuration_wins(project: Path) -> None:
    write(project / ".contentlint.yaml", "ignore: [inline-style]\n")
    write(project / "articles" / ".contentlint.yaml", "ignore: [tracking-comment]\n")
    assert counts(lint(project / "articles")[1]) == without("tracking-comment")


def test_no_configuration_means_the_defaults(project: Path) -> None:
    assert counts(lint(project)[1]) == SEED_COUNTS


@pytest.mark.parametrize("text", ["", "# settings come later\n"], ids=["empty", "comments"])
def test_empty_configuration_means_the_defaults(project: Path, text: str) -> None:
    write(project / ".contentlint.yaml", text)
    assert counts(lint(project)[1]) == SEED_COUNTS


@pytest.mark.parametrize("name", ["lint.yaml", "settings.yml", "pyproject.toml"])
def test_config_option_names_the_file(project: Path, tmp_path: Path, name: str) -> None:
    write(project / ".contentlint.yaml", "ignore: [tracking-comment]\n")  # not used
    text = (
        '[tool.contentlint]\nignore = ["inline-style"]\n'
        if name.endswith(".toml")
        else "ignore: [inline-style]\n"
    )
    config = write(tmp_path / "configs" / name, text)
    code, findings, _ = lint(project, "--config", config)
    assert code == 1
    assert counts(findings) == without("inline-style")


def test_config_option_with_a_missing_file_is_an_error(project: Path, tmp_path: Path) -> None:
    code, _, stderr = lint(project, "--config", tmp_path / "nowhere.yaml")
    assert code == 2
    assert "nowhere.yaml" in stderr


# --- settings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("config", "options", "expected"),
    [
        ("select: [inline-style, style-block]\n", [], {"inline-style": 49, "style-block": 1}),
        ("select: style-block\n", [], {"style-block": 1}),
        (
            "ignore: [inline-style, tracking-comment]\n",
            [],
            without("inline-style", "tracking-comment"),
        ),
        ("select: [inline-style, style-block]\nignore: [inline-style]\n", [], {"style-block": 1}),
        # The command line's --select replaces the configuration's; ignores add up.
        ("select: [inline-style]\n", ["--select", "promo-block"], {"promo-block": 1}),
        (
            "ignore: [inline-style]\n",
            ["--ignore", "tracking-comment"],
            without("inline-style", "tracking-comment"),
        ),
        ("select: [missing-field]\n", [], {}),
    ],
)
def test_select_and_ignore(
    project: Path, config: str, options: list[str], expected: dict[str, int]
) -> None:
    write(project / ".contentlint.yaml", config)
    code, findings, _ = lint(project, *options)
    assert counts(findings) == expected
    assert code == (1 if expected else 0)


def test_rule_severity(project: Path) -> None:
    write(project / ".contentlint.yaml", "rules:\n  inline-style: {severity: error}\n")
    severities = {(f["rule"], f["severity"]) for f in lint(project)[1]}
    assert ("inline-style", "error") in severities
    assert ("style-block", "warning") in severities
    assert ("inline-style", "warning") not in severities


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ("rules: {}\n", ["date"]),
        ("rules:\n  missing-field: {required: [title]}\n", []),
        (
            "rules:\n  missing-field:\n    required: [title, date, summary]\n",
            ["date", "summary"],
        ),
        ("rules:\n  missing-field: {severity: info, required: [date]}\n", ["date"]),
    ],
)
def test_rule_options(project: Path, settings: str, expected: list[str]) -> None:
    article = write(project / "articles" / "no-date.md", NO_DATE)
    write(project / ".contentlint.yaml", settings)
    code, findings, _ = lint(article)
    assert [f["message"] for f in findings] == [
        f"front-matter field {name} is missing" for name in expected
    ]
    assert code == (1 if expected else 0)
    if "severity: info" in settings:
        assert {f["severity"] for f in findings} == {"info"}


@pytest.mark.parametrize(
    ("exclude", "linted"),
    [
        ([], ["articles/seed.md", "drafts/a.md", "drafts/deep/b.md", "notes.tmp.md"]),
        (["drafts"], ["articles/seed.md", "notes.tmp.md"]),
        (["drafts/*"], ["articles/seed.md", "notes.tmp.md"]),
        (["*.tmp.md"], ["articles/seed.md", "drafts/a.md", "drafts/deep/b.md"]),
        (["drafts/deep/", "articles/*.md"], ["drafts/a.md", "notes.tmp.md"]),
    ],
)
def test_exclude(project: Path, exclude: list[str], linted: list[str]) -> None:
    for name in ("drafts/a.md", "drafts/deep/b.md", "notes.tmp.md"):
        write(project / name, NO_DATE)
    write(project / ".contentlint.yaml", f"exclude: {json.dumps(exclude)}\n")
    findings = lint(project)[1]
    assert sorted({Path(f["path"]).relative_to(project).as_posix() for f in findings}) == linted


def test_exclude_applies_to_files_named_on_the_command_line(project: Path) -> None:
    """pre-commit passes every staged file by name: excluded ones must still be skipped."""
    write(project / ".contentlint.yaml", "exclude: [articles/*]\n")
    assert lint(project / "articles" / "seed.md")[:2] == (0, [])


def test_per_file_ignores(project: Path) -> None:
    write(project / "legacy" / "old.md", SEED.read_text(encoding="utf-8"))
    write(
        project / ".contentlint.yaml",
        "per-file-ignores:\n"
        "  legacy/*: [inline-style, tracking-comment]\n"
        "  '*.md': [promo-block]\n",
    )
    findings = lint(project)[1]
    by_file = {
        name: counts([f for f in findings if f["path"].endswith(name)])
        for name in ("old.md", "seed.md")
    }
    assert by_file == {
        "old.md": without("inline-style", "tracking-comment", "promo-block"),
        "seed.md": without("promo-block"),
    }


def test_rules_dirs_are_relative_to_the_configuration(project: Path) -> None:
    write(project / "house-rules" / "todo-comment.yaml", TODO_RULE)
    write(
        project / "articles" / "todo.md",
        NO_DATE.replace("author:", "date: 2021-09-01\nauthor:") + "<!-- TODO: sources -->\n",
    )
    write(project / ".contentlint.yaml", "rules-dirs: [house-rules]\n")
    code, findings, _ = lint(project / "articles" / "todo.md")
    assert code == 1
    assert [(f["rule"], f["message"]) for f in findings] == [
        ("todo-comment", "TODO note <!--TODO: sources-->")
    ]


def test_rules_dirs_rule_can_be_configured(project: Path) -> None:
    write(project / "house-rules" / "todo-comment.yaml", TODO_RULE)
    write(
        project / ".contentlint.yaml",
        "rules-dirs: [house-rules]\nselect: [todo-comment]\n"
        "rules:\n  todo-comment: {severity: error, patterns: [FIXME]}\n",
    )
    article = write(project / "a.md", "<!-- TODO: x -->\n<!-- FIXME: y -->\n")
    findings = lint(article)[1]
    assert [(f["line"], f["severity"]) for f in findings] == [(2, "error")]


def test_missing_rules_dir_is_an_error(project: Path) -> None:
    config = write(project / ".contentlint.yaml", "rules-dirs: [nowhere]\n")
    code, _, stderr = lint(project)
    assert code == 2
    assert str(config.parent / "nowhere") in stderr


# --- invalid configurations -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            "select: [inline-style]\nignores: [style-block]\n",
            2,
            "unknown configuration key 'ignores'",
        ),
        ("# settings\n\nexclude: [drafts]\nrule-dirs: [x]\n", 4, "unknown configuration key"),
        ("select: 3\n", 1, "'select' must be a list of strings"),
        ("ignore: [inline-style]\nexclude: {a: b}\n", 2, "'exclude' must be a list of strings"),
        ("per-file-ignores: [a, b]\n", 1, "'per-file-ignores' must map"),
        ("rules:\n  inline-style: error\n", 1, "'rules' must map rule ids"),
        ("select: [inline-style\n", 2, "invalid YAML"),
        ("- select\n- ignore\n", 1, "must be a mapping"),
        ("select: []\nrespect-gitignore: no-thanks\n", 2, "'respect-gitignore' must be true"),
    ],
)
def test_invalid_yaml_configuration(project: Path, text: str, line: int, fragment: str) -> None:
    config = write(project / ".contentlint.yaml", text)
    code, findings, stderr = lint(project)
    assert (code, findings) == (2, [])
    assert f"{config}:{line}: " in stderr
    assert fragment in stderr


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("rules:\n  no-such-rule: {severity: error}\n", "unknown rule 'no-such-rule'"),
        ("rules:\n  inline-style: {severity: fatal}\n", "severity must be one of"),
        ("rules:\n  missing-field: {required: 3}\n", "'required' must be a list of strings"),
        ("rules:\n  missing-field: {colour: red}\n", "unknown option 'colour'"),
        ("select: [no-such-rule]\n", "unknown rule id 'no-such-rule'"),
        ("ignore: [no-such-rule]\n", "unknown rule id 'no-such-rule'"),
        ("rules:\n  unused-suppression: {colour: red}\n", "unknown option 'colour'"),
    ],
)
def test_invalid_rule_settings_name_the_file(project: Path, text: str, fragment: str) -> None:
    config = write(project / ".contentlint.yaml", text)
    code, _, stderr = lint(project)
    assert code == 2
    assert str(config) in stderr
    assert fragment in stderr


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[tool.contentlint]\nignores = []\n", "unknown configuration key 'ignores'"),
        ("[tool.contentlint]\nselect = 3\n", "'select' must be a list of strings"),
        ("[tool.contentlint\nselect = []\n", "cannot read configuration"),
    ],
)
def test_invalid_pyproject_configuration(project: Path, text: str, fragment: str) -> None:
    config = write(project / "pyproject.toml", text)
    code, _, stderr = lint(project)
    assert code == 2
    assert str(config) in stderr
    assert fragment in stderr
    assert "Traceback" not in stderr


# --- built-in rules and .gitignore ----------------------------------------------------


def test_a_user_rule_cannot_take_the_built_in_id(project: Path) -> None:
    rule = TODO_RULE.replace("id: todo-comment", "id: unused-suppression")
    path = write(project / "lint-rules" / "unused.yaml", rule)
    write(project / ".contentlint.yaml", "rules-dirs: [lint-rules]\n")
    code, _, stderr = lint(project)
    assert code == 2
    assert f"{path}: rule id 'unused-suppression' is built in" in stderr


def test_unused_suppression_can_be_configured_and_selected(project: Path) -> None:
    article = project / "articles" / "seed.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "<!-- contentlint-disable-file style-block -->\n",
        encoding="utf-8",
    )
    write(project / ".contentlint.yaml", "rules:\n  unused-suppression: {severity: info}\n")
    assert counts(lint(project)[1]) == without("style-block")
    article.write_text(
        article.read_text(encoding="utf-8") + "<!-- contentlint-disable-next-line ad -->\n",
        encoding="utf-8",
    )
    _, findings, _ = lint(project, "--select", "unused-suppression,style-block")
    assert [(f["rule"], f["severity"]) for f in findings] == [("unused-suppression", "info")]
    assert "names unknown rule 'ad'" in findings[0]["message"]


@pytest.mark.parametrize("respect", [True, False])
def test_respect_gitignore_setting(project: Path, respect: bool) -> None:
    (project / ".git").mkdir()
    write(project / ".gitignore", "articles/\n")
    write(project / ".contentlint.yaml", f"respect-gitignore: {str(respect).lower()}\n")
    assert bool(lint(project)[1]) is not respect
    assert counts(lint(project / "articles" / "seed.md")[1]) == SEED_COUNTS  # named: linted
