"""The element tree of a body, built from the tokens, and CSS selection on it.

Elements are matched to end tags the way browsers do for the common cases: void
elements never have content, an end tag closes the nearest open element of its name
(closing what is open inside it), a stray end tag is ignored, and a few start tags close
an open ``<p>``, ``<li>``, ``<td>``... An element knows whether its end was written
(``end_tag``) or implied; only the former can be removed safely.

Selectors are compiled by cssselect into XPath and run by lxml on a mirror tree built on
demand, so documents that no selector rule looks at never pay for it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from lint.html import Markup, Tag

if TYPE_CHECKING:
    from lxml import etree

VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_BLOCKS_CLOSING_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dialog",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
# Where the search for an element to close implicitly stops (HTML's "button scope").
_SCOPE = frozenset(
    {"applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "button"}
)
# A start tag: the open elements it closes, and the elements the search does not cross.
_IMPLIED_END = {
    "li": (frozenset({"li"}), _SCOPE | {"ul", "ol"}),
    "dt": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "dd": (frozenset({"dt", "dd"}), _SCOPE | {"dl"}),
    "tr": (frozenset({"tr"}), frozenset({"table", "tbody", "thead", "tfoot", "html"})),
    "td": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"})),
    "th": (frozenset({"td", "th"}), frozenset({"tr", "table", "html"})),
    "option": (frozenset({"option"}), frozenset({"select", "datalist", "optgroup"})),
}
_CLOSES_P = (frozenset({"p"}), _SCOPE)
_XML_NAME = re.compile(r"[A-Za-z_][\w.-]*\Z")


@dataclass(eq=False, slots=True)
class Element:
    """An element: its start tag, its end tag if one was written, and its children."""

    tag: Tag
    parent: Element | None
    end_tag: Tag | None = None
    end: int = -1  # offset where the element ends (written or implied)
    children: list[Element] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.tag.name

    @property
    def start(self) -> int:
        return self.tag.start

    @property
    def closed(self) -> bool:
        """Whether the element's extent is certain: an end tag, or nothing to close."""
        return self.end_tag is not None or self.tag.self_closing or self.name in VOID_ELEMENTS


class _OpenElements:
    """The stack of open elements, with a count per name so that closing a name that is
    not open costs nothing (deeply nested markup stays linear)."""

    def __init__(self) -> None:
        self.stack: list[Element] = []
        self.counts: Counter[str] = Counter()

    def push(self, element: Element) -> None:
        self.stack.append(element)
        self.counts[element.tag.name] += 1

    def pop_from(self, depth: int, end: int) -> None:
        """Close the elements from ``depth`` up, their ends implied at ``end``."""
        for element in self.stack[depth:]:
            element.end = end
            self.counts[element.name] -= 1
        del self.stack[depth:]

    def close_implied(self, tag: Tag, names: frozenset[str], boundaries: frozenset[str]) -> None:
        """Close the nearest open element named in ``names`` (and everything open inside
        it), unless a boundary element comes first, as browsers do for ``<li>``, ``<p>``."""
        counts = self.counts
        for name in names:  # a loop, not any(): this runs for most start tags
            if counts[name]:
                break
        else:
            return
        stack = self.stack
        for depth in range(len(stack) - 1, -1, -1):
            name = stack[depth].name
            if name in names:
                self.pop_from(depth, tag.start)
                return
            if name in boundaries:
                return

    def close(self, end_tag: Tag) -> None:
        """An end tag closes the nearest open element of its name; a stray one nothing."""
        name = end_tag.name
        if not self.counts[name]:
            return
        stack = self.stack
        top = stack[-1]  # an open element of that name: the stack is not empty
        if top.tag.name == name:  # the usual case: the innermost element closes
            top.end_tag = end_tag
            top.end = end_tag.end
            self.counts[name] -= 1
            stack.pop()
            return
        for depth in range(len(stack) - 1, -1, -1):
            element = stack[depth]
            if element.name == end_tag.name:
                self.pop_from(depth + 1, end_tag.start)
                element.end_tag = end_tag
                element.end = end_tag.end
                self.counts[element.name] -= 1
                stack.pop()
                return


def build_tree(markup: Markup, body_end: int) -> list[Element]:
    """Build the elements from ``markup.tags``; returns them in document order."""
    elements: list[Element] = []
    open_elements = _OpenElements()
    stack = open_elements.stack
    for tag in markup.tags:
        if tag.closing:
            open_elements.close(tag)
            continue
        if tag.name in _BLOCKS_CLOSING_P:
            open_elements.close_implied(tag, *_CLOSES_P)
        implied = _IMPLIED_END.get(tag.name)
        if implied is not None:
            open_elements.close_implied(tag, *implied)
        element = Element(tag, stack[-1] if stack else None)
        if element.parent is not None:
            element.parent.children.append(element)
        elements.append(element)
        if tag.self_closing or tag.name in VOID_ELEMENTS:
            element.end = tag.end
        else:
            open_elements.push(element)
    for element in stack:
        element.end = body_end
    return elements


def _tag_start(tag: Tag) -> int:
    return tag.start


def inner_tags(element: Element, markup: Markup) -> Iterator[Tag]:
    """Every tag token from the element's start tag to its end tag, inclusive."""
    index = bisect_left(markup.tags, element.start, key=_tag_start)
    for tag in markup.tags[index:]:
        if tag.start >= element.end:
            break
        yield tag


_IDENT = r"-?[A-Za-z_][A-Za-z0-9_-]*"
_STRING = r"\"[^\"\\\n]*\"|'[^'\\\n]*'"
_SIMPLE_PART = re.compile(
    rf"#(?P<id>{_IDENT})|\.(?P<cls>{_IDENT})"
    rf"|\[\s*(?P<attr>{_IDENT})\s*(?:(?P<op>[~|^$*]?=)\s*(?P<value>{_STRING}|{_IDENT})\s*)?\]"
    r"|(?P<empty>:empty)(?![\w(-])"
)
_SIMPLE_TYPE = re.compile(rf"\*|{_IDENT}")
_XPATH_SPACE = re.compile("[ \t\r\n]+")
# One test of a compound selector: (attribute name, operator, value); operator "" means
# "the attribute exists", ":empty" the pseudo-class.
_Test = tuple[str, str, str]


def _parse_compound(text: str) -> tuple[str | None, tuple[_Test, ...]] | None:
    """``tag#id.class[attr^="v"]:empty`` as (tag or None, tests); None if not that simple."""
    type_match = _SIMPLE_TYPE.match(text)
    tag: str | None = None
    pos = 0
    if type_match is not None:
        tag = None if type_match.group() == "*" else type_match.group().lower()
        pos = type_match.end()
    tests: list[_Test] = []
    while pos < len(text):
        part = _SIMPLE_PART.match(text, pos)
        if part is None:
            return None
        if part.group("id") is not None:
            tests.append(("id", "=", part.group("id")))
        elif part.group("cls") is not None:
            tests.append(("class", "~=", part.group("cls")))
        elif part.group("attr") is not None:
            value = part.group("value") or ""
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            tests.append((part.group("attr").lower(), part.group("op") or "", value))
        else:
            tests.append(("", ":empty", ""))
        pos = part.end()
    if type_match is None and not tests:
        return None
    return tag, tuple(tests)


def _parse_simple(selector: str) -> tuple[tuple[str | None, tuple[_Test, ...]], ...] | None:
    """A comma list of compound selectors without combinators, or None (use lxml)."""
    compounds = []
    for part in selector.split(","):
        compound = _parse_compound(part.strip())
        if compound is None:
            return None
        compounds.append(compound)
    return tuple(compounds)


def _attribute_test(element: Element, name: str, operator: str, value: str) -> bool:
    if operator == ":empty":
        if element.children:
            return False
        if element.end_tag is None and element.closed:
            return True
        content_end = element.end_tag.start if element.end_tag else element.end
        return content_end <= element.tag.end
    attribute = element.tag.attribute(name)
    if attribute is None:
        return False
    if not operator:
        return True
    actual = _xml_text(attribute.value or "")
    if operator == "=":
        return actual == value
    if operator == "|=":
        return actual == value or actual.startswith(value + "-")
    if not value:
        return False  # cssselect: ^=, $=, *= and ~= with an empty value never match
    if operator == "^=":
        return actual.startswith(value)
    if operator == "$=":
        return actual.endswith(value)
    if operator == "*=":
        return value in actual
    # "~=": a white-space separated word (XPath's normalize-space white space)
    return _XPATH_SPACE.search(value) is None and value in _XPATH_SPACE.split(actual)


class Selector:
    """A compiled CSS selector.

    Simple selectors (a comma list of ``tag#id.class[attr op "value"]:empty``, which is
    what rules use) run directly on the elements; anything else is compiled by cssselect
    and runs on the lxml mirror. Both give the same elements in document order. Selectors
    pickle as their source text, so rules can be sent to worker processes.
    """

    def __init__(self, css: str) -> None:
        self.css = css
        self._simple = _parse_simple(css)
        self._xpath: Any = None
        if self._simple is None:
            self._xpath = _compile_xpath(css)  # validates now, raising ValueError

    @property
    def xpath(self) -> Any:
        """The lxml XPath of the selector (compiled on first use)."""
        if self._xpath is None:
            self._xpath = _compile_xpath(self.css)
        return self._xpath

    @property
    def simple(self) -> bool:
        return self._simple is not None

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        return compile_selector, (self.css,)

    def __repr__(self) -> str:
        return f"Selector({self.css!r})"

    def select(self, document: Any) -> list[Element]:
        """The elements of ``document`` (a Document) matched, in document order."""
        if self._simple is None:
            result: list[Element] = document.selector_tree.select(self)
            return result
        return self.filter(document.elements)

    def filter(self, elements: list[Element]) -> list[Element]:
        """The matching elements of ``elements``; only for simple selectors."""
        assert self._simple is not None
        compounds = self._simple
        found = []
        for element in elements:
            name = element.tag.name
            for tag, tests in compounds:
                if tag is not None and tag != (name if _XML_NAME.match(name) else "x-tag"):
                    continue
                if all(_attribute_test(element, *test) for test in tests):
                    found.append(element)
                    break
        return found


@lru_cache(maxsize=512)
def compile_selector(selector: str) -> Selector:
    """Compile a CSS selector. Raises ValueError when it is invalid."""
    return Selector(selector)


def _compile_xpath(selector: str) -> Any:
    from cssselect import HTMLTranslator, SelectorError
    from lxml import etree

    try:
        return etree.XPath(HTMLTranslator().css_to_xpath(selector))
    except (SelectorError, etree.XPathSyntaxError, NotImplementedError) as error:
        raise ValueError(f"invalid CSS selector {selector!r}: {error}") from error


class SelectorTree:
    """An lxml mirror of the elements, for running compiled selectors."""

    def __init__(self, text: str, elements: list[Element]) -> None:
        from lxml import etree

        self.root: etree._Element = etree.Element("html")
        self._elements: dict[etree._Element, Element] = {}
        mirror: dict[int, etree._Element] = {}
        for element in elements:
            parent = mirror[id(element.parent)] if element.parent is not None else self.root
            node = etree.SubElement(parent, _xml_name(element.name, "x-tag"))
            for attribute in element.tag.attributes:
                name = _xml_name(attribute.name, "")
                if name and name not in node.attrib:
                    node.set(name, _xml_text(attribute.value or ""))
            mirror[id(element)] = node
            self._elements[node] = element
        self._fill_text(text, elements, mirror)

    def _fill_text(self, text: str, elements: list[Element], mirror: dict[int, Any]) -> None:
        # An element's own text is what lies between its start tag and its first child;
        # for :empty and :contains() that is what matters.
        for element in elements:
            node = mirror[id(element)]
            if element.closed and element.end_tag is None:
                continue
            content_end = element.end_tag.start if element.end_tag else element.end
            first = element.children[0].start if element.children else content_end
            own = text[element.tag.end : first]
            if own:
                node.text = _xml_text(own)
            for index, child in enumerate(element.children):
                following = (
                    element.children[index + 1].start
                    if index + 1 < len(element.children)
                    else content_end
                )
                tail = text[child.end : following] if child.end < following else ""
                if tail:
                    mirror[id(child)].tail = _xml_text(tail)

    def select(self, selector: Any) -> list[Element]:
        """Run a ``Selector`` (or a compiled lxml XPath) on the mirror."""
        xpath = selector.xpath if isinstance(selector, Selector) else selector
        elements = self._elements
        return [elements[node] for node in xpath(self.root) if node in elements]


def _xml_name(name: str, fallback: str) -> str:
    return name if _XML_NAME.match(name) else fallback


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("\ufffd", value)
