"""The tolerant HTML tokenizer: exact offsets, attribute kinds, raw text, and code left alone."""

from __future__ import annotations

import itertools
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lint.document.html as html_module
from lint.document.html import Markup, Tag, tokenize
from lint.document.markdown import code_regions


def scan(text: str) -> Markup:
    """Tokenize the whole text the way Document does."""
    return tokenize(text, 0, len(text), code_regions(text, 0, len(text)))


def tag_sources(text: str) -> list[str]:
    return [text[tag.start : tag.end] for tag in scan(text).tags]


def only_tag(text: str) -> Tag:
    tags = scan(text).tags
    assert len(tags) == 1, tags
    return tags[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<p>x</p>", ["<p>", "</p>"]),
        ('a <b class="c">d</b> e', ['<b class="c">', "</b>"]),
        ("<br><br/><br />", ["<br>", "<br/>", "<br />"]),
        ('<a href="x>y">', ['<a href="x>y">']),  # '>' inside a quoted value
        ("<p\n  a='1'\n  b=\"2\"\n>", ["<p\n  a='1'\n  b=\"2\"\n>"]),
        ("<p>x</p\n>", ["<p>", "</p\n>"]),
        ("<ruby>中<rt>文</rt></ruby>", ["<ruby>", "<rt>", "</rt>", "</ruby>"]),
        ("<a\tb='1'\r\n>", ["<a\tb='1'\r\n>"]),
    ],
)
def test_tag_offsets_slice_the_source(text: str, expected: list[str]) -> None:
    assert tag_sources(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a < b and c<d",  # comparisons
        "< p>x",  # space after '<'
        "<>",
        "</>",
        "</ p>",
        "<1p>",
        "<中文>",
        "<p class='x'",  # never closed before the end of the text
        '<img src="a.png"',
        "x</p",
    ],
)
def test_text_that_is_not_a_tag(text: str) -> None:
    assert scan(text).tags == []


def test_names_are_lowered_and_flags_set() -> None:
    text = "<DIV ID=a><IMG SRC='x'/></Div >"
    start, img, end = scan(text).tags
    assert (start.name, start.closing, start.self_closing) == ("div", False, False)
    assert (img.name, img.self_closing) == ("img", True)
    assert (end.name, end.closing) == ("div", True)
    assert [a.name for a in start.attributes] == ["id"]
    assert img.attribute("src") is not None


@pytest.mark.parametrize(
    ("text", "name", "value", "value_source"),
    [
        ('<p title="a b">', "title", "a b", "a b"),
        ("<p title='a \"b\"'>", "title", 'a "b"', 'a "b"'),
        ("<p title=abc>", "title", "abc", "abc"),
        ("<p title = 'x' >", "title", "x", "x"),
        ("<p hidden>", "hidden", None, ""),
        ('<p TITLE="中文">', "title", "中文", "中文"),
        ('<p title="">', "title", "", ""),
        ('<p title="a\nb">', "title", "a\nb", "a\nb"),
        ("<p data-x=1/2>", "data-x", "1/2", "1/2"),
    ],
)
def test_attribute_value_kinds(text: str, name: str, value: str | None, value_source: str) -> None:
    attribute = only_tag(text).attributes[0]
    assert attribute.name == name
    assert attribute.value == value
    assert text[attribute.value_start : attribute.value_end] == value_source
    assert text[attribute.name_start :].lower().startswith(name)


def test_attribute_spans_include_leading_whitespace() -> None:
    text = "<p\n  a=\"1\"\tb='2' c=3 d>"
    tag = only_tag(text)
    assert [text[a.start : a.end] for a in tag.attributes] == [
        '\n  a="1"',
        "\tb='2'",
        " c=3",
        " d",
    ]
    assert [text[a.name_start : a.end] for a in tag.attributes] == ['a="1"', "b='2'", "c=3", "d"]


@pytest.mark.parametrize(
    ("text", "remove", "expected"),
    [
        ('<p a="1" style="x">', "style", '<p a="1">'),
        ('<p style="x" a="1">', "style", '<p a="1">'),
        ('<p\n  style="x"\n  a="1">', "style", '<p\n  a="1">'),
        ('<img style="x"/>', "style", "<img/>"),
        ('<img src="a" style="x" />', "style", '<img src="a" />'),
        ('<p a="1"style="x">', "style", '<p a="1">'),  # no space before the name
        ("<p cms-style=font-L>t</p>", "cms-style", "<p>t</p>"),
    ],
)
def test_removing_an_attribute_leaves_valid_html(text: str, remove: str, expected: str) -> None:
    attribute = scan(text).tags[0].attribute(remove)
    assert attribute is not None
    fixed = text[: attribute.start] + text[attribute.end :]
    assert fixed == expected
    reparsed = scan(fixed).tags[0]
    assert [a.name for a in reparsed.attributes] == [
        a.name for a in scan(text).tags[0].attributes if a.name != remove
    ]


def test_unquoted_value_ending_in_slash_is_not_self_closing() -> None:
    """In HTML ``<span id=x/>`` is an open span whose id is "x/"."""
    tag = scan("<span id=x/>y</span>").tags[0]
    assert tag.attribute("id") is not None
    assert tag.attribute("id").value == "x/"  # type: ignore[union-attr]
    assert not tag.self_closing


@pytest.mark.parametrize(
    ("text", "source", "content", "closed"),
    [
        ("a<!-- c -->b", "<!-- c -->", " c ", True),
        ("<!---->", "<!---->", "", True),
        ("<!-->x", "<!-->", "", True),  # abruptly closed
        ("<!--->x", "<!--->", "", True),
        ("<!--article_adlist[<p>]-->", "<!--article_adlist[<p>]-->", "article_adlist[<p>]", True),
        ("<!--\n中文\n-->", "<!--\n中文\n-->", "\n中文\n", True),
        ("x<!-- never closed <p>\n", "<!-- never closed <p>\n", " never closed <p>\n", False),
    ],
)
def test_comments(text: str, source: str, content: str, closed: bool) -> None:
    markup = scan(text)
    (comment,) = markup.comments
    assert text[comment.start : comment.end] == source
    assert text[comment.content_start : comment.content_end] == content
    assert comment.closed is closed
    assert markup.tags == []


def test_unclosed_comment_swallows_later_code_blocks_and_tags() -> None:
    text = "<!-- open\n\n```\ncode\n```\n<p>x</p>\n"
    markup = scan(text)
    assert markup.tags == []
    assert [c.end for c in markup.comments] == [len(text)]


def test_tags_inside_a_comment_that_encloses_a_code_block_are_not_tokens() -> None:
    text = "<!-- old\n```\ncode\n```\n<b>x</b> -->\n<i>y</i>"
    markup = scan(text)
    assert len(markup.comments) == 1
    assert [tag.name for tag in markup.tags] == ["i", "i"]


@pytest.mark.parametrize(
    ("text", "raw", "tags"),
    [
        ("<style>p{}<p></style>x", ["p{}<p>"], ["<style>", "</style>"]),
        ("<STYLE>a</STYLE >b<b>", ["a"], ["<STYLE>", "</STYLE >", "<b>"]),
        ("<style>a</stylex></style>", ["a</stylex>"], ["<style>", "</style>"]),
        (
            '<script>if (a<b) {x("</p>")}</script>',
            ['if (a<b) {x("</p>")}'],
            ["<script>", "</script>"],
        ),
        ("<textarea><b>x</textarea>", ["<b>x"], ["<textarea>", "</textarea>"]),
        ("<title>a<i>b</title>", ["a<i>b"], ["<title>", "</title>"]),
        ("<style>never closed <b>", ["never closed <b>"], ["<style>"]),
        ("<style>a</style\n>", ["a"], ["<style>", "</style\n>"]),
    ],
)
def test_raw_text_elements(text: str, raw: list[str], tags: list[str]) -> None:
    markup = scan(text)
    assert [text[start:end] for start, end in markup.raw_text] == raw
    assert [text[tag.start : tag.end] for tag in markup.tags] == tags
    assert markup.comments == []


def test_comment_inside_raw_text_is_not_a_comment() -> None:
    markup = scan("<script>var a = '<!--';</script><p>")
    assert markup.comments == []
    assert [tag.name for tag in markup.tags] == ["script", "script", "p"]


@pytest.mark.parametrize(
    ("text", "other", "tags"),
    [
        ("<!DOCTYPE html><p>", ["<!DOCTYPE html>"], ["p"]),
        ("<!doctype html>", ["<!doctype html>"], []),
        ("<?xml version='1.0'?><b>", ["<?xml version='1.0'?>"], ["b"]),
        # In HTML content a CDATA section is a bogus comment that ends at the first '>'.
        ("<![CDATA[<p>]]>", ["<![CDATA[<p>"], []),
        ("<!>", ["<!>"], []),
    ],
)
def test_doctype_processing_instructions_and_cdata(
    text: str, other: list[str], tags: list[str]
) -> None:
    markup = scan(text)
    assert [text[start:end] for start, end in markup.other] == other
    assert [tag.name for tag in markup.tags] == tags


@pytest.mark.parametrize(
    ("text", "tags", "code"),
    [
        ("Use `<p>` here <b>", ["b"], ["`<p>`"]),
        ("``a ` <p> `` <i>", ["i"], ["``a ` <p> ``"]),
        ("`<p>\n\n<b>`", ["p", "b"], []),  # a code span does not cross a blank line
        ("`unmatched <b>", ["b"], []),
        ("```\n<p>\n```\n<i>", ["i"], ["```\n<p>\n```"]),
        ("~~~html\n<div style='x'>\n~~~\n", [], ["~~~html\n<div style='x'>\n~~~"]),
        ("```\n<p>never closed", [], ["```\n<p>never closed"]),
        ("para\n\n    code <b>\n    <i>\n\n<u>", ["u"], ["    code <b>\n    <i>\n"]),
        ("text\n\n    code <b>\n", [], ["    code <b>\n"]),
        # An indented block starting with '<' is HTML in an HTML body, code in Markdown.
        ("<p>html</p>\n\n    <div>x</div>\n", ["p", "p", "div", "div"], []),
        ("markdown\n\n    <div>x</div>\n", [], ["    <div>x</div>\n"]),
        ('<a title="`x`">`<b>`', ["a"], ["`<b>`"]),  # backticks inside a tag are the tag's
    ],
)
def test_markdown_code_is_left_alone(text: str, tags: list[str], code: list[str]) -> None:
    markup = scan(text)
    assert [tag.name for tag in markup.tags] == tags
    assert [text[start:end] for start, end in markup.code] == code
    assert markup.code == sorted(markup.code)


def test_tokenize_respects_start_and_end() -> None:
    text = "<a>---\n<b>body<i>x</i>"
    body_start = text.index("<b>")
    markup = tokenize(text, body_start, text.index("<i>"), [])
    assert [text[tag.start : tag.end] for tag in markup.tags] == ["<b>"]


def test_tokens_are_in_document_order_and_do_not_overlap() -> None:
    text = (
        '<div class="a"><!-- c --><span id="quote_1"></span>`<x>`\n'
        "<style>.a{}</style><p>t<br/></p>\n\n```\n<q>\n```\n<img src=x>"
    )
    markup = scan(text)
    spans = sorted(
        [(tag.start, tag.end) for tag in markup.tags]
        + [(c.start, c.end) for c in markup.comments]
        + markup.code
        + markup.raw_text
        + markup.other
    )
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end <= start
    assert [tag.start for tag in markup.tags] == sorted(tag.start for tag in markup.tags)


_TAG_PIECES = st.sampled_from(
    [
        "<",
        ">",
        "/",
        "/>",
        " ",
        "\t",
        "\n",
        "\r",
        "\u3000",
        "=",
        '"',
        "'",
        "a",
        "p",
        "img",
        "Style",
        "cms-style",
        "data-x",
        "x/",
        "<b",
        "</",
        "</p",
        "`",
        "&",
        "--",
        "!",
        "<!--",
        "-->",
        "<?",
        "<script>",
        "</script",
        '="<"',
        "=<",
    ]
)


def tokenize_with(text: str, whole_tags: bool, remembered: bool = True) -> Markup:
    """Tokenize as Document does, or with every tag read by the careful scanner (the scan's
    searches then find only the next "<" or backtick), or without remembering tags."""
    original = (
        html_module._TOKEN,
        html_module._MARKUP_ONLY_TOKEN,
        html_module._REMEMBERED_TAG_LENGTH,
    )
    if not whole_tags:
        html_module._TOKEN = re.compile("[<`]")
        html_module._MARKUP_ONLY_TOKEN = re.compile("<")
    if not remembered:
        html_module._REMEMBERED_TAG_LENGTH = 0
    try:
        return tokenize(text, 0, len(text), code_regions(text, 0, len(text)))
    finally:
        (
            html_module._TOKEN,
            html_module._MARKUP_ONLY_TOKEN,
            html_module._REMEMBERED_TAG_LENGTH,
        ) = original


@settings(max_examples=int(os.environ.get("CONTENTLINT_FUZZ_EXAMPLES", "400")), deadline=None)
@given(st.lists(_TAG_PIECES, max_size=30).map("".join), st.booleans())
def test_tags_matched_whole_are_read_as_the_careful_scanner_reads_them(
    body: str, in_tag: bool
) -> None:
    """Tags matched whole by the scan's search, parsed alone and remembered or parsed in
    place, equal what the character-level scanner finds; so do the comments, code and
    other regions around them."""
    text = "<p " + body + ">" + body if in_tag else body
    careful = tokenize_with(text, whole_tags=False)
    assert tokenize_with(text, whole_tags=True) == careful
    assert tokenize_with(text, whole_tags=True, remembered=False) == careful


@pytest.mark.parametrize(
    "text",
    [
        '<a title="' + "x" * 5000 + '">y</a>',
        "<p " + " ".join(f"a{i}='{i}'" for i in range(2000)) + ">",
        "<P CLASS=x>a</P >" * 3,  # the same tag again: its parse is reused
        '<p a="1"><p a="1" ><p  a="1"><p a="1">',
        "<a b=c/>x</a><a b='c'/>",
        '<a title="1<2" href=x>y</a>',  # "<" in a value: read by the careful scanner
    ],
)
def test_long_and_repeated_tags_are_read_as_the_careful_scanner_reads_them(text: str) -> None:
    markup = tokenize_with(text, whole_tags=True)
    assert markup.tags
    assert markup == tokenize_with(text, whole_tags=False)


@pytest.mark.parametrize("unit", ["<a b", "<a b<c ", '<a x="<b" ', "<a b=c<d ", '<p t="<">x</p>'])
def test_markup_with_lt_inside_tags_is_read_in_linear_time(unit: str) -> None:
    """Each search attempt stops at the next "<", and the careful scanner remembers what
    it has read: 40,000 repeats take well under a second, where a scan that tried each
    "<" up to the next ">" would take minutes (no timed assertion: that would hang CI)."""
    text = unit * 40_000
    markup = tokenize(text, 0, len(text), [])
    assert all(0 <= tag.start < tag.end <= len(text) for tag in markup.tags)
