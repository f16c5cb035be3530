"""Front matter: fences, problems with their offsets, and the spans of top-level keys."""

from __future__ import annotations

import pytest

from lint.document.frontmatter import FrontMatter, find_front_matter


def parse(text: str) -> FrontMatter:
    front_matter = find_front_matter(text)
    assert front_matter is not None
    return front_matter


@pytest.mark.parametrize(
    "text",
    [
        "",
        "just a body\n",
        "# Title\n\n---\na: 1\n---\n",  # a fence after prose is a thematic break
        "----\na: 1\n---\n",
        "--- a: 1\n---\n",
        "\ufeff---\na: 1\n---\n",  # Source removes the BOM before this sees the text
    ],
)
def test_no_front_matter(text: str) -> None:
    assert find_front_matter(text) is None


@pytest.mark.parametrize(
    ("text", "start", "body"),
    [
        ("---\na: 1\n---\nbody", 0, "body"),
        ("\n---\na: 1\n---\nbody", 1, "body"),
        ("\n\n---\na: 1\n---\nbody", 2, "body"),
        (" \t\n\r\n---\na: 1\n---\nbody", 5, "body"),
        ("---\r\na: 1\r\n---\r\nbody", 0, "body"),
        ("---\na: 1\n...\nbody", 0, "body"),
        ("---  \na: 1\n---\t\nbody", 0, "body"),
        ("---\na: 1\n---", 0, ""),
        ("---\na: 1\n---\n---\nb: 2\n---\n", 0, "---\nb: 2\n---\n"),
    ],
)
def test_fences(text: str, start: int, body: str) -> None:
    front_matter = parse(text)
    assert front_matter.problem is None
    assert front_matter.start == start
    assert text[front_matter.start :].startswith("---")
    assert text[front_matter.end :] == body
    assert front_matter.data == {"a": 1}
    assert text[front_matter.content_start : front_matter.content_end].strip() == "a: 1"


@pytest.mark.parametrize("text", ["---\n---\nbody", "---\n\n---\n", "---\n# only a comment\n---\n"])
def test_empty_front_matter(text: str) -> None:
    front_matter = parse(text)
    assert front_matter.problem is None
    assert front_matter.data == {}
    assert front_matter.keys == {}


@pytest.mark.parametrize("text", ["---\na: 1\n", "\n---\na: 1\nbody\n", "---\r\na: 1\r\n----\r\n"])
def test_unclosed(text: str) -> None:
    front_matter = parse(text)
    assert front_matter.problem is not None
    assert "not closed" in front_matter.problem.message
    assert front_matter.problem.offset == front_matter.start
    assert text[front_matter.start :].startswith("---")
    assert front_matter.end == len(text)  # no body: nothing after the fence is fixed


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("---\na: [1\nb: 2\n---\n", ": 2"),  # the flow sequence runs into the next key
        ("---\na: 1\n  b: 2\n---\n", ": 2"),  # a mapping where a scalar ended
        ("---\ntitle: 中文\n\tb: x\n---\n", "\tb: x"),
        ('---\nt: "unterminated\nx: 1\n---\n', "---"),  # error at the end of the YAML
        ("---\r\ntitle: 中文\r\nbad: [\r\n---\r\n", "---"),
    ],
)
def test_invalid_yaml_problem_points_at_the_error(text: str, at: str) -> None:
    front_matter = parse(text)
    problem = front_matter.problem
    assert problem is not None
    assert problem.message.startswith("front matter is not valid YAML")
    assert front_matter.content_start <= problem.offset <= front_matter.end
    assert text[problem.offset :].startswith(at)
    assert text[front_matter.end :] == ""  # the extent is known even if the YAML is bad


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("---\n- a\n- b\n---\n", "list"),
        ("---\nhello\n---\n", "str"),
        ("---\n42\n---\n", "int"),
    ],
)
def test_non_mapping(text: str, kind: str) -> None:
    front_matter = parse(text)
    assert front_matter.problem is not None
    assert f"is a {kind}, not a mapping" in front_matter.problem.message
    assert front_matter.problem.offset == front_matter.content_start
    assert front_matter.data == {}


@pytest.mark.parametrize(
    "yaml_text",
    [
        "x: !!python/object:os.system {}",
        "x: !!python/object/apply:os.system ['true']",
        "x: !!python/name:os.system",
    ],
)
def test_python_tags_are_refused(yaml_text: str) -> None:
    text = f"---\ntitle: a\n{yaml_text}\n---\n"
    front_matter = parse(text)
    assert front_matter.problem is not None
    assert "not valid YAML" in front_matter.problem.message
    assert front_matter.data == {}
    assert text[front_matter.problem.offset :].startswith(yaml_text[3:])


VALUES_TEXT = (
    "---\n"
    "title: 新浪财经：服务会\n"  # noqa: RUF001 - a real title
    "plain: some words here\n"
    'dq: "quoted, with: colon"\n'
    "sq: 'single'\n"
    "empty: ''\n"
    "none:\n"
    "date: 2021-06-01 08:00:00\n"
    "flow: [a, b]\n"
    "tags:\n"
    "  - 股票\n"
    "  - finance\n"
    "last: 1\n"
    "---\n"
    "body\n"
)


@pytest.mark.parametrize(
    ("key", "source"),
    [
        ("title", "新浪财经：服务会"),  # noqa: RUF001
        ("plain", "some words here"),
        ("dq", '"quoted, with: colon"'),
        ("sq", "'single'"),
        ("empty", "''"),
        ("date", "2021-06-01 08:00:00"),
        ("flow", "[a, b]"),
        ("tags", "- 股票\n  - finance"),
        ("last", "1"),
    ],
)
def test_key_and_value_spans(key: str, source: str) -> None:
    span = parse(VALUES_TEXT).keys[key]
    assert VALUES_TEXT[span.key_start : span.key_end] == key
    assert VALUES_TEXT[span.value_start : span.value_end] == source


def test_key_without_value_has_an_empty_value_span() -> None:
    span = parse(VALUES_TEXT).keys["none"]
    assert VALUES_TEXT[span.key_start : span.key_end] == "none"
    assert span.value_start == span.value_end
    assert parse(VALUES_TEXT).data["none"] is None


@pytest.mark.parametrize(
    "text",
    [
        "---\r\ntitle: 中文\r\nauthor: x\r\n---\r\n",
        "\n\n---\ntitle: 中文\nauthor: x\n---\n",
        "---\n{title: 中文, author: x}\n---\n",
        "---\ntitle: 中文  # a comment\n\nauthor: x\n---\n",
    ],
)
def test_spans_after_crlf_blank_lines_and_cjk(text: str) -> None:
    keys = parse(text).keys
    for key, value in (("title", "中文"), ("author", "x")):
        span = keys[key]
        assert text[span.key_start : span.key_end] == key
        assert text[span.value_start : span.value_end] == value


def test_spans_after_a_lone_carriage_return() -> None:
    """libyaml counts a lone '\\r' as a line break; the offsets must agree with it."""
    text = "---\ntitle: a\rauthor: b\nlast: c\n---\n"
    front_matter = parse(text)
    assert front_matter.data == {"title": "a", "author": "b", "last": "c"}
    for key, value in front_matter.data.items():
        span = front_matter.keys[key]
        assert text[span.key_start : span.key_end] == key
        assert text[span.value_start : span.value_end] == value


def test_block_list_span_excludes_the_comments_that_follow() -> None:
    text = "---\ntags:\n  - a\n\n# next section\nlast: 1\n---\n"
    span = parse(text).keys["tags"]
    assert text[span.value_start : span.value_end] == "- a"


def test_duplicate_keys_span_the_value_that_data_holds() -> None:
    """PyYAML keeps the last of duplicate keys; the span must locate that same value."""
    text = "---\ndate: Invalid Date\ntitle: t\ndate: 2021-06-01\n---\n"
    front_matter = parse(text)
    span = front_matter.keys["date"]
    assert str(front_matter.data["date"]) == "2021-06-01"
    assert text[span.value_start : span.value_end] == "2021-06-01"


def test_non_string_keys_become_strings() -> None:
    front_matter = parse("---\n1: a\n2021: b\n---\n")
    assert front_matter.data == {"1": "a", "2021": "b"}
    assert set(front_matter.keys) == {"1", "2021"}


def _nested(depth: int, leaf: str) -> str:
    """A flow value nesting ``depth`` collections (lists and mappings in turn) around
    ``leaf``."""
    value = leaf
    for level in range(depth):
        value = f"[{value}]" if level % 2 else f"{{k: {value}}}"
    return value


@pytest.mark.parametrize("depth", [1, 2, 61, 62, 63, 64, 65, 100])
@pytest.mark.parametrize("leaf", ["x", "[]", "{}", "[a, [b]]", ""])
def test_tree_depth_check_agrees_with_the_graph_check(depth: int, leaf: str) -> None:
    """Front matter without an anchor gets the depth check only: the same answer."""
    import yaml

    from lint.document.frontmatter.yaml_form import _Loader, _tree_depth_problem, yaml_graph_problem

    source = f"a: {_nested(depth, leaf)}\nb: [1, {{c: d}}]\n"
    loader = _Loader(source)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    assert isinstance(node, yaml.MappingNode)
    assert _tree_depth_problem(node) == yaml_graph_problem(node)
    for scalar in ("just a scalar", "- a\n- b\n"):
        loader = _Loader(scalar)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
        assert _tree_depth_problem(root) == yaml_graph_problem(root)


def test_front_matter_with_anchors_keeps_the_graph_check() -> None:
    laughs = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    assert parse(f"---\n{laughs}---\n").problem is None
    deep = "a: " + _nested(70, "x") + "\n"
    problem = parse(f"---\n{deep}---\n").problem
    assert problem is not None
    assert "nests more than 64" in problem.message
    problem = parse(f"---\nx: &x y\n{deep}---\n").problem
    assert problem is not None
    assert "nests more than 64" in problem.message
