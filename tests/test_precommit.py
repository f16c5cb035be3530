"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run for real with ``pre-commit try-repo``.

``try-repo`` only sees what is committed in the hook repository, plus changes to
files git already tracks: a new, untracked file (such as a new rule or the hooks
file itself before its first commit) would be missed. The tests therefore commit a
snapshot of this checkout's working tree, located from this file, into a temporary
repository and point ``try-repo`` there.

Each ``try-repo`` call builds the hook's virtualenv (``pip install`` of the project,
which needs the package index) in a temporary store of its own: it does not use the
cache in ``PRE_COMMIT_HOME``, which is still pointed at a session-wide temporary
folder so that nothing is written to the user's cache. As every call costs a few
seconds, the cases are grouped into three calls.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from support import CLEAN_ARTICLE, ROOT, SEED

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
# Folders never copied when the checkout is not a git repository (an sdist).
NOT_SOURCE = {
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".contentlint_cache",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "--quiet")
    for key, value in [
        ("user.name", "contentlint tests"),
        ("user.email", "tests@contentlint.invalid"),
        ("commit.gpgsign", "false"),
    ]:
        git(path, "config", key, value)
    return path


def source_files(root: Path) -> list[str]:
    """The checkout's files as git would commit them: tracked and new, not ignored."""
    if (root / ".git").exists():
        listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        return sorted(name for name in set(listed.split("\0")) if (root / name).is_file())
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file()
        and not NOT_SOURCE.intersection(path.relative_to(root).parts)
        and not any(part.endswith(".egg-info") for part in path.parts)
    )


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-commit repository holding the working tree of this checkout."""
    snapshot = init_repo(tmp_path_factory.mktemp("hook-repo"))
    for name in source_files(ROOT):
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    git(snapshot, "add", "--all")
    git(snapshot, "commit", "--quiet", "--no-verify", "--message", "snapshot")
    return snapshot


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment for pre-commit: one hook cache for the whole session."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PRE_COMMIT")}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env.pop("SKIP", None)  # pre-commit's variable for skipping hooks
    return env


@pytest.fixture
def work_repo(tmp_path: Path) -> Path:
    """A blog repository with a dirty article, a clean one and a dirty non-Markdown file."""
    repo = init_repo(tmp_path / "blog")
    (repo / "dirty.md").write_bytes(SEED.read_bytes())
    (repo / "clean.md").write_text(CLEAN_ARTICLE, encoding="utf-8")
    (repo / "notes.txt").write_bytes(SEED.read_bytes())
    git(repo, "add", "--all")
    return repo


def try_repo(
    hook_repo: Path, env: dict[str, str], work_repo: Path, hook: str, *files: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            hook,
            "--verbose",
            "--color",
            "never",
            *(["--files", *files] if files else ["--all-files"]),
        ],
        cwd=work_repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_hooks_file_declares_both_hooks() -> None:
    hooks = {hook["id"]: hook for hook in yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))}
    assert set(hooks) == {"contentlint", "contentlint-fix"}
    for hook in hooks.values():
        assert hook["name"]
        assert hook["description"]
        assert hook["language"] == "python"
        assert hook["types_or"] == ["markdown"]
        assert hook["require_serial"] is False
    # `--` ends the options: pre-commit appends staged file names, which are never options.
    assert hooks["contentlint"]["entry"] == "contentlint check --"
    assert hooks["contentlint-fix"]["entry"] == "contentlint check --fix --"


def test_hooks_file_is_a_valid_manifest() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("hook", "files", "passes"),
    [
        ("contentlint", ["dirty.md"], False),
        # notes.txt holds the seed too: it passes only because the hook skips non-Markdown.
        ("contentlint", ["clean.md", "notes.txt"], True),
        ("contentlint-fix", ["dirty.md", "clean.md"], False),
    ],
)
def test_hook(
    hook_repo: Path,
    pre_commit_env: dict[str, str],
    work_repo: Path,
    hook: str,
    files: list[str],
    passes: bool,
) -> None:
    before = {name: (work_repo / name).read_bytes() for name in ("dirty.md", "clean.md")}

    done = try_repo(hook_repo, pre_commit_env, work_repo, hook, *files)

    output = done.stdout + done.stderr
    assert done.returncode == (0 if passes else 1), output
    assert ("Passed" if passes else "Failed") in output
    assert (work_repo / "clean.md").read_bytes() == before["clean.md"]
    assert "clean.md:" not in output
    if passes:
        return
    assert re.search(r"dirty\.md:\d+:13: promo-block \[\*\*\]", output)  # unsafe: always left
    dirty = (work_repo / "dirty.md").read_bytes()
    if hook == "contentlint":
        assert "dirty.md:99:13: style-block [*]" in output
        assert dirty == before["dirty.md"]
    else:
        assert "files were modified by this hook" in output
        fixed = dirty.decode("utf-8")
        assert fixed.startswith("---\n")
        assert "cms-style" not in fixed
        assert "appendQr_wrap" in fixed  # the unsafe fix is not applied


def test_a_staged_file_named_like_an_option_is_a_file(
    hook_repo: Path, pre_commit_env: dict[str, str], work_repo: Path
) -> None:
    """A staged article named ``--output-file=victim.md`` is linted, not taken for the
    option that would overwrite ``victim.md`` with the report."""
    victim = work_repo / "victim.md"
    victim.write_text(CLEAN_ARTICLE, encoding="utf-8")
    (work_repo / "--output-file=victim.md").write_bytes(SEED.read_bytes())
    git(work_repo, "add", "--all")

    done = try_repo(hook_repo, pre_commit_env, work_repo, "contentlint")  # --all-files

    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "--output-file=victim.md:" in output  # its findings, under its name
    assert victim.read_text(encoding="utf-8") == CLEAN_ARTICLE
