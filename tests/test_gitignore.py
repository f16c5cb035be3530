"""``exclude`` respects ``.gitignore``: the matcher agrees with git itself, and the CLI uses it.

The matcher (``lint/files/gitignore.py``) is compared with ``git ls-files --ignored`` on a
repository full of tricky patterns; git runs with an empty home and no system
configuration, so the user's own excludes play no part.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import main
from lint.files.gitignore import GitIgnore, parse_line

ARTICLE = "---\ntitle: T\n---\n\n<p style='a'>x</p>\n"
ROOT_IGNORE = """\
# comment
*.draft.md
/top-only.md
build/
docs/**/private.md
**/cache/**
notes/*.md
!notes/keep.md
\\#hash.md
trailing.md
weird[0-9].md
a?c.md
vendor
!vendor/x.md
""".replace("trailing.md\n", "trailing.md   \n")  # trailing spaces are trimmed
FILES = [
    "post.md",
    "post.draft.md",
    "sub/post.draft.md",
    "top-only.md",
    "sub/top-only.md",
    "build/a.md",
    "sub/build/b.md",
    "build.md",
    "docs/private.md",
    "docs/x/y/private.md",
    "docs/public.md",
    "cache.md",
    "x/cache/y/z.md",
    "notes/a.md",
    "notes/keep.md",
    "notes/deep/a.md",
    "#hash.md",
    "trailing.md",
    "weird1.md",
    "weirdx.md",
    "abc.md",
    "a/c.md",
    "vendor/x.md",
    "vendor/y.md",
    "nested/local.md",
    "nested/other.md",
    "nested/deeper/local.md",
    "excluded-by-info.md",
]


def git(repo: Path, *args: str) -> str:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(repo.parent / "home"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "home").mkdir()
    for name in FILES:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(ARTICLE, encoding="utf-8")
    (root / ".gitignore").write_text(ROOT_IGNORE, encoding="utf-8")
    (root / "nested" / ".gitignore").write_text("local.md\n", encoding="utf-8")
    if shutil.which("git"):
        git(root, "init", "-q")
    else:
        (root / ".git" / "info").mkdir(parents=True)
    info = root / ".git" / "info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "exclude").write_text("excluded-by-info.md\n", encoding="utf-8")
    return root


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to compare with")
def test_the_matcher_agrees_with_git(repo: Path) -> None:
    listed = git(repo, "ls-files", "--others", "--ignored", "--exclude-standard")
    by_git = set(listed.splitlines())
    matcher = GitIgnore()
    ours = {name for name in FILES if matcher.ignored(str(repo / name))}
    assert ours == by_git
    assert {"post.md", "notes/keep.md", "docs/public.md", "weirdx.md"}.isdisjoint(ours)
    assert {"nested/deeper/local.md", "excluded-by-info.md", "#hash.md"} <= ours


def test_outside_a_work_tree_nothing_is_ignored(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.md\n", encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    assert not GitIgnore().ignored(str(tmp_path / "a.md"))


@pytest.mark.parametrize("line", ["", "# comment", "   ", "/", "!"])
def test_lines_that_are_no_pattern(line: str) -> None:
    assert parse_line(line) is None


def lint_json(*args: str) -> list[str]:
    result = CliRunner().invoke(main, [*args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    return sorted({finding["path"] for finding in json.loads(result.stdout)})


def test_walking_skips_ignored_files_named_files_are_linted(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo)
    walked = lint_json(".")
    assert "./post.md" in walked
    assert "./post.draft.md" not in walked
    assert "./build/a.md" not in walked
    assert "./notes/keep.md" in walked
    assert lint_json("post.draft.md") == ["post.draft.md"]
    everything = lint_json(".", "--no-respect-gitignore")
    assert len(everything) == len(FILES)
    Path(".contentlint.yaml").write_text("respect-gitignore: false\n", encoding="utf-8")
    assert lint_json(".") == everything
    assert lint_json(".", "--respect-gitignore") == walked


# Lines git reads its own way (gitignore(5) and wildmatch): the bytes of a .gitignore and
# names to ask about, each compared with ``git check-ignore`` in a fresh repository.
AS_GIT_READS_IT = {
    "byte-order mark": (b"\xef\xbb\xbfa.md\n", ["a.md", "b.md"]),
    "line separator u2028": ("p\u2028q.md\n".encode(), ["p\u2028q.md", "p", "q.md"]),
    "next line x85": ("p\x85q.md\n".encode(), ["p\x85q.md", "p", "q.md"]),
    "lone carriage return": (b"x.md\rb.md\n", ["x.md\rb.md", "x.md", "b.md"]),
    "CRLF line end": (b"c.md\r\n", ["c.md", "c.md\r"]),
    "POSIX class": (b"n[[:digit:]].md\n", ["n1.md", "nx.md"]),
    "POSIX class negated": (b"m[![:alpha:]].md\n", ["m1.md", "mx.md"]),
    "unknown POSIX class": (b"k[[:nope:]].md\n", ["k1.md", "k[[:nope:]].md", "kn.md"]),
    "escaped bracket": (b"e[\\]].md\n", ["e].md", "e\\.md", "e].md]"]),
    "bracket first": (b"f[]a].md\n", ["f].md", "fa.md", "fb.md"]),
    "unclosed bracket": (b"u[ab.md\n", ["u[ab.md", "ua.md", "u.md"]),
    "double leading slash": (b"//a.md\n", ["a.md"]),
    "trailing backslash": (b"t\\\n", ["t", "t\\"]),
    "escaped question mark": (b"q\\?.md\nr\\\\?.md\n", ["q?.md", "qx.md", "r\\x.md", "r?.md"]),
    "undecodable byte": (b"caf\xe9.md\n", ["caf\udce9.md", "cafe.md"]),
    "many stars": (b"*a*a*a*b\n", ["aaab", "xaxaxab", "aab", "aaaa"]),
}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to compare with")
@pytest.mark.parametrize("case", sorted(AS_GIT_READS_IT))
def test_the_file_is_read_as_git_reads_it(case: str, tmp_path: Path) -> None:
    content, names = AS_GIT_READS_IT[case]
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "home").mkdir()
    git(root, "init", "-q")
    (root / ".gitignore").write_bytes(content)
    matcher = GitIgnore()
    for name in names:
        path = os.path.join(os.fsencode(root), os.fsencode(name))
        Path(os.fsdecode(path)).write_text(ARTICLE, encoding="utf-8")
        by_git = subprocess.run(
            ["git", "check-ignore", "-q", "--", name],
            cwd=root,
            env={"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path / "home")},
            capture_output=True,
        ).returncode
        assert by_git in (0, 1)
        assert matcher.ignored(os.fsdecode(path)) == (by_git == 0), (case, name)


def test_a_gitignore_that_is_no_regular_file_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    os.symlink("/dev/zero", tmp_path / ".gitignore")
    assert not GitIgnore().ignored(str(tmp_path / "a.md"))
    os.unlink(tmp_path / ".gitignore")
    os.mkfifo(tmp_path / ".gitignore")
    assert not GitIgnore().ignored(str(tmp_path / "a.md"))


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to compare with")
def test_a_gitignore_that_is_a_link_is_not_followed_but_info_exclude_is(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "home").mkdir()
    git(root, "init", "-q")
    (tmp_path / "outside").write_text("a.md\nb.md\n", encoding="utf-8")
    (root / ".gitignore").symlink_to(tmp_path / "outside")
    for name in ("a.md", "b.md"):
        (root / name).write_text(ARTICLE, encoding="utf-8")
    (root / ".git" / "info").mkdir(exist_ok=True)
    (root / ".git" / "info" / "exclude").unlink(missing_ok=True)
    (tmp_path / "exclude").write_text("b.md\n", encoding="utf-8")
    (root / ".git" / "info" / "exclude").symlink_to(tmp_path / "exclude")
    listed = git(root, "ls-files", "--others", "--ignored", "--exclude-standard")
    assert listed.split() == ["b.md"]
    matcher = GitIgnore()
    assert [name for name in ("a.md", "b.md") if matcher.ignored(str(root / name))] == ["b.md"]


def test_stars_match_in_linear_time(tmp_path: Path) -> None:
    """``*a*a…*b`` against a name of 60 a's backtracked for minutes with a plain regex."""
    script = (
        "import sys\n"
        "from lint.files.gitignore import parse_line\n"
        "pattern = parse_line('*a*a*a*a*a*a*a*a*a*a*a*a*b')\n"
        "name = 'a' * 60\n"
        "assert pattern is not None\n"
        "assert not pattern.regex.match(name) and pattern.regex.match(name + 'b')\n"
        "assert not pattern.regex.match('a' * 5000 + 'c')\n"
    )
    started = time.monotonic()
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)
    assert time.monotonic() - started < 5


def test_a_folder_named_on_the_command_line_is_linted_though_git_ignores_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 12 item 11: as ripgrep does, a named folder is walked even when ignored; what
    git ignores inside it stays ignored."""
    monkeypatch.chdir(repo)
    assert lint_json("build") == ["build/a.md"]
    assert lint_json("build/") == ["build/a.md"]
    assert "nested/deeper/local.md" not in lint_json("nested")


def test_a_run_that_lints_no_file_says_so(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    (repo / "empty").mkdir()
    result = CliRunner().invoke(main, ["--no-cache", "empty"])
    assert result.exit_code == 0
    assert "No problems found." not in result.stdout
    assert result.stdout == "No files linted.\n"
    assert "no Markdown files to lint in empty" in result.stderr
