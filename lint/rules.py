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

Loading validates everything and reports errors with the file and line.
"""

from __future__ import annotations

import os
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import yaml

from lint.findings import SEVERITIES, Severity
from lint.frontmatter import yaml_graph_problem
from lint.kinds import KINDS, Kind
from lint.kinds.base import OptionError

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

RULE_KEYS = frozenset({"id", "kind", "severity", "message", "description", "fix", "enabled"})
FIX_KEYS = frozenset({"action", "safe"})
_RULE_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
RULE_SUFFIXES = (".yaml", ".yml")


class RuleError(Exception):
    """A rule or configuration file that cannot be used; ``str()`` names file and line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        location = f"{path}:{line}" if line else path
        super().__init__(f"{location}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass(frozen=True)
class Rule:
    """A loaded, validated rule."""

    id: str
    kind: Kind
    severity: Severity
    message: str
    description: str
    fix_action: str | None
    fix_safe: bool
    enabled: bool
    options: Mapping[str, Any] = field(default_factory=dict)
    origin: str = ""

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
        try:
            kind = type(self.kind).create(options, self.fix_action, base_dir)
        except OptionError as error:
            raise RuleError(origin, None, f"rule {self.id!r}: {error}") from None
        return replace(self, kind=kind, severity=severity, options=options)


def _severity(value: Any, path: str, line: int | None) -> Severity:
    if value not in SEVERITIES:
        raise RuleError(path, line, f"severity must be one of {', '.join(SEVERITIES)}")
    return cast(Severity, value)


def compose_yaml(path: str) -> tuple[Any, dict[str, int]]:
    """Parse a YAML file; return its data and the line of each top-level key."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
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
    kind_class = KINDS.get(kind_name)
    if kind_class is None:
        raise fail("kind", f"unknown kind {kind_name!r}; known kinds: {', '.join(sorted(KINDS))}")
    severity = _severity(data.get("severity", "warning"), path, lines.get("severity"))
    enabled = data.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("enabled", "'enabled' must be true or false")
    fix_action, fix_safe = _fix(data.get("fix"), fail)
    options = {key: value for key, value in data.items() if key not in RULE_KEYS}
    try:
        kind = kind_class.create(options, fix_action, os.path.dirname(path))
    except OptionError as error:
        raise fail(error.key, str(error)) from None
    message = data["message"]
    _check_template(message, kind_class, fail)
    return Rule(
        rule_id,
        kind,
        severity,
        message,
        data["description"].strip(),
        fix_action,
        fix_safe,
        enabled,
        options,
        path,
    )


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


def _check_template(message: str, kind_class: type[Kind], fail: Any) -> None:
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(message) if name is not None]
    except ValueError as error:
        raise fail("message", f"invalid message template: {error}") from None
    for name in fields:
        if name not in kind_class.variables:
            known = ", ".join(sorted(kind_class.variables))
            raise fail("message", f"unknown variable {{{name}}} in message; known: {known}")


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
    installed = Path(__file__).parent / "rules"
    if installed.is_dir():
        return str(installed)
    return str(Path(__file__).parent.parent / "rules")


def load_rules(directories: Iterable[str]) -> dict[str, Rule]:
    """Load every rule of ``directories``, in order. Duplicate ids are errors."""
    rules: dict[str, Rule] = {}
    for directory in directories:
        for path in rule_files(directory):
            rule = load_rule(path)
            if rule.id in rules:
                raise RuleError(
                    path,
                    compose_yaml(path)[1].get("id", 1),
                    f"duplicate rule id {rule.id!r} (also in {rules[rule.id].origin})",
                )
            rules[rule.id] = rule
    return rules
