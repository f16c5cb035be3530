"""Linting many files on a Dask cluster (``contentlint check --scheduler ADDRESS``).

``ClusterFiles`` has ``lint.files.pool.lint_files``' contract: the results of the tasks,
in task order, with a bounded number of files handed out and not yet reported. The
workers run the same ``Work`` as local worker processes: it is scattered to every
worker once (pickled once), and each message then carries only a chunk of
``(path, ignored rules)`` tasks.

The workers read the files themselves, at the same paths: rules look beside an article
(its images, its site's folders), so the bytes alone would not give the same findings,
and with ``--fix`` the atomic writer and its checks for a file changed meanwhile run
where the file is read, as in a local run. The workers must therefore see the files at
the paths the command names: a shared file system, or the same machine. Relative paths
need the workers to run in the command's folder; ``connect`` checks that.

``distributed`` is imported when a run asks for a scheduler, never otherwise: it is an
optional dependency (``contentlint[dask]``) and takes a second to import.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import CancelledError
from itertools import islice
from typing import Any

from lint.engine.findings import FileResult
from lint.files.pool import Task, Work

Client = Any  # a ``distributed.Client``: the package has no type annotations

CHUNK = 16  # files per task sent to a worker
AHEAD_PER_THREAD = 4  # chunks handed out and not yet reported, per worker thread
CONNECT_TIMEOUT = 10.0  # seconds


class ClusterError(Exception):
    """No cluster to lint on: ``distributed`` missing, the scheduler unreachable, or
    workers that cannot see the files as named."""


def connect(address: str, paths: Sequence[str] = ()) -> Client:
    """A client of the scheduler at ``address`` whose workers can read ``paths`` as
    named (relative ones from the same folder). Raises ``ClusterError``."""
    try:
        from distributed import Client  # optional, and slow to import: see above
    except ImportError as error:
        raise ClusterError(
            "--scheduler needs the distributed package: pip install 'contentlint[dask]'"
        ) from error
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from error
    try:
        _check_folders(client, paths)
    except BaseException:
        client.close()
        raise
    return client


def _check_folders(client: Client, paths: Sequence[str]) -> None:
    info = client.scheduler_info()
    if not info.get("workers"):
        raise ClusterError(f"the Dask scheduler at {info.get('address')} has no workers")
    if all(os.path.isabs(path) for path in paths):
        return
    here = os.getcwd()
    elsewhere = sorted({cwd for cwd in client.run(os.getcwd).values() if cwd != here})
    if elsewhere:
        raise ClusterError(
            f"the Dask workers run in {', '.join(elsewhere)}, not in {here}: "
            "name the paths absolutely, or start the workers here"
        )


class Batch(list[Any]):
    """A list that distributed sends pickled, as one object: a plain list it encodes
    element by element (msgpack, with a call back for each object it cannot encode),
    which costs many times more for the thousands of small records a chunk or a
    partition returns."""


def _lint_chunk(work: Work, chunk: list[Task]) -> Batch:
    return Batch(work(task) for task in chunk)


class ClusterFiles:
    """``lint_files`` on the cluster of ``client``."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def __call__(
        self, tasks: Sequence[Task], work: Work, jobs: int | None = None
    ) -> Iterator[FileResult]:
        """``work`` on each task on the cluster; results in the order of ``tasks``
        (``jobs`` is the local pool's and means nothing here)."""
        if not tasks:
            return
        from distributed import KilledWorker  # loaded with the client that gave self

        try:
            yield from self._results(tasks, work)
        except (OSError, CancelledError, KilledWorker) as error:  # the scheduler lost, …
            # Said once, as ours: not again by the client's attempts to reconnect.
            for name in ("distributed", "distributed.client"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise ClusterError(f"the Dask cluster failed: {reason}") from error

    def _results(self, tasks: Sequence[Task], work: Work) -> Iterator[FileResult]:
        client = self.client
        threads = sum(client.nthreads().values()) or 1
        shipped = client.scatter(work, broadcast=True, hash=False)
        chunks = (list(chunk) for chunk in _batched(tasks, CHUNK))
        pending = deque(
            client.submit(_lint_chunk, shipped, chunk, pure=False)
            for chunk in islice(chunks, AHEAD_PER_THREAD * threads)
        )
        try:
            while pending:
                results = pending.popleft().result()
                for chunk in islice(chunks, 1):
                    pending.append(client.submit(_lint_chunk, shipped, chunk, pure=False))
                yield from results
        finally:
            client.cancel([*pending, shipped])


def _batched(tasks: Sequence[Task], size: int) -> Iterator[Sequence[Task]]:
    for start in range(0, len(tasks), size):
        yield tasks[start : start + size]
