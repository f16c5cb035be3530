"""Timing contentlint past one process: the command, ``lint.dask`` on a LocalCluster, and
``--shard`` halves, on the generated corpus (``bench/corpus.py``, 2,000 seed-like
articles by default).

``python bench/dask.py [--count 2000] [--runs 3]`` prints the median of ``--runs`` runs
(after a warm-up) of:

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
and on 64 workers: (articles x cost + partitions x overhead) / workers, with the
scaling efficiency measured from 1 to 2 workers applied once more per doubling. The
estimate assumes the articles are already where the workers read them and the
scheduler keeps up; it is a model, not a measurement. Timings depend on the machine and
its load; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import math
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


def median_time(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def cluster_times(paths: list[str], folder: Path, workers: int, runs: int) -> dict[str, float]:
    """Median times on a LocalCluster of ``workers`` workers."""
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster, set_as_default=False) as client,
    ):
        cases = [(f"count, {FEW} partitions", FEW, "count")]
        if workers == 1:
            cases.append((f"count, {MANY} partitions", MANY, "count"))
        else:
            cases.append((f"findings_frame, {FEW} partitions", FEW, "frame"))
            cases.append((f"bag gathered, {FEW} partitions", FEW, "bag"))
        times = {
            name: median_time(on_cluster(client, paths, count, collect), runs)
            for name, count, collect in cases
        }
        if workers > 1:
            scheduler = command("--scheduler", cluster.scheduler_address, str(folder))
            times["contentlint --scheduler"] = median_time(scheduler, runs)
        return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contentlint-dask-bench-") as scratch:
        folder = Path(scratch) / "corpus"
        paths = [str(path) for path in generate(folder, args.count)]
        rows: list[tuple[str, float]] = []
        rows.append(("command (local pool)", median_time(command(str(folder)), args.runs)))
        one = cluster_times(paths, folder, 1, args.runs)
        two = cluster_times(paths, folder, 2, args.runs)
        rows.extend((f"lint_bag, 1 worker, {name}", seconds) for name, seconds in one.items())
        rows.extend((f"lint_bag, 2 workers, {name}", seconds) for name, seconds in two.items())
        halves = [median_time(command("--shard", f"{i}/2", str(folder)), args.runs) for i in (1, 2)]
        rows.append(("--shard 1/2", halves[0]))
        rows.append(("--shard 2/2", halves[1]))
        rows.append(("--shard halves, sum", sum(halves)))
    count = args.count
    print(f"{count} generated articles, median of {args.runs} runs (after a warm-up)\n")
    print("| case | seconds | articles/s |\n|---|---:|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.2f} | {count / seconds:,.0f} |")
    few, many = one[f"count, {FEW} partitions"], one[f"count, {MANY} partitions"]
    overhead = max(0.0, (many - few) / (MANY - FEW))
    cost = (few - FEW * overhead) / count
    efficiency = min(1.0, few / (2 * two[f"count, {FEW} partitions"]))
    print(f"\nper article (1 worker): {cost * 1000:.2f} ms")
    print(f"overhead per partition: {overhead * 1000:.1f} ms")
    print(f"scaling from 1 to 2 workers: {efficiency:.0%} of linear")
    partitions = MILLION // ARTICLES_PER_PARTITION
    for workers in (8, 64):
        ideal = (MILLION * cost + partitions * overhead) / workers
        # Efficiency applied once per doubling of workers past the measured two.
        factor = efficiency ** math.log2(workers)
        print(
            f"a million articles on {workers} workers ({partitions} partitions of "
            f"{ARTICLES_PER_PARTITION}): {ideal:,.0f} s if linear, "
            f"{ideal / factor:,.0f} s at the measured efficiency per doubling"
        )


if __name__ == "__main__":
    main()
