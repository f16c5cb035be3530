"""A cache of lint results per file, so that a second run over unchanged files is instant.

A result is found by the file's absolute path and the rules ignored for it
(``per-file-ignores``), under a rule-set fingerprint: every active rule's id, kind,
severity, message, fix and options after configuration, the contentlint version and the
size and modification time of contentlint's own modules (so an edited checkout never
reads stale results). It is served only if the file still has the content it was linted
with:

- if the file's size, modification time, change time and inode are those recorded, the
  file is not even read (as ruff and git do). A stamp is recorded only once the file has
  settled (unchanged for ``SETTLED_SECONDS``), so a change within the clock tick of the
  recorded one cannot go unseen; the change time and inode also change when a tool
  restores the modification time or replaces the file;
- otherwise the file is read and its BLAKE2b digest compared with the recorded one (a checkout
  that only touched the file is still a hit).

A result also records the file-system lookups the rules made (``Document.files``);
it is served only if every lookup still gives the same answer, so a cached "image file
missing" finding goes away when the image appears.

A result holds the findings and the file's share of the report for the per-file output
formats it was rendered in (``PartRenderer``), so a second run writes that share out
without building a finding.

Records are kept in index shards and append-only packs (``lint.files.resultstore``); only the
few most recently used rule-set folders are kept.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

try:  # BLAKE2 as hashlib has it, without hashlib's loading of OpenSSL (2-3 ms a run)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

from lint import __version__
from lint.document.lookups import check_path
from lint.document.source import MAX_FILE_BYTES, Source, read_source
from lint.engine.findings import Finding, new_edit, new_finding, new_fix
from lint.engine.rules import Rule
from lint.engine.tally import Tally
from lint.files import cachedir
from lint.files.cachedir import DEFAULT_CACHE_DIR
from lint.files.resultstore import Record, ResultStore, Stamp, record_of

RESULTS = "results"  # our subfolder; the rest of the cache folder belongs to others
KEEP_RULE_SETS = 4
SETTLED_SECONDS = cachedir.SETTLED_SECONDS
SAVE_EVERY = 10_000  # records a run keeps before it saves them into the index


class Probe(NamedTuple):
    """What a look-up found for one file: its key, the cached record if it is a hit, and
    the file's bytes if it had to be read (there was a record whose stamp did not
    match)."""

    key: str
    record: Record | None
    data: bytes | None = None


def rules_fingerprint(rules: Sequence[Rule], extra: str = "") -> str:
    """A digest of everything that decides the findings besides the file itself."""
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
    text = repr((__version__, sys.version, cachedir.code_stamp(), extra, described))
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _canonical(value: Any) -> Any:
    """``value`` with each mapping as its items sorted by key, so that its ``repr`` does
    not depend on the order a mapping was built in."""
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _canonical(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_canonical(item) for item in value)
    return value


def encode_findings(findings: Iterable[Finding]) -> list[tuple[Any, ...]]:
    """Findings as plain tuples without the path (for marshal; ``decode_findings``).

    A row is the finding's fields from ``rule`` to ``end_column`` and then its fix as
    ``(edits as (start, end, replacement) tuples, safe)``, or None."""
    return [
        (*finding[1:10], None)
        if finding.fix is None
        else (*finding[1:10], (tuple(map(tuple, finding.fix.edits)), finding.fix.safe))
        for finding in findings
    ]


def decode_findings(path: str, rows: Iterable[Sequence[Any]]) -> list[Finding]:
    """The findings of ``encode_findings`` rows, for the file ``path``."""
    findings = []
    for row in rows:
        fix = row[9]
        if fix is None:
            findings.append(new_finding((path, *row)))
        else:
            edits, safe = fix
            fix = new_fix((tuple(map(new_edit, edits)), safe))
            findings.append(new_finding((path, *row[:9], fix)))
    return findings


def result_key(path: str, ignored: Iterable[str] = ()) -> str:
    """The key of a file's result: its absolute path and the rules ignored for it."""
    return os.path.abspath(path) + "\0" + (",".join(sorted(ignored)) if ignored else "")


def _stamp(status: os.stat_result) -> Stamp:
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def _settled(stamp: Stamp) -> bool:
    recent = (time.time() - SETTLED_SECONDS) * 1e9
    return stamp[1] < recent and stamp[2] < recent


def digest_file(path: str) -> tuple[bytes | None, Stamp | None]:
    """The digest of the file as it is on disk now, and its stamp if the file did not
    change while it was read; (None, None) if it cannot be read or is too large."""
    try:
        before = _stamp(os.stat(path))
        read = _read_digested(path)
        after = _stamp(os.stat(path))
    except OSError:
        return None, None
    if read is None:
        return None, None
    return read[1], before if after == before else None


class ReadRecorder:
    """Reads a file to lint as ``read_source`` does (it is ``process_file``'s ``read``),
    and keeps what its result is stored under: the stamp taken before reading and the
    digest of the bytes read. The stamp is taken first: a change after it moves it, so a
    stamp is never recorded for content newer than what was linted."""

    def __init__(self) -> None:
        self.source: Source | None = None
        self.stamp: Stamp | None = None
        self.digest: bytes | None = None

    def __call__(self, path: str, max_bytes: int) -> Source:
        stamp = _stamp(os.stat(path))
        source = read_source(path, max_bytes)
        self.source, self.stamp, self.digest = source, stamp, _digest(source.raw)
        return source


class ResultCache:
    """Results per (file, ignored rules) for one rule-set fingerprint.

    A run looks files up (``probe``), stores what it linted (``put``), and ends with
    ``save``. Worker processes store into their own packs and hand their new records to
    the caller (``take_updates``, ``merge``), whose ``save`` writes the index."""

    def __init__(self, cache_dir: str, fingerprint: str) -> None:
        self.cache_dir = os.path.abspath(cache_dir)  # saved at the end, wherever we are then
        self.fingerprint = fingerprint
        self.directory = os.path.join(self.cache_dir, RESULTS, fingerprint)
        self.hits = self.misses = 0  # counted by the caller (``parallel.cached_result``)
        self.store = ResultStore(self.directory, self.cache_dir)
        # Records stored in this run and not saved yet, marshalled (a run over an archive
        # saves every ``SAVE_EVERY``, so they never take much memory).
        self._updates: dict[str, bytes] = {}
        self._saved = False  # whether this run saved any record (then packs may merge)

    @classmethod
    def for_rules(
        cls, rules: Sequence[Rule], cache_dir: str = DEFAULT_CACHE_DIR, extra: str = ""
    ) -> ResultCache:
        """The cache for ``rules``."""
        cache = cls(cache_dir, rules_fingerprint(rules, extra))
        cache.prune()
        return cache

    @classmethod
    def for_linter(cls, linter: Any, cache_dir: str = DEFAULT_CACHE_DIR) -> ResultCache:
        """The cache for a ``Linter``: its rules, and the rule ids it knows (suppression
        comments naming an unknown rule are findings)."""
        known = getattr(linter, "known", None)
        extra = "" if known is None else ",".join(sorted(known))
        return cls.for_rules(linter.rules, cache_dir, extra)

    # Looking up

    def probe(self, path: str, ignored: Iterable[str] = ()) -> Probe | None:
        """Look ``path`` up; None if it cannot be read or is too large (the linter then
        reports it). A hit whose stamp matches is served without reading the file."""
        key = result_key(path, ignored)
        try:
            stamp = _stamp(os.stat(path))
        except OSError:
            return None
        if stamp[0] > MAX_FILE_BYTES:
            return None
        record = self.record(key)
        if record is None:  # a miss: the linter reads the file and digests what it read
            return Probe(key, None)
        if record.stamp == stamp:
            return self._checked(Probe(key, record))
        read = _read_digested(path)
        if read is None:
            return None
        data, digest = read
        if record.digest != digest:
            return Probe(key, None, data)
        if _settled(stamp):  # same content, new stamp (touched, checked out): keep it
            record = record._replace(stamp=stamp)
            self._update(key, record)
        return self._checked(Probe(key, record, data))

    def _checked(self, probe: Probe) -> Probe:
        """A hit if the record's file-system lookups still hold, else a miss."""
        assert probe.record is not None
        for lookup_path, (kind, result) in probe.record.lookups.items():
            if check_path(kind, lookup_path) != result:
                return probe._replace(record=None)
        return probe

    def content(self, path: str, probe: Probe) -> Probe | None:
        """``probe`` with the file's bytes, read now if need be; None if the file cannot
        be read or no longer has the recorded content."""
        if probe.data is not None:
            return probe
        read = _read_digested(path)
        if read is None or (probe.record is not None and probe.record.digest != read[1]):
            return None
        return probe._replace(data=read[0])

    def record(self, key: str) -> Record | None:
        """The record stored under ``key``, if any: stored by this run and not saved yet,
        or in the index as this run first read it (a run looks each file up once)."""
        blob = self._updates.get(key)
        return self.store.record(key) if blob is None else record_of(blob)

    def findings(self, record: Record, path: str) -> list[Finding] | None:
        """The record's findings for the file ``path``; None if its pack is gone."""
        blob = self.store.read(record.rows)
        if blob is None:
            return None
        try:
            return decode_findings(path, marshal.loads(blob))
        except (EOFError, ValueError, TypeError, IndexError):
            return None

    def rendering(self, record: Record, name: str) -> memoryview | None:
        """The record's share of the report rendered as ``name``, if it has one."""
        location = record.renderings.get(name)
        return None if location is None else self.store.read(location)

    # Storing

    def put(
        self,
        key: str,
        digest: bytes,
        stamp: Stamp | None,
        findings: Iterable[Finding],
        lookups: Mapping[str, tuple[str, bool]] | None = None,
        renderings: Mapping[str, bytes | memoryview] | None = None,
        tally: Tally | None = None,
    ) -> None:
        """Store a file's findings (and report shares rendered from them). ``stamp``:
        the file's stamp when ``digest`` was taken (kept only if the file had settled);
        ``tally``: the counts of ``findings``, if made already."""
        findings = list(findings)
        rows = self.store.append(marshal.dumps(encode_findings(findings)))
        if rows is None:
            return
        record = Record(
            stamp if stamp is not None and _settled(stamp) else None,
            digest,
            rows,
            (tally or Tally.of(findings)).as_row(by_rule=False),
            dict(lookups or {}),
            {},
        )
        self._update(key, record)
        for name, rendered in (renderings or {}).items():
            self.add_rendering(key, record, name, rendered)

    def add_rendering(
        self, key: str, record: Record, name: str, rendered: bytes | memoryview
    ) -> None:
        """Add a share of the report, rendered as ``name``, to the record under ``key``."""
        location = self.store.append(rendered)
        if location is None:
            return
        record.renderings[name] = location
        self._update(key, record)

    def _update(self, key: str, record: Record) -> None:
        self._updates[key] = marshal.dumps(tuple(record))
        if len(self._updates) >= SAVE_EVERY:
            self._save_updates()

    def take_updates(self) -> list[tuple[str, bytes]]:
        """The records stored since the last call, marshalled, for the process that
        saves the index (``merge``)."""
        updates = list(self._updates.items())
        self._updates.clear()
        return updates

    def merge(self, updates: Iterable[tuple[str, bytes]]) -> None:
        """Add records another process stored (``take_updates``)."""
        self._updates.update(updates)
        if len(self._updates) >= SAVE_EVERY:
            self._save_updates()

    def _save_updates(self) -> None:
        if self._updates and not self.store.broken:
            self.store.save(self._updates)
            self._saved = True
        self._updates.clear()

    def save(self) -> None:
        """Write the records stored in this run into the index, then merge packs if
        there are too many. Errors (read-only or full disk) only lose the records."""
        self.store.close()
        self._save_updates()
        if self._saved and not self.store.broken:
            self.store.collect()
        self.store.close()

    def prune(self, keep: int = KEEP_RULE_SETS) -> None:
        """Mark this rule set as used; delete all but the ``keep`` most recent others."""
        results = os.path.join(self.cache_dir, RESULTS)
        try:
            if os.path.isdir(self.directory):
                os.utime(self.directory)
            folders = [entry for entry in os.scandir(results) if entry.is_dir()]
        except OSError:
            return
        folders.sort(key=lambda entry: entry.stat().st_mtime, reverse=True)
        for entry in folders[keep:]:
            if entry.name != self.fingerprint:
                _remove_tree(entry.path)

    def clear(self) -> None:
        """Delete every cached result (of every rule set)."""
        _remove_tree(os.path.join(self.cache_dir, RESULTS))


def _digest(data: bytes) -> bytes:
    """The BLAKE2b-256 digest of a file's bytes."""
    return blake2b(data, digest_size=32).digest()


def _read(path: str) -> bytes | None:
    """The bytes of ``path``; None if it cannot be read or is too large to lint."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
                return None
            return handle.read()
    except OSError:
        return None


def _read_digested(path: str) -> tuple[bytes, bytes] | None:
    """The bytes of ``path`` and their digest; None as for ``_read``."""
    data = _read(path)
    return None if data is None else (data, _digest(data))


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
