"""Repeated sentences within one document.

Sentences are compared after :func:`normalise` (casefold, punctuation, quotes and
symbols removed, spaces collapsed). Sentence ``i`` repeats sentence ``j`` when
``j`` comes earlier in the document, or belongs to the same link, and

* ``equal``: both normalise to the same text (``j`` earlier);
* ``contained``: ``i`` is a whole-word part of ``j`` (a stutter such as a closing
  line that repeats the start of the previous sentence; ``j`` earlier or in the
  same link);
* ``similar``: their character similarity (Indel ratio, ``rapidfuzz.fuzz.ratio``) is
  high (``j`` one of the ``window`` sentences before ``i``, so that a line-aligned test
  set of 20,000 segments costs 20,000 short comparisons, not 200 million).

Equal and contained repeats are looked for in the whole document: equal texts by
their normalised form, contained ones among the sentences holding the rarest word.

Of two equal or similar sentences only the later one repeats the other.

Short sentences never count as repeats, so "Yes." twice is fine.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

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


class _Spaces(dict):
    """A ``str.translate`` table: punctuation, symbols and separators to a space.

    Learnt character by character, so each character's category is looked up once.
    """

    def __missing__(self, code: int) -> int:
        value = 32 if unicodedata.category(chr(code))[0] in "PSZ" else code
        self[code] = value
        return value


_SPACES = _Spaces()


def normalise(text: str) -> str:
    """Casefold, replace punctuation, quotes and symbols by spaces, collapse spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.translate(_SPACES).split())


def _ratio(a: str, b: str) -> float:
    """Indel similarity of two texts (0-1), ``rapidfuzz.fuzz.ratio``.

    Twice their longest common subsequence over their total length.
    """
    return fuzz.ratio(a, b) / 100.0


def find_repeats(
    texts: Sequence[str],
    groups: Sequence[int],
    *,
    min_words: int,
    contained_min_words: int,
    min_ratio: float,
    window: int,
) -> dict[int, Repeat]:
    """Find sentences that repeat earlier (or same-link) sentences.

    Args:
        texts: Sentence texts of one side of a document, in document order.
        groups: Link number of each sentence (``-1`` when in no link); sentences of
            the same link are compared in both directions.
        min_words: Least words of both sentences for ``equal`` and ``similar``.
        contained_min_words: Least words of the repeating sentence for ``contained``.
        min_ratio: Least character similarity for ``similar``.
        window: How many sentences before a sentence are compared for ``similar``.

    Returns:
        The repeats found, keyed by the repeating sentence; each sentence is reported
        once, with the first sentence it repeats (equal before contained before similar).
    """
    norms = [normalise(t) for t in texts]
    sizes = [word_count(n) for n in norms]
    padded = [f" {n} " for n in norms]
    postings: dict[str, list[int]] = {}  # word -> sentences holding it, in order
    for i, n in enumerate(norms):
        for word in set(n.split()):
            postings.setdefault(word, []).append(i)
    first: dict[str, int] = {}
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        if g >= 0:
            members.setdefault(g, []).append(i)
    cutoff = min_ratio * 100.0

    def contained_in(i: int, later: list[int]) -> int | None:
        # every word of sentence i is in a sentence holding it: look only where its
        # rarest word is
        rarest = min(set(norms[i].split()), key=lambda w: len(postings[w]))
        holders = postings[rarest]
        for j in [*(j for j in holders if j < i), *later]:
            if padded[i] in padded[j] and norms[j] != norms[i]:
                return j
        return None

    def first_repeat(i: int, later: list[int]) -> Repeat | None:
        text = norms[i]
        if text in first:
            return Repeat(i, first[text], "equal")
        if sizes[i] >= contained_min_words and (j := contained_in(i, later)) is not None:
            return Repeat(i, j, "contained", _ratio(text, norms[j]))
        earlier = [j for j in range(max(0, i - window), i) if sizes[j] >= min_words]
        if not earlier:
            return None
        scores = process.cdist(
            [text], [norms[j] for j in earlier], scorer=fuzz.ratio, score_cutoff=cutoff
        )[0]
        for j, score in zip(earlier, scores, strict=True):
            if score >= cutoff:
                return Repeat(i, j, "similar", float(score) / 100.0)
        return None

    found: dict[int, Repeat] = {}
    for i, text in enumerate(norms):
        if sizes[i] >= min_words:
            later = [j for j in members.get(groups[i], []) if j > i] if groups[i] >= 0 else []
            if repeat := first_repeat(i, later):
                found[i] = repeat
        first.setdefault(text, i)
    return found
