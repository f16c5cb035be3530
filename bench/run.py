"""Benchmark contentlint against other linters on a generated corpus, side by side.

Generates the corpus deterministically (``bench/corpus.py``), then times, as the median
and the fastest of ``--runs`` runs (hyperfine-like; the first run of each case is a
discarded warm-up, and the cases take turns, a run each per round, so that a slow moment
of a shared machine does not fall on one case; the fastest run is the speed undisturbed):

- cold: every file linted (``--no-cache``), all cores and one core, JSON and text report;
- first run: every file linted and its result written to an empty cache;
- warm: a second run with nothing changed, served from the result cache;
- single file: one article, start-up included: without the cache, served from it, and
  changed since the last run (as pre-commit runs it: the rules are remembered, the result
  is not);

contentlint runs as users run it, installed in a virtual environment of its own
(``bench/.venv``, made by ``--install``: compiled, not editable, without the site
packages and start-up hooks of the Python running the benchmark), else from this checkout;
- markdownlint-cli2, HTMLHint (npm, from ``bench/.tools``; ``--install`` installs them
  there with ``npm install --prefix``) and rumdl (PyPI) on the same corpus, when
  installed; a tool that is missing is skipped and said so.

One-file cases take the median of at least 15 runs. Peak memory is that of the largest
process of a run (``wait4``); ``--memory-files N`` adds a run over N articles (hard links
to the corpus) to show that memory stays flat.

Usage: ``python bench/run.py [--count 2000] [--runs 5] [--install] [--memory-files N]``.
Timings depend on the machine and its load; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402

ROOT = BENCH.parent
TOOLS = BENCH / ".tools"
NPM_TOOLS = ("markdownlint-cli2", "htmlhint")


@dataclass
class Case:
    name: str
    command: list[str]
    files: int
    setup: list[str] | None = None  # run once before timing (e.g. to fill the cache)
    cwd: str | None = None
    touch: Path | None = None  # a file changed (a newline appended) before each run
    clear: str | None = None  # a folder deleted before each run (a first run's cache)


def run_once(case: Case) -> tuple[float, float]:
    if case.clear is not None:
        shutil.rmtree(case.clear, ignore_errors=True)
    if case.touch is not None:
        with open(case.touch, "a", encoding="utf-8") as handle:
            handle.write("\n")
    return timed(case.command, case.cwd)


def timed(command: list[str], cwd: str | None) -> tuple[float, float]:
    """Wall seconds and peak resident memory in MB of the largest process of the run (the
    command or one of its workers: ``wait4`` reports the maximum over the tree)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            errors.seek(0)
            message = errors.read().decode(errors="replace").strip().splitlines()[-1:]
            raise RuntimeError(f"{command[0]} exited with {process.returncode}: {message}")
    return elapsed, usage.ru_maxrss / 1024


def measure(cases: list[Case], runs: dict[str, int]) -> dict[str, tuple[float, float, float] | str]:
    """Each case's median and fastest wall seconds and largest peak memory (or why it
    failed). On a shared machine the fastest run shows the speed undisturbed by others.

    Every case is set up and warmed up first (page cache, .pyc files, remembered rules);
    then come rounds in which each case that still needs runs runs once, so that a slow
    moment of a shared machine falls on all cases alike rather than on one."""
    samples: dict[str, list[tuple[float, float]]] = {}
    failed: dict[str, str] = {}
    for case in cases:
        try:
            if case.setup:
                timed(case.setup, case.cwd)
            run_once(case)
            samples[case.name] = []
        except (OSError, RuntimeError) as error:
            failed[case.name] = str(error)
    for _ in range(max(runs.values(), default=0)):
        for case in cases:
            done = samples.get(case.name)
            if done is None or len(done) >= runs[case.name]:
                continue
            try:
                done.append(run_once(case))
            except (OSError, RuntimeError) as error:
                failed[case.name] = str(error)
                del samples[case.name]
    results: dict[str, tuple[float, float, float] | str] = dict(failed)
    for name, done in samples.items():
        times = [elapsed for elapsed, _ in done]
        results[name] = (statistics.median(times), min(times), max(mb for _, mb in done))
    return results


def linked_corpus(paths: list[Path], count: int) -> Path:
    """A folder of ``count`` articles made of hard links to ``paths`` (no disk space)."""
    folder = Path(tempfile.mkdtemp(prefix="contentlint-bench-links-"))
    for index in range(count):
        os.link(paths[index % len(paths)], folder / f"article-{index:06d}.md")
    return folder


def npm_tool(name: str) -> str | None:
    path = TOOLS / "node_modules" / ".bin" / name
    return str(path) if path.exists() else None


VENV = BENCH / ".venv"  # contentlint installed on its own, as pre-commit installs a hook


def install_venv() -> None:
    """A virtual environment with contentlint installed from this checkout (not editable),
    without the site packages of the Python that runs the benchmark."""
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, str(ROOT)], check=True)


def install_npm_tools() -> None:
    if shutil.which("npm") is None:
        print("npm not found: cannot install markdownlint-cli2 and HTMLHint")
        return
    subprocess.run(["npm", "install", "--prefix", str(TOOLS), *NPM_TOOLS], check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per case (median)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: a temp folder)")
    parser.add_argument("--install", action="store_true", help="npm-install the JS tools")
    parser.add_argument("--skip-tools", action="store_true", help="time contentlint only")
    parser.add_argument(
        "--memory-files",
        type=int,
        default=0,
        help="also run once over this many articles (hard links) and show peak memory",
    )
    args = parser.parse_args()
    if args.install:
        install_npm_tools()
        install_venv()
        time.sleep(3)  # contentlint remembers parsed rules only from files 3 s old

    corpus = args.corpus or Path(tempfile.gettempdir()) / f"contentlint-bench-{args.count}"
    if corpus.exists():
        shutil.rmtree(corpus)
    paths = generate(corpus, args.count)
    size = sum(path.stat().st_size for path in paths)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"corpus: {len(paths)} articles, {size / 1e6:.1f} MB in {corpus}; {cpus} CPUs")
    print(
        f"python: {sys.version.split()[0]}; median and fastest of {args.runs} runs after a"
        " warm-up, cases taking turns\n"
    )

    work = tempfile.mkdtemp(prefix="contentlint-bench-")
    cache = os.path.join(work, "cache")
    first_cache = os.path.join(work, "first-run-cache")
    # contentlint as users run it: installed (compiled, not editable) in bench/.venv when
    # --install made it; else from this checkout with the running Python.
    # (Its console script: ``python -m lint`` would import the checkout's ``lint`` when
    # the current folder is the checkout.)
    venv_python = VENV / "bin" / "python"
    if venv_python.exists():
        python, lint = str(venv_python), [str(VENV / "bin" / "contentlint"), "check"]
    else:
        python, lint = sys.executable, [sys.executable, "-m", "lint", "check"]
    print(f"contentlint run as: {' '.join(lint)}\n")
    target = str(corpus)
    single = str(paths[1])
    changed = Path(work) / "changed.md"
    shutil.copyfile(single, changed)
    count = len(paths)
    cases = [
        Case("python -c pass (interpreter start-up)", [python, "-c", "pass"], 1),
        Case("contentlint, one file, no cache", [*lint, "--no-cache", single], 1),
        Case(
            "contentlint, one changed file (pre-commit)",
            [*lint, "--cache-dir", cache, str(changed)],
            1,
            touch=changed,
        ),
        Case(
            "contentlint, one file, cached",
            [*lint, "--cache-dir", cache, single],
            1,
            setup=[*lint, "--cache-dir", cache, single],
        ),
        Case(
            "contentlint cold, all cores, json",
            [*lint, "--no-cache", "--output-format", "json", target],
            count,
        ),
        Case("contentlint cold, all cores, text", [*lint, "--no-cache", target], count),
        Case(
            "contentlint first run, json (fills the cache)",
            [*lint, "--cache-dir", first_cache, "--output-format", "json", target],
            count,
            clear=first_cache,
        ),
        Case(
            "contentlint cold, 1 core, json",
            [*lint, "--no-cache", "-j", "1", "--output-format", "json", target],
            count,
        ),
        Case(
            "contentlint warm, all cores, json",
            [*lint, "--cache-dir", cache, "--output-format", "json", target],
            count,
            setup=[*lint, "--cache-dir", cache, "--output-format", "json", target],
        ),
        Case(
            "contentlint warm, all cores, text",
            [*lint, "--cache-dir", cache, target],
            count,
            setup=[*lint, "--cache-dir", cache, target],
        ),
    ]
    skipped = []
    if not venv_python.exists():
        skipped.append("contentlint installed in its own venv (bench/.venv; run with --install)")
    if not args.skip_tools:
        markdownlint, htmlhint = npm_tool("markdownlint-cli2"), npm_tool("htmlhint")
        scripts = Path(sysconfig.get_path("scripts")) / "rumdl"  # not a pyenv shim
        rumdl = str(scripts) if scripts.exists() else shutil.which("rumdl")
        if markdownlint:
            cases.append(Case("markdownlint-cli2", [markdownlint, "*.md"], count, cwd=target))
        else:
            skipped.append("markdownlint-cli2 (not in bench/.tools; run with --install)")
        if htmlhint:
            cases.append(Case("HTMLHint", [htmlhint, "*.md"], count, cwd=target))
        else:
            skipped.append("HTMLHint (not in bench/.tools; run with --install)")
        if rumdl:
            cases.append(Case("rumdl", [rumdl, "check", "--no-cache", "."], count, cwd=target))
        else:
            skipped.append("rumdl (not installed: pip install rumdl)")

    links = None
    if args.memory_files:
        links = linked_corpus(paths, args.memory_files)
        cases.append(
            Case(
                f"contentlint cold, {args.memory_files} files, json",
                [*lint, "--no-cache", "--output-format", "json", str(links)],
                args.memory_files,
            )
        )

    # One-file runs are short and noisy: more of them; the memory run is long: once.
    runs = {
        case.name: 1 if case.files > count else max(args.runs, 15) if case.files == 1 else args.runs
        for case in cases
    }
    measured = measure(cases, runs)
    results: dict[str, float] = {}
    fastest: dict[str, float] = {}
    print(f"{'case':44} {'median s':>9} {'min s':>7} {'files/s':>9} {'peak MB':>8}")
    for case in cases:
        outcome = measured[case.name]
        if isinstance(outcome, str):
            print(f"{case.name:44} failed: {outcome}")
            continue
        seconds, least, megabytes = outcome
        results[case.name], fastest[case.name] = seconds, least
        print(
            f"{case.name:44} {seconds:9.3f} {least:7.3f} {case.files / seconds:9.0f}"
            f" {megabytes:8.0f}"
        )
    if links is not None:
        shutil.rmtree(links, ignore_errors=True)
    for name in skipped:
        print(f"skipped: {name}")
    shutil.rmtree(work, ignore_errors=True)

    def ratio(label: str, slow: str, fast: str) -> None:
        if slow in results and fast in results:
            least = fastest[slow] / fastest[fast]
            print(f"{label:60} {results[slow] / results[fast]:6.1f}x  (fastest runs: {least:.1f}x)")

    print("\nratios of medians, and of the fastest runs:")
    cold, warm = "contentlint cold, all cores, json", "contentlint warm, all cores, json"
    ratio("warm vs cold (json)", cold, warm)
    ratio(
        "warm vs cold (text)",
        "contentlint cold, all cores, text",
        "contentlint warm, all cores, text",
    )
    ratio("all cores vs 1 core (cold, json)", "contentlint cold, 1 core, json", cold)
    for tool in ("markdownlint-cli2", "HTMLHint", "rumdl"):
        ratio(f"{tool} time / contentlint cold time (>1: contentlint faster)", tool, cold)
    startup = "python -c pass (interpreter start-up)"
    if startup in results and "contentlint, one file, no cache" in results:
        own = results["contentlint, one file, no cache"] - results[startup]
        print(f"{'one file: contentlint above bare interpreter start-up':60} {own * 1000:6.0f} ms")
    changed_case = "contentlint, one changed file (pre-commit)"
    if startup in results and changed_case in results:
        own = results[changed_case] - results[startup]
        print(f"{'one changed file: above bare interpreter start-up':60} {own * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
