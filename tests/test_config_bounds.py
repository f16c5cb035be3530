"""What a repository's configuration can ask of a run is bounded: rule and configuration
files are regular files of bounded size, patterns compile in bounded memory, message
widths are bounded, fixes cannot grow a file without end, and a rule that raises while
fixing is an error rather than "nothing left to fix".

Each attack runs the real command in a subprocess with an address-space limit and a
timeout, so that today's unbounded behaviour fails the test instead of taking the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lint.engine.findings import Edit, Finding, Fix
from lint.engine.fixer import FixError, fix_text
from lint.engine.linter import RuleFailure
from lint.engine.rules import RuleError, load_rule, pattern_weight

ARTICLE = "---\ntitle: T\n---\n\nSome prose with a word in it.\n"
MEMORY_LIMIT = 1024 * 1024 * 1024


def rule_yaml(**fields: str) -> str:
    base = {
        "id": "probe",
        "kind": "text",
        "message": "found {match}",
        "description": "A test rule.",
        "pattern": "word",
    }
    base.update(fields)
    return "".join(f"{key}: {value}\n" for key, value in base.items())


def limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def contentlint(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The command in ``folder``, with 1 GiB of address space and 60 s at most."""
    return subprocess.run(
        [sys.executable, "-m", "lint", *args, "--no-cache"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limited,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "myrules").mkdir()
    (tmp_path / ".contentlint.yaml").write_text("rules-dirs: [myrules]\n", encoding="utf-8")
    return tmp_path


def assert_refused(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in result.stderr


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "large"])
def test_a_rule_file_that_is_no_regular_file_or_too_large_is_an_error_at_once(
    repo: Path, target: str
) -> None:
    link = repo / "myrules" / "bad.yaml"
    if target == "fifo":
        os.mkfifo(link)
        expected = "not a regular file"
    elif target == "large":
        link.write_text(rule_yaml() + "#" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
        expected = "too large"
    else:
        if not os.path.exists(target):
            pytest.skip(f"no {target}")
        link.symlink_to(target)
        expected = "not a regular file"
    started = time.monotonic()
    assert_refused(contentlint(repo, "a.md"), "bad.yaml", expected)
    assert time.monotonic() - started < 30


def test_a_configuration_file_that_is_a_fifo_is_an_error(repo: Path) -> None:
    os.mkfifo(repo / "fifo.yaml")
    assert_refused(contentlint(repo, "a.md", "--config", "fifo.yaml"), "not a regular file")


def test_a_pattern_that_explodes_when_compiled_is_refused(repo: Path) -> None:
    bomb = "'(?:(?:(?:a{1000}){1000}){1000}){1000}'"
    (repo / "myrules" / "bomb.yaml").write_text(rule_yaml(pattern=bomb), encoding="utf-8")
    assert_refused(contentlint(repo, "a.md"), "bomb.yaml", "repeats too much")


def test_a_pattern_bomb_in_the_configuration_is_refused(repo: Path) -> None:
    (repo / "myrules" / "ok.yaml").write_text(rule_yaml(), encoding="utf-8")
    (repo / ".contentlint.yaml").write_text(
        "rules-dirs: [myrules]\nrules: {probe: {pattern: '(?:a{100000}){100000}'}}\n",
        encoding="utf-8",
    )
    assert_refused(contentlint(repo, "a.md"), "probe", "repeats too much")


def test_a_huge_message_width_is_refused_at_load(repo: Path) -> None:
    (repo / "myrules" / "wide.yaml").write_text(
        rule_yaml(message="'{match:>200000000}'"), encoding="utf-8"
    )
    assert_refused(contentlint(repo, "a.md"), "wide.yaml", "width")


@pytest.mark.parametrize(
    ("message", "accepted"),
    [
        ("'{match:>40}'", True),
        ("'{match:.1000}'", True),
        ("'{match:.1001}'", False),
        ("'{match:{match}}'", False),
    ],
)
def test_message_widths(tmp_path: Path, message: str, accepted: bool) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(rule_yaml(message=message), encoding="utf-8")
    if accepted:
        load_rule(str(path))
    else:
        with pytest.raises(RuleError, match="message"):
            load_rule(str(path))


@pytest.mark.parametrize(
    ("pattern", "weight"),
    [
        ("word", 4),
        (r"\d{4}-\d{2}-\d{2}", 10),
        ("(?:ab){3}", 12),  # "?:" counts too: more than the real cost, never less
        ("[{]{5}", 5),
        (r"\{1000}", 6),
        (r"\p{Han}{3}", 3),
        ("(?:a+){1000}", 4000),
        ("(?:(?:a{1000}){1000}){1000}", 1_002_002_000),
    ],
)
def test_pattern_weight(pattern: str, weight: int) -> None:
    assert pattern_weight(pattern) == weight


def test_bundled_rules_are_far_from_the_bounds() -> None:
    from lint.engine.config import Config, configured_rules

    assert configured_rules(Config())  # every bundled rule loads under the bounds


def test_a_fix_that_keeps_growing_the_file_is_refused(repo: Path) -> None:
    """``replace`` with the match repeated doubles the text every pass: 1.25 GB before."""
    (repo / "myrules" / "grow.yaml").write_text(
        rule_yaml(pattern="'[a-z]+'", replacement="'\\g<0>\\g<0>\\g<0>\\g<0>'")
        + "fix: {action: replace, safe: true}\n",
        encoding="utf-8",
    )
    (repo / "a.md").write_text(ARTICLE + "word " * 20_000 + "\n", encoding="utf-8")
    before = (repo / "a.md").read_bytes()
    result = contentlint(repo, "a.md", "--fix", "--select", "probe")
    assert_refused(result, "'probe'", "grow the file")
    assert (repo / "a.md").read_bytes() == before


def finding(start: int, end: int, replacement: str, rule: str = "grow") -> Finding:
    return Finding(
        path="a.md",
        rule=rule,
        severity="warning",
        message="m",
        start=start,
        end=end,
        line=1,
        column=1,
        end_line=1,
        end_column=1,
        fix=Fix((Edit(start, end, replacement),), safe=True),
    )


def test_growth_is_checked_before_the_text_is_built() -> None:
    built = []

    def lint(text: str) -> list[Finding]:
        built.append(len(text))
        return [finding(0, 1, "x" * 10_000_000)] if text.startswith("a") else []

    with pytest.raises(FixError, match="'grow' would grow the file"):
        fix_text("a" * 100, lint)
    assert built == [100]


def test_a_rule_that_raises_while_fixing_is_an_error_not_settled() -> None:
    """The second pass raises (MemoryError, say): its findings are missing, which looked
    like "nothing left to fix" and wrote the half-fixed text."""
    failures: list[RuleFailure] = []

    def lint(text: str) -> list[Finding]:
        if text == "ab":
            return [finding(0, 1, "", rule="first")]
        failures.append(RuleFailure("a.md", "second", "MemoryError: "))
        return []

    with pytest.raises(FixError, match="'second' failed while fixing: MemoryError"):
        fix_text("ab", lint, failures=failures)
