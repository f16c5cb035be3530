"""The human formats: ``text`` (with source excerpts and a summary) and ``concise``.

``text`` prints ``path:line:col: rule [*] message``, the source line and a caret under
the column, then a summary line with counts and how many findings ``--fix`` repairs.
``[*]`` marks a safe fix, ``[**]`` one that needs ``--unsafe-fixes``. Colour (ANSI) is
used only when the report says so (the CLI decides: a terminal, and no ``NO_COLOR``).
"""

from __future__ import annotations

from collections.abc import Callable

from lint.document.positions import LineIndex
from lint.engine.findings import FileResult, Finding
from lint.engine.tally import Tally
from lint.reporters.base import Reporter, path_text, plural, printable

EXCERPT_WIDTH = 100
MARKERS = {"safe": " [*]", "unsafe": " [**]"}

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RED = "\x1b[31m"
YELLOW = "\x1b[33m"
BLUE = "\x1b[34m"
CYAN = "\x1b[36m"
SEVERITY_COLOURS = {"error": RED, "warning": YELLOW, "info": BLUE}


def paint(text: str, style: str, colour: bool) -> str:
    return f"{style}{text}{RESET}" if colour and text else text


def excerpt(expanded: str, column: int) -> tuple[str, int]:
    """A window of ``expanded`` (a line with its tabs made spaces) around ``column`` and
    the caret's column within it. It slices the window only, so a long line with many
    findings costs no more per finding than a short one."""
    if len(expanded) <= EXCERPT_WIDTH:
        return expanded, column
    start = max(0, min(column - 1 - EXCERPT_WIDTH // 3, len(expanded) - EXCERPT_WIDTH))
    window = expanded[start : start + EXCERPT_WIDTH]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + EXCERPT_WIDTH < len(expanded) else ""
    return prefix + window + suffix, column - start + len(prefix)


def headlines(path: str, colour: bool) -> Callable[[Finding], str]:
    """A function giving ``path:line:col: rule [*] message`` for each finding of the file
    ``path``. The painted path, and each rule's painted name and marker, are made once:
    an article has dozens of findings of a few rules."""
    painted_path = paint(printable(path_text(path)), BOLD, colour)
    tails: dict[tuple[str, str, bool | None], str] = {}  # (rule, severity, fix): " rule [*] "

    def headline(finding: Finding) -> str:
        rule, severity, fix = finding.rule, finding.severity, finding.fix
        key = (rule, severity, None if fix is None else fix.safe)
        tail = tails.get(key)
        if tail is None:
            painted = paint(rule, BOLD + SEVERITY_COLOURS.get(severity, ""), colour)
            marker = paint(MARKERS.get(finding.fixable or "", ""), CYAN, colour)
            tail = tails[key] = f" {painted}{marker} "
        location = paint(f":{finding.line}:{finding.column}:", DIM, colour)
        return f"{painted_path}{location}{tail}{printable(finding.message)}"

    return headline


def summary(tally: Tally) -> str:
    """One line: what was fixed, what is left and how much of it is fixable, errors."""
    parts = []
    if tally.fixed:
        parts.append(f"Fixed {plural(tally.fixed, 'problem')}.")
    if not tally.files:
        parts.append("No files linted.")
    elif not tally.findings:
        parts.append("No problems found.")
    else:
        found = plural(tally.findings, "problem")
        parts.append(f"Found {found} in {plural(tally.files_with_findings, 'file')}.")
        if tally.safe:
            parts.append(f"{tally.safe} fixable with --fix ([*]).")
        if tally.unsafe:
            parts.append(f"{tally.unsafe} more with --unsafe-fixes ([**]).")
    if tally.errors:
        parts.append(f"{plural(tally.errors, 'error')} (see above).")
    return " ".join(parts)


def render_text(result: FileResult, colour: bool) -> str:
    """One file's findings, each with its source line and a caret under the column.

    Each line's text is looked up once (findings are often several on one long line)."""
    if not result.findings:
        return ""
    caret = paint("^", RED + BOLD, colour)
    headline = headlines(result.path, colour)
    index = LineIndex(result.text)
    line_count = index.line_count
    shown_lines: dict[int, str | None] = {}  # line: its text with tabs expanded, if not blank
    lines = []
    for finding in result.findings:
        lines.append(headline(finding) + "\n")
        line, column = finding.line, finding.column
        if line in shown_lines:
            expanded = shown_lines[line]
        else:
            text = index.line_text(line) if 1 <= line <= line_count else ""
            expanded = shown_lines[line] = text.replace("\t", " ") if text.strip() else None
        if expanded is not None:
            shown, column = excerpt(expanded, column)
            indent = " " * len(printable(shown[: column - 1]))
            lines.append(f"    {printable(shown)}\n    {indent}{caret}\n")
    return "".join(lines)


def render_concise(result: FileResult, colour: bool) -> str:
    headline = headlines(result.path, colour)
    return "".join(headline(finding) + "\n" for finding in result.findings)


class TextReporter(Reporter):
    """``text``: findings with their source lines, then the summary."""

    needs_text = True

    def file(self, result: FileResult) -> None:
        if result.findings:
            self.write(render_text(result, self.colour))

    def finish(self, tally: Tally) -> None:
        if not self.quiet:
            self.write(summary(tally) + "\n")


class ConciseReporter(TextReporter):
    """``concise``: one line per finding, then the summary."""

    needs_text = False

    def file(self, result: FileResult) -> None:
        if result.findings:
            self.write(render_concise(result, self.colour))
