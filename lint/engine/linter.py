"""Running rules over documents: from a source to sorted findings.

After the rules, the article's own suppressions apply (``lint/engine/suppressions.py``): the
front matter's ``contentlint: {ignore: [...]}``, then the ``contentlint-disable…``
comments; the built-in ``unused-suppression`` rule reports the comments that suppressed
nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from operator import attrgetter
from typing import NamedTuple

from lint.document.document import Document
from lint.document.source import MAX_FILE_BYTES, Source
from lint.engine.findings import Finding, Fix
from lint.engine.rules import SUPPRESSION_KIND, SUPPRESSION_WORD, Rule
from lint.engine.suppressions import (
    ArticleSettings,
    article_settings,
    find_directives,
    protect,
    suppress,
    unused,
    unused_findings,
)
from lint.engine.tidy import tidy_edits

_ORDER = attrgetter("start", "end", "rule")  # findings of one file in document order


class RuleFailure(NamedTuple):
    """A rule that raised on a file: reported as an internal error, never a traceback."""

    path: str
    rule: str
    error: str


class _RuleSet:
    """The rules that apply to some files: those a kind checks, the built-in
    ``unused-suppression`` rule, and each rule's lower-case hints once asked for."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        # By kind name: a kind is built when first used.
        self.checked = [rule for rule in rules if rule.kind_name != SUPPRESSION_KIND]
        self.unused_rule = next(
            (rule for rule in rules if rule.kind_name == SUPPRESSION_KIND), None
        )
        self.hints: dict[str, tuple[str, ...] | None] = {}  # rule id: lower-case hints
        self.size_limits: list[tuple[str, int]] | None = None  # rule id: its size limit


class _HintedText:
    """A text, lower-cased when first asked, and which hints it holds: each hint is looked
    for once per text, however many rules share it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lowered: str | None = None
        self._holds: dict[str, bool] = {}

    def holds_any(self, hints: tuple[str, ...]) -> bool:
        """Whether the text holds one of the lower-case ``hints``, ignoring case."""
        if self._lowered is None:
            self._lowered = self._text.lower()
        for hint in hints:
            held = self._holds.get(hint)
            if held is None:
                held = self._holds[hint] = hint in self._lowered
            if held:
                return True
        return False


class Linter:
    """Applies a fixed list of rules to sources; files in the ``folders`` given get that
    folder's rules instead (those of its site preset, ``lint.engine.presets``)."""

    def __init__(
        self,
        rules: Sequence[Rule],
        known: Collection[str] | None = None,
        folders: Mapping[str, Sequence[Rule]] | None = None,
    ) -> None:
        """``known``: every rule id that exists (active or not), to tell a suppression of
        an inactive rule from one of a rule that does not exist; None: do not tell.
        ``folders``: absolute folder -> the rules of the files directly in it."""
        self.rules = list(rules)  # as given: ``Linter(linter.rules, linter.known)`` clones
        self.folders = dict(folders or {})
        self._default = _RuleSet(rules)
        shared: dict[int, _RuleSet] = {}  # folders of one site share one list of rules
        self._folder_sets = {
            folder: shared.setdefault(id(folder_rules), _RuleSet(folder_rules))
            for folder, folder_rules in self.folders.items()
        }
        self.known = None if known is None else frozenset(known)
        self.failures: list[RuleFailure] = []

    def rule_set(self, path: str) -> _RuleSet:
        """The rules for the file at ``path``."""
        if not self._folder_sets:
            return self._default
        folder = os.path.dirname(os.path.abspath(path))
        return self._folder_sets.get(folder, self._default)

    def size_limit(self, path: str, ignore: Iterable[str] = ()) -> int:
        """The largest file at ``path`` that is read: the smallest limit of the active
        rules that set one (``file-too-large``). With none active, ``MAX_FILE_BYTES``: a
        larger file is then skipped without a finding."""
        rule_set = self.rule_set(path)
        if rule_set.size_limits is None:
            rule_set.size_limits = [
                (rule.id, limit)
                for rule in rule_set.checked
                if (limit := rule.kind.size_limit) is not None
            ]
        ignored = set(ignore)
        limits = [limit for rule_id, limit in rule_set.size_limits if rule_id not in ignored]
        return min(limits, default=MAX_FILE_BYTES)

    def lint(self, source: Source, ignore: Iterable[str] = ()) -> list[Finding]:
        """Findings of every active rule on ``source``, in document order."""
        rule_set = self.rule_set(source.path)
        document = Document(source)
        has_text = document.has_text
        # Neither suppression comments nor front-matter settings without the word.
        mentioned = has_text and SUPPRESSION_WORD in source.text
        ignored = set(ignore)
        settings: ArticleSettings | None = None
        if mentioned:
            settings = article_settings(document, self.known)
            if settings is not None:
                ignored |= settings.ignore
        hinted = _HintedText(source.text)
        findings: list[Finding] = []
        ran: set[str] = set()
        for rule in rule_set.checked:
            if rule.id in ignored:
                continue
            kind = rule.kind
            if kind.needs_text and not has_text:
                continue
            ran.add(rule.id)  # a rule its prefilter skips has run: it finds nothing
            hints = self._prefilter(rule_set, rule)
            if hints is not None and not hinted.holds_any(hints):
                continue
            try:
                self._add_findings(document, rule, findings)
            except Exception as error:  # one broken rule must not stop the run
                failure = RuleFailure(source.path, rule.id, f"{type(error).__name__}: {error}")
                self.failures.append(failure)
                ran.discard(rule.id)
        if mentioned:
            findings = self._suppress(document, findings, settings, ran, ignored, rule_set)
        # ``Finding.sort_key`` without the path: every finding here is of this one file.
        findings.sort(key=_ORDER)
        return findings

    def _suppress(
        self,
        document: Document,
        findings: list[Finding],
        settings: ArticleSettings | None,
        ran: set[str],
        ignored: set[str],
        rule_set: _RuleSet,
    ) -> list[Finding]:
        """``findings`` without those the file's suppression comments silence, and with
        the built-in ``unused-suppression`` rule's (unless ignored)."""
        unused_rule = rule_set.unused_rule
        if unused_rule is not None and unused_rule.id in ignored:
            unused_rule = None
        directives = find_directives(document)
        if directives:
            findings, _ = suppress(protect(findings, directives), directives)
        if unused_rule is not None:
            reports = list(settings.problems) if settings is not None else []
            reports.extend(unused(directives, ran, self.known))
            extra, _ = suppress(unused_findings(document, unused_rule, reports), directives)
            findings.extend(extra)
        return findings

    @staticmethod
    def _prefilter(rule_set: _RuleSet, rule: Rule) -> tuple[str, ...] | None:
        """The rule's lower-case hints (``Kind.prefilter``), computed once per rule."""
        try:
            return rule_set.hints[rule.id]
        except KeyError:
            prefilter = rule.kind.prefilter()
            hints = None if prefilter is None else tuple(hint.lower() for hint in prefilter)
            rule_set.hints[rule.id] = hints
            return hints

    def _add_findings(self, document: Document, rule: Rule, findings: list[Finding]) -> None:
        """Append the findings of one rule: its kind's hits with message, positions and
        fix. Those before a failure of the rule stay."""
        path, rule_id, severity, fix_safe = document.path, rule.id, rule.severity, rule.fix_safe
        text = document.text
        format_map = rule.message.format_map
        append = findings.append
        span: Callable[[int, int], tuple[int, int, int, int]] | None = None
        problem = document.source.problem
        if problem is not None:  # an undecodable file: every finding is at its problem
            at = (problem.line, problem.column, problem.line, problem.column)

            def span(start: int, end: int) -> tuple[int, int, int, int]:
                return at

        message, formatted = "", None  # a kind may give the same values for several hits
        for start, end, values, edits, safe in rule.kind.check(document):
            if values is not formatted:
                message, formatted = format_map(values), values
            if span is None:  # the line index is built for the first finding only
                span = document.lines.span
            line, column, end_line, end_column = span(start, end)
            fix = (
                Fix(edits=tuple(tidy_edits(text, edits)), safe=fix_safe and safe) if edits else None
            )
            append(
                Finding(
                    path=path,
                    rule=rule_id,
                    severity=severity,
                    message=message,
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    end_line=end_line,
                    end_column=end_column,
                    fix=fix,
                )
            )
