"""``contentlint check -``: standard input, for editors and pipes.

With ``--fix`` the fixed text goes to stdout byte for byte (BOM and CRLF kept) and the
report to stderr, as ``ruff check --fix -`` does; ``--stdin-filename`` names the text for
configuration, per-file-ignores and messages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from support import SEED

from lint.cli import main

ARTICLE = (
    "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\n"
    '<p style="a">Text</p>\n<!-- news_keyword_pub,stock,sz300959 -->\n'
)
# The comment stood alone on its line: the fix removes the line with it.
FIXED = "---\ntitle: T\ndate: 2021-09-01\nauthor: A\ncategories: [news]\n---\n\n<p>Text</p>\n"


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(data: bytes | str, *args: str) -> Result:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return CliRunner().invoke(main, ["check", *args], input=data, catch_exceptions=False)


def test_check_reads_stdin() -> None:
    result = run(ARTICLE, "-", "--output-format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert [(f["path"], f["rule"], f["line"]) for f in findings] == [
        ("-", "inline-style", 8),
        ("-", "tracking-comment", 9),
    ]


def test_stdin_filename_names_the_text_in_messages() -> None:
    result = run(ARTICLE, "-", "--stdin-filename", "posts/a.md", "--output-format", "concise")
    assert result.stdout.startswith("posts/a.md:8:4: inline-style [*] ")


def test_stdin_filename_selects_the_configuration_and_per_file_ignores() -> None:
    Path("site/posts").mkdir(parents=True)
    Path("site/.contentlint.yaml").write_text(
        "per-file-ignores:\n  'posts/*': [inline-style]\n", encoding="utf-8"
    )
    result = run(ARTICLE, "-", "--stdin-filename", "site/posts/a.md", "--output-format", "json")
    assert [f["rule"] for f in json.loads(result.stdout)] == ["tracking-comment"]
    elsewhere = run(ARTICLE, "-", "--stdin-filename", "other/a.md", "--output-format", "json")
    assert [f["rule"] for f in json.loads(elsewhere.stdout)] == [
        "inline-style",
        "tracking-comment",
    ]


def test_fix_prints_the_fixed_text_and_reports_on_stderr() -> None:
    result = run(ARTICLE, "-", "--fix")
    assert result.stdout == FIXED
    assert result.stderr.strip() == "Fixed 2 problems. No problems found."
    assert result.exit_code == 0


def test_fix_keeps_bom_and_crlf_exactly() -> None:
    data = b"\xef\xbb\xbf" + ARTICLE.replace("\n", "\r\n").encode("utf-8")
    result = run(data, "-", "--fix")
    assert result.stdout_bytes == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode("utf-8")


def test_fix_of_a_clean_or_undecodable_text_gives_it_back_unchanged() -> None:
    clean = FIXED.encode("utf-8")
    assert run(clean, "-", "--fix").stdout_bytes == clean
    latin1 = ARTICLE.replace("Text", "Caf\xe9").encode("latin-1")
    result = run(latin1, "-", "--fix", "--output-format", "json")
    assert result.stdout_bytes == latin1
    assert result.exit_code == 1
    assert "encoding" in result.stderr


def test_fix_with_remaining_findings_fails_and_reports_them_on_stderr() -> None:
    text = ARTICLE.replace("date: 2021-09-01\n", "")
    result = run(text, "-", "--fix", "--output-format", "json")
    assert result.exit_code == 1
    assert result.stdout == FIXED.replace("date: 2021-09-01\n", "")
    assert [f["rule"] for f in json.loads(result.stderr)] == ["missing-field"]


def test_diff_of_stdin() -> None:
    result = run(ARTICLE, "-", "--diff")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/-\n+++ b/-\n")
    assert '\n-<p style="a">Text</p>\n' in result.stdout
    assert "\n+<p>Text</p>\n" in result.stdout


def test_stdin_cannot_be_mixed_with_paths() -> None:
    Path("a.md").write_text(ARTICLE, encoding="utf-8")
    result = run(ARTICLE, "-", "a.md")
    assert result.exit_code == 2
    assert "cannot be mixed" in result.stderr


def test_stdin_through_a_real_pipe() -> None:
    """The installed entry point, with real stdin and stdout (no test runner in between)."""
    process = subprocess.run(
        [sys.executable, "-m", "lint", "check", "-", "--fix", "--unsafe-fixes", "-q"],
        input=SEED.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    assert b"cms-style" not in process.stdout
    assert process.stdout.startswith(b"---\n")
    assert process.stderr == b""
