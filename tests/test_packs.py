"""Rule packs: each rule's pack, the default set, the configuration's ``packs:`` and the
packs a site preset switches on (``lint.engine.packs``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lint.cli import main
from lint.engine.config import Config, configured_rules, load_config, select_rules
from lint.engine.packs import PACKS, active_packs
from lint.engine.rules import RuleError, load_rule

WECHAT_DUMP = Path(__file__).parent / "fixtures" / "rules" / "promo-text" / "bad.md"


def active_ids(config: Config, preset_packs: tuple[str, ...] = ()) -> set[str]:
    rules = configured_rules(config)
    return {rule.id for rule in select_rules(rules, config, preset_packs=preset_packs)}


def test_bundled_rules_name_registered_packs() -> None:
    packs = {rule.pack for rule in configured_rules(Config()).values()}
    assert packs <= set(PACKS)
    assert {"core", "wechat", "wordpress"} <= packs


def test_default_run_has_every_default_pack() -> None:
    rules = configured_rules(Config())
    active = active_ids(Config())
    assert active == {rule.id for rule in rules.values() if rule.enabled}
    assert {"promo-text", "editor-attribute", "wordpress-block-comment"} <= active


def test_configured_packs_replace_the_default_set(tmp_path: Path) -> None:
    path = tmp_path / ".contentlint.yaml"
    path.write_text("packs: [wechat]\n", encoding="utf-8")
    active = active_ids(load_config(str(path)))
    assert "promo-text" in active
    assert "inline-style" in active
    assert "wordpress-block-comment" not in active


def test_only_core(tmp_path: Path) -> None:
    path = tmp_path / ".contentlint.yaml"
    path.write_text("packs: []\n", encoding="utf-8")
    rules = configured_rules(load_config(str(path)))
    active = active_ids(load_config(str(path)))
    assert active == {rule.id for rule in rules.values() if rule.pack == "core" and rule.enabled}


def test_select_runs_a_rule_whatever_its_pack(tmp_path: Path) -> None:
    path = tmp_path / ".contentlint.yaml"
    path.write_text("packs: []\n", encoding="utf-8")
    config = load_config(str(path))
    chosen = select_rules(configured_rules(config), config, ["promo-text"])
    assert [rule.id for rule in chosen] == ["promo-text"]


def test_unknown_pack_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / ".contentlint.yaml"
    path.write_text("packs: [wechatt]\n", encoding="utf-8")
    config = load_config(str(path))
    with pytest.raises(RuleError, match="unknown pack 'wechatt'"):
        select_rules(configured_rules(config), config)


def test_a_preset_switches_on_a_pack_that_is_off_by_default() -> None:
    known = {"core", "wechat", "extra"}
    registered = dict(PACKS)
    try:
        PACKS["extra"] = PACKS["core"]._replace(default=False)
        assert "extra" not in active_packs(known, None)
        assert "extra" in active_packs(known, None, ["extra"])
        assert active_packs(known, ["wechat"], ["extra"]) == {"core", "wechat"}
    finally:
        PACKS.clear()
        PACKS.update(registered)


def test_pack_key_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(
        "id: x\nkind: text\nmessage: m\ndescription: d\npattern: a\npack: 'Not A Pack'\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleError, match=r"rule\.yaml:6: 'pack' must be a pack name"):
        load_rule(str(path))


def test_a_default_run_on_a_wechat_dump_finds_the_wechat_defects(tmp_path: Path) -> None:
    """No configuration, no front matter: the WeChat rules run."""
    article = tmp_path / "dump" / "a.md"
    article.parent.mkdir()
    article.write_bytes(WECHAT_DUMP.read_bytes())
    result = CliRunner().invoke(main, ["check", "--no-cache", str(article)])
    assert "promo-text" in result.stdout


def test_rules_and_explain_show_the_pack() -> None:
    listing = CliRunner().invoke(main, ["rules", "--output-format", "json"])
    packs = {rule["id"]: rule["pack"] for rule in json.loads(listing.stdout)}
    assert packs["promo-text"] == "wechat"
    assert packs["inline-style"] == "core"
    explained = CliRunner().invoke(main, ["explain", "promo-text"])
    assert "pack: wechat" in explained.stdout
