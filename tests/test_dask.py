"""Linting on Dask: ``lint.dask`` (bags of paths, URLs or ``(name, text)`` pairs) and
``contentlint check --scheduler``, against the command's own output on the corpus.

One ``LocalCluster`` (two worker processes, loopback only) serves the whole module.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dask.bag as db
import fsspec
import pytest
from distributed import Client, LocalCluster
from support import SEED, contentlint, corpus_dir

import lint
import lint.dask
from lint.files import cluster as cluster_module

ROOT = Path(__file__).resolve().parent.parent
CORPUS = corpus_dir().resolve()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
SMALL = ("rsshub-sina", "wechat")  # a Hexo robot's posts, and a dump (its own preset)


@pytest.fixture(scope="session")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as local:
        yield local


@pytest.fixture(scope="session")
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster, set_as_default=False) as connected:
        yield connected


def markdown_files(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*") if path.suffix in (".md", ".markdown"))


def rows(found: Sequence[dict[str, Any]]) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in found)


@pytest.fixture(scope="session")
def corpus_report() -> list[dict[str, Any]]:
    result = contentlint("--output-format", "json", str(CORPUS))
    assert result.returncode == 1, result.stderr
    report: list[dict[str, Any]] = json.loads(result.stdout)
    return report


@needs_corpus
def test_lint_bag_gives_the_commands_findings_on_the_corpus(
    client: Client, corpus_report: list[dict[str, Any]]
) -> None:
    paths = db.from_sequence(markdown_files(CORPUS), npartitions=8)
    found = lint.dask.lint_bag(paths).compute(scheduler=client)
    assert len(found) > 5000
    assert rows(found) == rows(corpus_report)


@needs_corpus
def test_name_and_text_pairs_are_linted_as_their_files(client: Client) -> None:
    files = markdown_files(CORPUS / "rsshub-sina")
    pairs = db.from_sequence(
        [(path, Path(path).read_text(encoding="utf-8")) for path in files], npartitions=3
    )
    found = lint.dask.lint_bag(pairs).compute(scheduler=client)
    expected = json.loads(contentlint("--output-format", "json", *files).stdout)
    assert rows(found) == rows(expected)


@needs_corpus
def test_findings_frame_has_a_row_per_finding(client: Client) -> None:
    paths = db.from_sequence(markdown_files(CORPUS / "hugo-blog"), npartitions=4)
    frame = lint.dask.findings_frame(paths)
    assert list(frame.columns) == list(lint.dask.FINDING_COLUMNS)
    computed = frame.compute(scheduler=client)
    found = lint.dask.lint_bag(paths).compute(scheduler=client)
    records = computed.to_dict("records")
    for record in records:  # pandas marks a missing value NaN: not fixable
        record["fixable"] = record["fixable"] if isinstance(record["fixable"], str) else None
    assert rows(records) == rows(found)
    assert str(computed["line"].dtype) == "int64"


def test_settings_are_one_object_of_the_graph(tmp_path: Path) -> None:
    """Loaded once here and shipped as one graph object, not reloaded per partition."""
    (tmp_path / "c.yaml").write_text("ignore: [inline-style]\n")
    bag = db.from_sequence([str(SEED)] * 6, npartitions=6)
    graph = dict(lint.dask.lint_bag(bag, str(tmp_path / "c.yaml")).__dask_graph__())
    shipped = [key for key in graph if str(key).startswith("contentlint-settings-")]
    assert len(shipped) == 1
    found = lint.dask.lint_bag(bag, str(tmp_path / "c.yaml")).compute(scheduler="sync")
    assert len(found) == 6 * (len(lint.lint_text(SEED.read_bytes(), str(SEED))) - 49)
    (tmp_path / "bad.yaml").write_text("select: [nope]\n")
    with pytest.raises(lint.LintError, match="unknown rule id 'nope'"):
        lint.dask.lint_bag(bag, str(tmp_path / "bad.yaml"))


def test_memory_urls_are_read_and_written() -> None:
    fs = fsspec.filesystem("memory")
    data = SEED.read_bytes()
    fs.pipe("/contentlint-test/in/posts/a.md", data)
    fs.pipe("/contentlint-test/in/b.md", b'---\ntitle: T\n---\n\n<p style="a">x</p>\n')
    urls = ["memory://contentlint-test/in/posts/a.md", "memory://contentlint-test/in/b.md"]
    bag = db.from_sequence(urls, npartitions=2)
    try:
        found = lint.dask.lint_bag(bag).compute(scheduler="threads")
        assert [item for item in found if item["path"] == urls[0]] == [
            {**lint.to_dict(finding), "path": urls[0]}
            for finding in lint.lint_text(data, urls[0], lint.load_config())
        ]
        written = lint.dask.fix_bag(
            bag, "memory://contentlint-test/out", root="memory://contentlint-test/in"
        ).compute(scheduler="threads")
        assert [record["output"] for record in written] == [
            "memory://contentlint-test/out/posts/a.md",
            "memory://contentlint-test/out/b.md",
        ]
        fixed = lint.fix_text(data, urls[0], lint.load_config()).text
        assert fs.cat("/contentlint-test/out/posts/a.md") == fixed.encode("utf-8")
        assert fs.cat("/contentlint-test/out/b.md") == b"---\ntitle: T\n---\n\n<p>x</p>\n"
        assert fs.cat("/contentlint-test/in/posts/a.md") == data  # the input is untouched
        with pytest.raises(lint.LintError, match="never writes in place"):
            lint.dask.fix_bag(
                bag, "memory://contentlint-test/in", root="memory://contentlint-test/in"
            ).compute(scheduler="sync")
    finally:
        fs.rm("/contentlint-test", recursive=True)


def test_a_missing_file_raises_the_commands_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.md")
    bag = db.from_sequence([missing], npartitions=1)
    with pytest.raises(lint.LintError) as raised:
        lint.dask.lint_bag(bag).compute(scheduler="sync")
    result = contentlint(missing)
    assert str(raised.value) in result.stderr
    assert str(raised.value).startswith(f"{missing}: error:")


def copy_folders(folders: Sequence[str], target: Path) -> Path:
    for folder in folders:
        shutil.copytree(CORPUS / folder, target / folder, copy_function=shutil.copyfile)
    return target


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".md", ".markdown")
    }


@needs_corpus
@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_bag_writes_what_fix_writes(client: Client, tmp_path: Path, unsafe: bool) -> None:
    folders = SMALL if not unsafe else ("rsshub-page",)
    fixed_here = copy_folders(folders, tmp_path / "by-command")
    args = ["--fix", "--unsafe-fixes"] if unsafe else ["--fix"]
    contentlint(*args, "-q", str(fixed_here))
    original = copy_folders(folders, tmp_path / "original")  # presets as in the copy
    before = tree(original)
    paths = db.from_sequence(markdown_files(original), npartitions=4)
    records = lint.dask.fix_bag(
        paths, str(tmp_path / "by-bag"), unsafe=unsafe, root=str(original)
    ).compute(scheduler=client)
    assert tree(tmp_path / "by-bag") == tree(fixed_here) != before
    assert tree(original) == before
    assert sum(int(record["fixed"]) for record in records) > 100


@needs_corpus
def test_scheduler_run_reports_as_a_local_run(
    cluster: LocalCluster, corpus_report: list[dict[str, Any]]
) -> None:
    address = cluster.scheduler_address
    remote = contentlint("--output-format", "json", "--scheduler", address, str(CORPUS))
    assert remote.returncode == 1, remote.stderr
    assert json.loads(remote.stdout) == corpus_report  # same order
    folders = [str(CORPUS / folder) for folder in SMALL]
    local = contentlint("--output-format", "text", *folders)
    remote = contentlint("--output-format", "text", "--scheduler", address, *folders)
    assert (remote.returncode, remote.stdout) == (local.returncode, local.stdout)
    assert local.stdout.count("\n") > 1000


@needs_corpus
def test_scheduler_fix_writes_what_a_local_fix_writes(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    here = copy_folders(SMALL, tmp_path / "here")
    there = copy_folders(SMALL, tmp_path / "there")
    local = contentlint("--fix", "--output-format", "json", str(here))
    remote = contentlint(
        "--fix", "--output-format", "json", "--scheduler", cluster.scheduler_address, str(there)
    )
    assert remote.returncode == local.returncode == 1
    assert remote.stdout == local.stdout.replace(str(here), str(there))
    assert tree(there) == tree(here) != tree(CORPUS / SMALL[0])


def test_relative_paths_need_workers_in_the_same_folder(
    cluster: LocalCluster, tmp_path: Path
) -> None:
    (tmp_path / "a.md").write_bytes(SEED.read_bytes())
    result = contentlint("--scheduler", cluster.scheduler_address, "a.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"contentlint: error: the Dask workers run in {os.getcwd()}, not in {tmp_path}: "
        "name the paths absolutely, or start the workers here\n"
    )
    absolute = contentlint("--scheduler", cluster.scheduler_address, str(tmp_path / "a.md"))
    assert absolute.returncode == 1


def test_workers_that_die_end_the_run_with_one_error() -> None:
    """The scheduler gives up on a task after a death (allowed-failures 0): the run
    stops with the cluster's failure, not a traceback."""
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as dying,
        Client(dying, set_as_default=False) as connected,
    ):
        # The "work" is os._exit and the "task" its status: the worker process ends.
        results = cluster_module.ClusterFiles(connected)([3], os._exit)  # type: ignore[list-item,arg-type]
        with pytest.raises(cluster_module.ClusterError, match="the Dask cluster failed: "):
            next(results)


def test_an_unreachable_scheduler_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from lint.cli import main

    monkeypatch.setattr(cluster_module, "CONNECT_TIMEOUT", 1.0)
    result = CliRunner().invoke(main, ["check", "--scheduler", "tcp://127.0.0.1:9", str(SEED)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("contentlint: error: cannot reach the Dask scheduler at tcp://")


def test_without_distributed_the_scheduler_is_one_line(tmp_path: Path) -> None:
    hidden = tmp_path / "hide" / "distributed"
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text("raise ImportError('distributed is not installed')\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "hide")}
    result = subprocess.run(
        [sys.executable, "-m", "lint", "--scheduler", "tcp://127.0.0.1:9", str(SEED)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        "contentlint: error: --scheduler needs the distributed package: "
        "pip install 'contentlint[dask]'\n"
    )
