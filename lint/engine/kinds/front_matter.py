"""Kinds over the front matter and the file as a whole.

``front-matter-field`` checks required fields, the type or format of fields, keys that
look like misspellings of known ones (or are not known at all), and keys left over from
another system (forbidden names, removable).
``document`` reports what the document model itself found wrong: text that is not
UTF-8, front matter that does not parse, blank lines before the front matter.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fnmatch
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

from lint.document.document import Document
from lint.document.frontmatter import FrontMatter, KeyEntry, KeySpan
from lint.document.source import MAX_FILE_BYTES, describe_oversize
from lint.engine.findings import Edit
from lint.engine.kinds.base import (
    BOOLEAN,
    REGEXES,
    SIZE,
    STRING_MAP,
    STRINGS,
    Hit,
    Kind,
    Option,
    OptionError,
    RulePattern,
    choice,
)

FIELD_TYPES = ("string", "strings", "date", "boolean", "url", "integer", "number", "list")
# Compiled on first use (through the ``re`` module's cache): most dates are ISO dates,
# and a date without "/" (``Invalid Date``) is none of these.
_FILE_NAME_DATE = r"\d{4}-\d{1,2}-\d{1,2}-"  # Jekyll's _posts/2020-01-02-title.md
_SLASH_DATE = r"\d{4}/\d{1,2}/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?\Z"
NAMED_DATE_FORMATS = ("iso8601", "rfc2822", "slashes")


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def parse_date(value: str, formats: tuple[str, ...]) -> bool:
    """Whether ``value`` is a date in one of ``formats`` (names or strptime patterns)."""
    value = value.strip()
    for name in formats:
        if name == "iso8601":
            try:
                dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                return True
            except ValueError:
                continue
        elif name == "rfc2822":
            if is_rfc2822_date(value):
                return True
        elif name == "slashes":
            if (
                "/" in value
                and re.match(_SLASH_DATE, value)
                and _strptime_any(value, ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S"))
            ):
                return True
        elif _strptime_any(value, (name,)):
            return True
    return False


def is_rfc2822_date(value: str) -> bool:
    """Whether ``email.utils.parsedate_to_datetime`` accepts ``value``."""
    from email.utils import parsedate_to_datetime  # heavy: see lint.engine

    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    return True


def _strptime_any(value: str, patterns: tuple[str, ...]) -> bool:
    for pattern in patterns:
        try:
            dt.datetime.strptime(value, pattern)
            return True
        except ValueError:
            continue
    return False


def _is_url(value: str) -> bool:
    try:
        parts = urlsplit(value.strip())
        parts.port  # noqa: B018 - raises on an invalid port
    except ValueError:
        return False
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc) and " " not in value.strip()
    return not parts.scheme and bool(parts.path) and " " not in value.strip()


def type_problem(value: Any, expected: str, date_formats: tuple[str, ...]) -> str | None:
    """Why ``value`` is not of the ``expected`` field type, or None when it is."""
    if value is None:
        return None
    if expected == "string":
        return None if isinstance(value, str) else f"must be a string, not {_describe(value)}"
    if expected == "strings":
        if isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            return None
        return f"must be a string or a list of strings, not {_describe(value)}"
    if expected == "list":
        return None if isinstance(value, list) else f"must be a list, not {_describe(value)}"
    if expected == "boolean":
        return None if isinstance(value, bool) else f"must be true or false, not {_describe(value)}"
    if expected == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else f"must be an integer, not {_describe(value)}"
    if expected == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"must be a number, not {_describe(value)}"
    if expected == "date":
        if isinstance(value, (dt.date, dt.datetime)):
            return None
        if isinstance(value, str) and parse_date(value, date_formats):
            return None
        return f"is not a valid date: {_describe(value)}"
    if expected == "url":
        if isinstance(value, str) and (not value.strip() or _is_url(value)):
            return None
        return f"is not a valid URL: {_describe(value)}"
    raise AssertionError(expected)


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else repr(value[:39] + "…")
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list" if all(isinstance(i, str) for i in value) else "a list of non-strings"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _field_types(key: str, value: Any) -> dict[str, str]:
    types = STRING_MAP(key, value)
    for name, expected in types.items():
        if expected not in FIELD_TYPES:
            raise OptionError(
                key, f"field {name!r}: unknown type {expected!r}; known: {', '.join(FIELD_TYPES)}"
            )
    return types


def _patterns_by_key(key: str, value: Any) -> dict[str, tuple[RulePattern, ...]]:
    """A mapping of key names to lists of rule patterns."""
    if not isinstance(value, dict) or not all(isinstance(name, str) for name in value):
        raise OptionError(key, f"option {key!r} must be a mapping of key names to patterns")
    return {name: REGEXES(key, patterns) for name, patterns in value.items()}


class FrontMatterFieldKind(Kind):
    """Required fields, field types and formats, misspelt keys and forbidden keys."""

    name = "front-matter-field"
    summary = "front-matter fields: required, type or format, misspelt or forbidden keys"
    options: ClassVar[dict[str, Option]] = {
        "required": Option(STRINGS, (), doc="fields that must be present and not empty"),
        "types": Option(_field_types, {}, doc="field name to type: " + ", ".join(FIELD_TYPES)),
        "date-formats": Option(
            STRINGS,
            NAMED_DATE_FORMATS,
            doc="accepted date formats: "
            "iso8601, rfc2822, slashes (YYYY/MM/DD[ HH:MM[:SS]]) or "
            "strptime patterns",
        ),
        "known": Option(STRINGS, (), doc="the fields this archive uses (for 'unknown')"),
        "unknown": Option(
            choice("ignore", "near-miss", "all"),
            "ignore",
            doc="report keys not "
            "in 'known': 'near-miss' only those that look like a misspelling of "
            "a known key, 'all' every one",
        ),
        "case-sensitive": Option(
            BOOLEAN,
            True,
            doc="whether keys are read with their case: false (Hugo) makes 'Title' the "
            "field 'title' (required, types) and not a misspelling of it",
        ),
        "file-name-date": Option(
            BOOLEAN,
            False,
            doc="a file name that starts with a date (YYYY-MM-DD-, Jekyll's posts) "
            "dates the article: a required date field is not missing",
        ),
        "undated": Option(
            STRINGS,
            (),
            doc="file names (globs) of pages that need no date (Hugo's _index.md)",
        ),
        "forbidden": Option(
            REGEXES,
            (),
            doc="regular expressions matched against whole key names, at any depth: "
            "keys that must not be there (the fix removes them with their value)",
        ),
        "forbidden-under": Option(
            _patterns_by_key,
            {},
            doc="key name to regular expressions: keys that must not be in the mapping "
            "of that key (author: [email, login])",
        ),
        "duplicates": Option(
            BOOLEAN,
            False,
            doc="report a key given twice in one mapping, at the second, naming the first",
        ),
    }
    variables = frozenset({"field", "problem"})
    fix_actions = frozenset({"remove"})

    def check(self, document: Document) -> Iterator[Hit]:
        front_matter = document.front_matter
        required = self._required(document.path)
        if front_matter is None:
            if required:
                problem = "missing: the file has no front matter"
                yield Hit(0, 0, {"field": ", ".join(required), "problem": problem})
            return
        if front_matter.problem is not None:
            return  # front-matter-syntax reports it
        data, keys = front_matter.data, front_matter.keys
        key_of = self._key_finder(data)
        for name in required:
            key = key_of(name)
            if key is None:
                yield Hit(
                    front_matter.start,
                    front_matter.start + 3,
                    {"field": name, "problem": "is missing"},
                )
            elif _is_empty(data[key]):
                span = keys[key]
                yield Hit(span.key_start, span.key_end, {"field": key, "problem": "is empty"})
        yield from self._check_keys(document)
        formats: tuple[str, ...] = self.settings["date-formats"]
        for name, expected in self.settings["types"].items():
            key = key_of(name)
            if key is None:
                continue
            wrong = type_problem(data[key], expected, formats)
            if wrong is not None:
                span = keys[key]
                end = max(span.value_end, span.key_end)
                yield Hit(span.value_start, end, {"field": key, "problem": wrong})

    def _required(self, path: str) -> tuple[str, ...]:
        """The required fields of the article at ``path``: without ``date`` where its
        file name dates it or names an undated page."""
        required: tuple[str, ...] = self.settings["required"]
        if "date" not in required:
            return required
        name = path.replace("\\", "/").rsplit("/", 1)[-1]
        dated = self.settings["file-name-date"] and re.match(_FILE_NAME_DATE, name)
        undated = any(fnmatch.fnmatchcase(name, glob) for glob in self.settings["undated"])
        if dated or undated:
            return tuple(field for field in required if field != "date")
        return required

    def _key_finder(self, data: dict[str, Any]) -> Callable[[str], str | None]:
        """The key of the front matter that is field ``name``: the same name, or, when
        keys are read without regard to case, the first key that differs only in case."""
        if self.settings["case-sensitive"]:
            return lambda name: name if name in data else None
        folded: dict[str, str] = {}
        for key in data:
            folded.setdefault(str(key).lower(), key)
        return lambda name: name if name in data else folded.get(name.lower())

    def _forbidden(self, entry: KeyEntry) -> bool:
        """Whether ``entry`` matches a ``forbidden`` pattern, or a ``forbidden-under``
        pattern of the key it is under (memoised: keys repeat from article to article)."""
        parent = entry.parents[-1] if entry.parents else None
        memo: dict[tuple[str, str | None], bool] = self.__dict__.setdefault("_forbidden_memo", {})
        key = (entry.name, parent)
        if key not in memo:
            patterns: tuple[RulePattern, ...] = self.settings["forbidden"]
            if parent is not None:
                patterns += self.settings["forbidden-under"].get(parent, ())
            memo[key] = any(pattern.fullmatches(entry.name) for pattern in patterns)
        return memo[key]

    def _check_keys(self, document: Document) -> Iterator[Hit]:
        front_matter = document.front_matter
        assert front_matter is not None
        if self.settings["forbidden"] or self.settings["forbidden-under"]:
            for entry, problem in self._leftovers(front_matter.entries):
                yield self._leftover(document, front_matter, entry, problem)
        if self.settings["duplicates"]:
            yield from _duplicates(document, front_matter.entries)
        known: tuple[str, ...] = self.settings["known"]
        mode: str = self.settings["unknown"]
        if mode == "ignore":
            return
        for name, span in front_matter.keys.items():
            if name in known or self._forbidden(KeyEntry(name, (), 0, span)):
                continue
            unknown = self._unknown_problem(name, known, mode)
            if unknown is not None:
                yield Hit(span.key_start, span.key_end, {"field": name, "problem": unknown})

    def _leftovers(self, entries: tuple[KeyEntry, ...]) -> Iterator[tuple[KeyEntry, str]]:
        """The forbidden keys with their problem. A key whose mapping holds only forbidden
        keys (jekyll-import's ``meta:``) is reported instead of them, so that its fix
        leaves no empty key behind; keys inside a reported key are not reported again."""
        forbidden = {index for index, entry in enumerate(entries) if self._forbidden(entry)}
        if not forbidden:
            return
        reported_until = -1  # offset up to which the keys are inside a reported one
        for index, entry in enumerate(entries):
            span = entry.span
            if span.key_start < reported_until:
                continue
            if index in forbidden:
                yield entry, "should not be in the front matter (left over from another system)"
                reported_until = span.value_end
                continue
            inside = _children(entries, index)
            if inside and all(child in forbidden for child in inside):
                names = ", ".join(entries[child].name for child in inside[:3])
                more = ", …" if len(inside) > 3 else ""
                problem = f"holds only keys left over from another system ({names}{more})"
                yield entry, problem
                reported_until = span.value_end

    def _leftover(
        self, document: Document, front_matter: FrontMatter, entry: KeyEntry, problem: str
    ) -> Hit:
        """The finding of a forbidden key, with the lines of the key and its value to
        remove when they hold nothing else."""
        span = entry.span
        lines = _key_lines(document.text, span, front_matter)
        edits = (Edit(*lines),) if lines is not None and self.fix_action == "remove" else None
        end = lines[1] if lines is not None else max(span.value_end, span.key_end)
        return Hit(span.key_start, end, {"field": _dotted(entry), "problem": problem}, edits)

    def _unknown_problem(self, name: str, known: tuple[str, ...], mode: str) -> str | None:
        folded = _fold(name)
        for candidate in known:
            if _fold(candidate) == folded:
                if not self.settings["case-sensitive"] and candidate.lower() == name.lower():
                    return None
                return f"is spelt differently from the known field {candidate!r}"
        if len(name) >= 5:
            close = difflib.get_close_matches(name.lower(), [k.lower() for k in known], 1, 0.85)
            if close:
                candidate = next(k for k in known if k.lower() == close[0])
                return f"looks like a misspelling of {candidate!r}"
        return "is not a known field" if mode == "all" else None


def _fold(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def _dotted(entry: KeyEntry) -> str:
    """A key's name with the names of the keys around it: ``author.email``."""
    return ".".join((*entry.parents, entry.name))


_REST_OF_LINE = re.compile(r"[ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)")


def _key_lines(text: str, span: KeySpan, front_matter: FrontMatter) -> tuple[int, int] | None:
    """The whole lines that hold a key and its value (to remove them), or None when they
    hold more (a key inside a flow mapping, the first key of a list item, the last
    member of a JSON object, whose comma is on the line before)."""
    start = text.rfind("\n", 0, span.key_start) + 1
    if text[start : span.key_start].strip(" \t"):
        return None
    end = max(span.value_end, span.key_end)
    if end > start and text[end - 1] == "\n":
        return start, end
    if front_matter.form == "json":
        comma = re.compile(r"[ \t]*,").match(text, end, front_matter.content_end)
        if comma is None:
            return None
        end = comma.end()
    rest = _REST_OF_LINE.match(text, end, front_matter.content_end)
    if rest is None:
        if end == front_matter.content_end:  # the front matter's last line, without "\n"
            return start, end
        return None
    return start, rest.end()


def _children(entries: tuple[KeyEntry, ...], index: int) -> list[int]:
    """The indexes of the keys directly inside the value of ``entries[index]`` (entries
    are in document order, so they follow it)."""
    owner = entries[index]
    path = (*owner.parents, owner.name)
    inside: list[int] = []
    for later in range(index + 1, len(entries)):
        entry = entries[later]
        if entry.span.key_start >= owner.span.value_end:
            break
        if entry.parents == path:
            inside.append(later)
    return inside


def _duplicates(document: Document, entries: tuple[KeyEntry, ...]) -> Iterator[Hit]:
    """A hit at every key given again in the same mapping, naming the line of the first."""
    first: dict[tuple[int, tuple[str, ...], str], KeyEntry] = {}
    for entry in entries:
        seen = first.setdefault((entry.mapping, entry.parents, entry.name), entry)
        if seen is entry:
            continue
        line = document.lines.position(seen.span.key_start)[0]
        problem = f"is given twice (first on line {line}); only one of the values is used"
        values = {"field": _dotted(entry), "problem": problem}
        yield Hit(entry.span.key_start, entry.span.key_end, values)


class DocumentKind(Kind):
    """Problems of the file itself, found while building the document model."""

    name = "document"
    summary = "file size, encoding, front-matter syntax and position"
    options: ClassVar[dict[str, Option]] = {
        "check": Option(
            choice("file-size", "encoding", "front-matter-syntax", "front-matter-position"),
            required=True,
            doc="which problem to report",
        ),
        "limit": Option(
            SIZE,
            MAX_FILE_BYTES,
            doc="file-size: the largest file read and checked, in bytes or as 512k, 16 MiB",
        ),
    }
    variables = frozenset({"problem"})
    fix_actions = frozenset({"remove"})
    needs_text = False

    def validate(self) -> None:
        if self.fix_action and self.settings["check"] != "front-matter-position":
            raise OptionError("fix", "only the front-matter-position check can be fixed")

    @property
    def size_limit(self) -> int | None:
        """The largest file this rule lets be read (the file-size check), else None."""
        return self.settings["limit"] if self.settings["check"] == "file-size" else None

    def check(self, document: Document) -> Iterator[Hit]:
        check = self.settings["check"]
        if check == "file-size":
            oversize, limit = document.source.oversize, self.settings["limit"]
            if oversize is not None and oversize.size > limit:
                problem = f"{describe_oversize(oversize, limit)}; not checked"
                yield Hit(0, 0, {"problem": problem})
            return
        if check == "encoding":
            source = document.source
            if source.problem is not None:
                problem = f"cannot read the file as UTF-8 text: {source.problem.message}"
                yield Hit(0, 0, {"problem": problem})
            elif source.damage is not None:  # linted with U+FFFD: at the first of them
                damage, index, size = source.damage, document.lines, len(document.text)
                offset = size  # the text may be a fix's, shorter than the file's
                if damage.line <= index.line_count:
                    offset = min(index.line_start(damage.line) + damage.column - 1, size)
                yield Hit(offset, min(offset + 1, size), {"problem": damage.message})
            return
        if not document.has_text:
            return
        front_matter = document.front_matter
        if front_matter is None:
            return
        if check == "front-matter-syntax" and front_matter.problem is not None:
            offset = front_matter.problem.offset
            yield Hit(offset, offset, {"problem": front_matter.problem.message})
        elif check == "front-matter-position" and front_matter.start > 0:
            lines = document.text.count("\n", 0, front_matter.start)
            blank = f"{lines} blank line{'s' if lines != 1 else ''} before the front matter"
            edits = (Edit(0, front_matter.start),) if self.fix_action else None
            yield Hit(0, front_matter.start, {"problem": blank}, edits)
