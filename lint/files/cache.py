"""The result cache: what linting each file found, so that a run over unchanged files
lints none of them again.

One SQLite database, ``<cache dir>/results.sqlite`` (WAL mode, so that runs can read
while another writes), with a row per file and rule set: the file's absolute path and
the rules ignored for it, the ``fingerprint`` of everything besides the file that decides
its findings (``fingerprint``), the file's stamp (size, mtime_ns, ctime_ns, inode), the
BLAKE2b digest of the bytes the findings refer to, the findings as compact JSON, the
file-system look-ups the rules made (``lint.document.lookups``) and a checksum of the row.

A row is served only if all of this still holds:

- the file has the stamp recorded, or else its bytes have the digest recorded. A stamp
  is recorded only once the file has settled (unchanged for ``SETTLED_SECONDS``), so a
  change within the clock tick of the recorded one cannot go unseen;
- every look-up still gives the answer recorded (an image added or deleted is a miss);
- the checksum matches and the findings decode to valid findings: a damaged or crafted
  row is a miss, never a wrong report, and nothing read is ever unpickled or executed;
- with ``--fix``, the findings have nothing for this run to fix.

Findings only are cached, never a rendered report. A database that cannot be opened,
read or written (damaged, locked, read-only) means a run without the cache and one
warning line. Rows of files not seen for ``KEEP_DAYS`` days are pruned.
"""

from __future__ import annotations

import hashlib
import json
import os
import pathlib
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from importlib import metadata
from typing import Any, TextIO

from lint import __version__
from lint.document.lookups import check_path
from lint.document.source import MAX_FILE_BYTES, decode
from lint.engine.findings import SEVERITIES, FileResult, Finding, Row, Stamp, from_rows, to_rows
from lint.engine.rules import Rule
from lint.files import cachedir
from lint.runner import digest, file_stamp

DATABASE = "results.sqlite"
SETTLED_SECONDS = 3.0
KEEP_DAYS = 30
BATCH = 500  # rows written per transaction
BUSY_SECONDS = 2.0  # how long a write waits for another run's
# The libraries whose behaviour decides findings: their versions are in the fingerprint.
LIBRARIES = ("PyYAML", "regex", "lxml", "cssselect")

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    path BLOB NOT NULL,
    ignored TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, inode INTEGER,
    digest BLOB NOT NULL,
    findings TEXT NOT NULL,
    lookups TEXT NOT NULL,
    checksum BLOB NOT NULL,
    seen INTEGER NOT NULL,
    PRIMARY KEY (path, ignored, fingerprint)
) WITHOUT ROWID
"""


def fingerprint(rules: Sequence[Rule], known: Sequence[str] = ()) -> str:
    """A digest of everything besides the file that decides its findings: each active
    rule after configuration, the rule ids that exist, the versions of contentlint, of
    Python and of ``LIBRARIES``, and the stamp of contentlint's own modules (an edited
    checkout never reads what older code wrote)."""
    described = [
        (
            rule.id,
            rule.kind_name,
            rule.severity,
            rule.message,
            rule.fix_action,
            rule.fix_safe,
            _canonical(rule.options),
            os.path.abspath(rule.base_dir),
        )
        for rule in rules
    ]
    versions = [_version(name) for name in LIBRARIES]
    text = repr((__version__, sys.version, versions, _code_stamp(), sorted(known), described))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


def _canonical(value: Any) -> Any:
    """``value`` with each mapping as its items sorted by key, so that its ``repr`` does
    not depend on the order a mapping was built in."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(item) for item in value)
    return value


def _code_stamp() -> str:
    """The size and modification time of every module of the ``lint`` package."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parts = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(name for name in names if name.endswith(".py")):
            status = os.stat(os.path.join(folder, name))
            parts.append(f"{folder[len(root) :]}/{name}:{status.st_size}:{status.st_mtime_ns}")
    return "|".join(parts)


def encode_findings(findings: Sequence[Finding]) -> str:
    """Findings as a JSON array of their rows (``lint.engine.findings.Row``)."""
    return json.dumps(to_rows(findings), ensure_ascii=False, separators=(",", ":"))


def decode_findings(path: str, text: str) -> list[Finding] | None:
    """The findings of ``encode_findings`` for the file ``path``; None unless every row
    is a valid finding."""
    try:
        rows = json.loads(text)
        return from_rows(path, [_checked(row) for row in rows])
    except (ValueError, TypeError):
        return None


def _checked(row: Any) -> Row:
    """``row`` if it is a valid finding's row; ValueError or TypeError if it is not."""
    rule, severity, message, *numbers, fix = row
    if not (isinstance(rule, str) and isinstance(message, str) and severity in SEVERITIES):
        raise ValueError(row)
    if len(numbers) != 6 or not all(type(number) is int and number >= 0 for number in numbers):
        raise ValueError(row)
    if fix is not None:
        safe, edits = fix
        if type(safe) is not bool or not isinstance(edits, list):
            raise ValueError(row)
        for start, end, replacement in edits:
            if type(start) is not int or type(end) is not int or not isinstance(replacement, str):
                raise ValueError(row)
            if not 0 <= start <= end:
                raise ValueError(row)
    return tuple(row)


def _checksum(row_digest: bytes, findings: str, lookups: str) -> bytes:
    data = row_digest + findings.encode("utf-8", "surrogatepass") + b"\0" + lookups.encode()
    return hashlib.blake2b(data, digest_size=16).digest()


def _settled(stamp: Stamp) -> bool:
    recent = (time.time() - SETTLED_SECONDS) * 1e9
    return stamp[1] < recent and stamp[2] < recent


def _today() -> int:
    return int(time.time() // 86400)


def _read(path: str) -> bytes | None:
    """The bytes of the regular file ``path``; None if it cannot be read or is too large."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with open(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_FILE_BYTES:
                return None
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_FILE_BYTES else None


def folder_fingerprints(
    folders: Mapping[str, Sequence[Rule]], known: Sequence[str] = ()
) -> dict[str, str]:
    """The fingerprint of each folder whose files get rules of their own (those of their
    site preset, ``lint.engine.presets``): folders of one site share one list of rules."""
    by_rules: dict[int, str] = {}
    prints: dict[str, str] = {}
    for folder, rules in folders.items():
        if id(rules) not in by_rules:
            by_rules[id(rules)] = fingerprint(rules, known)
        prints[folder] = by_rules[id(rules)]
    return prints


class ResultCache:
    """The rows of one rule set (``fingerprint``; ``folders``: the fingerprint of each
    folder whose files get rules of their own) in the database under ``cache_dir``.

    ``get`` serves a file's result, ``put`` stores one, ``close`` writes what is left
    and prunes. Any database error makes ``warn`` print one line and turns the cache off
    for the rest of the run."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        fingerprint: str,
        warn: Callable[[str], None],
        folders: Mapping[str, str] | None = None,
    ) -> None:
        self.connection: sqlite3.Connection | None = connection
        self.fingerprint = fingerprint
        self.folders = dict(folders or {})
        self.warn = warn
        self.today = _today()
        self.pending: list[tuple[Any, ...]] = []  # rows to write
        self.touched: list[tuple[Any, ...]] = []  # (stamp, seen, key) of rows served

    @classmethod
    def open(
        cls,
        cache_dir: str,
        fingerprint: str,
        warn: Callable[[str], None],
        folders: Mapping[str, str] | None = None,
    ) -> ResultCache | None:
        """The cache in ``cache_dir`` (claimed, and created if need be); None, after a
        warning, if it cannot be used."""
        path = os.path.join(cache_dir, DATABASE)
        try:
            cachedir.claim(cache_dir)
            cachedir.no_links([path, path + "-wal", path + "-shm"])
            connection = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            warn(f"result cache not used: {error}")
            return None
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(SCHEMA)
        except sqlite3.Error as error:
            connection.close()
            warn(f"result cache not used: {path}: {error}")
            return None
        return cls(connection, fingerprint, warn, folders)

    def _failed(self, error: sqlite3.Error) -> None:
        """Turn the cache off after a database error, with one warning."""
        if self.connection is not None:
            self.warn(f"result cache not used from here on: {error}")
            self.connection.close()
            self.connection = None

    def get(
        self, path: str, ignored: frozenset[str], with_text: bool, fixing: bool, unsafe: bool
    ) -> FileResult | None:
        """The cached result of ``path`` (its text only ``with_text``); None if there is
        none that still holds. ``fixing``: a result with fixes to apply is a miss."""
        if self.connection is None:
            return None
        key = self._key(path, ignored)
        try:
            status = os.stat(path)
            row = self.connection.execute(
                "SELECT size, mtime_ns, ctime_ns, inode, digest, findings, lookups, checksum,"
                " seen FROM results WHERE path = ? AND ignored = ? AND fingerprint = ?",
                key,
            ).fetchone()
        except OSError:
            return None
        except sqlite3.Error as error:
            self._failed(error)
            return None
        if row is None:
            return None
        *recorded, row_digest, findings_text, lookups_text, checksum, seen = row
        if not isinstance(findings_text, str) or not isinstance(lookups_text, str):
            return None
        if not isinstance(row_digest, bytes) or checksum != _checksum(
            row_digest, findings_text, lookups_text
        ):
            return None
        stamp = file_stamp(status)
        data = None
        if tuple(recorded) != stamp:
            data = _read(path)
            if data is None or digest(data) != row_digest:
                return None
        if not self._lookups_hold(lookups_text):
            return None
        findings = decode_findings(path, findings_text)
        if findings is None:
            return None
        if fixing and any(f.fix is not None and (f.fix.safe or unsafe) for f in findings):
            return None
        text = ""
        if with_text and findings:
            data = _read(path) if data is None else data
            if data is None or digest(data) != row_digest:
                return None
            text = decode(path, data).text
        if seen != self.today or (tuple(recorded) != stamp and _settled(stamp)):
            kept = stamp if _settled(stamp) else tuple(recorded)
            self.touched.append((*kept, self.today, *key))
            self._flush_if_full()
        return FileResult(path, findings, text)

    @staticmethod
    def _lookups_hold(text: str) -> bool:
        """Whether each recorded look-up still gives the answer it gave."""
        try:
            lookups = json.loads(text)
            return all(check_path(kind, path) == found for path, kind, found in lookups)
        except (ValueError, TypeError, KeyError):
            return False

    def _key(self, path: str, ignored: frozenset[str]) -> tuple[bytes, str, str]:
        absolute = os.path.abspath(path)
        rule_set = self.folders.get(os.path.dirname(absolute), self.fingerprint)
        return (os.fsencode(absolute), ",".join(sorted(ignored)), rule_set)

    def put(self, result: FileResult, ignored: frozenset[str]) -> None:
        """Store a linted file's result, if it has a ``basis`` (no error, no rule failure)."""
        basis = result.basis
        if basis is None or self.connection is None:
            return
        stamp = basis.stamp if basis.stamp is not None and _settled(basis.stamp) else None
        findings = encode_findings(result.findings)
        lookups = _encode_lookups(basis.lookups)
        checksum = _checksum(basis.digest, findings, lookups)
        key = self._key(result.path, ignored)
        self.pending.append(
            (*key, *(stamp or (None,) * 4), basis.digest, findings, lookups, checksum, self.today)
        )
        self._flush_if_full()

    def _flush_if_full(self) -> None:
        if len(self.pending) + len(self.touched) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the rows stored and the stamps and days of the rows served."""
        connection = self.connection
        if connection is None:
            return
        try:
            with connection:
                connection.execute("BEGIN")
                connection.executemany(
                    "INSERT OR REPLACE INTO results VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                    self.pending,
                )
                connection.executemany(
                    "UPDATE results SET size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?,"
                    " seen = ? WHERE path = ? AND ignored = ? AND fingerprint = ?",
                    self.touched,
                )
        except (sqlite3.Error, UnicodeEncodeError) as error:
            self._failed(sqlite3.Error(str(error)))
        self.pending.clear()
        self.touched.clear()

    def close(self) -> None:
        """Write what is left, prune the rows not seen for ``KEEP_DAYS`` days, close."""
        self.flush()
        if self.connection is None:
            return
        try:
            self.connection.execute("DELETE FROM results WHERE seen < ?", (self.today - KEEP_DAYS,))
            self.connection.close()
        except sqlite3.Error as error:
            self._failed(error)
        self.connection = None


def _encode_lookups(lookups: Mapping[str, tuple[str, bool]]) -> str:
    return json.dumps([[path, kind, found] for path, (kind, found) in sorted(lookups.items())])


def show_info(out: TextIO, cache_dir: str) -> int:
    """``contentlint cache info``: the folder, the database's size and rows; an exit code."""
    path = os.path.join(cache_dir, DATABASE)
    if os.path.islink(cache_dir) or os.path.islink(path) or not os.path.isfile(path):
        out.write(f"{cache_dir}: no result cache\n")
        return 0
    size = sum(os.path.getsize(name) for name in (path, path + "-wal") if os.path.isfile(name))
    uri = pathlib.Path(path).absolute().as_uri() + "?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)
        try:
            (rows,) = connection.execute("SELECT count(*) FROM results").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        out.write(f"{path}: {size:,} bytes; cannot be read: {error}\n")
        return 2
    out.write(f"{path}: {size:,} bytes, {rows:,} rows\n")
    return 0


def clean(cache_dir: str) -> int:
    """``contentlint cache clean``: remove the cache folder's contents; an exit code."""
    if not os.path.lexists(cache_dir):
        return 0
    try:
        cachedir.clean(cache_dir)
    except OSError as error:
        sys.stderr.write(f"contentlint: error: {error}\n")
        return 2
    return 0
