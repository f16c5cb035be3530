"""What every check kind shares: declared options, validation, and the ``Hit`` it yields.

A kind is a generic check written in Python (an HTML element by selector, an attribute
by name, ...). A rule is a YAML file that picks a kind and sets its options. A kind
declares its options with their types and defaults, the variables its message
templates may use, and the fix actions it can perform; the rule loader validates rule
files against that declaration.

Regular expressions from rule files are compiled with the ``regex`` module (compatible
with ``re``) and every search is bounded in time: a pattern that backtracks
catastrophically on some text (``(a|a)+$``) raises ``RegexTimeout`` after
``REGEX_TIMEOUT`` seconds instead of hanging the run, and ``regex_budget`` bounds the
total time all rule patterns may take on one file. The linter reports the timeout as an
error of that rule on that file; the other rules and files go on.
"""

from __future__ import annotations

import contextlib
import contextvars
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, NamedTuple

import regex

from lint.document.document import Document
from lint.document.source import parse_size
from lint.document.tree import compile_selector
from lint.engine.findings import Edit


class OptionError(ValueError):
    """An invalid option value; ``key`` names the option for the error's position."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class Hit(NamedTuple):
    """A place where a kind found what its rule looks for. A named tuple: rules with many
    findings build one per finding, and it is cheap to build.

    A kind may give the same ``values`` mapping for several hits (the linter then formats
    the message once), but never changes a mapping it has given.

    ``safe``: false when this hit's edits may change what a reader sees even though the
    rule's fix is declared safe (a style that hides text or carries meaning): the fix is
    then unsafe. It never makes an unsafe rule's fix safe."""

    start: int
    end: int
    values: Mapping[str, str]
    edits: tuple[Edit, ...] | None = None
    safe: bool = True


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


REGEX_TIMEOUT = 2.0  # seconds one search of a rule pattern may take
FILE_REGEX_BUDGET = 20.0  # seconds all rule patterns may take on one file (regex_budget)
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar(
    "contentlint_regex_deadline", default=None
)


def _size(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise OptionError(key, f"option {key!r} must be a size (e.g. 16777216, 512k, 16 MiB)")
    if isinstance(value, int):
        if value <= 0:
            raise OptionError(key, f"option {key!r} must be a positive size")
        return value
    try:
        return parse_size(value)
    except ValueError as error:
        raise OptionError(key, f"option {key!r}: {error}") from None


class RegexTimeout(TimeoutError):
    """A rule's regular expression took too long on a file (catastrophic backtracking)."""

    def __init__(self, pattern: str, budget: bool = False) -> None:
        limit = (
            f"the {FILE_REGEX_BUDGET:g} s all rule patterns may take on one file"
            if budget
            else f"{REGEX_TIMEOUT:g} s"
        )
        super().__init__(
            f"regular expression {pattern!r} ran longer than {limit} on this file "
            "(catastrophic backtracking?); the rule was skipped for this file, simplify it"
        )
        self.pattern = pattern


@contextlib.contextmanager
def regex_budget(seconds: float = FILE_REGEX_BUDGET) -> Iterator[None]:
    """Bound the total time of rule-pattern searches inside the block (one file)."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


# Characters that can make a pattern more than a literal string. A pattern has no flags
# but its inline ones (which need "("), so "-", "#", "&" and "~" (special in sets, in
# verbose mode, or in sets of VERSION1) are literal in a pattern without the others.
_SPECIAL = frozenset("()[]{}?*+|^$\\.")


def _is_literal(pattern: str) -> bool:
    """Whether ``pattern`` matches exactly the string it is (no special characters, and
    no white space but the space)."""
    return not any(char in _SPECIAL or (char.isspace() and char != " ") for char in pattern)


class RulePattern:
    """A rule pattern, compiled on first use, whose searches are bounded in time.

    It offers the ``re.Pattern`` methods the kinds use (``search``, ``match``,
    ``fullmatch``, ``finditer``, ``findall``, ``sub``) and its attributes (``pattern``,
    ``flags``, ``groups``, ``groupindex``); a search that runs out of time raises
    ``RegexTimeout``. ``found_in`` and ``fullmatches`` answer for a literal pattern
    without compiling it.

    Building one does not check the pattern: ``compiled()`` does (``Kind.create`` calls
    it for every pattern of a rule that is loaded from its file)."""

    __slots__ = ("_compiled", "literal", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: Any = None
        # The pattern when it matches exactly the string it is, else None.
        self.literal = pattern if _is_literal(pattern) else None

    def compiled(self) -> Any:
        """The compiled pattern (a ``regex.Pattern``); raises ``regex.error`` if invalid."""
        if self._compiled is None:
            self._compiled = regex.compile(self.pattern)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return f"RulePattern({self.pattern!r})"

    def __eq__(self, other: object) -> bool:
        # No flags but the pattern's own: the same pattern compiles to the same thing.
        return isinstance(other, RulePattern) and self.pattern == other.pattern

    def __hash__(self) -> int:
        return hash(self.pattern)

    def __reduce__(self) -> tuple[Any, ...]:
        return (RulePattern, (self.pattern,))

    def _timeout(self) -> tuple[float, bool]:
        deadline = _deadline.get()
        if deadline is None:
            return REGEX_TIMEOUT, False
        left = deadline - time.monotonic()
        if left <= 0:
            raise RegexTimeout(self.pattern, budget=True)
        return (left, True) if left < REGEX_TIMEOUT else (REGEX_TIMEOUT, False)

    def found_in(self, string: str) -> bool:
        """Whether the pattern matches somewhere in ``string``: ``bool(search(string))``.

        A literal pattern (``news_keyword_pub``) is looked for as a plain substring, which
        costs a fraction of a search with a timeout."""
        if self.literal is None:
            return self.search(string) is not None
        self._timeout()  # raises when the file's pattern budget is spent, as search does
        return self.literal in string

    def fullmatches(self, string: str) -> bool:
        """Whether the pattern matches the whole of ``string``: ``bool(fullmatch(string))``.

        A literal pattern (``cms-style``) is compared with ``string``."""
        if self.literal is None:
            return self.fullmatch(string) is not None
        self._timeout()
        return self.literal == string

    def _bounded(self, name: str, *args: Any) -> Any:
        """The compiled pattern's method ``name`` on ``args`` with the time left as its
        timeout."""
        method = getattr(self._compiled or self.compiled(), name)
        timeout, budget = self._timeout()
        try:
            return method(*args, timeout=timeout)
        except TimeoutError:
            raise RegexTimeout(self.pattern, budget) from None

    def search(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded("search", string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded("match", string, pos, endpos)

    def fullmatch(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded("fullmatch", string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int | None = None) -> Any:
        return self._bounded("findall", string, pos, endpos)

    def sub(self, replacement: Any, string: str, count: int = 0) -> Any:
        return self._bounded("sub", replacement, string, count)

    def finditer(self, string: str, pos: int = 0, endpos: int | None = None) -> Iterator[Any]:
        compiled = self._compiled or self.compiled()
        timeout, budget = self._timeout()
        matches = compiled.finditer(string, pos, endpos, timeout=timeout)
        try:
            yield from matches
        except TimeoutError:
            raise RegexTimeout(self.pattern, budget) from None


def _regex(key: str, value: Any) -> RulePattern:
    """A rule pattern; ``Kind.create`` compiles it (``_compile_patterns``)."""
    return RulePattern(_string(key, value))


def _compile_patterns(key: str, value: Any) -> None:
    """Compile the rule patterns in option ``key``'s ``value`` (a pattern, a tuple of
    them, or a mapping to tuples of them): an invalid one is an error of the option. A
    literal pattern is valid as it is, and is compiled on first use only (``found_in``
    and ``fullmatches`` need not)."""
    if isinstance(value, dict):
        value = tuple(item for items in value.values() for item in items)
    for item in value if isinstance(value, tuple) else (value,):
        if isinstance(item, RulePattern) and item.literal is None:
            try:
                item.compiled()
            except regex.error as error:
                raise OptionError(
                    key, f"option {key!r} is not a valid regular expression: {error}"
                ) from None


def _regexes(key: str, value: Any) -> tuple[RulePattern, ...]:
    return tuple(_regex(key, item) for item in _strings(key, value))


def _selector(key: str, value: Any) -> Any:
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


class Option(NamedTuple):
    """An option of a kind: how to validate it and its default (``required`` if none)."""

    parse: Callable[[str, Any], Any]
    default: Any = None
    required: bool = False
    doc: str = ""


STRING = _string
BOOLEAN = _boolean
STRINGS = _strings
STRING_MAP = _string_map
SIZE = _size
REGEX = _regex
REGEXES = _regexes
SELECTOR = _selector


COMMON_OPTIONS = {
    "hint": Option(
        STRINGS,
        (),
        doc="substrings of which one must occur in the file for a match; the kind "
        "derives its own from its options, so set this only to narrow a rule further",
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
                value = settings[key] = option.parse(key, raw[key])
                _compile_patterns(key, value)
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

    @property
    def size_limit(self) -> int | None:
        """The largest file (in bytes) this rule lets be read; None: it sets no limit."""
        return None

    @property
    def checks_remote(self) -> bool:
        """Whether the opt-in remote pass (``--check-remote``) checks this rule's remote
        image URLs, reporting the broken ones under the rule."""
        return False

    def prefilter(self) -> tuple[str, ...] | None:
        """Substrings of which at least one occurs (ignoring case) in every text where
        the rule can hit; None: the rule always runs. The rule's ``hint`` if it sets
        one, else what the kind derives from its options (``needles``)."""
        hints: tuple[str, ...] = self.settings.get("hint", ())
        return hints or self.needles()

    def needles(self) -> tuple[str, ...] | None:
        """What this kind's options say every text with a hit contains (its selectors'
        values, its patterns' literal characters, the markup it looks at), for
        ``prefilter``; None when they say nothing. Override when they do."""
        return None

    def check(self, document: Document) -> Iterable[Hit]:
        raise NotImplementedError


MESSAGE_WINDOW = 2000  # characters of an element's content looked at for a message's {text}


def shorten(text: str, limit: int = 60) -> str:
    """Collapse white space and cut ``text`` to ``limit`` characters for messages."""
    if len(text) > 4 * limit:
        # Collapsing the white space of a prefix gives a prefix of the collapsed text:
        # when that is already too long, the rest of a long text (an element's content)
        # does not change the result.
        head = " ".join(text[: 4 * limit].split())
        if len(head) > limit:
            return head[: limit - 1] + "…"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
