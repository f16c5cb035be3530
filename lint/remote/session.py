"""What the requests of one remote pass share: kept-alive connections and the deadline.

Connections are kept per (scheme, host, port, checked address): a connection is only
reused for the very address the guard checked for that host, so keeping it alive never
weakens the pinning. A connection goes back to the pool only after its response was read
to the end and the server did not ask to close; at most ``per_host`` idle connections are
kept per key (the scheduler never runs more than ``per_host`` requests to a host at once,
so no more are ever open). ``deadline`` (``time.monotonic``) ends the whole pass: no
request starts, and no retry waits, past it.
"""

from __future__ import annotations

import http.client
import threading
import time

Key = tuple[str, str, int, str]  # scheme, host name, port, checked address


class Connections:
    """Idle kept-alive connections, shared by the threads of one pass."""

    def __init__(self, per_host: int) -> None:
        self.per_host = max(1, per_host)
        self._idle: dict[Key, list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()

    def take(self, key: Key) -> http.client.HTTPConnection | None:
        """An idle connection for ``key``, or None."""
        with self._lock:
            idle = self._idle.get(key)
            return idle.pop() if idle else None

    def give(self, key: Key, connection: http.client.HTTPConnection) -> None:
        """Keep ``connection`` (whose last response was read to the end) for ``key``."""
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) < self.per_host:
                idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self._lock:
            idle = [connection for kept in self._idle.values() for connection in kept]
            self._idle.clear()
        for connection in idle:
            connection.close()


class Session:
    """The connections and the deadline of one remote pass."""

    def __init__(self, per_host: int, run_timeout: float | None = None) -> None:
        self.connections = Connections(per_host)
        self.deadline = None if run_timeout is None else time.monotonic() + run_timeout

    def left(self) -> float | None:
        """Seconds until the pass's deadline (None: no deadline)."""
        return None if self.deadline is None else self.deadline - time.monotonic()

    def close(self) -> None:
        self.connections.close()
