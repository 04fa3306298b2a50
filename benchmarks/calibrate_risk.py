"""Calibrate the ``risk`` column on the detection dev benchmark, and check it on validation.

Usage: python benchmarks/calibrate_risk.py [--seeds 0-7] [--write] [--validate 0,1]

Runs :mod:`detect_dev` (``--part dev``) for each seed and counts, per flag kind
and link shape (``1-1``, ``merged``, ``null``), how many raised flags were right
(a reviewer would confirm them: the flag lies on an injected error of a kind it
finds, on a misaligned link, or on the data's own defects). ``--write`` writes the
counts to ``mt_eval/flags/risk_table.py``; :mod:`mt_eval.flags.risk` turns them into
probabilities. ``--validate`` runs the validation part (segments kept aside) for
the given seeds and prints, per kind, the mean predicted risk against the
observed share of right flags, and the Brier score of the flags' risks.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "mt_eval" / "flags" / "risk_table.py"


def _detect_dev():
    spec = importlib.util.spec_from_file_location(
        "detect_dev", ROOT / "benchmarks" / "detect_dev.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["detect_dev"] = module
    spec.loader.exec_module(module)
    return module


def run_part(dd, part: str, seed: int) -> dict:
    """One detect_dev run: its flag records and counts."""
    from mt_eval.config import RunSettings

    settings = RunSettings(embedder="use", threads=1, seed=0, cache_dir="")
    segments = dd.read_segments(dd.DATA, "valid")
    natural = {segments[i][0] for i, text in dd.NATURAL.items() if text in segments[i][1]}
    segments = segments[dd.PARTS[part]]
    docs = dd.build_docs(segments, random.Random(seed), 15, 10, 2)
    with tempfile.TemporaryDirectory() as tmp:
        return dd.evaluate(docs, settings, {}, Path(tmp), natural)


def seeds(text: str) -> list[int]:
    if "-" in text:
        lo, hi = text.split("-")
        return list(range(int(lo), int(hi) + 1))
    return [int(s) for s in text.split(",") if s]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0-7", help="dev seeds (default 0-7)")
    parser.add_argument("--write", action="store_true", help="write mt_eval/flags/risk_table.py")
    parser.add_argument("--validate", default="", help="validation seeds, e.g. 0,1")
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    dd = _detect_dev()
    right: Counter = Counter()
    raised: Counter = Counter()
    missed = unflagged = 0
    for seed in seeds(args.seeds):
        res = run_part(dd, "dev", seed)
        for kind, shape, ok in res["records"]:
            raised[kind, shape] += 1
            right[kind, shape] += ok
        missed += len(res["misses"])
        unflagged += res["unflagged"]
        print(f"dev seed {seed}: {len(res['records'])} flags", file=sys.stderr)
    print(f"{'kind':<17}{'shape':<8}{'right':>6}{'raised':>7}{'share':>7}")
    for key in sorted(raised):
        share = right[key] / raised[key]
        print(f"{key[0]:<17}{key[1]:<8}{right[key]:>6}{raised[key]:>7}{share:>7.3f}")
    print(f"unflagged links: {unflagged}, missed injections: {missed}")
    if args.write:
        counts = {f"{k}|{s}": (right[k, s], raised[k, s]) for k, s in sorted(raised)}
        TABLE.write_text(
            '"""Counts the ``risk`` column is calibrated on (generated; do not edit).\n\n'
            f"Written by ``python benchmarks/calibrate_risk.py --seeds {args.seeds} --write``:\n"
            "per ``kind|shape``, (flags a reviewer would confirm, flags raised) on the\n"
            "detection dev benchmark's dev part; ``UNFLAGGED`` is (missed injections,\n"
            'unflagged links).\n"""\n\n'
            "COUNTS = {\n"
            + "".join(f"    {json.dumps(k)}: {v!r},\n" for k, v in counts.items())
            + f"}}\n\nUNFLAGGED = {(missed, unflagged)!r}\n",
            encoding="utf-8",
        )
        print(f"wrote {TABLE.relative_to(ROOT)}")
    if args.validate:
        from mt_eval.flags.risk import flag_risk

        observed: Counter = Counter()
        total: Counter = Counter()
        predicted: Counter = Counter()
        brier = n = 0
        for seed in seeds(args.validate):
            res = run_part(dd, "validation", seed)
            for kind, shape, ok in res["records"]:
                p = flag_risk(kind, shape)
                total[kind] += 1
                observed[kind] += ok
                predicted[kind] += p
                brier += (p - ok) ** 2
                n += 1
        print(f"\nvalidation seeds {args.validate}: {n} flags, Brier score {brier / n:.4f}")
        print(f"{'kind':<17}{'flags':>6}{'mean risk':>10}{'right':>8}")
        for kind in sorted(total):
            print(
                f"{kind:<17}{total[kind]:>6}{predicted[kind] / total[kind]:>10.3f}"
                f"{observed[kind] / total[kind]:>8.3f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
