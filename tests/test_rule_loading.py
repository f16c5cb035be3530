"""Loading rule files: a valid rule, and RuleError with ``path:line:`` for every mistake."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from lint.engine.rules import RuleError, bundled_rules_dir, load_rule, load_rules

VALID = """\
# An element rule, as in rules/stock-quote-placeholder.yaml.
id: quote-placeholder
kind: element
severity: info
message: "empty placeholder <{tag} id=\\"{id}\\">"
description: |
  Finds empty quote placeholders.
selector: 'span[id^="quote_"]:empty'
hint: [quote_]
fix: {action: remove, safe: true}
"""


def write(directory: Path, text: str, name: str = "rule.yaml") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def line_of(text: str, key: str) -> int:
    """1-based line of the top-level ``key:`` in ``text``."""
    match = re.search(rf"^{re.escape(key)}:", text, re.MULTILINE)
    assert match is not None, key
    return text.count("\n", 0, match.start()) + 1


def replace_line(key: str, line: str | None) -> str:
    """VALID with the line of ``key`` replaced (or removed when ``line`` is None)."""
    lines = VALID.splitlines(keepends=True)
    index = line_of(VALID, key) - 1
    stop = index + 1
    while stop < len(lines) and lines[stop].startswith(" "):  # a block value's lines
        stop += 1
    lines[index:stop] = [] if line is None else [line + "\n"]
    return "".join(lines)


def test_valid_rule(tmp_path: Path) -> None:
    path = write(tmp_path, VALID)
    rule = load_rule(str(path))
    assert rule.id == "quote-placeholder"
    assert rule.kind.name == "element"
    assert rule.severity == "info"
    assert rule.message == 'empty placeholder <{tag} id="{id}">'
    assert rule.description == "Finds empty quote placeholders."
    assert (rule.fix_action, rule.fix_safe, rule.fixable) == ("remove", True, "safe")
    assert rule.enabled is True
    assert rule.options == {"selector": 'span[id^="quote_"]:empty', "hint": ["quote_"]}
    assert rule.origin == str(path)


def test_defaults(tmp_path: Path) -> None:
    text = replace_line("fix", None).replace("severity: info\n", "")
    rule = load_rule(str(write(tmp_path, text)))
    assert rule.severity == "warning"
    assert (rule.fix_action, rule.fixable) == (None, None)


@pytest.mark.parametrize(
    ("key", "line", "words"),
    [
        ("id", 'id: ""', "'id'"),
        ("id", "id: Bad_ID", "invalid rule id"),
        ("id", "id: -lead", "invalid rule id"),
        ("id", "id: 42", "'id'"),
        ("kind", "kind: elements", "unknown kind 'elements'"),
        ("kind", "kind: '  '", "'kind'"),
        ("message", "message: ''", "'message'"),
        ("message", 'message: "<{tag}> {nope}"', "unknown variable {nope}"),
        ("message", 'message: "unbalanced {tag"', "invalid message template"),
        ("description", "description: []", "'description'"),
        ("severity", "severity: fatal", "severity must be one of"),
        ("severity", "severity: WARNING", "severity must be one of"),
        ("selector", "selector: 'span['", "invalid CSS selector"),
        ("selector", "selector: 42", "must be a string"),
        ("hint", "hint: {a: b}", "list of strings"),
        ("fix", "fix: {action: unwrap-all, safe: true}", "cannot 'unwrap-all'"),
        ("fix", "fix: remove", "'fix' must be a mapping"),
        ("fix", "fix: {action: remove}", "'safe'"),
        ("fix", "fix: {action: remove, safe: yes please}", "'safe'"),
        ("fix", "fix: {action: remove, safe: true, when: always}", "unknown key 'when'"),
        ("fix", "colour: red", "unknown option 'colour'"),
        ("fix", "enabled: maybe", "'enabled' must be true or false"),
    ],
)
def test_errors_point_at_the_offending_line(
    tmp_path: Path, key: str, line: str, words: str
) -> None:
    text = replace_line(key, line)
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        load_rule(str(path))
    bad_key = line.split(":", 1)[0]
    expected_line = line_of(text, bad_key)
    assert str(caught.value).startswith(f"{path}:{expected_line}: ")
    assert words in str(caught.value)
    assert (caught.value.path, caught.value.line) == (str(path), expected_line)


@pytest.mark.parametrize(
    ("kind", "options", "bad_key", "words"),
    [
        ("text", "pattern: '(unclosed'", "pattern", "not a valid regular expression"),
        ("comment", "patterns: ['ok', '[bad']", "patterns", "not a valid regular expression"),
        ("attribute", "names: [style]\nvalue: '*x'", "value", "not a valid regular expression"),
        ("attribute", "names: [style]\nfix: {action: unwrap, safe: true}", "fix", "cannot"),
        ("text", "pattern: x\nfix: {action: replace, safe: true}", "replacement", "replacement"),
        ("text", "pattern: x\nscope: everywhere", "scope", "one of"),
        ("image", "fix: {action: remove, safe: true}", "fix", "can: https, lazy-src, unwrap"),
        ("element", "selector: p\ntext: '+'", "text", "not a valid regular expression"),
    ],
)
def test_kind_option_errors_point_at_the_option(
    tmp_path: Path, kind: str, options: str, bad_key: str, words: str
) -> None:
    text = f"# comment\nid: r\nkind: {kind}\nmessage: m\ndescription: d\n{options}\n"
    path = write(tmp_path, text)
    with pytest.raises(RuleError) as caught:
        load_rule(str(path))
    message = str(caught.value)
    assert words in message
    if re.search(rf"^{bad_key}:", text, re.MULTILINE):
        assert message.startswith(f"{path}:{line_of(text, bad_key)}: ")
    else:  # a required option that is absent has no line of its own
        assert message.startswith(f"{path}")


@pytest.mark.parametrize("key", ["id", "kind", "message", "description"])
def test_missing_required_keys(tmp_path: Path, key: str) -> None:
    path = write(tmp_path, replace_line(key, None))
    with pytest.raises(RuleError, match=f"missing or empty '{key}'") as caught:
        load_rule(str(path))
    assert str(caught.value).startswith(str(path))


def test_missing_required_option(tmp_path: Path) -> None:
    path = write(tmp_path, replace_line("selector", None))
    with pytest.raises(RuleError, match="needs option 'selector'") as caught:
        load_rule(str(path))
    assert str(caught.value).startswith(str(path))


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("id: a\nkind: [element\nmessage: m\n", 3, "invalid YAML"),
        ("id: a\n\tkind: x\n", 2, "invalid YAML"),
        ("- id: a\n- kind: element\n", 1, "must be a mapping"),
        ("just a string\n", 1, "must be a mapping"),
        ("", 1, "must be a mapping"),
        ("id: a\nx: !!python/object:os.system {}\n", 2, "invalid YAML"),
    ],
)
def test_files_that_are_not_rule_mappings(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleError, match=words) as caught:
        load_rule(str(path))
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_unreadable_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(RuleError, match="cannot read") as caught:
        load_rule(str(path))
    assert str(caught.value).startswith(f"{path}: ")


def test_load_rules_from_several_folders(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    write(first, VALID.replace("quote-placeholder", "b-rule"), "b.yaml")
    write(first, VALID.replace("quote-placeholder", "a-rule"), "a.yml")
    write(first, "not: a rule", "notes.txt")
    write(first, "not: a rule", ".hidden.yaml")
    write(second, VALID.replace("quote-placeholder", "c-rule"), "c.yaml")
    rules = load_rules([str(first), str(second)])
    assert list(rules) == ["a-rule", "b-rule", "c-rule"]
    assert rules["c-rule"].origin == str(second / "c.yaml")


def test_duplicate_ids_across_folders(tmp_path: Path) -> None:
    first = write(tmp_path / "one", VALID, "a.yaml")
    second = write(tmp_path / "two", VALID, "b.yaml")
    with pytest.raises(RuleError, match="duplicate rule id 'quote-placeholder'") as caught:
        load_rules([str(tmp_path / "one"), str(tmp_path / "two")])
    message = str(caught.value)
    assert message.startswith(f"{second}:{line_of(VALID, 'id')}: ")
    assert str(first) in message


def test_missing_rules_folder(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="not found"):
        load_rules([str(tmp_path / "nowhere")])


def test_bundled_rules_load_and_are_named_after_their_files() -> None:
    directory = bundled_rules_dir()
    rules = load_rules([directory])
    assert rules
    for rule_id, rule in rules.items():
        assert os.path.basename(rule.origin).rsplit(".", 1)[0] == rule_id
        assert rule.description
