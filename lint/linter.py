"""Running rules over documents: from a source to sorted findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lint.document import Document
from lint.findings import Finding, Fix
from lint.rules import Rule
from lint.source import Source


@dataclass(frozen=True)
class RuleFailure:
    """A rule that raised on a file: reported as an internal error, never a traceback."""

    path: str
    rule: str
    error: str


class Linter:
    """Applies a fixed list of rules to sources."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.failures: list[RuleFailure] = []

    def lint(self, source: Source, ignore: Iterable[str] = ()) -> list[Finding]:
        """Findings of every active rule on ``source``, in document order."""
        document = Document(source)
        ignored = set(ignore)
        lowered: str | None = None
        findings: list[Finding] = []
        for rule in self.rules:
            if rule.id in ignored:
                continue
            kind = rule.kind
            if kind.needs_text and not document.decodable:
                continue
            hints = kind.prefilter()
            if hints is not None:
                lowered = source.text.lower() if lowered is None else lowered
                if not any(hint.lower() in lowered for hint in hints):
                    continue
            try:
                findings.extend(self._findings(document, rule))
            except Exception as error:  # one broken rule must not stop the run
                failure = RuleFailure(source.path, rule.id, f"{type(error).__name__}: {error}")
                self.failures.append(failure)
        findings.sort(key=lambda finding: finding.sort_key)
        return findings

    def _findings(self, document: Document, rule: Rule) -> Iterable[Finding]:
        problem = document.source.problem
        for hit in rule.kind.check(document):
            if problem is not None:
                line, column = problem.line, problem.column
                end_line, end_column = line, column
            else:
                line, column = document.lines.position(hit.start)
                end_line, end_column = document.lines.position(hit.end)
            fix = Fix(hit.edits, rule.fix_safe) if hit.edits else None
            yield Finding(
                path=document.path,
                rule=rule.id,
                severity=rule.severity,
                message=rule.message.format_map(hit.values),
                start=hit.start,
                end=hit.end,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                fix=fix,
            )
