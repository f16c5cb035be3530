"""The document model: everything the rules look at, built once per file.

``Document`` holds the decoded text and, computed on first use, the front matter (with
key offsets), the body's markup tokens, the element tree, the Markdown links and images,
and the line index. All positions are offsets into ``text``; line and column come from
``lines`` only.

Rules that look at other files (an image next to the article) ask through
``Document.files``, which records each lookup (``lint.document.lookups``) so that a cached
result can be re-checked against the file system.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property

from lint.document import markdown
from lint.document.active import ActiveMarkup, active_markup
from lint.document.frontmatter import FrontMatter, find_front_matter
from lint.document.html import Markup, Tag, tokenize
from lint.document.images import MissingSrc, UrlRef, body_image_refs, front_matter_image_refs
from lint.document.lookups import Files
from lint.document.positions import LineIndex
from lint.document.rawtext import find_unclosed
from lint.document.source import Source
from lint.document.tree import Element, ElementIndex, SelectorTree, build_tree


class Document:
    """One article: its source, text and lazily computed structure."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.path = source.path
        self.text = source.text

    @property
    def has_text(self) -> bool:
        """The file was read and decoded: rules that look at text can run (not so for a
        file in another encoding or over the size limit)."""
        return self.source.problem is None and self.source.oversize is None

    @cached_property
    def files(self) -> Files:
        """The file system seen from this article; every lookup is recorded."""
        return Files(self.path)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def front_matter(self) -> FrontMatter | None:
        return find_front_matter(self.text) if self.has_text else None

    @cached_property
    def body_start(self) -> int:
        front_matter = self.front_matter
        return front_matter.end if front_matter is not None else 0

    @cached_property
    def markup(self) -> Markup:
        text, start = self.text, self.body_start
        return tokenize(text, start, len(text), markdown.code_regions(text, start, len(text)))

    @cached_property
    def _tree(self) -> tuple[list[Element], list[Tag]]:
        strays: list[Tag] = []
        return build_tree(self.markup, len(self.text), strays), strays

    @cached_property
    def elements(self) -> list[Element]:
        return self._tree[0]

    @cached_property
    def stray_end_tags(self) -> list[Tag]:
        """The end tags of the body that close nothing, in document order."""
        return self._tree[1]

    @cached_property
    def unclosed_raw_text(self) -> Tag | None:
        """The first ``<script>``, ``<iframe>``... start tag that no end tag ends: the
        rest of the body is its content (``lint.document.rawtext``)."""
        return find_unclosed(self.text, len(self.text), self.markup, self.elements)

    @cached_property
    def active_markup(self) -> list[ActiveMarkup]:
        """The body's markup that runs code: ``<script>``, ``on…=`` handlers,
        ``javascript:`` in ``src``/``data``/``action`` (``lint.document.active``)."""
        return active_markup(self.markup)

    @cached_property
    def element_index(self) -> ElementIndex:
        """The elements by name, for selectors and the kinds that look at one element."""
        return ElementIndex(self.elements)

    @cached_property
    def attributed_tags(self) -> list[Tag]:
        """The start tags that have attributes, in document order (most tags of an
        article are end tags or bare ``<p>``)."""
        return [tag for tag in self.markup.tags if tag.attributes and not tag.closing]

    @cached_property
    def body_image_refs(self) -> tuple[UrlRef | MissingSrc, ...]:
        """The image references of the body: ``<img>``/``<source>``, then Markdown images."""
        by_name = self.element_index.by_name
        elements = [*by_name.get("img", ()), *by_name.get("source", ())]
        if "img" in by_name and "source" in by_name:
            elements.sort(key=_element_start)
        return body_image_refs(self.text, elements, self.links)

    def image_refs(self, fields: Sequence[str]) -> tuple[UrlRef | MissingSrc, ...]:
        """Every image reference: the front-matter ``fields`` that hold one, then the
        body's (``body_image_refs``)."""
        return (*front_matter_image_refs(self.front_matter, fields), *self.body_image_refs)

    @cached_property
    def selector_tree(self) -> SelectorTree:
        return SelectorTree(self.text, self.elements)

    @cached_property
    def not_text(self) -> list[tuple[int, int]]:
        """Sorted regions of the body that are not prose: code, tags, comments, raw text."""
        markup = self.markup
        regions = [(tag.start, tag.end) for tag in markup.tags]
        regions.extend((comment.start, comment.end) for comment in markup.comments)
        regions.extend(markup.code)
        regions.extend(markup.raw_text)
        regions.extend(markup.other)
        return markdown.merge_regions(regions)

    @cached_property
    def links(self) -> list[markdown.Link]:
        """Markdown links and images of the body (not those inside code or markup)."""
        text, start = self.text, self.body_start
        if text.find("]", start) == -1:
            return []  # every Markdown link and image has a "]": most bodies have none
        return markdown.find_links(text, start, len(text), self.not_text)


def _element_start(element: Element) -> int:
    return element.start
