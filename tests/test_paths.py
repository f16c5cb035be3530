"""Paths that are not plain articles: missing, special files, links, duplicates.

Each bad path is an error for that path (exit 2) while every other file is linted and
fixed; nothing hangs (a FIFO is never opened for reading); links inside a walked folder
are skipped, so ``--fix`` never writes outside the tree and link loops cannot happen;
every file is linted once per run however it was reached. Read-only files under
``--fix`` are covered in ``test_writer.py``.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lint.cli import main
from lint.files.walk import iter_files

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "sina-finance-fuwuhui.md").read_bytes()


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def linted(result: Result) -> list[str]:
    """The paths of the findings, each once, in report order."""
    paths: list[str] = []
    for finding in json.loads(result.stdout):
        if finding["path"] not in paths:
            paths.append(finding["path"])
    return paths


def never_excluded(path: str) -> bool:
    return False


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``tree/a.md`` and ``tree/sub/b.md``, both copies of the seed."""
    root = tmp_path / "tree"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_bytes(SEED)
    (root / "sub" / "b.md").write_bytes(SEED)
    return root


@pytest.fixture
def unix_socket(tree: Path) -> Iterator[Path]:
    path = tree / "socket.md"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError as error:  # e.g. a path too long for AF_UNIX
        server.close()
        pytest.skip(f"cannot bind a unix socket: {error}")
    try:
        yield path
    finally:
        server.close()


def test_missing_path_is_an_error_and_the_others_are_linted(tree: Path) -> None:
    missing = tree / "missing.md"
    result = run("check", missing, tree / "a.md", "--output-format", "json")
    assert result.exit_code == 2
    assert f"{missing}: error: no such file or folder" in result.stderr
    assert linted(result) == [str(tree / "a.md")]


def test_broken_link_named_is_an_error(tree: Path) -> None:
    link = tree / "broken.md"
    link.symlink_to(tree / "gone.md")
    result = run("check", link)
    assert result.exit_code == 2
    assert f"{link}: error: broken symbolic link" in result.stderr


def test_fifo_is_an_error_and_never_opened(tree: Path) -> None:
    fifo = tree / "pipe.md"
    os.mkfifo(fifo)
    for args in ([tree], [fifo, tree / "a.md"]):  # walked, then named
        result = run("check", *args, "--fix", "--output-format", "json")  # would hang if read
        assert result.exit_code == 2
        assert f"{fifo}: error: not a regular file (a named pipe)" in result.stderr
        assert str(tree / "a.md") in linted(result)


def test_socket_is_an_error(tree: Path, unix_socket: Path) -> None:
    result = run("check", tree, "--output-format", "json")
    assert result.exit_code == 2
    assert f"{unix_socket}: error: not a regular file (a socket)" in result.stderr
    assert linted(result) == [str(tree / "a.md"), str(tree / "sub" / "b.md")]


def test_folder_named_like_an_article_is_walked(tree: Path) -> None:
    folder = tree / "c.md"
    folder.mkdir()
    (folder / "d.md").write_bytes(SEED)
    result = run("check", tree, "--output-format", "json")
    assert result.exit_code == 1
    assert str(folder / "d.md") in linted(result)


def test_links_inside_a_walked_tree_are_skipped_and_never_fixed(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "outside.md"
    outside.parent.mkdir()
    outside.write_bytes(SEED)
    (tree / "to-outside.md").symlink_to(outside)
    (tree / "to-inside.md").symlink_to(tree / "sub" / "b.md")
    (tree / "loop").symlink_to(tree, target_is_directory=True)
    (tree / "out-folder").symlink_to(outside.parent, target_is_directory=True)

    result = run("check", tree, "--fix", "--unsafe-fixes", "--output-format", "json")

    assert result.exit_code == 0, result.output
    assert outside.read_bytes() == SEED  # never written through a link out of the tree
    assert (tree / "a.md").read_bytes() != SEED
    assert (tree / "sub" / "b.md").read_bytes() == (tree / "a.md").read_bytes()
    assert (tree / "to-inside.md").is_symlink()
    assert (tree / "to-outside.md").is_symlink()
    found = [path for path, _ in iter_files([str(tree)], never_excluded)]
    assert found == [str(tree / "a.md"), str(tree / "sub" / "b.md")]


def test_link_named_on_the_command_line_is_followed(tree: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.md"
    link.symlink_to(tree / "a.md")
    result = run("check", link, "--output-format", "json")
    assert result.exit_code == 1
    assert linted(result) == [str(link)]


def walked(argument: str) -> list[str]:
    """What ``os.walk`` finds for a folder (the naive way), or the file itself."""
    if not os.path.isdir(argument):
        return [argument]
    return [
        os.path.join(folder, name)
        for folder, _, names in os.walk(argument)
        for name in names
        if name.endswith(".md") and not os.path.islink(os.path.join(folder, name))
    ]


@pytest.mark.parametrize(
    "arguments",
    [
        ["a.md", "a.md"],
        ["a.md", "."],
        [".", "sub", "sub/b.md"],
        ["sub", "sub/", "./sub", "sub//", "."],
        ["./a.md", "a.md", "sub/../a.md"],
        ["a.md", "link.md"],
    ],
)
def test_each_file_is_linted_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch, arguments: list[str]
) -> None:
    (tree / "link.md").symlink_to(tree / "a.md")
    monkeypatch.chdir(tree)
    files = [path for path, error in iter_files(arguments, never_excluded) if error is None]
    assert len({os.path.realpath(path) for path in files}) == len(files)
    every = {os.path.realpath(path) for argument in arguments for path in walked(argument)}
    assert {os.path.realpath(path) for path in files} == every

    result = run("check", *arguments, "--output-format", "json")

    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    per_file = len(findings) // len(linted(result))
    assert len(findings) == per_file * len(files)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_and_folder_are_errors(tree: Path) -> None:  # pragma: no cover
    locked = tree / "locked.md"
    locked.write_bytes(SEED)
    locked.chmod(0)
    closed = tree / "closed"
    closed.mkdir()
    closed.chmod(0)
    try:
        result = run("check", tree, "--fix", "--output-format", "json")
    finally:
        locked.chmod(0o644)
        closed.chmod(0o755)
    assert result.exit_code == 2
    assert f"{locked}: error: cannot read: Permission denied" in result.stderr
    assert f"{closed}: error: cannot read folder: Permission denied" in result.stderr
    assert locked.read_bytes() == SEED
    assert str(tree / "a.md") not in linted(result)  # fixed, nothing left
