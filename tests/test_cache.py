"""The result cache, through the command line wherever it can be: a warm run reports what
a cold one does; anything that decides findings makes a miss (the file's bytes, a file a
rule looked up, the rules, the libraries); a damaged, crafted, locked or foreign cache
is never trusted, never written through a link, and costs one warning line at most."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import SEED

import lint.files.cache as cache_module
import lint.files.pool
from lint.cli import main
from lint.engine.config import Config, configured_rules, select_rules
from lint.engine.findings import Edit, FileResult, Finding, Fix
from lint.files.cache import decode_findings, encode_findings, fingerprint
from lint.files.cachedir import MARKER

CLEAN = "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\nPlain.\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    path = folder / "article.md"
    shutil.copyfile(SEED, path)
    return path


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (a test cannot wait for their change time to age)."""
    monkeypatch.setattr(cache_module, "SETTLED_SECONDS", -1.0)


@pytest.fixture
def linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the runs of a test lint (rather than serve from the cache)."""
    paths: list[str] = []
    process_file = lint.files.pool.process_file

    def counting(path: str, *args: Any, **kwargs: Any) -> FileResult:
        paths.append(path)
        return process_file(path, *args, **kwargs)

    monkeypatch.setattr(lint.files.pool, "process_file", counting)
    return paths


def check(cache: Path, *args: str | Path) -> Result:
    arguments = ["--cache-dir", str(cache), "--output-format", "json", *map(str, args)]
    return CliRunner().invoke(main, arguments)


def database(cache: Path) -> sqlite3.Connection:
    return sqlite3.connect(cache / "results.sqlite", isolation_level=None)


def warnings(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "warning" in line]


# --- hits and misses -------------------------------------------------------------------


def test_a_warm_run_reports_what_a_cold_one_does_without_linting(
    article: Path, tmp_path: Path, linted: list[str], settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    cold = check(cache, article)
    assert cold.exit_code == 1
    assert linted == [str(article)]
    warm = check(cache, article)
    assert (warm.exit_code, warm.stdout) == (1, cold.stdout)
    assert linted == [str(article)]  # served
    assert json.loads(warm.stdout) == json.loads(check(cache, "--no-cache", article).stdout)


def test_a_settled_file_with_its_recorded_stamp_is_not_read(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    expected = check(cache, "--output-format", "concise", article).stdout
    monkeypatch.setattr(cache_module, "_read", lambda path: pytest.fail(f"read {path}"))
    assert check(cache, "--output-format", "concise", article).stdout == expected


def test_a_file_that_had_not_settled_is_read_and_compared(
    article: Path, tmp_path: Path, linted: list[str]
) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    (stamp,) = database(cache).execute("SELECT size FROM results").fetchone()
    assert stamp is None  # written a moment ago: its stamp is not trusted
    check(cache, article)
    assert linted == [str(article)]  # the digest matched


def test_an_edit_within_the_same_tick_is_seen(
    article: Path, tmp_path: Path, linted: list[str], settled_at_once: None
) -> None:
    """Same size, modification time put back: the change time and the digest tell."""
    cache = tmp_path / "c"
    check(cache, article)
    status = article.stat()
    data = article.read_bytes()
    changed = data.replace(b"style=", b"STYLE=", 1)
    assert len(changed) == len(data)
    assert changed != data
    article.write_bytes(changed)
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    result = check(cache, article)
    assert linted == [str(article)] * 2
    assert result.stdout == check(cache, "--no-cache", article).stdout


def test_a_touched_file_is_read_once_then_served_by_its_new_stamp(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    os.utime(article)
    reads: list[str] = []
    read = cache_module._read

    def counting(path: str) -> bytes | None:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(cache_module, "_read", counting)
    check(cache, "--output-format", "concise", article)
    check(cache, "--output-format", "concise", article)
    assert reads == [str(article)]


@pytest.mark.parametrize(
    "change",
    [
        {"inline-style": {"severity": "error"}},
        {"missing-field": {"required": ["title"]}},
    ],
)
def test_configuration_that_decides_findings_makes_a_miss(
    article: Path, tmp_path: Path, change: dict[str, Any], linted: list[str]
) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    config = article.parent / ".contentlint.yaml"
    config.write_text(json.dumps({"rules": change}), "utf-8")
    changed = check(cache, article)
    assert changed.exit_code == 1
    assert linted == [str(article)] * 2
    assert changed.stdout == check(cache, "--no-cache", article).stdout


def rules() -> list[Any]:
    config = Config()
    return select_rules(configured_rules(config), config, [], [])


def test_the_fingerprint_holds_the_versions_of_the_libraries_and_the_rule_ids(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = fingerprint(rules())
    assert fingerprint(rules()) == before
    assert fingerprint(rules(), ["another-rule"]) != before
    versions = {"regex": "0.0-other"}
    real = cache_module._version
    monkeypatch.setattr(cache_module, "_version", lambda name: versions.get(name) or real(name))
    assert fingerprint(rules()) != before


def test_the_fingerprint_does_not_depend_on_the_order_options_were_written_in() -> None:
    from dataclasses import replace

    rule = next(rule for rule in rules() if len(rule.options) > 1)
    reordered = replace(rule, options=dict(reversed(rule.options.items())))
    assert list(reordered.options) != list(rule.options)
    assert fingerprint([reordered]) == fingerprint([rule])


def test_findings_round_trip_with_their_fixes() -> None:
    finding = Finding(
        "a.md", "r", "error", "m ü", 1, 5, 1, 2, 1, 6, Fix((Edit(1, 5, "x"), Edit(6, 7)), False)
    )
    plain = finding._replace(rule="s", fix=None)
    assert decode_findings("a.md", encode_findings([finding, plain])) == [finding, plain]


# --- --fix -----------------------------------------------------------------------------


def test_fix_mode_fixes_despite_a_hit_and_caches_the_fixed_file(
    article: Path, tmp_path: Path, linted: list[str], settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    check(cache, "--fix", article)
    assert article.read_bytes() != SEED.read_bytes()
    served = check(cache, article).stdout
    assert linted == [str(article)] * 2  # the run after the fix was served
    assert served == check(cache, "--no-cache", article).stdout


def test_the_cached_result_of_a_fixed_file_is_of_the_bytes_written(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18, 5(a): a write by another program right after the fix is never taken
    for the fixed text (the cache keys the fix's result by the digest of what it wrote)."""
    import lint.files.writer

    write_atomic = lint.files.writer.write_atomic

    def then_someone_else_writes(source: Any, text: str) -> None:
        write_atomic(source, text)
        shutil.copyfile(SEED, source.path)  # the defects are back

    monkeypatch.setattr(lint.files.writer, "write_atomic", then_someone_else_writes)
    cache = tmp_path / "c"
    check(cache, "--fix", article)
    monkeypatch.undo()
    assert check(cache, article).stdout == check(cache, "--no-cache", article).stdout
    assert json.loads(check(cache, article).stdout)


def test_diff_writes_no_cache(article: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    assert check(cache, "--diff", article).exit_code == 1
    assert not cache.exists()


# --- facts the result depends on: an image added or deleted, a site root appearing, are in
# tests/test_cached_lookups.py


# --- a cache that cannot be trusted ------------------------------------------------------


def test_a_flipped_byte_in_a_row_is_a_miss(
    article: Path, tmp_path: Path, linted: list[str], settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    expected = check(cache, article).stdout
    with database(cache) as connection:
        (findings,) = connection.execute("SELECT findings FROM results").fetchone()
        flipped = findings.replace('"line":', '"line" :', 1).replace(",12,", ",13,", 1)
        connection.execute("UPDATE results SET findings = ?", (flipped,))
    assert check(cache, article).stdout == expected
    assert linted == [str(article)] * 2


@pytest.mark.parametrize(
    "rows",
    [
        [["inline-style", "warning", "m", -1, 2, 1, 1, 1, 2, None]],
        [["inline-style", "fatal", "m", 0, 2, 1, 1, 1, 2, None]],
        [["inline-style", "warning", "m", 0, 2, 1, 1, 1, 2, [True, [[5, 1, "x"]]]]],
        {"__reduce__": "os.system"},
    ],
)
def test_a_crafted_row_with_a_valid_checksum_is_a_miss(
    article: Path, tmp_path: Path, rows: Any, linted: list[str], settled_at_once: None
) -> None:
    cache = tmp_path / "c"
    expected = check(cache, article).stdout
    with database(cache) as connection:
        row_digest, lookups = connection.execute("SELECT digest, lookups FROM results").fetchone()
        crafted = json.dumps(rows)
        checksum = cache_module._checksum(row_digest, crafted, lookups)
        connection.execute("UPDATE results SET findings = ?, checksum = ?", (crafted, checksum))
    assert check(cache, article).stdout == expected
    assert linted == [str(article)] * 2


def test_a_damaged_database_means_one_warning_and_a_right_report(
    article: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "c"
    expected = check(cache, article)
    path = cache / "results.sqlite"
    database(cache).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(4096 - 100)
    path.write_bytes(bytes(data))
    damaged = check(cache, article)
    assert (damaged.exit_code, damaged.stdout) == (expected.exit_code, expected.stdout)
    assert len(warnings(damaged)) == 1
    assert "Traceback" not in damaged.stderr


def test_a_locked_database_means_one_warning_and_a_right_report(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "BUSY_SECONDS", 0.1)
    cache = tmp_path / "c"
    expected = check(cache, article)
    other = tmp_path / "site" / "other.md"
    other.write_text(CLEAN, "utf-8")
    holder = database(cache)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        locked = check(cache, article, other)
    finally:
        holder.execute("ROLLBACK")
    assert locked.exit_code == expected.exit_code
    assert json.loads(locked.stdout) == json.loads(expected.stdout)
    assert len(warnings(locked)) == 1


# --- the cache folder -------------------------------------------------------------------


def test_a_cache_path_that_is_a_symbolic_link_is_refused(article: Path, tmp_path: Path) -> None:
    """Issue 18, 1: a repository's ``.contentlint_cache`` linked elsewhere is never written
    or deleted through."""
    victim = tmp_path / "victim"
    (victim / "results" / "run-1").mkdir(parents=True)
    (victim / MARKER).write_text("not ours", "utf-8")
    link = tmp_path / "c"
    link.symlink_to(victim)
    before = sorted(victim.rglob("*"))
    result = check(link, article)
    assert result.exit_code == 1
    assert json.loads(result.stdout)
    assert len(warnings(result)) == 1
    assert sorted(victim.rglob("*")) == before
    assert CliRunner().invoke(main, ["cache", "clean", "--cache-dir", str(link)]).exit_code == 2
    assert sorted(victim.rglob("*")) == before


def test_a_folder_contentlint_did_not_make_is_refused(article: Path, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", "utf-8")
    result = check(folder, article)
    assert result.exit_code == 1
    assert len(warnings(result)) == 1
    assert [path.name for path in folder.iterdir()] == ["keep.txt"]
    assert CliRunner().invoke(main, ["cache", "clean", "--cache-dir", str(folder)]).exit_code == 2
    assert [path.name for path in folder.iterdir()] == ["keep.txt"]


def test_a_database_that_is_a_symbolic_link_is_not_written_through(
    article: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", "utf-8")
    for name in ("results.sqlite", "results.sqlite-wal", "results.sqlite-shm"):
        (cache / name).unlink(missing_ok=True)
    (cache / "results.sqlite-wal").symlink_to(victim)
    result = check(cache, article)
    assert result.exit_code == 1
    assert len(warnings(result)) == 1
    assert victim.read_text("utf-8") == "precious"


def test_cache_info_and_clean(article: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    check(cache, article)
    info = CliRunner().invoke(main, ["cache", "info", "--cache-dir", str(cache)])
    assert info.exit_code == 0
    assert "1 rows" in info.stdout
    assert "bytes" in info.stdout
    assert CliRunner().invoke(main, ["cache", "clean", "--cache-dir", str(cache)]).exit_code == 0
    assert not cache.exists()


def test_rows_not_seen_for_thirty_days_are_pruned(article: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c"
    other = article.parent / "other.md"
    other.write_text(CLEAN, "utf-8")
    check(cache, article, other)
    with database(cache) as connection:
        connection.execute(
            "UPDATE results SET seen = seen - 31 WHERE path = ?", (os.fsencode(other),)
        )
    check(cache, article)
    (rows,) = database(cache).execute("SELECT count(*) FROM results").fetchone()
    assert rows == 1
