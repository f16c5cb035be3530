"""Writing fixed files: bytes, newlines and mode are kept; nothing is ever damaged.

``--fix`` goes through ``lint.files.writer.write_atomic``: a temporary file in the same
folder replaces the original with a rename, keeping its UTF-8 byte-order mark, its
CRLF newlines and its permissions, and refusing to write a file that is read-only
or that changed on disk after it was read.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import SEED

from lint.cli import main
from lint.document.source import read_source
from lint.files.writer import WriteError, write_atomic

BOM = b"\xef\xbb\xbf"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def fixed_seed(tmp_path: Path) -> bytes:
    """The bytes ``--fix`` makes of the seed as it is (LF, no BOM, mode 0644)."""
    path = tmp_path / "reference" / "seed.md"
    path.parent.mkdir()
    path.write_bytes(SEED.read_bytes())
    assert run(path, "--fix").exit_code == 1  # the unsafe promo box is left
    return path.read_bytes()


def leftovers(folder: Path) -> list[str]:
    """Temporary files a writer left behind."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".contentlint-"))


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("crlf", [False, True], ids=["lf", "crlf"])
@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664])
def test_fix_keeps_bom_newlines_and_mode(
    tmp_path: Path, fixed_seed: bytes, bom: bool, crlf: bool, mode: int
) -> None:
    def variant(data: bytes) -> bytes:
        data = data.replace(b"\n", b"\r\n") if crlf else data
        return BOM + data if bom else data

    path = tmp_path / "article.md"
    path.write_bytes(variant(SEED.read_bytes()))
    path.chmod(mode)

    result = run(path, "--fix")

    assert result.exit_code == 1
    assert "promo-block" in result.stdout
    assert path.read_bytes() == variant(fixed_seed)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert leftovers(tmp_path) == []


def test_fix_through_a_symlink_fixes_the_target(tmp_path: Path, fixed_seed: bytes) -> None:
    target = tmp_path / "store" / "article.md"
    target.parent.mkdir()
    target.write_bytes(SEED.read_bytes())
    link = tmp_path / "article.md"
    link.symlink_to(target)

    run(link, "--fix")

    assert link.is_symlink()
    assert target.read_bytes() == fixed_seed


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A copy of the seed that this process truly cannot write.

    Permission bits suffice for an ordinary user. Root ignores them (a mode 0444 file
    in a mode 0555 folder is still writable), so as root the file is made immutable
    with ``chattr +i``, which binds root too; where that is impossible the test is
    skipped, since it could not show anything.
    """
    path = tmp_path / "locked" / "article.md"
    path.parent.mkdir()
    path.write_bytes(SEED.read_bytes())
    path.chmod(0o444)
    immutable = False
    if os.access(path, os.W_OK):
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root and chattr is not available: cannot make a read-only file")
        done = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0 or os.access(path, os.W_OK):
            pytest.skip(f"running as root and chattr +i failed: {done.stderr.decode().strip()}")
        immutable = True
    try:
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o644)


def test_read_only_file_is_an_error_and_the_others_are_fixed(
    tmp_path: Path, read_only: Path, fixed_seed: bytes
) -> None:
    others = [tmp_path / "a.md", tmp_path / "z.md"]
    for path in others:
        path.write_bytes(SEED.read_bytes())
    before = read_only.read_bytes()

    result = run(others[0], read_only, others[1], "--fix")

    assert result.exit_code == 2
    assert str(read_only) in result.stderr
    assert "not written" in result.stderr or "cannot write" in result.stderr
    assert "Traceback" not in result.output
    assert read_only.read_bytes() == before
    assert [path.read_bytes() for path in others] == [fixed_seed, fixed_seed]
    assert leftovers(read_only.parent) == []
    # The report shows what is left: everything in the unwritable file.
    assert f"{read_only}:1:1: front-matter-position" in result.stdout


def test_file_changed_on_disk_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(SEED.read_bytes())
    source = read_source(str(path))
    edited = SEED.read_bytes().replace("原标题".encode(), "标题".encode(), 1)
    assert edited != source.raw
    path.write_bytes(edited)  # someone saves the file while it is being fixed

    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(source, "fixed text\n")

    assert path.read_bytes() == edited
    assert leftovers(tmp_path) == []


def test_source_with_other_raw_bytes_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(b"---\ntitle: x\n---\n")
    source = read_source(str(path))
    stale = type(source)(source.path, source.text, raw=b"---\ntitle: y\n---\n", mode=source.mode)

    with pytest.raises(WriteError):
        write_atomic(stale, "anything\n")

    assert path.read_bytes() == b"---\ntitle: x\n---\n"


def test_write_atomic_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(BOM + b"caf\xc3\xa9\r\n")
    path.chmod(0o640)
    source = read_source(str(path))
    assert source.has_bom
    assert source.text == "café\r\n"

    write_atomic(source, "thé\r\n")

    assert path.read_bytes() == BOM + "thé\r\n".encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_deleted_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(b"text\n")
    source = read_source(str(path))
    path.unlink()

    with pytest.raises(WriteError):
        write_atomic(source, "fixed\n")

    assert not path.exists()
    assert leftovers(tmp_path) == []
