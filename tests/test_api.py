"""The Python API (``lint.api``, re-exported by ``lint``): texts and files linted and
fixed as the command does, findings as the JSON report's objects, errors as exceptions
with the command's messages."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import CLEAN_ARTICLE, SEED, SEED_COUNTS

import lint
from lint.cli import main


def command(*args: str, data: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args], input=data, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_lint_text_gives_the_seed_findings_of_the_json_report() -> None:
    text = SEED.read_text(encoding="utf-8")
    findings = lint.lint_text(text, str(SEED))
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    assert counts == SEED_COUNTS
    _, out, _ = command("--output-format", "json", str(SEED))
    assert [lint.to_dict(finding) for finding in findings] == json.loads(out)


def test_fix_text_is_what_fix_writes(tmp_path: Path) -> None:
    copy = tmp_path / "article.md"
    copy.write_bytes(SEED.read_bytes())
    text = SEED.read_text(encoding="utf-8")
    settings = lint.load_config()
    fixed = lint.fix_text(text, str(copy), settings)
    command("--fix", "--no-cache", str(copy))
    assert fixed.text == copy.read_text(encoding="utf-8") != text
    assert fixed.fixed > 0
    assert fixed.findings == lint.lint_text(fixed.text, str(copy), settings)
    assert not any(finding.fixable == "safe" for finding in fixed.findings)
    unsafe = lint.fix_text(text, str(copy), settings, unsafe=True)
    assert len(unsafe.text) < len(fixed.text)
    assert not any(finding.fixable for finding in unsafe.findings)


def test_bytes_are_decoded_as_a_file_and_the_fixed_text_keeps_the_bom() -> None:
    data = b'\xef\xbb\xbf---\r\ntitle: T\r\n---\r\n\r\n<p style="a">x</p>\r\n'
    fixed = lint.fix_text(data, "a.md")
    assert fixed.text == "\ufeff---\r\ntitle: T\r\n---\r\n\r\n<p>x</p>\r\n"
    findings = lint.lint_text(b"\xff\xfeh\x00i\x00", "b.md")
    assert [finding.rule for finding in findings] == ["encoding"]


def test_a_clean_text_is_given_back_as_it_was() -> None:
    fixed = lint.fix_text(CLEAN_ARTICLE, "clean.md")
    assert (fixed.text, fixed.findings, fixed.fixed) == (CLEAN_ARTICLE, [], 0)


def test_the_configuration_is_found_upward_from_the_path(tmp_path: Path) -> None:
    article = '---\ntitle: T\n---\n<p style="color: red">x</p>\n'
    (tmp_path / ".contentlint.yaml").write_text("ignore: [inline-style]\n")
    (tmp_path / "posts").mkdir()
    inside = {f.rule for f in lint.lint_text(article, str(tmp_path / "posts" / "a.md"))}
    outside = {f.rule for f in lint.lint_text(article, "a.md", lint.load_config())}
    assert "inline-style" in outside - inside


def test_a_bad_rule_id_raises_the_commands_message(tmp_path: Path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("select: [inline-style, no-such-rule]\n")
    code, _, err = command("--config", str(config), str(SEED))
    with pytest.raises(lint.LintError) as raised:
        lint.load_config(str(config))
    assert code == 2
    assert err == f"contentlint: error: {raised.value}\n"
    with pytest.raises(lint.LintError) as by_path:
        lint.lint_text("text", "a.md", str(config))
    assert str(by_path.value) == str(raised.value)
    code, _, err = command("--select", "nothing-like-it", str(SEED))
    with pytest.raises(lint.LintError) as selected:
        lint.load_config(select=["nothing-like-it"])
    assert err == f"contentlint: error: {selected.value}\n"


def test_a_broken_configuration_raises_the_commands_message(tmp_path: Path) -> None:
    config = tmp_path / ".contentlint.yaml"
    config.write_text("rules: [not, a, mapping]\n")
    _, _, err = command(str(tmp_path))
    with pytest.raises(lint.LintError) as raised:
        lint.lint_text("text", str(tmp_path / "a.md"))
    assert err == f"contentlint: error: {raised.value}\n"


def test_fixes_that_grow_the_text_raise_the_commands_error(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "grow.yaml").write_text(
        "id: grow\nkind: text\nmessage: grows\ndescription: d\npattern: '[a-z]+'\n"
        "replacement: '\\g<0>\\g<0>'\nfix: {action: replace, safe: true}\n"
    )
    settings = lint.load_config(rules_dirs=[str(rules)], select=["grow"])
    _, _, err = command("--rules-dir", str(rules), "--select", "grow", "--fix", "-", data=b"word\n")
    with pytest.raises(lint.LintError) as raised:
        lint.fix_text("word\n", None, settings)
    assert err.startswith(str(raised.value))


def test_lint_paths_walks_as_the_command_and_reports_errors_per_file(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text(CLEAN_ARTICLE)
    (tmp_path / "a.md").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.txt").write_text("not Markdown")
    missing = str(tmp_path / "missing.md")
    results = list(lint.lint_paths([str(tmp_path), missing], jobs=1))
    assert [Path(result.path).name for result in results] == ["a.md", "b.md", "missing.md"]
    assert len(results[0].findings) == sum(SEED_COUNTS.values())
    assert results[0].text == SEED.read_text(encoding="utf-8")
    assert results[1].findings == []
    assert results[2].errors == [f"{missing}: error: no such file or folder"]
    _, out, _ = command("--output-format", "json", "--no-cache", str(tmp_path), missing)
    found = [lint.to_dict(finding) for result in results for finding in result.findings]
    assert found == json.loads(out)


def test_settings_pickle_without_the_linters_they_keep() -> None:
    settings = lint.load_config()
    lint.lint_text(CLEAN_ARTICLE, "a.md", settings)
    copy = pickle.loads(pickle.dumps(settings))
    assert [rule.id for rule in copy.active] == [rule.id for rule in settings.active]
    assert copy.config == settings.config
    assert lint.lint_text(SEED.read_text(encoding="utf-8"), "s.md", copy)


def test_importing_lint_does_not_load_the_api() -> None:
    code = "import sys, lint; print('lint.api' in sys.modules, callable(lint.lint_text))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
    with pytest.raises(AttributeError, match="no_such_name"):
        lint.no_such_name  # noqa: B018


def test_the_package_exports_the_api_with_its_types(tmp_path: Path) -> None:
    """``lint`` re-exports ``lint.api`` (loaded on first use), and a user's type checker
    sees the real signatures (``py.typed``), not the untyped module ``__getattr__``."""
    from mypy import api as mypy_api

    import lint.api

    assert lint.__all__ == lint.api.__all__
    assert all(getattr(lint, name) is getattr(lint.api, name) for name in lint.__all__)
    user = tmp_path / "user.py"
    user.write_text(
        "import lint\n"
        "findings: list[lint.Finding] = lint.lint_text('x', 'a.md')\n"
        "line: int = findings[0].line\n"
        "text: str = lint.fix_text('x').text\n"
        "wrong: str = lint.lint_text('x')\n",
        encoding="utf-8",
    )
    limit = sys.getrecursionlimit()
    try:
        out, _, status = mypy_api.run(["--strict", "--no-incremental", str(user)])
    finally:
        sys.setrecursionlimit(limit)  # mypy raises it for the process it runs in
    assert status == 1, out
    assert out.count("error:") == 1, out
    assert f"{user}:5: error: Incompatible types in assignment" in out
