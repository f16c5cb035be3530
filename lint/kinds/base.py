"""What every check kind shares: declared options, validation, and the ``Hit`` it yields.

A kind is a generic check written in Python (an HTML element by selector, an attribute
by name, ...). A rule is a YAML file that picks a kind and sets its options. A kind
declares its options with their types and defaults, the variables its message
templates may use, and the fix actions it can perform; the rule loader validates rule
files against that declaration.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from lint.document import Document
from lint.findings import Edit


class OptionError(ValueError):
    """An invalid option value; ``key`` names the option for the error's position."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True)
class Hit:
    """A place where a kind found what its rule looks for."""

    start: int
    end: int
    values: Mapping[str, str]
    edits: tuple[Edit, ...] | None = None


def _string(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise OptionError(key, f"option {key!r} must be a string")
    return value


def _boolean(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise OptionError(key, f"option {key!r} must be true or false")
    return value


def _strings(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise OptionError(key, f"option {key!r} must be a list of strings")
    return tuple(value)


def _string_map(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise OptionError(key, f"option {key!r} must be a mapping of strings to strings")
    return dict(value)


def _regex(key: str, value: Any) -> re.Pattern[str]:
    try:
        return re.compile(_string(key, value))
    except re.error as error:
        raise OptionError(
            key, f"option {key!r} is not a valid regular expression: {error}"
        ) from None


def _regexes(key: str, value: Any) -> tuple[re.Pattern[str], ...]:
    return tuple(_regex(key, item) for item in _strings(key, value))


def _selector(key: str, value: Any) -> Any:
    from lint.tree import compile_selector

    try:
        return compile_selector(_string(key, value))
    except ValueError as error:
        raise OptionError(key, str(error)) from None


def choice(*allowed: str) -> Callable[[str, Any], str]:
    def validate(key: str, value: Any) -> str:
        if value not in allowed:
            raise OptionError(key, f"option {key!r} must be one of: {', '.join(allowed)}")
        return str(value)

    return validate


@dataclass(frozen=True)
class Option:
    """An option of a kind: how to validate it and its default (``required`` if none)."""

    parse: Callable[[str, Any], Any]
    default: Any = None
    required: bool = False
    doc: str = ""


STRING = _string
BOOLEAN = _boolean
STRINGS = _strings
STRING_MAP = _string_map
REGEX = _regex
REGEXES = _regexes
SELECTOR = _selector


COMMON_OPTIONS = {
    "hint": Option(
        STRINGS, (), doc="substrings of which one must occur in the file for a match (speed)"
    ),
}


@dataclass
class Kind:
    """Base of all check kinds. Subclasses set the class variables and ``check``."""

    name: ClassVar[str]
    summary: ClassVar[str]
    options: ClassVar[Mapping[str, Option]]
    variables: ClassVar[frozenset[str]]
    fix_actions: ClassVar[frozenset[str]] = frozenset()
    needs_text: ClassVar[bool] = True

    settings: dict[str, Any] = field(default_factory=dict)
    fix_action: str | None = None
    base_dir: str = "."

    @classmethod
    def create(cls, raw: Mapping[str, Any], fix_action: str | None, base_dir: str = ".") -> Kind:
        """Validate ``raw`` options and build the kind. Raises OptionError."""
        options = {**COMMON_OPTIONS, **cls.options}
        unknown = sorted(set(raw) - set(options))
        if unknown:
            raise OptionError(unknown[0], f"unknown option {unknown[0]!r} for kind {cls.name!r}")
        settings: dict[str, Any] = {}
        for key, option in options.items():
            if key in raw:
                settings[key] = option.parse(key, raw[key])
            elif option.required:
                raise OptionError(key, f"kind {cls.name!r} needs option {key!r}")
            else:
                settings[key] = option.default
        if fix_action is not None and fix_action not in cls.fix_actions:
            allowed = ", ".join(sorted(cls.fix_actions)) or "none"
            raise OptionError("fix", f"kind {cls.name!r} cannot {fix_action!r} (can: {allowed})")
        kind = cls(settings, fix_action, base_dir)
        kind.validate()
        return kind

    def validate(self) -> None:
        """Check combinations of options; raise OptionError. Override when needed."""

    def prefilter(self) -> tuple[str, ...] | None:
        """Substrings of which at least one must occur in the text for a hit; None: always run."""
        hints: tuple[str, ...] = self.settings.get("hint", ())
        return hints or None

    def check(self, document: Document) -> Iterable[Hit]:
        raise NotImplementedError


def shorten(text: str, limit: int = 60) -> str:
    """Collapse white space and cut ``text`` to ``limit`` characters for messages."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
