"""Detection scaling benchmark: the time each pipeline stage takes on long documents.

Builds one English-Indonesian document of N paragraphs from the NusaX-MT dev
segments (``../shared/bench/en-id/valid.{eng,ind}``, read in place), drawn with
replacement by a seeded generator, and swaps every 50th translation paragraph for
another segment's (so the mistranslation tests have work to do). The whole
pipeline runs once (no COMET, no disk cache, one thread), and the run's own stage
timings are printed: alignment, scoring and flags (every detector, with the
margins, paragraph margins, coverage and next-door tests). Each size runs in this
process one after the other; the embedder memoises texts within a run only.

Usage::

    python benchmarks/detect_scale.py                 # N = 1500 and 4500 paragraphs
    python benchmarks/detect_scale.py --sizes 500
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import logging  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from detect_dev import read_segments  # noqa: E402

from mt_eval.config import PairConfig, RunConfig, RunSettings  # noqa: E402
from mt_eval.pipeline import run  # noqa: E402


def one_size(paragraphs: int, seed: int, work: Path) -> dict[str, float]:
    """Run the pipeline on one document of ``paragraphs`` paragraphs; the stage timings."""
    segments = read_segments()
    rng = random.Random(seed)
    chosen = [rng.randrange(len(segments)) for _ in range(paragraphs)]
    src = [segments[i][0] for i in chosen]
    tgt = [segments[i][1] for i in chosen]
    for k in range(0, paragraphs, 50):
        tgt[k] = segments[rng.randrange(len(segments))][1]
    src_path, tgt_path = work / f"{paragraphs}.en.txt", work / f"{paragraphs}.id.txt"
    src_path.write_text("\n".join(src) + "\n", encoding="utf-8")
    tgt_path.write_text("\n".join(tgt) + "\n", encoding="utf-8")
    settings = RunSettings(embedder="use", threads=1, seed=0, cache_dir="")
    pair = PairConfig("long", src_path, "en", "id", (("mt", tgt_path),))
    started = time.perf_counter()
    result = run(RunConfig((pair,), settings))
    timings = dict(result.metadata["timings_s"])
    timings["wall"] = time.perf_counter() - started
    timings["links"] = len(result.links)
    return timings


def main() -> None:
    """Parse arguments, run each size, print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1500, 4500])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    print(f"{'paragraphs':>10}{'links':>8}{'align s':>9}{'score s':>9}{'flag s':>8}{'wall s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            t = one_size(size, args.seed, Path(tmp))
            print(
                f"{size:>10}{t['links']:>8}{t['long/mt/align']:>9.1f}{t['long/mt/score']:>9.2f}"
                f"{t['long/mt/flag']:>8.1f}{t['wall']:>8.1f}"
            )


if __name__ == "__main__":
    main()
