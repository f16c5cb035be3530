"""Linting many files: in worker processes, or in this one when there are few.

``lint_files`` takes (path, ignored rules) tasks and yields one ``FileResult`` per task,
in the order given, as they finish: ``multiprocessing.Pool.imap`` with a chunk size
keeps the order and streams. Below ``IN_PROCESS_BELOW`` files, or with one job, files are
linted here: starting workers would cost more than it saves. Workers get the linter once
(inherited with ``fork``, pickled with ``spawn``) and ignore Ctrl-C, which the parent
handles; they never render anything: the parent writes every report.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lint.engine.findings import FileResult
from lint.engine.linter import Linter
from lint.runner import Mode, process_file

Task = tuple[str, frozenset[str]]  # a path and the rules ignored for it

IN_PROCESS_BELOW = 24  # files
MAX_CHUNK = 16  # files per message to a worker
AHEAD_PER_JOB = 64  # files handed out and not yet reported, per job, at most


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Work:
    """What linting a file takes: the linter, the mode, and whether the results keep
    their texts (the report shows them) and their basis (the cache stores them)."""

    linter: Linter
    mode: Mode = Mode.CHECK
    unsafe: bool = False
    with_text: bool = True
    with_basis: bool = False

    def __call__(self, task: Task) -> FileResult:
        path, ignored = task
        result = process_file(path, self.linter, ignored, self.mode, self.unsafe, self.with_basis)
        if not self.with_text:
            result.text = ""
        return result


_work: Work | None = None  # set in each worker by ``_start_worker``


def _start_worker(work: Work) -> None:
    global _work
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the run
    _work = work


def _run(task: Task) -> FileResult:
    assert _work is not None
    return _work(task)


def lint_files(tasks: Sequence[Task], work: Work, jobs: int | None = None) -> Iterator[FileResult]:
    """``work`` on each task; results in the order of ``tasks``. ``jobs``: worker
    processes (None: one per CPU; 1: everything in this process)."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1 or len(tasks) < IN_PROCESS_BELOW:
        yield from map(work, tasks)
        return
    # fork on Linux: workers start at once with the rules in memory; spawn elsewhere
    # (fork is unsafe on macOS), which pickles them.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    chunk = max(1, min(MAX_CHUNK, len(tasks) // (jobs * 4)))
    # The pool reads tasks as fast as it can and keeps results until they are taken:
    # with a slow reporter the results would pile up here. Each task waits for room
    # (files handed out and not yet taken), so at most ``ahead`` results are ever held.
    room = threading.Semaphore(max(AHEAD_PER_JOB, chunk) * jobs)
    stopped = threading.Event()

    def handed_out() -> Iterator[Task]:
        for task in tasks:
            while not room.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield task

    import multiprocessing  # heavy: see lint.engine

    pool = multiprocessing.get_context(method).Pool(jobs, _start_worker, (work,))
    try:
        for result in pool.imap(_run, handed_out(), chunk):
            room.release()
            yield result
        pool.close()
    finally:
        stopped.set()
        pool.terminate()
        pool.join()
