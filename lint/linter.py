"""Running rules over documents: from a source to sorted findings.

After the rules, the article's own suppressions apply (``lint/suppressions.py``): the
front matter's ``contentlint: {ignore: [...]}``, then the ``contentlint-disable…``
comments; the built-in ``unused-suppression`` rule reports the comments that suppressed
nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lint.findings import Finding, Fix
from lint.rules import SUPPRESSION_KIND, Rule
from lint.source import Source

if TYPE_CHECKING:
    from lint.document import Document


@dataclass(frozen=True)
class RuleFailure:
    """A rule that raised on a file: reported as an internal error, never a traceback."""

    path: str
    rule: str
    error: str


class Linter:
    """Applies a fixed list of rules to sources."""

    def __init__(self, rules: Sequence[Rule], known: Collection[str] | None = None) -> None:
        """``known``: every rule id that exists (active or not), to tell a suppression of
        an inactive rule from one of a rule that does not exist; None: do not tell."""
        self.rules = list(rules)  # as given: ``Linter(linter.rules, linter.known)`` clones
        # By kind name: a kind is built when first used, and a run served from the result
        # cache uses none (nor imports the document model).
        self._checked = [rule for rule in rules if rule.kind_name != SUPPRESSION_KIND]
        self.unused_rule = next(
            (rule for rule in rules if rule.kind_name == SUPPRESSION_KIND), None
        )
        self.known = None if known is None else frozenset(known)
        self.failures: list[RuleFailure] = []
        self._hints: dict[str, tuple[str, ...] | None] = {}  # rule id: lower-case hints

    def lint(self, source: Source, ignore: Iterable[str] = ()) -> list[Finding]:
        """Findings of every active rule on ``source``, in document order."""
        from lint.document import Document
        from lint.suppressions import (
            article_settings,
            find_directives,
            protect,
            suppress,
            unused,
            unused_findings,
        )

        document = Document(source)
        ignored = set(ignore)
        settings = article_settings(document, self.known) if document.decodable else None
        if settings is not None:
            ignored |= settings.ignore
        lowered: str | None = None
        findings: list[Finding] = []
        ran: set[str] = set()
        for rule in self._checked:
            if rule.id in ignored:
                continue
            kind = rule.kind
            if kind.needs_text and not document.decodable:
                continue
            if rule.id not in self._hints:
                prefilter = kind.prefilter()
                self._hints[rule.id] = (
                    None if prefilter is None else tuple(hint.lower() for hint in prefilter)
                )
            hints = self._hints[rule.id]
            if hints is not None:
                lowered = source.text.lower() if lowered is None else lowered
                if not any(hint in lowered for hint in hints):
                    continue
            ran.add(rule.id)
            try:
                findings.extend(self._findings(document, rule))
            except Exception as error:  # one broken rule must not stop the run
                failure = RuleFailure(source.path, rule.id, f"{type(error).__name__}: {error}")
                self.failures.append(failure)
                ran.discard(rule.id)
        directives = find_directives(document)
        if directives:
            findings, _ = suppress(protect(findings, directives), directives)
        unused_rule = self.unused_rule
        if unused_rule is not None and unused_rule.id not in ignored:
            reports = list(settings.problems) if settings is not None else []
            reports.extend(unused(directives, ran, self.known))
            extra, _ = suppress(unused_findings(document, unused_rule, reports), directives)
            findings.extend(extra)
        findings.sort(key=lambda finding: finding.sort_key)
        return findings

    def _findings(self, document: Document, rule: Rule) -> Iterable[Finding]:
        problem = document.source.problem
        path, rule_id, severity, fix_safe = document.path, rule.id, rule.severity, rule.fix_safe
        format_map = rule.message.format_map
        position = None
        for hit in rule.kind.check(document):
            start, end = hit.start, hit.end
            if problem is not None:
                line, column = problem.line, problem.column
                end_line, end_column = line, column
            else:
                if position is None:
                    position = document.lines.position
                line, column = position(start)
                end_line, end_column = position(end)
            edits = hit.edits
            yield Finding(
                path,
                rule_id,
                severity,
                format_map(hit.values),
                start,
                end,
                line,
                column,
                end_line,
                end_column,
                Fix(edits, fix_safe) if edits else None,
            )
