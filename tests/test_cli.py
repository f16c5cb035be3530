"""The ``contentlint`` command line: commands, exit codes, report formats and fixing.

Every test works on copies of the seed article (a Sina Finance page copied by a
feed robot) in a temporary folder, and runs from that folder so that no
configuration file of the checkout is picked up.
"""

from __future__ import annotations

import difflib
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from support import CLEAN_ARTICLE, JSON_KEYS, SEED, SEED_COUNTS

from lint.cli import main
from lint.engine.rules import bundled_rules_dir
from lint.run import colour_for as _colour

# How fixing the seed must change it, rule by rule: (rule, pattern, replacement, matches).
# Everything else in the file must stay byte for byte. The stock-keyword span is
# unwrapped together with its link, whose tag carries the tracking attribute.
SEED_FIXES = [
    ("front-matter-position", r"\A\n(?=---\n)", "", 1),
    ("stock-keyword-span", r'<span id="stock_\w+"><a [^>]*>([^<]*)</a></span>', r"\1", 1),
    ("stock-quote-placeholder", r'<span id="quote_\w+"></span>', "", 1),
    ("inline-style", r' cms-style="[^"]*"', "", 49),
    ("tracking-comment", r"<!--.*?-->", "", 11),
    ("style-block", r"<style>.*?</style>", "", 1),
]
UNSAFE_SEED_FIXES = [
    ("promo-block", r'<div class="clearfix appendQr_wrap">.*?</div>\s*</div>', "", 1),
]

CliArgs = Callable[[Path, Path, Path], list[object]]


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    path.write_bytes(SEED.read_bytes())
    return path


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    path = tmp_path / "clean.md"
    path.write_text(CLEAN_ARTICLE, encoding="utf-8")
    return path


def run(*args: object) -> Result:
    """Run ``contentlint`` in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def run_json(*args: object) -> tuple[int, list[dict[str, Any]]]:
    result = run(*args, "--output-format", "json")
    return result.exit_code, json.loads(result.stdout)


def counts(findings: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(finding["rule"] for finding in findings))


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def write_rule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


TODO_RULE = """\
id: todo-comment
kind: comment
severity: info
message: "editor's note left in the article: <!--{comment}-->"
description: |
  Finds TODO notes that editors leave in HTML comments.
patterns: ['\\bTODO\\b']
fix: {action: remove, safe: true}
"""


# --- commands and exit codes ----------------------------------------------------------


def test_default_command_is_check(seed: Path) -> None:
    implicit, explicit = run(seed), run("check", seed)
    assert implicit.exit_code == explicit.exit_code == 1
    assert implicit.stdout == explicit.stdout
    assert implicit.stdout.startswith(f"{seed}:1:1: front-matter-position")


@pytest.mark.parametrize(
    ("make_args", "expected"),
    [
        pytest.param(lambda seed, clean, tmp: [clean], 0, id="clean-file"),
        pytest.param(lambda seed, clean, tmp: [seed], 1, id="seed"),
        pytest.param(lambda seed, clean, tmp: [seed, clean], 1, id="seed-and-clean"),
        pytest.param(lambda seed, clean, tmp: [tmp], 1, id="folder"),
        pytest.param(lambda seed, clean, tmp: [tmp / "missing.md"], 2, id="missing-path"),
        pytest.param(lambda seed, clean, tmp: [clean, tmp / "missing.md"], 2, id="one-missing"),
        pytest.param(
            lambda seed, clean, tmp: [seed, "--select", "no-such-rule"], 2, id="unknown-select"
        ),
        pytest.param(
            lambda seed, clean, tmp: [seed, "--ignore", "inline-style,nope"], 2, id="unknown-ignore"
        ),
        pytest.param(
            lambda seed, clean, tmp: [seed, "--rules-dir", tmp / "nowhere"],
            2,
            id="missing-rules-dir",
        ),
        pytest.param(lambda seed, clean, tmp: [seed, "--output-format", "xml"], 2, id="bad-format"),
        pytest.param(lambda seed, clean, tmp: ["explain", "no-such-rule"], 2, id="explain-unknown"),
    ],
)
def test_exit_codes(
    make_args: CliArgs, expected: int, seed: Path, clean: Path, tmp_path: Path
) -> None:
    assert run(*make_args(seed, clean, tmp_path)).exit_code == expected


@pytest.mark.parametrize(
    ("make_args", "fragment"),
    [
        (lambda tmp: [tmp / "missing.md"], "missing.md: error: no such file"),
        (lambda tmp: [tmp, "--select", "no-such-rule"], "unknown rule id 'no-such-rule'"),
        (lambda tmp: [tmp, "--rules-dir", tmp / "nowhere"], "nowhere: rules folder not found"),
        (lambda tmp: ["explain", "no-such-rule"], "unknown rule 'no-such-rule'"),
    ],
)
def test_errors_are_explained_on_stderr(
    make_args: Callable[[Path], list[object]], fragment: str, tmp_path: Path
) -> None:
    result = run(*make_args(tmp_path))
    assert result.exit_code == 2
    assert fragment in result.stderr
    assert "Traceback" not in result.output


# --- report formats -------------------------------------------------------------------


def test_text_report_format(seed: Path) -> None:
    result = run(seed)
    _, findings = run_json(seed)
    lines = result.stdout.splitlines()
    header = re.compile(
        r"(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<rule>[a-z0-9-]+)"
        r"(?: \[(?P<marker>\*\*?)\])? (?P<message>.+)"
    )
    headers = [match.groupdict() for line in lines if (match := header.fullmatch(line))]
    markers = {"safe": "*", "unsafe": "**", None: None}
    assert headers == [
        {
            "path": str(seed),
            "line": str(finding["line"]),
            "column": str(finding["column"]),
            "rule": finding["rule"],
            "marker": markers[finding["fixable"]],
            "message": finding["message"],
        }
        for finding in findings
    ]
    assert lines[-1].startswith("Found 66 problems in 1 file.")


def test_text_report_shows_the_line_and_a_caret(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    line_number, column = position(text, text.index("<style>"))
    lines = run(seed).stdout.splitlines()
    at = lines.index(
        f"{seed}:{line_number}:{column}: style-block [*] <style> block in the article body"
    )
    source_line = text.splitlines()[line_number - 1]
    assert lines[at + 1] == "    " + source_line
    assert lines[at + 2] == "    " + " " * (column - 1) + "^"


def test_json_report_keys_and_counts(seed: Path) -> None:
    code, findings = run_json(seed)
    assert code == 1
    assert all(set(finding) == set(JSON_KEYS) for finding in findings)
    assert counts(findings) == SEED_COUNTS
    assert {finding["path"] for finding in findings} == {str(seed)}
    assert {finding["fixable"] for finding in findings} == {"safe", "unsafe"}
    assert all(finding["severity"] == "warning" for finding in findings)


@pytest.mark.parametrize(
    ("rule", "start", "end"),
    [
        ("front-matter-position", "\n---", "\n"),  # the blank line before the front matter
        ("stock-keyword-span", '<span id="stock_sz300959">', "线上线下</a></span>"),
        ("tracking-attribute", 'data-sudaclick="', 'content_marketkeywords_p"'),
        ("stock-quote-placeholder", '<span id="quote_sz300959">', '"quote_sz300959"></span>'),
        ("style-block", "<style>", "</style>"),
        ("promo-block", '<div class="clearfix appendQr_wrap">', "APP</div>\n            </div>"),
    ],
)
def test_json_positions_match_the_file(seed: Path, rule: str, start: str, end: str) -> None:
    text = seed.read_text(encoding="utf-8")
    _, findings = run_json(seed, "--select", rule)
    (finding,) = findings
    assert (finding["line"], finding["column"]) == position(text, text.index(start))
    assert (finding["end_line"], finding["end_column"]) == position(
        text, text.index(end) + len(end)
    )


def test_json_positions_of_comments(seed: Path) -> None:
    text = seed.read_text(encoding="utf-8")
    _, findings = run_json(seed, "--select", "tracking-comment")
    starts = [position(text, match.start()) for match in re.finditer("<!--", text)]
    assert [(finding["line"], finding["column"]) for finding in findings] == starts


def test_json_for_a_clean_file_is_an_empty_list(clean: Path) -> None:
    assert run_json(clean) == (0, [])


# --- selecting rules ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--select", "inline-style"], {"inline-style"}),
        (["--select", "inline-style,tracking-comment"], {"inline-style", "tracking-comment"}),
        (["--select", " style-block , promo-block "], {"style-block", "promo-block"}),
        (["--select", "style-block", "--select", "promo-block"], {"style-block", "promo-block"}),
        (
            ["--ignore", "inline-style,tracking-comment"],
            set(SEED_COUNTS) - {"inline-style", "tracking-comment"},
        ),
        (
            ["--ignore", "inline-style", "--ignore", "promo-block"],
            set(SEED_COUNTS) - {"inline-style", "promo-block"},
        ),
        (["--select", "inline-style,style-block", "--ignore", "inline-style"], {"style-block"}),
        (["--select", "missing-field"], set()),
    ],
)
def test_select_and_ignore(seed: Path, options: list[str], expected: set[str]) -> None:
    code, findings = run_json(seed, *options)
    assert counts(findings) == {rule: SEED_COUNTS[rule] for rule in expected}
    assert code == (1 if expected else 0)


# --- fixing ---------------------------------------------------------------------------


def test_fix_leaves_only_the_unsafe_promo_block(seed: Path) -> None:
    result = run(seed, "--fix")
    assert result.exit_code == 1
    assert "promo-block [**]" in result.stdout
    assert "Fixed " in result.stdout
    code, findings = run_json(seed)
    assert code == 1
    assert [(f["rule"], f["fixable"]) for f in findings] == [("promo-block", "unsafe")]


def test_fix_report_is_what_is_left(seed: Path) -> None:
    code, findings = run_json(seed, "--fix")
    assert code == 1
    assert [(f["rule"], f["fixable"]) for f in findings] == [("promo-block", "unsafe")]
    text = seed.read_text(encoding="utf-8")
    assert (findings[0]["line"], findings[0]["column"]) == position(
        text, text.index('<div class="clearfix appendQr_wrap">')
    )


def test_fix_with_unsafe_fixes_leaves_nothing(seed: Path) -> None:
    result = run(seed, "--fix", "--unsafe-fixes")
    assert result.exit_code == 0
    assert "No problems found." in result.stdout
    assert run_json(seed) == (0, [])


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_fix_removes_only_the_defects(seed: Path, unsafe: bool) -> None:
    original = seed.read_text(encoding="utf-8")
    run(seed, "--fix", *(["--unsafe-fixes"] if unsafe else []))
    fixed = seed.read_text(encoding="utf-8")

    expected = original
    mark = "\x00"  # where a fix edited: a line it left holding only white space goes
    for rule, pattern, replacement, matches in SEED_FIXES + UNSAFE_SEED_FIXES * unsafe:
        expected, found = re.subn(pattern, mark + replacement, expected, flags=re.DOTALL)
        assert found == matches, f"{rule}: the pattern of the test found {found}"
    lines = expected.splitlines(keepends=True)
    emptied = [mark in line and not line.replace(mark, "").strip() for line in lines]
    expected = "".join(line for line, gone in zip(lines, emptied, strict=True) if not gone)
    expected = expected.replace(mark, "")
    difference = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True), fixed.splitlines(keepends=True), "expected", "fixed"
        )
    )
    assert fixed == expected, difference
    assert "注册线上线下参展参会" in fixed
    assert ("海量资讯" in fixed) is not unsafe


def test_diff_prints_the_fix_and_writes_nothing(seed: Path, tmp_path: Path) -> None:
    before = seed.read_bytes()
    stat_before = seed.stat()
    result = run(seed, "--diff")
    assert result.exit_code == 1
    assert seed.read_bytes() == before
    assert seed.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert sorted(path.name for path in tmp_path.iterdir()) == ["article.md"]

    run(seed, "--fix")
    expected = difflib.unified_diff(
        before.decode("utf-8").splitlines(keepends=True),
        seed.read_text(encoding="utf-8").splitlines(keepends=True),
        f"a/{seed}",
        f"b/{seed}",
    )
    assert result.stdout == "".join(expected)
    assert result.stdout.startswith(f"--- a/{seed}\n+++ b/{seed}\n@@ -1,")
    assert '-<p cms-style="font-L">' in result.stdout


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ([], 1),
        (["--unsafe-fixes"], 1),
        (["--select", "promo-block"], 0),  # its only fix is unsafe
        (["--select", "promo-block", "--unsafe-fixes"], 1),
        (["--select", "missing-field"], 0),
    ],
)
def test_diff_exit_code_says_whether_anything_would_change(
    seed: Path, clean: Path, options: list[str], expected: int
) -> None:
    assert run(clean, "--diff", *options).exit_code == 0
    result = run(seed, "--diff", *options)
    assert result.exit_code == expected
    assert bool(result.stdout) is bool(expected)


@pytest.mark.parametrize(
    ("options", "with_seed"),
    [
        (["--fix"], False),
        (["--fix", "--unsafe-fixes"], False),
        # Only promo-block, whose fix is unsafe: --fix alone has nothing to apply.
        (["--fix", "--select", "promo-block"], True),
        (["--fix", "--select", "missing-field"], True),
    ],
)
def test_files_without_applicable_fixes_are_never_rewritten(
    seed: Path, clean: Path, options: list[str], with_seed: bool
) -> None:
    targets = [clean, seed] if with_seed else [clean]
    before = {
        path: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes()) for path in targets
    }
    run(*targets, *options)
    after = {
        path: (path.stat().st_ino, path.stat().st_mtime_ns, path.read_bytes()) for path in targets
    }
    assert after == before


# --- rules and explain ----------------------------------------------------------------


def bundled_rules() -> list[dict[str, Any]]:
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(Path(bundled_rules_dir()).glob("*.yaml"))
    ]


def test_rules_lists_every_bundled_rule() -> None:
    result = run("rules")
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    expected = {
        rule["id"]: [
            rule["id"],
            rule.get("pack", "core"),
            rule["kind"],
            rule.get("severity", "warning"),
            "-" if "fix" not in rule else ("safe" if rule["fix"]["safe"] else "unsafe"),
        ]
        for rule in bundled_rules()
        if rule.get("enabled", True)
    }
    # Built in (its findings depend on every other rule's): see tests/test_suppressions.py.
    expected["unused-suppression"] = ["unused-suppression", "core", "suppression", "warning", "-"]
    assert set(SEED_COUNTS) <= set(expected)
    assert rows == expected


@pytest.mark.parametrize("rule", bundled_rules(), ids=lambda rule: rule["id"])
def test_explain_prints_the_description(rule: dict[str, Any]) -> None:
    result = run("explain", rule["id"])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"# {rule['id']}\n")
    assert f"kind: {rule['kind']}" in result.stdout
    assert rule["description"].strip() in result.stdout


def test_explain_inline_style() -> None:
    result = run("explain", "inline-style")
    assert result.exit_code == 0
    assert "cms-style" in result.stdout
    assert "Fix: removes the attribute" in result.stdout
    assert "fix: yes (safe)" in result.stdout


# --- user rules -----------------------------------------------------------------------


def test_rules_dir_adds_a_user_rule(tmp_path: Path, clean: Path) -> None:
    rules = tmp_path / "my-rules"
    write_rule(rules, "todo-comment.yaml", TODO_RULE)
    clean.write_text(CLEAN_ARTICLE + "\n<!-- TODO: check the figures -->\n", encoding="utf-8")

    code, findings = run_json(clean, "--rules-dir", rules)
    assert code == 1
    assert [(f["rule"], f["severity"], f["line"], f["column"]) for f in findings] == [
        ("todo-comment", "info", CLEAN_ARTICLE.count("\n") + 2, 1)
    ]
    assert findings[0]["message"] == (
        "editor's note left in the article: <!--TODO: check the figures-->"
    )
    assert "todo-comment" in run("rules", "--rules-dir", rules).stdout
    explained = run("explain", "todo-comment", "--rules-dir", rules)
    assert "Finds TODO notes" in explained.stdout

    assert run(clean, "--rules-dir", rules, "--fix").exit_code == 0
    # The comment stood alone on its line: the fix removes the line with it.
    assert clean.read_text(encoding="utf-8") == CLEAN_ARTICLE + "\n"
    assert run(clean).exit_code == 0  # without the folder the rule does not exist


def test_user_rule_with_a_bundled_id_is_an_error(tmp_path: Path, clean: Path) -> None:
    rules = tmp_path / "my-rules"
    path = write_rule(rules, "mine.yaml", TODO_RULE.replace("todo-comment", "inline-style"))
    result = run(clean, "--rules-dir", rules)
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert "duplicate rule id 'inline-style'" in result.stderr


BAD_RULES = [
    pytest.param(TODO_RULE + "colour: red\n", 9, "unknown option 'colour'", id="unknown-key"),
    pytest.param(
        TODO_RULE.replace("kind: comment", "kind: commentary"),
        2,
        "unknown kind 'commentary'",
        id="unknown-kind",
    ),
    pytest.param(
        TODO_RULE.replace("\\bTODO\\b", "TODO("),
        7,
        "not a valid regular expression",
        id="bad-regex",
    ),
    pytest.param(
        "id: bad-selector\nkind: element\nmessage: x\ndescription: y\nselector: 'div[class'\n",
        5,
        "",
        id="bad-selector",
    ),
    pytest.param(
        TODO_RULE.replace("{comment}", "{colour}"),
        4,
        "unknown variable {colour}",
        id="bad-variable",
    ),
    pytest.param(
        TODO_RULE.replace("{comment}", "{comment"), 4, "invalid message template", id="bad-template"
    ),
    pytest.param(
        TODO_RULE.replace("severity: info", "severity: fatal"),
        3,
        "severity must be one of",
        id="bad-severity",
    ),
    pytest.param(TODO_RULE.replace("safe: true", "safe: maybe"), 8, "'fix' needs", id="bad-fix"),
    pytest.param(
        TODO_RULE.replace("action: remove", "action: unwrap"),
        8,
        "cannot 'unwrap'",
        id="impossible-fix",
    ),
    pytest.param(
        TODO_RULE.replace("id: todo-comment", "id: TODO_comment"), 1, "invalid rule id", id="bad-id"
    ),
    pytest.param(TODO_RULE.replace("patterns:", "patterns: [\n"), 9, "invalid YAML", id="bad-yaml"),
]


@pytest.mark.parametrize(("text", "line", "fragment"), BAD_RULES)
def test_bad_rule_file_names_file_and_line(
    tmp_path: Path, clean: Path, text: str, line: int, fragment: str
) -> None:
    path = write_rule(tmp_path / "my-rules", "rule.yaml", text)
    for args in ([clean], ["rules"], ["explain", "inline-style"]):
        result = run(*args, "--rules-dir", path.parent)
        assert result.exit_code == 2, args
        assert f"{path}:{line}: " in result.stderr
        assert fragment in result.stderr
        assert "Traceback" not in result.output


# --- output formats, statistics and output files --------------------------------------


@pytest.mark.parametrize(
    "output_format", ["text", "concise", "json", "json-lines", "github", "sarif", "junit", "gitlab"]
)
def test_every_output_format_from_the_command_line(seed: Path, output_format: str) -> None:
    result = run(seed, "--output-format", output_format)
    assert result.exit_code == 1
    assert result.stderr == ""
    assert str(seed.name) in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour


def test_output_file_gets_the_report(seed: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "contentlint.sarif"
    result = run(seed, "--output-format", "sarif", "--output-file", target)
    assert result.exit_code == 1
    assert result.stdout == ""
    log = json.loads(target.read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 66


def test_output_file_that_cannot_be_written_is_an_error(seed: Path, tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder")
    result = run(seed, "--output-file", tmp_path / "blocker" / "out.txt")
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


def test_statistics(seed: Path) -> None:
    result = run(seed, "--statistics")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["49", "inline-style", "[*]", "49", "fixable"]
    assert lines[1].split()[:2] == ["11", "tracking-comment"]
    assert any(line.split()[:2] == ["1", "promo-block"] and "[**]" in line for line in lines)
    assert lines[-1].startswith("Found 66 problems in 1 file.")
    assert len(lines) == len(SEED_COUNTS) + 1
    data = json.loads(run(seed, "--statistics", "--output-format", "json").stdout)
    assert {row["rule"]: row["count"] for row in data} == SEED_COUNTS
    assert run(seed, "--statistics", "--quiet").stdout.splitlines() == lines[:-1]


def test_quiet_prints_findings_only(seed: Path, clean: Path) -> None:
    loud, quiet = run(seed).stdout, run(seed, "-q").stdout
    assert loud.startswith(quiet)
    assert loud[len(quiet) :].startswith("Found 66 problems")
    assert run(clean, "--quiet").stdout == ""
    assert run(clean).stdout == "No problems found.\n"


def test_exit_zero(seed: Path, tmp_path: Path) -> None:
    result = run(seed, "--exit-zero", "--output-format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 66
    assert run(seed, "--diff", "--exit-zero").exit_code == 0
    assert run(tmp_path / "missing.md", "--exit-zero").exit_code == 2  # errors still fail


def test_exit_non_zero_on_fix(seed: Path, clean: Path) -> None:
    assert run(seed, "--fix", "--unsafe-fixes").exit_code == 0  # fixed, nothing left
    seed.write_bytes(SEED.read_bytes())
    assert run(seed, "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix").exit_code == 1
    assert run(seed, "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix").exit_code == 0
    assert run(clean, "--fix", "--exit-non-zero-on-fix").exit_code == 0
    seed.write_bytes(SEED.read_bytes())
    both = run(seed, "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "--exit-zero")
    assert both.exit_code == 0  # --exit-zero wins, as in ruff


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "env", "expected"),
    [
        (FakeTerminal(), {}, True),
        (FakeTerminal(), {"NO_COLOR": "1"}, False),
        (FakeTerminal(), {"NO_COLOR": ""}, True),  # the convention: set and not empty
        (io.StringIO(), {}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (FakeTerminal(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
)
def test_colour_only_on_a_terminal_and_never_with_no_color(
    monkeypatch: pytest.MonkeyPatch, stream: io.StringIO, env: dict[str, str], expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _colour(stream) is expected


def test_colour_is_forced_through_the_command_line(
    seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    coloured = run(seed).stdout
    assert "\x1b[" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert run(seed).stdout == re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert "\x1b[" not in run(seed, "--output-format", "json").stdout


def test_progress_goes_to_a_terminal_stderr_only(
    seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With stderr a (fake) terminal and no delay, the run draws and erases its progress
    line there; stdout holds the report only; --quiet turns it off."""
    for index in range(3):
        (tmp_path / f"copy{index}.md").write_bytes(SEED.read_bytes())
    monkeypatch.setattr("lint.run.PROGRESS_DELAY", 0.0)
    terminal = FakeTerminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with pytest.raises(SystemExit) as exited:
        main.main(["check", str(tmp_path), "--output-format", "json"], standalone_mode=True)
    assert exited.value.code == 1
    drawn = terminal.getvalue()
    assert "4/4 files" in drawn
    assert "264 findings" in drawn
    assert drawn.endswith("\r\x1b[K")
    terminal.truncate(0)
    terminal.seek(0)
    with pytest.raises(SystemExit):
        main.main(["check", str(tmp_path), "-q"], standalone_mode=True)
    assert terminal.getvalue() == ""


def test_help_shows_the_options_of_check_the_default_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for option in ("--fix", "--output-format", "--select", "--no-cache", "--check-remote"):
        assert option in result.stdout
    assert "cache" in result.stdout  # the cache command is listed
