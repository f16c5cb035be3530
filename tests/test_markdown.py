"""The Markdown layer: code blocks and spans, and links and images with exact URL spans."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support import corpus_dir

from lint.document import markdown
from lint.document.document import Document
from lint.document.markdown import CodeSpans, Link, code_regions, code_span_end, find_links, inside
from lint.document.source import Source


def code(text: str) -> list[str]:
    return [text[start:end] for start, end in code_regions(text, 0, len(text))]


def links(text: str) -> list[Link]:
    return find_links(text, 0, len(text), [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("```\na\n```\nb", ["```\na\n```"]),
        ("~~~\na\n~~~\nb", ["~~~\na\n~~~"]),
        ("```js\nx\n```\n", ["```js\nx\n```"]),
        ("  ```\nx\n  ```\n", ["  ```\nx\n  ```"]),
        ("````\na\n```\nb\n````\nc", ["````\na\n```\nb\n````"]),  # a shorter fence is text
        ("```\na\n`````\nb", ["```\na\n`````"]),  # a longer closing fence closes
        ("~~~\na\n```\nb\n~~~\n", ["~~~\na\n```\nb\n~~~"]),  # the other marker is text
        ("```\nunclosed\n<p>", ["```\nunclosed\n<p>"]),  # runs to the end
        ("```\r\na\r\n```\r\nb", ["```\r\na\r\n```\r"]),
        ("``` a`b\nnot a fence\n", []),  # a backtick in the info string: not a fence
        ("``\nx\n``\n", []),  # two backticks do not open a fence
        ("text\n```\ncode\n```", ["```\ncode\n```"]),
        ("```\na\n```\n\n```\nb\n```", ["```\na\n```", "```\nb\n```"]),
    ],
)
def test_fenced_blocks(text: str, expected: list[str]) -> None:
    assert code(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("    code\n", ["    code\n"]),
        ("\tcode\n", ["\tcode\n"]),
        ("para\n\n    code\n    more\n\n    still\nend", ["    code\n    more\n\n    still\n"]),
        ("para\n    lazy continuation\n", []),  # cannot interrupt a paragraph
        ("   three spaces\n", []),
        ("    ```\nx\n", ["    ```\n"]),  # an indented fence is code, not a fence
        # An indented block starting with '<' is HTML in an HTML body...
        ("<div>\n\n    <p>x</p>\n</div>\n", []),
        # ...and code in a Markdown body (a page's HTML quoted in an article).
        ("# Title\n\n    <p>x</p>\n", ["    <p>x</p>\n"]),
        ("<p>x</p>\n\n    not < first\n", ["    not < first\n"]),
    ],
)
def test_indented_blocks(text: str, expected: list[str]) -> None:
    assert code(text) == expected


def test_fenced_block_inside_html_body_is_still_code() -> None:
    text = "<p>x</p>\n```\n<b>\n```\n"
    assert code(text) == ["```\n<b>\n```"]


def test_regions_respect_start_and_end() -> None:
    text = "```\nfront\n```\nbody\n```\nx\n```\ntail"
    body = text.index("body")
    assert [text[s:e] for s, e in code_regions(text, body, text.index("tail"))] == ["```\nx\n```"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("`a` b", "`a`"),
        ("``a`b`` c", "``a`b``"),
        ("` `` `", "` `` `"),
        ("`a\nb`", "`a\nb`"),  # a span may cross a line break
        ("`<p>` `x`", "`<p>`"),
        ("``a` ``", "``a` ``"),
    ],
)
def test_code_span(text: str, span: str) -> None:
    assert text[: code_span_end(text, 0, len(text))] == span


@pytest.mark.parametrize("text", ["`a", "``a`", "`a``", "`a\n\nb`", "`a\r\n\r\nb`"])
def test_unmatched_backticks_are_not_a_span(text: str) -> None:
    assert code_span_end(text, 0, len(text)) == -1


@pytest.mark.parametrize(
    ("text", "image", "source", "url"),
    [
        ("![alt](a.png)", True, "![alt](a.png)", "a.png"),
        ("[x](http://a/b?c=1)", False, "[x](http://a/b?c=1)", "http://a/b?c=1"),
        ('![alt](a.png "title")', True, '![alt](a.png "title")', "a.png"),
        ("[x](u 'ti')", False, "[x](u 'ti')", "u"),
        ("[x](u (ti))", False, "[x](u (ti))", "u"),
        ("![a](<a b.png>)", True, "![a](<a b.png>)", "a b.png"),
        ('![a](<a b.png> "t")', True, '![a](<a b.png> "t")', "a b.png"),
        ("![]()", True, "![]()", ""),
        ("![](<>)", True, "![](<>)", ""),
        ("[x](a(b)c)", False, "[x](a(b)c)", "a(b)c"),
        ("[x]( spaced.png )", False, "[x]( spaced.png )", "spaced.png"),
        ("![中文](图.png)", True, "![中文](图.png)", "图.png"),
        ("![a [b] c](x.png)", True, "![a [b] c](x.png)", "x.png"),
    ],
)
def test_inline_links_and_images(text: str, image: bool, source: str, url: str) -> None:
    (link,) = links(text)
    assert link.image is image
    assert not link.reference
    assert text[link.start : link.end] == source
    assert link.url == url
    assert text[link.url_start : link.url_end] == url


@pytest.mark.parametrize(
    "text",
    [
        "![a] (b.png)",  # a space between ] and (
        "[a]\n(b)",
        "![x][nodef]",  # no definition
        "![x]",
        "[a](b c d)",  # not a valid destination and title
        "plain text",
    ],
)
def test_not_links(text: str) -> None:
    assert links(text) == []


def test_several_links_in_order() -> None:
    text = 'See [a](1), ![b](2.png) and [c](3 "t").\n![d](<4 4.png>)'
    assert [(link.image, link.url) for link in links(text)] == [
        (False, "1"),
        (True, "2.png"),
        (False, "3"),
        (True, "4 4.png"),
    ]


@pytest.mark.parametrize(
    ("text", "source", "url"),
    [
        ('![x][r]\n\n[r]: http://img/r.png "t"', "![x][r]", "http://img/r.png"),
        ("![r]\n\n[R]: <r s.png>", "![r]", "r s.png"),  # labels are case-insensitive
        ("![x][]\n[x]: y.png", "![x][]", "y.png"),  # collapsed reference
        ("![a  b][]\n\n[A B]: z.png", "![a  b][]", "z.png"),  # white space collapsed
        ("![x][r]\n\n   [r]: first.png\n[r]: second.png", "![x][r]", "first.png"),
    ],
)
def test_reference_images(text: str, source: str, url: str) -> None:
    (image,) = links(text)
    assert image.image
    assert image.reference
    assert text[image.start : image.end] == source
    assert image.url == url
    assert text[image.url_start : image.url_end] == url  # the span is in the definition


def test_linked_image_yields_the_image_and_the_link() -> None:
    """``[![alt](img)](href)`` is common in articles; the image inside must be found too."""
    text = "[![](https://i.example/a.png?utm_source=x)](https://example.com/post)"
    found = sorted((link.image, link.url) for link in links(text))
    assert found == [
        (False, "https://example.com/post"),
        (True, "https://i.example/a.png?utm_source=x"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "`![a](in-span.png)`",
        "```\n![a](fenced.png)\n[b](x)\n```\n",
        "~~~\n![a][r]\n~~~\n\n[r]: ref.png\n",
        "intro\n\n    ![a](indented.png)\n",
        '<img alt="![a](in-tag.png)">',
        "<!-- ![a](in-comment.png) -->",
        "<style>![a](in-style.png)</style>",
        "![a][r]\n\n```\n[r]: def-in-code.png\n```\n",
    ],
)
def test_nothing_is_found_in_code_or_markup(text: str) -> None:
    assert Document(Source("a.md", text)).links == []


def test_document_links_skip_the_front_matter() -> None:
    text = "---\ntitle: '[x](front.png)'\n---\n![a](body.png)\n"
    assert [link.url for link in Document(Source("a.md", text)).links] == ["body.png"]


@pytest.mark.parametrize(
    ("regions", "offset", "expected"),
    [
        ([], 0, False),
        ([(2, 5)], 1, False),
        ([(2, 5)], 2, True),
        ([(2, 5)], 4, True),
        ([(2, 5)], 5, False),  # end is exclusive
        ([(0, 1), (3, 4)], 3, True),
        ([(0, 1), (3, 4)], 2, False),
    ],
)
def test_inside(regions: list[tuple[int, int]], offset: int, expected: bool) -> None:
    assert inside(regions, offset) is expected


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.text(alphabet="`x \n\t\r", max_size=60))
def test_code_spans_agree_with_code_span_end(text: str) -> None:
    """The linear-time finder answers as ``code_span_end`` at every backtick."""
    for start in (0, len(text) // 3):
        spans = CodeSpans(text, start, len(text))
        for pos in range(start, len(text)):
            if text[pos] == "`":
                assert spans.end(pos) == code_span_end(text, pos, len(text)), (text, pos)


def line_by_line_indented_blocks(
    text: str, start: int, end: int, fenced: list[tuple[int, int]], html_body: bool
) -> list[tuple[int, int]]:
    """Indented code blocks read one line at a time: the plain statement of the rules that
    ``code_regions`` applies with a search from one possible block opening to the next."""
    blocks: list[tuple[int, int]] = []
    previous_blank = True
    block_start = block_end = -1
    pos = start
    fences = iter(fenced)
    next_fence = next(fences, None)
    while pos < end:
        if next_fence is not None and pos >= next_fence[0]:
            pos = next_fence[1]
            next_fence = next(fences, None)
            previous_blank = False
            continue
        newline = text.find("\n", pos, end)
        line_end = end if newline == -1 else newline + 1
        content = text[pos:line_end]
        blank = not content.strip()
        indented = content.startswith(("    ", "\t"))
        if block_start >= 0:
            if indented or blank:
                if not blank:
                    block_end = line_end
            else:
                blocks.append((block_start, block_end))
                block_start = -1
        elif (
            indented
            and not blank
            and previous_blank
            and not (html_body and content.lstrip().startswith("<"))
        ):
            block_start, block_end = pos, line_end
        previous_blank = blank
        pos = line_end
    if block_start >= 0:
        blocks.append((block_start, block_end))
    return blocks


# Lines of a body: an indent, then text, HTML, a fence, white space or nothing.
_LINES = st.lists(
    st.tuples(
        st.sampled_from(["", "", " ", "    ", "\t", "     ", "\u3000"]),
        st.sampled_from(["", "", "x", "<p>", "< x", "```", "~~~", "``` a`", "\u3000", "\r", "`x`"]),
        st.sampled_from(["\n", "\n", "\r\n", ""]),
    ).map("".join),
    max_size=16,
).map("".join)


@settings(max_examples=1000, derandomize=True, deadline=None)
@given(_LINES, st.integers(0, 8), st.integers(0, 8))
def test_indented_blocks_agree_with_a_line_by_line_reading(
    text: str, skip_start: int, skip_end: int
) -> None:
    """The indented blocks found by searching for their openings are those a reading line by
    line finds, around fences, in HTML and Markdown bodies, from any start to any end."""
    start = min(skip_start, len(text))
    end = max(start, len(text) - skip_end)
    fenced = markdown._fenced_blocks(text, start, end)
    for html_body in (False, True):
        expected = line_by_line_indented_blocks(text, start, end, fenced, html_body)
        assert markdown._indented_blocks(text, start, end, fenced, html_body) == expected
    html_body = markdown._is_html_body(text, start, end, fenced)
    expected = sorted(fenced + line_by_line_indented_blocks(text, start, end, fenced, html_body))
    assert code_regions(text, start, end) == expected


# CommonMark's links: text over several lines, nested brackets, titles, references.


@pytest.mark.parametrize(
    ("text", "image", "url"),
    [
        # Link text and image alt over two lines (wechat/f27890e024e1de28.md, line 87).
        ("[![电 梯 广 告\n赛！]()](/video/BV1?spm_id_from=3)", False, "/video/BV1?spm_id_from=3"),  # noqa: RUF001
        (
            "[View Account\nHolder](https://x.test/a?utm_source=m)",
            False,
            "https://x.test/a?utm_source=m",
        ),
        ("![a\nb](c.png)", True, "c.png"),
        ("[a [b [c] d] e](u)", False, "u"),  # brackets nested deeper than one level
        ('[a](u\n"title over\ntwo lines")', False, "u"),
        ("[a](\nu\n'title')", False, "u"),  # destination on the next line
        ("[a](u\\(1\\).png)", False, "u(1).png"),  # backslash escapes resolved
        ("[a](a((b)c)d)", False, "a((b)c)d"),
        ("[a\\]b](u)", False, "u"),  # an escaped bracket is text
        ("![](<exists 5.png>)", True, "exists 5.png"),
    ],
)
def test_commonmark_links(text: str, image: bool, url: str) -> None:
    link = next(link for link in links(text) if link.image is image)
    assert (link.start, link.end) == (0, len(text))
    assert link.url == url
    assert text[link.url_start : link.url_end].replace("\\", "") == url


@pytest.mark.parametrize(
    "text",
    [
        "[a\n\nb](u)",  # a blank line ends the paragraph
        "[a](u\n\n'title')",
        "[a](<b\nc>)",  # no line break inside <...>
        "\\[a](u)",  # an escaped opening bracket
        "[a](u 'unclosed)",
        "[a][undefined]\n\n[b]: x",
        "[a][ ]\n\n[b]: x",
    ],
)
def test_not_commonmark_links(text: str) -> None:
    assert links(text) == []


def test_no_link_inside_a_link_but_an_image_inside_one() -> None:
    text = "[a [b](inner) c](outer) [![i](img.png)](href)"
    assert [(link.image, link.url) for link in links(text)] == [
        (False, "inner"),
        (False, "href"),
        (True, "img.png"),
    ]


@pytest.mark.parametrize(
    ("text", "source", "url"),
    [
        (
            '[text][r]\n\n[r]: https://x.test/?utm_source=a "T"',
            "[text][r]",
            "https://x.test/?utm_source=a",
        ),
        ("[r][]\n\n[r]: <a b.png>", "[r][]", "a b.png"),
        (
            "see [R] here\n\n[r]:\n  https://x.test/r\n  'title on the next line'",
            "[R]",
            "https://x.test/r",
        ),
        ("[a\nlabel]\n\n[A LABEL]: u", "[a\nlabel]", "u"),  # a label over two lines
        ("![alt][pic]\n\n[pic]: img\\_1.png (t)", "![alt][pic]", "img_1.png"),
    ],
)
def test_reference_links(text: str, source: str, url: str) -> None:
    (link,) = links(text)
    assert link.reference
    assert text[link.start : link.end] == source
    assert link.url == url
    assert text[link.url_start : link.url_end].replace("\\", "") == url


def test_a_definition_is_not_a_link_and_its_title_must_end_the_line() -> None:
    assert links("[r]: u\n") == []
    # A footnote, not a definition: the "title" does not end the line.
    assert links("x [^1]\n\n[^1]: This is the footnote.") == []
    assert links("[r] x\n\n[r]: u 'title' tail") == []


CORPUS = corpus_dir()


@pytest.mark.skipif(not (CORPUS / "wechat").is_dir(), reason="corpus not found")
def test_link_texts_over_two_lines_in_real_articles_are_links() -> None:
    """The WeChat converter breaks long link texts over two lines (in 34 of the corpus's
    200 articles): each such link is found, with its destination. (Where it breaks the
    URL too, there is no link: CommonMark ends the destination at the line break.)"""
    checked = 0
    for path in sorted((CORPUS / "wechat").glob("*.md")):
        document = Document(Source(str(path), path.read_text(encoding="utf-8", errors="replace")))
        text = document.text
        starts = {link.label_end: link for link in document.links}
        for match in re.finditer(r"\[[^\[\]\n]*\n[^\[\]\n]*\]\((?=https?://[^\s()]+\))", text):
            if inside(document.not_text, match.start()):
                continue
            link = starts.get(match.end() - 2)
            assert link is not None, (path.name, match.group())
            assert text[link.url_start : link.url_end].startswith("http")
            checked += 1
    assert checked >= 30


def test_destination_parentheses_nest_at_most_32_deep() -> None:
    """As in cmark: 32 nested pairs are a destination, a 33rd ``(`` is not; the bound
    keeps ``[a](`` repeated from costing quadratic time."""
    deep = "[a](x" + "(" * 32 + ")" * 32 + ")"
    assert [link.url for link in find_links(deep, 0, len(deep), [])] == ["x" + deep[5:-1]]
    deeper = "[a](x" + "(" * 33 + ")" * 33 + ")"
    assert find_links(deeper, 0, len(deeper), []) == []
