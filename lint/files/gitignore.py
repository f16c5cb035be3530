"""``.gitignore`` semantics without running git, so ``exclude`` can respect them.

Inside a git work tree (a folder with ``.git`` above the path), a path is ignored when
the last matching pattern of the ``.gitignore`` files from the root down to its folder,
and of ``.git/info/exclude``, is not a negation (``!``). Patterns follow gitignore(5) and
git's wildmatch: ``#`` comments, ``\\`` escapes, trailing spaces trimmed unless escaped, a
trailing ``/`` matches folders only, a ``/`` at the start or in the middle anchors the
pattern to the ``.gitignore``'s folder (otherwise it matches the name at any depth),
``*``/``?``/``[...]`` do not cross ``/``, ``**`` does (``**/a``, ``a/**``, ``a/**/b``).
Bracket expressions take ``!`` or ``^`` for negation, ``\\`` escapes and the POSIX classes
(``[[:digit:]]``); a pattern with an unclosed ``[``, an unknown class or a trailing lone
``\\`` matches nothing, as in git. A file inside an ignored folder is ignored; git cannot
re-include it, and neither does this.

The file is read as git reads it: bytes (an undecodable byte matches the same byte in a
file name), a leading byte-order mark skipped, lines split on ``\\n`` only (a ``\\r``
before it dropped), and only if it is a regular file of bounded size.

Matching takes time linear in the name: a run of ``*`` followed by a fixed piece is an
atomic group that takes the earliest place the piece fits (which is never worse than a
later one, since ``*`` cannot cross ``/``), so ``*a*a*a*a*b`` never backtracks.

The user's global excludes file (``core.excludesFile``) is not read: that would need git's
configuration, and it holds personal patterns that should not change a shared lint run.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple

from lint.document.source import SourceError, read_source

BOM = "\ufeff"
# POSIX classes of git's wildmatch (C locale: ASCII), as regex set members.
_POSIX_CLASSES = {
    "alnum": "a-zA-Z0-9",
    "alpha": "a-zA-Z",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "\\x21-\\x7e",
    "lower": "a-z",
    "print": "\\x20-\\x7e",
    "punct": "!-/:-@\\[-`{-~",
    "space": " \\t\\n\\r\\f\\v",
    "upper": "A-Z",
    "xdigit": "0-9A-Fa-f",
}
_STAR = "*"  # a run of ``*`` in the token list (every other token is a regex piece)
_FOLDERS = "(?:.*/)?"  # ``**/``: zero or more folders
_EVERYTHING = ".*"  # a trailing ``/**``


class Pattern(NamedTuple):
    """One pattern line, compiled; a named tuple, cheaper to define than a dataclass.

    ``basename``: the pattern has no ``/`` and matches the last part of a path."""

    regex: re.Pattern[str]
    negated: bool
    folders_only: bool
    basename: bool = False


class _Unmatchable(Exception):
    """A glob that git's wildmatch never matches (unclosed ``[``, trailing ``\\``)."""


def _set_member(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char


def _bracket(glob: str, start: int) -> tuple[str, int]:
    """The bracket expression opening at ``glob[start]`` as a regex and the index after
    it; raises _Unmatchable if it never closes or names an unknown class."""
    index, length = start + 1, len(glob)
    negated = index < length and glob[index] in "!^"
    index += negated
    members: list[str] = []
    first = True
    while True:
        if index >= length:
            raise _Unmatchable
        char = glob[index]
        if char == "]" and not first:
            break
        first = False
        if char == "[" and glob.startswith("[:", index):
            end = glob.find(":]", index + 2)
            if end != -1:
                name = glob[index + 2 : end]
                if name not in _POSIX_CLASSES:
                    raise _Unmatchable
                members.append(_POSIX_CLASSES[name])
                index = end + 2
                continue
        low, index = _set_char(glob, index)
        if index + 1 < length and glob[index] == "-" and glob[index + 1] != "]":
            high, index = _set_char(glob, index + 1)
            if low <= high:
                members.append(f"{_set_member(low)}-{_set_member(high)}")
        else:
            members.append(_set_member(low))
    body = "".join(members)
    if negated:
        return f"[^/{body}]", index + 1
    return (f"(?!/)[{body}]" if body else "(?!)"), index + 1


def _set_char(glob: str, index: int) -> tuple[str, int]:
    """One character of a bracket expression (``\\`` escapes the next) and the index after."""
    if glob[index] == "\\":
        index += 1
        if index >= len(glob):
            raise _Unmatchable
    return glob[index], index + 1


def _tokens(glob: str) -> list[str]:
    """A gitignore glob (already split from ``!`` and trailing ``/``) as regex pieces,
    with ``_STAR`` for each run of ``*`` that does not cross ``/``."""
    tokens: list[str] = []
    index, length = 0, len(glob)
    while index < length:
        char = glob[index]
        if char == "*":
            end = index
            while end < length and glob[end] == "*":
                end += 1
            double = end - index >= 2 and (index == 0 or glob[index - 1] == "/")
            if double and end == length:  # a/** : everything inside
                tokens.append(_EVERYTHING)
            elif double and glob[end] == "/":  # **/ : zero or more folders
                tokens.append(_FOLDERS)
                end += 1
            else:
                tokens.append(_STAR)
            index = end
            continue
        if char == "[":
            piece, index = _bracket(glob, index)
            tokens.append(piece)
            continue
        if char == "?":
            tokens.append("[^/]")
        else:
            if char == "\\":
                index += 1
                if index >= length:
                    raise _Unmatchable
            tokens.append(re.escape(glob[index]))
        index += 1
    return tokens


def _regex(tokens: list[str]) -> str:
    """The regex body of ``tokens``: each ``*`` run followed by a fixed piece becomes
    ``(?>[^/]*?piece)`` (the earliest fit, no backtracking into it)."""
    parts: list[str] = []
    index = 0
    while index < len(tokens):
        if tokens[index] != _STAR:
            parts.append(tokens[index])
            index += 1
            continue
        end = index + 1
        while end < len(tokens) and tokens[end] not in (_STAR, _FOLDERS, _EVERYTHING):
            end += 1
        piece = "".join(tokens[index + 1 : end])
        parts.append(f"[^/]*{piece}" if end == len(tokens) else f"(?>[^/]*?{piece})")
        index = end
    return "".join(parts)


def parse_line(line: str) -> Pattern | None:
    """One line of a ``.gitignore`` (without its ``\\n``); None for blank lines, comments
    and patterns that match nothing."""
    if line.endswith("\r"):
        line = line[:-1]
    if not line or line.startswith("#"):
        return None
    stripped = line.rstrip(" ")  # trailing spaces go, unless escaped with a backslash
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    negated = line.startswith("!")
    if negated or line.startswith("\\!") or line.startswith("\\#"):
        line = line[1:]
    folders_only = line.endswith("/") and not line.endswith("\\/")
    line = line.rstrip("/") if folders_only else line
    if not line:
        return None
    basename = "/" not in line
    if line.startswith("/"):
        line = line[1:]
    try:
        body = _regex(_tokens(line))
    except _Unmatchable:
        return None
    return Pattern(re.compile(f"{body}\\Z", re.DOTALL), negated, folders_only, basename)


def parse(text: str) -> tuple[Pattern, ...]:
    """The patterns of a ``.gitignore``'s text: lines split on ``\\n`` only, as git does."""
    if text.startswith(BOM):
        text = text[1:]
    return tuple(p for p in (parse_line(line) for line in text.split("\n")) if p is not None)


def read_patterns(path: str, follow: bool = True) -> tuple[Pattern, ...]:
    """The patterns of the file at ``path``; none if it is missing, unreadable, not a
    regular file or too large, or (``follow`` false) a symbolic link: git does not follow
    a ``.gitignore`` that is a link (it does follow ``.git/info/exclude``)."""
    if not follow and os.path.islink(path):
        return ()
    try:
        source = read_source(path)
    except (OSError, SourceError):
        return ()
    if source.oversize is not None:
        return ()
    return parse(source.raw.decode("utf-8", "surrogateescape"))


def _ignored_by(patterns: tuple[Pattern, ...], relative: str, is_dir: bool) -> bool | None:
    """True/False if a pattern decides for ``relative``, None if none matches."""
    decision = None
    name = relative.rpartition("/")[2]
    for pattern in patterns:
        if pattern.folders_only and not is_dir:
            continue
        if pattern.regex.match(name if pattern.basename else relative):
            decision = not pattern.negated
    return decision


def find_root(path: str) -> str | None:
    """The work tree that holds ``path`` (a folder with ``.git``), if any."""
    folder = os.path.abspath(path)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        if os.path.exists(os.path.join(folder, ".git")):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


class GitIgnore:
    """Answers "would git ignore this path?" for paths inside work trees."""

    def __init__(self) -> None:
        self._roots: dict[str, str | None] = {}
        self._files: dict[str, tuple[Pattern, ...]] = {}
        self._folders: dict[str, bool] = {}
        self._given_folders: dict[str, str | None] = {}  # folder as written: its root

    def _patterns_of(self, path: str) -> tuple[Pattern, ...]:
        if path not in self._files:
            follow = os.path.basename(path) != ".gitignore"
            self._files[path] = read_patterns(path, follow)
        return self._files[path]

    def _root(self, folder: str) -> str | None:
        if folder not in self._roots:
            self._roots[folder] = find_root(folder)
        return self._roots[folder]

    def ignored(self, path: str, named: str | None = None) -> bool:
        """Whether git ignores ``path``. ``named``: a folder named on the command line
        that holds ``path``; it and the folders above it count as not ignored (as a named
        file does, and as ripgrep has it)."""
        folder = os.path.dirname(path)
        root = self._given_folders.get(folder, "")
        if root == "":  # the files of a folder share its work tree (or its lack of one)
            root = self._given_folders[folder] = self._root(os.path.dirname(os.path.abspath(path)))
        if root is None:
            return False
        absolute = os.path.abspath(path)
        if absolute == root:
            return False
        relative = os.path.relpath(absolute, root).replace(os.sep, "/")
        if relative.startswith("../"):
            return False
        parts = relative.split("/")
        first = 1
        if named is not None:
            named_relative = os.path.relpath(os.path.abspath(named), root)
            if named_relative != "." and not named_relative.startswith(".."):
                first = len(named_relative.replace(os.sep, "/").split("/")) + 1
        # A path is ignored if it, or any folder above it, is ignored.
        for depth in range(first, len(parts)):
            if self._folder_ignored(root, "/".join(parts[:depth])):
                return True
        return self._decide(root, parts, os.path.isdir(absolute))

    def _folder_ignored(self, root: str, relative: str) -> bool:
        key = os.path.join(root, relative)
        if key not in self._folders:
            self._folders[key] = self._decide(root, relative.split("/"), True)
        return self._folders[key]

    def _decide(self, root: str, parts: list[str], is_dir: bool) -> bool:
        decision = _ignored_by(
            self._patterns_of(os.path.join(root, ".git", "info", "exclude")),
            "/".join(parts),
            is_dir,
        )
        for depth in range(len(parts)):
            folder = os.path.join(root, *parts[:depth])
            verdict = _ignored_by(
                self._patterns_of(os.path.join(folder, ".gitignore")),
                "/".join(parts[depth:]),
                is_dir,
            )
            if verdict is not None:
                decision = verdict
        return bool(decision)
