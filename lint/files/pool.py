"""Running many files: the result cache, then a pool of worker processes.

``run`` takes (path, ignored rules) pairs and yields one ``FileResult`` per pair, in the
order given, whatever the number of jobs, so output is deterministic. Files are streamed:
at most a bounded window of results is held, so memory does not grow with the number of
files.

Each file is first looked up in the result cache (``lint.files.cache``); only misses are
linted. Misses, and files whose findings are cached but not rendered in this run's
format, go to worker processes in chunks once there are enough of them to pay for
starting the pool; a run with a few changed files never starts one. Workers get the
rules pickled (or inherited with ``fork``), lint, fix and write exactly as
``lint.runner.process_file`` does, append their results to cache packs of their own and
send back the results, the records for the cache's index (which only the caller writes)
and any rule failures, which are added to the caller's
``Linter.failures``.
"""

from __future__ import annotations

import marshal
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from lint.document.lookups import record_lookups
from lint.document.source import decode
from lint.engine.linter import Linter, RuleFailure
from lint.engine.tally import Tally
from lint.files.cache import (
    Probe,
    ReadRecorder,
    ResultCache,
    decode_findings,
    digest_file,
    encode_findings,
    result_key,
)
from lint.files.resultstore import Record
from lint.reporters.base import FilePart, PartRenderer
from lint.runner import FileResult, Mode, process_file

Task = tuple[str, frozenset[str]]  # a path and the rules ignored for it

CHUNK = 16  # files per message to a worker
START_POOL_AFTER = 24  # misses needed before a pool is worth starting
WINDOW_PER_JOB = 256  # results held in memory per job, at most


def default_jobs() -> int:
    """The number of CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


class Settings(NamedTuple):
    """What a worker needs to handle files like the caller would."""

    linter: Linter  # pickled with its rules (or inherited with fork); failures reset
    mode: Mode
    unsafe: bool
    cache_dir: str | None
    fingerprint: str | None
    with_text: bool = True
    render: PartRenderer | None = None

    def cache(self) -> ResultCache | None:
        if self.cache_dir is None or self.fingerprint is None:
            return None
        return ResultCache(self.cache_dir, self.fingerprint)


# What to do with a file the cache did not serve (the third field of a worker's task).
LINT = 0  # lint it, and store nothing: no cache, or the file cannot be read (then reported)
STORE = 1  # it missed: lint it and store its result
RENDER = 2  # its findings are cached, but not in this format: look it up again, render them


def cached_result(
    path: str,
    ignored: frozenset[str],
    cache: ResultCache,
    mode: Mode,
    unsafe: bool,
    render: PartRenderer | None = None,
    render_here: bool = True,
) -> tuple[FileResult | None, int]:
    """The result served from the cache, or (None, what to do with the file: ``STORE``,
    or ``LINT`` if it cannot be read or is too large).

    With ``render``, the file's share of the report comes from the cache too; if the
    record has none for this format yet, it is rendered from the cached findings and
    added to the record, or, without ``render_here``, left to the caller: (None,
    ``RENDER``), so that a pool's workers render the files of a run in a new format."""
    probe = cache.probe(path, ignored)
    if probe is None:
        return None, LINT
    record = probe.record
    tally = None if record is None else Tally.from_row(record.tally)
    if record is None or tally is None or _to_fix(tally, mode, unsafe):
        cache.misses += 1
        return None, STORE
    if render is not None:
        served = cache.rendering(record, f"{render.key}:{path}")
        if served is not None:
            cache.hits += 1
            return FileResult(path, rendered=served, tally=tally), STORE
        if not render_here:
            return None, RENDER  # counted where it is rendered
    result = _from_findings(path, probe, record, cache, render, tally)
    if result is None:
        cache.misses += 1
        return None, STORE
    cache.hits += 1
    return result, STORE


def _to_fix(tally: Tally, mode: Mode, unsafe: bool) -> bool:
    """Whether a file with these counts has something for this run to fix."""
    return mode is not Mode.CHECK and bool(tally.safe or (unsafe and tally.unsafe))


def _from_findings(
    path: str,
    probe: Probe,
    record: Record,
    cache: ResultCache,
    render: PartRenderer | None,
    tally: Tally,
) -> FileResult | None:
    """The result of the record's findings and the file's text; rendered, with
    ``render``, and the rendering added to the record. None if either is gone.

    The file is not read for a format that does not show its text if the record was
    found by the file's stamp (as a rendering would be served)."""
    text = ""
    if render is None or render.needs_text or probe.data is not None:
        read = cache.content(path, probe)  # the text the findings refer to
        if read is None or read.data is None:
            return None
        text = decode(path, read.data).text
    findings = cache.findings(record, path)
    if findings is None:
        return None
    if render is None:
        return FileResult(path, findings, text=text)
    rendered = render(FilePart(path, findings, text))
    cache.add_rendering(probe.key, record, f"{render.key}:{path}", rendered)
    return FileResult(path, rendered=rendered, tally=tally)


def render_result(result: FileResult, render: PartRenderer) -> None:
    """Render the file's share of the report now and keep only the counts of its
    findings (the findings and the text are dropped)."""
    result.rendered = render(FilePart(result.path, result.findings, result.text))
    result.tally = Tally.of(result.findings)
    result.findings, result.text = [], ""


def lint_file(
    path: str,
    ignored: frozenset[str],
    linter: Linter,
    mode: Mode,
    unsafe: bool = False,
    cache: ResultCache | None = None,
    render: PartRenderer | None = None,
    looked_up: bool = False,
) -> FileResult:
    """``process_file`` with the result cache: served from it, or linted and stored.
    With ``render``, the result comes rendered (``render_result``). ``looked_up``: the
    file was looked up in ``cache`` already, and missed.

    The result is stored under the digest of the bytes linted (or, after a fix, of the
    file written)."""
    if cache is not None and not looked_up:
        result, action = cached_result(path, ignored, cache, mode, unsafe, render)
        if result is not None:
            return result
        if action == LINT:
            cache = None  # cannot be read: process_file reports it, nothing is stored
    if cache is None or mode is Mode.DIFF:  # nothing to store: --diff writes nothing
        result = process_file(path, linter, ignored, mode, unsafe)
        if render is not None:
            render_result(result, render)
        return result
    failures = len(linter.failures)
    read = ReadRecorder()
    with record_lookups() as lookups:
        result = process_file(path, linter, ignored, mode, unsafe, read=read)
    findings = result.findings
    written = read.source is not None and result.text != read.source.text  # by a fix
    if render is not None:
        render_result(result, render)
    if result.errors or len(linter.failures) != failures:
        return result
    renderings = {}
    if render is not None and result.rendered is not None:
        renderings[f"{render.key}:{path}"] = result.rendered
    # Stored under the digest of the bytes linted; after a fix, of the file written.
    digest, stamp = digest_file(path) if written else (read.digest, read.stamp)
    if digest is not None:
        key = result_key(path, ignored)
        cache.put(key, digest, stamp, findings, lookups, renderings, result.tally)
    return result


# State of a worker process, set once by ``_start_worker``.
_worker: tuple[Linter, Settings, ResultCache | None] | None = None


def _start_worker(settings: Settings) -> None:
    global _worker
    linter = settings.linter
    linter.failures = []
    _worker = (linter, settings, settings.cache())


def _work(chunk: list[tuple[str, frozenset[str], int]]) -> bytes:
    """Lint a chunk in a worker. Results travel as marshalled tuples (pickling named
    tuples costs more), rendered already when the format allows it, with the records
    the worker stored in the cache (the caller writes the index)."""
    assert _worker is not None
    linter, settings, cache = _worker
    del linter.failures[:]
    rows = []
    for path, ignored, action in chunk:
        result = _lint_miss(path, ignored, action, linter, settings, cache)
        rows.append(
            (
                result.path,
                encode_findings(result.findings),
                result.text if settings.with_text else "",
                result.errors,
                result.fixed,
                result.diff,
                result.rendered,
                None if result.tally is None else result.tally.as_row(),
            )
        )
    failures = [(f.path, f.rule, f.error) for f in linter.failures]
    updates = cache.take_updates() if cache is not None else []
    return marshal.dumps((rows, failures, updates))


def _lint_miss(
    path: str,
    ignored: frozenset[str],
    action: int,
    linter: Linter,
    settings: Settings,
    cache: ResultCache | None,
) -> FileResult:
    """Handle a file the caller's look-up did not serve, as ``action`` says."""
    return lint_file(
        path,
        ignored,
        linter,
        settings.mode,
        settings.unsafe,
        None if action == LINT else cache,
        settings.render,
        looked_up=action != RENDER,
    )


def _unpack(
    blob: bytes,
) -> tuple[list[FileResult], list[RuleFailure], list[tuple[str, bytes]]]:
    rows, failures, updates = marshal.loads(blob)
    results = [
        FileResult(
            path,
            decode_findings(path, findings),
            text,
            errors,
            fixed,
            diff,
            rendered,
            None if tally is None else Tally.from_row(tally),
        )
        for path, findings, text, errors, fixed, diff, rendered, tally in rows
    ]
    return results, [RuleFailure(*failure) for failure in failures], updates


def _start_pool(context: Any, jobs: int, settings: Settings) -> Any:
    """A pool of ``jobs`` workers whose upkeep thread wakes only when the pool changes.

    ``multiprocessing.Pool``'s upkeep thread also wakes while a result waits in the
    results pipe, and loops there until the results thread has read it: with a run's
    reports going through that pipe, it took about 0.13 s of CPU a 2,000-file run, from
    the workers on a 2-core machine. The pool changes (a worker exits, tasks run out,
    the pool closes) are signalled on its change notifier, which the upkeep thread of
    ``multiprocessing.pool.ThreadPool`` waits on alone, as this one does."""
    from multiprocessing.pool import Pool

    class QuietPool(Pool):
        def _get_sentinels(self) -> list[Any]:
            return [self._change_notifier._reader]  # type: ignore[attr-defined]

    return QuietPool(jobs, _start_worker, (settings,), context=context)


def _context(method: str | None = None) -> Any:
    import multiprocessing  # only runs that start a pool pay for the import

    if method:
        return multiprocessing.get_context(method)
    # On Linux fork: workers start at once with the rules already in memory. Elsewhere
    # (fork is unsafe on macOS) spawn, which pickles the rules.
    linux = sys.platform[:5] == "linux"
    return multiprocessing.get_context("fork" if linux else "spawn")


def run(
    tasks: Iterable[Task],
    linter: Linter,
    mode: Mode = Mode.CHECK,
    unsafe: bool = False,
    jobs: int | None = None,
    cache: ResultCache | None = None,
    with_text: bool = True,
    start_method: str | None = None,
    render: PartRenderer | None = None,
) -> Iterator[FileResult]:
    """Lint (and with FIX/DIFF, fix) each task's file; results in the order of ``tasks``.

    ``jobs``: worker processes (None: one per CPU; 1: everything in this process).
    ``with_text``: keep each result's text (the text reporter shows finding lines).
    ``start_method``: force a multiprocessing start method ("fork", "spawn"...).
    ``render``: render each file's share of the report where it is linted (and cache
    it); results then carry it and the counts instead of findings (``render_result``).
    """
    try:
        yield from _results(
            tasks, linter, mode, unsafe, jobs, cache, with_text, start_method, render
        )
    finally:
        if cache is not None:
            cache.save()  # what this run stored, into the cache's index


def _results(
    tasks: Iterable[Task],
    linter: Linter,
    mode: Mode,
    unsafe: bool,
    jobs: int | None,
    cache: ResultCache | None,
    with_text: bool,
    start_method: str | None,
    render: PartRenderer | None,
) -> Iterator[FileResult]:
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if jobs == 1:
        for path, ignored in tasks:
            result = lint_file(path, ignored, linter, mode, unsafe, cache, render)
            if not with_text:
                result.text = ""
            yield result
        return
    settings = Settings(
        linter,
        mode,
        unsafe,
        cache.cache_dir if cache is not None else None,
        cache.fingerprint if cache is not None else None,
        with_text,
        render,
    )
    yield from _Scheduler(linter, settings, jobs, cache, start_method).run(tasks)


class _Chunk:
    """Files sent to a worker together; ``results`` once they are back."""

    def __init__(self, pending: Any) -> None:
        self.pending = pending
        self.results: list[FileResult] | None = None


class _Slot:
    """A place in the output for a file being linted: its result, or its chunk and index."""

    __slots__ = ("chunk", "index", "result")

    def __init__(self) -> None:
        self.chunk: _Chunk | None = None
        self.index = 0
        self.result: FileResult | None = None


class _Scheduler:
    """Cache look-ups in this process, misses in chunks to a lazily started pool."""

    def __init__(
        self,
        linter: Linter,
        settings: Settings,
        jobs: int,
        cache: ResultCache | None,
        start_method: str | None,
    ) -> None:
        self.linter, self.settings, self.jobs, self.cache = linter, settings, jobs, cache
        self.start_method = start_method
        self.pool: Any = None
        self.slots: deque[FileResult | _Slot] = deque()  # in input order
        self.batch: list[tuple[str, frozenset[str], int]] = []  # misses not sent yet
        self.batch_slots: list[_Slot] = []
        self.misses = 0

    def run(self, tasks: Iterable[Task]) -> Iterator[FileResult]:
        window = WINDOW_PER_JOB * self.jobs
        try:
            for path, ignored in tasks:
                action = LINT
                if self.cache is not None:
                    settings = self.settings
                    result, action = cached_result(
                        path,
                        ignored,
                        self.cache,
                        settings.mode,
                        settings.unsafe,
                        settings.render,
                        render_here=False,
                    )
                    if result is not None:
                        if not self.settings.with_text:
                            result.text = ""
                        if not self.slots:  # nothing waits before it: out at once
                            yield result
                            continue
                        self.slots.append(result)
                        yield from self._drain(window)
                        continue
                self._add_miss(path, ignored, action)
                yield from self._drain(window)
            yield from self._drain(0)
        finally:
            if self.pool is not None:
                self.pool.terminate()
                self.pool.join()

    def _add_miss(self, path: str, ignored: frozenset[str], action: int) -> None:
        slot = _Slot()
        self.batch.append((path, ignored, action))
        self.batch_slots.append(slot)
        self.slots.append(slot)
        self.misses += 1
        if self.pool is None and self.misses >= START_POOL_AFTER:
            self.pool = _start_pool(_context(self.start_method), self.jobs, self.settings)
        if self.pool is not None and len(self.batch) >= CHUNK:
            self._send()

    def _send(self) -> None:
        """Send the batch to the pool, or, without a pool, lint it here."""
        if not self.batch:
            return
        if self.pool is None:
            for (path, ignored, action), slot in zip(self.batch, self.batch_slots, strict=True):
                result = _lint_miss(path, ignored, action, self.linter, self.settings, self.cache)
                if not self.settings.with_text:
                    result.text = ""
                slot.result = result
        else:
            chunk = _Chunk(self.pool.apply_async(_work, (self.batch,)))
            for index, slot in enumerate(self.batch_slots):
                slot.chunk, slot.index = chunk, index
        self.batch, self.batch_slots = [], []

    def _drain(self, keep: int) -> Iterator[FileResult]:
        """Yield finished results from the front; wait only while more than ``keep`` are
        held (``keep`` 0: until everything is out)."""
        slots = self.slots
        while slots:
            slot = slots[0]
            if isinstance(slot, FileResult):
                slots.popleft()
                yield slot
                continue
            if slot.result is None and slot.chunk is None:  # not sent yet
                if len(slots) <= keep:
                    return
                self._send()
                continue
            chunk = slot.chunk
            if slot.result is None and chunk is not None:
                if chunk.results is None:
                    if len(slots) <= keep and not chunk.pending.ready():
                        return
                    chunk.results, failures, updates = _unpack(chunk.pending.get())
                    self.linter.failures.extend(failures)
                    if self.cache is not None:
                        self.cache.merge(updates)
                slot.result = chunk.results[slot.index]
            slots.popleft()
            assert slot.result is not None
            yield slot.result
