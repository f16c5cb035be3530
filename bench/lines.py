"""Count the lines of ``lint/`` for the budgets of issue 12.

``python bench/lines.py`` prints the lines of every module of ``lint/`` (budget: under
8,000 with every feature kept), and of the modules that cache, pool and orchestrate a run
(budget: under 700), each file named with its count. Lines are physical lines, blank lines
and docstrings included, as ``wc -l`` counts them; each total also says how many of its
lines are code (not blank, not a comment, not a docstring). ``--ref REF`` counts a commit
instead of the working tree.
"""

from __future__ import annotations

import argparse
import ast
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


def code_lines(text: str) -> int:
    """The lines of ``text`` that are code: not blank, not only a comment, not in a
    docstring (of a module, class or function)."""
    docstrings: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            first = node.body[0] if node.body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and first.end_lineno is not None
            ):
                docstrings.update(range(first.lineno, first.end_lineno + 1))
    return sum(
        1
        for number, line in enumerate(text.splitlines(), 1)
        if line.strip() and not line.strip().startswith("#") and number not in docstrings
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", help="a commit to count instead of the working tree")
    options = parser.parse_args()
    texts = sources(options.ref)
    counts = {name: len(text.splitlines()) for name, text in texts.items()}
    code = {name: code_lines(text) for name, text in texts.items()}
    print(
        f"lint/ total: {sum(counts.values()):,} lines in {len(counts)} modules, "
        f"{sum(code.values()):,} of them code (budget < 8,000)"
    )
    print("cache + pool + orchestration:")
    for name in ORCHESTRATION:
        print(f"  {name:28} {counts.get(name, 0):5}")
    total = sum(counts.get(name, 0) for name in ORCHESTRATION)
    total_code = sum(code.get(name, 0) for name in ORCHESTRATION)
    print(f"  {'total':28} {total:5}, {total_code} of them code (budget < 700)")


if __name__ == "__main__":
    main()
