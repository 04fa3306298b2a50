"""Detection dev benchmark: injected errors in real English-Indonesian text.

Builds documents from ``../shared/bench/en-id/valid.{eng,ind}`` (100 line-aligned
NusaX-MT segments, read in place, never copied), one segment per paragraph, and
injects known errors into the Indonesian side, two per document, never next to
each other:

* ``drop``: a translated paragraph is removed;
* ``add``: a paragraph translated from a segment outside the document is inserted;
* ``duplicate``: a translated paragraph is repeated right after itself;
* ``untranslated``: a translated paragraph is replaced by its English source;
* ``number``: a number written in digits in the translation is changed;
* ``swap``: a translated paragraph is replaced by the translation of a segment
  outside the document;
* ``truncate``: a translated paragraph of at least 12 words is cut after 35-65 %
  of its words.

Clean documents (no injection) measure false alarms. All documents go through
the whole pipeline (:func:`mt_eval.pipeline.run`: cleaning, sentence splitting,
alignment, metrics, flags). A flag is correct when it lies on a link that
touches an injected paragraph and its kind is expected for that injection:

=============  ===================================================
injection      found by             also correct on it
=============  ===================  ================================================
drop           ``dropped``          ``number_mismatch``, ``entity_mismatch``
add            ``added``            ``mistranslation``, ``number_mismatch``,
                                    ``entity_mismatch``
duplicate      ``duplicate``        ``added``
untranslated   ``untranslated``
number         ``number_mismatch``
swap           ``mistranslation``   ``added``, ``number_mismatch``, ``entity_mismatch``
               or ``dropped``
truncate       ``dropped``          ``mistranslation``, ``number_mismatch``,
                                    ``entity_mismatch``
=============  ===================  ================================================

Two segments of the dev data have a real defect (see :data:`NATURAL`); ``dropped``
and ``added`` flags on them count as correct wherever they appear.

A ``mistranslation``, ``number_mismatch`` or ``entity_mismatch`` flag is also
correct on a link the aligner got wrong (none of its target paragraphs translates
any of its source paragraphs, by the known construction): the row it marks does
pair text that is no translation. Such flags are counted in the "misaligned"
column, so that the strict figure can be read off too.

An injection is found (recall) when a "found by" flag lies on a link touching it
(for ``swap``, on its source side: a link whose source includes the swapped
paragraph, alone or merged with a neighbour; an ``added`` flag on a link holding
only the foreign paragraph's extra sentences is correct but finds nothing, as it
does not say that the source lost its translation); a flag's precision is over
every flag of that kind raised in all documents, clean ones included. Flags on
clean documents are also counted on their own (false alarms, "clean FA").

The whole-run false-alarm count is counted like the held-out check: every
flagged row (link) that touches no injected paragraph, per 50 documents, with
how many of them lie on the data's own defects (:data:`NATURAL`); the rest are
the false-alarm rows; ``-v`` lists them all.

``--part dev`` builds documents from the first 80 segments only, ``--part
validation`` from the last 20, which are kept aside for validation: report both.

``--show-errors`` prints each missed injection with every link touching it and
each flag counted wrong with its link: shape, paragraphs (and which source
paragraph the target ones truly translate), similarity with its robust z-score in
the document, alignment cost, length relative to the document's usual ratio, both
texts and every flag's note (which rule fired); ``--show-flags KIND`` adds the
correct flags of that kind.

Last, the whole segment list is run line-aligned (``--aligned`` input) twice:
with its true translations and with each translation replaced by another
segment's (a fixed derangement), and the ROC AUC of ``similarity`` for true
versus swapped pairs is printed.

Other line-aligned English-Indonesian data of the same kind (a held-out split)
is read with ``--data DIR --split NAME`` (``DIR/NAME.eng``, ``DIR/NAME.ind``).

Usage::

    python benchmarks/detect_dev.py                  # default embedder (use), seed 0
    python benchmarks/detect_dev.py --embedder e5 --docs 20
    python benchmarks/detect_dev.py --set mistranslation_max_z=-3.0
    python benchmarks/detect_dev.py --seed 1 --show-errors   # every miss and wrong flag
"""

from __future__ import annotations

import argparse
import collections
import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import ast  # noqa: E402
import logging  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from mt_eval.config import PairConfig, RunConfig, RunSettings  # noqa: E402
from mt_eval.flags.lengths import document_ratio  # noqa: E402
from mt_eval.flags.risk import shape_class  # noqa: E402
from mt_eval.flags.unrelated import robust_spread  # noqa: E402
from mt_eval.pipeline import load_text, run  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "bench" / "en-id"
TYPES = ("drop", "add", "duplicate", "untranslated", "number", "swap", "truncate")
_LOST = {"number_mismatch", "entity_mismatch"}
EXPECTED = {
    "drop": {"dropped"} | _LOST,
    "add": {"added", "mistranslation"} | _LOST,
    "duplicate": {"duplicate", "added"},
    "untranslated": {"untranslated"},
    "number": {"number_mismatch"},
    "swap": {"mistranslation", "dropped", "added"} | _LOST,
    "truncate": {"dropped", "mistranslation"} | _LOST,
    "natural": {"dropped", "added"},
}
"""Flag kinds that are true of a link touching an injection of each type (a lost or foreign
paragraph also takes its numbers and names with it; an inserted one may be aligned to a source)."""
FOUND_BY = {
    "drop": {"dropped"},
    "add": {"added"},
    "duplicate": {"duplicate"},
    "untranslated": {"untranslated"},
    "number": {"number_mismatch"},
    "swap": {"mistranslation", "dropped"},
    "truncate": {"dropped"},
    "natural": set(),
}
"""Flag kinds that count an injection as found (``swap``: on its source side)."""
MISALIGNED_TRUE = {"mistranslation", "number_mismatch", "entity_mismatch"}
"""Flags that are true of a link the aligner got wrong (no target paragraph of it translates
any of its source paragraphs), wherever the link lies; counted apart as "misaligned"."""
_DIGITS = re.compile(r"\d+")
PARTS = {"all": slice(None), "dev": slice(0, 80), "validation": slice(80, None)}
"""Which segments a run builds from: the last 20 are kept aside as validation."""

NATURAL = {41: "Sop iga -nya recommended", 83: "Pertama kali saya makan di resto ini,"}
"""Defects of the dev data itself, checked by hand (0-based line: Indonesian text with no
English counterpart): line 42's English ends in "..." where the Indonesian has a sentence,
line 84's English lacks the Indonesian first sentence. ``dropped``/``added`` flags on them
are correct; they count for no recall."""


@dataclass
class Injection:
    """One injected error: its type and the paragraphs it touches (0-based)."""

    kind: str
    src_pars: set[int]
    tgt_pars: set[int]
    found: bool = False


@dataclass
class Doc:
    """A built document: its paragraphs and injections."""

    name: str
    src: list[str]
    tgt: list[str]
    injections: list[Injection] = field(default_factory=list)
    truth: list[int | None] = field(default_factory=list)
    """Source paragraph of each target paragraph; ``None`` for one with no source."""

    def __post_init__(self) -> None:
        if not self.truth:
            self.truth = list(range(len(self.tgt)))


def read_segments(data: Path = DATA, split: str = "valid") -> list[tuple[str, str]]:
    """The (English, Indonesian) segments of ``data/split.{eng,ind}``, whitespace-normalised."""
    eng = (data / f"{split}.eng").read_text(encoding="utf-8").splitlines()
    ind = (data / f"{split}.ind").read_text(encoding="utf-8").splitlines()
    if len(eng) != len(ind):
        sys.exit(f"{split}.eng and {split}.ind differ in length ({len(eng)}, {len(ind)} lines)")
    return [(" ".join(e.split()), " ".join(i.split())) for e, i in zip(eng, ind, strict=True)]


def _positions(rng: random.Random, size: int, count: int, allowed: list[int]) -> list[int]:
    """``count`` positions from ``allowed``, no two adjacent."""
    for _ in range(1000):
        picked = sorted(rng.sample(allowed, count))
        if all(b - a > 1 for a, b in zip(picked, picked[1:], strict=False)):
            return picked
    raise RuntimeError("cannot place injections apart; use longer documents")


def _change_number(text: str, rng: random.Random) -> str:
    matches = list(_DIGITS.finditer(text))
    m = rng.choice(matches)
    old = int(m.group())
    new = old + rng.choice([1, 2, 3, 5, 10]) if old < 10 else old * 2 + rng.randint(1, 9)
    return text[: m.start()] + str(new) + text[m.end() :]


def _truncate(text: str, rng: random.Random) -> str:
    words = text.split()
    keep = max(3, round(len(words) * rng.uniform(0.35, 0.65)))
    return " ".join(words[:keep])


def build_docs(
    segments: list[tuple[str, str]], rng: random.Random, docs: int, size: int, per_doc: int
) -> list[Doc]:
    """Clean documents and ``docs`` documents per injection type."""
    every = list(range(len(segments)))
    with_number = [i for i, (_, t) in enumerate(segments) if _DIGITS.search(t)]
    long_enough = [i for i, (_, t) in enumerate(segments) if len(t.split()) >= 12]
    out: list[Doc] = []
    for n in range(docs):
        chosen = rng.sample(every, size)
        out.append(
            Doc(f"clean-{n:02d}", *map(list, zip(*(segments[i] for i in chosen), strict=True)))
        )
    for kind in TYPES:
        for n in range(docs):
            pool = {"number": with_number, "truncate": long_enough}.get(kind, every)
            special = rng.sample(pool, per_doc)
            rest = rng.sample([i for i in every if i not in special], size - per_doc)
            slots = _positions(rng, size, per_doc, list(range(size)))
            chosen = list(rest)
            for slot, seg in zip(slots, special, strict=True):
                chosen.insert(slot, seg)
            outside = [i for i in every if i not in chosen]
            src = [segments[i][0] for i in chosen]
            tgt = [segments[i][1] for i in chosen]
            doc = Doc(f"{kind}-{n:02d}", src, tgt)
            # Apply from the end so that earlier paragraph numbers stay valid.
            truth = doc.truth
            for slot in reversed(slots):
                if kind == "drop":
                    del tgt[slot]
                    del truth[slot]
                elif kind == "add":
                    tgt.insert(slot, segments[rng.choice(outside)][1])
                    truth.insert(slot, None)
                elif kind == "duplicate":
                    tgt.insert(slot + 1, tgt[slot])
                    truth.insert(slot + 1, slot)
                elif kind == "untranslated":
                    tgt[slot] = src[slot]
                elif kind == "number":
                    tgt[slot] = _change_number(tgt[slot], rng)
                elif kind == "swap":
                    tgt[slot] = segments[rng.choice(outside)][1]
                    truth[slot] = None
                elif kind == "truncate":
                    tgt[slot] = _truncate(tgt[slot], rng)
            for before, slot in enumerate(slots):
                # target paragraph numbers after earlier insertions
                if kind == "drop":
                    doc.injections.append(Injection(kind, {slot}, set()))
                elif kind == "add":
                    doc.injections.append(Injection(kind, set(), {slot + before}))
                elif kind == "duplicate":  # the original or the copy may be the odd one out
                    doc.injections.append(
                        Injection(kind, set(), {slot + before, slot + 1 + before})
                    )
                else:
                    doc.injections.append(Injection(kind, {slot}, {slot}))
            out.append(doc)
    return out


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def evaluate(
    docs: list[Doc],
    settings: RunSettings,
    flags: dict,
    work: Path,
    natural_sources: set[str],
    show_flags: frozenset[str] = frozenset(),
) -> dict:
    """Run the pipeline over every document and count hits."""
    pairs, paths = [], {}
    for doc in docs:
        src = _write(work / f"{doc.name}.en.txt", doc.src)
        tgt = _write(work / f"{doc.name}.id.txt", doc.tgt)
        paths[doc.name] = (src, tgt)
        pairs.append(PairConfig(doc.name, src, "en", "id", (("mt", tgt),)))
    started = time.perf_counter()
    result = run(RunConfig(tuple(pairs), settings, flags=flags))
    elapsed = time.perf_counter() - started
    by_doc = {doc.name: doc for doc in docs}
    par_of: dict[str, tuple[list[int], list[int]]] = {}
    for name, (src, tgt) in paths.items():
        par_of[name] = (
            [s.paragraph for s in load_text(src, "en", False).sentences],
            [s.paragraph for s in load_text(tgt, "id", False).sentences],
        )
    raised: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    clean_alarms: Counter[str] = Counter()
    on_misaligned: Counter[str] = Counter()
    clean_links = 0
    outside: list[str] = []  # flagged rows touching no injection (the held-out count)
    records: list[tuple[str, str, bool]] = []  # (flag kind, link shape class, correct)
    unflagged = 0
    outside_natural = 0  # of those, rows on the data's own defects
    misses: list[str] = []
    wrong: list[str] = []
    details: list[str] = []
    around: dict[int, list[str]] = {}  # id(injection) -> descriptions of links touching it
    for doc in docs:  # the dev data's own defects, wherever they landed
        for text in NATURAL.values():
            tgt_pars = {i for i, t in enumerate(doc.tgt) if text in t}
            src_pars = {i for i, t in enumerate(doc.src) if t in natural_sources}
            if tgt_pars:
                doc.injections.append(Injection("natural", src_pars, tgt_pars))
    zscores = _zscores(result.links)
    usual: dict[str, float | None] = {}
    for lr in result.links:
        usual.setdefault(lr.pair, None)
    for name in usual:
        usual[name] = document_ratio(
            [(lr.src_text, lr.tgt_text) for lr in result.links if lr.pair == name]
        )
    for lr in result.links:
        doc = by_doc[lr.pair]
        src_par, tgt_par = par_of[lr.pair]
        sp = {src_par[i] for i in lr.link.src}
        tp = {tgt_par[i] for i in lr.link.tgt}
        touching = [j for j in doc.injections if (j.src_pars & sp) or (j.tgt_pars & tp)]
        clean = all(j.kind == "natural" for j in doc.injections)
        if clean:
            clean_links += 1
        kinds = {f.kind for f in lr.flags}
        true_src = {doc.truth[p] for p in tp} - {None}
        misaligned = bool(sp and tp) and not (true_src & sp)
        described = _describe(lr, sp, tp, doc, zscores.get(id(lr)), usual[lr.pair])
        if lr.flags and not any(j.kind != "natural" for j in touching):
            outside_natural += any(j.kind == "natural" for j in touching)
            kinds_here = ",".join(sorted(kinds))
            outside.append(f"{lr.pair} {lr.link.kind} {kinds_here} | {lr.src_text} | {lr.tgt_text}")
        shape = shape_class(lr.link)
        unflagged += not lr.flags
        for flag in lr.flags:
            raised[flag.kind] += 1
            right = any(flag.kind in EXPECTED[j.kind] for j in touching) or (
                misaligned and flag.kind in MISALIGNED_TRUE
            )
            records.append((flag.kind, shape, right))
            if clean and not touching:
                clean_alarms[flag.kind] += 1
            if any(flag.kind in EXPECTED[j.kind] for j in touching):
                correct[flag.kind] += 1
                if flag.kind in show_flags:
                    what = "/".join(sorted({j.kind for j in touching}))
                    details.append(f"{lr.pair} correct {flag.kind} ({what})\n{described}")
            elif misaligned and flag.kind in MISALIGNED_TRUE:
                correct[flag.kind] += 1
                on_misaligned[flag.kind] += 1
            else:
                wrong.append(f"{lr.pair} {lr.link.kind} {flag.kind}: {flag.note} | {lr.tgt_text}")
                details.append(f"{lr.pair} false {flag.kind}\n{described}")
        for j in touching:
            around.setdefault(id(j), []).append(described)
            hit = kinds & FOUND_BY[j.kind]
            if j.kind == "swap" and not (j.src_pars & sp):
                hit = set()
            if hit:
                j.found = True
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    for doc in docs:
        for j in doc.injections:
            if j.kind == "natural":
                continue
            total[j.kind] += 1
            found[j.kind] += j.found
            if not j.found:
                where = f"{doc.name}: {j.kind} at paragraph {sorted(j.src_pars | j.tgt_pars)}"
                misses.append(where)
                details.append(f"{where} missed\n" + "\n".join(around.get(id(j), [])))
    return dict(
        raised=raised,
        correct=correct,
        total=total,
        found=found,
        clean_alarms=clean_alarms,
        on_misaligned=on_misaligned,
        clean_links=clean_links,
        outside=outside,
        outside_natural=outside_natural,
        records=records,
        unflagged=unflagged,
        misses=misses,
        wrong=wrong,
        details=details,
        seconds=elapsed,
    )


def _zscores(links: list) -> dict[int, float]:
    """Robust z-score of each link's similarity within its document, as the outlier test has it.

    Links with both sides only (:func:`mt_eval.flags.unrelated.robust_spread`).
    """
    by_doc: dict[str, list] = {}
    for lr in links:
        if lr.link.src and lr.link.tgt and lr.scores.get("similarity") is not None:
            by_doc.setdefault(lr.pair, []).append(lr)
    out: dict[int, float] = {}
    for group in by_doc.values():
        median, spread = robust_spread(np.array([lr.scores["similarity"] for lr in group]))
        for lr in group:
            out[id(lr)] = (lr.scores["similarity"] - median) / spread if spread else 0.0
    return out


def _describe(
    lr: object, sp: set[int], tp: set[int], doc: Doc, z: float | None, usual: float | None
) -> str:
    """A link for ``--show-errors``: shape, paragraphs, scores, texts and the flags raised."""
    truth = sorted({doc.truth[p] for p in tp} - {None}) if tp else []
    sim = lr.scores.get("similarity")
    ratio = "-"
    if lr.src_text and lr.tgt_text and usual is not None:
        ratio = (
            f"{math.exp(math.log((len(lr.tgt_text) + 10) / (len(lr.src_text) + 10)) - usual):.2f}"
        )
    lines = [
        f"    link {lr.link.kind} src par {sorted(sp)} tgt par {sorted(tp)} "
        f"(tgt translates src par {truth}) similarity "
        f"{'-' if sim is None else f'{sim:.2f}'} (z {'-' if z is None else f'{z:.1f}'}) "
        f"align cost {lr.link.cost:.2f} relative length {ratio}",
        f"      src: {lr.src_text}",
        f"      tgt: {lr.tgt_text}",
    ]
    lines += [f"      {f.kind}: {f.note}" for f in lr.flags] or ["      (no flags)"]
    return "\n".join(lines)


def aligned_auc(
    segments: list[tuple[str, str]], settings: RunSettings, rng: random.Random, work: Path
) -> float:
    """ROC AUC of ``similarity``: true translations against swapped ones, line-aligned."""
    n = len(segments)
    order = list(range(n))
    while True:
        rng.shuffle(order)
        if all(i != j for i, j in enumerate(order)):
            break
    src = _write(work / "aligned.en.txt", [e for e, _ in segments])
    true = _write(work / "aligned-true.id.txt", [t for _, t in segments])
    swapped = _write(work / "aligned-swapped.id.txt", [segments[j][1] for j in order])
    pair = PairConfig(
        "aligned", src, "en", "id", (("true", true), ("swapped", swapped)), None, True
    )
    result = run(RunConfig((pair,), settings))
    pos = [lr.scores["similarity"] for lr in result.links if lr.system == "true"]
    neg = [lr.scores["similarity"] for lr in result.links if lr.system == "swapped"]
    pairs = [(p, q) for p in pos for q in neg if p is not None and q is not None]
    return sum(1.0 if p > q else 0.5 if p == q else 0.0 for p, q in pairs) / len(pairs)


def _value(text: str) -> object:
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def print_recall(found, total, title: str = "") -> None:
    """The recall table: injections found of those made, per type."""
    print(f"\n{'injected':<14}{'found':>7}{'total':>7}{'recall':>8}{title}")
    for kind in TYPES:
        t, f = total[kind], found[kind]
        print(f"{kind:<14}{f:>7}{t:>7}{f / t if t else float('nan'):>8.3f}")


def many_seeds(args, segments, settings, flags, natural) -> None:
    """Recall per injection type and false-alarm rows over seeds A to B."""
    first, _, last = args.seeds.partition("-")
    seeds = range(int(first), int(last or first) + 1)
    found, total = collections.Counter(), collections.Counter()
    docs_all = rows_all = natural_all = 0
    print(f"part {args.part} ({len(segments)} segments), embedder {args.embedder}")
    print(f"{'seed':>4} {'docs':>5} {'FA rows':>8} {'on defects':>11}  recall below 1")
    for seed in seeds:
        docs = build_docs(segments, random.Random(seed), args.docs, args.size, args.per_doc)
        with tempfile.TemporaryDirectory() as tmp:
            res = evaluate(docs, settings, flags, Path(tmp), natural, frozenset())
        found.update(res["found"])
        total.update(res["total"])
        rows, nat = len(res["outside"]), res["outside_natural"]
        docs_all, rows_all, natural_all = docs_all + len(docs), rows_all + rows, natural_all + nat
        low = ", ".join(
            f"{k} {res['found'][k] / res['total'][k]:.3f}"
            for k in TYPES
            if res["total"][k] and res["found"][k] < res["total"][k]
        )
        print(f"{seed:>4} {len(docs):>5} {rows - nat:>8} {nat:>11}  {low or '-'}")
    print_recall(found, total, f"   (seeds {args.seeds})")
    fa = rows_all - natural_all
    print(
        f"false-alarm rows {fa} in {docs_all} documents = {50 * fa / docs_all:.2f} per 50 "
        f"documents ({natural_all} more rows on the data's own defects)"
    )


def main() -> None:
    """Parse arguments, run the benchmark, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedder", default="use", help="use | e5 | sbert:NAME (default use)")
    parser.add_argument(
        "--data",
        type=Path,
        default=DATA,
        help="folder of line-aligned SPLIT.eng / SPLIT.ind files (default ../shared/bench/en-id)",
    )
    parser.add_argument("--split", default="valid", help="file name stem (default valid)")
    parser.add_argument("--seed", type=int, default=0, help="seed of document building")
    parser.add_argument(
        "--seeds",
        default="",
        metavar="A-B",
        help="run seeds A to B (e.g. 0-7) and print recall and false-alarm rows over all of "
        "them, one line per seed (no ROC AUC, no listings)",
    )
    parser.add_argument(
        "--part",
        choices=sorted(PARTS),
        default="all",
        help="segments to build from: dev (the first 80), validation (the last 20, kept "
        "aside: never looked at while changing flags), or all (default)",
    )
    parser.add_argument("--docs", type=int, default=15, help="documents per injection type")
    parser.add_argument("--size", type=int, default=10, help="segments per document")
    parser.add_argument("--per-doc", type=int, default=2, help="injections per document")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="a [flags] setting"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="list misses and wrong flags")
    parser.add_argument(
        "--show-flags",
        action="append",
        default=[],
        metavar="KIND",
        help="with --show-errors, also each correct flag of this kind with its link",
    )
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="each missed injection with the links touching it, and each wrong flag with its "
        "link: texts, similarity, alignment cost and every flag's note (which rule fired)",
    )
    args = parser.parse_args()
    flags = {k: _value(v) for k, v in (s.split("=", 1) for s in args.set)}
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    settings = RunSettings(embedder=args.embedder, threads=1, seed=0, cache_dir="")
    rng = random.Random(args.seed)
    segments = read_segments(args.data, args.split)
    natural = {  # only where the data is the dev data whose defects were checked
        segments[i][0]
        for i, text in NATURAL.items()
        if i < len(segments) and text in segments[i][1]
    }
    segments = segments[PARTS[args.part]]
    if args.seeds:
        many_seeds(args, segments, settings, flags, natural)
        return
    docs = build_docs(segments, rng, args.docs, args.size, args.per_doc)
    with tempfile.TemporaryDirectory() as tmp:
        res = evaluate(docs, settings, flags, Path(tmp), natural, frozenset(args.show_flags))
        auc = aligned_auc(segments, settings, random.Random(args.seed), Path(tmp))
    print(f"data {args.data / args.split}.{{eng,ind}}: {len(segments)} segments")
    print(f"part {args.part} ({len(segments)} segments)")
    print(f"embedder {args.embedder}, seed {args.seed}, {len(docs)} documents of {args.size}")
    print(f"segments, {args.per_doc} injections each; pipeline {res['seconds']:.1f} s")
    print_recall(res["found"], res["total"])
    print(f"\n{'flag':<17}{'correct':>8}{'raised':>8}{'precision':>10}{'clean FA':>9}", end="")
    print(f"{'misaligned':>11}")
    for kind in sorted(set(res["raised"]) | {k for e in EXPECTED.values() for k in e}):
        r, c = res["raised"][kind], res["correct"][kind]
        prec = f"{c / r:.3f}" if r else "-"
        print(f"{kind:<17}{c:>8}{r:>8}{prec:>10}{res['clean_alarms'][kind]:>9}", end="")
        print(f"{res['on_misaligned'][kind]:>11}")
    alarms = sum(res["clean_alarms"].values())
    print(f"\nclean documents: {alarms} flags on {res['clean_links']} links")
    print(f"aligned similarity ROC AUC, true vs swapped translations: {auc:.3f}")
    rows, natural_rows = len(res["outside"]), res["outside_natural"]
    print(
        f"flagged rows touching no injection: {rows} in {len(docs)} documents, "
        f"{natural_rows} of them on the data's own defects; false-alarm rows "
        f"{rows - natural_rows} = {50 * (rows - natural_rows) / len(docs):.2f} per 50 documents"
    )
    if args.verbose:
        print("\nmissed injections:", *res["misses"], sep="\n  ")
        print("\nwrong flags:", *res["wrong"], sep="\n  ")
        print("\nfalse-alarm rows:", *res["outside"], sep="\n  ")
    if args.show_errors:
        print("\nerrors in detail:", *res["details"], sep="\n")


if __name__ == "__main__":
    main()
