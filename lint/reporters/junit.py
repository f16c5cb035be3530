"""``junit``: JUnit XML, which CI test reporters (GitLab, Jenkins, Azure, CircleCI) show.

One ``<testsuite>`` per checked file; each finding is a ``<testcase>`` with a
``<failure>``; a file without findings has one passing ``<testcase>`` so that it shows as
checked. Attributes follow the widely read Ant/Jenkins schema (``tests``, ``failures``,
``errors``, ``skipped``, ``time``), plus ``file`` and ``line`` on test cases, which GitLab
and others use to link to the source. No timestamps: the output is deterministic.
"""

from __future__ import annotations

import tempfile
from xml.sax.saxutils import escape

from lint.engine.findings import FileResult, Finding
from lint.engine.tally import Tally
from lint.reporters.base import TOOL_NAME, Reporter, display_path

_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry at all (even escaped)."""
    text = text.translate(_XML_INVALID)
    return "".join(char for char in text if not 0xD800 <= ord(char) <= 0xDFFF)


_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def _attr(value: object) -> str:
    return '"' + escape(_clean(str(value)), _ATTRIBUTE_ENTITIES) + '"'


def _text(value: str) -> str:
    return escape(_clean(value))


def _testcase(path: str, finding: Finding) -> list[str]:
    name = f"{finding.rule} at {finding.line}:{finding.column}"
    location = f"{path}:{finding.line}:{finding.column}"
    fix = {"safe": " (fixable with --fix)", "unsafe": " (fixable with --unsafe-fixes)"}
    body = f"{location}: {finding.rule} {finding.message}{fix.get(finding.fixable or '', '')}"
    return [
        f"    <testcase name={_attr(name)} classname={_attr(path)} file={_attr(path)} "
        f'line="{finding.line}" time="0">',
        f"      <failure message={_attr(finding.message)} type={_attr(finding.rule)}>"
        f"{_text(body)}</failure>",
        "    </testcase>",
    ]


class JunitReporter(Reporter):
    """The suites are spooled to a temporary file as files finish (the head carries the
    totals, known only at the end), then written out after the head."""

    def start(self) -> None:
        # Closed in finish.
        self.spool = tempfile.TemporaryFile(  # noqa: SIM115
            "w+", encoding="utf-8", errors="surrogateescape"
        )
        self.tests = self.failures = 0

    def file(self, result: FileResult) -> None:
        path, findings = display_path(result.path), result.findings
        self.tests += len(findings) or 1
        self.failures += len(findings)
        lines = [
            f'  <testsuite name={_attr(path)} tests="{len(findings) or 1}" '
            f'failures="{len(findings)}" errors="0" skipped="0" time="0">'
        ]
        if not findings:
            lines.append(
                f"    <testcase name={_attr(TOOL_NAME)} classname={_attr(path)} "
                f'file={_attr(path)} time="0"/>'
            )
        for finding in findings:
            lines.extend(_testcase(path, finding))
        lines.append("  </testsuite>\n")
        self.spool.write("\n".join(lines))

    def finish(self, tally: Tally) -> None:
        self.write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="{TOOL_NAME}" '
            f'tests="{self.tests}" failures="{self.failures}" errors="0" time="0">\n'
        )
        with self.spool:
            self.spool.seek(0)
            while chunk := self.spool.read(1 << 16):
                self.write(chunk)
        self.write("</testsuites>\n")
