"""The remote pass over a run's files: collect image URLs, check them, honour suppressions.

Called by the CLI after linting (and fixing) with the paths that were linted; each file
is read again so that the positions are those of the text on disk after ``--fix``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lint.document.document import Document
from lint.document.source import read_source
from lint.engine.findings import Finding
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
