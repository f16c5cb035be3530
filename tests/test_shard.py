"""``--shard I/N``: N disjoint parts of a run whose union is the whole run, split by
path the same way in every process and on every machine."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import contentlint, corpus_dir

import lint
from lint.files.shard import Shard, ShardError, shard_of

ROOT = Path(__file__).resolve().parent.parent
CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
FOLDERS = ("rsshub-sina", "hugo-blog")  # two kinds of archive, 270 files


def findings(*args: str) -> list[dict[str, object]]:
    result = contentlint("--output-format", "json", *args)
    assert result.returncode == 1, result.stderr
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


@needs_corpus
def test_the_shards_partition_the_run() -> None:
    paths = [os.path.relpath(CORPUS / folder, ROOT) for folder in FOLDERS]
    whole = findings(*paths)
    shards = [findings("--shard", f"{index}/3", *paths) for index in (1, 2, 3)]
    assert sorted(map(json.dumps, whole)) == sorted(
        json.dumps(found) for shard in shards for found in shard
    )
    files = [{str(found["path"]) for found in shard} for shard in shards]
    assert all(files)  # each shard has some of the 270 files
    assert sum(map(len, files)) == len(set().union(*files))  # no file in two shards
    again = findings("--shard", "2/3", *paths)
    assert again == shards[1]


@needs_corpus
def test_every_file_is_in_one_shard_and_the_split_is_even() -> None:
    paths = [str(p) for folder in FOLDERS for p in sorted((CORPUS / folder).glob("*.md"))]
    by_shard = [list(lint.lint_paths(paths, jobs=1, shard=Shard(i, 3))) for i in (1, 2, 3)]
    seen = Counter(result.path for shard in by_shard for result in shard)
    assert set(seen) == set(paths)
    assert set(seen.values()) == {1}
    assert all(len(shard) > len(paths) // 5 for shard in by_shard)


def test_the_split_is_the_same_in_another_python_process() -> None:
    names = [f"posts/{index}/article-{index * 7}.md" for index in range(40)]
    here = [shard_of(name, 5) for name in names]
    code = (
        "import sys; from lint.files.shard import shard_of; "
        "print(*[shard_of(name, 5) for name in sys.argv[1:]])"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, *names], capture_output=True, text=True, env=env, check=True
    )
    assert [int(item) for item in out.stdout.split()] == here
    assert len(set(here)) == 5


def test_absolute_and_relative_paths_fall_in_the_same_shard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for count in (2, 3, 7):
        assert shard_of("a/b.md", count) == shard_of(str(tmp_path / "a" / "b.md"), count)
        assert shard_of("./a//b.md", count) == shard_of("a/b.md", count)


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("0/3", "between 1 and N"),
        ("4/3", "between 1 and N"),
        ("1/0", "between 1 and N"),
        ("3", "is not I/N"),
        ("a/b", "is not I/N"),
        ("-1/3", "is not I/N"),
        ("1/3/5", "is not I/N"),
    ],
)
def test_bad_shards_are_usage_errors(spec: str, problem: str) -> None:
    with pytest.raises(ShardError, match=problem):
        Shard.parse(spec)
    result = contentlint("--shard", spec, "seeds")
    assert result.returncode == 2
    assert f"Invalid value for '--shard': {spec!r}" in result.stderr
    assert problem in result.stderr
    assert "Traceback" not in result.stderr


def test_a_shard_without_files_says_so(tmp_path: Path) -> None:
    (tmp_path / "only.md").write_text("---\ntitle: T\ndate: 2021-01-01\n---\n\nText.\n")
    holder = shard_of(str(tmp_path / "only.md"), 2)
    empty = contentlint("--shard", f"{3 - holder}/2", str(tmp_path))
    assert empty.returncode == 0
    assert "holds none of the Markdown files" in empty.stderr
    full = contentlint("--shard", f"{holder}/2", "--output-format", "json", str(tmp_path))
    assert json.loads(full.stdout) == []
    assert "holds none" not in full.stderr
