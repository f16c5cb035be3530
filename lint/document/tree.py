"""The element tree of a body, built from the tokens, and CSS selection on it.

Elements are matched to end tags the way browsers do for the common cases: void
elements never have content, an end tag closes the nearest open element of its name
(closing what is open inside it), a stray end tag is ignored, and a few start tags close
an open ``<p>``, ``<li>``, ``<td>``... An element knows whether its end was written
(``end_tag``) or implied; only the former can be removed safely. An element whose end
was implied knows what implied it (``closer``: a start tag such as ``<li>``, an
ancestor's end tag, or None at the end of the body), and ``build_tree`` can list the
stray end tags, for the rules on unpaired tags.

Simple selectors (``tag#id.class[attr op "value"]:empty`` and comma lists of them, what
rules use) run directly on the elements, through an ``ElementIndex`` (the elements by
name) so that ``img[width="1"]`` looks at the images only, and skipping the compounds
whose attribute values do not occur in the text at all. Other selectors are compiled by
cssselect into XPath and run by lxml on a mirror tree built on demand, so documents that
no such rule looks at never pay for it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any
from weakref import ref

from lint.document.html import Markup, Tag

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
_TAGS = re.compile(r"<[^>]*>")


class Element:
    """An element: its start tag, its end tag if one was written, and its children.

    An element refers to its parent weakly. With strong references both ways every tree
    would be a reference cycle, freed only by the cycle collector, whose passes over the
    elements of document after document cost more than building them; this way a tree
    is freed as soon as its document drops it. The list of elements that ``build_tree``
    returns keeps every element, hence every parent, alive."""

    __slots__ = ("__weakref__", "_parent", "children", "closer", "end", "end_tag", "tag")

    def __init__(
        self,
        tag: Tag,
        parent: Element | None,
        end_tag: Tag | None = None,
        end: int = -1,
        children: list[Element] | None = None,
    ) -> None:
        self.tag = tag
        self._parent = None if parent is None else ref(parent)
        self.end_tag = end_tag
        self.end = end  # offset where the element ends (written or implied)
        self.children: list[Element] = [] if children is None else children
        # What implied the end of an element without an end tag: the start tag (``<li>``)
        # or an ancestor's end tag that closed it; None at the end of the body.
        self.closer: Tag | None = None

    @property
    def parent(self) -> Element | None:
        """The enclosing element; None at the top level (or once the tree is freed)."""
        return None if self._parent is None else self._parent()

    def __repr__(self) -> str:
        return f"Element(<{self.tag.name}> at {self.tag.start}, ends at {self.end})"

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
        self.counts: dict[str, int] = {}

    def push(self, element: Element) -> None:
        self.stack.append(element)
        name = element.tag.name
        self.counts[name] = self.counts.get(name, 0) + 1

    def pop_from(self, depth: int, closer: Tag) -> None:
        """Close the elements from ``depth`` up, their ends implied by ``closer`` (a start
        tag or an ancestor's end tag), where it starts."""
        for element in self.stack[depth:]:
            element.end = closer.start
            element.closer = closer
            self.counts[element.name] -= 1
        del self.stack[depth:]

    def close_implied(self, tag: Tag, names: frozenset[str], boundaries: frozenset[str]) -> None:
        """Close the nearest open element named in ``names`` (and everything open inside
        it), unless a boundary element comes first, as browsers do for ``<li>``, ``<p>``."""
        counts = self.counts
        if not any(counts.get(name) for name in names):
            return
        stack = self.stack
        for depth in range(len(stack) - 1, -1, -1):
            name = stack[depth].name
            if name in names:
                self.pop_from(depth, tag)
                return
            if name in boundaries:
                return

    def close(self, end_tag: Tag) -> None:
        """An end tag closes the nearest open element of its name; a stray one nothing."""
        name = end_tag.name
        if not self.counts.get(name):
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
                self.pop_from(depth + 1, end_tag)
                element.end_tag = end_tag
                element.end = end_tag.end
                self.counts[element.name] -= 1
                stack.pop()
                return


def build_tree(markup: Markup, body_end: int, strays: list[Tag] | None = None) -> list[Element]:
    """Build the elements from ``markup.tags``; returns them in document order. With
    ``strays``, the end tags that close nothing (no element of their name is open) are
    appended to it."""
    elements: list[Element] = []
    open_elements = _OpenElements()
    stack = open_elements.stack
    for tag in markup.tags:
        if tag.closing:
            if open_elements.counts.get(tag.name):
                open_elements.close(tag)
            elif strays is not None:
                strays.append(tag)
            continue
        if tag.name in _BLOCKS_CLOSING_P:
            open_elements.close_implied(tag, *_CLOSES_P)
        implied = _IMPLIED_END.get(tag.name)
        if implied is not None:
            open_elements.close_implied(tag, *implied)
        parent = stack[-1] if stack else None
        element = Element(tag, parent)
        if parent is not None:
            parent.children.append(element)
        elements.append(element)
        if tag.self_closing or tag.name in VOID_ELEMENTS:
            element.end = tag.end
        else:
            open_elements.push(element)
    for element in stack:
        element.end = body_end
    return elements


@lru_cache(maxsize=1024)
def selector_name(name: str) -> str:
    """The name selectors know an element by: its own, or ``x-tag`` for names that are
    not XML names (as in the lxml mirror)."""
    return name if _XML_NAME.match(name) else "x-tag"


def _element_start(element: Element) -> int:
    return element.tag.start


class ElementIndex:
    """The elements of a body grouped by ``selector_name``, in document order, so that a
    selector naming a tag looks at the elements of that tag only."""

    __slots__ = ("by_name", "elements")

    def __init__(self, elements: list[Element]) -> None:
        self.elements = elements
        by_tag: dict[str, list[Element]] = {}  # by the name as written (lower case)
        for element in elements:
            group = by_tag.get(element.tag.name)
            if group is None:
                by_tag[element.tag.name] = [element]
            else:
                group.append(element)
        self.by_name: dict[str, list[Element]] = {}
        merged = False  # several names that are not XML names, all known as "x-tag"
        for name, group in by_tag.items():
            known_as = selector_name(name)
            if known_as in self.by_name:
                self.by_name[known_as].extend(group)
                merged = True
            else:
                self.by_name[known_as] = group
        if merged:
            self.by_name["x-tag"].sort(key=_element_start)


def element_text(text: str, element: Element, limit: int | None = None) -> str:
    """The visible text of an element of ``text``, roughly: its content with tags removed.
    With ``limit``, only that many characters of content are looked at (for messages; it
    keeps nested matches linear)."""
    content_end = element.end_tag.start if element.end_tag else element.end
    if limit is not None:
        content_end = min(content_end, element.tag.end + limit)
    return _TAGS.sub("", text[element.tag.end : content_end])


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


@cache
def _simple_part() -> re.Pattern[str]:
    """One part of a compound selector after its tag: ``#id``, ``.class``, ``[attr op
    value]``, ``:not([attr])``, ``:empty`` (compiled on first use, like the other patterns
    only selectors need)."""
    return re.compile(
        rf"#(?P<id>{_IDENT})|\.(?P<cls>{_IDENT})"
        rf"|\[\s*(?P<attr>{_IDENT})\s*(?:(?P<op>[~|^$*]?=)\s*(?P<value>{_STRING}|{_IDENT})\s*)?\]"
        rf"|:not\(\s*\[\s*(?P<absent>{_IDENT})\s*\]\s*\)"
        r"|(?P<empty>:empty)(?![\w(-])"
    )


@cache
def _simple_type() -> re.Pattern[str]:
    return re.compile(rf"\*|{_IDENT}")


_XPATH_SPACE = re.compile("[ \t\r\n]+")
# One test of a compound selector: (attribute name, operator, value); operator "" means
# "the attribute exists", "!" that it does not, ":empty" the pseudo-class.
_Test = tuple[str, str, str]


def _parse_compound(text: str) -> tuple[str | None, tuple[_Test, ...]] | None:
    """``tag#id.class[attr^="v"]:empty`` as (tag or None, tests); None if not that simple."""
    type_match = _simple_type().match(text)
    tag: str | None = None
    pos = 0
    if type_match is not None:
        tag = None if type_match.group() == "*" else type_match.group().lower()
        pos = type_match.end()
    tests: list[_Test] = []
    while pos < len(text):
        part = _simple_part().match(text, pos)
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
        elif part.group("absent") is not None:
            tests.append((part.group("absent").lower(), "!", ""))
        else:
            tests.append(("", ":empty", ""))
        pos = part.end()
    if type_match is None and not tests:
        return None
    return tag, tuple(tests)


class _Compound:
    """A compound selector: its tag (None: any), its tests, and ``needles``: strings that
    occur in the text wherever it matches (the values its attribute tests compare)."""

    __slots__ = ("needles", "tag", "tests")

    def __init__(self, tag: str | None, tests: tuple[_Test, ...]) -> None:
        self.tag = tag
        self.tests = tests
        self.needles = _needles(tests)


# The operators whose (non-empty) value is part of the attribute's value when they match.
_VALUE_OPERATORS = frozenset({"=", "|=", "~=", "^=", "$=", "*="})


def _needles(tests: tuple[_Test, ...]) -> tuple[str, ...]:
    """The values of ``tests`` that a matching element's attributes contain as written.

    Attribute values are compared as written in the text, except that ``_xml_text``
    turns characters XML cannot hold into U+FFFD; a value without U+FFFD found in a
    converted attribute value is therefore in the text itself."""
    values = [
        value
        for _, operator, value in tests
        if operator in _VALUE_OPERATORS and value and "\ufffd" not in value
    ]
    return tuple(dict.fromkeys(values))


def _parse_simple(selector: str) -> tuple[_Compound, ...] | None:
    """A comma list of compound selectors without combinators, or None (use lxml)."""
    compounds = []
    for part in selector.split(","):
        compound = _parse_compound(part.strip())
        if compound is None:
            return None
        compounds.append(_Compound(*compound))
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
    if operator == "!":
        return attribute is None
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
        self._hints = self._derive_hints()

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

    def hints(self) -> tuple[str, ...] | None:
        """Substrings of which one occurs in the text (ignoring case) wherever the selector
        matches, for ``Kind.prefilter``; None when there are none to tell."""
        return self._hints

    def _derive_hints(self) -> tuple[str, ...] | None:
        """For each compound: its longest ASCII needle (ASCII text keeps its offsets when
        lower-cased), else ``<`` and its tag name."""
        if self._simple is None:
            return None
        hints: list[str] = []
        for compound in self._simple:
            needles = sorted((n for n in compound.needles if n.isascii()), key=len)
            if needles:
                hints.append(needles[-1])
            elif compound.tag is not None and compound.tag == selector_name(compound.tag):
                if compound.tag == "x-tag":
                    return None  # also the name of every element whose name is not XML
                hints.append("<" + compound.tag)
            else:
                return None
        return tuple(dict.fromkeys(hints))

    def select(self, document: Any, index: ElementIndex | None = None) -> list[Element]:
        """The elements of ``document`` (a Document) matched, in document order.

        ``index``: the ``ElementIndex`` of ``document.elements``, when the caller keeps
        one (rules share it); without it, simple selectors build one."""
        if self._simple is None:
            result: list[Element] = document.selector_tree.select(self)
            return result
        if index is None:
            index = ElementIndex(document.elements)
        return self._select_indexed(index, document.text)

    def _select_indexed(self, index: ElementIndex, text: str) -> list[Element]:
        """The matching elements, through the index: the compounds whose tag has elements
        and whose needles are all in the text, each on the elements of its tag (or on all)."""
        assert self._simple is not None
        by_name = index.by_name
        compounds = [
            compound
            for compound in self._simple
            if (compound.tag is None or compound.tag in by_name)
            and all(needle in text for needle in compound.needles)
        ]
        if not compounds:
            return []
        names: Iterable[str]
        if any(compound.tag is None for compound in compounds):
            names = by_name
        else:
            names = {compound.tag for compound in compounds if compound.tag is not None}
        found: list[Element] = []
        groups = 0
        for name in names:
            tests = [c.tests for c in compounds if c.tag is None or c.tag == name]
            if not tests:
                continue
            matched = [element for element in by_name[name] if _passes(element, tests)]
            if matched:
                found.extend(matched)
                groups += 1
        if groups > 1:
            found.sort(key=_element_start)
        return found


def _passes(element: Element, alternatives: list[tuple[_Test, ...]]) -> bool:
    """Whether ``element`` passes every test of one of the alternatives."""
    for tests in alternatives:
        for name, operator, value in tests:
            if not _attribute_test(element, name, operator, value):
                break
        else:
            return True
    return False


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


@cache
def _xml_invalid() -> re.Pattern[str]:
    """The characters XML cannot hold (compiled on first use: it takes a while)."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(value: str) -> str:
    """``value`` with the characters XML cannot hold replaced by U+FFFD."""
    if value.isascii() and value.isprintable():
        return value  # the usual attribute value: nothing to replace
    return _xml_invalid().sub("\ufffd", value)
