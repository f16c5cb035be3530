"""Suppressions: HTML comments and a front-matter key that silence findings in one article.

Articles are HTML, so suppressions are HTML comments (like markdownlint's)::

    <!-- contentlint-disable inline-style tracking-comment -- the styling is intended -->
    ...                                  (findings of these rules here are suppressed)
    <!-- contentlint-enable inline-style -->      (no ids: every disabled rule again)
    <!-- contentlint-disable-next-line inline-style -->
    <!-- contentlint-disable-line inline-style -->  (the lines the comment is on)
    <!-- contentlint-disable-file tracking-comment -->  (anywhere in the file)

Without rule ids a directive applies to every rule. Ids may be separated by spaces or
commas; `` -- reason`` after them documents why. A finding is suppressed by where it
starts. The front matter may carry per-article settings::

    contentlint:
      ignore: [missing-field]

A directive that suppresses nothing, names an unknown rule, or is not a known directive
is reported as ``unused-suppression`` (as ruff's RUF100 reports unused ``noqa``). Rules
that did not run on the file (not selected, ignored) are not judged: a directive naming
only them is never reported. Other rules never report suppression comments, and no fix
touches them (a fix that would is withheld, the finding stays).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from lint.engine.findings import Finding
from lint.engine.rules import SUPPRESSION_WORD, Rule
from lint.engine.rules import UNUSED_SUPPRESSION as UNUSED_ID

if TYPE_CHECKING:
    from lint.document.document import Document

PREFIX = SUPPRESSION_WORD + "-"
FRONT_MATTER_KEY = SUPPRESSION_WORD
FRONT_MATTER_SETTINGS = ("ignore",)
ACTIONS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")
_DIRECTIVE = re.compile(r"\s*contentlint-(?P<action>[A-Za-z-]*)(?P<rest>.*)\Z", re.DOTALL)
_REASON = re.compile(r"(?:\A|\s)--(?:\s|\Z)")
_IDS = re.compile(r"[\s,]+")


class Directive(NamedTuple):
    """One suppression comment: its action, rule ids (None: all rules) and position."""

    action: str
    ids: tuple[str, ...] | None
    start: int
    end: int
    line: int
    end_line: int
    reason: str
    problem: str | None
    used: set[str]  # ids (or "*") that suppressed a finding, filled in by ``suppress``

    @property
    def text(self) -> str:
        ids = " ".join(self.ids) if self.ids else ""
        return f"<!-- {PREFIX}{self.action}{' ' + ids if ids else ''} -->"


class Scope(NamedTuple):
    """Where a directive suppresses: offsets ``[start, end)`` or lines, and for which rules."""

    directive: Directive
    start: int = 0
    end: int | None = None
    first_line: int | None = None
    last_line: int | None = None
    ids: frozenset[str] | None = None
    excluded: frozenset[str] = frozenset()

    def covers(self, finding: Finding) -> bool:
        if finding.rule == UNUSED_ID:
            if self.ids is None or UNUSED_ID not in self.ids:
                return False
        elif self.ids is not None and finding.rule not in self.ids:
            return False
        if finding.rule in self.excluded:
            return False
        if self.first_line is not None:
            last = self.last_line if self.last_line is not None else self.first_line
            return self.first_line <= finding.line <= last
        return self.start <= finding.start and (self.end is None or finding.start < self.end)


class Unused(NamedTuple):
    """A directive to report as ``unused-suppression``: where, and what is wrong."""

    start: int
    end: int
    directive: str
    detail: str


def parse_directive(content: str) -> tuple[str, tuple[str, ...] | None, str, str | None] | None:
    """``(action, ids, reason, problem)`` of a comment's content, or None if not ours."""
    match = _DIRECTIVE.match(content)
    if match is None:
        return None
    action, rest = match.group("action"), match.group("rest")
    if rest and not rest[0].isspace():  # contentlint-disabled, contentlint-disable:x
        action += rest.split(None, 1)[0]
        rest = rest[len(rest.split(None, 1)[0]) :]
    reason = ""
    marker = _REASON.search(rest)
    if marker is not None:
        rest, reason = rest[: marker.start()], rest[marker.end() :].strip()
    ids = tuple(item for item in _IDS.split(rest.strip()) if item)
    problem = None
    if action not in ACTIONS:
        problem = f"is not a directive (known: {', '.join(PREFIX + a for a in ACTIONS)})"
    return action, ids or None, reason, problem


def find_directives(document: Document) -> list[Directive]:
    """The suppression comments of the body, in order."""
    text = document.text
    if PREFIX not in text or not document.has_text:
        return []
    directives = []
    for comment in document.markup.comments:
        if not comment.closed:
            continue
        parsed = parse_directive(text[comment.content_start : comment.content_end])
        if parsed is None:
            continue
        action, ids, reason, problem = parsed
        line = document.lines.position(comment.start)[0]
        end_line = document.lines.position(comment.end)[0]
        directives.append(
            Directive(
                action, ids, comment.start, comment.end, line, end_line, reason, problem, set()
            )
        )
    return directives


def scopes(directives: Sequence[Directive]) -> list[Scope]:
    """Where each directive applies; ``enable`` closes (part of) the open ranges."""
    done: list[Scope] = []
    open_ranges: list[Scope] = []
    for directive in directives:
        if directive.problem is not None:
            continue
        ids = frozenset(directive.ids) if directive.ids is not None else None
        if directive.action == "disable-file":
            done.append(Scope(directive, ids=ids))
        elif directive.action == "disable-next-line":
            done.append(Scope(directive, first_line=directive.end_line + 1, ids=ids))
        elif directive.action == "disable-line":
            done.append(
                Scope(directive, first_line=directive.line, last_line=directive.end_line, ids=ids)
            )
        elif directive.action == "disable":
            open_ranges.append(Scope(directive, start=directive.end, ids=ids))
        else:  # enable
            still_open = []
            for scope in open_ranges:
                done.append(scope._replace(end=directive.start))
                if ids is None:
                    continue
                if scope.ids is None:
                    rest = scope._replace(start=directive.end, excluded=scope.excluded | ids)
                    still_open.append(rest)
                elif scope.ids - ids:
                    still_open.append(scope._replace(start=directive.end, ids=scope.ids - ids))
            open_ranges = still_open
    return done + open_ranges


class ArticleSettings(NamedTuple):
    """The front matter's ``contentlint:`` settings, and what is wrong with them."""

    ignore: frozenset[str] = frozenset()
    problems: tuple[Unused, ...] = ()


def article_settings(document: Document, known: Collection[str] | None) -> ArticleSettings:
    """Read ``contentlint: {ignore: [ids]}`` from the front matter."""
    if FRONT_MATTER_KEY not in document.text:
        return ArticleSettings()
    front_matter = document.front_matter
    if front_matter is None or FRONT_MATTER_KEY not in front_matter.keys:
        return ArticleSettings()
    span = front_matter.keys[FRONT_MATTER_KEY]
    value: Any = front_matter.data.get(FRONT_MATTER_KEY)
    name = f"front-matter key {FRONT_MATTER_KEY!r}"

    def problem(detail: str) -> ArticleSettings:
        return ArticleSettings(problems=(Unused(span.key_start, span.value_end, name, detail),))

    if not isinstance(value, dict):
        return problem("must be a mapping such as {ignore: [rule-id]}")
    unknown = sorted(str(key) for key in value if key not in FRONT_MATTER_SETTINGS)
    if unknown:
        return problem(f"has unknown setting {unknown[0]!r} (known: ignore)")
    ignore = value.get("ignore", [])
    if isinstance(ignore, str):
        ignore = [ignore]
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        return problem("'ignore' must be a list of rule ids")
    problems = tuple(
        Unused(span.key_start, span.value_end, name, f"names unknown rule {rule_id!r}")
        for rule_id in ignore
        if known is not None and rule_id not in known
    )
    return ArticleSettings(frozenset(ignore), problems)


def protect(findings: Sequence[Finding], directives: Sequence[Directive]) -> list[Finding]:
    """Drop findings on suppression comments; withhold fixes that would touch one."""
    spans = [(directive.start, directive.end) for directive in directives]
    kept = []
    for finding in findings:
        if any(start <= finding.start and finding.end <= end for start, end in spans):
            continue
        fix = finding.fix
        if fix is not None and any(
            edit.start < end and start < edit.end for edit in fix.edits for start, end in spans
        ):
            finding = finding._replace(fix=None)
        kept.append(finding)
    return kept


def suppress(
    findings: Sequence[Finding], directives: Sequence[Directive]
) -> tuple[list[Finding], list[Scope]]:
    """The findings no directive covers; covering directives are marked as used."""
    all_scopes = scopes(directives)
    if not all_scopes:
        return list(findings), all_scopes
    kept = []
    for finding in findings:
        covering = [scope for scope in all_scopes if scope.covers(finding)]
        for scope in covering:
            scope.directive.used.add("*" if scope.ids is None else finding.rule)
        if not covering:
            kept.append(finding)
    return kept, all_scopes


def unused(
    directives: Sequence[Directive], ran: Collection[str], known: Collection[str] | None
) -> list[Unused]:
    """Directives that suppressed nothing of the rules that ran, or are invalid."""
    reports = []
    for directive in directives:
        if directive.problem is not None:
            detail = directive.problem
        elif directive.action == "enable":
            unknown = [i for i in directive.ids or () if known is not None and i not in known]
            if not unknown:
                continue
            detail = f"names unknown rule {unknown[0]!r}"
        elif directive.ids is None:
            if directive.used or not ran:
                continue
            detail = "suppresses nothing"
        else:
            unknown = [i for i in directive.ids if known is not None and i not in known]
            idle = [i for i in directive.ids if i in ran and i not in directive.used]
            idle = [i for i in idle if i != UNUSED_ID]
            if unknown:
                detail = f"names unknown rule {unknown[0]!r}"
            elif idle:
                detail = f"suppresses no {', '.join(idle)} finding"
            else:
                continue
        reports.append(Unused(directive.start, directive.end, directive.text, detail))
    return reports


def unused_findings(document: Document, rule: Rule, reports: Sequence[Unused]) -> list[Finding]:
    findings = []
    for report in reports:
        line, column = document.lines.position(report.start)
        end_line, end_column = document.lines.position(report.end)
        values = {"directive": report.directive, "detail": report.detail}
        findings.append(
            Finding(
                path=document.path,
                rule=rule.id,
                severity=rule.severity,
                message=rule.message.format_map(values),
                start=report.start,
                end=report.end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
            )
        )
    return findings
