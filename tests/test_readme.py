"""The README stays true: its rules table is generated from the rules, its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from lint.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
TABLE = re.compile(r"<!-- rules-table:start -->\n(.*?)<!-- rules-table:end -->", re.DOTALL)


def generated_table() -> str:
    result = CliRunner().invoke(main, ["rules", "--all", "--output-format", "markdown"])
    assert result.exit_code == 0, result.output
    return result.output


def test_rules_table_is_in_sync() -> None:
    """Regenerate with: python tests/test_readme.py"""
    match = TABLE.search(README.read_text(encoding="utf-8"))
    assert match is not None
    assert match.group(1) == generated_table()


def test_readme_opens_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    commands = re.findall(r"^python3 -m venv \.venv && .*$", text, re.MULTILINE)
    assert len(commands) >= 2
    assert commands[0].endswith("contentlint seeds/")
    assert "pytest" in commands[1]
    assert any(path.suffix == ".md" for path in (ROOT / "seeds").iterdir())


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    table = f"<!-- rules-table:start -->\n{generated_table()}<!-- rules-table:end -->"
    README.write_text(TABLE.sub(lambda _: table, text), encoding="utf-8")


def test_kinds_table_names_every_kind_and_option() -> None:
    from lint.engine.kinds import KINDS

    rows = {
        line.split("|")[1].strip(" `"): line
        for line in README.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    }
    for name, kind in KINDS.items():
        assert name in rows, f"README's kinds table has no row for {name!r}"
        for option in kind.options:
            assert f"`{option}`" in rows[name], f"README: option {option!r} of kind {name!r}"
        for action in kind.fix_actions:
            assert action in rows[name].split("|")[4], f"README: fix {action!r} of {name!r}"
