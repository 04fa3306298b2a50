"""Repeated sentences within one document.

Sentences are compared after :func:`normalise` (casefold, punctuation, quotes and
symbols removed, spaces collapsed). Sentence ``i`` repeats sentence ``j`` when
``j`` comes earlier in the document, or belongs to the same link, and

* ``equal``: both normalise to the same text (``j`` earlier);
* ``contained``: ``i`` is a whole-word part of ``j`` (a stutter such as a closing
  line that repeats the start of the previous sentence; ``j`` earlier or in the
  same link);
* ``similar``: their character similarity (``difflib`` ratio) is high (``j`` earlier).

Of two equal or similar sentences only the later one repeats the other.

Short sentences never count as repeats, so "Yes." twice is fine.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mt_eval.flags.language import word_count


@dataclass(frozen=True)
class Repeat:
    """Sentence ``index`` repeats sentence ``of`` (0-based positions).

    Attributes:
        index: The repeating sentence.
        of: The sentence it repeats.
        how: ``equal``, ``contained`` or ``similar``.
        ratio: Character similarity of the two normalised texts (1.0 for ``equal``).
    """

    index: int
    of: int
    how: str
    ratio: float = 1.0


def normalise(text: str) -> str:
    """Casefold, replace punctuation, quotes and symbols by spaces, collapse spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = (" " if unicodedata.category(c)[0] in "PSZ" else c for c in text)
    return " ".join("".join(kept).split())


_BUCKETS = 64


def _char_counts(texts: Sequence[str]) -> np.ndarray:
    """Character counts per text, characters folded into a few buckets by code point."""
    counts = np.zeros((len(texts), _BUCKETS), dtype=np.int32)
    for row, text in enumerate(texts):
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32) % _BUCKETS
        counts[row] = np.bincount(codes, minlength=_BUCKETS)
    return counts


def _ratio_bounds(counts: np.ndarray, i: int, candidates: list[int]) -> np.ndarray:
    """Upper bounds of the difflib ratio of text ``i`` with each candidate.

    Shared characters (bucket counts never undercount them) over total length, as
    ``difflib.SequenceMatcher.quick_ratio`` computes, for many pairs at once.
    """
    other = counts[candidates]
    shared = np.minimum(other, counts[i]).sum(axis=1)
    total = other.sum(axis=1) + counts[i].sum()
    return 2.0 * shared / np.maximum(total, 1)


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def find_repeats(
    texts: Sequence[str],
    groups: Sequence[int],
    *,
    min_words: int,
    contained_min_words: int,
    min_ratio: float,
) -> dict[int, Repeat]:
    """Find sentences that repeat earlier (or same-link) sentences.

    Args:
        texts: Sentence texts of one side of a document, in document order.
        groups: Link number of each sentence (``-1`` when in no link); sentences of
            the same link are compared in both directions.
        min_words: Least words of both sentences for ``equal`` and ``similar``.
        contained_min_words: Least words of the repeating sentence for ``contained``.
        min_ratio: Least character similarity for ``similar``.

    Returns:
        The repeats found, keyed by the repeating sentence; each sentence is reported
        once, with the first sentence it repeats (equal before contained before similar).
    """
    norms = [normalise(t) for t in texts]
    sizes = [word_count(n) for n in norms]
    padded = [f" {n} " for n in norms]
    counts = _char_counts(norms)
    first: dict[str, int] = {}
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        if g >= 0:
            members.setdefault(g, []).append(i)

    def first_repeat(i: int, later: list[int]) -> Repeat | None:
        text = norms[i]
        if text in first:
            return Repeat(i, first[text], "equal")
        if sizes[i] >= contained_min_words:
            for j in [*range(i), *later]:
                if padded[i] in padded[j] and norms[j] != text:
                    return Repeat(i, j, "contained", _ratio(text, norms[j]))
        similar = [j for j in range(i) if sizes[j] >= min_words]
        if not similar:
            return None
        bounds = _ratio_bounds(counts, i, similar)
        for j, bound in zip(similar, bounds, strict=True):
            if bound >= min_ratio and (ratio := _ratio(text, norms[j])) >= min_ratio:
                return Repeat(i, j, "similar", ratio)
        return None

    found: dict[int, Repeat] = {}
    for i, text in enumerate(norms):
        if sizes[i] >= min_words:
            later = [j for j in members.get(groups[i], []) if j > i] if groups[i] >= 0 else []
            if repeat := first_repeat(i, later):
                found[i] = repeat
        first.setdefault(text, i)
    return found
