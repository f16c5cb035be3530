"""A file that is UTF-8 except for a few damaged sequences is linted by every rule, named
right by the ``encoding`` rule, and never written by ``--fix`` (nor on standard input).

The article is a real Hexo post of the RSS robot (shared/corpus/rsshub-page/
efb29c41533e66b2.md) with the last byte of three characters replaced by "?", as the
Hexo blog of republished WeChat posts in issue 13 has two thirds of its posts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import corpus_dir

from lint.cli import main
from lint.document.source import decode

ARTICLE = corpus_dir() / "rsshub-page" / "efb29c41533e66b2.md"
pytestmark = pytest.mark.skipif(not ARTICLE.is_file(), reason="corpus not found")


def damaged() -> bytes:
    """The article with the last byte of three characters replaced by "?"."""
    data = ARTICLE.read_bytes()
    for character in ("局", "豪", "股"):
        start = data.index(character.encode())
        end = start + len(character.encode())
        data = data[: end - 1] + b"?" + data[end:]
    return data


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, bytes]:
    result = CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr, result.stdout_bytes


def test_every_rule_lints_a_damaged_file_as_it_lints_the_intact_one(tmp_path: Path) -> None:
    intact, broken = tmp_path / "intact.md", tmp_path / "broken.md"
    intact.write_bytes(ARTICLE.read_bytes())
    broken.write_bytes(damaged())
    options = ("check", "--no-cache", "--output-format", "concise", "--exit-zero")
    _, intact_report, _ = run(*options, str(intact))
    _, broken_report, _ = run(*options, str(broken))

    def rules(report: str, name: str) -> list[str]:
        lines = [line for line in report.splitlines() if line.startswith(name)]
        return [line.split(" ")[1] for line in lines]

    found = rules(broken_report, str(broken))
    assert found.count("encoding") == 1
    assert (
        found.count("replacement-character")
        == rules(intact_report, str(intact)).count("replacement-character") + 3
    )
    others = [rule for rule in found if rule not in ("encoding", "replacement-character")]
    expected = [
        rule
        for rule in rules(intact_report, str(intact))
        if rule not in ("encoding", "replacement-character")
    ]
    assert others == expected
    assert len(expected) > 3  # the robot's tracking markup and styles are found
    line = next(line for line in broken_report.splitlines() if " encoding " in line)
    assert ":3:" in line  # the title's 局
    assert "UTF-8 with 3 damaged byte sequences" in line
    assert "iconv" not in line
    assert "Latin-1" not in line


def test_fix_never_writes_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.md"
    data = damaged()
    path.write_bytes(data)
    code, output, _ = run("check", "--no-cache", "--fix", "--unsafe-fixes", str(path))
    assert path.read_bytes() == data
    assert "not fixed: the file is UTF-8 with damaged byte sequences" in output
    assert code == 2
    code, output, _ = run("check", "--no-cache", "--diff", str(path))
    assert path.read_bytes() == data
    assert "not fixed" in output


def test_fix_of_damaged_standard_input_gives_it_back_unchanged() -> None:
    data = damaged()
    _, _, output = run("check", "--fix", "--stdin-filename", "post.md", "-", stdin=data)
    assert output == data


def test_the_damaged_text_has_a_replacement_character_at_each_cut() -> None:
    source = decode(str(ARTICLE), damaged())
    assert source.problem is None
    assert source.damage is not None
    assert source.text.count("\ufffd") == ARTICLE.read_text(encoding="utf-8").count("\ufffd") + 3
