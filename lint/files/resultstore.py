"""Where the result cache (``lint.files.cache``) keeps its records, for one rule set.

Under ``<cache dir>/results/<fingerprint>/``:

- ``packs/``: findings and renderings, as bytes appended to a pack file that only the
  process that created it writes to;
- ``index/``: ``SHARDS`` small files, each a checksummed map from a share of the result
  keys to their ``Record`` (marshalled): the file's stamp and digest, the counts of its findings and
  where their bytes are in the packs. A run reads only the shards of the files it looks
  up, and at its end merges its new records into the shards on disk (read again,
  updated, written to a temporary file and renamed), so several processes can share a
  cache folder: at worst one run's additions are lost, and a reader never sees half a
  shard.

Pack bytes are written before any index names them, and a pack that is missing or
shorter than the index says is a miss. They are not checksummed (a warm run would spend
a tenth of its time on it): a pack is only ever appended to, by one process. When there
are more than ``MAX_PACKS`` packs, the live records of the sparsest and smallest are
copied into a new one and the others deleted (``collect``).
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import os
import re
import time
import zlib
from typing import Any, NamedTuple

from lint.files import cachedir

SHARDS = 64  # index files per rule set
MAX_PACKS = 16  # packs per rule set before ``collect`` merges them
PACK_GRACE_SECONDS = 600.0  # a pack written to this recently may still be growing
_MAGIC = b"CLIX6\n"
_CHECKSUM = 4  # bytes of CRC-32 over an index shard
_PACK_NAME = re.compile(r"pack-[0-9]+-[0-9a-f]+")
RELEASE_EVERY = 32 * 1024 * 1024  # bytes served from packs between releases of their pages
_DONT_NEED = getattr(mmap, "MADV_DONTNEED", 4)
_FAULT_AROUND = 64 * 1024

Location = tuple[str, int, int]  # pack name, offset, length
Stamp = tuple[int, int, int, int]  # size, modification time, change time, inode


class Record(NamedTuple):
    """One cached result (a plain tuple in an index shard)."""

    stamp: Stamp | None  # None: the file had not settled when it was read
    digest: bytes  # BLAKE2b-256 of the file's bytes
    rows: Location  # marshalled ``cache.encode_findings`` rows
    tally: tuple[Any, ...]  # ``Tally.as_row`` of the findings, without counts by rule
    lookups: dict[str, tuple[str, bool]]
    renderings: dict[str, Location]  # by ``PartRenderer.key`` and path

    def locations(self) -> list[Location]:
        """Every place in the packs that the record refers to."""
        return [self.rows, *self.renderings.values()]


def record_of(blob: bytes) -> Record | None:
    """The record of an index entry (a marshalled tuple); None if it is not one.

    A shard maps keys to marshalled records, not to records: loading a shard then
    makes no containers, which the garbage collector would otherwise scan over and over
    in a run that looks thousands of files up."""
    try:
        row = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if type(row) is tuple and len(row) == len(Record._fields):
        return tuple.__new__(Record, row)  # ``Record._make`` without its checks' cost
    return None


class ResultStore:
    """The index shards and packs of one rule set's folder."""

    def __init__(self, directory: str, cache_dir: str) -> None:
        self.directory = directory
        self.cache_dir = cache_dir  # tagged (CACHEDIR.TAG) before the first write
        self.broken = False  # the folder cannot be written: nothing more is stored
        self._shards: dict[int, dict[str, bytes]] = {}
        self._pack: tuple[int, str] | None = None  # our open pack: descriptor, name
        self._pack_size = 0
        self._maps: dict[str, tuple[mmap.mmap, memoryview]] = {}  # packs read, by name
        self._served = 0  # bytes mapped since the pages read were last released

    # Index shards

    def record(self, key: str) -> Record | None:
        """The record saved under ``key``, as its shard was when first read this run."""
        number = shard_of(key)
        shard = self._shards.get(number)
        if shard is None:
            shard = self._shards[number] = self._load_shard(number)
        row = shard.get(key)
        return None if row is None else record_of(row)

    def save(self, records: dict[str, bytes]) -> None:
        """Merge ``records`` (marshalled) into the shards on disk."""
        by_shard: dict[int, dict[str, bytes]] = {}
        for key, blob in records.items():
            by_shard.setdefault(shard_of(key), {})[key] = blob
        for number, rows in by_shard.items():
            shard = self._load_shard(number)  # as on disk now: others may have saved
            shard.update(rows)
            if not self._write_shard(number, shard):
                return

    def _shard_path(self, number: int) -> str:
        return os.path.join(self.directory, "index", f"{number:02x}")

    def _load_shard(self, number: int) -> dict[str, bytes]:
        """The shard as on disk; empty if it is missing or damaged."""
        try:
            with open(self._shard_path(number), "rb") as handle:
                blob = handle.read()
        except OSError:
            return {}
        header = len(_MAGIC) + _CHECKSUM
        payload = blob[header:]
        if blob[:header] != _MAGIC + zlib.crc32(payload).to_bytes(_CHECKSUM, "big"):
            return {}
        try:
            shard = marshal.loads(payload)
        except (EOFError, ValueError, TypeError):
            return {}
        return shard if isinstance(shard, dict) else {}

    def _write_shard(self, number: int, shard: dict[str, bytes]) -> bool:
        payload = marshal.dumps(shard)
        blob = _MAGIC + zlib.crc32(payload).to_bytes(_CHECKSUM, "big") + payload
        try:
            cachedir.store(self._shard_path(number), blob)
        except OSError:
            self.broken = True
            return False
        # Look-ups go on using the shard as it was first read: the records a run saves
        # are of files it has looked up already, and keeping them would hold them all.
        return True

    # Packs

    def append(self, data: bytes | memoryview) -> Location | None:
        """Append ``data`` to this process's pack; where it went, or None on error."""
        if self.broken:
            return None
        try:
            if self._pack is None:
                from lint.files.writer import create_temporary

                folder = os.path.join(self.directory, "packs")
                cachedir.tag(self.cache_dir)
                os.makedirs(folder, exist_ok=True)
                handle, path = create_temporary(folder, "pack-")
                self._pack, self._pack_size = (handle, os.path.basename(path)), 0
            handle, name = self._pack
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        except OSError:
            self.broken = True
            return None
        offset = self._pack_size
        self._pack_size += len(data)
        return (name, offset, len(data))

    def read(self, location: Location) -> memoryview | None:
        """The bytes at ``location``; None if its pack is gone or too short.

        Packs are mapped into memory (as git maps its packs): a warm run copies the
        renderings it serves straight from the page cache to its output. A view keeps
        its pack mapped until the view is dropped. Every ``RELEASE_EVERY`` bytes mapped,
        the pages read so far are handed back (they stay in the page cache), so that a
        run over an archive does not count gigabytes of packs as its own memory."""
        try:
            name, offset, length = location
            end = offset + length
            mapped = self._maps.get(name)
            if mapped is None or end > len(mapped[1]):  # not mapped yet, or grown since
                if not _PACK_NAME.fullmatch(name):
                    return None
                mapped = self._maps[name] = _map(os.path.join(self.directory, "packs", name))
        except (OSError, ValueError, TypeError):
            return None
        view = mapped[1]
        if offset < 0 or end > len(view):
            return None
        # The kernel maps pages around the one read as well (fault-around, 64 KB):
        # count at least that much.
        self._served += max(length, _FAULT_AROUND)
        if self._served > RELEASE_EVERY:
            self._release()
        return view[offset:end]

    def _release(self) -> None:
        """Unmap the pages of the packs read (views read them again from the page cache
        if they are used after this)."""
        self._served = 0
        for mapping, _ in self._maps.values():
            with contextlib.suppress(OSError, ValueError, AttributeError):  # no madvise
                mapping.madvise(_DONT_NEED)

    def close(self) -> None:
        """Close our pack (later appends start a new one) and forget the packs mapped
        (each is unmapped once no view of it is left)."""
        if self._pack is not None:
            with contextlib.suppress(OSError):
                os.close(self._pack[0])
            self._pack = None
        self._maps.clear()

    def collect(self, max_packs: int = MAX_PACKS) -> None:
        """If there are more than ``max_packs`` packs, copy the live records of the
        sparsest and smallest into a new pack, point the index at it and delete them;
        delete the packs no record needs. Packs written in the last
        ``PACK_GRACE_SECONDS`` are left alone: another run may still be adding to them."""
        folder = os.path.join(self.directory, "packs")
        try:
            packs = {
                entry.name: entry.stat()
                for entry in os.scandir(folder)
                if _PACK_NAME.fullmatch(entry.name)
            }
        except OSError:
            return
        if len(packs) <= max_packs:
            return
        shards = {number: self._load_shard(number) for number in range(SHARDS)}
        live = dict.fromkeys(packs, 0)  # bytes the index needs, by pack
        for shard in shards.values():
            for blob in shard.values():
                record = record_of(blob)
                for name, _, length in record.locations() if record else ():
                    if name in live:
                        live[name] += length
        settled = time.time() - PACK_GRACE_SECONDS
        old = sorted(
            (name for name, status in packs.items() if status.st_mtime < settled),
            key=lambda name: (live[name] * 2 >= packs[name].st_size, packs[name].st_size),
        )
        merged = {name for name in old[: len(packs) - max(1, max_packs // 2)] if live[name]}
        if merged:
            for number, shard in shards.items():
                moved = {key: self._moved(blob, merged) for key, blob in shard.items()}
                changed = {key: row for key, row in moved.items() if row is not None}
                if self.broken or (changed and not self._write_shard(number, {**shard, **changed})):
                    return  # leave the packs: the index still names them
        self.close()
        for name in (*merged, *(name for name in old if not live[name])):
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(folder, name))

    def _moved(self, blob: bytes, packs: set[str]) -> bytes | None:
        """The index entry ``blob`` with its bytes in ``packs`` copied to this process's
        pack; None if it has none there. A rendering that cannot be copied is dropped;
        findings that cannot be copied leave the entry as it is (a miss once the pack is
        gone)."""
        record = record_of(blob)
        if record is None or not any(where[0] in packs for where in record.locations()):
            return None

        def copied(location: Location) -> Location | None:
            if location[0] not in packs:
                return location
            data = self.read(location)
            return None if data is None else self.append(data)

        rows = copied(record.rows)
        if rows is None:
            return None
        renderings = {}
        for name, location in record.renderings.items():
            kept = copied(location)
            if kept is not None:
                renderings[name] = kept
        return marshal.dumps(tuple(record._replace(rows=rows, renderings=renderings)))


def _map(path: str) -> tuple[mmap.mmap, memoryview]:
    """The whole file at ``path``, mapped read-only, and a view of it. Raises OSError
    or ValueError (an empty file cannot be mapped)."""
    with open(path, "rb") as handle:
        mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    return mapping, memoryview(mapping)


def shard_of(key: str) -> int:
    """The index shard that holds ``key``."""
    return zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS
