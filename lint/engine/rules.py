"""Rules: YAML files that give a check kind its options, message, severity and fix.

A rule file holds one mapping::

    id: stock-quote-placeholder
    kind: element
    severity: warning
    message: "empty stock-quote placeholder <span id={id}>"
    description: |
      What it finds, why it matters, an example, and what the fix does.
    selector: 'span[id^="quote_"]:empty'
    fix: {action: remove, safe: true}

Loading validates everything and reports errors with the file and line. What a
repository's rule files can ask of a run is bounded: a rule or configuration file must be
a regular file of at most ``MAX_CONFIG_BYTES`` (a FIFO or a link to ``/dev/zero`` is an
error at once); a regular expression at most ``MAX_PATTERN_LENGTH`` characters whose
counted repeats, multiplied through their nesting, stay under ``MAX_PATTERN_WEIGHT``
(``(?:(?:a{1000}){1000}){1000}`` would take gigabytes to compile); a message template's
widths and precisions at most ``MAX_TEMPLATE_WIDTH``.

A rule's kind (the check itself, with its compiled patterns and selectors) is built on
first use.
"""

from __future__ import annotations

import functools
import os
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, cast

import yaml

from lint.document.frontmatter import yaml_graph_problem
from lint.document.source import SourceError, describe_oversize, read_source
from lint.engine.findings import SEVERITIES, Severity
from lint.engine.kinds import BUILTIN_KINDS, KINDS, Kind
from lint.engine.kinds.base import REGEX, REGEXES, OptionError
from lint.engine.packs import CORE

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]

RULE_KEYS = frozenset(
    {"id", "kind", "severity", "message", "description", "fix", "enabled", "pack"}
)
FIX_KEYS = frozenset({"action", "safe"})
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
RULE_SUFFIXES = (".yaml", ".yml")
# What decides whether a rule file is valid, besides contentlint: its parser, and the
# libraries that compile patterns and selectors.
SUPPRESSION_KIND = "suppression"  # the kind of the built-in ``unused-suppression`` rule
# The word in every suppression comment and front-matter setting (``lint.engine.suppressions``).
SUPPRESSION_WORD = "contentlint"
MAX_CONFIG_BYTES = 1024 * 1024
MAX_PATTERN_LENGTH = 10_000
MAX_PATTERN_WEIGHT = 100_000  # characters a pattern stands for once its repeats are counted
MAX_TEMPLATE_WIDTH = 1000


class RuleError(Exception):
    """A rule or configuration file that cannot be used; ``str()`` names file and line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        location = f"{path}:{line}" if line else path
        super().__init__(f"{location}: {message}")
        self.path, self.line, self.message = path, line, message


UNUSED_SUPPRESSION = "unused-suppression"  # the id of the built-in rule
_UNUSED_SUPPRESSION_DESCRIPTION = """\
Finds suppression comments that suppress nothing: a `contentlint-disable…` comment
whose rules report nothing where it applies, one that names an unknown rule, a comment
that starts with `contentlint-` but is not a known directive, and invalid
`contentlint:` settings in the front matter.

Why: a suppression outlives the problem it silenced; left in place it would hide the
next real problem there. Like ruff's RUF100 for unused `noqa` comments.

Example (bad), when the next line has no inline style:

    <!-- contentlint-disable-next-line inline-style -->
    <p>Plain paragraph.</p>

Directives naming only rules that did not run (not selected, ignored in the
configuration) are not reported. A directive without rule ids is reported when it
suppressed nothing at all. `unused-suppression` itself can be ignored like any rule, or
silenced for a file with `<!-- contentlint-disable-file unused-suppression -->`.

Fix: none; delete the comment, or the rule id, by hand."""


def kind_class(name: str) -> type[Kind]:
    """The kind called ``name`` (raises KeyError): one of ``lint.engine.kinds.KINDS``, or the kind
    of the built-in ``unused-suppression`` rule."""
    return BUILTIN_KINDS[name] if name in BUILTIN_KINDS else KINDS[name]


@dataclass(frozen=True)
class Rule:
    """A loaded, validated rule.

    ``kind`` is built on first use from ``kind_name``, ``options`` and ``fix_action``;
    relative paths in the options start from ``base_dir``; ``pack``: the rule
    pack it belongs to (``lint.engine.packs``)."""

    id: str
    kind_name: str
    severity: Severity
    message: str
    description: str
    fix_action: str | None
    fix_safe: bool
    enabled: bool
    options: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""
    base_dir: str = "."
    pack: str = CORE

    @functools.cached_property
    def kind(self) -> Kind:
        """The check; raises OptionError for an invalid option (which loading, and
        configuring, have already ruled out)."""
        return kind_class(self.kind_name).create(self.options, self.fix_action, self.base_dir)

    @property
    def fixable(self) -> str | None:
        if self.fix_action is None:
            return None
        return "safe" if self.fix_safe else "unsafe"

    def configure(self, settings: Mapping[str, Any], origin: str, base_dir: str) -> Rule:
        """This rule with severity and options overridden (from a configuration)."""
        options = dict(self.options)
        severity = self.severity
        for key, value in settings.items():
            if key == "severity":
                severity = _severity(value, origin, None)
            else:
                options[key] = value
        problem = pattern_problem(kind_class(self.kind_name), settings)
        if problem is not None:
            raise RuleError(origin, None, f"rule {self.id!r}: {problem[1]}")
        configured = replace(self, severity=severity, options=options, base_dir=base_dir)
        try:
            _ = configured.kind  # built now: an invalid option is an error of the configuration
        except OptionError as error:
            raise RuleError(origin, None, f"rule {self.id!r}: {error}") from None
        return configured


def builtin_rules() -> list[Rule]:
    """The rules built into contentlint rather than read from a file (selectable and
    configurable like the others): ``unused-suppression``, whose findings the linter
    computes (``lint.engine.suppressions``)."""
    return [
        Rule(
            id=UNUSED_SUPPRESSION,
            kind_name=SUPPRESSION_KIND,
            severity="warning",
            message="suppression comment {directive} {detail}",
            description=_UNUSED_SUPPRESSION_DESCRIPTION,
            fix_action=None,
            fix_safe=False,
            enabled=True,
            options={},
            origin="<built-in>",
        )
    ]


def _severity(value: Any, path: str, line: int | None) -> Severity:
    if value not in SEVERITIES:
        raise RuleError(path, line, f"severity must be one of {', '.join(SEVERITIES)}")
    return cast(Severity, value)


def read_config(path: str) -> bytes:
    """The bytes of a rule or configuration file; RuleError if it cannot be read, is not a
    regular file (never blocking on a FIFO) or is larger than ``MAX_CONFIG_BYTES``."""
    try:
        source = read_source(path, MAX_CONFIG_BYTES)
    except SourceError as error:
        raise RuleError(path, None, str(error)) from None
    except OSError as error:
        raise RuleError(path, None, f"cannot read: {error.strerror or error}") from None
    if source.oversize is not None:
        raise RuleError(path, None, describe_oversize(source.oversize, MAX_CONFIG_BYTES))
    return source.raw


def compose_yaml(path: str) -> tuple[Any, dict[str, int]]:
    """Parse a YAML file; return its data and the line of each top-level key."""
    try:
        text = read_config(path).decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuleError(path, None, f"cannot read: {error}") from None
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        problem = yaml_graph_problem(node) if node is not None else None
        if problem is not None:
            raise RuleError(path, None, f"YAML refused: {problem}")
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise RuleError(path, line, f"invalid YAML: {error.problem}") from None
    except yaml.YAMLError as error:
        raise RuleError(path, None, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line + 1)
    return data, lines


def load_rule(path: str) -> Rule:
    """Load and validate one rule file."""
    data, lines = compose_yaml(path)
    if not isinstance(data, dict):
        raise RuleError(path, 1, "a rule file must be a mapping")

    def fail(key: str, message: str) -> RuleError:
        return RuleError(path, lines.get(key), message)

    for key in ("id", "kind", "message", "description"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(key, f"missing or empty {key!r}")
    rule_id, kind_name = data["id"], data["kind"]
    if not _RULE_ID.match(rule_id):
        raise fail("id", f"invalid rule id {rule_id!r}: use lower-case letters, digits and '-'")
    kind_type = KINDS.get(kind_name)
    if kind_type is None:
        raise fail("kind", f"unknown kind {kind_name!r}; known kinds: {', '.join(sorted(KINDS))}")
    severity = _severity(data.get("severity", "warning"), path, lines.get("severity"))
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "'enabled' must be true or false")
    fix_action, fix_safe = _fix(data.get("fix"), fail)
    pack = data.get("pack", CORE)
    if not isinstance(pack, str) or not _RULE_ID.match(pack):
        raise fail("pack", "'pack' must be a pack name: lower-case letters, digits and '-'")
    options = {key: value for key, value in data.items() if key not in RULE_KEYS}
    rule = Rule(
        rule_id,
        kind_name,
        severity,
        data["message"],
        data["description"].strip(),
        fix_action,
        fix_safe,
        enabled,
        options,
        path,
        os.path.dirname(path),
        pack,
    )
    _check_template(rule.message, kind_type, fail)
    problem = pattern_problem(kind_type, options)
    if problem is not None:
        raise fail(*problem)
    try:
        _ = rule.kind  # built now: an invalid option is an error of this file
    except OptionError as error:
        raise fail(error.key, str(error)) from None
    return rule


def _fix(raw: Any, fail: Any) -> tuple[str | None, bool]:
    if raw is None:
        return None, False
    if not isinstance(raw, dict):
        raise fail("fix", "'fix' must be a mapping with 'action' and 'safe'")
    unknown = sorted(set(raw) - FIX_KEYS)
    if unknown:
        raise fail("fix", f"unknown key {unknown[0]!r} in 'fix'")
    action, safe = raw.get("action"), raw.get("safe")
    if not isinstance(action, str) or not isinstance(safe, bool):
        raise fail("fix", "'fix' needs 'action' (a string) and 'safe' (true or false)")
    return action, safe


_NUMBER = re.compile(r"\d+")


def _check_template(message: str, kind_type: type[Kind], fail: Any) -> None:
    try:
        fields = [
            (name, spec)
            for _, name, spec, _ in string.Formatter().parse(message)
            if name is not None
        ]
    except ValueError as error:
        raise fail("message", f"invalid message template: {error}") from None
    for name, spec in fields:
        if name not in kind_type.variables:
            known = ", ".join(sorted(kind_type.variables))
            raise fail("message", f"unknown variable {{{name}}} in message; known: {known}")
        if "{" in (spec or ""):
            raise fail("message", f"the format of {{{name}}} cannot hold another field")
        if any(int(number) > MAX_TEMPLATE_WIDTH for number in _NUMBER.findall(spec or "")):
            raise fail(
                "message",
                f"the width of {{{name}}} is over {MAX_TEMPLATE_WIDTH} (format {spec!r})",
            )


def pattern_problem(kind_type: type[Kind], options: Mapping[str, Any]) -> tuple[str, str] | None:
    """(option, problem) for the first regular expression of ``options`` (the kind's
    pattern options) that is too long, or whose counted repeats stand for too much text:
    a pattern is compiled with its counted repeats unrolled, so ``(?:a{1000}){1000}``
    costs a million times ``a``. None if there is none."""
    for key, value in options.items():
        option = kind_type.options.get(key)
        if option is None or option.parse not in (REGEX, REGEXES):
            continue
        for pattern in [value] if isinstance(value, str) else value:
            if not isinstance(pattern, str):
                continue  # not a string: the option's own check reports it
            if len(pattern) > MAX_PATTERN_LENGTH:
                return key, f"option {key!r}: pattern longer than {MAX_PATTERN_LENGTH} characters"
            if pattern_weight(pattern) > MAX_PATTERN_WEIGHT:
                return key, (
                    f"option {key!r}: pattern {shorten_pattern(pattern)!r} repeats too much "
                    f"(its counted repeats stand for over {MAX_PATTERN_WEIGHT:,} characters)"
                )
    return None


def shorten_pattern(pattern: str) -> str:
    return pattern if len(pattern) <= 60 else pattern[:57] + "..."


_REPEAT = re.compile(r"\{(\d*)(?:,(\d*))?\}")


def pattern_weight(pattern: str) -> int:
    """How many characters ``pattern`` stands for when its counted repeats (``{m}``,
    ``{m,n}``) are unrolled: each character and class counts 1, a group the sum of its
    parts, a counted repeat multiplies what it repeats by its largest count. ``*``, ``+``
    and ``?`` count once (they compile to a loop). Escapes and classes are skipped as
    units; anything this does not read the way the regex module does is counted more,
    never less."""
    stack: list[list[int]] = [[]]  # per open group: the weights of its parts
    index, length = 0, len(pattern)
    while index < length:
        char = pattern[index]
        if char == "\\":
            index += 2
            named = pattern[index - 1 : index] in ("N", "p", "P")
            if named and pattern.startswith("{", index):  # \N{NAME}, \p{Class}
                end = pattern.find("}", index)
                index = length if end == -1 else end + 1
            stack[-1].append(1)
        elif char == "[":
            index = _class_end(pattern, index)
            stack[-1].append(1)
        elif char == "(":
            stack.append([])
            index += 1
        elif char == ")":
            if len(stack) > 1:
                inner = stack.pop()
                stack[-1].append(sum(inner))
            index += 1
        else:
            repeat = _REPEAT.match(pattern, index) if char == "{" else None
            if repeat is not None and stack[-1]:
                counts = [int(number) for number in repeat.groups() if number]
                stack[-1][-1] *= max(counts, default=1) or 1
                index = repeat.end()
            else:
                stack[-1].append(1)
                index += 1
    while len(stack) > 1:
        inner = stack.pop()
        stack[-1].append(sum(inner))
    return sum(stack[0])


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at ``pattern[start]``."""
    index = start + 1
    if index < len(pattern) and pattern[index] == "^":
        index += 1
    if index < len(pattern) and pattern[index] == "]":
        index += 1
    while index < len(pattern):
        if pattern[index] == "\\":
            index += 2
            continue
        if pattern.startswith("[:", index):
            end = pattern.find(":]", index + 2)
            if end != -1:
                index = end + 2
                continue
        if pattern[index] == "]":
            return index + 1
        index += 1
    return len(pattern)


def rule_files(directory: str) -> list[str]:
    """The rule files of a folder, sorted; raises RuleError if it is not a folder."""
    if not os.path.isdir(directory):
        raise RuleError(directory, None, "rules folder not found")
    return sorted(
        os.path.join(directory, name)
        for name in os.listdir(directory)
        if name.endswith(RULE_SUFFIXES) and not name.startswith(".")
    )


def bundled_rules_dir() -> str:
    """The folder of bundled rules: inside the installed package, or the source tree's."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    installed = os.path.join(package, "bundled_rules")
    if os.path.isdir(installed):
        return installed
    return os.path.join(os.path.dirname(package), "rules")


def load_rules(directories: Iterable[str]) -> dict[str, Rule]:
    """Load every rule of ``directories``, in order. Duplicate ids are errors."""
    return _parse_rules([(directory, rule_files(directory)) for directory in directories])


def _parse_rules(listing: Sequence[tuple[str, list[str]]]) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for _, paths in listing:
        for path in paths:
            rule = load_rule(path)
            if rule.id in rules:
                raise RuleError(
                    path,
                    compose_yaml(path)[1].get("id", 1),
                    f"duplicate rule id {rule.id!r} (also in {rules[rule.id].origin})",
                )
            rules[rule.id] = rule
    return rules
