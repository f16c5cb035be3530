"""Benchmark this checkout (HEAD) against a baseline commit, side by side, in one run.

``python bench/run.py --baseline REF`` checks out REF and HEAD as git worktrees under
``bench/.work/`` (ignored by git), installs each into a virtual environment of its own
(``pip install .``, not editable), generates the corpus (``bench/corpus.py``, 2,000
seed-like articles by default) and times, for each side, as the median of ``--runs`` runs
(after a warm-up; the sides take turns, a run each per round, so that a slow moment of a
shared machine falls on both):

- cold: every file linted (``--no-cache``), JSON report;
- cold with the baseline's rules: the same, both sides running only the rules the baseline
  bundles (``--select``), so that rules added since do not count in the comparison;
- unchanged re-run: a copy of the corpus after ``--fix --unsafe-fixes`` (a repository in
  its steady state), linted once to fill the cache, then timed, in ``json`` and ``text``;
- one file: one article with start-up, without the cache.

It prints both sides, their ratios and the budgets of issue 12: cold at most 1.10x the
baseline, the unchanged re-run at least 10x faster than the cold run, one file under
100 ms. Timings depend on the machine and its load; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / ".work"
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402


@dataclass
class Side:
    """One commit, installed: where its ``contentlint`` is, and its scratch folder."""

    name: str
    commit: str
    folder: Path

    @property
    def command(self) -> str:
        return str(self.folder / ".venv" / "bin" / "contentlint")


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def install(name: str, ref: str) -> Side:
    """A worktree of ``ref`` under ``bench/.work/name`` with contentlint installed in its
    ``.venv`` (again only if the commit changed)."""
    commit = git("rev-parse", ref)
    folder = WORK / name
    stamp = folder / ".venv" / "installed-commit"
    if stamp.exists() and stamp.read_text().strip() == commit:
        return Side(name, commit, folder)
    if folder.exists():
        git("worktree", "remove", "--force", str(folder))
    git("worktree", "add", "--detach", str(folder), commit)
    subprocess.run([sys.executable, "-m", "venv", str(folder / ".venv")], check=True)
    pip = [str(folder / ".venv" / "bin" / "pip"), "install", "-q", str(folder)]
    subprocess.run(pip, check=True)
    stamp.write_text(commit)
    return Side(name, commit, folder)


def timed(command: list[str]) -> float:
    """Wall seconds of one run; it must exit with 0 or 1."""
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: {done.stderr[-300:]!r}")
    return elapsed


def rule_ids(side: Side) -> list[str]:
    """The ids of the rules ``side`` bundles (its ``rules/`` folder)."""
    return sorted(path.stem for path in (side.folder / "rules").iterdir() if path.suffix == ".yaml")


def cases(side: Side, corpus: Path, shared_rules: list[str]) -> dict[str, list[str]]:
    """The commands timed for ``side``, after preparing the steady-state copy;
    ``shared_rules``: the rules of the case that compares the same rules."""
    steady = side.folder / "steady"
    cache = side.folder / "cache"
    shutil.rmtree(steady, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    shutil.copytree(corpus, steady)
    lint = [side.command, "-q", "--no-respect-gitignore"]  # the corpus is under bench/.work
    subprocess.run(
        [*lint, "--fix", "--unsafe-fixes", "--cache-dir", str(cache), str(steady)],
        stdout=subprocess.DEVNULL,
        check=False,
    )
    one = sorted(corpus.iterdir())[0]
    return {
        "cold (json)": [*lint, "--no-cache", "--output-format", "json", str(corpus)],
        "cold, baseline's rules": [
            *lint,
            "--no-cache",
            "--select",
            ",".join(shared_rules),
            "--output-format",
            "json",
            str(corpus),
        ],
        "unchanged re-run (json)": [
            *lint,
            "--cache-dir",
            str(cache),
            "--output-format",
            "json",
            str(steady),
        ],
        "unchanged re-run (text)": [
            *lint,
            "--cache-dir",
            str(cache),
            "--output-format",
            "text",
            str(steady),
        ],
        "one file, start-up": [*lint, "--no-cache", str(one)],
    }


def measure(sides: list[Side], corpus: Path, runs: int) -> dict[str, dict[str, float]]:
    """The median seconds of each case on each side."""
    shared_rules = rule_ids(sides[0])  # the baseline's
    commands = {side.name: cases(side, corpus, shared_rules) for side in sides}
    for side in sides:  # warm-up: page cache, .pyc files, filled caches
        for command in commands[side.name].values():
            timed(command)
    samples: dict[str, dict[str, list[float]]] = {side.name: {} for side in sides}
    for _ in range(runs):
        for name in commands[sides[0].name]:
            for side in sides:
                samples[side.name].setdefault(name, []).append(timed(commands[side.name][name]))
    return {
        side: {name: statistics.median(times) for name, times in by_case.items()}
        for side, by_case in samples.items()
    }


def report(base: Side, head: Side, results: dict[str, dict[str, float]], count: int) -> None:
    print(f"{count} generated articles; median of the runs; the machine may be shared")
    print(f"baseline {base.commit[:10]}   HEAD {head.commit[:10]}\n")
    print(f"{'case':28} {'baseline':>10} {'HEAD':>10} {'HEAD/base':>10}")
    for name, before in results[base.name].items():
        after = results[head.name][name]
        print(f"{name:28} {before * 1000:8.0f}ms {after * 1000:8.0f}ms {after / before:9.2f}x")
    now = results[head.name]
    cold = now["cold (json)"]
    print("\nbudgets (HEAD):")
    ratio = cold / results[base.name]["cold (json)"]
    print(f"  cold <= 1.10x baseline:        {ratio:.2f}x")
    same = now["cold, baseline's rules"] / results[base.name]["cold, baseline's rules"]
    print(f"  (the same rules on both sides:  {same:.2f}x)")
    for kind in ("json", "text"):
        speedup = cold / now[f"unchanged re-run ({kind})"]
        print(f"  unchanged re-run ({kind}) >= 10x faster than cold: {speedup:.1f}x")
    print(f"  one file < 100 ms:             {now['one file, start-up'] * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", required=True, help="the commit to compare with")
    parser.add_argument("--count", type=int, default=2000, help="articles in the corpus")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each case")
    options = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    base = install("baseline", options.baseline)
    head = install("head", "HEAD")
    corpus = WORK / f"corpus-{options.count}"
    if not corpus.exists():
        generate(corpus, options.count)
    results = measure([base, head], corpus, options.runs)
    report(base, head, results, options.count)


if __name__ == "__main__":
    main()
