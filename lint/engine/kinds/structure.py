"""The ``structure`` kind: markup that breaks how the rest of the page renders.

Its ``check`` option picks what it reports, each from the document's analysis:

- ``unclosed``: the first raw-text element (``<script>``, ``<iframe>``, ``<textarea>``...)
  that no end tag ends, so a browser hides the rest of the article in it
  (``lint.document.rawtext``); the hit is its start tag;
- ``unpaired``: stray end tags, misnested blocks and elements left open whose extent
  shows (``lint.document.pairing``); the hit is the offending tag, and the message gives
  the position of the other end;
- ``pasted-document``: ``<!DOCTYPE>``, ``<html>``, ``<head>`` and ``<body>`` start tags, the
  marks of a whole web page pasted into the article.

None of them has a fix: what the author meant (a code sample that lost its fence, a tag
to delete, where an element should end) cannot be told from the markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from lint.document.document import Document
from lint.document.html import Tag
from lint.document.pairing import Unpaired, unpaired_tags
from lint.engine.kinds.base import Hit, Kind, Option, choice, shorten

CHECKS = ("unclosed", "unpaired", "pasted-document")
_PAGE_ELEMENTS = frozenset({"html", "head", "body"})
_DOCTYPE = "<!doctype"


class StructureKind(Kind):
    """Markup that hides or rearranges the rest of the page."""

    name = "structure"
    summary = "markup that breaks the rest of the page: unclosed, unpaired, pasted pages"
    options: ClassVar[dict[str, Option]] = {
        "check": Option(
            choice(*CHECKS),
            required=True,
            doc="what to look for: unclosed (a raw-text element that swallows the rest), "
            "unpaired (stray end tags, misnested blocks, elements left open), "
            "pasted-document (<!DOCTYPE>, <html>, <head>, <body>)",
        ),
    }
    variables = frozenset({"tag", "hidden", "problem"})

    def needles(self) -> tuple[str, ...] | None:
        """All it looks for is markup."""
        return ("<",)

    def check(self, document: Document) -> Iterator[Hit]:
        if not document.markup.tags and not document.markup.other:
            return
        check = self.settings["check"]
        if check == "unclosed":
            yield from _unclosed(document)
        elif check == "unpaired":
            hidden = document.unclosed_raw_text
            hidden_from = hidden.start if hidden is not None else len(document.text)
            for unpaired in unpaired_tags(
                document.elements, document.stray_end_tags, document.text, hidden_from
            ):
                tag = unpaired.tag
                values = {"tag": tag.name, "problem": _unpaired_problem(document, unpaired)}
                yield Hit(tag.start, tag.end, values)
        else:
            yield from _pasted_document(document)


def _unclosed(document: Document) -> Iterator[Hit]:
    tag = document.unclosed_raw_text
    if tag is None:
        return
    hidden = _lines_after(document, tag.end) or "the rest of its line"
    yield Hit(tag.start, tag.end, {"tag": tag.name, "hidden": hidden, "problem": ""})


def _lines_after(document: Document, offset: int) -> str:
    """ "N lines of text": the lines with text after the line of ``offset``; "" if none."""
    lines = document.lines
    numbers = range(lines.position(offset)[0] + 1, lines.line_count + 1)
    count = sum(1 for number in numbers if lines.line_text(number).strip())
    return f"{count} line{'s' if count != 1 else ''} of text" if count else ""


def _unpaired_problem(document: Document, unpaired: Unpaired) -> str:
    """The message of one unpaired tag, with the position of its other end."""
    tag = unpaired.tag
    if unpaired.case == "stray":
        effect = {"br": " (browsers read it as <br>)", "p": " (browsers add an empty paragraph)"}
        return f"end tag </{tag.name}> without a start tag{effect.get(tag.name, '')}"
    if unpaired.case == "misnested":
        assert unpaired.other is not None
        assert unpaired.closer is not None
        closer, own = _where_tag(document, unpaired.closer), _where(document, unpaired.other)
        return (
            f"<{tag.name}> is closed by {closer} before its own end tag at {own}: what"
            " stands between leaves it"
        )
    if unpaired.closer is None:
        after = _lines_after(document, tag.end) or "the rest of its line"
        return f"<{tag.name}> is never closed: the rest of the article ({after}) nests inside it"
    closer = _where_tag(document, unpaired.closer)
    return f"<{tag.name}> is never closed: browsers carry it on past {closer} into the rest"


def _where(document: Document, tag: Tag) -> str:
    line, column = document.lines.position(tag.start)
    return f"{line}:{column}"


def _where_tag(document: Document, tag: Tag) -> str:
    closing = "/" if tag.closing else ""
    return f"<{closing}{tag.name}> at {_where(document, tag)}"


def _pasted_document(document: Document) -> Iterator[Hit]:
    text = document.text
    marks: list[tuple[int, int, str]] = [
        (start, end, shorten(text[start:end], 40))
        for start, end in document.markup.other
        if text[start : start + len(_DOCTYPE)].lower() == _DOCTYPE
    ]
    marks.extend(
        (tag.start, tag.end, f"<{tag.name}>")
        for tag in document.markup.tags
        if tag.name in _PAGE_ELEMENTS and not tag.closing
    )
    for start, end, shown in sorted(marks):
        yield Hit(start, end, {"tag": shown, "hidden": "", "problem": ""})
