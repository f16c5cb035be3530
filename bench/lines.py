"""Count the lines of ``lint/`` for the budgets of issue 12.

``python bench/lines.py`` prints the lines of every module of ``lint/`` (budget: under
8,000 with every feature kept), and of the modules that cache, pool and orchestrate a run
(budget: under 700), each file named with its count. Lines are physical lines, blank lines
and docstrings included, as ``wc -l`` counts them. ``--ref REF`` counts a commit instead of
the working tree.
"""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The result cache, its folder, the pool of workers, and the run around them.
ORCHESTRATION = (
    "lint/files/cache.py",
    "lint/files/cachedir.py",
    "lint/files/pool.py",
    "lint/run.py",
    "lint/runner.py",
)


def sources(ref: str | None) -> dict[str, str]:
    """Each ``.py`` file under ``lint/`` and its text, in the working tree or at ``ref``."""
    if ref is None:
        return {
            str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
            for path in sorted((ROOT / "lint").rglob("*.py"))
        }
    listed = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", ref, "lint"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {
        name: subprocess.run(
            ["git", "show", f"{ref}:{name}"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        for name in listed
        if name.endswith(".py")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="a commit to count instead of the working tree")
    options = parser.parse_args()
    counts = {name: len(text.splitlines()) for name, text in sources(options.ref).items()}
    print(f"lint/ total: {sum(counts.values()):,} lines in {len(counts)} modules (budget < 8,000)")
    print("cache + pool + orchestration:")
    for name in ORCHESTRATION:
        print(f"  {name:28} {counts.get(name, 0):5}")
    total = sum(counts.get(name, 0) for name in ORCHESTRATION)
    print(f"  {'total':28} {total:5} (budget < 700)")


if __name__ == "__main__":
    main()
