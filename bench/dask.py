"""Timing contentlint past one process: the command, ``lint.dask`` on a LocalCluster, and
``--shard`` halves, on the generated corpus (``bench/corpus.py``, 2,000 seed-like
articles by default).

``python bench/dask.py [--count 2000] [--runs 3]`` prints the median of ``--runs`` runs
(after a warm-up; the cases take turns, one run each per round, so that a slow moment of
a shared machine falls on all of them) of:

- the command: ``contentlint --no-cache -q --output-format json`` on the folder (its own
  worker pool, one process per CPU);
- ``lint_bag(paths)`` on a ``LocalCluster`` of 1 and of 2 worker processes (one thread
  each), the cluster started before timing, the settings loaded in each timed run as a
  program would: counted on the workers (``.count().compute()``), gathered as a
  DataFrame (``findings_frame``) and as a bag (``.compute()``, a plain list of dicts,
  which distributed sends element by element); and ``contentlint --scheduler`` on the
  2-worker cluster;
- ``--shard 1/2`` and ``--shard 2/2``, each and their sum.

From the 1-worker cluster it derives the cost of one article and the overhead of one
partition (two runs that differ only in the number of partitions: the difference over
the difference in partitions), and from those an estimate for a million articles on 8
and on 64 workers: (articles x cost + partitions x overhead) / workers. The estimate
assumes a core per worker, the articles already where the workers read them, and a
scheduler that keeps up; it is a model, not a measurement (the scaling from 1 to 2
workers is printed beside it, but on a machine of two shared cores it measures the
machine). Timings depend on the machine and its load; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
# This file is named like the package it measures: its folder goes last on the path, so
# that ``import dask`` finds the package and ``import corpus`` still finds bench/corpus.py.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != BENCH]
sys.path.append(str(BENCH))

import dask.bag as db  # noqa: E402
from corpus import generate  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

import lint.dask  # noqa: E402

MILLION = 1_000_000
ARTICLES_PER_PARTITION = 250  # of the estimate's partitions
FEW, MANY = 8, 200  # partitions of the two runs that measure the overhead


def command(*args: str) -> Callable[[], object]:
    def run() -> object:
        done = subprocess.run(
            [sys.executable, "-m", "lint", "--no-cache", "-q", "--output-format", "json", *args],
            capture_output=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr.decode()
        return done

    return run


def on_cluster(
    client: Client, paths: list[str], partitions: int, collect: str
) -> Callable[[], object]:
    """``lint_bag`` over ``paths``: counted on the workers (``count``), gathered as a
    bag (``bag``) or as a DataFrame (``frame``)."""

    def run() -> object:
        bag = db.from_sequence(paths, npartitions=partitions)
        if collect == "frame":
            return lint.dask.findings_frame(bag).compute(scheduler=client)
        findings = lint.dask.lint_bag(bag)
        return (findings.count() if collect == "count" else findings).compute(scheduler=client)

    return run


def cluster(workers: int) -> LocalCluster:
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )


def medians(cases: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The median time of each case; the cases take turns, one run each per round, so
    that a slow moment of a shared machine falls on all of them (after a warm-up)."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_ in range(runs + 1):
        for name, action in cases.items():
            start = time.perf_counter()
            action()
            if round_:
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    count = args.count
    with (
        tempfile.TemporaryDirectory(prefix="contentlint-dask-bench-") as scratch,
        cluster(1) as single,
        cluster(2) as double,
        Client(single, set_as_default=False) as one,
        Client(double, set_as_default=False) as two,
    ):
        folder = Path(scratch) / "corpus"
        paths = [str(path) for path in generate(folder, count)]
        cases = {
            "command (local pool, a process per CPU)": command(str(folder)),
            f"lint_bag, 1 worker, counted, {FEW} partitions": on_cluster(one, paths, FEW, "count"),
            f"lint_bag, 1 worker, counted, {MANY} partitions": on_cluster(
                one, paths, MANY, "count"
            ),
            f"lint_bag, 2 workers, counted, {FEW} partitions": on_cluster(two, paths, FEW, "count"),
            f"findings_frame, 2 workers, computed, {FEW} partitions": on_cluster(
                two, paths, FEW, "frame"
            ),
            f"lint_bag, 2 workers, gathered, {FEW} partitions": on_cluster(two, paths, FEW, "bag"),
            "contentlint --scheduler (2 workers)": command(
                "--scheduler", double.scheduler_address, str(folder)
            ),
            "--shard 1/2": command("--shard", "1/2", str(folder)),
            "--shard 2/2": command("--shard", "2/2", str(folder)),
        }
        times = medians(cases, args.runs)
    times["--shard halves, sum"] = times["--shard 1/2"] + times["--shard 2/2"]
    print(f"{count} generated articles, median of {args.runs} runs (after a warm-up)\n")
    print("| case | seconds | articles/s |\n|---|---:|---:|")
    for name, seconds in times.items():
        print(f"| {name} | {seconds:.2f} | {count / seconds:,.0f} |")
    few = times[f"lint_bag, 1 worker, counted, {FEW} partitions"]
    many = times[f"lint_bag, 1 worker, counted, {MANY} partitions"]
    overhead = max(0.0, (many - few) / (MANY - FEW))
    cost = (few - FEW * overhead) / count
    efficiency = min(1.0, few / (2 * times[f"lint_bag, 2 workers, counted, {FEW} partitions"]))
    print(f"\nper article (1 worker): {cost * 1000:.2f} ms")
    print(f"overhead per partition: {overhead * 1000:.1f} ms")
    print(f"scaling from 1 to 2 workers: {efficiency:.0%} of linear")
    partitions = MILLION // ARTICLES_PER_PARTITION
    for workers in (8, 64):
        estimate = (MILLION * cost + partitions * overhead) / workers
        print(
            f"a million articles on {workers} workers ({partitions} partitions of "
            f"{ARTICLES_PER_PARTITION}): about {estimate:,.0f} s"
        )


if __name__ == "__main__":
    main()
