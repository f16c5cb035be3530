"""``--shard I/N``: one of N disjoint parts of a run, for CI matrices.

A file belongs to shard ``1 + blake2b(path) mod N``, where the path is the one the run
found, relative to the current folder, with ``/`` between its parts. The split is
therefore the same on every machine and in every Python run (unlike ``hash()``, which
is salted per process), whatever folder the checkout sits in, as long as each job
runs from the same folder with the same paths; the N shards together are the whole run
and no file is in two of them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass


class ShardError(ValueError):
    """A ``--shard`` value that is not ``I/N`` with 1 ≤ I ≤ N."""


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """``"2/3"`` as ``Shard(2, 3)``; raises ``ShardError`` with what is wrong."""
        head, slash, tail = text.partition("/")
        if not slash or not head.strip().isdigit() or not tail.strip().isdigit():
            raise ShardError(f"{text!r} is not I/N (two whole numbers, e.g. 1/3)")
        index, count = int(head), int(tail)
        if count < 1 or not 1 <= index <= count:
            raise ShardError(f"{text!r}: I must be between 1 and N, and N at least 1")
        return cls(index, count)

    def holds(self, path: str) -> bool:
        """Whether ``path`` belongs to this shard."""
        return shard_of(path, self.count) == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(path: str, count: int) -> int:
    """The shard (1 to ``count``) of ``path``."""
    relative = os.path.relpath(path).replace(os.sep, "/")
    key = hashlib.blake2b(os.fsencode(relative), digest_size=8).digest()
    return 1 + int.from_bytes(key, "big") % count
