"""What a parsed front matter is, whatever its form: where it is, its data, and every key
with the offsets of its name and value."""

from __future__ import annotations

from typing import Any, NamedTuple

MAX_FRONT_MATTER_CHARS = 1_000_000


class KeySpan(NamedTuple):
    """Offsets of one key and its value in the document text."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


class KeyEntry(NamedTuple):
    """One key at any depth, as written (a key given twice has two entries).

    ``parents`` names the keys of the mappings around it, outermost first (a list in
    between adds no name); ``mapping`` tells which mapping holds it: two entries with
    the same ``mapping`` and ``name`` are the same key given twice."""

    name: str
    parents: tuple[str, ...]
    mapping: int
    span: KeySpan


class FrontMatterProblem(NamedTuple):
    """Front matter that is not closed, does not parse or is not a mapping."""

    message: str
    offset: int


class FrontMatter(NamedTuple):
    """Where the front matter is and what it holds. Offsets index the document text.

    ``content_start``/``content_end`` delimit the YAML, TOML or JSON text between the
    fences. ``keys`` has the top-level keys (the last of a key given twice, as in
    ``data``); ``entries`` every key at every depth in document order."""

    start: int  # offset of the opening fence (after any leading blank lines)
    end: int  # offset just past the closing fence line
    content_start: int
    content_end: int
    data: dict[str, Any]
    keys: dict[str, KeySpan]
    problem: FrontMatterProblem | None = None
    entries: tuple[KeyEntry, ...] = ()
    form: str = "yaml"  # yaml, toml or json


def value_regions(front_matter: FrontMatter) -> list[tuple[int, int]]:
    """The regions of the text that hold the front matter's values: the value of each
    top-level key (nested keys and values are inside them), or, for a front matter that
    does not parse, its whole content."""
    if front_matter.problem is not None:
        return [(front_matter.content_start, front_matter.content_end)]
    return [
        (entry.span.value_start, entry.span.value_end)
        for entry in front_matter.entries
        if not entry.parents
    ]


class Extent(NamedTuple):
    """Where a front matter of some form was found, before its content is parsed."""

    form: str
    start: int
    end: int
    content_start: int
    content_end: int


def refused(extent: Extent, message: str, offset: int) -> FrontMatter:
    """Front matter whose content cannot be used: no data, and the problem."""
    start, end, content_start, content_end = extent[1:]
    problem = FrontMatterProblem(message, offset)
    return FrontMatter(start, end, content_start, content_end, {}, {}, problem, (), extent.form)


def too_large(extent: Extent, text: str) -> FrontMatter | None:
    """The refusal of a front matter over ``MAX_FRONT_MATTER_CHARS``, or None."""
    if extent.content_end - extent.content_start <= MAX_FRONT_MATTER_CHARS:
        return None
    return refused(extent, "front matter is larger than 1,000,000 characters", extent.start)


def assemble(extent: Extent, data: dict[Any, Any], entries: list[KeyEntry]) -> FrontMatter:
    """A parsed front matter: string keys, and the top-level keys' spans (the last entry
    of a name wins, as in ``data``)."""
    keys = {entry.name: entry.span for entry in entries if not entry.parents}
    string_keyed = {str(key): value for key, value in data.items()}
    start, end, content_start, content_end = extent[1:]
    found = tuple(entries)
    return FrontMatter(
        start, end, content_start, content_end, string_keyed, keys, None, found, extent.form
    )


def line_starts(text: str, start: int, end: int) -> list[int]:
    """Offsets of the lines of ``text[start:end]`` (``\\n`` ends a line), for parsers that
    report a line and a column."""
    starts = [start]
    position = text.find("\n", start, end)
    while position != -1:
        starts.append(position + 1)
        position = text.find("\n", position + 1, end)
    return starts
