"""The rules on markup that breaks or endangers the page, on real articles of the shared
corpus, and the analyses under them: where raw-text elements end, what an inline style
does, whether a fix keeps what the reader sees.

The WeChat articles of the corpus show their ``<script>`` and ``<!DOCTYPE html>`` samples
as indented code: nothing is reported there. The RSS robot's TensorFlow.js article has a
``<script>`` in running text (``<h4>1. via <script> Tag</h4>``) and a pasted page whose
escaping was lost inside ``<pre>``; other archives have links, lists and code blocks left
open.
"""

from __future__ import annotations

from functools import cache

import pytest
from support import build_rules, corpus_dir

from lint.document.css import style_effect
from lint.document.source import decode, read_source
from lint.engine.config import load_config
from lint.engine.findings import Finding
from lint.engine.linter import Linter

CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")
NEW_RULES = ("unclosed-element", "live-script", "pasted-document", "unpaired-tag", "hidden-text")


@cache
def linter(*rules: str) -> Linter:
    return Linter(build_rules(load_config(None), select=list(rules)))


def lint_text(text: str, *rules: str) -> list[Finding]:
    return linter(*rules).lint(decode("a.md", text.encode()))


def lint_corpus(path: str, *rules: str) -> list[Finding]:
    return linter(*rules).lint(read_source(str(CORPUS / path)))


@needs_corpus
@pytest.mark.parametrize(
    "path",
    [
        "wechat/6555efc01b2c03eb.md",  # <script>alert(1)</script> as indented code
        "wechat/4d4bd2b2b80f8593.md",  # <!DOCTYPE html><html><body><script> as code
        "wechat/0047bb9ff873fb69.md",  # SVG and iframe samples as code
        "wechat/5c51c2b90dd11f9a.md",  # an Outlook page with <script language=vbscript>
        "wechat/97e7992ef06a0687.md",  # "<script language='javascript'>" in Java code
        "hugo-blog/aca30e3abc6585ac.md",  # an HTML tutorial: <!DOCTYPE html> fenced
    ],
)
def test_code_samples_in_code_are_not_reported(path: str) -> None:
    assert lint_corpus(path, *NEW_RULES) == []


@needs_corpus
def test_script_in_running_text_and_a_pasted_page_inside_pre() -> None:
    findings = lint_corpus("rsshub-page/9ab3744572db2229.md", "live-script", "pasted-document")
    live = [f for f in findings if f.rule == "live-script"]
    assert [f.line for f in live] == [16, 16, 23, 24, 72, 73]
    assert all("lost its fence" in f.message for f in live)
    assert "(it stands in running text)" in live[0].message  # <h4>1. via <script> Tag
    assert "(it is inside <pre>)" in live[2].message
    pasted = {f.message for f in findings if f.rule == "pasted-document"}
    assert pasted == {
        f"pasted web page: <{name}> inside the article" for name in ("html", "head", "body")
    }


@needs_corpus
@pytest.mark.parametrize(
    ("path", "line", "message"),
    [
        ("wechat/45b601d526403b64.md", 112, "<a> is never closed: the rest of the article ("),
        ("hugo-blog/987912ed7ae4a775.md", 42, "<ol> is never closed: the rest of the article ("),
        ("hugo-blog/7a730c35ef910958.md", 126, "<pre> is never closed"),
        ("hugo-blog/6829abe1e8727342.md", 15, "end tag </a> without a start tag"),
        ("jekyll-news/d8ef4050144d5576.md", 120, "end tag </br> without a start tag"),
    ],
)
def test_unpaired_tags_in_real_articles(path: str, line: int, message: str) -> None:
    findings = lint_corpus(path, "unpaired-tag")
    assert any(f.line == line and f.message.startswith(message) for f in findings), findings


def test_the_issues_wechat_example_hides_the_rest() -> None:
    text = (
        "\uff1a建立规则库扫描常见 Web 攻击特征\uff08<script>、union select 等\uff09。\n\n"
        "| 规则 | 动作 |\n|---|---|\n| xss | 拦截 |\n\n## 结论\n\n规则要更新。\n"
    )
    live, unclosed = lint_text(text, "unclosed-element", "live-script")  # same place
    assert unclosed.rule == "unclosed-element"
    assert "everything after it (5 lines of text)" in unclosed.message
    assert (live.rule, live.line, live.column) == ("live-script", 1, 21)
    assert "it stands in running text" in live.message


@pytest.mark.parametrize(
    ("text", "unclosed"),
    [
        ("<script>x</script >\nmore", False),
        ("<script>x</SCRIPT/>\nmore", False),
        ("<script>x</scripts>\nmore", True),  # not its end tag
        ("<script>x\n\n`</script>`\n\nmore", True),  # escaped in a code span
        ("<iframe src=x />\nmore", True),  # "/>" closes nothing in HTML
        ("<svg><script href='x'/></svg>\nmore", False),  # foreign content
        ("<plaintext>\nmore", True),  # never ends
        ("<noscript><img src=x></noscript>\nmore", False),
        ("`<script>` in code\n", False),
    ],
)
def test_where_raw_text_ends(text: str, unclosed: bool) -> None:
    assert bool(lint_text(text, "unclosed-element")) is unclosed


@pytest.mark.parametrize(
    ("style", "kind"),
    [
        ("font-size: 14px; line-height: 1.8; text-align: center", "presentational"),
        ("margin:0 auto;background-color:#f5f5f5;border:1px solid #ddd", "presentational"),
        ("color: rgb(62, 62, 62)", "presentational"),  # grey body text
        ("text-decoration: line-through", "meaning"),
        ("font-weight: bold", "meaning"),
        ("font-weight:700", "meaning"),
        ("color: red", "meaning"),
        ("color: rgb(237, 85, 101)", "meaning"),
        ("mystery-property: 1", "meaning"),  # unknown: not taken for presentational
        ("display: none", "hides"),
        ("DISPLAY:NONE !important", "hides"),
        ("visibility:hidden", "hides"),
        ("font-size: 0", "hides"),
        ("opacity: 0.0", "hides"),
        ("color:#FFF;background-color:#ffffff", "hides"),
        ("position:absolute;left:-9999px", "hides"),
        ("text-indent: -10000px", "hides"),
        ("height:0;overflow:hidden", "hides"),
    ],
)
def test_style_effect(style: str, kind: str) -> None:
    assert style_effect(style).kind == kind


def test_inline_style_fix_is_safe_only_for_presentational_styles() -> None:
    text = (
        '<p>Now <span style="text-decoration: line-through">$99</span> $49</p>\n'
        '<p style="text-align:center">centred</p>\n'
        '<p><span style="color:red">Warning:</span> hot</p>\n'
        '<div style="display:none">stuffing</div>\n'
        '<p>a<font style="font-size:14px"></font>b</p>\n'
    )
    findings = lint_text(text, "inline-style")
    assert [(f.line, f.fixable) for f in findings] == [
        (1, "unsafe"),
        (2, "safe"),
        (3, "unsafe"),
        (4, "unsafe"),
        (5, "safe"),
    ]
    font = findings[-1]
    assert font.fix is not None
    assert [text[e.start : e.end] for e in font.fix.edits] == [
        '<font style="font-size:14px"></font>'
    ]


def test_style_block_beside_live_script_is_not_fixed_safely() -> None:
    style = "<style>#x{opacity:0}</style>\n"
    alone = lint_text(style + "<p>text</p>\n", "style-block")
    beside = lint_text(style + "<img src=x onerror=alert(1)>\n", "style-block")
    unclosed = lint_text(style + "<p>a <iframe src=x></p>\n", "style-block")
    assert [f.fixable for f in alone] == ["safe"]
    assert [f.fixable for f in beside] == ["unsafe"]
    assert [f.fixable for f in unclosed] == ["unsafe"]


def test_hidden_text_is_reported_whatever_fixes_the_style() -> None:
    text = '<div style="display:none">低价 代购</div>\n<p style="color:red">Warning</p>\n'
    findings = lint_text(text, "hidden-text", "inline-style")
    assert [(f.rule, f.line) for f in findings] == [
        ("hidden-text", 1),
        ("inline-style", 1),
        ("inline-style", 2),
    ]
