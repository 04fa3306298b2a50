"""Sentence-alignment dev benchmark: Text+Berg (de-fr) and ParIce (en-is) with gold beads.

Reads the data from ``../shared/bench/alignment`` relative to the repository root
(never copies it) and prints strict/lax precision, recall and F1 per set (micro
averaged over the set's documents), wall time with a cold embedder cache ("cold":
embedding plus alignment), the time of a second run on the warm cache ("warm": the
aligner alone, which must return the same links), the aligner's peak Python/numpy
heap in a third run (tracemalloc), and the process's max RSS (embedder included).

Null links (``1-0`` drops, ``0-1`` additions; every one becomes a ``dropped`` or
``added`` flag): precision is the share of predicted null links that are gold null
beads, recall the share of gold null beads predicted (issue I's target: precision
>= 0.8 at recall >= 0.7). ParIce documents are cut into a fixed dev part (the first
two thirds by name) and a validation part (the rest), reported apart; Text+Berg dev
is one document, reported whole.
``--cache-dir`` keeps embeddings on disk between invocations (then "cold" is not).

Usage::

    python benchmarks/align_dev.py --embedder use
    python benchmarks/align_dev.py --embedder e5 --set skip=0.7 --set window=10
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import re  # noqa: E402
import resource  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
from pathlib import Path  # noqa: E402

from mt_eval.align import (  # noqa: E402
    AlignmentCounts,
    align,
    count_hits,
    read_beads,
    score_counts,
)
from mt_eval.align.beads import as_bead  # noqa: E402
from mt_eval.cache import DiskCache  # noqa: E402
from mt_eval.embed import get_embedder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT.parent / "shared" / "bench" / "alignment"
_PARICE_ID = re.compile(r"^\d+\t")


def _lines(path: Path, strip_ids: bool = False) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if strip_ids:
        lines = [_PARICE_ID.sub("", line, count=1) for line in lines]
    return [line.strip() for line in lines]


def load_sets() -> dict[str, list[tuple[str, list[str], list[str], Path]]]:
    """Documents per set: (name, source lines, target lines, gold path)."""
    tb = BENCH / "textberg-dev"
    sets = {
        "textberg-dev": [("dev", _lines(tb / "dev.de"), _lines(tb / "dev.fr"), tb / "dev.defr")]
    }
    pi = BENCH / "parice-dev"
    docs = [
        (
            gold.stem,
            _lines(pi / "eng" / gold.name, strip_ids=True),
            _lines(pi / "isl" / gold.name, strip_ids=True),
            gold,
        )
        for gold in sorted((pi / "gold").glob("*.txt"))
    ]
    cut = round(len(docs) * 2 / 3)
    sets["parice-dev"], sets["parice-valid"] = docs[:cut], docs[cut:]
    return sets


def null_hits(links, gold) -> tuple[int, int, int]:
    """(predicted null links, gold null beads, predicted ones that are gold) of a document."""
    pred = {b for b in map(as_bead, links) if bool(b[0]) != bool(b[1])}
    want = {b for b in map(as_bead, gold) if bool(b[0]) != bool(b[1])}
    return len(pred), len(want), len(pred & want)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def _value(text: str) -> object:
    if text == "None":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="use", help="use | e5 | sbert:NAME (default: use)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="align() option"
    )
    parser.add_argument("--only", help="run only this set (textberg-dev or parice-dev)")
    parser.add_argument(
        "--cache-dir",
        help="on-disk embedding cache to use (default: none, so 'cold' includes all embedding)",
    )
    args = parser.parse_args()
    options = {k: _value(v) for k, v in (item.split("=", 1) for item in args.set)}

    cache = DiskCache(args.cache_dir) if args.cache_dir else None
    embedder = get_embedder(args.embedder, threads=args.threads, cache=cache)
    print(f"embedder: {embedder.signature()}  options: {options or 'defaults'}")
    print(
        f"{'set':<14}{'docs':>5}  {'strict P/R/F1':<20}{'lax P/R/F1':<20}"
        f"{'null P/R (pred/gold)':<26}{'cold s':>8}{'warm s':>8}{'heap MiB':>10}"
    )
    for name, docs in load_sets().items():
        if args.only and name != args.only:
            continue
        counts = AlignmentCounts()
        nulls = [0, 0, 0]
        cold = warm = peak = 0.0
        for _, src, tgt, gold in docs:
            start = time.perf_counter()
            links = align(src, tgt, embedder, **options)
            cold += time.perf_counter() - start
            beads = read_beads(gold)
            counts += count_hits(links, beads)
            nulls = [a + b for a, b in zip(nulls, null_hits(links, beads), strict=True)]
            # Second run: embeddings are memoised, so this times the aligner alone.
            start = time.perf_counter()
            again = align(src, tgt, embedder, **options)
            warm += time.perf_counter() - start
            assert again == links, "aligner is not deterministic"
            # Third run, traced (tracing slows it down): the aligner's peak heap.
            tracemalloc.start()
            align(src, tgt, embedder, **options)
            peak = max(peak, tracemalloc.get_traced_memory()[1] / 2**20)
            tracemalloc.stop()
        s = score_counts(counts)
        strict = f"{s.strict_precision:.3f}/{s.strict_recall:.3f}/{s.strict_f1:.3f}"
        lax = f"{s.lax_precision:.3f}/{s.lax_recall:.3f}/{s.lax_f1:.3f}"
        pred, want, right = nulls
        null = f"{_share(right, pred)}/{_share(right, want)} ({pred}/{want})"
        print(
            f"{name:<14}{len(docs):>5}  {strict:<20}{lax:<20}{null:<26}"
            f"{cold:>8.1f}{warm:>8.2f}{peak:>10.1f}"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process max RSS: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
