"""A persistent cache of remote check results, safe for concurrent processes.

One small JSON file per URL under ``<cache-dir>/remote-v1/<2 hex>/<sha256>.json``,
written to a temporary file in the same folder and renamed into place, so that a
reader sees a whole entry or none, and two processes checking the same URL at once
just both write a complete entry. Entries older than the maximum age, unreadable or
of another format are ignored, and so are entries dated in the future (a clock set back,
or a crafted file). Entries are kept apart by the address policy they were made under
(``--allow-private-hosts`` or not): an answer a private address gave is never served to a
run that would refuse that address. The cache folder is claimed first
(``lint.files.cachedir``): nothing is written into a folder contentlint did not make.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

from lint.files import cachedir

FORMAT = "remote-v1"


@dataclass(frozen=True)
class Outcome:
    """What requesting a URL gave: the final status and content type, or an error.

    ``error`` is set when no final HTTP answer came (timeout, refused address, too many
    redirects, connection failure); ``status`` is then 0.
    """

    status: int = 0
    reason: str = ""
    content_type: str = ""
    final_url: str = ""
    error: str = ""
    attempts: int = 1
    body_bytes: int = 0  # how many body bytes were read (never more than the limit)
    redirects: int = 0

    @property
    def definitive(self) -> bool:
        """Whether the outcome may be cached: a final answer that is not transient."""
        return not self.error and self.status != 429 and not 500 <= self.status < 600


class ResultCache:
    """Outcomes by URL and address ``policy`` in a folder; ``max_age`` seconds, ``clock``
    injectable for tests."""

    def __init__(
        self,
        folder: str,
        max_age: float,
        clock: Callable[[], float] = time.time,
        policy: str = "public-only",
    ) -> None:
        self.root = folder
        self.folder = os.path.join(folder, FORMAT)
        self.max_age = max_age
        self.clock = clock
        self.policy = policy

    def _path(self, url: str) -> str:
        key = f"{self.policy}\n{url}".encode("utf-8", "surrogatepass")
        digest = hashlib.sha256(key).hexdigest()
        return os.path.join(self.folder, digest[:2], digest + ".json")

    def get(self, url: str) -> Outcome | None:
        """The cached outcome of ``url`` if present, readable and fresh."""
        try:
            with open(self._path(url), encoding="utf-8") as handle:
                data = json.load(handle)
            if data.get("url") != url or data.get("policy") != self.policy:
                return None  # a hash collision, or a foreign file
            age = self.clock() - float(data["checked_at"])
            if not 0 <= age <= self.max_age:  # stale, or dated in the future
                return None
            return Outcome(**data["outcome"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, url: str, outcome: Outcome) -> None:
        """Store ``outcome`` atomically; errors (read-only folder, full disk) are ignored:
        a cache that cannot be written only makes the next run slower."""
        path = self._path(url)
        entry = {
            "url": url,
            "policy": self.policy,
            "checked_at": self.clock(),
            "outcome": asdict(outcome),
        }
        try:
            cachedir.claim(self.root)
            data = json.dumps(entry, ensure_ascii=False).encode("utf-8")
            cachedir.store(path, data)
        except OSError:
            return
