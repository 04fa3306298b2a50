"""Sentence alignment: embeddings-based monotone aligner, gold bead format and scoring.

``align(src, tgt, embedder)`` returns :class:`~mt_eval.model.Link` beads covering
every sentence of both sides once, in order. :mod:`mt_eval.align.beads` reads and
writes the ``[i, j]:[k]`` gold format and computes strict/lax precision, recall and
F1 (Sennrich & Volk 2010).
"""

from __future__ import annotations

from mt_eval.align.aligner import align, bead_shapes
from mt_eval.align.beads import (
    AlignmentCounts,
    AlignmentScore,
    Bead,
    count_hits,
    format_beads,
    parse_beads,
    read_beads,
    score_alignment,
    score_counts,
    write_beads,
)

__all__ = [
    "AlignmentCounts",
    "AlignmentScore",
    "Bead",
    "align",
    "bead_shapes",
    "count_hits",
    "format_beads",
    "parse_beads",
    "read_beads",
    "score_alignment",
    "score_counts",
    "write_beads",
]
