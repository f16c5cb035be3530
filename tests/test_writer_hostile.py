"""``--fix`` keeps what the file was: owner, group, mode bits, extended attributes, hard
links, and the bytes another program writes while the fix is renamed into place.

Ownership tests need root (to give a file to ``nobody``) and run the non-root side in a
subprocess that drops to ``nobody`` with ``os.setuid``; extended attributes are skipped
where the file system has none.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from support import SEED

from lint.document.source import read_source
from lint.files import writer
from lint.files.writer import WriteError, write_atomic

NOBODY = 65534
ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to change owners"
)


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if ".contentlint-" in path.name)


def fixed_by_cli(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lint", str(path), "--fix", "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
    )


def xattrs_supported(path: Path) -> bool:
    try:
        os.setxattr(path, "user.contentlint-test", b"1")
    except OSError as error:
        if error.errno in (errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise
    os.removexattr(path, "user.contentlint-test")
    return True


@ROOT_ONLY
def test_root_fixing_a_file_of_nobody_keeps_owner_group_mode_and_attributes(
    tmp_path: Path,
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(SEED.read_bytes())
    os.chown(path, NOBODY, NOBODY)
    os.chmod(path, 0o4640 | stat.S_ISGID)
    attributes = xattrs_supported(path)
    if attributes:
        os.setxattr(path, "user.origin", b"https://example.org/a")

    result = fixed_by_cli(path)

    assert "Traceback" not in result.stderr
    assert path.read_bytes() != SEED.read_bytes()  # it was fixed
    status = path.stat()
    assert (status.st_uid, status.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(status.st_mode) == 0o6640
    if attributes:
        assert os.getxattr(path, "user.origin") == b"https://example.org/a"
    assert leftovers(tmp_path) == []


@ROOT_ONLY
def test_a_user_who_cannot_keep_the_group_leaves_the_file_alone() -> None:
    """``nobody`` may write the file (group-writable folder and file), but cannot give a
    new file the group ``root``: the fix would change the group, so it is not written."""
    with tempfile.TemporaryDirectory() as top:  # pytest's folders are private to root
        os.chmod(top, 0o755)
        folder = Path(top, "shared")
        folder.mkdir()
        os.chown(folder, NOBODY, 0)
        path = folder / "a.md"
        path.write_bytes(SEED.read_bytes())
        os.chown(path, NOBODY, 0)
        os.chmod(path, 0o664)
        # Everything is imported before dropping root: the interpreter's files may be private.
        script = (
            "import os\n"
            "from lint.document.source import read_source\n"
            "from lint.files.writer import WriteError, write_atomic\n"
            f"os.setgid({NOBODY}); os.setgroups([]); os.setuid({NOBODY})\n"
            f"source = read_source({str(path)!r})\n"
            "try:\n"
            "    write_atomic(source, 'fixed\\n')\n"
            "except WriteError as error:\n"
            "    print(error)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert "cannot keep its owner and group" in done.stdout
        assert path.read_bytes() == SEED.read_bytes()
        assert (path.stat().st_uid, path.stat().st_gid) == (NOBODY, 0)
        assert leftovers(folder) == []


def test_extended_attributes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"text\n")
    if not xattrs_supported(path):
        pytest.skip("this file system has no extended attributes")
    os.setxattr(path, "user.origin", b"\x00binary\xff")
    os.setxattr(path, "user.checked", b"")
    write_atomic(read_source(str(path)), "fixed\n")
    assert path.read_bytes() == b"fixed\n"
    assert os.getxattr(path, "user.origin") == b"\x00binary\xff"
    assert os.getxattr(path, "user.checked") == b""


def test_a_file_with_hard_links_is_left_alone_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(SEED.read_bytes())
    os.link(path, tmp_path / "other-name.md")

    result = fixed_by_cli(path)

    assert result.returncode == 2, result.stderr
    assert "hard links" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == SEED.read_bytes()
    assert path.stat().st_nlink == 2
    assert (tmp_path / "other-name.md").read_bytes() == SEED.read_bytes()


def test_a_write_in_the_rename_window_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program writes the file in place after the last check, just before the
    rename: its bytes end up in the file, and the file is an error."""
    path = tmp_path / "a.md"
    path.write_bytes(b"old text\n")
    source = read_source(str(path))
    real_replace = os.replace

    def saved_just_before(source_path: str, target: str) -> None:
        if target == str(path):
            with open(path, "r+b") as handle:
                handle.write(b"new text\n")
        monkeypatch.setattr(os, "replace", real_replace)
        real_replace(source_path, target)

    monkeypatch.setattr(os, "replace", saved_just_before)
    with pytest.raises(WriteError, match=r"changed on disk.*other program's text is kept"):
        write_atomic(source, "fixed\n")
    assert path.read_bytes() == b"new text\n"
    assert leftovers(tmp_path) == []


def test_a_write_in_the_rename_window_is_kept_beside_if_the_file_changed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old text\n")
    source = read_source(str(path))
    real_replace = os.replace
    calls = 0

    def two_saves(source_path: str, target: str) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            with open(path, "r+b") as handle:
                handle.write(b"new text\n")
            real_replace(source_path, target)
            path.unlink()  # and then another program saves a third version
            path.write_bytes(b"third\n")
        else:
            real_replace(source_path, target)

    monkeypatch.setattr(writer.os, "replace", two_saves)
    with pytest.raises(WriteError, match="kept in"):
        write_atomic(source, "fixed\n")
    assert path.read_bytes() == b"third\n"
    kept = [name for name in leftovers(tmp_path) if name.startswith("a.md.contentlint-kept-")]
    assert len(kept) == 1
    assert (tmp_path / kept[0]).read_bytes() == b"new text\n"


OTHER_PROGRAM = """
import os, random, sys, time
rng = random.Random(18)
for line in sys.stdin:
    index, path = line.split(" ", 1)
    time.sleep(rng.uniform(0, 0.004))
    with open(path.rstrip("\\n"), "r+b") as handle:
        handle.write(f"USER {index}\\n".encode())
        handle.truncate()
        orphan = os.fstat(handle.fileno()).st_nlink == 0  # written after the rename
    print(index, int(orphan), flush=True)
"""


def test_a_concurrent_writer_never_loses_a_write(tmp_path: Path) -> None:
    """Another process writes each file in place once, at a random moment while it is
    being fixed. Each of its writes ends up in the file, or the fix of that file is an
    error and the write is kept beside; none is silently replaced by the fix. (A write
    into a file it opened before the rename that lands after the check that follows the
    rename goes to the replaced file, which no name holds any more: those are counted
    apart, ``late``; the writing program sees it too, as a link count of 0.)"""
    count = 150
    paths = [tmp_path / f"a{index:03}.md" for index in range(count)]
    for index, path in enumerate(paths):
        path.write_bytes(f"old {index}\n".encode())
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_PROGRAM],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdin is not None
    assert other.stdout is not None
    errors, late = set(), set()
    for index, path in enumerate(paths):
        source = read_source(str(path))
        other.stdin.write(f"{index} {path}\n")
        other.stdin.flush()
        try:
            write_atomic(source, f"fixed {index}\n")
        except WriteError:
            errors.add(index)
        answer, orphan = other.stdout.readline().split()
        assert answer == str(index)
        if orphan == "1":
            late.add(index)
    other.stdin.close()
    assert other.wait() == 0
    kept = [name for name in leftovers(tmp_path) if "-kept-" in name]
    lost = [
        index
        for index, path in enumerate(paths)
        if path.read_bytes() != f"USER {index}\n".encode()
        and not (index in errors and any(name.startswith(path.name) for name in kept))
        and index not in late
    ]
    assert lost == [], [(index, paths[index].read_bytes()) for index in lost]
