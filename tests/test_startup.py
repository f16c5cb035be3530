"""Start-up of a one-file run, as pre-commit makes it: what is remembered in the cache
folder between runs (validated rules, the configuration) and what is never imported.

A remembered value must never be stale: every test that changes a file checks that the
next run sees the change, whatever the file's size and modification time say.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support import CLEAN_ARTICLE, run_showing_modules

from lint.engine import config, rules
from lint.engine.config import configured_rules, load_config
from lint.engine.rules import bundled_rules_dir, load_rules
from lint.files import cachedir
from lint.files.cache import rules_fingerprint
from lint.files.cachedir import REMEMBERED, Remembered

RULE = """\
id: todo-comment
kind: comment
severity: info
message: "TODO note <!--{comment}-->"
description: Finds TODO notes in HTML comments.
patterns: ['\\bTODO\\b']
"""


@pytest.fixture(autouse=True)
def _settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written by a test count as settled (outside tests, a file must be a few
    seconds old before what was read from it is remembered)."""
    monkeypatch.setattr(cachedir, "SETTLED_SECONDS", 0.0)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "rules"
    path.mkdir()
    (path / "todo-comment.yaml").write_text(RULE, encoding="utf-8")
    return path


def forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(path: str) -> Any:
        raise AssertionError(f"{path} parsed again")

    monkeypatch.setattr(rules, "compose_yaml", parse)
    monkeypatch.setattr(config, "compose_yaml", parse)


def entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / REMEMBERED).glob("*"))


def test_rules_are_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = tmp_path / "cache"
    first = load_rules([bundled_rules_dir()], str(cache_dir))
    assert len(entries(cache_dir)) == 1
    assert (cache_dir / "CACHEDIR.TAG").is_file()
    forbid_parsing(monkeypatch)
    again = load_rules([bundled_rules_dir()], str(cache_dir))
    assert again == first
    fingerprint = rules_fingerprint(list(first.values()))
    assert rules_fingerprint(list(again.values())) == fingerprint  # the same result cache
    assert [rule.kind.name for rule in again.values()] == [
        rule.kind.name for rule in first.values()
    ]


def test_remembered_rules_build_their_kind_on_first_use(folder: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    (loaded,) = load_rules([str(folder)], cache_dir).values()
    assert "kind" in vars(loaded)  # validated, so built while loading
    (remembered,) = load_rules([str(folder)], cache_dir).values()
    assert "kind" not in vars(remembered)
    assert remembered.kind.name == "comment"
    assert remembered.kind.settings == loaded.kind.settings
    assert pickle.loads(pickle.dumps(remembered)).kind.settings == loaded.kind.settings


@pytest.mark.parametrize("keep_mtime", [False, True])
def test_a_changed_rule_file_is_read_again(folder: Path, tmp_path: Path, keep_mtime: bool) -> None:
    cache_dir = str(tmp_path / "cache")
    path = folder / "todo-comment.yaml"
    assert load_rules([str(folder)], cache_dir)["todo-comment"].severity == "info"
    before = path.stat()
    changed = RULE.replace("severity: info", "severity: error").replace("TODO note", "TODO not", 1)
    path.write_text(changed, encoding="utf-8")  # the same size
    assert path.stat().st_size == before.st_size
    if keep_mtime:  # as rsync -t or touch -d would leave it
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert load_rules([str(folder)], cache_dir)["todo-comment"].severity == "error"


def test_added_and_removed_rule_files_are_seen(folder: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    assert set(load_rules([str(folder)], cache_dir)) == {"todo-comment"}
    (folder / "other.yaml").write_text(RULE.replace("todo-comment", "other"), encoding="utf-8")
    assert set(load_rules([str(folder)], cache_dir)) == {"todo-comment", "other"}
    (folder / "todo-comment.yaml").unlink()
    assert set(load_rules([str(folder)], cache_dir)) == {"other"}


def test_other_folders_are_other_entries(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    load_rules([str(folder)], str(cache_dir))
    load_rules([bundled_rules_dir(), str(folder)], str(cache_dir))
    assert len(entries(cache_dir)) == 2


def test_recent_files_are_not_remembered(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cachedir, "SETTLED_SECONDS", 3600.0)
    cache_dir = tmp_path / "cache"
    load_rules([str(folder)], str(cache_dir))
    assert entries(cache_dir) == []


def test_a_damaged_entry_is_read_again(folder: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    load_rules([str(folder)], str(cache_dir))
    (entry,) = entries(cache_dir)
    entry.write_bytes(entry.read_bytes()[:-3] + b"xyz")
    assert set(load_rules([str(folder)], str(cache_dir))) == {"todo-comment"}
    entry.write_bytes(b"")
    assert set(load_rules([str(folder)], str(cache_dir))) == {"todo-comment"}


def test_values_marshal_cannot_hold_are_not_remembered(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    path = tmp_path / ".contentlint.yaml"
    path.write_text("ignore: [inline-style]\nrules: {inline-style: {since: 2021-09-01}}\n")
    data, _ = config.read_config_file(str(path), str(cache_dir))
    assert data["rules"]["inline-style"]["since"].year == 2021  # a date
    assert entries(cache_dir) == []


def test_an_unwritable_cache_folder_is_no_error(folder: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    assert set(load_rules([str(folder)], str(blocked))) == {"todo-comment"}


def test_a_stamp_covers_code_and_libraries(folder: Path, tmp_path: Path) -> None:
    remembered = Remembered(str(tmp_path), "test", "context", [str(folder / "todo-comment.yaml")])
    assert remembered.stamp is not None
    assert cachedir.code_stamp() in remembered.stamp
    assert cachedir.library_stamp("yaml").endswith(f":{os.stat(yaml_file()).st_mtime_ns}")
    assert cachedir.library_stamp("no_such_library_here") == ""
    missing = Remembered(str(tmp_path), "test", "context", [str(tmp_path / "missing.yaml")])
    assert missing.stamp is None
    missing.put("value")
    assert missing.get() is None


def yaml_file() -> str:
    import yaml

    assert yaml.__file__ is not None
    return yaml.__file__


def test_the_configuration_is_remembered(
    tmp_path: Path, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = str(tmp_path / "cache")
    path = tmp_path / ".contentlint.yaml"
    path.write_text(
        f"ignore: [inline-style]\nrules-dirs: [{folder.name}]\n"
        "rules: {todo-comment: {severity: error}}\n",
        encoding="utf-8",
    )
    first = load_config(str(path), cache_dir)
    first_rules = configured_rules(first, (), cache_dir)
    forbid_parsing(monkeypatch)
    again = load_config(str(path), cache_dir)
    assert again == first
    assert configured_rules(again, (), cache_dir) == first_rules
    assert first_rules["todo-comment"].severity == "error"


def test_a_pyproject_table_is_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache_dir = str(tmp_path / "cache")
    project = tmp_path / "project"
    (project / "articles").mkdir(parents=True)
    pyproject = project / "pyproject.toml"
    pyproject.write_text('[tool.contentlint]\nignore = ["inline-style"]\n', encoding="utf-8")
    found = config.find_config([str(project / "articles")], cache_dir)
    assert found == str(pyproject)
    assert load_config(found, cache_dir).ignore == ("inline-style",)

    def no_toml(*args: object) -> Any:
        raise AssertionError("parsed again")

    monkeypatch.setattr(config, "_pyproject_section", no_toml)
    assert config.find_config([str(project / "articles")], cache_dir) == found
    assert load_config(found, cache_dir).ignore == ("inline-style",)


def test_a_pyproject_without_the_table_is_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text("[project\nname = 'broken, but none of our business'\n", encoding="utf-8")
    assert config.read_config_file(str(path)) == (None, {})


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m lint`` in a fresh interpreter (imports are what is measured)."""
    return subprocess.run(
        [sys.executable, "-m", "lint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "work" / "article.md"
    path.parent.mkdir()
    path.write_text(CLEAN_ARTICLE, encoding="utf-8")
    return path


def test_no_cache_and_diff_write_no_cache_folder(article: Path) -> None:
    work = article.parent
    for flag in ("--no-cache", "--diff"):
        done = run_cli("check", flag, article.name, cwd=work)
        assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in work.iterdir()) == ["article.md"]
    done = run_cli("check", article.name, cwd=work)
    assert done.returncode == 0, done.stderr
    assert (work / cachedir.DEFAULT_CACHE_DIR).is_dir()


# Modules a check of one named file has no use for: it finds no pyproject.toml, walks
# no folder, prints neither statistics, a rule list nor another format, and starts no
# worker; its article has no suppression comment and no date that is not ISO.
NOT_NEEDED = (
    "lint.engine.suppressions",
    "email.utils",
    "tomllib",
    "lint.files.gitignore",
    "lint.reporters.statistics",
    "lint.reporters.rules",
    "lint.reporters.sarif",
    "lint.reporters.gitlab",
    "lint.reporters.junit",
    "lint.reporters.github",
    "lint.remote",
    "multiprocessing",
)


def test_one_file_imports_only_what_it_needs(article: Path) -> None:
    done, imported = run_showing_modules(["check", "--no-cache", article.name], article.parent)
    assert done.returncode == 0, done.stderr
    assert imported
    assert imported & set(NOT_NEEDED) == set()


def _patterns(rule: rules.Rule) -> list[Any]:
    return list(rule.kind.settings["patterns"])


def test_remembered_rules_compile_their_patterns_on_first_use(folder: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    (loaded,) = load_rules([str(folder)], cache_dir).values()
    assert all(pattern._compiled is not None for pattern in _patterns(loaded))  # validated
    (remembered,) = load_rules([str(folder)], cache_dir).values()
    (pattern,) = _patterns(remembered)
    assert pattern._compiled is None
    assert pattern.found_in("a TODO here")
    assert not pattern.found_in("TODOS")
    assert pattern._compiled is not None


def test_a_bad_pattern_is_an_error_when_rules_load(folder: Path, tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "cache")
    path = folder / "todo-comment.yaml"
    path.write_text(RULE.replace("\\bTODO\\b", "[TODO"), encoding="utf-8")
    for _ in range(2):  # nothing is remembered of a folder with an invalid rule
        with pytest.raises(rules.RuleError, match="not a valid regular expression"):
            load_rules([str(folder)], cache_dir)
    assert entries(tmp_path / "cache") == []


def test_a_bad_pattern_configured_on_a_remembered_rule_is_an_error(
    tmp_path: Path, folder: Path
) -> None:
    cache_dir = str(tmp_path / "cache")
    path = tmp_path / ".contentlint.yaml"
    path.write_text(f"rules-dirs: [{folder.name}]\n", encoding="utf-8")
    configured_rules(load_config(str(path), cache_dir), (), cache_dir)  # rules remembered
    path.write_text(
        f"rules-dirs: [{folder.name}]\nrules: {{todo-comment: {{patterns: ['[bad']}}}}\n",
        encoding="utf-8",
    )
    config = load_config(str(path), cache_dir)
    with pytest.raises(rules.RuleError, match="not a valid regular expression"):
        configured_rules(config, (), cache_dir)


def test_dates_are_checked_without_email_utils(article: Path) -> None:
    """RFC 2822 dates are parsed as ``email.utils`` does, without importing it."""
    text = CLEAN_ARTICLE.replace("date: 2021-09-01", "date: Wed, 01 Sep 2021 08:00:00 +0800")
    article.write_text(text.replace("author:", "updated: Invalid Date\nauthor:"))
    done, imported = run_showing_modules(["check", "--no-cache", article.name], article.parent)
    assert done.returncode == 1, done.stderr
    assert "field updated is not a valid date: 'Invalid Date'" in done.stdout
    assert "field date" not in done.stdout
    assert imported
    assert "email.utils" not in imported
