"""Plain, immutable results: edits, fixes and findings (named tuples: a run over an
archive makes hundreds of thousands of findings, and they are small and cheap to build)."""

from __future__ import annotations

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
