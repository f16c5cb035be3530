"""Hostile repositories and pipes: trees of any depth, endless standard input, files the
user running contentlint cannot read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lint.document.source import MAX_FILE_BYTES

ARTICLE = "---\ntitle: x\n---\n<p style='color:red'>x</p>\n"


def test_a_very_deep_tree_is_walked_without_recursion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deeper than Python's recursion limit (the command's, not this process's, which a
    test may have raised): every article is found, no traceback."""
    limit = subprocess.run(
        [sys.executable, "-c", "import sys; print(sys.getrecursionlimit())"],
        capture_output=True,
        text=True,
        check=True,
    )
    depth = int(limit.stdout) + 50
    (tmp_path / "top.md").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for _ in range(depth):  # one level at a time: the whole path is longer than PATH_MAX
        os.mkdir("d")
        os.chdir("d")
    Path("deep.md").write_text(ARTICLE, encoding="utf-8")
    os.chdir(tmp_path)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lint", "--no-cache", "--output-format", "json", "."],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:  # undone level by level too: pytest's own clean-up recurses
        for _ in range(depth):
            os.chdir("d")
        os.remove("deep.md")
        for _ in range(depth):
            os.chdir("..")
            os.rmdir("d")
    assert "Traceback" not in done.stderr
    paths = {row["path"] for row in json.loads(done.stdout)}
    assert "./top.md" in paths
    assert any(path.endswith("/d/deep.md") for path in paths)


def test_standard_input_has_the_file_size_limit() -> None:
    """More than the limit is a file-too-large finding for ``-``, read no further (an
    endless stream ends)."""
    endless = subprocess.Popen(
        [sys.executable, "-m", "lint", "--no-cache", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert endless.stdin is not None
    chunk = b"a" * (1 << 20)
    try:
        for _ in range(MAX_FILE_BYTES // len(chunk) + 4):
            endless.stdin.write(chunk)
    except BrokenPipeError:  # it stopped reading: what we want
        pass
    out, err = endless.communicate(timeout=60)
    assert endless.returncode == 1
    assert b"-:1:1: file-too-large file is too large (more than 16 MiB, the limit is 16 MiB)" in (
        out
    )
    assert b"Traceback" not in err


def test_standard_input_over_the_limit_goes_through_fix_unchanged() -> None:
    """``--fix -`` prints the fixed text; input over the limit is not checked, and all
    of it, past the limit too, comes out byte for byte (a filter never truncates)."""
    data = (ARTICLE * 100).encode()
    done = subprocess.run(
        [sys.executable, "-m", "lint", "--no-cache", "--fix", "--max-file-size", "1k", "-"],
        input=data,
        capture_output=True,
        check=False,
    )
    assert done.stdout == data
    assert done.returncode == 1
    assert b"file-too-large file is too large (more than 1,024 bytes" in done.stderr


@pytest.mark.skipif(not hasattr(os, "setuid") or os.geteuid() != 0, reason="needs root")
def test_an_unreadable_file_named_on_the_command_line_is_an_error_for_that_file(
    tmp_path: Path,
) -> None:
    """Run as ``nobody``: the file it cannot read is a per-file error, the others are
    linted (click used to stop the whole run with "Path is not readable")."""
    tmp_path.chmod(0o755)
    (tmp_path / "ok.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "ok.md").chmod(0o644)
    (tmp_path / "secret.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "secret.md").chmod(0o600)
    code = """
import contextlib, io, os, sys
from lint.cli import main
def run(*paths):
    with contextlib.suppress(SystemExit):
        main.main(["--no-cache", "--output-format", "concise", *paths])
with contextlib.redirect_stdout(io.StringIO()):
    run("ok.md")  # as root: everything a run imports is imported (nobody cannot read it)
os.setgid(65534)
os.setuid(65534)
run("secret.md", "ok.md")
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "secret.md: error: cannot read: Permission denied" in done.stderr
    assert "ok.md:4:4: inline-style" in done.stdout
