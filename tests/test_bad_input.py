"""Bad input never crashes a run, never hangs it and never gets written.

Every input here goes through the command line (``check --fix --output-format json``):
it gives the finding or error its row names, the documented exit code (1 findings,
2 errors), no traceback, no internal error of a rule, and, where the input cannot be
fixed safely, not one byte written. Pathological markup (unclosed tags, stray ``<``,
unmatched backticks, deep nesting) is linted in linear time: the sizes below would take
hours with a quadratic scan, so a regression shows as a hung test, not a flaky timing.
"""

from __future__ import annotations

import json
import pickle
import re
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from support import build_rules

from lint.cli import main
from lint.document.source import MAX_FILE_BYTES, decode
from lint.engine.config import load_config
from lint.engine.fixer import fix_text
from lint.engine.kinds import base
from lint.engine.kinds.base import RegexTimeout, RulePattern, regex_budget
from lint.engine.linter import Linter
from lint.runner import Mode, process_file

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "sina-finance-fuwuhui.md").read_bytes()
FRONT = "---\ntitle: 标题\ndate: 2024-05-01\nauthor: 新浪\ncategories: [财经]\n---\n"
BOM = b"\xef\xbb\xbf"


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def check_fix(path: Path) -> tuple[Result, list[dict[str, Any]]]:
    result = run("check", path, "--fix", "--output-format", "json")
    assert "Traceback" not in result.output
    assert "internal error" not in result.stderr
    return result, json.loads(result.stdout) if result.stdout.strip() else []


def _laughs(levels: int = 10) -> str:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        refs = ",".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def _front(yaml_text: str, body: str = "正文\n") -> bytes:
    return f"---\n{yaml_text}---\n{body}".encode()


# (input, rule whose finding must be there, fragment of its message); never written.
REFUSED = [
    pytest.param(
        (FRONT + "新浪财经讯 记者报道\n").encode("gb18030"), "encoding", "GB18030", id="gb18030"
    ),
    pytest.param((FRONT + "记者报道\n").encode("gbk"), "encoding", "GB18030", id="gbk"),
    pytest.param(
        "---\ntitle: café\n---\nSeñor niño, déjà vu\n".encode("latin-1"),
        "encoding",
        "Latin-1",
        id="latin-1",
    ),
    pytest.param(
        ("\ufeff" + FRONT + "正文\n").encode("utf-16-le"), "encoding", "UTF-16", id="utf16"
    ),
    pytest.param(("\ufeff" + FRONT).encode("utf-16-be"), "encoding", "UTF-16", id="utf16-be"),
    pytest.param(
        ("---\ntitle: x\n---\nbody text\n" * 3).encode("utf-16-le"),
        "encoding",
        "UTF-16-LE text without a byte-order mark",
        id="utf16-no-bom",
    ),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "encoding", "binary", id="png"
    ),
    pytest.param(bytes(range(256)) * 8, "encoding", "binary", id="all-bytes"),
    pytest.param(
        (FRONT + "正文" * 600 + "\x00 <p style='x'>more</p>\n").encode(),
        "encoding",
        "NUL byte",
        id="nul-in-text",
    ),
    pytest.param(
        b"---\ntitle: x\nbody <p style='a'>\n", "front-matter-syntax", "not closed", id="unclosed"
    ),
    pytest.param(
        _front("title: 'it's'\n"), "front-matter-syntax", "not valid YAML", id="invalid-yaml"
    ),
    pytest.param(
        _front("title: [a, b\n"), "front-matter-syntax", "not valid YAML", id="unclosed-list"
    ),
    pytest.param(_front("- a\n- b\n"), "front-matter-syntax", "a list, not a mapping", id="list"),
    pytest.param(
        _front("just words\n"), "front-matter-syntax", "a str, not a mapping", id="scalar"
    ),
    pytest.param(
        _front("title: !!python/object/apply:os.system ['touch pwned']\n"),
        "front-matter-syntax",
        "python/object",
        id="python-tag",
    ),
    pytest.param(
        _front("t: !!python/name:os.system\n"), "front-matter-syntax", "python", id="py-name"
    ),
    pytest.param(_front(_laughs()), "front-matter-syntax", "aliases expand", id="billion-laughs"),
    pytest.param(_front("a: &a [*a]\n"), "front-matter-syntax", "contain itself", id="self-alias"),
    pytest.param(
        _front("a: " + "[" * 10000 + "]" * 10000 + "\n"),
        "front-matter-syntax",
        "nest",  # ours: "nests more than 64 levels deep"; PyYAML >= 6.0.4 stops it earlier
        id="deep-yaml",
    ),
    pytest.param(
        _front("title: x\n\tdate: y\n"), "front-matter-syntax", "not valid YAML", id="tab"
    ),
]


@pytest.mark.parametrize(("data", "rule", "fragment"), REFUSED)
def test_refused_input_is_a_finding_and_never_written(
    tmp_path: Path, data: bytes, rule: str, fragment: str
) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(data)

    result, findings = check_fix(path)

    assert result.exit_code == 1
    messages = [f["message"] for f in findings if f["rule"] == rule]
    assert messages, findings
    assert any(fragment in message for message in messages), messages
    assert path.read_bytes() == data
    assert not (tmp_path / "pwned").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md"]


# Unusual but readable input: linted and fixed like any other, never an error.
READABLE = [
    pytest.param(b"", {"missing-field"}, id="empty"),
    pytest.param(BOM, {"missing-field"}, id="bom-only"),
    pytest.param(b"\n\n\r\n", {"missing-field"}, id="blank-lines"),
    pytest.param(FRONT.encode(), set(), id="only-front-matter"),
    pytest.param(
        "正文 <p style='x'>a</p>\n".encode(), {"missing-field", "inline-style"}, id="only-body"
    ),
    pytest.param(
        BOM + FRONT.encode() + b"<p style='a'>x</p>\n", {"inline-style"}, id="bom-front-matter"
    ),
    pytest.param(
        FRONT.replace("\n", "\r\n").encode() + b"<p style='a'>x</p>\r\n",
        {"inline-style"},
        id="crlf",
    ),
    pytest.param(
        b"---\r\ntitle: x\ndate: 2024-05-01\r\nauthor: a\rcategories: [b]\n---\r\n"
        b"<p style='a'>x</p>\r\ny\rz\n",
        {"inline-style"},
        id="mixed-newlines",
    ),
    pytest.param(SEED.replace(b"\n", b"\r"), None, id="cr-only-seed"),
    pytest.param(
        FRONT.encode() + b"<span style='a'>" + b"x" * 2_000_000 + b"</span>\n",
        {"inline-style"},
        id="2MB-line",
    ),
    pytest.param(
        FRONT.encode() + b"<div>" * 100_000 + b"text" + b"</div>" * 100_000 + b"\n",
        set(),
        id="100k-nested-div",
    ),
    pytest.param(
        FRONT.encode() + b"<div class='appendQr_wrap'>" * 100_000 + b"text\n",
        None,
        id="100k-nested-unclosed",
    ),
    pytest.param(
        FRONT.encode() + b"<p><div style='a'><span><b>text\n<img src=x\n<a href='",
        {"inline-style", "unpaired-tag"},
        id="unclosed-tags",
    ),
    pytest.param(
        FRONT.encode() + b"a < b && c > d <<< &&& &#; &amp <! <? </ <a\n< & \n",
        set(),
        id="stray-lt-amp",
    ),
    pytest.param(
        FRONT.encode() + "\ufffd\u200b\U0001f600 中文\n".encode(), None, id="odd-characters"
    ),
]


@pytest.mark.parametrize(("data", "rules"), READABLE)
def test_unusual_input_is_linted_and_fixed(
    tmp_path: Path, data: bytes, rules: set[str] | None
) -> None:
    path = tmp_path / "article.md"
    path.write_bytes(data)

    result, findings = check_fix(path)

    assert result.exit_code in (0, 1)
    if rules is not None:
        found = {f["rule"] for f in findings if f["fixable"] is None}
        fixed = rules - found
        assert found <= rules | {"missing-field"}, found
        assert all(rule in {"inline-style"} for rule in fixed) or not fixed
    again = path.read_bytes()
    rerun, _ = check_fix(path)  # fixing is idempotent
    assert rerun.exit_code in (0, 1)
    assert path.read_bytes() == again
    if data.startswith(BOM):
        assert again.startswith(BOM)
    if b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""):
        assert b"\n" not in again.replace(b"\r\n", b"")  # CRLF files stay CRLF
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md"]


# --- size -----------------------------------------------------------------------------


def test_file_over_the_size_limit_is_a_finding_and_the_others_go_on(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is read
    small = tmp_path / "small.md"
    small.write_bytes(FRONT.encode() + b"<p style='a'>x</p>\n")

    result = run("check", tmp_path, "--fix", "--output-format", "json")

    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout) == [
        {
            "path": str(big),
            "rule": "file-too-large",
            "severity": "error",
            "message": "file is too large (16.8 MB, the limit is 16 MiB); not checked",
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 1,
            "fixable": None,
        }
    ]  # small.md was fixed
    assert b"style" not in small.read_bytes()
    assert big.stat().st_size == MAX_FILE_BYTES + 1


def _limited(tmp_path: Path, *args: object, config: str = "") -> Result:
    (tmp_path / "a.md").write_bytes(SEED)
    (tmp_path / ".contentlint.yaml").write_text(config or "{}\n", encoding="utf-8")
    return run("check", tmp_path, "--no-cache", "--output-format", "json", *args)


def test_the_size_limit_is_the_rules_option_or_max_file_size(tmp_path: Path) -> None:
    message = f"file is too large ({len(SEED):,} bytes, the limit is 1,024 bytes); not checked"
    for result in (
        _limited(tmp_path, "--max-file-size", "1k"),
        _limited(tmp_path, config="rules:\n  file-too-large:\n    limit: 1k\n"),
        _limited(tmp_path, config="rules:\n  file-too-large:\n    limit: 1024\n"),
        # the command line wins over the configuration
        _limited(tmp_path, "--max-file-size", "1024", config="rules: {file-too-large: {limit: 8}}"),
    ):
        assert result.exit_code == 1, result.stderr
        assert [(item["rule"], item["message"]) for item in json.loads(result.stdout)] == [
            ("file-too-large", message)
        ]
    accepted = _limited(tmp_path, "--max-file-size", str(len(SEED)))
    rules = {item["rule"] for item in json.loads(accepted.stdout)}
    assert "file-too-large" not in rules
    assert "inline-style" in rules


def test_with_the_rule_ignored_its_limit_goes_and_only_the_default_one_stays(
    tmp_path: Path,
) -> None:
    """An ignored file-too-large sets no limit: the seed is linted, and a file over the
    16 MiB that any run keeps is skipped unread, without a finding."""
    with open(tmp_path / "big.md", "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    result = _limited(
        tmp_path, "--ignore", "file-too-large", config="rules: {file-too-large: {limit: 1k}}"
    )
    found = json.loads(result.stdout)
    assert {item["path"] for item in found} == {str(tmp_path / "a.md")}
    assert "file-too-large" not in {item["rule"] for item in found}
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "config", "error"),
    [
        (
            ("--max-file-size", "lots"),
            "",
            "Invalid value for '--max-file-size': 'lots' is not a size",
        ),
        ((), "rules: {file-too-large: {limit: -1}}", "option 'limit' must be a positive size"),
        ((), "rules: {file-too-large: {limit: true}}", "option 'limit' must be a size"),
        ((), "rules: {file-too-large: {limit: 2 parsecs}}", "option 'limit': '2 parsecs' is not"),
    ],
)
def test_a_bad_size_limit_is_a_clear_error(
    tmp_path: Path, args: tuple[str, ...], config: str, error: str
) -> None:
    result = _limited(tmp_path, *args, config=config)
    assert result.exit_code == 2
    assert error in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_over_the_limit_is_never_fixed_nor_cached(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(SEED)
    linter = Linter(build_rules(load_config(None)))
    limited = Linter(
        [
            rule.configure({"limit": 100}, "test", ".") if rule.id == "file-too-large" else rule
            for rule in linter.rules
        ]
    )
    refused = process_file(str(path), limited, (), Mode.FIX, unsafe=True)
    assert [finding.rule for finding in refused.findings] == ["file-too-large"]
    assert (refused.errors, refused.fixed, refused.basis) == ([], 0, None)
    assert path.read_bytes() == SEED
    accepted = process_file(str(path), linter, (), Mode.CHECK)
    assert accepted.errors == []
    assert "file-too-large" not in {finding.rule for finding in accepted.findings}
    assert accepted.basis is not None


# --- markup that a naive scanner handles in quadratic time ------------------------------

REPEATS = 50_000
PATHOLOGICAL = {
    "unclosed-start-tags": "<a ",
    "unclosed-tags-with-attributes": "<a x=1 ",
    "unclosed-quotes": '<a href="',
    "stray-equals": "<a ====",
    "unclosed-script": "<script ",
    "unclosed-end-tags": "</a ",
    "unclosed-declarations": "<!",
    "unclosed-processing": "<?",
    "unmatched-backticks": "`x ",
    "unmatched-double-backticks": "``x `",
    "nested-divs": "<div>",
    "list-items": "<li>",
    "paragraphs": "<p style='a'>",
    "table-cells": "<table><tr><td>",
    "markdown-links": "[a](",
    "images": "![a](b ",
    "brackets": "[[",
    "comments": "<!-- x --",
    "entities": "&amp;&",
}


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(build_rules(load_config(None)))


@pytest.mark.parametrize("unit", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markup_is_linted_in_linear_time(linter: Linter, unit: str) -> None:
    source = decode("a.md", (FRONT + unit * REPEATS).encode())
    findings = linter.lint(source)
    assert linter.failures == []
    assert all(0 <= f.start <= f.end <= len(source.text) for f in findings)


def test_pathological_markup_fixes_settle(linter: Linter) -> None:
    from dataclasses import replace

    text = FRONT + "<p style='a'><a x=1 " * 2000 + "`x " * 2000
    source = decode("a.md", text.encode())
    fixed = fix_text(text, lambda t: linter.lint(replace(source, text=t)), unsafe=True)
    assert not [f for f in fixed.findings if f.fix is not None]


# --- rule files -------------------------------------------------------------------------

TEXT_RULE = """\
id: {id}
kind: text
severity: warning
message: "matched"
description: A user rule.
pattern: '{pattern}'
"""


def write_rule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("files", "line", "fragment"),
    [
        pytest.param({"a.yaml": "id: a\nkind: [text\n"}, 3, "invalid YAML", id="invalid-yaml"),
        pytest.param({"a.yaml": "- just\n- a list\n"}, 1, "must be a mapping", id="not-a-mapping"),
        pytest.param(
            {"a.yaml": TEXT_RULE.format(id="a", pattern="x").replace("kind: text", "kind: txt")},
            2,
            "unknown kind 'txt'",
            id="unknown-kind",
        ),
        pytest.param(
            {"a.yaml": TEXT_RULE.format(id="a", pattern="(unclosed")},
            6,
            "not a valid regular expression",
            id="bad-regex",
        ),
        pytest.param(
            {"a.yaml": "id: a\nkind: element\nmessage: m\ndescription: d\nselector: 'p[x'\n"},
            5,
            "invalid CSS selector",
            id="bad-selector",
        ),
        pytest.param(
            {
                "a.yaml": TEXT_RULE.format(id="same", pattern="x"),
                "b.yaml": TEXT_RULE.format(id="same", pattern="y"),
            },
            1,
            "duplicate rule id 'same'",
            id="duplicate-id",
        ),
        pytest.param(
            {"a.yaml": "id: a\nkind: text\n" + _laughs(9)},
            None,
            "YAML refused: aliases expand",
            id="billion-laughs",
        ),
    ],
)
def test_bad_rule_files_exit_2_with_file_and_line(
    tmp_path: Path, files: dict[str, str], line: int | None, fragment: str
) -> None:
    folder = tmp_path / "rules"
    paths = [write_rule(folder, name, text) for name, text in files.items()]
    article = tmp_path / "article.md"
    article.write_bytes(SEED)

    result = run("check", article, "--fix", "--rules-dir", folder)

    assert result.exit_code == 2
    location = f"{paths[-1]}:{line}: " if line else f"{paths[-1]}: "
    assert location in result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert article.read_bytes() == SEED


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> float:
    monkeypatch.setattr(base, "REGEX_TIMEOUT", 0.2)
    return 0.2


def test_catastrophic_rule_regex_is_a_per_file_error(tmp_path: Path, short_timeout: float) -> None:
    folder = tmp_path / "rules"
    write_rule(folder, "slow.yaml", TEXT_RULE.format(id="slow", pattern="(a|a)+$"))
    write_rule(folder, "nested.yaml", TEXT_RULE.format(id="nested", pattern="(a+)+$"))
    slow = tmp_path / "slow.md"
    slow.write_text(FRONT + "<p style='x'>" + "a" * 40 + "!</p>\n", encoding="utf-8")
    fine = tmp_path / "fine.md"
    fine.write_text(FRONT + "<p style='x'>b</p>\n", encoding="utf-8")

    started = time.monotonic()
    result = run("check", tmp_path, "--rules-dir", folder, "--output-format", "json")
    elapsed = time.monotonic() - started

    assert result.exit_code == 2
    assert f"{slow}: internal error in rule slow: RegexTimeout" in result.stderr
    assert "'(a|a)+$' ran longer than 0.2 s" in result.stderr
    assert "Traceback" not in result.output
    rules = sorted((Path(f["path"]).name, f["rule"]) for f in json.loads(result.stdout))
    # Both files are still linted by every other rule, the slow rule included on fine.md.
    assert ("slow.md", "inline-style") in rules
    assert ("fine.md", "inline-style") in rules
    assert elapsed < 60  # a hang would be minutes; this only guards against one


def test_regex_budget_bounds_all_searches_of_one_file() -> None:
    pattern = RulePattern("(a|a)+$")
    text = "a" * 25 + "!"

    def search_often() -> None:
        for _ in range(1000):
            pattern.search(text)

    with regex_budget(0.3), pytest.raises(RegexTimeout, match="all rule patterns"):
        search_often()
    assert pattern.search("xa") is not None  # outside the budget: back to normal


def test_rule_pattern_behaves_like_re() -> None:
    pattern = RulePattern(r"(?P<word>\w+)@(?i:EXAMPLE)\.com")
    text = "mail ann@example.com, bob@Example.com"
    assert pattern.search(text).group("word") == "ann"  # type: ignore[union-attr]
    assert [m.group(1) for m in pattern.finditer(text, 10)] == ["bob"]
    assert pattern.fullmatch("ann@example.com") is not None
    assert pattern.match(text) is None
    assert pattern.sub("x", text) == "mail x, x"
    assert pattern.findall(text) == ["ann", "bob"]
    assert pattern.groupindex == {"word": 1}
    assert pattern.pattern == r"(?P<word>\w+)@(?i:EXAMPLE)\.com"
    copy = pickle.loads(pickle.dumps(pattern))  # rules go to worker processes
    assert copy == pattern
    assert hash(copy) == hash(pattern)


def test_no_rule_pattern_compiled_with_plain_re() -> None:
    """Every bundled rule's patterns are bounded RulePatterns."""
    for rule in build_rules(load_config(None)):
        for value in rule.kind.settings.values():
            values = value if isinstance(value, tuple) else (value,)
            for item in values:
                assert not isinstance(item, re.Pattern), (rule.id, item)
