"""The result cache: hits, misses after any change that decides findings, corrupt entries,
file-system lookups re-checked, and several processes writing at once."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from support import SEED

from lint.cache import RESULTS, ResultCache, rules_fingerprint
from lint.config import Config, configured_rules, select_rules
from lint.document import Document, record_lookups
from lint.findings import Edit, Finding, Fix
from lint.linter import Linter
from lint.parallel import lint_file
from lint.rules import Rule
from lint.runner import Mode, process_file
from lint.source import Source


def bundled(**settings: Mapping[str, Any]) -> list[Rule]:
    config = Config(rules=settings)
    return select_rules(configured_rules(config), config, [], [])


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    shutil.copyfile(SEED, path)
    return path


def entries(cache_dir: Path) -> list[Path]:
    return [path for path in (cache_dir / RESULTS).rglob("*") if path.is_file()]


def lint(
    path: Path, rules: list[Rule], cache: ResultCache, mode: Mode = Mode.CHECK
) -> list[Finding]:
    return lint_file(str(path), frozenset(), Linter(rules), mode, False, cache).findings


def test_hit_gives_the_same_findings_without_linting(article: Path, tmp_path: Path) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    first = lint(article, rules, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert len(entries(tmp_path / "c")) == 1

    class Exploding(Linter):
        def lint(self, *args: object, **kwargs: object) -> list[Finding]:
            raise AssertionError("a hit must not lint")

    second = lint_file(str(article), frozenset(), Exploding(rules), Mode.CHECK, False, cache)
    assert second.findings == first
    assert second.text == article.read_text(encoding="utf-8")
    assert cache.hits == 1
    expected = process_file(str(article), Linter(rules), (), Mode.CHECK).findings
    assert first == expected


@pytest.mark.parametrize(
    "change",
    ["content", "rule-option", "severity", "rule-set", "version", "ignored", "path"],
)
def test_anything_that_decides_findings_makes_a_miss(
    change: str, article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled()
    cache_dir = str(tmp_path / "c")
    cache = ResultCache.for_rules(rules, cache_dir)
    assert cache is not None
    lint(article, rules, cache)
    ignored: frozenset[str] = frozenset()
    if change == "content":
        article.write_text(article.read_text(encoding="utf-8") + "\nmore\n", encoding="utf-8")
    elif change == "rule-option":
        rules = bundled(**{"missing-field": {"required": ["title"]}})
    elif change == "severity":
        rules = bundled(**{"inline-style": {"severity": "error"}})
    elif change == "rule-set":
        rules = [rule for rule in rules if rule.id != "inline-style"]
    elif change == "version":
        monkeypatch.setattr("lint.cache.__version__", "999.0")
    elif change == "ignored":
        ignored = frozenset({"inline-style"})
    else:
        moved = tmp_path / "moved.md"
        article.rename(moved)
        article = moved
    cache = ResultCache.for_rules(rules, cache_dir)
    assert cache is not None
    result = lint_file(str(article), ignored, Linter(rules), Mode.CHECK, False, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert (
        result.findings == process_file(str(article), Linter(rules), ignored, Mode.CHECK).findings
    )
    assert all(f.path == str(article) for f in result.findings)


def test_fingerprint_follows_the_code_of_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = bundled()
    before = rules_fingerprint(rules)
    assert rules_fingerprint(rules) == before
    monkeypatch.setattr("lint.cachedir.code_stamp", lambda: "edited")
    assert rules_fingerprint(rules) != before


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"",
        lambda blob: blob[: len(blob) // 2],
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
        lambda blob: b"not a cache entry at all",
        lambda blob: blob[:22] + b"\xff" * 40,
    ],
    ids=["empty", "truncated", "bit-flip", "garbage", "bad-payload"],
)
def test_a_corrupt_entry_is_a_miss_and_is_rewritten(
    damage: object, article: Path, tmp_path: Path
) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    expected = lint(article, rules, cache)
    (entry,) = entries(tmp_path / "c")
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert lint(article, rules, cache) == expected
    assert cache.misses == 2
    assert lint(article, rules, cache) == expected
    assert cache.hits == 1


def test_unreadable_or_unwritable_cache_does_not_fail_the_run(
    article: Path, tmp_path: Path
) -> None:
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache folder should be")
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(blocker))
    assert cache is not None
    assert lint(article, rules, cache) == lint(article, rules, cache)
    assert cache.hits == 0


def test_entries_round_trip_fixes_and_recorded_lookups(tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "c"), "f" * 32)
    image = tmp_path / "img.png"
    finding = Finding(
        "old.md", "r", "error", "m ü", 1, 5, 1, 2, 1, 6, Fix((Edit(1, 5, "x"), Edit(6, 7)), False)
    )
    cache.put("ab" * 32, [finding], {str(image): ("exists", False)})
    (restored,) = cache.get("ab" * 32, "new.md") or []
    assert restored == finding._replace(path="new.md")
    image.write_bytes(b"\x89PNG")  # the lookup no longer gives the same answer
    assert cache.get("ab" * 32, "new.md") is None


def test_documents_record_their_file_system_lookups(tmp_path: Path) -> None:
    document = Document(Source(str(tmp_path / "a.md"), "text"))
    with record_lookups() as lookups:
        assert document.path_exists(str(tmp_path / "a.md")) is False
        assert document.path_isdir(str(tmp_path)) is True
        assert document.path_isfile(str(tmp_path)) is False
    assert document.path_exists(str(tmp_path / "b")) is False  # not recorded any more
    assert lookups == {
        str(tmp_path / "a.md"): ("exists", False),
        str(tmp_path): ("isfile", False),
    }


def test_fix_mode_fixes_despite_a_hit_and_caches_the_fixed_file(
    article: Path, tmp_path: Path
) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    checked = lint(article, rules, cache)
    assert any(f.fixable == "safe" for f in checked)
    result = lint_file(str(article), frozenset(), Linter(rules), Mode.FIX, False, cache)
    assert result.fixed > 0
    assert article.read_text(encoding="utf-8") == result.text
    hits = cache.hits
    after = lint(article, rules, cache)
    assert cache.hits == hits + 1  # the fix run stored the fixed file's findings
    assert after == result.findings
    assert not any(f.fixable == "safe" for f in after)


def test_diff_mode_writes_no_cache(article: Path, tmp_path: Path) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    lint(article, rules, cache, Mode.DIFF)
    assert not (tmp_path / "c").exists()


def test_old_rule_sets_are_pruned(tmp_path: Path) -> None:
    results = tmp_path / RESULTS
    for index in range(6):
        (results / f"old{index}").mkdir(parents=True)
        os.utime(results / f"old{index}", (index, index))
    cache = ResultCache.for_rules(bundled(), str(tmp_path))
    assert cache is not None
    assert sorted(path.name for path in results.iterdir()) == ["old2", "old3", "old4", "old5"]


def _write_many(cache_dir: str, rounds: int) -> None:
    cache = ResultCache(cache_dir, "0" * 32)
    finding = Finding("a.md", "r", "warning", "m" * 500, 0, 1, 1, 1, 1, 2)
    for index in range(rounds):
        cache.put(f"{index % 5:064x}", [finding] * (1 + index % 7))


def test_concurrent_writers_never_leave_a_broken_entry(tmp_path: Path) -> None:
    cache_dir = str(tmp_path / "c")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(cache_dir, 200)) for _ in range(4)]
    for writer in writers:
        writer.start()
    cache = ResultCache(cache_dir, "0" * 32)
    while any(writer.is_alive() for writer in writers):
        for index in range(5):
            found = cache.get(f"{index:064x}", "a.md")
            if found is not None:
                assert 1 <= len(found) <= 7
                assert all(f.message == "m" * 500 for f in found)
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    for index in range(5):
        assert cache.get(f"{index:064x}", "a.md") is not None
    assert list((tmp_path / "c").rglob(".tmp-*")) == []


def test_the_rule_ids_a_linter_knows_are_part_of_the_fingerprint(tmp_path: Path) -> None:
    rules = bundled()
    plain = ResultCache.for_linter(Linter(rules), str(tmp_path))
    again = ResultCache.for_linter(Linter(rules), str(tmp_path))
    assert plain is not None
    assert again is not None
    assert plain.fingerprint == again.fingerprint
    linter = Linter(rules)
    linter.known = frozenset({"some-rule"})  # type: ignore[attr-defined,misc,unused-ignore]
    other = ResultCache.for_linter(linter, str(tmp_path))
    assert other is not None
    assert other.fingerprint != plain.fingerprint


def test_a_file_changed_while_linted_is_not_cached(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    real = process_file

    def edited_meanwhile(path: str, *args: Any) -> Any:
        result = real(path, *args)
        Path(path).write_text("---\ntitle: new\n---\n", encoding="utf-8")
        return result

    monkeypatch.setattr("lint.parallel.process_file", edited_meanwhile)
    lint(article, rules, cache)
    assert entries(tmp_path / "c") == []
