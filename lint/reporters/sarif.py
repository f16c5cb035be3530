"""``sarif``: SARIF 2.1.0, the format of GitHub code scanning and many IDE viewers.

One run whose ``tool.driver.rules`` describe every active rule (summary, full help in
text and Markdown, default level, whether it is fixable). Each result has a region with
``startLine``/``startColumn``/``endLine``/``endColumn`` and ``charOffset``/``charLength``,
and, when the finding is fixable, ``fixes[].artifactChanges`` with the exact replacements.

Columns and character offsets are in UTF-16 code units, SARIF's default, stated
explicitly with ``run.columnKind = "utf16CodeUnits"`` (GitHub and VS Code count that way).
Offsets are into the decoded text (a UTF-8 byte-order mark is not counted).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lint import __version__
from lint.document.positions import LineIndex, Utf16Index
from lint.engine.findings import FileResult, Finding
from lint.engine.rules import Rule
from lint.engine.tally import Tally
from lint.reporters.base import (
    TOOL_NAME,
    Reporter,
    report_path,
    rule_summary,
)

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str) -> str:
    """A relative URI reference for a relative path, a ``file:`` URI for an absolute one."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(os.fsencode(report_path(path)), safe="/")


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": rule_summary(rule)},
        "fullDescription": {"text": rule.description},
        "help": {"text": rule.description, "markdown": rule.description},
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": rule.enabled},
        "properties": {"kind": rule.kind.name, "fixable": rule.fixable, "tags": [rule.kind.name]},
    }


class _Positions:
    """UTF-16 positions within the text of one file (None: the text is not known)."""

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.utf16 = None if text is None else Utf16Index(LineIndex(text))

    def column(self, line: int, column: int) -> int:
        return column if self.utf16 is None else self.utf16.column(line, column)

    def region(self, start: int, end: int) -> dict[str, int]:
        if self.utf16 is None:
            return {"charOffset": start, "charLength": end - start}
        char_offset = self.utf16.offset(start)
        return {"charOffset": char_offset, "charLength": self.utf16.offset(end) - char_offset}


def _result(finding: Finding, positions: _Positions, index: dict[str, int]) -> dict[str, Any]:
    uri = artifact_uri(finding.path)
    region: dict[str, Any] = {
        "startLine": finding.line,
        "startColumn": positions.column(finding.line, finding.column),
        "endLine": finding.end_line,
        "endColumn": positions.column(finding.end_line, finding.end_column),
    }
    if positions.text is not None:
        region.update(positions.region(finding.start, finding.end))
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    if finding.fix is not None and positions.text is not None:
        safety = "safe" if finding.fix.safe else "unsafe (needs --unsafe-fixes)"
        replacements = [
            {
                "deletedRegion": positions.region(edit.start, edit.end),
                "insertedContent": {"text": edit.replacement},
            }
            for edit in sorted(finding.fix.edits, key=lambda edit: (edit.start, edit.end))
        ]
        result["fixes"] = [
            {
                "description": {"text": f"contentlint fix for {finding.rule}: {safety}"},
                "artifactChanges": [
                    {"artifactLocation": {"uri": uri}, "replacements": replacements}
                ],
            }
        ]
    return result


def sarif_head(rules: list[Rule]) -> dict[str, Any]:
    """The SARIF log without its results."""
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": [rule_descriptor(rule) for rule in rules],
                    }
                },
                "columnKind": "utf16CodeUnits",
                "results": [],
            }
        ],
    }


_RESULTS = '"results": []'  # where the results go in the head's JSON
_RESULT_INDENT = " " * 8  # the depth of a result in the log


class SarifReporter(Reporter):
    """The log as ``json.dumps(log, indent=2)`` would write it, a result at a time: the
    head (with every rule) first, each file's results as the file finishes, the tail."""

    needs_text = True

    def start(self) -> None:
        rules = [self.rules[rule_id] for rule_id in sorted(self.rules)]
        self.index = {rule.id: position for position, rule in enumerate(rules)}
        head = json.dumps(sarif_head(rules), ensure_ascii=False, indent=2)
        before, self.tail = head.split(_RESULTS)
        self.write(before + '"results": [')
        self.separator = "\n"  # before the first result; between results ",\n"

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        positions = _Positions(result.text)
        for finding in result.findings:
            dumped = json.dumps(
                _result(finding, positions, self.index), ensure_ascii=False, indent=2
            )
            self.write(
                self.separator + _RESULT_INDENT + dumped.replace("\n", "\n" + _RESULT_INDENT)
            )
            self.separator = ",\n"

    def finish(self, tally: Tally) -> None:
        closing = "]" if self.separator == "\n" else "\n" + _RESULT_INDENT[2:] + "]"
        self.write(closing + self.tail + "\n")
