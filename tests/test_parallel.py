"""The worker pool: the same results in the same order whatever the number of jobs,
with or without the cache, in check and fix mode; reports that stream; rules that pickle;
Ctrl-C that prints one line."""

from __future__ import annotations

import multiprocessing
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support import SEED

import lint.files.pool
from lint.engine.config import Config, configured_rules, select_rules
from lint.engine.findings import Basis, Edit, FileResult, Finding, Fix
from lint.engine.linter import Linter
from lint.engine.rules import Rule
from lint.files.pool import Work, lint_files
from lint.runner import Mode


@pytest.fixture(scope="module")
def rules() -> list[Rule]:
    config = Config()
    return select_rules(configured_rules(config), config, [], [])


def make_corpus(folder: Path, count: int) -> list[str]:
    """Varied articles: the seed cut at random places, some clean, one missing."""
    text = SEED.read_text(encoding="utf-8")
    rng = random.Random(7)
    folder.mkdir()
    paths = []
    for index in range(count):
        path = folder / f"a{index:03d}.md"
        cut = rng.randrange(len(text) // 3, len(text))
        path.write_text(text[:cut] if index % 4 else "---\ntitle: t\n---\nclean\n", "utf-8")
        paths.append(str(path))
    paths.insert(5, str(folder / "missing.md"))
    return paths


def summary(results: list[FileResult]) -> list[tuple[str, list[Finding], list[str], str]]:
    return [(r.path, r.findings, r.errors, r.text) for r in results]


def tasks(paths: list[str]) -> list[tuple[str, frozenset[str]]]:
    return [
        (path, frozenset({"inline-style"}) if i % 3 == 0 else frozenset())
        for i, path in enumerate(paths)
    ]


def run(
    tasks: list[tuple[str, frozenset[str]]], linter: Linter, mode: Mode = Mode.CHECK, **options: Any
) -> list[FileResult]:
    jobs = options.pop("jobs")
    return list(lint_files(tasks, Work(linter, mode, **options), jobs))


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool for runs of two files or more."""
    monkeypatch.setattr(lint.files.pool, "IN_PROCESS_BELOW", 2)
    monkeypatch.setattr(lint.files.pool, "MAX_CHUNK", 3)


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_jobs_give_the_same_results_in_input_order(
    rules: list[Rule],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    start_method: str,
    small_pool: None,
) -> None:
    monkeypatch.setattr(
        lint.files.pool.sys, "platform", "linux" if start_method == "fork" else "darwin"
    )
    paths = make_corpus(tmp_path / "corpus", 40)
    serial = run(tasks(paths), Linter(rules), jobs=1)
    pooled = run(tasks(paths), Linter(rules), jobs=2)
    assert [r.path for r in pooled] == paths
    assert summary(pooled) == summary(serial)
    assert any(r.errors for r in pooled)  # the missing file is reported, not fatal


def test_fix_mode_in_workers(rules: list[Rule], tmp_path: Path, small_pool: None) -> None:
    serial_dir, pooled_dir = tmp_path / "s", tmp_path / "p"
    paths = make_corpus(serial_dir, 12)
    shutil.copytree(serial_dir, pooled_dir)
    serial = run(tasks(paths), Linter(rules), Mode.FIX, jobs=1)
    pooled_paths = [p.replace(str(serial_dir), str(pooled_dir)) for p in paths]
    pooled = run(tasks(pooled_paths), Linter(rules), Mode.FIX, jobs=2)
    assert sum(r.fixed for r in pooled) == sum(r.fixed for r in serial) > 0
    for a, b in zip(sorted(serial_dir.iterdir()), sorted(pooled_dir.iterdir()), strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert [len(r.findings) for r in pooled] == [len(r.findings) for r in serial]


def test_without_text_results_carry_no_text(
    rules: list[Rule], tmp_path: Path, small_pool: None
) -> None:
    paths = make_corpus(tmp_path / "corpus", 3)
    assert all(r.text == "" for r in run(tasks(paths), Linter(rules), jobs=2, with_text=False))


def test_rule_failures_in_workers_are_errors_of_their_files(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_pool: None
) -> None:
    paths = make_corpus(tmp_path / "corpus", 4)[:3]

    def broken(self: object, document: object) -> list[object]:
        raise RuntimeError("boom")

    rule = next(rule for rule in rules if rule.id == "missing-field")  # runs on every file
    monkeypatch.setattr(type(rule.kind), "check", broken)
    results = run(tasks(paths), Linter(rules), jobs=2, with_basis=True)
    assert all(
        any(f"internal error in rule {rule.id}: RuntimeError: boom" in e for e in r.errors)
        for r in results
    )
    assert all(r.basis is None for r in results)  # never cached


def test_a_file_record_crosses_processes_whole() -> None:
    """A worker's record comes back equal: findings with and without fixes (several
    edits, safe or not), the text, errors, fixes made, the diff and the cache's basis."""
    fix = Fix(edits=(Edit(start=3, end=9), Edit(start=12, end=12, replacement="x")), safe=False)
    findings = [
        Finding("a.md", "inline-style", "warning", "m1", 3, 9, 1, 4, 1, 10, fix),
        Finding("a.md", "missing-field", "error", "m2", 0, 0, 1, 1, 1, 1, None),
    ]
    basis = Basis(stamp=(1, 2, 3, 4), digest=b"\x00" * 32, lookups={"/a.png": ("file", True)})
    record = FileResult("a.md", findings, "text", ["a.md: error: e"], 2, "diff", basis)
    restored = pickle.loads(pickle.dumps(record))
    assert restored == record
    assert all(type(finding) is Finding for finding in restored.findings)
    assert type(restored.findings[0].fix) is Fix
    assert all(type(edit) is Edit for edit in restored.findings[0].fix.edits)


def test_rules_pickle(rules: list[Rule]) -> None:
    restored = pickle.loads(pickle.dumps(rules))
    assert [rule.id for rule in restored] == [rule.id for rule in rules]
    assert [rule.options for rule in restored] == [rule.options for rule in rules]


FORMATS = ["text", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab"]


@pytest.mark.parametrize("output_format", FORMATS)
def test_reports_are_the_same_in_one_process_in_workers_and_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str, small_pool: None
) -> None:
    from click.testing import CliRunner

    from lint.cli import main

    monkeypatch.setenv("FORCE_COLOR", "1")
    paths = [path for path in make_corpus(tmp_path / "corpus", 30) if Path(path).exists()]
    cache = str(tmp_path / "cache")

    def output(*options: str) -> str:
        args = ["check", "--output-format", output_format, *options, *paths]
        return CliRunner().invoke(main, args).output

    expected = output("-j", "1", "--no-cache")
    assert expected.count("inline-style") > 20
    assert output("-j", "2", "--no-cache") == expected
    assert output("-j", "2", "--cache-dir", cache) == expected  # cold cache, pool
    assert output("-j", "2", "--cache-dir", cache) == expected  # warm
    assert output("-j", "1", "--cache-dir", cache) == expected


def test_reports_stream_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat however many files a run has: the reporter gets each file's
    record as soon as that file is linted, before the next one is (one job, so the order
    is observable)."""
    from click.testing import CliRunner

    from lint.cli import main
    from lint.reporters.json_array import JsonReporter

    paths = [path for path in make_corpus(tmp_path / "corpus", 6) if Path(path).exists()]
    linted: list[str] = []
    process_file = lint.files.pool.process_file

    def counting(path: str, *args: Any, **kwargs: Any) -> FileResult:
        linted.append(path)
        return process_file(path, *args, **kwargs)

    seen: list[int] = []  # files linted when the reporter got each record
    monkeypatch.setattr(lint.files.pool, "process_file", counting)
    monkeypatch.setattr(JsonReporter, "file", lambda self, result: seen.append(len(linted)))
    args = ["check", "-j", "1", "--no-cache", "--output-format", "json", *paths]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert seen == list(range(1, len(paths) + 1))


def test_ctrl_c_prints_one_line_and_no_worker_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = SEED.read_bytes()
    for index in range(2000):
        (folder / f"a{index:04d}.md").write_bytes(text)
    command = [sys.executable, "-m", "lint", "--no-cache", "-j", "2", "-q", str(folder)]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    time.sleep(1.5)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130
    assert stderr.decode().strip().splitlines() == ["contentlint: interrupted"]


LINTED = multiprocessing.get_context("fork").Value("i", 0)  # files linted, in any process


@dataclass(frozen=True)
class CountedWork(Work):
    def __call__(self, task: tuple[str, frozenset[str]]) -> FileResult:
        with LINTED.get_lock():
            LINTED.value += 1
        return super().__call__(task)


def test_workers_wait_for_a_slow_reporter(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_pool: None
) -> None:
    """Results are not piled up in memory while the reporter is slow: the workers get
    new files only as results are taken."""
    monkeypatch.setattr(lint.files.pool, "AHEAD_PER_JOB", 2)
    monkeypatch.setattr(lint.files.pool, "MAX_CHUNK", 1)
    paths = make_corpus(tmp_path / "corpus", 40)
    LINTED.value = 0
    results = lint_files(tasks(paths), CountedWork(Linter(rules)), 2)
    next(results)
    time.sleep(1.5)  # a slow reporter
    assert LINTED.value <= 2 * 2 + 1
    assert len([next(results), *results]) == len(paths) - 1
    assert LINTED.value == len(paths)
