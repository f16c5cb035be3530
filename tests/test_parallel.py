"""The worker pool: the same results in the same order whatever the number of jobs,
with or without the cache, in check and fix mode, and rules that pickle."""

from __future__ import annotations

import pickle
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from support import SEED

import lint.files.pool
from lint.engine.config import Config, configured_rules, select_rules
from lint.engine.findings import Finding
from lint.engine.linter import Linter, RuleFailure
from lint.engine.rules import Rule
from lint.files.cache import ResultCache
from lint.files.pool import run
from lint.reporters.base import PartRenderer
from lint.reporters.json_array import render_json
from lint.runner import FileResult, Mode


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


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_jobs_give_the_same_results_in_input_order(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_method: str
) -> None:
    monkeypatch.setattr(lint.files.pool, "START_POOL_AFTER", 2)
    monkeypatch.setattr(lint.files.pool, "CHUNK", 3)
    paths = make_corpus(tmp_path / "corpus", 40)
    serial = list(run(tasks(paths), Linter(rules), jobs=1))
    pooled = list(run(tasks(paths), Linter(rules), jobs=2, start_method=start_method))
    assert [r.path for r in pooled] == paths
    assert summary(pooled) == summary(serial)
    assert any(r.errors for r in pooled)  # the missing file is reported, not fatal


def test_small_window_keeps_order_with_cache_hits_between_misses(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint.files.pool, "START_POOL_AFTER", 2)
    monkeypatch.setattr(lint.files.pool, "CHUNK", 2)
    monkeypatch.setattr(lint.files.pool, "WINDOW_PER_JOB", 1)
    paths = make_corpus(tmp_path / "corpus", 30)
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    list(run(tasks(paths[::2]), Linter(rules), jobs=1, cache=cache))  # half are cached
    expected = summary(list(run(tasks(paths), Linter(rules), jobs=1)))
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    assert summary(list(run(tasks(paths), Linter(rules), jobs=2, cache=cache))) == expected
    assert cache.hits > 0
    warm = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert warm is not None
    assert summary(list(run(tasks(paths), Linter(rules), jobs=2, cache=warm))) == expected
    assert (warm.hits, warm.misses) == (len(paths) - 1, 0)  # all but the missing file


def test_fix_mode_in_workers(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint.files.pool, "START_POOL_AFTER", 2)
    serial_dir, pooled_dir = tmp_path / "s", tmp_path / "p"
    paths = make_corpus(serial_dir, 12)
    shutil.copytree(serial_dir, pooled_dir)
    serial = list(run(tasks(paths), Linter(rules), Mode.FIX, jobs=1))
    pooled_paths = [p.replace(str(serial_dir), str(pooled_dir)) for p in paths]
    pooled = list(run(tasks(pooled_paths), Linter(rules), Mode.FIX, jobs=2))
    assert sum(r.fixed for r in pooled) == sum(r.fixed for r in serial) > 0
    for a, b in zip(sorted(serial_dir.iterdir()), sorted(pooled_dir.iterdir()), strict=True):
        assert a.read_bytes() == b.read_bytes()
    assert [len(r.findings) for r in pooled] == [len(r.findings) for r in serial]


def test_without_text_results_carry_no_text(rules: list[Rule], tmp_path: Path) -> None:
    paths = make_corpus(tmp_path / "corpus", 3)
    assert all(r.text == "" for r in run(tasks(paths), Linter(rules), jobs=2, with_text=False))


def test_rule_failures_in_workers_reach_the_callers_linter(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint.files.pool, "START_POOL_AFTER", 1)
    paths = make_corpus(tmp_path / "corpus", 4)[:3]

    def broken(self: object, document: object) -> list[object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(type(rules[0].kind), "check", broken)
    linter = Linter(rules)
    list(run(tasks(paths), linter, jobs=2, start_method="fork"))
    assert linter.failures
    assert all(isinstance(f, RuleFailure) and "boom" in f.error for f in linter.failures)
    assert {f.path for f in linter.failures} <= set(paths)


def test_rules_pickle(rules: list[Rule]) -> None:
    restored = pickle.loads(pickle.dumps(rules))
    assert [rule.id for rule in restored] == [rule.id for rule in rules]
    assert [rule.options for rule in restored] == [rule.options for rule in rules]


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "json-lines", "github"])
def test_reports_rendered_in_workers_or_from_the_cache_equal_those_made_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output_format: str
) -> None:
    """Per-file formats are rendered where a file is linted and cached with its findings;
    the output must not depend on where or when that happened."""
    from click.testing import CliRunner

    from lint.cli import main

    monkeypatch.setattr(lint.files.pool, "START_POOL_AFTER", 2)
    monkeypatch.setenv("FORCE_COLOR", "1")  # colour is part of what is rendered and cached
    paths = [path for path in make_corpus(tmp_path / "corpus", 30) if Path(path).exists()]
    cache = str(tmp_path / "cache")

    def output(*options: str) -> str:
        args = ["check", "--output-format", output_format, *options, *paths]
        return CliRunner().invoke(main, args).output

    expected = output("-j", "1", "--no-cache")
    assert expected.count("inline-style") > 20
    assert output("-j", "2", "--no-cache") == expected
    assert output("-j", "2", "--cache-dir", cache) == expected  # cold cache, pool
    assert output("-j", "2", "--cache-dir", cache) == expected  # served rendered
    assert output("-j", "1", "--cache-dir", cache) == expected
    other = "concise" if output_format != "concise" else "text"
    CliRunner().invoke(
        main, ["check", "-q", "--output-format", other, "--cache-dir", cache, *paths]
    )
    assert output("-j", "2", "--cache-dir", cache) == expected  # entry holds both formats
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR")
    plain = output("-j", "1", "--no-cache")
    assert output("-j", "2", "--cache-dir", cache) == plain
    assert ("\x1b[" in expected) == (output_format in ("text", "concise"))
    assert "\x1b[" not in plain


def test_reports_stream_file_by_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory stays flat however many files a run has: the reporter gets each file's
    share as soon as that file is linted, before the next one is (one job, so the order
    is observable), and the run keeps no list of them."""
    from click.testing import CliRunner

    import lint.cli
    from lint.cli import main
    from lint.reporters import reporter

    paths = [path for path in make_corpus(tmp_path / "corpus", 6) if Path(path).exists()]
    linted: list[str] = []
    lint_one = lint.files.pool.lint_file

    def counting_lint_file(path: str, *args: Any, **kwargs: Any) -> FileResult:
        linted.append(path)
        return lint_one(path, *args, **kwargs)

    seen: list[int] = []  # files linted when the reporter got each part

    def write(out: Any, report: Any) -> None:
        assert not isinstance(report.parts, list)
        for _ in report.parts:
            seen.append(len(linted))

    monkeypatch.setattr(lint.files.pool, "lint_file", counting_lint_file)
    monkeypatch.setattr(lint.cli, "reporter", lambda name: reporter(name)._replace(write=write))
    args = ["check", "-j", "1", "--no-cache", "--output-format", "json", *paths]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert seen == list(range(1, len(paths) + 1))


def test_the_pools_upkeep_thread_does_not_loop_while_results_wait_in_the_pipe(
    rules: list[Rule], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``multiprocessing.Pool``'s upkeep thread wakes whenever a result waits in the
    results pipe: with rendered reports going through it, several hundred times a run
    of 200 files, each a pass over the workers. Ours wakes when the pool changes."""
    import multiprocessing.pool

    wakes = 0
    wait_for_updates = multiprocessing.pool.Pool._wait_for_updates  # type: ignore[attr-defined]

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal wakes
        wakes += 1
        return wait_for_updates(*args, **kwargs)

    monkeypatch.setattr(multiprocessing.pool.Pool, "_wait_for_updates", staticmethod(counted))
    paths = make_corpus(tmp_path / "corpus", 200)
    render = PartRenderer("json", False, render_json)
    results = list(run(tasks(paths), Linter(rules), jobs=2, start_method="fork", render=render))
    assert [result.path for result in results] == paths
    assert sum(len(bytes(result.rendered or b"")) for result in results) > 1_000_000
    assert wakes <= 20


def test_a_run_in_a_new_format_renders_the_cached_findings_in_the_workers(
    rules: list[Rule], tmp_path: Path
) -> None:
    """Files whose findings are cached, but not rendered in this run's format, go to the
    workers as the misses do: they render them and add the rendering to the cache."""
    import os

    from lint.reporters.text import render_concise

    paths = [path for path in make_corpus(tmp_path / "corpus", 60) if Path(path).exists()]
    cache_dir = str(tmp_path / "cache")
    linter = Linter(rules)
    rendered_by: list[int] = []  # the processes that rendered, as this process sees them

    def concise(part: Any, colour: bool) -> str:
        rendered_by.append(os.getpid())
        return render_concise(part, colour)

    def report(jobs: int, render: PartRenderer) -> list[bytes]:
        cache = ResultCache.for_linter(linter, cache_dir)
        results = run(tasks(paths), linter, jobs=jobs, cache=cache, render=render)
        return [bytes(result.rendered or b"") for result in results]

    json_renderer = PartRenderer("json", False, render_json)
    report(2, json_renderer)  # the findings are cached, rendered as JSON only
    expected = report(1, PartRenderer("concise", False, render_concise))
    shutil.rmtree(cache_dir)
    report(2, json_renderer)
    assert report(2, PartRenderer("concise", False, concise)) == expected
    assert rendered_by == []  # none in this process
    assert report(2, PartRenderer("concise", False, concise)) == expected  # now cached
    assert rendered_by == []
