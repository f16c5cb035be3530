"""``github``: GitHub Actions workflow commands, which become annotations on the diff.

    ::error file=a.md,line=3,col=5,endLine=3,endColumn=9,title=contentlint (rule)::message

The escaping is GitHub's own (``toCommandValue``/``escapeData``/``escapeProperty`` of
``@actions/core``): in the message ``%``, ``\\r`` and ``\\n`` become ``%25``, ``%0D`` and
``%0A``; in properties ``:`` and ``,`` also become ``%3A`` and ``%2C``. Severities map to
the three commands GitHub knows: error → ``error``, warning → ``warning``, info → ``notice``.
"""

from __future__ import annotations

from lint.engine.findings import FileResult
from lint.reporters.base import TOOL_NAME, Reporter, display_path, printable

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """GitHub's escapes for ``%``, CR and LF, then other control characters as ``\\x1b``."""
    return printable(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(result: FileResult) -> str:
    lines = []
    for finding in result.findings:
        properties = {
            "file": display_path(finding.path),
            "line": str(finding.line),
            "col": str(finding.column),
            "endLine": str(finding.end_line),
            "endColumn": str(finding.end_column),
            "title": f"{TOOL_NAME} ({finding.rule})",
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        command = COMMANDS.get(finding.severity, "warning")
        lines.append(f"::{command} {joined}::{escape_data(finding.message)}\n")
    return "".join(lines)


class GithubReporter(Reporter):
    """One workflow command per finding."""

    def file(self, result: FileResult) -> None:
        if result.findings:
            self.write(render_github(result))
