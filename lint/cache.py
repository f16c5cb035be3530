"""A cache of lint results per file, so that a second run over unchanged files is instant.

An entry holds the findings of one file and is found by a key made of:

- the SHA-256 of the file's bytes and its absolute path (findings carry the path, and
  relative image paths resolve from the file's folder),
- the rules ignored for that file (``per-file-ignores``),
- the rule-set fingerprint: every active rule's id, kind, severity, message, fix and
  options after configuration, the contentlint version and the size and modification
  time of contentlint's own modules (so an edited checkout never reads stale results).

An entry also holds the file's share of the report for the per-file output formats it
was rendered in (``PartRenderer``), so a second run writes it out without rebuilding a
single finding.

Entries record the file-system lookups the rules made (``Document.path_exists``); a
hit is served only if every lookup still gives the same answer, so a cached "image file
missing" finding goes away when the image appears.

Storage: ``<cache dir>/results/<fingerprint>/<key[:2]>/<key>``, one small file per
entry, written to a temporary file and renamed into place, so several processes can
share a cache folder. An entry that cannot be read or fails its checksum is a miss. Only
the few most recently used rule-set folders are kept.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from lint import __version__, cachedir
from lint.cachedir import DEFAULT_CACHE_DIR
from lint.findings import Edit, Finding, Fix
from lint.lookups import check_path
from lint.rules import Rule
from lint.tally import Tally

RESULTS = "results"  # our subfolder; the rest of the cache folder belongs to others
KEEP_RULE_SETS = 4
_MAGIC = b"CLRC4\n"
_CHECKSUM = 4  # bytes of CRC-32 over the payload: catches a damaged entry, cheaply


def rules_fingerprint(rules: Sequence[Rule], extra: str = "") -> str:
    """A digest of everything that decides the findings besides the file itself."""
    described = [
        {
            "id": rule.id,
            "kind": rule.kind_name,
            "severity": rule.severity,
            "message": rule.message,
            "fix": [rule.fix_action, rule.fix_safe],
            "options": rule.options,
            "base_dir": os.path.abspath(rule.base_dir),
        }
        for rule in rules
    ]
    text = json.dumps(
        [__version__, sys.version, cachedir.code_stamp(), extra, described],
        sort_keys=True,
        default=repr,
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


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
    make, make_edit = Finding._make, Edit._make
    findings = []
    for row in rows:
        fix = row[9]
        if fix is None:
            findings.append(make((path, *row)))
        else:
            edits, safe = fix
            fix = Fix(tuple(map(make_edit, edits)), safe)
            findings.append(make((path, *row[:9], fix)))
    return findings


class Entry(NamedTuple):
    """One cached result: the findings as marshalled ``encode_findings`` rows, their tally
    (``Tally.as_row``), report shares rendered from them (by ``PartRenderer.key`` and
    path) and the file-system lookups they depend on."""

    lookups: dict[str, tuple[str, bool]]
    rows: bytes  # marshalled: a hit served rendered never unpacks them
    tally: tuple[Any, ...]
    renderings: dict[str, str]

    def findings(self, path: str) -> list[Finding]:
        return decode_findings(path, marshal.loads(self.rows))


class ResultCache:
    """Findings per (file content, path, ignored rules) for one rule-set fingerprint."""

    def __init__(self, cache_dir: str, fingerprint: str) -> None:
        self.cache_dir = cache_dir
        self.fingerprint = fingerprint
        self.directory = os.path.join(cache_dir, RESULTS, fingerprint)
        self.hits = self.misses = 0
        self._tagged = False

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

    def key(self, data: bytes, path: str, ignored: Iterable[str] = ()) -> str:
        digest = hashlib.sha256(data)
        digest.update(b"\0" + os.path.abspath(path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0" + ",".join(sorted(ignored)).encode("utf-8"))
        return digest.hexdigest()

    def _entry(self, key: str) -> str:
        return os.path.join(self.directory, key[:2], key)

    def get(self, key: str, path: str) -> list[Finding] | None:
        """The cached findings for ``key`` (with ``path`` set), or None."""
        entry = self.entry(key)
        return None if entry is None else entry.findings(path)

    def entry(self, key: str) -> Entry | None:
        """The entry for ``key`` if there is one, intact, whose lookups still hold."""
        try:
            with open(self._entry(key), "rb") as handle:
                blob = handle.read()
            entry = self._decode(blob)
        except (OSError, ValueError, EOFError, TypeError, IndexError):
            entry = None
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def _decode(self, blob: bytes) -> Entry | None:
        header = len(_MAGIC) + _CHECKSUM
        if not blob.startswith(_MAGIC) or len(blob) < header:
            return None
        payload = blob[header:]
        if zlib.crc32(payload).to_bytes(_CHECKSUM, "big") != blob[len(_MAGIC) : header]:
            return None
        entry = Entry(*marshal.loads(payload))
        for lookup_path, (kind, result) in entry.lookups.items():
            if check_path(kind, lookup_path) != result:
                return None
        return entry

    def put(
        self,
        key: str,
        findings: Iterable[Finding],
        lookups: Mapping[str, tuple[str, bool]] | None = None,
        renderings: Mapping[str, str] | None = None,
    ) -> None:
        """Store findings (and report shares rendered from them) atomically."""
        findings = list(findings)
        entry = Entry(
            dict(lookups or {}),
            marshal.dumps(encode_findings(findings)),
            Tally.of(findings).as_row(),
            dict(renderings or {}),
        )
        self.store(key, entry)

    def store(self, key: str, entry: Entry) -> None:
        """Write ``entry``; errors (read-only or full disk) are ignored."""
        payload = marshal.dumps((entry.lookups, entry.rows, entry.tally, entry.renderings))
        blob = _MAGIC + zlib.crc32(payload).to_bytes(_CHECKSUM, "big") + payload
        try:
            if not self._tagged:
                cachedir.tag(self.cache_dir)
                self._tagged = True
            cachedir.store(self._entry(key), blob)
        except OSError:
            pass

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


def _remove_tree(path: str) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
