"""``.gitignore`` semantics without running git, so ``exclude`` can respect them.

Inside a git work tree (a folder with ``.git`` above the path), a path is ignored when
the last matching pattern of the ``.gitignore`` files from the root down to its folder,
and of ``.git/info/exclude``, is not a negation (``!``). Patterns follow gitignore(5):
``#`` comments, ``\\`` escapes, trailing spaces trimmed unless escaped, a trailing ``/``
matches folders only, a ``/`` at the start or in the middle anchors the pattern to the
``.gitignore``'s folder (otherwise it matches at any depth), ``*``/``?``/``[...]`` do
not cross ``/``, ``**`` does (``**/a``, ``a/**``, ``a/**/b``). A file inside an ignored
folder is ignored; git cannot re-include it, and neither does this.

The user's global excludes file (``core.excludesFile``) is not read: that would need git's
configuration, and it holds personal patterns that should not change a shared lint run.
"""

from __future__ import annotations

import os
import re
from typing import NamedTuple


class Pattern(NamedTuple):
    """One pattern line, compiled; a named tuple, cheaper to define than a dataclass."""

    regex: re.Pattern[str]
    negated: bool
    folders_only: bool


def _translate(glob: str) -> str:
    """A gitignore glob (already split from ``!`` and trailing ``/``) as a regex body."""
    parts: list[str] = []
    index, length = 0, len(glob)
    while index < length:
        char = glob[index]
        if char == "*":
            if glob.startswith("**", index):
                before_ok = index == 0 or glob[index - 1] == "/"
                after = index + 2
                if before_ok and (after == length or glob[after] == "/"):
                    if after == length:  # a/** : everything inside
                        parts.append(".*")
                        index = after
                    else:  # **/ : zero or more folders
                        parts.append("(?:.*/)?")
                        index = after + 1
                    continue
            while index < length and glob[index] == "*":
                index += 1
            parts.append("[^/]*")
            continue
        if char == "?":
            parts.append("[^/]")
        elif char == "\\" and index + 1 < length:
            index += 1
            parts.append(re.escape(glob[index]))
        elif char == "[":
            end = index + 1
            if end < length and glob[end] in "!^":
                end += 1
            if end < length and glob[end] == "]":
                end += 1
            while end < length and glob[end] != "]":
                end += 1
            if end >= length:  # no closing bracket: a literal [
                parts.append(re.escape(char))
            else:
                body = glob[index + 1 : end]
                if body[:1] in ("!", "^"):
                    body = "^" + body[1:]
                body = body.replace("\\", "\\\\")
                parts.append(f"(?!/)[{body}]")
                index = end
        else:
            parts.append(re.escape(char))
        index += 1
    return "".join(parts)


def parse_line(line: str) -> Pattern | None:
    """One line of a ``.gitignore``; None for blank lines and comments."""
    line = line.rstrip("\n").rstrip("\r")
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
    anchored = "/" in line
    line = line.lstrip("/")
    body = _translate(line)
    prefix = "" if anchored else "(?:.*/)?"
    return Pattern(re.compile(f"{prefix}{body}\\Z", re.DOTALL), negated, folders_only)


def parse(text: str) -> tuple[Pattern, ...]:
    return tuple(p for p in (parse_line(line) for line in text.splitlines()) if p is not None)


def read_patterns(path: str) -> tuple[Pattern, ...]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return parse(handle.read())
    except OSError:
        return ()


def _ignored_by(patterns: tuple[Pattern, ...], relative: str, is_dir: bool) -> bool | None:
    """True/False if a pattern decides for ``relative``, None if none matches."""
    decision = None
    for pattern in patterns:
        if pattern.folders_only and not is_dir:
            continue
        if pattern.regex.match(relative):
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
            self._files[path] = read_patterns(path)
        return self._files[path]

    def _root(self, folder: str) -> str | None:
        if folder not in self._roots:
            self._roots[folder] = find_root(folder)
        return self._roots[folder]

    def ignored(self, path: str) -> bool:
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
        # A path is ignored if it, or any folder above it, is ignored.
        for depth in range(1, len(parts)):
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
