"""Hostile file names and article text in reports (issue: hostile repositories).

A file name that is not UTF-8 must not break any format (every report is valid UTF-8 and
parses), and control characters from names or article text must not reach a terminal or
forge a report line in the formats people and CI read line by line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from lint.reporters import FORMATS

SCHEMA = Path(__file__).parent / "data" / "sarif-2.1.0.json"
ARTICLE = '---\ntitle: x\n---\n<p style="color:red">\x1b[31mred\x1b[0m text</p>\n'


def contentlint(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "lint", "--no-cache", "--exit-zero", *args, "."],
        cwd=folder,
        capture_output=True,
        check=False,
    )


@pytest.fixture
def latin1_name(tmp_path: Path) -> Path:
    name = b"caf\xe9.md"
    try:
        (tmp_path / os.fsdecode(name)).write_text(ARTICLE, encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take names that are not UTF-8")
    return tmp_path


@pytest.mark.parametrize("output_format", sorted(FORMATS))
def test_reports_are_utf8_whatever_the_file_names(latin1_name: Path, output_format: str) -> None:
    result = contentlint(latin1_name, "--output-format", output_format)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr
    text = result.stdout.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    assert "caf" in text
    if output_format in ("json", "gitlab", "sarif"):
        json.loads(text)
    if output_format == "json-lines":
        rows = [json.loads(line) for line in text.splitlines()]
        assert {row["path"] for row in rows} == {"./caf\\xe9.md"}


def test_json_shows_an_undecodable_byte_as_a_backslash_escape(latin1_name: Path) -> None:
    rows = json.loads(contentlint(latin1_name, "--output-format", "json").stdout)
    assert {row["path"] for row in rows} == {"./caf\\xe9.md"}


def test_sarif_percent_encodes_the_bytes_of_the_name(latin1_name: Path) -> None:
    log = json.loads(contentlint(latin1_name, "--output-format", "sarif").stdout)
    jsonschema.validate(log, json.loads(SCHEMA.read_text()))
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"caf%E9.md"}


@pytest.mark.parametrize("output_format", ["text", "concise", "github"])
def test_control_characters_never_reach_the_terminal(tmp_path: Path, output_format: str) -> None:
    forged = "x.md:1:1: forged [*] finding"
    name = f"a\x1b[2J\rb\n{forged}.md"
    (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    result = contentlint(tmp_path, "--output-format", output_format)
    out = result.stdout.decode("utf-8")
    assert "\x1b" not in out
    assert "\r" not in out
    assert "\\x1b[2J" in out  # shown, escaped
    # Each finding's headline starts a line with the (escaped) name: no line starts with
    # the forged text, and the name never splits a line.
    assert not any(line.startswith(forged) for line in out.splitlines())


def test_text_excerpt_keeps_the_caret_under_the_column_after_escaping(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text(
        '---\ntitle: x\n---\n\x1b[1m <p style="color:red">x</p>\n', encoding="utf-8"
    )
    out = contentlint(tmp_path, "--select", "inline-style").stdout.decode("utf-8")
    excerpt, caret = out.splitlines()[1:3]
    assert excerpt.strip().startswith("\\x1b[1m")
    assert excerpt[caret.index("^") :].startswith("style=")
