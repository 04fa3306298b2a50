"""Cleaning scales linearly: time 1x against 4x inputs of adversarial shapes.

Usage: python benchmarks/clean_scale.py [--size CHARS] [--repeat N]

For each shape (unclosed comments, CDATA sections, scripts, comment openers in
prose, tag-like text, one unclosed comment over many lines), cleans an input of
``--size`` characters and one four times as long, best of ``--repeat`` runs each,
and prints the two times and their ratio: about 4 for linear work, 16 for
quadratic. Exits 1 when a ratio passes 8 (a generous bound on a shared machine).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mt_eval.documents import clean_text  # noqa: E402

SHAPES: dict[str, Callable[[int], str]] = {
    "unclosed comments": lambda n: "<!--x\n" * (n // 6),
    "unclosed CDATA": lambda n: "<![CDATA[x\n" * (n // 11),
    "unclosed scripts": lambda n: "<script>x\n" * (n // 10),
    "openers in prose": lambda n: "a <!-- b <![CDATA[ c\n" * (n // 21),
    "tag-like text": lambda n: "<a b c <d e\n" * (n // 12),
    "one comment, many lines": lambda n: "<!--" + "some words here\n" * (n // 16),
    "closed comments": lambda n: "Keep <!-- drop --> this.\n" * (n // 25),
}
MAX_RATIO = 8.0


def best(text: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        clean_text(text, "en")
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    worst = 0.0
    print(f"{'shape':26s} {'1x s':>8s} {'4x s':>8s} {'ratio':>6s}")
    for name, build in SHAPES.items():
        one = best(build(args.size), args.repeat)
        four = best(build(4 * args.size), args.repeat)
        ratio = four / max(one, 1e-9)
        worst = max(worst, ratio)
        print(f"{name:26s} {one:8.4f} {four:8.4f} {ratio:6.1f}")
    print(f"worst ratio {worst:.1f} (limit {MAX_RATIO})")
    return 0 if worst <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
