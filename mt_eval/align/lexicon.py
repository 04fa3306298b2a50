r"""A document-local bilingual lexicon as evidence for a link (Hunalign's idea).

A sentence embedder sees each sentence on its own; it cannot tell that in *this*
document ``Gletscher`` is always ``glacier``. After a first alignment, the words
of its confident links tell. No external dictionary is used.

Keys: lower-cased ``\w+`` words cut to their first :data:`PREFIX` characters, so
inflected forms and many cognates share one (``gletscher``/``gletschern``).

Learning (:meth:`Lexicon.learn`): every confident link counts one co-occurrence
for each source key and each target key in it. A pair's association is the Dice
coefficient ``2 c(u, v) / (c(u) + c(v))`` over those links; pairs seen together
in at least :data:`MIN_COUNT` links are linked one-to-one, best Dice first, down
to :data:`MIN_DICE` (Melamed's competitive linking). A key spelled the same on
both sides of the document (names, numbers, many cognates) is linked to itself
before that. Each linked pair is a *concept* with weight ``log(1 / df)`` nats,
``df`` being the mean share of source and target sentences containing its keys,
so a pair of function words weighs little and a rare name a lot. Counting stays
inside links, never over all sentence pairs: linear in the document length.

Scoring (:func:`lexical_balance`): a concept of a sentence in a link is matched
when its partner key occurs anywhere on the link's other side. A link's balance is
its unmatched concept weight minus its matched weight, both sides and every
sentence counted: negative when the two sides share the document's vocabulary,
positive when they do not, zero when neither side has a concept (and for 1-0 and
0-1 links, which the aligner does not score). The aligner adds ``lexicon_weight``
times the balance to a link's cost. Because each sentence's concepts count once,
merging two links costs the same as keeping them apart unless the merge matches
concepts that were unmatched apart: two sentences translated in crossed order
(a 2-2 link the embeddings cut into two poor 1-1 links) or a sentence whose
translation sits in the neighbouring line.

Concepts are held in bags: one row of :data:`BAG_SIZE` slots per sentence, each
concept in one slot (assigned in document order modulo :data:`BAG_SIZE`, as in
:mod:`mt_eval.align.numbers`, so nearby concepts never share) holding the square
root of its weight. A run's *union* bag is the slot-wise maximum of its sentences'
bags; the matched weight of a sentence is the dot product of its bag with the
union bag of the other side's run.

Measured on the development data (``python benchmarks/align_dev.py``, ``use``,
``--set lexicon_weight=W``): strict F1 on Text+Berg / ParIce is 0.897 / 0.955 with
W = 0 (off), 0.909 / 0.955 at 0.0025, 0.918 / 0.955 at 0.00375 and at the default
0.005, 0.916 / 0.955 at 0.0075, 0.912 / 0.955 at 0.01, 0.913 / 0.927 at 0.015 and
0.866 / 0.902 at 0.025. Of the 32 Text+Berg gold links missed without it, the
default recovers 7 (five many-to-many links translated in swapped order that were
cut into 1-1 links, two 1-1 links) and loses 1. ParIce's documents (25 to 180
sentences) are too short to learn much from, so little changes there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from mt_eval.align.bags import slotted_bags

LEXICON_WEIGHT = 0.005
"""Default cost per nat of concept weight in a link's balance (the aligner's ``lexicon_weight``)."""

PREFIX = 5
"""Characters of a lower-cased word kept as its key."""

MIN_COUNT = 2
"""Least number of confident links in which a pair must co-occur to be linked."""

MIN_DICE = 0.3
"""Least Dice association of a linked pair."""

BAG_SIZE = 1024
"""Slots of a concept bag; concepts take slots in document order, so nearby ones never share."""

_WORD = re.compile(r"\w+")


def sentence_keys(text: str) -> frozenset[str]:
    """The distinct keys of a sentence: its lower-cased words cut to :data:`PREFIX` characters."""
    return frozenset(word[:PREFIX] for word in _WORD.findall(text.lower()))


def _union(bags: Iterable[frozenset[str]]) -> frozenset[str]:
    out: set[str] = set()
    for bag in bags:
        out |= bag
    return frozenset(out)


@dataclass(frozen=True)
class Lexicon:
    """One-to-one source/target key pairs learnt from one document pair.

    Attributes:
        pairs: Target key of each linked source key.
        weights: Weight in nats of each linked source key's concept.
    """

    pairs: dict[str, str]
    weights: dict[str, float]

    @classmethod
    def learn(
        cls,
        src: Sequence[frozenset[str]],
        tgt: Sequence[frozenset[str]],
        links: Iterable[tuple[Sequence[int], Sequence[int]]],
    ) -> Lexicon:
        """Learn the lexicon from the keys of both sides and confident links.

        Args:
            src: Keys of each source sentence (:func:`sentence_keys`).
            tgt: Keys of each target sentence.
            links: Confident links as (source indices, target indices), both non-empty.

        Returns:
            Identical keys linked to themselves, then the best associated pairs.
        """
        sides: tuple[list[frozenset[str]], list[frozenset[str]]] = ([], [])
        for s_ids, t_ids in links:
            sides[0].append(_union(src[k] for k in s_ids))
            sides[1].append(_union(tgt[k] for k in t_ids))
        single = [Counter(key for bag in side for key in bag) for side in sides]
        together: Counter[tuple[str, str]] = Counter()
        for s_bag, t_bag in zip(*sides, strict=True):
            s_keep = [u for u in s_bag if single[0][u] >= MIN_COUNT]
            t_keep = [v for v in t_bag if single[1][v] >= MIN_COUNT]
            together.update((u, v) for u in s_keep for v in t_keep)
        pairs = {key: key for key in _union(src) & _union(tgt)}
        taken = set(pairs)
        ranked = sorted(
            (
                (2.0 * count / (single[0][u] + single[1][v]), count, u, v)
                for (u, v), count in together.items()
                if count >= MIN_COUNT
            ),
            key=lambda item: (-item[0], -item[1], item[2], item[3]),
        )
        for dice, _, u, v in ranked:
            if dice < MIN_DICE:
                break
            if u not in pairs and v not in taken:
                pairs[u] = v
                taken.add(v)
        df_src = Counter(key for keys in src for key in keys)
        df_tgt = Counter(key for keys in tgt for key in keys)
        weights = {
            u: math.log(2.0 / (df_src[u] / max(len(src), 1) + df_tgt[v] / max(len(tgt), 1)))
            for u, v in pairs.items()
        }
        return cls(pairs, weights)


def concept_bags(
    lexicon: Lexicon, src: Sequence[frozenset[str]], tgt: Sequence[frozenset[str]]
) -> tuple[np.ndarray, np.ndarray]:
    """One row of :data:`BAG_SIZE` slots per sentence of each side: its concepts.

    A slot holds the square root of its concept's weight, so the dot product of two
    bags is the weight they share. Concepts get slots in the order they first
    appear, walking both sides together by relative position, modulo :data:`BAG_SIZE`.

    Args:
        lexicon: The document's lexicon.
        src: Keys of each source sentence.
        tgt: Keys of each target sentence.
    """
    back = {v: u for u, v in lexicon.pairs.items()}
    found = []
    for which, (side, own) in enumerate(((src, lexicon.pairs), (tgt, back))):
        for k, keys in enumerate(side):
            for key in keys:
                if key in own:
                    concept = key if which == 0 else own[key]
                    weight = math.sqrt(max(lexicon.weights[concept], 0.0))
                    found.append((which, k, concept, weight))
    return slotted_bags(found, (len(src), len(tgt)), BAG_SIZE)


def lexical_balance(
    src_bags: np.ndarray,
    src_mass: np.ndarray,
    x_union: np.ndarray,
    tgt_bags: np.ndarray,
    tgt_mass: np.ndarray,
    y_unions: np.ndarray,
    span: int,
) -> np.ndarray:
    """Unmatched minus matched concept weight of a source run and consecutive target runs.

    Args:
        src_bags: Bags of the source run's sentences, one per row.
        src_mass: Concept weight of each of those sentences (its bag's squared norm).
        x_union: The source run's union bag.
        tgt_bags: Bags of the target sentences from the first target run's start to
            the last one's end, one per row.
        tgt_mass: Concept weight of each of those sentences.
        y_unions: Union bags of the target runs (``span`` sentences each, starting at
            consecutive sentences), one per row.
        span: Sentences in each target run.

    Returns:
        ``mass - 2 * matched`` per target run: ``mass`` is the concept weight of
        both runs' sentences (each sentence counted), ``matched`` that of the
        concepts whose partner is on the other side.
    """
    x_matched = np.minimum(y_unions @ src_bags.T, src_mass).sum(axis=1)
    y_each = np.minimum(tgt_bags @ x_union, tgt_mass) - 0.5 * tgt_mass
    if span > 1:
        y_each = np.convolve(y_each, np.ones(span), mode="valid")
    return src_mass.sum() - 2.0 * (x_matched + y_each)
