"""How big the ``html`` report is and how fast a browser opens it.

For each archive: the shared corpus (``../shared/corpus``, every folder) and a generated
archive of ``--count`` seed-like articles (``bench/corpus.py``), it writes the report
with ``contentlint check --output-format html --output-file`` (wall time and peak memory
of the run, as ``bench/run.py`` measures them), then opens the file from disk in
headless Chromium through Playwright ``--runs`` times and prints the median time to the
page's load event (``PerformanceNavigationTiming.loadEventEnd``: the page parsed, its
script run, ready to use) and the number of requests it made.

Usage: ``python bench/html_report.py [--count 15000] [--runs 5] [--chromium PATH]``.
Timings depend on the machine and its load; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "tests"))

from corpus import generate  # noqa: E402
from support import CHROMIUM, CHROMIUM_ARGS  # noqa: E402  (launched as the tests do)


def timed(command: list[str], cwd: str | None) -> tuple[float, float]:
    """Wall seconds and peak resident memory in MB of the largest process of the run (the
    command or one of its workers: ``wait4`` reports the maximum over the tree)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip().splitlines()[-1:]
            raise RuntimeError(f"{command[0]} failed: {message}")
    return elapsed, usage.ru_maxrss / 1024


def open_times(browser: Any, report: Path, runs: int) -> tuple[list[float], int]:
    """Milliseconds to the load event of each opening, and the requests of the last."""
    times = []
    requests: list[str] = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        requests.clear()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.resolve().as_uri(), wait_until="load")
        times.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        page.close()
    return times, len(requests)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=15000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    contentlint = [sys.executable, "-m", "lint"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        archives = []
        if args.corpus.is_dir():
            archives.append(("shared corpus", args.corpus))
        generated = work / "archive"
        generate(generated, args.count)
        archives.append((f"{args.count:,} generated articles", generated))
        print(
            f"{'archive':<28} {'run s':>7} {'peak MB':>8} {'report MB':>10} "
            f"{'load ms (median)':>17} {'min':>7} {'requests':>9}"
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, args=CHROMIUM_ARGS)
            for name, path in archives:
                report = work / f"{path.name}.html"
                command = [
                    *contentlint,
                    "check",
                    "--no-cache",
                    "--output-format",
                    "html",
                    "--output-file",
                    str(report),
                    str(path),
                ]
                elapsed, peak = timed(command, str(ROOT))
                times, requests = open_times(browser, report, args.runs)
                print(
                    f"{name:<28} {elapsed:>7.1f} {peak:>8.0f} "
                    f"{report.stat().st_size / 1e6:>10.2f} {statistics.median(times):>17.0f} "
                    f"{min(times):>7.0f} {requests:>9}"
                )
            browser.close()


if __name__ == "__main__":
    main()
