"""``--pair-by content`` on documents whose names say nothing: how many it pairs right.

Usage: python benchmarks/pairing_dev.py [--data DIR] [--rounds N] [--embedder use]

From the 100 NusaX segments of ``--data`` (default ``../shared/bench/en-id``), each
round shuffles the segments with a seeded generator and cuts them into
documents of 2 to 8 segments, no segment in two documents. Of the documents
from segments 0-79 (the **dev** part) and 80-99 (the **validation** part, kept
aside), one English document loses its Indonesian side and one Indonesian
document its English side, so each part has documents that render nothing.
Then :func:`mt_eval.pairing.pair_documents` pairs each part on its own, and the
script counts:

* right matches, wrong matches (a target paired with a source it does not
  render), and missed matches (a true pair left unpaired);
* orphans rightly left unpaired.

Prints the totals per part over ``--rounds`` rounds (default 5).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT.parent / "shared" / "bench" / "en-id"


def documents(rng: random.Random, indices: list[int]) -> list[list[int]]:
    """Cut ``indices`` (shuffled) into runs of 2 to 8."""
    rng.shuffle(indices)
    out, start = [], 0
    while start < len(indices):
        size = rng.randint(2, 8)
        if len(indices) - start - size < 2:
            size = len(indices) - start
        out.append(indices[start : start + size])
        start += size
    return out


def score_part(
    eng: list[str], ind: list[str], docs: list[list[int]], rng: random.Random, embedder
) -> dict[str, int]:
    """Pair one part's documents; count right, wrong and missed decisions."""
    from mt_eval.loading import load_text
    from mt_eval.pairing import pair_documents

    names = [f"d{rng.randrange(10**6):06d}" for _ in docs]
    src_only, tgt_only = 0, 1  # doc 0 loses its target, doc 1 its source
    with tempfile.TemporaryDirectory() as tmp:
        sources, targets, truth = {}, {}, {}
        for n, doc in enumerate(docs):
            skey, tkey = f"s{n:03d}", names[n]
            if n != tgt_only:
                path = Path(tmp) / f"{skey}.en.txt"
                path.write_text("\n\n".join(eng[i] for i in doc) + "\n", encoding="utf-8")
                sources[skey] = load_text(path, "en", False)
            if n != src_only:
                path = Path(tmp) / f"{tkey}.id.txt"
                path.write_text("\n\n".join(ind[i] for i in doc) + "\n", encoding="utf-8")
                targets[tkey] = load_text(path, "id", False)
            if n not in (src_only, tgt_only):
                truth[skey] = tkey
        pairing = pair_documents(sources, targets, embedder, seed=0)
    found = dict(pairing.matches)
    right = sum(found.get(s) == t for s, t in truth.items())
    wrong = sum(truth.get(s) != t for s, t in found.items())
    orphans = sum(
        1
        for d in pairing.decisions
        if d.decision != "paired"
        and (d.source == "s000" if d.decision == "unpaired source" else d.target == names[1])
    )
    return {
        "pairs": len(truth),
        "right": right,
        "wrong": wrong,
        "missed": len(truth) - right,
        "orphans": 2,
        "orphans_unpaired": orphans,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BENCH)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--embedder", default="use")
    args = parser.parse_args()
    from mt_eval.embed import get_embedder

    eng = (args.data / "valid.eng").read_text(encoding="utf-8").splitlines()
    ind = (args.data / "valid.ind").read_text(encoding="utf-8").splitlines()
    embedder = get_embedder(args.embedder, threads=1, cache=None)
    totals = {"dev": {}, "validation": {}}
    for r in range(args.rounds):
        rng = random.Random(r)
        for part, indices in (("dev", list(range(80))), ("validation", list(range(80, 100)))):
            counts = score_part(eng, ind, documents(rng, indices), rng, embedder)
            for key, value in counts.items():
                totals[part][key] = totals[part].get(key, 0) + value
    for part, t in totals.items():
        print(
            f"{part:10s} pairs {t['pairs']:4d}  right {t['right']:4d}  wrong {t['wrong']:3d}  "
            f"missed {t['missed']:3d}  orphans left unpaired {t['orphans_unpaired']}/{t['orphans']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
