"""Generate a deterministic benchmark corpus of seed-like articles.

Each article is built from the seed articles in ``seeds/``: the front matter gets a
varied title and date (some articles lose a field), paragraphs are shuffled and
resampled, stock-keyword spans are wrapped around varied words, and one article in ten
is five times longer; some lose their author or categories, some have an invalid
date. The same arguments always give the same bytes.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = re.compile(r"^<p[ >].*</p>$", re.MULTILINE)
STOCK = (
    '<span id="stock_{code}"><a href="https://finance.sina.com.cn/realstock/company/{code}/'
    'nc.shtml" class="keyword" target="_blank" data-sudaclick="content_marketkeywords_p">'
    '{word}</a></span><span id="quote_{code}"></span>'
)


def _split(seed: str) -> tuple[str, list[str], str]:
    """Front matter + body head, the paragraphs, and the tail after the last paragraph."""
    paragraphs = PARAGRAPH.findall(seed)
    first = seed.index(paragraphs[0])
    last = seed.rindex(paragraphs[-1]) + len(paragraphs[-1])
    return seed[:first], paragraphs, seed[last:]


def make_article(seed: str, index: int, rng: random.Random) -> str:
    head, paragraphs, tail = _split(seed)
    head = re.sub(
        r"title: '[^'\n]*'", f"title: '第{index}号 {rng.choice(paragraphs)[30:50]}'", head, count=1
    )
    day = 1 + index % 28
    head = re.sub(r"date: [^\n]*", f"date: 2021-09-{day:02d} {index % 24:02d}:17:31", head, count=1)
    if index % 17 == 0:
        head = re.sub(r"\nauthor: [^\n]*", "", head, count=1)
    if index % 23 == 0:
        head = re.sub(r"\ncategories:[^\n]*(?:\n[ -][^\n]*)*", "", head, count=1)
    if index % 31 == 0:
        head = re.sub(r"date: [^\n]*", "date: Invalid Date", head, count=1)
    count = len(paragraphs) * (5 if index % 10 == 0 else 1)
    body = [rng.choice(paragraphs) for _ in range(count)]
    for _ in range(rng.randint(0, 3)):
        position = rng.randrange(len(body))
        paragraph = body[position]
        words = re.findall(r"[\u4e00-\u9fff]{2,4}", paragraph)
        if words:
            word = rng.choice(words)
            code = f"sz{rng.randint(0, 399999):06d}"
            body[position] = paragraph.replace(word, STOCK.format(code=code, word=word), 1)
    return head + "\n".join(body) + tail


def generate(target: Path, count: int, seed_value: int = 2021) -> list[Path]:
    seeds = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "seeds").glob("*.md"))]
    rng = random.Random(seed_value)
    target.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = target / f"article-{index:05d}.md"
        path.write_text(make_article(seeds[index % len(seeds)], index, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("target", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    paths = generate(args.target, args.count)
    size = sum(path.stat().st_size for path in paths)
    print(f"{len(paths)} articles, {size / 1e6:.1f} MB, in {args.target}")


if __name__ == "__main__":
    main()
