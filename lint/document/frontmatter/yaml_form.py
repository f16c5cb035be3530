"""YAML front matter (``---`` fences): the safe loader's data and the node graph's offsets.

YAML is parsed once with PyYAML's safe loader (libyaml when present); the node graph gives
each key's offsets, at every depth, and the same pass constructs the data. A key given
twice is in the graph twice (PyYAML keeps the last value silently); both are entries.

Hostile YAML is a problem, never a hang: tags such as ``!!python/object`` are refused by
the safe loader; before the data is built, the node graph is measured and refused when
aliases expand it past ``MAX_EXPANDED_VALUES`` (a "billion laughs" document, which PyYAML
builds cheaply by sharing, but which any code walking the values would expand), when an
alias makes it refer to itself, or when it nests deeper than ``MAX_DEPTH``.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from lint.document.frontmatter.model import (
    Extent,
    FrontMatter,
    KeyEntry,
    KeySpan,
    assemble,
    refused,
    too_large,
)

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

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's, as libyaml counts lines
MAX_EXPANDED_VALUES = 100_000
MAX_DEPTH = 64


def _offset(line_offsets: list[int], mark: Any) -> int:
    return int(line_offsets[mark.line] + mark.column)


def parse_yaml(text: str, extent: Extent) -> FrontMatter:
    """The front matter whose YAML is ``text[extent.content_start:extent.content_end]``."""
    refusal = too_large(extent, text)
    if refusal is not None:
        return refusal
    yaml_start, yaml_end = extent.content_start, extent.content_end
    source = text[yaml_start:yaml_end]
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
        offset = _offset(line_offsets, mark) if mark is not None else yaml_start
        reason = " ".join(str(part) for part in (error.context, error.problem) if part)
        return refused(extent, f"front matter is not valid YAML: {reason}", offset)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as error:
        return refused(extent, f"front matter is not valid YAML: {error}", yaml_start)
    finally:
        loader.dispose()
    if graph_problem is not None:
        return refused(extent, f"front matter is refused: {graph_problem}", yaml_start)
    if data is None:
        return assemble(extent, {}, [])
    if not isinstance(data, dict) or not isinstance(node, yaml.MappingNode):
        message = f"front matter is a {type(data).__name__}, not a mapping of keys"
        return refused(extent, message, yaml_start)
    return assemble(extent, data, _entries(text, node, line_offsets))


def _entries(text: str, root: yaml.MappingNode, line_offsets: list[int]) -> list[KeyEntry]:
    """Every key of the graph in document order, with the names of the keys around it.
    A node that aliases make reachable twice is walked once."""
    entries: list[KeyEntry] = []
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...]]] = [(root, ())]
    while stack:
        node, parents = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((item, parents) for item in reversed(node.value))
            continue
        if not isinstance(node, yaml.MappingNode):
            continue
        mapping = len(seen)
        nested: list[tuple[yaml.Node, tuple[str, ...]]] = []
        for key_node, value_node in node.value:
            name = str(key_node.value)
            value_start = _offset(line_offsets, value_node.start_mark)
            value_end = _trim_block(text, value_start, _offset(line_offsets, value_node.end_mark))
            span = KeySpan(
                _offset(line_offsets, key_node.start_mark),
                _offset(line_offsets, key_node.end_mark),
                value_start,
                value_end,
            )
            entries.append(KeyEntry(name, parents, mapping, span))
            if not isinstance(value_node, yaml.ScalarNode):
                nested.append((value_node, (*parents, name)))
        stack.extend(reversed(nested))
    entries.sort(key=lambda entry: entry.span.key_start)
    return entries


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
