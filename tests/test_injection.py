"""Defects injected into real articles are found where they were put, and fixed away.

Real articles from the corpus (jekyll-news, hugo-blog, rsshub-page, rsshub-sina) are taken
as they are; for each fixable defect family, the first articles (in name order) where the
family's rule has no finding and the injection has a place to go get one defect at a
known line. Each case checks that:

- the family's rule reports it at that line, and only there;
- nothing else new is reported (the counts of every other rule stay the same);
- fixing with the family's rules alone gives back the original text, byte for byte.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import pytest
from support import build_rules, corpus_dir

from lint.document.document import Document
from lint.document.markdown import inside
from lint.document.source import Source, read_source
from lint.engine.config import load_config
from lint.engine.fixer import fix_text
from lint.engine.linter import Linter


def corpus_files(folder: str) -> list[Path]:
    return sorted(p for p in (CORPUS / folder).iterdir() if p.suffix in (".md", ".markdown"))


REPO = Path(__file__).resolve().parent.parent
CORPUS = corpus_dir()
FOLDERS = ("jekyll-news", "hugo-blog", "rsshub-page", "rsshub-sina")
PER_FOLDER = 2
STOCK = "sz000001"


@dataclass(frozen=True)
class Injection:
    """The injected text and the offset whose line the finding must be on."""

    text: str
    offset: int


Injector = Callable[[Document], "Injection | None"]


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _prose_lines(document: Document) -> list[tuple[int, int]]:
    """(start, end) of body lines that start and end outside code, comments and tags."""
    text = document.text
    lines = []
    for match in re.finditer(r"[^\r\n]*", text[document.body_start :]):
        start = document.body_start + match.start()
        end = document.body_start + match.end()
        content = text[start:end]
        if not content.strip() or content.startswith((" ", "\t", "|", ">", "#")):
            continue
        if inside(document.not_text, start) or inside(document.not_text, end):
            continue
        lines.append((start, end))
    return lines


def _first_start_tag(document: Document) -> int | None:
    """Offset just after the name of the first start tag that can take an attribute."""
    for tag in document.markup.tags:
        if not tag.closing and tag.name not in ("style", "script") and not tag.self_closing:
            return tag.start + 1 + len(tag.name)
    return None


def _insert(document: Document, offset: int, piece: str, line_at: int) -> Injection:
    text = document.text
    return Injection(text[:offset] + piece + text[offset:], offset + line_at)


def attribute_injector(attribute: str) -> Injector:
    def inject(document: Document) -> Injection | None:
        offset = _first_start_tag(document)
        if offset is None:
            return None
        return _insert(document, offset, f" {attribute}", 1)

    return inject


def comment_at_line_end(document: Document) -> Injection | None:
    lines = _prose_lines(document)
    if not lines:
        return None
    _, end = lines[len(lines) // 2]
    return _insert(document, end, f"<!-- news_keyword_pub,stock,{STOCK} -->", 0)


def pixel_at_line_end(document: Document) -> Injection | None:
    lines = _prose_lines(document)
    if not lines:
        return None
    _, end = lines[len(lines) // 3]
    pixel = '<img src="https://stats.example.com/p.gif?id=3" width="1" height="1">'
    return _insert(document, end, pixel, 0)


_WORD = re.compile(r"[A-Za-z]{4,}|[\u4e00-\u9fff]{2,4}")


def stock_span_around_word(document: Document) -> Injection | None:
    text = document.text
    links = [(link.start, link.end) for link in document.links]
    for line_start, line_end in _prose_lines(document):
        for word in _WORD.finditer(text, line_start, line_end):
            start, end = word.span()
            if start == line_start or inside(links, start) or inside(document.not_text, start):
                continue
            if inside(document.not_text, end - 1):
                continue
            wrapped = (
                f'<span id="stock_{STOCK}"><a href="https://finance.sina.com.cn/realstock/'
                f'company/{STOCK}/nc.shtml" class="keyword">{word.group()}</a></span>'
                f'<span id="quote_{STOCK}"></span>'
            )
            return Injection(text[:start] + wrapped + text[end:], start)
    return None


def style_block_on_blank_line(document: Document) -> Injection | None:
    text = document.text
    newline = _newline(text)
    for match in re.finditer(r"\n(?=\r?\n)", text[document.body_start :]):
        offset = document.body_start + match.end()
        if inside(document.not_text, offset) or inside(document.markup.code, offset - 1):
            continue
        block = f"<style>{newline}.appendQr_wrap&#123;border:1px solid #E6E6E6;&#125;{newline}"
        # A line of its own before the blank line: its fix removes the line it empties.
        return _insert(document, offset, block + "</style>" + newline, 0)
    return None


def utm_in_link(document: Document) -> Injection | None:
    text = document.text
    urls = [(link.url_start, link.url_end) for link in document.links if not link.image]
    urls += [
        (attribute.value_start, attribute.value_end)
        for tag in document.markup.tags
        for attribute in tag.attributes
        if attribute.name == "href"
    ]
    for start, end in sorted(urls):
        url = text[start:end]
        if not re.match(r"https?://[^\s]+\Z", url):
            continue
        fragment = url.find("#")
        offset = start + (fragment if fragment != -1 else len(url))
        piece = ("&" if "?" in url else "?") + "utm_source=rss"
        return _insert(document, offset, piece, 0)
    return None


def blank_lines_before_front_matter(document: Document) -> Injection | None:
    front_matter = document.front_matter
    if front_matter is None or front_matter.start != 0:
        return None
    newline = _newline(document.text)
    return Injection(newline * 2 + document.text, 0)


# family name: (rules that must report it, injector)
FAMILIES: dict[str, tuple[tuple[str, ...], Injector]] = {
    "style-attribute": (("inline-style",), attribute_injector('style="color:#c00"')),
    "cms-style-attribute": (("inline-style",), attribute_injector('cms-style="font-L"')),
    "sudaclick-attribute": (
        ("tracking-attribute",),
        attribute_injector('data-sudaclick="content_marketkeywords_p"'),
    ),
    "keyword-comment": (("tracking-comment",), comment_at_line_end),
    "stock-span": (("stock-keyword-span", "stock-quote-placeholder"), stock_span_around_word),
    "style-block": (("style-block",), style_block_on_blank_line),
    "utm-parameter": (("tracking-param",), utm_in_link),
    "tracking-pixel": (("tracking-pixel",), pixel_at_line_end),
    "front-matter-blank-lines": (("front-matter-position",), blank_lines_before_front_matter),
}


@cache
def all_rules_linter() -> Linter:
    return Linter(build_rules(load_config(None)))


@cache
def family_linter(family: str) -> Linter:
    return Linter(build_rules(load_config(None), select=list(FAMILIES[family][0])))


@cache
def cases(family: str) -> list[tuple[str, Path]]:
    """The first articles of each folder where ``family`` can be injected and is absent."""
    rules, inject = FAMILIES[family]
    chosen: list[tuple[str, Path]] = []
    for folder in FOLDERS:
        count = 0
        for path in corpus_files(folder) if (CORPUS / folder).is_dir() else []:
            source = read_source(str(path))
            if source.problem is not None:
                continue
            if any(f.rule in rules for f in all_rules_linter().lint(source)):
                continue
            if inject(Document(source)) is None:
                continue
            chosen.append((folder, path))
            count += 1
            if count == PER_FOLDER:
                break
    return chosen


CASES = [
    pytest.param(family, index, id=f"{family}-{index}")
    for family in FAMILIES
    for index in range(len(cases(family)))
]


@pytest.mark.parametrize(("family", "index"), CASES)
def test_injected_defect_is_found_and_fixed(family: str, index: int) -> None:
    _, path = cases(family)[index]
    source = read_source(str(path))
    injection = FAMILIES[family][1](Document(source))
    assert injection is not None
    injected: Source = replace(source, text=injection.text)
    rules = FAMILIES[family][0]

    linter = all_rules_linter()
    before = Counter(f.rule for f in linter.lint(source))
    after_findings = linter.lint(injected)
    after = Counter(f.rule for f in after_findings)
    line = injection.text.count("\n", 0, injection.offset) + 1
    for rule in rules:
        assert [f.line for f in after_findings if f.rule == rule] == [line], rule
    assert after - before == Counter(rules), "other new findings"
    assert before - after == Counter(), "findings disappeared"

    only_family = family_linter(family)
    result = fix_text(
        injection.text, lambda text: only_family.lint(replace(source, text=text)), unsafe=True
    )
    assert result.text == source.text
    assert result.findings == []


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_has_cases(family: str) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    assert len(cases(family)) >= 3, [path.name for _, path in cases(family)]
