"""A progress line on stderr for runs that take more than a moment.

Shown only when the stream is a terminal (the CLI also turns it off with ``--quiet`` and
for stdin); it appears once the run has lasted ``delay`` seconds, is redrawn at most every
``interval`` seconds, and is erased at the end so that it never mixes with the report::

    [########------------]  120/670 files  1234 findings  85.3 files/s

The remote pass (``--check-remote``) shows its requests on the same line, counted in
``remote images`` and without findings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 20
ERASE = "\r\x1b[K"


class Progress:
    """Call ``update`` after each file and ``close`` at the end."""

    def __init__(
        self,
        stream: TextIO,
        total: int,
        *,
        unit: str = "files",
        enabled: bool | None = None,
        delay: float = 0.5,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream, self.total, self.unit = stream, total, unit
        self.enabled = _is_terminal(stream) if enabled is None else enabled
        self.delay, self.interval, self.clock = delay, interval, clock
        self.started = clock()
        self.last_drawn: float | None = None

    def update(self, done: int, findings: int | None = None) -> None:
        """``done`` of the ``total`` are done (and ``findings`` found so far, if counted)."""
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        recent = self.last_drawn is not None and now - self.last_drawn < self.interval
        if recent and done < self.total:
            return
        self.last_drawn = now
        line = render(done, self.total, findings, now - self.started, self.unit)
        self.stream.write(ERASE + line)
        self.stream.flush()

    def advance(self, done: int, total: int) -> None:
        """``update`` for a pass that learns its total as it goes (the remote pass)."""
        self.total = total
        self.update(done)

    def clear(self) -> None:
        """Erase the line (before printing a message); the next update draws it again."""
        if self.enabled and self.last_drawn is not None:
            self.stream.write(ERASE)
            self.stream.flush()
            self.last_drawn = None

    def close(self) -> None:
        self.clear()


def render(done: int, total: int, findings: int | None, elapsed: float, unit: str = "files") -> str:
    """The progress line (no line break); without ``findings`` when they are None."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    rate = done / elapsed if elapsed > 0 else 0.0
    width = len(str(total))
    found = "" if findings is None else f"{findings} finding{'' if findings == 1 else 's'}  "
    return f"[{bar}] {str(done).rjust(width)}/{total} {unit}  {found}{rate:.1f} {unit}/s"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
