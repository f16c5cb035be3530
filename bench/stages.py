"""Where the time of a cold run goes: CPU per article of each stage, in one process.

Runs the pipeline's stages over the first ``--count`` articles of the generated corpus
(``bench/corpus.py``), each stage on documents made afresh, and prints, per article,
the best of ``--runs`` timings (garbage collected before each): reading and decoding;
splitting and parsing the front matter; finding Markdown code; tokenizing the HTML;
building the element tree; every rule with its findings (the stages before included, as
the linter runs them; the rules' own cost includes finding links); and rendering the
findings as JSON and as text. ``own`` is a stage's cost above the one before it.

Usage: ``python bench/stages.py [--count 500] [--runs 5] [--corpus DIR]``. The numbers
depend on the machine; the script asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from corpus import generate  # noqa: E402

from lint.document.document import Document  # noqa: E402
from lint.document.markdown import code_regions  # noqa: E402
from lint.document.source import read_source  # noqa: E402
from lint.engine.config import load_config, load_rules_of  # noqa: E402
from lint.engine.findings import FileResult  # noqa: E402
from lint.engine.linter import Linter  # noqa: E402
from lint.reporters.json_array import finding_rows  # noqa: E402
from lint.reporters.text import render_text  # noqa: E402


def best_per_item(work: Callable[[], object], items: int, runs: int) -> float:
    """The fastest of ``runs`` timings of ``work``, in milliseconds per item."""
    timings = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings) / items * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="articles (default 500)")
    parser.add_argument("--runs", type=int, default=5, help="timings per stage (best)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: generated)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="contentlint-stages-") as temporary:
        if options.corpus is not None:
            paths = sorted(options.corpus.glob("*.md"))[: options.count]
        else:
            paths = generate(Path(temporary), options.count)
        measure([str(path) for path in paths], options.runs)


def measure(paths: list[str], runs: int) -> None:
    count = len(paths)
    sources = [read_source(path) for path in paths]

    def each_document(step: Callable[[Document], object]) -> Callable[[], None]:
        def work() -> None:
            for source in sources:
                step(Document(source))

        return work

    # Each stage returns what it made, with what the stages before it made.
    def front_matter(document: Document) -> object:
        return document.front_matter

    def markdown_code(document: Document) -> object:
        return document.front_matter, code_regions(
            document.text, document.body_start, len(document.text)
        )

    def html_tokens(document: Document) -> object:
        return document.front_matter, document.markup  # markup finds the Markdown code first

    def element_tree(document: Document) -> object:
        return html_tokens(document), document.elements

    document_stages: list[tuple[str, Callable[[Document], object]]] = [
        ("front matter", front_matter),
        ("Markdown code", markdown_code),
        ("HTML tokens", html_tokens),
        ("element tree", element_tree),
    ]
    _, every_rule, rules = load_rules_of(load_config(None))
    linter = Linter(rules, every_rule)
    found = [linter.lint(source) for source in sources]
    parts = [
        FileResult(source.path, findings, source.text)
        for source, findings in zip(sources, found, strict=True)
    ]

    rows = [
        (
            "read and decode",
            best_per_item(lambda: [read_source(p) for p in paths], count, runs),
            None,
        )
    ]
    previous = 0.0
    for name, step in document_stages:
        cumulative = best_per_item(each_document(step), count, runs)
        rows.append((name, cumulative - previous, cumulative))
        previous = cumulative
    lint = best_per_item(lambda: [linter.lint(source) for source in sources], count, runs)
    rows.append(("all rules, findings", lint - previous, lint))
    rows.append(
        (
            "render JSON",
            best_per_item(lambda: [finding_rows(p.findings) for p in parts], count, runs),
            None,
        )
    )
    rows.append(
        (
            "render text",
            best_per_item(lambda: [render_text(p, False) for p in parts], count, runs),
            None,
        )
    )

    findings = sum(map(len, found)) / count
    size = sum(len(source.raw) for source in sources) / count / 1024
    print(
        f"{count} articles, {size:.1f} KiB and {findings:.1f} findings each; "
        f"ms per article, best of {runs}"
    )
    print(f"{'stage':24} {'own':>8} {'with those before':>18}")
    for name, own, cumulative in rows:
        print(f"{name:24} {own:8.3f} {'' if cumulative is None else f'{cumulative:.3f}':>18}")


if __name__ == "__main__":
    main()
