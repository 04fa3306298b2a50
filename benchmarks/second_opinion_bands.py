"""Where USE is unsure, does e5 separate? Evidence for and against two second opinions.

Usage: python benchmarks/second_opinion_bands.py [--part dev|validation] [--seeds A-B]

Builds the documents of ``benchmarks/detect_dev.py`` (same seeds, same injections) and
keeps those whose paragraphs still pair one to one (swap, truncate, number,
untranslated and clean documents), so every paragraph's true translation is known
without the aligner. Then, per paragraph pair:

* **Swaps** (``mistranslation_unsure_margin``): the USE margin of each pair over the
  document's unrelated pairs (:func:`mt_eval.flags.margin.document_margins`); for the
  pairs in the unsure band ``(1.5, 3.0]``, the e5 margin
  (:func:`mt_eval.flags.margin.candidate_margins`). Printed: how many true and swapped
  pairs fall in the band, the lowest e5 margins of the true ones, and how many of
  each e5 puts at most 1.5.
* **Cut-offs** (tried, not adopted): pairs of a source of at least 9 words whose
  translation lacks a final stop and is 0.7-0.85 of the document's usual length;
  their head gains (:func:`mt_eval.flags.coverage.head_gains`) under USE and under
  e5. Printed: how many complete and cut translations pass each model, and both.

The swap band was read off ``--part dev --seeds 0-3``; ``--part validation`` is for
checking, not choosing. The cut-off band looked clean on dev (seeds 0-7: e5 passed 3
of 226 complete translations, 20 of 24 cut ones), but the 226 are 8 distinct
segments, and on validation e5 passed 398 of 415 complete ones (3 of 4 distinct
segments): too little evidence, contradicted, so mt-eval has no such rule.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import detect_dev  # noqa: E402

from mt_eval.embed import get_embedder  # noqa: E402
from mt_eval.flags.coverage import head_gains  # noqa: E402
from mt_eval.flags.lengths import _ratio, document_ratio  # noqa: E402
from mt_eval.flags.margin import candidate_margins, document_margins  # noqa: E402

LOW, HIGH = 1.5, 3.0  # mistranslation_max_margin, mistranslation_unsure_margin
HEAD, UNSURE_HEAD, MIN_WORDS = 0.7, 0.85, 9  # omission_head_ratio, ..._unsure_..., min words


def documents(part: str, seeds: range) -> list:
    """The detection benchmark's documents whose paragraphs pair one to one."""
    segments = detect_dev.read_segments()[detect_dev.PARTS[part]]
    out = []
    for seed in seeds:
        for doc in detect_dev.build_docs(segments, random.Random(seed), 15, 10, 2):
            if len(doc.src) == len(doc.tgt):
                out.append(doc)
    return out


def kind_of(doc, i: int) -> str | None:
    """``swap``, ``cut``, ``true`` (no injection on it) or None (another injection)."""
    if doc.truth[i] is None:
        return "swap"
    kinds = [inj.kind for inj in doc.injections if i in inj.tgt_pars]
    return {(): "true", ("truncate",): "cut"}.get(tuple(kinds))


def swaps(docs, use, e5) -> None:
    rows = []
    for doc in docs:
        pairs = list(zip(doc.src, doc.tgt, strict=True))
        first = document_margins(use.encode, pairs)
        band = [i for i, m in enumerate(first) if m is not None and LOW < m <= HIGH]
        second = candidate_margins(e5.encode, pairs, band)
        rows += [(kind_of(doc, i), first[i], second.get(i)) for i in band]
    for kind in ("true", "swap"):
        e5s = sorted(m for k, _, m in rows if k == kind and m is not None)
        low = sum(m <= LOW for m in e5s)
        print(f"  {kind:5s} pairs in the band {len(e5s):4d}; e5 at most {LOW}: {low:3d}", end="")
        print(f"; lowest e5 margins {[round(m, 2) for m in e5s[:5]]}")


def cutoffs(docs, use, e5) -> None:
    rows = []
    for doc in docs:
        pairs = list(zip(doc.src, doc.tgt, strict=True))
        usual = document_ratio(pairs)
        for i, (src, tgt) in enumerate(pairs):
            kind = {"true": "complete", "cut": "cut"}.get(kind_of(doc, i) or "")
            relative = math.exp(_ratio(src, tgt) - usual)
            stops = tgt.rstrip()[-1:] in ".!?"
            if kind and len(src.split()) >= MIN_WORDS and not stops:
                if HEAD < relative <= UNSURE_HEAD:
                    rows.append((kind, src, tgt))
    first = head_gains(use.encode, [(s, t) for _, s, t in rows])
    second = head_gains(e5.encode, [(s, t) for _, s, t in rows])
    for kind in ("complete", "cut"):
        picked = [(u, e) for (k, _, _), u, e in zip(rows, first, second, strict=True) if k == kind]
        print(
            f"  {kind:8s} {len(picked):4d}: USE gain >= 0 {sum(u >= 0 for u, _ in picked):3d}, "
            f"e5 {sum(e >= 0 for _, e in picked):3d}, both "
            f"{sum(u >= 0 and e >= 0 for u, e in picked):3d}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", default="dev", choices=("dev", "validation"))
    parser.add_argument("--seeds", default="0-3", help="A-B, as detect_dev.py --seeds")
    args = parser.parse_args()
    first, _, last = args.seeds.partition("-")
    docs = documents(args.part, range(int(first), int(last or first) + 1))
    use, e5 = get_embedder("use", threads=1), get_embedder("e5", threads=1)
    print(f"part {args.part}, seeds {args.seeds}: {len(docs)} documents paired one to one")
    print(f"swaps: USE margin in ({LOW}, {HIGH}], then e5")
    swaps(docs, use, e5)
    print(f"cut-offs: no final stop, {HEAD}-{UNSURE_HEAD} of the usual length, source >= 9 words")
    cutoffs(docs, use, e5)


if __name__ == "__main__":
    main()
