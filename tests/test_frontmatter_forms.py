"""Front matter in every form the generators accept: YAML, TOML, Hugo's JSON object,
Hexo's ``;;;`` JSON and Hexo's front matter with only its closing line.

The same front matter is generated in each form from one mapping, and each form must give
the same data and, for every key at every depth, the offsets of its name and value. Real
articles: a Hugo post with TOML front matter, and the corpus of WeChat articles without
front matter (none of which may be taken for Hexo's closing-only form).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from support import build_rules, corpus_dir

from lint.document.frontmatter import FrontMatter, find_front_matter
from lint.document.source import decode
from lint.engine.config import load_config
from lint.engine.linter import Linter

DATA: dict[str, object] = {
    "title": "Emoji Support",
    "date": "2019-03-05",
    "tags": ["emoji", "hugo"],
    "author": {"name": "Hugo Authors", "login": "admin"},
}
BODY = "Emoji can be enabled in a Hugo project in a number of ways.\n\n---\n\nMore.\n"


def as_yaml(data: dict[str, object]) -> str:
    return (
        "title: Emoji Support\n"
        "date: '2019-03-05'\n"
        "tags:\n  - emoji\n  - hugo\n"
        "author:\n  name: Hugo Authors\n  login: admin\n"
    )


def as_toml(data: dict[str, object]) -> str:
    return (
        'title = "Emoji Support"\n'
        'date = "2019-03-05"\n'
        'tags = [\n  "emoji",\n  "hugo",\n]\n'
        "\n[author]\n"
        'name = "Hugo Authors"\n'
        'login = "admin"\n'
    )


def as_json_members(data: dict[str, object]) -> str:
    """The members of the JSON object, one indentation less: as Hexo writes them."""
    lines = json.dumps(data, indent=2, ensure_ascii=False).splitlines()[1:-1]
    return "".join(line.removeprefix("  ") + "\n" for line in lines)


FORMS: dict[str, Callable[[dict[str, object]], str]] = {
    "yaml": lambda data: f"---\n{as_yaml(data)}---\n{BODY}",
    "toml": lambda data: f"+++\n{as_toml(data)}+++\n{BODY}",
    "hugo-json": lambda data: json.dumps(data, indent=2, ensure_ascii=False) + "\n" + BODY,
    "hexo-json": lambda data: f";;;\n{as_json_members(data)};;;\n{BODY}",
    "hexo-json-closing-only": lambda data: f"{as_json_members(data)};;;\n{BODY}",
    "hexo-yaml-closing-only": lambda data: f"{as_yaml(data)}---\n{BODY}",
}


def parse(text: str) -> FrontMatter:
    front_matter = find_front_matter(text)
    assert front_matter is not None
    assert front_matter.problem is None, front_matter.problem
    return front_matter


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gives_the_data_and_the_body(form: str) -> None:
    text = FORMS[form](DATA)
    front_matter = parse(text)
    assert front_matter.data == DATA
    assert text[front_matter.end :] == BODY
    assert front_matter.form == next(name for name in ("yaml", "toml", "json") if name in form)
    if "closing-only" in form:
        assert front_matter.start == 0


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gives_every_key_with_its_offsets(form: str) -> None:
    text = FORMS[form](DATA)
    front_matter = parse(text)
    names = [(entry.parents, entry.name) for entry in front_matter.entries]
    assert names == [
        ((), "title"),
        ((), "date"),
        ((), "tags"),
        ((), "author"),
        (("author",), "name"),
        (("author",), "login"),
    ]
    for entry in front_matter.entries:
        span = entry.span
        assert text[span.key_start : span.key_end].strip('"') == entry.name
        value = text[span.value_start : span.value_end]
        expected = DATA if not entry.parents else DATA["author"]
        wanted = expected[entry.name]  # type: ignore[index]
        if isinstance(wanted, str):
            assert value.strip("'\"") == wanted
        elif entry.name == "tags":
            assert "emoji" in value
            assert value.rstrip().endswith(("]", "hugo"))
        else:
            assert "Hugo Authors" in value
            assert "admin" in value
    assert set(front_matter.keys) == set(DATA)


@pytest.mark.parametrize(
    ("text", "duplicated"),
    [
        ("---\npublished: true\ntitle: x\npublished: false\n---\n", "published"),
        ('{\n"published": true,\n"title": "x",\n"published": false\n}\n', "published"),
        (';;;\n"published": true,\n"published": false\n;;;\n', "published"),
        ("title: x\nauthor:\n  login: a\n  login: b\n---\nbody\n", "login"),
    ],
)
def test_a_key_given_twice_is_two_entries_of_one_mapping(text: str, duplicated: str) -> None:
    front_matter = parse(text)
    twice = [entry for entry in front_matter.entries if entry.name == duplicated]
    assert len(twice) == 2
    assert twice[0].mapping == twice[1].mapping
    assert twice[0].span.key_start < twice[1].span.key_start


@pytest.mark.parametrize(
    "text",
    [
        "Note: this is prose, not front matter.\nIt goes on.\n\n---\n\nMore prose.\n",
        "2020/1/21更新\uff1a\n\nCS 手册 4.0 中说\uff1a\n\n---\n",  # full-width colons
        "Title\n---\n\nA setext heading.\n",
        '{{< figure src="a.png" >}}\n\nText.\n',
        "{% include toc.html %}\n\nText.\n",
        "- item: one\n- item: two\n---\n",  # a list, not a mapping
    ],
)
def test_text_without_front_matter_is_not_taken_for_one(text: str) -> None:
    assert find_front_matter(text) is None


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('+++\ntitle = "x\n+++\n', 2, "not valid TOML"),
        ("+++\ndraft = false\ndraft = true\n+++\n", 3, "given twice"),
        ('{\n"title": "x",\n}\n', 3, "not valid JSON"),
        (';;;\n"title": "x"\n"date": "y"\n;;;\n', 3, "not valid JSON"),
        ("title: x\ntags: [a, b\n---\n", 3, "not valid YAML"),
        ('+++\ntitle = "x"\n', 1, "no closing '+++'"),
        ('{\n"title": "x"\n', 1, "no closing '}'"),
    ],
)
def test_each_form_reports_its_syntax_errors_with_a_position(
    text: str, line: int, words: str
) -> None:
    front_matter = find_front_matter(text)
    assert front_matter is not None
    assert front_matter.problem is not None
    assert words in front_matter.problem.message
    assert text.count("\n", 0, front_matter.problem.offset) + 1 == line


# gohugoio/hugoBasicExample, content/post/emoji-support.md (its front matter and the
# first lines of its body).
HUGO_TOML_ARTICLE = """\
+++
author = "Hugo Authors"
title = "Emoji Support"
date = "2019-03-05"
description = "Guide to emoji usage in Hugo"
tags = [
    "emoji",
]
+++

Emoji can be enabled in a Hugo project in a number of ways.
<!--more-->
The [`emojify`](https://gohugo.io/functions/emojify/) function can be called directly in \
templates or [Inline Shortcodes](https://gohugo.io/templates/shortcode-templates/#inline-shortcodes).
"""


def test_a_hugo_toml_article_is_parsed_and_its_keys_checked() -> None:
    linter = Linter(build_rules(load_config(None)))
    assert linter.lint(decode("emoji-support.md", HUGO_TOML_ARTICLE.encode())) == []
    undated = HUGO_TOML_ARTICLE.replace('date = "2019-03-05"\n', "")
    findings = linter.lint(decode("emoji-support.md", undated.encode()))
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("missing-field", 1, "front-matter field date is missing"),
    ]
    with_leftover = HUGO_TOML_ARTICLE.replace('"emoji",\n]\n', '"emoji",\n]\nsummmary = "x"\n')
    findings = linter.lint(decode("emoji-support.md", with_leftover.encode()))
    assert [(f.rule, f.line) for f in findings if f.rule != "missing-field"] == [
        ("misspelt-field", 9)
    ]


WECHAT = corpus_dir() / "wechat"


@pytest.mark.skipif(not WECHAT.is_dir(), reason="corpus not found")
def test_no_article_of_a_dump_without_front_matter_is_taken_for_one() -> None:
    taken = []
    for path in sorted(WECHAT.glob("*.md")):
        source = decode(str(path), Path(path).read_bytes())
        if source.problem is None and find_front_matter(source.text) is not None:
            taken.append(path.name)
    assert taken == []
