"""The result cache: hits, misses after any change that decides findings, hits served by
the file's stamp without reading it (and never when the stamp cannot be trusted), damaged
index shards and packs, file-system lookups re-checked, several processes writing at
once, and packs merged when there are too many."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from support import SEED, run_showing_modules

import lint.files.cache as cache_module
import lint.files.resultstore as store_module
from lint.document.document import Document
from lint.document.lookups import record_lookups
from lint.document.source import Source
from lint.engine.config import Config, configured_rules, select_rules
from lint.engine.findings import Edit, Finding, Fix
from lint.engine.linter import Linter
from lint.engine.rules import Rule
from lint.files.cache import RESULTS, ResultCache, result_key, rules_fingerprint
from lint.files.pool import lint_file
from lint.files.resultstore import Record, ResultStore
from lint.runner import Mode, process_file


def bundled(**settings: Mapping[str, Any]) -> list[Rule]:
    config = Config(rules=settings)
    return select_rules(configured_rules(config), config, [], [])


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.md"
    shutil.copyfile(SEED, path)
    return path


@pytest.fixture
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (a test cannot wait for their change time to age)."""
    monkeypatch.setattr(cache_module, "SETTLED_SECONDS", -1.0)


def entries(cache_dir: Path) -> list[Path]:
    return [path for path in (cache_dir / RESULTS).rglob("*") if path.is_file()]


def packs(cache_dir: Path) -> list[Path]:
    return [path for path in (cache_dir / RESULTS).glob("*/packs/*") if path.is_file()]


def lint(
    path: Path, rules: list[Rule], cache: ResultCache, mode: Mode = Mode.CHECK
) -> list[Finding]:
    """One run over one file: looked up, linted if need be, and the index saved."""
    findings = lint_file(str(path), frozenset(), Linter(rules), mode, False, cache).findings
    cache.save()
    return findings


def test_hit_gives_the_same_findings_without_linting(article: Path, tmp_path: Path) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert cache is not None
    first = lint(article, rules, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert len(packs(tmp_path / "c")) == 1
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))

    class Exploding(Linter):
        def lint(self, *args: object, **kwargs: object) -> list[Finding]:
            raise AssertionError("a hit must not lint")

    second = lint_file(str(article), frozenset(), Exploding(rules), Mode.CHECK, False, cache)
    assert second.findings == first
    assert second.text == article.read_text(encoding="utf-8")
    assert cache.hits == 1
    expected = process_file(str(article), Linter(rules), (), Mode.CHECK).findings
    assert first == expected


def _no_reading(path: str) -> bytes:
    raise AssertionError("a hit by stamp must not read the file")


def served_without_reading(
    cache: ResultCache, article: Path, monkeypatch: pytest.MonkeyPatch
) -> Record:
    """The record of a hit by stamp, checked to be found without reading the file."""
    with monkeypatch.context() as patch:
        patch.setattr(cache_module, "_read", _no_reading)
        probe = cache.probe(str(article))
    assert probe is not None
    assert probe.record is not None
    assert probe.data is None
    return probe.record


def test_a_settled_file_with_its_recorded_stamp_is_served_without_reading_it(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_at_once: None
) -> None:
    rules = bundled()
    lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    record = served_without_reading(cache, article, monkeypatch)
    assert cache.findings(record, str(article)) == lint(article, rules, cache)


def test_a_file_that_has_not_settled_is_read_and_compared(article: Path, tmp_path: Path) -> None:
    rules = bundled()  # the article was written just now: its stamp is not trusted yet
    lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    probe = cache.probe(str(article))
    assert probe is not None
    assert probe.record is not None
    assert probe.record.stamp is None
    assert probe.data == article.read_bytes()


def test_same_size_change_with_the_old_modification_time_is_a_miss(
    article: Path, tmp_path: Path, settled_at_once: None
) -> None:
    """``rsync -t`` or ``touch -d`` can restore the modification time of a changed file;
    its change time still moves, so the stamp no longer matches and the file is read."""
    rules = bundled()
    lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    status = article.stat()
    data = article.read_bytes()
    article.write_bytes(data.replace(b"title:", b"title_", 1))  # same size, new content
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    findings = lint(article, rules, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert findings == process_file(str(article), Linter(rules), (), Mode.CHECK).findings


def test_a_touched_file_is_read_once_then_served_by_its_new_stamp(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_at_once: None
) -> None:
    rules = bundled()
    expected = lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    os.utime(article, ns=(1, 1))  # touched (or checked out again): same content
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert lint(article, rules, cache) == expected
    assert cache.hits == 1
    served_without_reading(ResultCache.for_rules(rules, str(tmp_path / "c")), article, monkeypatch)


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
        monkeypatch.setattr("lint.files.cache.__version__", "999.0")
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
    monkeypatch.setattr("lint.files.cachedir.code_stamp", lambda: "edited")
    assert rules_fingerprint(rules) != before


def missed_then_rewritten(
    article: Path, rules: list[Rule], cache_dir: Path, expected: list[Finding]
) -> None:
    """The next run misses and lints again; the one after is served what it stored."""
    for hits, misses in ((0, 1), (1, 0)):
        cache = ResultCache.for_rules(rules, str(cache_dir))
        assert lint(article, rules, cache) == expected
        assert (cache.hits, cache.misses) == (hits, misses)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: b"",
        lambda blob: blob[: len(blob) // 2],
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
        lambda blob: b"not a cache index at all",
        lambda blob: blob[:10] + b"\xff" * 40,
    ],
    ids=["empty", "truncated", "bit-flip", "garbage", "bad-payload"],
)
def test_a_damaged_index_shard_is_a_miss_and_is_rewritten(
    damage: Any, article: Path, tmp_path: Path
) -> None:
    rules = bundled()
    expected = lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    (shard,) = (tmp_path / "c" / RESULTS).glob("*/index/*")
    shard.write_bytes(damage(shard.read_bytes()))
    missed_then_rewritten(article, rules, tmp_path / "c", expected)


@pytest.mark.parametrize("damage", ["deleted", "empty", "truncated"])
def test_a_missing_or_short_pack_is_a_miss(
    damage: str, article: Path, tmp_path: Path, settled_at_once: None
) -> None:
    """Pack bytes are not checksummed (the index is): a pack lost or cut short by a
    crash must be a miss, never a wrong report."""
    rules = bundled()
    expected = lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    (pack,) = packs(tmp_path / "c")
    if damage == "deleted":
        pack.unlink()
    else:
        pack.write_bytes(b"" if damage == "empty" else pack.read_bytes()[:-1])
    missed_then_rewritten(article, rules, tmp_path / "c", expected)


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


def test_records_round_trip_fixes_and_recorded_lookups(article: Path, tmp_path: Path) -> None:
    cache = ResultCache(str(tmp_path / "c"), "f" * 32)
    image = tmp_path / "img.png"
    finding = Finding(
        "old.md", "r", "error", "m ü", 1, 5, 1, 2, 1, 6, Fix((Edit(1, 5, "x"), Edit(6, 7)), False)
    )
    digest = hashlib.blake2b(article.read_bytes(), digest_size=32).digest()
    key = result_key(str(article))
    cache.put(key, digest, None, [finding], {str(image): ("exists", False)}, {"json:0:a": b"[]"})
    cache.save()
    cache = ResultCache(str(tmp_path / "c"), "f" * 32)
    probe = cache.probe(str(article))
    assert probe is not None
    assert probe.record is not None
    (restored,) = cache.findings(probe.record, "new.md") or []
    assert restored == finding._replace(path="new.md")
    assert cache.rendering(probe.record, "json:0:a") == b"[]"
    image.write_bytes(b"\x89PNG")  # the lookup no longer gives the same answer
    probe = cache.probe(str(article))
    assert probe is not None
    assert probe.record is None


def test_documents_record_their_file_system_lookups(tmp_path: Path) -> None:
    document = Document(Source(str(tmp_path / "a.md"), "text"))
    with record_lookups() as lookups:
        assert document.files.exists(str(tmp_path / "a.md")) is False
        assert document.files.isdir(str(tmp_path)) is True
        assert document.files.isfile(str(tmp_path)) is False
    assert document.files.exists(str(tmp_path / "b")) is False  # not recorded any more
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
    lint(article, rules, cache)
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    before = entries(tmp_path / "c")
    lint(article, rules, cache, Mode.DIFF)
    assert entries(tmp_path / "c") == before


def test_old_rule_sets_are_pruned(tmp_path: Path) -> None:
    results = tmp_path / RESULTS
    for index in range(6):
        (results / f"old{index}").mkdir(parents=True)
        os.utime(results / f"old{index}", (index, index))
    cache = ResultCache.for_rules(bundled(), str(tmp_path))
    assert cache is not None
    assert sorted(path.name for path in results.iterdir()) == ["old2", "old3", "old4", "old5"]


def _write_many(cache_dir: str, rounds: int) -> None:
    finding = Finding("a.md", "r", "warning", "m" * 500, 0, 1, 1, 1, 1, 2)
    for index in range(rounds):
        cache = ResultCache(cache_dir, "0" * 32)  # a run: stores a record, then saves
        digest = bytes([index % 5]) * 32
        cache.put(f"/k{index % 5}\0", digest, None, [finding] * (1 + index % 7))
        cache.save()


def _read_all(cache_dir: str) -> list[list[Finding]]:
    cache = ResultCache(cache_dir, "0" * 32)
    found = []
    for index in range(5):
        record = cache.record(f"/k{index}\0")
        if record is not None:
            findings = cache.findings(record, "a.md")
            if findings is not None:  # a pack merged away meanwhile: a miss
                found.append(findings)
    return found


def test_concurrent_runs_never_leave_a_broken_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = str(tmp_path / "c")
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(cache_dir, 60)) for _ in range(4)]
    for writer in writers:
        writer.start()
    while any(writer.is_alive() for writer in writers):
        for findings in _read_all(cache_dir):
            assert 1 <= len(findings) <= 7
            assert all(f.message == "m" * 500 for f in findings)
    for writer in writers:
        writer.join()
        assert writer.exitcode == 0
    assert len(_read_all(cache_dir)) == 5
    assert list((tmp_path / "c").rglob(".tmp-*")) == []


def test_many_packs_are_merged_and_every_record_stays_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir = str(tmp_path / "c")
    finding = Finding("a.md", "r", "warning", "m", 0, 1, 1, 1, 1, 2)
    for index in range(8):  # eight runs, a pack each; the first key is stored twice
        cache = ResultCache(cache_dir, "0" * 32)
        cache.put(f"/k{index % 7}\0", bytes(32), None, [finding] * (index + 1), {}, {"f:x": b"r"})
        cache.save()  # eight packs: fewer than ``MAX_PACKS``, none merged yet
    before = _read_all(cache_dir)
    assert len(packs(tmp_path / "c")) == 8
    for pack in packs(tmp_path / "c")[:6]:
        os.utime(pack, (0, 0))  # old enough to merge; the two newest may still grow
    ResultCache(cache_dir, "0" * 32).store.collect(max_packs=4)
    after = packs(tmp_path / "c")
    assert len(after) == 3  # the two recent ones, and one holding what was merged
    assert _read_all(cache_dir) == before
    cache = ResultCache(cache_dir, "0" * 32)
    for index in range(7):
        record = cache.record(f"/k{index}\0")
        assert record is not None
        assert cache.rendering(record, "f:x") == b"r"


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


def test_a_file_changed_while_linted_is_linted_again_next_time(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settled_at_once: None
) -> None:
    """The result is stored under the digest of the bytes that were linted, and with the
    stamp taken before they were read: a change after the read makes the next run miss,
    by stamp and by digest."""
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    real_read = cache_module.read_source
    linted = article.read_bytes()

    def edited_just_after_the_read(path: str, max_bytes: int) -> Source:
        source = real_read(path, max_bytes)
        Path(path).write_text("---\ntitle: new\n---\n", encoding="utf-8")
        return source

    monkeypatch.setattr(cache_module, "read_source", edited_just_after_the_read)
    lint(article, rules, cache)
    monkeypatch.undo()
    record = ResultCache.for_rules(rules, str(tmp_path / "c")).record(result_key(article))
    assert record is not None
    assert record.digest == hashlib.blake2b(linted, digest_size=32).digest()
    probe = ResultCache.for_rules(rules, str(tmp_path / "c")).probe(str(article))
    assert probe is not None
    assert probe.record is None  # neither the stamp nor the digest is the new file's
    again = ResultCache.for_rules(rules, str(tmp_path / "c"))
    fresh = process_file(str(article), Linter(rules), (), Mode.CHECK).findings
    assert lint(article, rules, again) == fresh
    assert (again.hits, again.misses) == (0, 1)


def test_a_file_without_a_record_is_read_once_by_the_linter_not_by_the_look_up(
    article: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = bundled()
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    reads: list[str] = []
    real_read = cache_module.read_source

    def counted(path: str, max_bytes: int) -> Source:
        reads.append(path)
        return real_read(path, max_bytes)

    monkeypatch.setattr(cache_module, "_read", lambda path: pytest.fail(f"read {path}"))
    monkeypatch.setattr(cache_module, "read_source", counted)
    findings = lint(article, rules, cache)
    assert reads == [str(article)]
    assert (cache.hits, cache.misses) == (0, 1)
    monkeypatch.undo()
    again = ResultCache.for_rules(rules, str(tmp_path / "c"))
    assert lint(article, rules, again) == findings
    assert again.hits == 1


# What a run served from the cache by stamps has no use for: the document model and
# the rules' kinds, and the libraries they need; no run loads hashlib's OpenSSL.
NOT_NEEDED_WHEN_WARM = (
    "lint.document.document",
    "lint.engine.kinds",
    "yaml",
    "regex",
    "hashlib",
    "_hashlib",
    "json",  # the text format needs none, nor does the fingerprint
)


def test_a_run_served_by_stamps_imports_neither_the_linter_nor_hashlib(
    article: Path, tmp_path: Path
) -> None:
    def run() -> set[str]:
        args = ["check", "--cache-dir", str(tmp_path / "c"), article.name]
        done, imported = run_showing_modules(args, article.parent)
        assert done.returncode == 1, done.stderr  # the seed has findings
        assert imported
        return imported

    time.sleep(cache_module.SETTLED_SECONDS + 0.2)  # a stamp is trusted once settled
    first = run()
    assert "lint.document.document" in first  # linted
    assert "_hashlib" not in first
    assert run() & set(NOT_NEEDED_WHEN_WARM) == set()


def test_a_long_run_saves_its_records_as_it_goes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run over an archive does not hold every record until its end."""
    monkeypatch.setattr(cache_module, "SAVE_EVERY", 2)
    cache_dir = str(tmp_path / "c")
    finding = Finding("a.md", "r", "warning", "m", 0, 1, 1, 1, 1, 2)
    cache = ResultCache(cache_dir, "0" * 32)
    for index in range(3):
        cache.put(f"/k{index}\0", bytes(32), None, [finding])
    other = ResultCache(cache_dir, "0" * 32)  # another process, before the run ends
    assert [other.record(f"/k{index}\0") is not None for index in range(3)] == [
        True,
        True,
        False,
    ]
    cache.save()
    assert ResultCache(cache_dir, "0" * 32).record("/k2\0") is not None


def test_statistics_from_a_cache_filled_by_a_rendered_run_count_every_rule(
    article: Path, tmp_path: Path
) -> None:
    """The index keeps totals only; --statistics counts rules from the cached findings."""
    from click.testing import CliRunner

    from lint.cli import main

    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["check", *args, str(article)])
        assert result.exit_code == 1, result.output
        return result.stdout

    expected = run("--no-cache", "--statistics")
    cache = ["--cache-dir", str(tmp_path / "c")]
    run(*cache, "--output-format", "json")  # fills the cache, rendered
    run(*cache, "--output-format", "json")  # served rendered
    assert run(*cache, "--statistics") == expected
    assert "inline-style" in expected


def test_views_of_packs_stay_right_when_their_pages_are_handed_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "RELEASE_EVERY", 1)  # hand back after every read
    store = ResultStore(str(tmp_path / "set"), str(tmp_path))
    chunks = [bytes([index]) * (5000 + index) for index in range(6)]
    places = [store.append(chunk) for chunk in chunks]
    store.close()
    views = [store.read(place) for place in places if place is not None]
    assert [bytes(view) for view in views if view is not None] == chunks


def test_the_fingerprint_does_not_depend_on_the_order_options_were_written_in() -> None:
    from dataclasses import replace

    (rule,) = [rule for rule in bundled() if rule.id == "missing-field"]
    options = {"required": ["title", "date"], "extra": {"b": 1, "a": [1, {"y": 2, "x": 3}]}}
    backwards = {"extra": {"a": [1, {"x": 3, "y": 2}], "b": 1}, "required": ["title", "date"]}
    reordered_list = {**options, "required": ["date", "title"]}

    def fingerprint(options: dict[str, Any]) -> str:
        return rules_fingerprint([replace(rule, options=options)])

    assert fingerprint(options) == fingerprint(backwards)
    assert fingerprint(options) != fingerprint(reordered_list)  # a list keeps its order


@pytest.mark.parametrize(("output_format", "reads"), [("concise", False), ("text", True)])
def test_cached_findings_are_rendered_in_a_new_format_reading_the_file_only_for_its_text(
    article: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settled_at_once: None,
    output_format: str,
    reads: bool,
) -> None:
    """A record found by the file's stamp is trusted as a rendering would be: a format
    that does not show the file's text is rendered from the cached findings alone."""
    from lint.reporters import reporter
    from lint.reporters.base import FilePart, PartRenderer

    rules = bundled()
    linter = Linter(rules)
    lint(article, rules, ResultCache.for_rules(rules, str(tmp_path / "c")))
    chosen = reporter(output_format)
    assert chosen.render is not None
    render = PartRenderer(output_format, False, chosen.render, chosen.needs_texts)
    linted = process_file(str(article), linter, (), Mode.CHECK)
    expected = chosen.render(FilePart(str(article), linted.findings, linted.text), False)
    read: list[str] = []
    real_read = cache_module._read
    monkeypatch.setattr(cache_module, "_read", lambda path: read.append(path) or real_read(path))
    cache = ResultCache.for_rules(rules, str(tmp_path / "c"))
    result = lint_file(str(article), frozenset(), linter, Mode.CHECK, False, cache, render)
    assert bytes(result.rendered or b"").decode("utf-8") == expected
    assert cache.hits == 1
    assert bool(read) is reads
