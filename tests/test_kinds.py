"""The kinds on generated markup that mixes the cases the rules care about with broken
and odd markup: what each finds is what a plain reading of the markup gives, the two
routes of selectors (the direct matcher and lxml) agree, and rule patterns match as
``regex`` does."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import SEED

from lint.document.document import Document
from lint.document.markdown import find_links
from lint.document.source import Source
from lint.document.tree import (
    ElementIndex,
    compile_selector,
    selector_name,
)
from lint.engine.findings import Edit
from lint.engine.kinds.attributes import AttributeKind
from lint.engine.kinds.base import RulePattern, shorten
from lint.engine.kinds.images import ImageKind
from lint.engine.kinds.links import LinkKind, UrlParamKind

FRAGMENTS = [
    "<p>",
    "</p>",
    "<P class='a b'>",
    "<div>",
    "</div>",
    '<div class="clearfix appendQr_wrap">',
    "<span>",
    "</span>",
    '<span id="stock_sz300959">',
    '<span id="quote_sz300959">',
    "<span id=quote_1/>",
    "<ul>",
    "<li>",
    "</ul>",
    "<table><tr><td>",
    "<td>",
    "</table>",
    "<dl><dt>",
    "<dd>",
    '<a href="javascript:void(0)">',
    '<a href="https://x.test/a?utm_source=rss&amp;id=3" data-sudaclick="k">',
    "</a>",
    '<img src="//pixel.x.test/p.gif" width="1" height="1">',
    '<img src="http://n.sinaimg.cn/a.png" style="display:none"/>',
    '<img src="data:image/gif;base64,R0lGOD=" data-src="https://x.test/real.jpg">',
    '<img srcset="a.png 2x, b.png big">',
    "<img>",
    '<source src="//x.test/v.mp4" srcset="c.png 640w">',
    "</source>",
    '<IMG SRC="https://picsum.photos/200">',
    '<img src="https://cors.zfour.workers.dev/?http://x.test/a.jpg" data-spm-anchor="1">',
    "<x:y k='v'>",
    "</x:y>",
    "<a:b>",
    "<x-tag>",
    "<style>p{}</style>",
    '<p cms-style="font-L" title="bad \x01 char \ufffd">',
    '<p title="ctl\x02">',
    "<!-- news_keyword_pub,stock -->",
    "<!--",
    "-->",
    "![alt](http://x.test/i.png)",
    "![](//x.test/j.png)",
    "[link](javascript:void(0);)",
    "`code <img src=x>`",
    "\n```\n<img src=y>\n```\n",
    "<",
    ">",
    '"',
    "=",
    "中文",
    "\u200b",
    " ",
    "\n",
    "text",
]
FRONT_MATTER = [
    "",
    "---\ntitle: t\n---\n",
    "---\nheadimg: 'https://picsum.photos/400/300'\nthumbnail: http://x.test/t.png\n---\n",
    "---\ncover: ''\nimage: //x.test/c.png\n---\n",
    "---\nheadimg: [\n---\n",  # front matter that does not parse
]
texts = st.builds(
    lambda front, body: front + "".join(body),
    st.sampled_from(FRONT_MATTER),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40),
)
SELECTORS = [
    "span",
    "p, img",
    "img, p, span",
    "*",
    ".a",
    "div.a.b",
    ".appendQr_wrap, .app-kaihu-qr",
    'span[id^="stock_"]',
    'span[id^="quote_"]:empty',
    "span:empty",
    "style",
    'img[width="1"][height="1"], img[width="0"], img[style*="display:none"]',
    'img[src*="//pixel."], img[src$=".gif"], img[src$=""]',
    '[title~="bad"]',
    '[title*="\ufffd"]',
    '[title*="char \ufffd"]',
    '[title$="ctl\ufffd"]',
    "[data-sudaclick]",
    "a[href|=javascript]",
    "x-tag",
    "x-tag, span",
    "li, td, dd",
    "span:not([id]), img:not([title])",
]
FAST = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


def document(text: str, path: str = "doc.md") -> Document:
    return Document(Source(path, text))


@FAST
@given(texts)
def test_element_index_groups_every_element_by_selector_name(text: str) -> None:
    doc = document(text)
    index = ElementIndex(doc.elements)
    names = {selector_name(element.name) for element in doc.elements}
    assert set(index.by_name) == names
    for name in names:
        expected = [e for e in doc.elements if selector_name(e.name) == name]
        assert index.by_name[name] == expected


@FAST
@given(texts, st.sampled_from(SELECTORS))
def test_the_direct_matcher_and_lxml_select_the_same(text: str, css: str) -> None:
    doc = document(text)
    selector = compile_selector(css)
    expected = doc.selector_tree.select(selector)
    assert selector.select(doc) == expected
    assert selector.select(doc, doc.element_index) == expected


@FAST
@given(texts, st.sampled_from(SELECTORS))
def test_selector_hints_occur_wherever_the_selector_matches(text: str, css: str) -> None:
    doc = document(text)
    selector = compile_selector(css)
    hints = selector.hints()
    if hints is not None and doc.selector_tree.select(selector):
        assert any(hint.lower() in text.lower() for hint in hints)


def test_selector_hints() -> None:
    assert compile_selector("style").hints() == ("<style",)
    assert compile_selector('span[id^="stock_"]').hints() == ("stock_",)
    assert compile_selector(".appendQr_wrap, .app-kaihu-qr").hints() == (
        "appendQr_wrap",
        "app-kaihu-qr",
    )
    assert compile_selector('img[width="1"][height="1"], img').hints() == ("1", "<img")
    assert compile_selector("span:empty, [data-x]").hints() is None  # [data-x]: no value
    assert compile_selector("x-tag").hints() is None  # names that are not XML names too
    assert compile_selector('[title*="\ufffd"]').hints() is None
    assert compile_selector("div p").hints() is None  # runs on lxml


def plain_attribute_hits(doc: Document, names: list[str], tags: tuple[str, ...]) -> list[Any]:
    """The ``attribute`` kind as a walk over every tag (no value pattern)."""
    found = []
    for tag in doc.markup.tags:
        if tag.closing or (tags and tag.name not in tags):
            continue
        for attribute in tag.attributes:
            if any(re.fullmatch(name, attribute.name) for name in names):
                found.append((attribute.name_start, attribute.end, attribute.name, tag.name))
    return found


@FAST
@given(texts)
def test_attribute_kind_finds_what_a_walk_over_the_tags_finds(text: str) -> None:
    doc = document(text)
    for names, tags in (
        (["style", "cms-style"], ()),
        (["data-spm(-.*)?", "data-sudaclick"], ()),
        (["src|title"], ("img", "p")),
    ):
        kind = AttributeKind.create({"names": names, "tags": list(tags)}, None)
        hits = [(h.start, h.end, h.values["attribute"], h.values["tag"]) for h in kind.check(doc)]
        assert hits == plain_attribute_hits(doc, names, tags)
    assert doc.attributed_tags == [
        tag for tag in doc.markup.tags if not tag.closing and tag.attributes
    ]


@FAST
@given(texts, texts)
def test_attribute_kind_values_and_edits_are_those_of_each_attribute(text: str, other: str) -> None:
    # One kind on two documents: its remembered message values must not leak between
    # attributes, tags or documents.
    kind = AttributeKind.create({"names": ["style", "cms-style", "title", "src"]}, "remove")
    same = '<p style="x"><img style="x" src=""><i style="x" title="">'  # the same attribute
    for doc in (document(text), document(other), document(same), document(text)):
        expected = [
            (
                attribute.name_start,
                attribute.end,
                {
                    "attribute": attribute.name,
                    "value": shorten(attribute.value or ""),
                    "tag": tag.name,
                },
                (Edit(attribute.start, attribute.end),),
            )
            for tag in doc.markup.tags
            if not tag.closing
            for attribute in tag.attributes
            if attribute.name in ("style", "cms-style", "title", "src")
        ]
        hits = [(hit.start, hit.end, dict(hit.values), hit.edits) for hit in kind.check(doc)]
        assert hits == expected


LINK_FRAGMENTS = [
    *FRAGMENTS,
    "[ref]: http://x.test/r.png",
    "\n[ref]: <//x.test/s.png>\n",
    "![ref]",
    "![alt][ref]",
    "[text](http://x.test/)",
    "<a title='![x](y.png)'>",
    "<!-- ![c](c.png) -->",
    "`![d](d.png)`",
    "]",
    "(",
    "[",
]


@FAST
@given(
    st.builds(
        lambda front, body: front + "".join(body),
        st.sampled_from(FRONT_MATTER),
        st.lists(st.sampled_from(LINK_FRAGMENTS), max_size=40),
    )
)
def test_links_are_found_outside_markup_and_code(text: str) -> None:
    doc = document(text)
    assert doc.links == find_links(text, doc.body_start, len(text), doc.not_text)


@FAST
@given(texts)
def test_url_param_and_link_kinds_look_at_every_attribute_and_link(text: str) -> None:
    doc = document(text)
    params = UrlParamKind.create({"params": ["utm_*"], "attributes": ["href", "src"]}, None)
    expected = [
        (attribute.value_start + attribute.value.index("?"))
        for tag in doc.markup.tags
        if not tag.closing
        for attribute in tag.attributes
        if attribute.name in ("href", "src") and attribute.value and "?" in attribute.value
        if re.search(r"[?&](amp;)?utm_", attribute.value)
    ]
    found = [hit.start for hit in params.check(doc)]
    assert found[: len(expected)] == expected
    links = LinkKind.create({"pattern": "^(?i:javascript):", "markdown": False}, None)
    expected_links = [
        element.start
        for element in doc.elements
        if element.name == "a"
        and (href := element.tag.attribute("href")) is not None
        and href.value is not None
        and html.unescape(href.value).strip().lower().startswith("javascript:")
    ]
    assert [hit.start for hit in links.check(doc)] == expected_links


@FAST
@given(texts)
def test_lazy_placeholders_look_at_every_img(text: str) -> None:
    doc = document(text)
    kind = ImageKind.create({"check": "placeholder", "patterns": ["^$^"]}, None)
    expected = [
        src.name_start
        for tag in doc.markup.tags
        if not tag.closing and tag.name == "img"
        if (src := tag.attribute("src")) is not None
        if (real := tag.attribute("data-src")) is not None and (real.value or "").strip()
        if html.unescape(src.value or "").strip()[:5].lower() == "data:"
    ]
    assert [hit.start for hit in kind.check(doc)] == expected


@pytest.mark.parametrize(
    "pattern",
    [
        "news_keyword_pub",
        "正文下iframe",
        "two words",
        "",
        "wp:",
        "a.b",
        "^\\s*article_adlist\\[",
        "(?i)News",
        "a\tb",
        "x#y",
        "a-b",
        "[ab]",
        "cms-style",
        "a&b~c",
        "data-track(ing)?(-.*)?",
        "burst_.*",
    ],
)
def test_found_in_is_whether_search_finds(pattern: str) -> None:
    compiled = RulePattern(pattern)
    texts = ["", "news_keyword_pub,stock", " 正文下iframe ", "two words", "wp:image", "a.b"]
    texts += [pattern, "cms-style", "a&b~c", "x#y", "a-b", "data-tracking-id", "burst_x"]
    for text in texts:
        for subject in (text, f"x{text}y", text.upper()):
            assert compiled.found_in(subject) is (compiled.search(subject) is not None)
            assert compiled.fullmatches(subject) is (compiled.fullmatch(subject) is not None)


def test_literal_patterns_are_those_regex_escape_leaves_alone() -> None:
    """A pattern is literal when ``regex`` leaves it as it is, but for "-", "#", "&" and
    "~", which ``regex.escape`` escapes for sets and verbose mode only."""
    import regex

    from lint.engine.kinds.base import _is_literal

    for code in range(0x3100):
        char = chr(code)
        escaped = regex.escape(char, special_only=True, literal_spaces=True) != char
        assert _is_literal(char) is (not escaped or char in "-#&~"), repr(char)
        if _is_literal(char):  # it matches itself, and only itself
            assert regex.fullmatch(char, char) is not None, repr(char)
            assert regex.search(char, "x" if char != "x" else "y") is None, repr(char)


@FAST
@given(st.text(st.characters(codec="utf-8"), max_size=12))
def test_literal_patterns_are_valid_and_match_themselves(text: str) -> None:
    """Loading a rule does not compile its literal patterns: each is a valid pattern."""
    import regex

    from lint.engine.kinds.base import _is_literal

    if _is_literal(text):
        assert regex.compile(text).fullmatch(text) is not None
        assert regex.compile(text).search(text[:-1]) is None or not text


def test_found_in_keeps_the_file_budget() -> None:
    from lint.engine.kinds import base

    with base.regex_budget(0), pytest.raises(base.RegexTimeout, match="all rule patterns"):
        RulePattern("plain").found_in("plain text")


@FAST
@given(
    st.lists(
        st.sampled_from(["a", "中文", " ", "  ", "\n", "\t", "\u3000", "word "]), max_size=400
    ),
    st.sampled_from([1, 2, 40, 60]),
)
def test_shorten_looks_at_a_prefix_of_long_texts(pieces: list[str], limit: int) -> None:
    text = "".join(pieces)
    collapsed = " ".join(text.split())
    expected = collapsed if len(collapsed) <= limit else collapsed[: limit - 1] + "…"
    assert shorten(text, limit) == expected


@pytest.mark.parametrize("css", SELECTORS)
def test_selection_on_each_fragment_and_the_seed(css: str) -> None:
    selector = compile_selector(css)
    seed = SEED.read_text(encoding="utf-8")
    for text in [seed, "".join(FRAGMENTS), *FRAGMENTS, *(f + "x</p>" for f in FRAGMENTS)]:
        doc = document(text)
        assert selector.select(doc, doc.element_index) == doc.selector_tree.select(selector)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021/09/01", True),
        ("2021/9/1 08:00", True),
        ("2021/09/01 08:00:00", True),
        ("2021/02/30", False),
        ("2021-09-01 08:00", True),  # ISO
        ("Wed, 01 Sep 2021 08:00:00 +0800", True),
        ("Invalid Date", False),
        ("2021 09 01", False),
    ],
)
def test_named_date_formats(value: str, expected: bool) -> None:
    from lint.engine.kinds.front_matter import NAMED_DATE_FORMATS, parse_date

    assert parse_date(value, NAMED_DATE_FORMATS) is expected
    assert parse_date(value, ("slashes",)) is (expected and "/" in value)


def test_not_attribute_runs_on_the_fast_route_and_agrees_with_lxml() -> None:
    """``:not([attr])`` (head-element's selector) stays off the lxml route, which is
    superlinear on deeply nested markup."""
    css = "link:not([itemprop]), meta:not([itemprop])"
    selector = compile_selector(css)
    assert selector.simple  # the fast matcher takes it
    doc = document(
        '<div><meta itemprop="name" content="x"><meta charset="utf-8">'
        '<link rel="stylesheet" href="a.css"><link itemprop="url" href="b"></div>'
    )
    found = selector.select(doc)
    assert [element.tag.attribute("itemprop") for element in found] == [None, None]
    assert [element.name for element in found] == ["meta", "link"]
    assert found == doc.selector_tree.select(selector)
