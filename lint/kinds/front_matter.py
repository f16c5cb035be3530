"""Kinds over the front matter and the file as a whole.

``front-matter-field`` checks required fields and the type or format of fields.
``document`` reports what the document model itself found wrong: text that is not
UTF-8, front matter that does not parse, blank lines before the front matter.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

from lint.document import Document
from lint.findings import Edit
from lint.kinds.base import STRING_MAP, STRINGS, Hit, Kind, Option, OptionError, choice

FIELD_TYPES = ("string", "strings", "date", "boolean", "url", "integer", "number", "list")
_SLASH_DATE = re.compile(r"\d{4}/\d{1,2}/\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?\Z")
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
            try:
                email.utils.parsedate_to_datetime(value)
                return True
            except (TypeError, ValueError, IndexError):
                continue
        elif name == "slashes":
            if _SLASH_DATE.match(value) and _strptime_any(
                value, ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
            ):
                return True
        elif _strptime_any(value, (name,)):
            return True
    return False


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
            raise OptionError(key, f"field {name!r}: unknown type {expected!r}; "
                              f"known: {', '.join(FIELD_TYPES)}")
    return types


class FrontMatterFieldKind(Kind):
    """Required fields (absent or empty) and field types and formats."""

    name = "front-matter-field"
    summary = "front-matter fields: required, and of the right type or format"
    options: ClassVar[dict[str, Option]] = {
        "required": Option(STRINGS, (), doc="fields that must be present and not empty"),
        "types": Option(_field_types, {}, doc="field name to type: " + ", ".join(FIELD_TYPES)),
        "date-formats": Option(STRINGS, NAMED_DATE_FORMATS, doc="accepted date formats: "
                               "iso8601, rfc2822, slashes (YYYY/MM/DD[ HH:MM[:SS]]) or "
                               "strptime patterns"),
    }
    variables = frozenset({"field", "problem"})

    def check(self, document: Document) -> Iterator[Hit]:
        front_matter = document.front_matter
        required: tuple[str, ...] = self.settings["required"]
        if front_matter is None:
            if required:
                problem = "missing: the file has no front matter"
                yield Hit(0, 0, {"field": ", ".join(required), "problem": problem})
            return
        if front_matter.problem is not None:
            return  # front-matter-syntax reports it
        data, keys = front_matter.data, front_matter.keys
        for name in required:
            if name not in data:
                yield Hit(front_matter.start, front_matter.start + 3,
                          {"field": name, "problem": "is missing"})
            elif _is_empty(data[name]):
                span = keys[name]
                yield Hit(span.key_start, span.key_end, {"field": name, "problem": "is empty"})
        formats: tuple[str, ...] = self.settings["date-formats"]
        for name, expected in self.settings["types"].items():
            if name not in data:
                continue
            problem = type_problem(data[name], expected, formats)
            if problem is not None:
                span = keys[name]
                end = max(span.value_end, span.key_end)
                yield Hit(span.value_start, end, {"field": name, "problem": problem})


class DocumentKind(Kind):
    """Problems of the file itself, found while building the document model."""

    name = "document"
    summary = "encoding, front-matter syntax and position"
    options: ClassVar[dict[str, Option]] = {
        "check": Option(
            choice("encoding", "front-matter-syntax", "front-matter-position"),
            required=True,
            doc="which problem to report",
        ),
    }
    variables = frozenset({"problem"})
    fix_actions = frozenset({"remove"})
    needs_text = False

    def validate(self) -> None:
        if self.fix_action and self.settings["check"] != "front-matter-position":
            raise OptionError("fix", "only the front-matter-position check can be fixed")

    def check(self, document: Document) -> Iterator[Hit]:
        check = self.settings["check"]
        if check == "encoding":
            problem = document.source.problem
            if problem is not None:
                yield Hit(0, 0, {"problem": problem.message}, None)
            return
        if not document.decodable:
            return
        front_matter = document.front_matter
        if front_matter is None:
            return
        if check == "front-matter-syntax" and front_matter.problem is not None:
            offset = front_matter.problem.offset
            yield Hit(offset, offset, {"problem": front_matter.problem.message})
        elif check == "front-matter-position" and front_matter.start > 0:
            lines = document.text.count("\n", 0, front_matter.start)
            problem = f"{lines} blank line{'s' if lines != 1 else ''} before the front matter"
            edits = (Edit(0, front_matter.start),) if self.fix_action else None
            yield Hit(0, front_matter.start, {"problem": problem}, edits)
