"""The remote pass over a run's files: collect image URLs, check them, honour suppressions.

A stage of the run after linting (and fixing), for the rules whose kind says it checks
remote URLs (``Kind.checks_remote``: the rules that look for broken images). Each file is
read again so that the positions are those of the text on disk after ``--fix``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from lint.document.document import Document
from lint.document.source import read_source
from lint.engine.findings import FileResult, Finding
from lint.engine.rules import Rule
from lint.engine.suppressions import Directive, find_directives, suppress
from lint.remote.checker import OnProgress, RemoteOptions, run_remote_checks
from lint.remote.refs import RemoteImageRef, remote_image_refs


def remote_findings(
    paths: Iterable[str],
    rule: Rule,
    ignored: Callable[[str], frozenset[str]],
    options: RemoteOptions,
    progress: OnProgress | None = None,
) -> list[Finding]:
    """``rule`` (broken-image) findings for the remote images of ``paths`` that fail."""
    refs: list[RemoteImageRef] = []
    directives: dict[str, list[Directive]] = {}
    for path in paths:
        if rule.id in ignored(path):
            continue
        try:
            document = Document(read_source(path))
        except OSError:
            continue  # reported when the file was linted
        refs.extend(remote_image_refs(document, rule.kind.settings["fields"]))
        if document.has_text:
            directives[path] = find_directives(document)
    found = run_remote_checks(refs, options, progress)
    kept: list[Finding] = []
    for path in dict.fromkeys(finding.path for finding in found):
        of_file = [finding for finding in found if finding.path == path]
        kept.extend(suppress(of_file, directives.get(path, []))[0])
    return kept


def add_remote_findings(
    results: Sequence[FileResult],
    rules: Iterable[Rule],
    ignored: Callable[[str], frozenset[str]],
    options: RemoteOptions,
    progress: OnProgress | None = None,
) -> None:
    """Add the remote findings of each of ``rules`` (with the rule's id, severity and
    message) to the records of the files they are in, kept in document order."""
    by_path = {result.path: result for result in results}
    for rule in rules:
        of_rule = replace(options, rule_id=rule.id, severity=rule.severity, message=rule.message)
        for finding in remote_findings(list(by_path), rule, ignored, of_rule, progress):
            by_path[finding.path].findings.append(finding)
    for result in results:
        result.findings.sort(key=lambda finding: finding.sort_key)
