"""Finding and parsing the YAML front matter, with the position of every top-level key.

The front matter opens with a line ``---`` and closes with ``---`` or ``...``. Blank lines
before the opening fence are tolerated here (feed robots write them) and recorded, so a
rule can report them. YAML is parsed once with PyYAML's safe loader (libyaml when present);
the node graph gives each key's offsets and the same pass constructs the data.

Hostile YAML is a problem, never a hang: tags such as ``!!python/object`` are refused by
the safe loader; before the data is built, the node graph is measured and refused when
aliases expand it past ``MAX_EXPANDED_VALUES`` (a "billion laughs" document, which PyYAML
builds cheaply by sharing, but which any code walking the values would expand), when an
alias makes it refer to itself, or when it nests deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]


class _Loader(SafeLoader):
    """The safe loader, keeping timestamps as written: an impossible date such as
    2022-02-30 is then a field value to report, not a YAML error for the whole block."""


def _timestamp_as_written(loader: SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_written)

_OPEN = re.compile(r"---[ \t]*\r?(?:\n|\Z)")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)*")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's, as libyaml counts lines
MAX_FRONT_MATTER_CHARS = 1_000_000
MAX_EXPANDED_VALUES = 100_000
MAX_DEPTH = 64


class KeySpan(NamedTuple):
    """Offsets of one top-level key and its value in the document text."""

    key_start: int
    key_end: int
    value_start: int
    value_end: int


class FrontMatterProblem(NamedTuple):
    """Front matter that is not closed, not valid YAML or not a mapping."""

    message: str
    offset: int


class FrontMatter(NamedTuple):
    """Where the front matter is and what it holds. Offsets index the document text.

    (The small value types here are named tuples: a frozen dataclass costs about half a
    millisecond to define, and every run pays that at start-up.)"""

    start: int  # offset of the opening fence (after any leading blank lines)
    end: int  # offset just past the closing fence line
    yaml_start: int
    yaml_end: int
    data: dict[str, Any]
    keys: dict[str, KeySpan]
    problem: FrontMatterProblem | None = None


def _refused(
    start: int, end: int, yaml_start: int, yaml_end: int, message: str, offset: int
) -> FrontMatter:
    """Front matter whose YAML cannot be used: no data, and the problem."""
    problem = FrontMatterProblem(message, offset)
    return FrontMatter(start, end, yaml_start, yaml_end, {}, {}, problem)


def _offset(line_offsets: list[int], base_line: int, mark: Any) -> int:
    return int(line_offsets[base_line + mark.line] + mark.column)


def find_front_matter(text: str) -> FrontMatter | None:
    """Locate and parse the front matter; ``None`` when the text has none."""
    start = _BLANK_LINES.match(text).end()  # type: ignore[union-attr]
    opening = _OPEN.match(text, start)
    if opening is None:
        return None
    yaml_start = opening.end()
    closing = _CLOSE.search(text, yaml_start)
    if closing is None:
        # Everything after the opening fence may be meant as front matter: no body to fix.
        message = "front matter is not closed (no closing '---' line)"
        return _refused(start, len(text), yaml_start, len(text), message, start)
    yaml_end = closing.start()
    end = closing.end()
    if text.startswith("\n", end):
        end += 1
    return _parse(text, start, end, yaml_start, yaml_end)


def _parse(text: str, start: int, end: int, yaml_start: int, yaml_end: int) -> FrontMatter:
    source = text[yaml_start:yaml_end]
    if len(source) > MAX_FRONT_MATTER_CHARS:
        message = "front matter is larger than 1,000,000 characters"
        return _refused(start, end, yaml_start, yaml_end, message, start)
    line_offsets = [yaml_start]
    line_offsets.extend(yaml_start + m.end() for m in _LINE_BREAK.finditer(source))
    loader = _Loader(source)
    data: Any = None
    try:
        node = loader.get_single_node()
        graph_problem = _front_matter_graph_problem(node, source) if node is not None else None
        if node is not None and graph_problem is None:
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        offset = _offset(line_offsets, 0, mark) if mark is not None else yaml_start
        reason = " ".join(str(part) for part in (error.context, error.problem) if part)
        message = f"front matter is not valid YAML: {reason}"
        return _refused(start, end, yaml_start, yaml_end, message, offset)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        message = f"front matter is not valid YAML: {error}"
        return _refused(start, end, yaml_start, yaml_end, message, yaml_start)
    finally:
        loader.dispose()
    if graph_problem is not None:
        message = f"front matter is refused: {graph_problem}"
        return _refused(start, end, yaml_start, yaml_end, message, yaml_start)
    if data is None:
        return FrontMatter(start, end, yaml_start, yaml_end, {}, {})
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        message = f"front matter is a {type(data).__name__}, not a mapping of keys"
        return _refused(start, end, yaml_start, yaml_end, message, yaml_start)
    keys: dict[str, KeySpan] = {}
    for key_node, value_node in node.value:
        name = str(key_node.value)
        value_start = _offset(line_offsets, 0, value_node.start_mark)
        value_end = _trim_block(text, value_start, _offset(line_offsets, 0, value_node.end_mark))
        keys[name] = KeySpan(  # the last of duplicate keys wins, as in ``data``
            _offset(line_offsets, 0, key_node.start_mark),
            _offset(line_offsets, 0, key_node.end_mark),
            value_start,
            value_end,
        )
    string_keyed = {str(key): value for key, value in data.items()}
    return FrontMatter(start, end, yaml_start, yaml_end, string_keyed, keys)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def yaml_graph_problem(root: yaml.Node) -> str | None:
    """Why the node graph must not be built into data, or None. Iterative and linear in
    the number of distinct nodes: each is measured once (size with aliases expanded,
    height), however many aliases point at it."""
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded values, height)
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        children = _children(node)
        if finished:
            on_path.discard(key)
            size, height = 1, 1
            for child in children:
                child_size, child_height = measured[id(child)]
                size += child_size
                height = max(height, child_height + 1)
            # Without aliases a node's size is at most the number of nodes measured.
            if size > MAX_EXPANDED_VALUES and size > 2 * (len(measured) + 1):
                return f"aliases expand it to more than {MAX_EXPANDED_VALUES:,} values"
            if height > MAX_DEPTH:
                return f"it nests more than {MAX_DEPTH} levels deep"
            measured[key] = (size, height)
            continue
        if key in measured:
            continue
        if key in on_path:
            return "an alias makes it contain itself"
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children)
    return None


def _front_matter_graph_problem(root: yaml.Node, source: str) -> str | None:
    """``yaml_graph_problem`` of the graph composed from ``source``, cheaper for the usual
    front matter: without an ``&`` it has no anchor, hence no alias, and is a tree. A tree
    never expands past its own size and never contains itself, so only its depth is
    measured."""
    if "&" in source:
        return yaml_graph_problem(root)
    return _tree_depth_problem(root)


def _tree_depth_problem(root: yaml.Node) -> str | None:
    """The problem ``yaml_graph_problem`` reports for a tree of nodes (no node reached
    twice): nesting deeper than ``MAX_DEPTH``, or None. Iterative and linear in the
    number of nodes; scalars, most of them, are never put on the stack."""
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]  # a collection and its depth
    while stack:
        node, depth = stack.pop()
        children = _children(node)
        if children and depth >= MAX_DEPTH:
            return f"it nests more than {MAX_DEPTH} levels deep"
        stack.extend(
            (child, depth + 1) for child in children if not isinstance(child, yaml.ScalarNode)
        )
    return None


def _trim_block(text: str, start: int, end: int) -> int:
    """End of a value's source without the blank and comment lines a block node ends with."""
    lines = text[start:end].splitlines(keepends=True)
    while len(lines) > 1 and (not lines[-1].strip() or lines[-1].lstrip().startswith("#")):
        lines.pop()
    return start + len("".join(lines).rstrip("\r\n"))
