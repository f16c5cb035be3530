"""Fixing never damages a file: properties over generated articles, races, interrupts.

Generated articles mix the defect families of scraped pages (inline styles, tracking
comments and attributes, style blocks, stock spans, promo boxes, zero-width characters,
WordPress comments, tracking parameters, leftover fields) with CJK prose, Markdown code
and links, broken markup, CRLF or mixed newlines and a byte-order mark. For each:

- fixing never loops (no ``FixError``) and is idempotent;
- a fix leaves no line of spaces behind: the lines it empties go (``lint.engine.tidy``);
- after fixing no fix that was asked for is left;
- every stretch of text outside the findings' spans is kept, byte for byte, in order;
- front matter that parsed before parses to the same data (less the fields a fix removes);
- a CRLF file stays CRLF.

The examples are derandomized (the same every run); ``CONTENTLINT_FUZZ_EXAMPLES=N``
runs N of them instead. Then the writer: a file that changes between reading and the
rename is not overwritten, and SIGINT/SIGTERM during a ``--fix`` run leaves every file
old or new and no temporary file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SEED, build_rules, outside_kept

from lint.document.frontmatter import find_front_matter
from lint.document.source import Source, decode, read_source
from lint.engine.config import load_config
from lint.engine.fixer import fix_text
from lint.engine.linter import Linter
from lint.files.writer import WriteError, write_atomic

EXAMPLES = int(os.environ.get("CONTENTLINT_FUZZ_EXAMPLES", "300"))

DEFECTS = [
    '<p style="text-indent:2em;">段落</p>',
    '<span cms-style="font-L">新浪</span>',
    "<!-- news_keyword_pub,stock,000001 -->",
    "<!--正文下iframe-->",
    "<style>.x{color:red}</style>",
    '<a data-sudaclick="blk_1" href="https://finance.sina.com.cn/">链接</a>',
    '<span id="stock_sh600000"><a href="https://finance.sina.com.cn/realstock/">浦发</a></span>',
    '<span id="quote_sh600000"></span>',
    '<div class="appendQr_wrap"><p>扫码下载</p><img src="https://x.cn/qr.png"></div>',
    "零\u200b宽\u2060字\ufeff符",
    "<!-- wp:paragraph -->",
    "<!-- /wp:paragraph -->",
    '[链接](https://example.com/a?utm_source=feed&id=3 "t")',
    '<img src="https://example.com/p.jpg?utm_medium=x" alt="图">',
    '<p style="color:red" class="a"><b style="x">粗</b></p>',
    # Alone on an indented line, as in the seed's promotion box: the line goes with it.
    "\n            <!--正文下iframe-->\n",
    '\n    <div class="appendQr_wrap">\n      <p>扫码</p>\n    </div>\n',
    "\n  <!-- wp:paragraph --><style>p{}</style>  \n",
]
PROSE = [
    "新浪财经讯 ",
    "Plain English text. ",
    "`<p style='kept'>` in code",
    "\n```\n<p style='code'>kept</p>\n```\n",
    "\n    <p style='indented'>\n",
    "![图](https://example.com/i.png)",
    "a < b & c > d",
    "<p>",
    "</div>",
    "<b><i>交错</b></i>",
    "<!-- unclosed",
    "&amp;&nbsp;",
    "\ufffd",
    "\U0001f600",
]
FIELDS = {
    "title": "标题 新浪财经",
    "date": "2024-05-01 08:00:00",
    "author": "记者",
    "categories": "[财经, 股票]",
    "tags": "[A股]",
    "description": "'<p>摘要</p>'",
}
LEFTOVER = {"wp_id": "123", "draft": "false"}


@st.composite
def articles(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from([*FIELDS, *LEFTOVER]), unique=True, max_size=6))
    values = {**FIELDS, **LEFTOVER}
    front = "".join(f"{key}: {values[key]}\n" for key in keys)
    pieces = draw(st.lists(st.sampled_from(DEFECTS + PROSE), max_size=25))
    separators = draw(st.lists(st.sampled_from(["", "\n", "\n\n", " "]), min_size=len(pieces)))
    body = "".join(piece + sep for piece, sep in zip(pieces, separators, strict=False))
    shape = draw(st.sampled_from(["front", "blank-lines-first", "no-front", "unclosed"]))
    if shape == "front":
        text = f"---\n{front}---\n{body}\n"
    elif shape == "blank-lines-first":
        text = f"\n\n---\n{front}---\n{body}\n"
    elif shape == "unclosed":
        text = f"---\n{front}{body}\n"
    else:
        text = body + "\n"
    newline = draw(st.sampled_from(["lf", "crlf", "mixed"]))
    if newline == "crlf":
        text = text.replace("\n", "\r\n")
    elif newline == "mixed":
        lines = text.split("\n")
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(lines)))
        text = "".join(line + end for line, end in zip(lines[:-1], ends, strict=False)) + lines[-1]
    return text


@cache
def linter() -> Linter:
    return Linter(build_rules(load_config(None)))


def lint_function(source: Source):  # type: ignore[no-untyped-def]
    return lambda text: linter().lint(replace(source, text=text))


def spaces_only(text: str) -> int:
    """How many lines hold nothing but spaces and tabs (not empty lines)."""
    return sum(1 for line in text.split("\n") if line.strip(" \t\r") == "" and line.strip("\r"))


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=articles(), unsafe=st.booleans(), bom=st.booleans())
def test_fixing_generated_articles_is_safe(text: str, unsafe: bool, bom: bool) -> None:
    source = decode("a.md", (b"\xef\xbb\xbf" if bom else b"") + text.encode())
    assert source.problem is None
    lint = lint_function(source)
    before = lint(source.text)

    result = fix_text(source.text, lint, unsafe)  # never raises FixError

    fixed = result.text
    assert not [f for f in result.findings if f.fix is not None and (f.fix.safe or unsafe)]
    assert fix_text(fixed, lint, unsafe).text == fixed  # idempotent
    assert outside_kept(source.text, fixed, before) is None
    assert spaces_only(fixed) <= spaces_only(source.text)
    assert source.encode(fixed).startswith(b"\xef\xbb\xbf") is bom
    if "\r\n" in text and "\n" not in text.replace("\r\n", ""):
        assert "\n" not in fixed.replace("\r\n", "")  # CRLF stays CRLF
    old, new = find_front_matter(source.text), find_front_matter(fixed)
    if old is not None and old.problem is None:
        assert new is not None
        assert new.problem is None
        removed = {f.message.split()[2] for f in before if f.rule == "leftover-field"}
        assert {k: v for k, v in old.data.items() if k not in removed} == new.data
    assert linter().failures == []


# --- the writer ------------------------------------------------------------------------


def test_file_changed_between_fixing_and_rename_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(SEED.read_bytes())
    source = read_source(str(path))
    edited = SEED.read_bytes() + "编辑加的一行\n".encode()
    real_fsync = os.fsync

    def someone_saves(descriptor: int) -> None:  # after the temporary file is written
        real_fsync(descriptor)
        path.write_bytes(edited)

    monkeypatch.setattr(os, "fsync", someone_saves)
    with pytest.raises(WriteError, match="changed on disk"):
        write_atomic(source, "fixed\n")
    assert path.read_bytes() == edited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_signal_during_a_write_waits_for_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signal_number: int
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"old\n")
    source = read_source(str(path))
    received: list[int] = []
    previous = signal.signal(signal_number, lambda number, frame: received.append(number))
    real_fsync = os.fsync

    def interrupted(descriptor: int) -> None:
        # Arrives while the temporary file is open, at this thread: a signal sent to the
        # process goes to any thread that does not hold it, and other tests leave thread
        # pools behind (dask's, distributed's) in this process.
        signal.pthread_kill(threading.get_ident(), signal_number)
        assert received == []  # held back
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", interrupted)
    try:
        write_atomic(source, "new\n")
    finally:
        signal.signal(signal_number, previous)
    assert received == [signal_number]  # delivered once the file was replaced
    assert path.read_bytes() == b"new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md"]


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_fix_run_leaves_every_file_old_or_new(
    tmp_path: Path, signal_number: int
) -> None:
    original = SEED.read_bytes()
    reference = tmp_path / "reference.md"
    reference.write_bytes(original)
    subprocess.run([sys.executable, "-m", "lint", str(reference), "--fix"], capture_output=True)
    fixed = reference.read_bytes()
    assert fixed != original
    folder = tmp_path / "archive"
    folder.mkdir()
    copies = [folder / f"{index:04d}.md" for index in range(400)]
    for path in copies:
        path.write_bytes(original)

    process = subprocess.Popen(
        [sys.executable, "-m", "lint", str(folder), "--fix", "--output-format", "json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # Wait until the run has fixed its first files, then interrupt it.
    deadline = time.monotonic() + 120
    while copies[0].read_bytes() == original and time.monotonic() < deadline:
        time.sleep(0.005)
    process.send_signal(signal_number)
    _, errors = process.communicate(timeout=120)

    states = [path.read_bytes() for path in copies]
    assert all(state in (original, fixed) for state in states)
    assert sorted(p.name for p in folder.iterdir()) == [p.name for p in copies]  # no temp files
    if process.returncode in (0, 1) and b"Aborted" not in errors:
        pytest.skip("the run finished before the signal arrived")
    assert states.count(fixed) >= 1
    assert process.returncode != 0, errors
    if signal_number == signal.SIGINT:
        assert (process.returncode, errors.strip()) == (130, b"contentlint: interrupted")
