"""Fixes that empty a line remove it (``lint.engine.tidy``): on the seed's promotion box,
on CRLF files, across the fixes of two rules, and without joining two paragraphs."""

from __future__ import annotations

from dataclasses import replace

import pytest
from support import SEED, build_rules

from lint.document.source import read_source
from lint.engine.config import load_config
from lint.engine.findings import Edit
from lint.engine.fixer import apply_edits, fix_text
from lint.engine.linter import Linter
from lint.engine.tidy import tidy_edits


def tidied(text: str, *removed: str) -> str:
    """``text`` with each of ``removed`` (found in it) deleted, tidied."""
    edits = [Edit(text.index(piece), text.index(piece) + len(piece)) for piece in removed]
    return apply_edits(text, tidy_edits(text, edits))


@pytest.mark.parametrize(
    ("text", "removed", "expected"),
    [
        # Alone on its line: the indentation and the line break go too.
        ("a\n\n    <!-- x -->\n\nb\n", ["<!-- x -->"], "a\n\n\nb\n"),
        (
            "a\r\n\r\n    <style>s</style>  \r\n\r\nb\r\n",
            ["<style>s</style>"],
            "a\r\n\r\n\r\nb\r\n",
        ),
        # A block of several lines, and the last line without a line break.
        ("a\n\n  <div>\n  x\n  </div>\n\nb", ["<div>\n  x\n  </div>"], "a\n\n\nb"),
        ("a\n  <!-- x -->", ["<!-- x -->"], "a\n"),
        # Two edits that empty the line together (an element's tags, two rules' fixes).
        ("a\n\n  <font> </font>\n\nb\n", ["<font>", "</font>"], "a\n\n\nb\n"),
        # Text left on the line: only the edit.
        ("a <b x>y</b>\n", [" x"], "a <b>y</b>\n"),
        ("x\n  <!--c--> y\nz\n", ["<!--c-->"], "x\n   y\nz\n"),
        # Inline HTML inside a paragraph: the line goes, the paragraph stays one.
        ("a\n    <span id=q></span>\nb\n", ["<span id=q></span>"], "a\nb\n"),
        # An HTML block between two lines of text separates them: an empty line stays.
        ("a\n  <!-- x -->\nb\n", ["<!-- x -->"], "a\n\nb\n"),
        (
            "a\r\n  <div>p</div>\r\n  <!-- y -->\r\nb\r\n",
            ["<div>p</div>", "<!-- y -->"],
            "a\r\n\r\nb\r\n",
        ),
    ],
)
def test_tidy_edits(text: str, removed: list[str], expected: str) -> None:
    assert tidied(text, *removed) == expected


def test_tidied_edits_are_stable() -> None:
    text = "a\n\n    <!-- x -->\n    <p>k</p>\n"
    once = tidy_edits(text, [Edit(6, 16)])
    assert tidy_edits(text, once) == once


def test_seed_promotion_box_leaves_no_lines_of_spaces() -> None:
    source = read_source(str(SEED))
    linter = Linter(build_rules(load_config(None)))
    result = fix_text(
        source.text, lambda text: linter.lint(replace(source, text=text)), unsafe=True
    )
    before = [line for line in source.text.split("\n") if line and not line.strip()]
    after = [line for line in result.text.split("\n") if line and not line.strip()]
    assert len(after) <= len(before)
    assert " " * 12 + "\n" + " " * 12 not in result.text
    assert "appendQr_wrap" not in result.text
