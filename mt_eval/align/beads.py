"""Alignment beads: the gold file format and strict/lax scoring.

The format is one bead per line, ``[source ids]:[target ids]``, each side a list
literal of 0-based sentence indices: ``[9, 10]:[9]`` is a 2-1 bead, ``[]:[15]`` a
target sentence with no source (insertion), ``[16]:[]`` a source sentence with no
target (omission).

Scoring follows Sennrich & Volk (2010), as used for Text+Berg:

* Precision is over the predicted beads that are non-empty on at least one side.
  A strict hit is a prediction identical to a gold bead (so a correctly predicted
  omission counts); a lax hit is a strict hit or a prediction that overlaps one
  gold bead on both sides.
* Recall is over the gold beads that are non-empty on both sides, checked against
  the predicted beads that are non-empty on both sides: strict if an identical
  prediction exists, lax if a prediction overlaps it on both sides.
* Counts are added over documents first, then divided (micro average).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Bead = tuple[tuple[int, ...], tuple[int, ...]]
"""A bead as plain data: (source indices, target indices)."""

_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def as_bead(item: Any) -> Bead:
    """Turn a :class:`~mt_eval.model.Link` or a ``(src, tgt)`` pair into a bead.

    Args:
        item: Anything with ``src`` and ``tgt`` attributes, or a pair of index sequences.

    Returns:
        The bead as two tuples of ints.
    """
    if hasattr(item, "src") and hasattr(item, "tgt"):
        src, tgt = item.src, item.tgt
    else:
        src, tgt = item
    return tuple(int(i) for i in src), tuple(int(j) for j in tgt)


def _ids(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def parse_beads(text: str) -> list[Bead]:
    """Parse beads from the gold format; blank lines are skipped.

    Args:
        text: File contents, one ``[i, j]:[k]`` bead per line.

    Returns:
        The beads in file order.

    Raises:
        ValueError: A non-blank line is not a bead (the message gives its 1-based number).
    """
    beads: list[Bead] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            raise ValueError(f"line {number}: not a bead: {line!r}")
        beads.append((_ids(match.group(1)), _ids(match.group(2))))
    return beads


def read_beads(path: str | Path) -> list[Bead]:
    """Read a gold (or predicted) bead file.

    Args:
        path: File in the gold format.

    Returns:
        The beads in file order.
    """
    return parse_beads(Path(path).read_text(encoding="utf-8"))


def format_bead(item: Any) -> str:
    """Format one bead (or :class:`~mt_eval.model.Link`) as ``[i, j]:[k]``."""
    src, tgt = as_bead(item)
    return f"{list(src)}:{list(tgt)}"


def format_beads(items: Iterable[Any]) -> str:
    """Format beads or links, one a line, with a final newline (empty string for none)."""
    return "".join(format_bead(item) + "\n" for item in items)


def write_beads(path: str | Path, items: Iterable[Any]) -> None:
    """Write beads or links to ``path`` in the gold format (UTF-8)."""
    Path(path).write_text(format_beads(items), encoding="utf-8")


@dataclass(frozen=True)
class AlignmentCounts:
    """Hit counts for strict/lax precision and recall; add them over documents.

    Attributes:
        predicted: Predicted beads non-empty on at least one side (precision denominator).
        gold: Gold beads non-empty on both sides (recall denominator).
        strict_precision_hits: Predictions identical to a gold bead.
        lax_precision_hits: Predictions that are strict hits or overlap a gold bead on both sides.
        strict_recall_hits: Gold beads with an identical two-sided prediction.
        lax_recall_hits: Gold beads overlapped on both sides by a two-sided prediction.
    """

    predicted: int = 0
    gold: int = 0
    strict_precision_hits: int = 0
    lax_precision_hits: int = 0
    strict_recall_hits: int = 0
    lax_recall_hits: int = 0

    def __add__(self, other: AlignmentCounts) -> AlignmentCounts:
        return AlignmentCounts(
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.strict_precision_hits + other.strict_precision_hits,
            self.lax_precision_hits + other.lax_precision_hits,
            self.strict_recall_hits + other.strict_recall_hits,
            self.lax_recall_hits + other.lax_recall_hits,
        )


@dataclass(frozen=True)
class AlignmentScore:
    """Strict and lax precision, recall and F1 (each in [0, 1])."""

    strict_precision: float
    strict_recall: float
    strict_f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


class _OverlapIndex:
    """Finds whether some bead of a set overlaps a given bead on both sides."""

    def __init__(self, beads: list[Bead]) -> None:
        self._by_src: dict[int, list[int]] = {}
        self._tgt = [set(b[1]) for b in beads]
        for number, bead in enumerate(beads):
            for i in bead[0]:
                self._by_src.setdefault(i, []).append(number)

    def overlaps(self, bead: Bead) -> bool:
        tgt = set(bead[1])
        return any(self._tgt[number] & tgt for i in bead[0] for number in self._by_src.get(i, ()))


def count_hits(predicted: Iterable[Any], gold: Iterable[Any]) -> AlignmentCounts:
    """Count strict and lax hits of one document's predicted beads against its gold.

    Args:
        predicted: Predicted beads or links.
        gold: Gold beads or links.

    Returns:
        The counts for this document; add counts of several documents before scoring.
    """
    pred = [b for b in map(as_bead, predicted) if b[0] or b[1]]
    gold_all = [b for b in map(as_bead, gold) if b[0] or b[1]]
    gold_set = set(gold_all)
    gold_two = [b for b in gold_all if b[0] and b[1]]
    pred_two = [b for b in pred if b[0] and b[1]]
    pred_two_set = set(pred_two)
    gold_index = _OverlapIndex(gold_two)
    pred_index = _OverlapIndex(pred_two)

    strict_p = sum(b in gold_set for b in pred)
    lax_p = sum(b in gold_set or gold_index.overlaps(b) for b in pred)
    strict_r = sum(g in pred_two_set for g in gold_two)
    lax_r = sum(pred_index.overlaps(g) for g in gold_two)
    return AlignmentCounts(len(pred), len(gold_two), strict_p, lax_p, strict_r, lax_r)


def _ratio(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_counts(counts: AlignmentCounts) -> AlignmentScore:
    """Turn (summed) hit counts into strict and lax precision, recall and F1."""
    sp = _ratio(counts.strict_precision_hits, counts.predicted)
    sr = _ratio(counts.strict_recall_hits, counts.gold)
    lp = _ratio(counts.lax_precision_hits, counts.predicted)
    lr = _ratio(counts.lax_recall_hits, counts.gold)
    return AlignmentScore(sp, sr, _f1(sp, sr), lp, lr, _f1(lp, lr))


def score_alignment(predicted: Iterable[Any], gold: Iterable[Any]) -> AlignmentScore:
    """Score one document's predicted beads against its gold (see the module docstring)."""
    return score_counts(count_hits(predicted, gold))
