"""The element tree: implied ends, void and stray tags, and CSS selection on the lxml mirror."""

from __future__ import annotations

import pytest

from lint.document.document import Document
from lint.document.source import Source
from lint.document.tree import compile_selector, inner_tags


def document(text: str) -> Document:
    return Document(Source("a.md", text))


def outline(text: str) -> list[tuple[str, str | None, str, bool]]:
    """(name, parent name, source of the element's extent, closed) for every element."""
    return [
        (e.name, e.parent.name if e.parent else None, text[e.start : e.end], e.closed)
        for e in document(text).elements
    ]


def select(text: str, selector: str) -> list[str]:
    doc = document(text)
    return [text[e.start : e.end] for e in doc.selector_tree.select(compile_selector(selector))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<p>a<p>b",
            [("p", None, "<p>a", False), ("p", None, "<p>b", False)],
        ),
        (
            "<p>a<div>b</div>",
            [("p", None, "<p>a", False), ("div", None, "<div>b</div>", True)],
        ),
        (
            "<ul><li>a<li>b</ul>",
            [
                ("ul", None, "<ul><li>a<li>b</ul>", True),
                ("li", "ul", "<li>a", False),
                ("li", "ul", "<li>b", False),
            ],
        ),
        (
            "<tr><td>1<td>2<th>3</tr>",
            [
                ("tr", None, "<tr><td>1<td>2<th>3</tr>", True),
                ("td", "tr", "<td>1", False),
                ("td", "tr", "<td>2", False),
                ("th", "tr", "<th>3", False),
            ],
        ),
        (
            "<dl><dt>a<dd>b<dt>c</dl>",
            [
                ("dl", None, "<dl><dt>a<dd>b<dt>c</dl>", True),
                ("dt", "dl", "<dt>a", False),
                ("dd", "dl", "<dd>b", False),
                ("dt", "dl", "<dt>c", False),
            ],
        ),
        (
            "<div>x<p>a</div>y",  # an end tag closes what is open inside it
            [("div", None, "<div>x<p>a</div>", True), ("p", "div", "<p>a", False)],
        ),
        (
            "<li>a<ul><li>b</ul>",  # a nested list's <li> does not close the outer one
            [
                ("li", None, "<li>a<ul><li>b</ul>", False),
                ("ul", "li", "<ul><li>b</ul>", True),
                ("li", "ul", "<li>b", False),
            ],
        ),
    ],
)
def test_implied_ends(text: str, expected: list[tuple[str, str | None, str, bool]]) -> None:
    assert outline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<ul><li><p>a<li>b</ul>", [("ul", None), ("li", "ul"), ("p", "li"), ("li", "ul")]),
        ("<p><b>a<p>b", [("p", None), ("b", "p"), ("p", None)]),
        ("<tr><td><i>1<td>2</tr>", [("tr", None), ("td", "tr"), ("i", "td"), ("td", "tr")]),
    ],
)
def test_implied_end_closes_through_open_children(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    """Browsers close the open ``<li>``/``<p>``/``<td>`` even when something is open inside it."""
    assert [(name, parent) for name, parent, _, _ in outline(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "<p>a<br>b<img src=x></p>",
            [
                ("p", None, "<p>a<br>b<img src=x></p>", True),
                ("br", "p", "<br>", True),
                ("img", "p", "<img src=x>", True),
            ],
        ),
        ("<hr/><span/>", [("hr", None, "<hr/>", True), ("span", None, "<span/>", True)]),
        ("<IMG SRC=a><BR>", [("img", None, "<IMG SRC=a>", True), ("br", None, "<BR>", True)]),
    ],
)
def test_void_and_self_closing(
    text: str, expected: list[tuple[str, str | None, str, bool]]
) -> None:
    assert outline(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<div>a</span>b</div>", [("div", None, "<div>a</span>b</div>", True)]),
        ("</p><b>x</b>", [("b", None, "<b>x</b>", True)]),
        ("<br></br>", [("br", None, "<br>", True)]),
        (
            "<b><i>x</b>y</i>",  # </b> implies </i>; the later </i> is stray
            [("b", None, "<b><i>x</b>", True), ("i", "b", "<i>x", False)],
        ),
    ],
)
def test_stray_end_tags_are_ignored(
    text: str, expected: list[tuple[str, str | None, str, bool]]
) -> None:
    assert outline(text) == expected


def test_nested_same_name_elements() -> None:
    text = "<div id=a><div id=b>x</div>y</div>z"
    outer, inner = document(text).elements
    assert text[outer.start : outer.end] == "<div id=a><div id=b>x</div>y</div>"
    assert text[inner.start : inner.end] == "<div id=b>x</div>"
    assert inner.parent is outer
    assert outer.children == [inner]
    assert outer.end_tag is not None
    assert text[outer.end_tag.start : outer.end_tag.end] == "</div>"


def test_unclosed_element_runs_to_the_end_of_the_text() -> None:
    text = "<div><span>a"
    elements = document(text).elements
    assert [e.end for e in elements] == [len(text), len(text)]
    assert [e.closed for e in elements] == [False, False]
    assert all(e.end_tag is None for e in elements)


@pytest.mark.parametrize(
    ("text", "closed"),
    [("<p>x</p>", True), ("<p>x", False), ("<br>", True), ("<x-y/>", True), ("<p>a<p>", False)],
)
def test_closed(text: str, closed: bool) -> None:
    assert document(text).elements[0].closed is closed


def test_tags_in_code_and_front_matter_are_not_elements() -> None:
    text = "---\ntitle: '<p>'\n---\n```\n<div>\n```\n`<span>` <b>x</b>"
    assert [e.name for e in document(text).elements] == ["b"]


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("<div><span>a</span> b <i>c</i></div><p>", 0, ["div", "span", "/span", "i", "/i", "/div"]),
        ("<div><span>a</span> b <i>c</i></div><p>", 1, ["span", "/span"]),
        ("<p>a<i>b</i><p>c", 0, ["p", "i", "/i"]),  # an implied end stops before the next <p>
        ("<br><b>", 0, ["br"]),
    ],
)
def test_inner_tags(text: str, index: int, expected: list[str]) -> None:
    doc = document(text)
    element = doc.elements[index]
    assert [f"{'/' if t.closing else ''}{t.name}" for t in inner_tags(element, doc.markup)] == (
        expected
    )


PLACEHOLDERS = (
    '<span id="quote_1"></span>'
    '<span id="quote_2"> </span>'
    '<span id="quote_3">x</span>'
    '<span id="quote_4"><b></b></span>'
    '<span id="q5"></span>'
    '<span id="quote_6"/>'
)


@pytest.mark.parametrize(
    ("text", "selector", "expected"),
    [
        (
            PLACEHOLDERS,
            'span[id^="quote_"]:empty',
            ['<span id="quote_1"></span>', '<span id="quote_6"/>'],
        ),
        (
            '<div class="clearfix appendQr_wrap"><p>x</p></div><div class="b">y</div>',
            ".appendQr_wrap",
            ['<div class="clearfix appendQr_wrap"><p>x</p></div>'],
        ),
        (
            "<div><p>a</p></div><p>b</p>",
            "div > p",
            ["<p>a</p>"],
        ),
        (
            '<div class="a">x</div><span class="a">y</span><i>z</i>',
            ".a, i",
            ['<div class="a">x</div>', '<span class="a">y</span>', "<i>z</i>"],
        ),
        ("<DIV>x</DIV>", "div", ["<DIV>x</DIV>"]),
        ('<p data-SUDACLICK="x">a</p>', "[data-sudaclick]", ['<p data-SUDACLICK="x">a</p>']),
        ("<p>a<p>b", "p:empty", []),  # implied ends keep their text
        ("<p>中文</p><p>x</p>", 'p:contains("中文")', ["<p>中文</p>"]),
        ("<div>a<span>b</span>c</div>", "div:contains('c')", ["<div>a<span>b</span>c</div>"]),
        ("```\n<span></span>\n```\n", "span", []),
        ("<p>x</p>", "a:hover", []),
    ],
)
def test_selectors(text: str, selector: str, expected: list[str]) -> None:
    assert select(text, selector) == expected


def test_selector_on_odd_names_and_values() -> None:
    text = '<p a:b="1" 1x="2" title="bad \x01 char">t</p><x:y>z</x:y>'
    assert select(text, "p[title]") == [text[: text.index("</p>") + 4]]


def test_selector_returns_the_same_element_objects() -> None:
    doc = document("<div><span id=quote_1></span></div>")
    (found,) = doc.selector_tree.select(compile_selector("span"))
    assert found is doc.elements[1]


@pytest.mark.parametrize("selector", ["span[", "", "a >", "p::before", "p:nth-child(", "::"])
def test_invalid_selector_raises_value_error(selector: str) -> None:
    with pytest.raises(ValueError, match="invalid CSS selector"):
        compile_selector(selector)


DIFFERENTIAL_HTML = (
    '<div class="a  b\tc" id="x"><span id="stock_1"><a href="u">w</a></span>'
    '<span id="quote_1"></span><span id="quote_2"> </span><span id=quote_3><!--c--></span>'
    '<p lang="en-US" title="say hi">t<img src="//pixel.x/p.gif" width="1" height="1">'
    '<img src="a.png" style="display:none"/><br/></p><ul><li>1<li class="">2</ul>'
    '<x:y k="v">z</x:y><p data-Foo="Bar" title="bad \x01 char">u</div><span id=quote_9>'
)


@pytest.mark.parametrize(
    "selector",
    [
        "span",
        "SPAN",
        "p, img",
        "*",
        "#x",
        ".a",
        ".b",
        ".c",
        "div.a.b",
        ".",
        'span[id^="stock_"]',
        "span[id^=quote_]:empty",
        'span[id^="quote_"]:empty',
        "span:empty",
        "br:empty",
        'img[width="1"][height="1"]',
        'img[style*="display:none"]',
        'img[src*="//pixel."]',
        'img[src$=".gif"]',
        'img[src$=""]',
        'img[src^=""]',
        "[lang|=en]",
        '[title~="hi"]',
        '[title~=""]',
        "[data-foo]",
        '[data-foo="Bar"]',
        '[data-foo="bar"]',
        "li[class]",
        '[class=""]',
        "x-tag",
        "p[title]",
        ".appendQr_wrap, .app-kaihu-qr",
        "div span",
        "div > span",
        "li:first-child",
        "span:not([id])",
    ],
)
def test_direct_selection_matches_the_lxml_mirror(selector: str) -> None:
    doc = document(DIFFERENTIAL_HTML)
    try:
        compiled = compile_selector(selector)
    except ValueError:
        with pytest.raises(ValueError, match="invalid CSS selector"):
            compile_selector(selector + " ")
        return
    expected = doc.selector_tree.select(compiled)
    assert compiled.select(doc) == expected


@pytest.mark.parametrize(
    ("selector", "simple"),
    [("span", True), ('span[id^="q"]:empty', True), (".a, #b", True), ("div p", False)],
)
def test_simple_selectors_need_no_lxml(selector: str, simple: bool) -> None:
    assert compile_selector(selector).simple is simple


def test_selectors_pickle_as_their_text() -> None:
    import pickle

    selector = compile_selector("div p")
    restored = pickle.loads(pickle.dumps(selector))
    assert restored.css == "div p"
    assert restored.select(document("<div><p>x</p></div>"))[0].name == "p"


def test_a_dropped_tree_is_freed_without_the_cycle_collector() -> None:
    """Elements refer to their parents weakly: no tree is a reference cycle, so it is
    freed as soon as it is dropped, while the elements list keeps every parent."""
    import gc
    import weakref

    text = "<div><p>a<span>b</span></p><ul><li>c</ul></div>"
    elements = document(text).elements
    span = elements[2]
    assert span.parent is elements[1]
    assert span.parent.parent is elements[0]
    assert elements[0].parent is None
    assert [child.name for child in elements[0].children] == ["p", "ul"]
    watched = [weakref.ref(element) for element in elements]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del elements, span
        assert all(element() is None for element in watched)
    finally:
        if was_enabled:
            gc.enable()
