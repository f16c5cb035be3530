"""Needles: substrings of which one occurs in every string a rule pattern matches, read
off the pattern's literal characters. Kinds derive their prefilters from them
(``Kind.prefilter``): a file that contains none of a rule's needles cannot give it a hit.

The reading is deliberately small and safe: it takes each top-level alternative of the
pattern, walks its atoms (characters, escapes, classes, groups) with their quantifiers,
and keeps the longest run of characters that every match contains, or else the
characters of a small class that must match. Whatever it does not understand (inline
flags, which change what characters mean; nested classes; stray quantifiers) gives None:
no needles, the rule always runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

_INLINE_FLAGS = re.compile(r"\(\?[a-zA-Z0-9-]+[):]|\(\?\^")
# Escapes of one character class or position, without an argument (``\x41``, ``\p{L}``
# and backreferences have one, and are not read).
_PLAIN_ESCAPES = frozenset("dDsSwWbBAZtnrfva")
_QUANTIFIER = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_MAX_CLASS = 16  # characters of a class that may serve as needles
_UNBOUNDED = -1


class _Atom(NamedTuple):
    """One atom of a pattern: a character (``char``), a class of single characters
    (``chars``), or anything else (both None), and how often it must occur at least."""

    char: str | None
    chars: frozenset[str] | None
    least: int
    exactly_once: bool


def pattern_needles(pattern: str) -> tuple[str, ...] | None:
    """Substrings of which one occurs in every match of ``pattern`` (searched), or None
    when the pattern's form gives none."""
    if _INLINE_FLAGS.search(pattern):
        return None
    alternatives = _alternatives(pattern)
    if alternatives is None:
        return None
    needles: list[str] = []
    for alternative in alternatives:
        atoms = _atoms(alternative)
        found = None if atoms is None else _needles_of(atoms)
        if not found:
            return None
        needles.extend(found)
    return tuple(dict.fromkeys(needles))


def any_needles(patterns: Iterable[str]) -> tuple[str, ...] | None:
    """Needles of which one occurs wherever any of ``patterns`` matches: theirs
    together, or None if one of them has none."""
    needles: list[str] = []
    for pattern in patterns:
        found = pattern_needles(pattern)
        if found is None:
            return None
        needles.extend(found)
    return tuple(dict.fromkeys(needles)) or None


def _safe(char: str) -> bool:
    """Whether ``char`` lower-cases the same wherever it stands (the linter compares
    needles with the lower-cased text): all but the capital sigma."""
    return char != "Σ"


def _needles_of(atoms: list[_Atom]) -> tuple[str, ...] | None:
    """The longest run of characters that every match holds, else a small class's."""
    runs: list[str] = []
    run = ""
    classes: list[frozenset[str]] = []
    for atom in atoms:
        if atom.char is not None and atom.least >= 1 and _safe(atom.char):
            run += atom.char
            if atom.exactly_once:
                continue
        elif atom.chars is not None and atom.least >= 1:
            classes.append(atom.chars)
        runs.append(run)
        run = ""
    runs.append(run)
    longest = max(runs, key=len)
    if longest:
        return (longest,)
    for chars in classes:
        if all(_safe(char) for char in chars):
            return tuple(sorted(chars))
    return None


class _Unread(ValueError):
    """A form of pattern this reading does not handle."""


def _structure(pattern: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """The offsets and characters of ``pattern`` from ``start`` that are neither escaped
    nor inside a class; raises ``_Unread`` for a class that is not closed or nests a set."""
    position = start
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
        elif char == "[":
            end = _class_end(pattern, position)
            if end is None:
                raise _Unread(pattern)
            position = end
        else:
            yield position, char
            position += 1


def _alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of ``pattern`` (split at ``|`` outside groups, classes
    and escapes); None if its parentheses or classes do not balance."""
    alternatives: list[str] = []
    depth = 0
    start = 0
    try:
        for position, char in _structure(pattern):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth < 0:
                    return None
            elif char == "|" and depth == 0:
                alternatives.append(pattern[start:position])
                start = position + 1
    except _Unread:
        return None
    if depth != 0:
        return None
    alternatives.append(pattern[start:])
    return alternatives


def _class_end(pattern: str, start: int) -> int | None:
    """The offset after the class that opens at ``start``; None if it is not closed or
    nests another set."""
    position = start + 1
    if pattern[position : position + 1] == "^":
        position += 1
    if pattern[position : position + 1] == "]":
        position += 1
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
        elif char == "[":
            if pattern[position + 1 : position + 2] != ":":
                return None  # a nested set
            close = pattern.find(":]", position + 2)
            if close == -1:
                return None
            position = close + 2
        elif char == "]":
            return position + 1
        else:
            position += 1
    return None


def _class_chars(body: str) -> frozenset[str] | None:
    """The characters of a class body made of single characters only, else None."""
    if not body or body[0] == "^" or len(body) > _MAX_CLASS:
        return None
    if any(char in "\\[-" for char in body):
        return None
    return frozenset(body)


def _group_end(pattern: str, start: int) -> int | None:
    """The offset after the group that opens at ``start``."""
    depth = 0
    try:
        for position, char in _structure(pattern, start):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    return position + 1
    except _Unread:
        return None
    return None


def _atoms(alternative: str) -> list[_Atom] | None:
    """The atoms of one alternative with their quantifiers; None where it is not read."""
    atoms: list[_Atom] = []
    position = 0
    while position < len(alternative):
        char = alternative[position]
        atom_char: str | None = None
        chars: frozenset[str] | None = None
        if char == "\\":
            escaped = alternative[position + 1 : position + 2]
            if not escaped:
                return None
            if not escaped.isalnum():
                atom_char = escaped
            elif escaped not in _PLAIN_ESCAPES:
                return None
            position += 2
        elif char == "[":
            end = _class_end(alternative, position)
            if end is None:
                return None
            chars = _class_chars(alternative[position + 1 : end - 1])
            position = end
        elif char == "(":
            end = _group_end(alternative, position)
            if end is None:
                return None
            position = end
        elif char in "?*+{)|":
            return None  # a quantifier with nothing to repeat, or a stray bracket
        else:
            if char not in ".^$":
                atom_char = char
            position += 1
        least, most, position = _quantifier(alternative, position)
        if least is None:
            return None
        atoms.append(_Atom(atom_char, chars, least, least == most == 1))
    return atoms


def _quantifier(pattern: str, position: int) -> tuple[int | None, int, int]:
    """``(least, most, offset after it)`` of the quantifier at ``position`` (1, 1 if none);
    least None if it is not read."""
    char = pattern[position : position + 1]
    if char == "?":
        least, most, position = 0, 1, position + 1
    elif char == "*":
        least, most, position = 0, _UNBOUNDED, position + 1
    elif char == "+":
        least, most, position = 1, _UNBOUNDED, position + 1
    elif char == "{":
        match = _QUANTIFIER.match(pattern, position)
        if match is None:
            return None, 0, position
        low, comma, high = match.groups()
        least = int(low) if low else 0
        most = least if comma is None else (int(high) if high else _UNBOUNDED)
        position = match.end()
    else:
        return 1, 1, position
    if pattern[position : position + 1] in ("?", "+"):  # lazy or possessive
        position += 1
    return least, most, position
