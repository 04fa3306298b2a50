"""Alignment scaling benchmark: time and peak memory for N and 4N sentences, cache cold.

Builds long document pairs by concatenating the dev documents of
``../shared/bench/alignment`` (Text+Berg de-fr, then the ParIce en-is documents),
read in place, until the source has N sentences; the gold beads are concatenated
the same way, so the long pair is scored too. Later copies of a document get a
copy marker (``"2. "``) in front of every sentence on both sides, so every text is
distinct and must really be embedded (the embedder embeds each distinct text
once). Each size runs in a fresh process with a fresh embedder and no disk cache
("cold": the time includes loading the model and embedding), and reports wall
time, the process's CPU time (the whole process: imports and reading the data
too; on a shared machine wall time grows with the load, CPU time much less), the
part of the wall time spent in the embedder, the texts embedded, strict and lax
F1 against the concatenated gold, and the process's peak RSS.

Usage::

    python benchmarks/align_scale.py                 # N = 1000 and 4N = 4000
    python benchmarks/align_scale.py --sizes 1000 4000 10000
    python benchmarks/align_scale.py --one 4000      # a single size, in this process
"""

from __future__ import annotations

import argparse
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from align_dev import load_sets  # noqa: E402


def build_pair(n_src: int) -> tuple[list[str], list[str], list[tuple[tuple[int, ...], ...]]]:
    """Source and target sentences (about ``n_src`` source ones) and their gold beads."""
    from mt_eval.align import read_beads

    docs = [doc for docs in load_sets().values() for doc in docs]
    src: list[str] = []
    tgt: list[str] = []
    gold: list[tuple[tuple[int, ...], ...]] = []
    copy = 0
    while len(src) < n_src:
        copy += 1
        for _, s, t, gold_path in docs:
            mark = "" if copy == 1 else f"{copy}. "
            beads = read_beads(gold_path)
            # The last document is cut after the gold bead that reaches n_src source sentences.
            keep_src = keep_tgt = 0
            for src_ids, tgt_ids in beads:
                if len(src) + keep_src >= n_src:
                    break
                keep_src = max(keep_src, *(i + 1 for i in src_ids), 0)
                keep_tgt = max(keep_tgt, *(j + 1 for j in tgt_ids), 0)
                gold.append(
                    (tuple(i + len(src) for i in src_ids), tuple(j + len(tgt) for j in tgt_ids))
                )
            if keep_src == len(s):
                keep_tgt = len(t)
            src += [mark + line for line in s[:keep_src]]
            tgt += [mark + line for line in t[:keep_tgt]]
            if len(src) >= n_src:
                break
    return src, tgt, gold


def run_one(n_src: int, embedder_name: str) -> dict[str, float]:
    """Align one long pair in this process; returns the figures."""
    from mt_eval.align import align, count_hits, score_counts
    from mt_eval.embed import get_embedder

    src, tgt, gold = build_pair(n_src)
    start = time.perf_counter()
    embedder = get_embedder(embedder_name, threads=1)
    embed_time = [0.0]
    encode = embedder.encode

    def timed_encode(texts):  # the embedder's share of the wall time
        t = time.perf_counter()
        try:
            return encode(texts)
        finally:
            embed_time[0] += time.perf_counter() - t

    embedder.encode = timed_encode  # type: ignore[method-assign]
    links = align(src, tgt, embedder)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    score = score_counts(count_hits(links, gold))
    return {
        "src": len(src),
        "tgt": len(tgt),
        "wall_s": wall,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "embed_s": embed_time[0],
        "texts_embedded": embedder.computed,
        "strict_f1": score.strict_f1,
        "lax_f1": score.lax_f1,
        "max_rss_mib": usage.ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 4000])
    parser.add_argument("--one", type=int, help="measure one size in this process (JSON out)")
    parser.add_argument("--embedder", default="use")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.embedder)))
        return
    print(f"embedder: {args.embedder}; each size in a fresh process, embedding cache cold")
    print(
        f"{'src x tgt':>13}{'wall s':>9}{'cpu s':>8}{'embed s':>9}{'texts':>8}"
        f"{'strict F1':>11}{'lax F1':>8}{'RSS MiB':>9}"
    )
    results = []
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--embedder", args.embedder],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        results.append(r)
        print(
            f"{r['src']:>6} x {r['tgt']:<5}{r['wall_s']:>9.1f}{r['cpu_s']:>8.1f}"
            f"{r['embed_s']:>9.1f}"
            f"{r['texts_embedded']:>8}{r['strict_f1']:>11.3f}{r['lax_f1']:>8.3f}"
            f"{r['max_rss_mib']:>9.0f}"
        )
    for small, big in zip(results, results[1:], strict=False):
        print(
            f"{big['src']}/{small['src']} sentences ({big['src'] / small['src']:.1f}x longer): "
            f"wall time {big['wall_s'] / small['wall_s']:.2f}x, "
            f"CPU time {big['cpu_s'] / small['cpu_s']:.2f}x"
        )


if __name__ == "__main__":
    main()
