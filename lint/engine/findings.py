"""Plain, immutable results: edits, fixes and findings.

They are named tuples, not frozen dataclasses: a run over an archive creates hundreds of
thousands of findings, and a named tuple is built about five times faster.
"""

from __future__ import annotations

from functools import partial
from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


class Edit(NamedTuple):
    """Replace ``text[start:end]`` of the original text with ``replacement``."""

    start: int
    end: int
    replacement: str = ""


class Fix(NamedTuple):
    """Edits applied together or not at all. Unsafe fixes delete visible text."""

    edits: tuple[Edit, ...]
    safe: bool


class Finding(NamedTuple):
    """One defect at ``text[start:end]`` of ``path``; line and column are 1-based."""

    path: str
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    fix: Fix | None = None

    @property
    def fixable(self) -> Literal["safe", "unsafe"] | None:
        if self.fix is None:
            return None
        return "safe" if self.fix.safe else "unsafe"

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.start, self.end, self.rule)


# Build an Edit, Fix or Finding from a tuple of all its fields, in that order: the named
# tuples' own constructor and ``_make`` run Python code, and the linter and the result
# cache make one per finding.
new_edit = partial(tuple.__new__, Edit)
new_fix = partial(tuple.__new__, Fix)
new_finding = partial(tuple.__new__, Finding)
