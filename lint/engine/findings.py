"""What linting gives: edits, fixes and findings (plain, immutable named tuples: a run
over an archive makes hundreds of thousands of them), and the record of one linted file
(``FileResult``) that the reporters read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

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


# A finding without its path in plain values, as it crosses processes and is cached: the
# fields from ``rule`` to ``end_column``, then the fix as ``(safe, ((start, end,
# replacement), ...))`` or None.
Row = tuple[Any, ...]


def to_rows(findings: Iterable[Finding]) -> list[Row]:
    """``findings`` as rows (``Row``). Plain tuples pickle and unpickle in C; named tuples
    are rebuilt through their Python-level ``__new__``, one call per finding, fix and edit."""
    return [
        (
            *finding[1:10],
            None
            if finding.fix is None
            else (finding.fix.safe, tuple(map(tuple, finding.fix.edits))),
        )
        for finding in findings
    ]


def from_rows(path: str, rows: Iterable[Row]) -> list[Finding]:
    """The findings of ``path`` that ``to_rows`` made (rows not checked: see the result
    cache for rows from outside)."""
    make_finding, make_edit = Finding._make, Edit._make
    return [
        make_finding(
            (
                path,
                *row[:9],
                None if row[9] is None else Fix(tuple(map(make_edit, row[9][1])), row[9][0]),
            )
        )
        for row in rows
    ]


Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


class Basis(NamedTuple):
    """What a file's findings were computed from, for the result cache: the file's stamp
    before it was read, the digest of the bytes the findings refer to (after a fix, of the
    bytes written) and the file-system look-ups the rules made."""

    stamp: Stamp | None
    digest: bytes
    lookups: dict[str, tuple[str, bool]]  # absolute path: (kind of look-up, its answer)


@dataclass(slots=True)
class FileResult:
    """What came of one file, as reporters read it: its findings in document order, the
    text they refer to (the fixed text after ``--fix``), errors, findings fixed and the
    diff (``--diff``). ``basis`` is set when the result may be cached."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    text: str = ""
    errors: list[str] = field(default_factory=list)
    fixed: int = 0
    diff: str = ""
    basis: Basis | None = None

    @property
    def changed(self) -> bool:
        return bool(self.diff) or self.fixed > 0

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (from a worker process to the run) with its findings as plain rows."""
        fields = (self.text, self.errors, self.fixed, self.diff, self.basis)
        return (_unpickled, (self.path, to_rows(self.findings), *fields))


def _unpickled(
    path: str,
    rows: list[Row],
    text: str,
    errors: list[str],
    fixed: int,
    diff: str,
    basis: Basis | None,
) -> FileResult:
    return FileResult(path, from_rows(path, rows), text, errors, fixed, diff, basis)
