"""Fuzzing the whole pipeline: bytes → decode → document model → every rule → fixer.

Inputs are raw bytes, the seed article with stretches replaced by random bytes or
markup fragments, and random sequences of those fragments. Whatever comes in: no
exception escapes, no rule fails, every finding's span lies in the text, fixing settles
(no ``FixError``) and is idempotent, and an undecodable input is never fixed.

CI runs a bounded, derandomized number of examples per target (``EXAMPLES``); run
longer by hand with ``CONTENTLINT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py
--hypothesis-show-statistics`` (which also prints how many inputs ran).
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import build_rules

from lint.document.document import Document
from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.fixer import fix_text
from lint.engine.linter import Linter

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "seeds" / "sina-finance-fuwuhui.md").read_bytes()
EXAMPLES = int(os.environ.get("CONTENTLINT_FUZZ_EXAMPLES", "500"))
FRAGMENTS = [
    b"<",
    b">",
    b"</",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"<?",
    b"&",
    b"&amp;",
    b'"',
    b"'",
    b"=",
    b"/>",
    b"`",
    b"```\n",
    b"    ",
    b"\n",
    b"\r\n",
    b"\r",
    b"---\n",
    b"...\n",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff",
    b"\xe4\xb8",  # a cut UTF-8 sequence
    "中文".encode(),
    "\u200b".encode(),
    b"<p style='a'>",
    b'<div class="appendQr_wrap">',
    b'<span id="quote_x"></span>',
    b"<style>",
    b"</style>",
    b"<script>",
    b"[a](",
    b"![b](http://x/?utm_source=y&",
    b"]: ",
    b"title: ",
    b"&a ",
    b"*a",
    b"!!python/object ",
    b"- ",
    b"{",
    b"[",
]
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@cache
def linter() -> Linter:
    return Linter(build_rules(load_config(None)))


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 8))):
        start = draw(st.integers(0, len(data)))
        end = min(len(data), start + draw(st.integers(0, 400)))
        patch = draw(st.one_of(st.binary(max_size=40), st.sampled_from(FRAGMENTS)))
        data[start:end] = patch
    return bytes(data)


fragments = st.lists(st.sampled_from(FRAGMENTS) | st.binary(max_size=8), max_size=80).map(b"".join)


def run_pipeline(data: bytes) -> None:
    source = decode("fuzz.md", data)
    document = Document(source)
    if source.problem is None:  # every lazily built part of the model, whatever the rules use
        document.front_matter  # noqa: B018
        document.markup  # noqa: B018
        document.elements  # noqa: B018
        document.selector_tree  # noqa: B018
        document.not_text  # noqa: B018
        document.links  # noqa: B018
        document.lines  # noqa: B018
    lint = linter()

    def lint_text(text: str) -> list:  # type: ignore[type-arg]
        return lint.lint(replace(source, text=text))

    findings = lint_text(source.text)
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(source.text), finding
        assert finding.line >= 1
        assert finding.column >= 1
    fixed = fix_text(source.text, lint_text, unsafe=True)
    if source.problem is not None:
        assert fixed.text == source.text  # an undecodable file is never fixed
    assert fix_text(fixed.text, lint_text, unsafe=True).text == fixed.text
    assert lint.failures == [], lint.failures[:3]


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_fuzz_raw_bytes(data: bytes) -> None:
    run_pipeline(data)


@SETTINGS
@given(data=mutated_seed())
def test_fuzz_mutated_seed(data: bytes) -> None:
    run_pipeline(data)


@SETTINGS
@given(data=fragments)
def test_fuzz_markup_fragments(data: bytes) -> None:
    run_pipeline(data)
