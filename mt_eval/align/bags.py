"""Slotted bags: one row per sentence of each side, one slot per item, and their runs.

Numbers (:mod:`mt_eval.align.numbers`) and lexicon concepts
(:mod:`mt_eval.align.lexicon`) are both held this way: items get slots in the order
they first appear, walking both sides together by relative position, modulo the
bag size, so two items share a slot only when more than that many distinct items
first appear between them; a run of sentences holds the union of its bags.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np


def slotted_bags(
    items: Iterable[tuple[int, int, Hashable, float]], sizes: tuple[int, int], slots: int
) -> tuple[np.ndarray, np.ndarray]:
    """Source and target bags of ``slots`` slots from ``(side, row, item, value)`` entries.

    Args:
        items: Each item found: side (0 source, 1 target), sentence row, the item
            (equal items share a slot), and the value its slot holds.
        sizes: Sentences on each side.
        slots: Slots per bag.
    """
    found = sorted(
        (row / max(sizes[side], 1), side, row, item, value) for side, row, item, value in items
    )
    assigned: dict[Hashable, int] = {}
    bags = (
        np.zeros((sizes[0], slots), dtype=np.float32),
        np.zeros((sizes[1], slots), dtype=np.float32),
    )
    for _, side, row, item, value in found:
        bags[side][row, assigned.setdefault(item, len(assigned) % slots)] = value
    return bags


def run_bags(bags: np.ndarray, span: int) -> np.ndarray:
    """Union bags of every run of ``span`` consecutive sentences (slot-wise maximum)."""
    out = bags[: len(bags) - span + 1].copy()
    for shift in range(1, span):
        np.maximum(out, bags[shift : len(bags) - span + 1 + shift], out=out)
    return out
