"""Time and memory of the regression statistics on long deliveries.

Builds a line-aligned delivery of N links from the en-id development data
(``../shared/bench/en-id/valid.ind``, repeated; a second system with every tenth
word dropped), then times, per metric (BLEU, chrF, and a mean metric): the
``systems.csv`` bootstrap interval (1000 resamples), the paired bootstrap (1000)
and approximate randomization (10000 trials) of ``mt-eval compare``. Peak memory
is the process's maximum resident set size after each size.

Usage: ``python benchmarks/regress_scale.py [--links 1000 5000 20000]``
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from mt_eval.metrics import build_metric  # noqa: E402
from mt_eval.model import Segment  # noqa: E402
from mt_eval.regress.resample import bootstrap_ci, paired_ar, paired_bootstrap  # noqa: E402
from mt_eval.regress.statistic import CorpusStatistic, statistic_for  # noqa: E402

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "en-id" / "valid.ind"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args()
    refs_base = DATA.read_text(encoding="utf-8").splitlines()
    print("links  metric      ci_s   bs_s   ar_s   maxrss_MiB")
    for n in args.links:
        refs = (refs_base * (n // len(refs_base) + 1))[:n]
        worse = [" ".join(w for i, w in enumerate(r.split()) if i % 10 != 3) for r in refs]
        for name in ("bleu", "chrf", "mean"):
            if name == "mean":
                stat = CorpusStatistic("similarity")
                rng = np.random.default_rng(0)
                a = stat.matrix(rng.uniform(0.6, 1.0, n).tolist())
                b = stat.matrix((rng.uniform(0.6, 1.0, n) - 0.01).tolist())
            else:
                metric = build_metric(name)
                stat = statistic_for(name, metric)
                a = stat.matrix(metric.segment_statistics([Segment("", r, r) for r in refs]))
                b = stat.matrix(
                    metric.segment_statistics(
                        [Segment("", w, r) for w, r in zip(worse, refs, strict=True)]
                    )
                )
            t0 = time.perf_counter()
            bootstrap_ci(stat, b, 1000, 0)
            t1 = time.perf_counter()
            paired_bootstrap(stat, a, b, 1000, 0)
            t2 = time.perf_counter()
            paired_ar(stat, a, b, 10000, 0)
            t3 = time.perf_counter()
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{n:5d}  {name:10s} {t1 - t0:5.2f}  {t2 - t1:5.2f}  {t3 - t2:5.2f}   {rss:7.0f}")


if __name__ == "__main__":
    main()
