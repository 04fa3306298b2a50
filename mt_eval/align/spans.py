"""Vectors of runs of consecutive sentences, embedded only where the search needs them.

A bead joins a run of sentences on each side and is scored on the embedding of
the joined text. Embedding every run of up to ``k`` sentences costs about
``k (k + 1) / 2`` times as much as embedding the sentences (an encoder's cost
grows with the number of tokens), so a run of two or more sentences starts out
*estimated*: the normalised sum of its sentences' vectors, with an optimistic
similarity bonus :data:`OPTIMISM` in the cost. The aligner searches with the
estimates, embeds the runs its best path actually uses (and their neighbours),
and searches again until the path uses embedded runs only (see
:func:`mt_eval.align.aligner.align`). Because the bonus makes estimates look
better than the embedded texts usually are (calibrated below), a run the search
would pick when embedded is almost never hidden behind a pessimistic estimate.

Calibration on the development gold (``../shared/bench/alignment``, ``use``):
the cosine of a gold many-sentence bead's joined texts exceeds that of its summed
sentence vectors by 0.03 / 0.11 / 0.20 (10th / 50th / 90th percentile) on
Text+Berg and by -0.03 / 0.02 / 0.08 on ParIce.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from mt_eval.align.bags import run_bags
from mt_eval.embed.base import Embedder

OPTIMISM = 0.3
"""Cosine bonus of an estimated run (above the 90th percentile of the calibration above)."""


@dataclass
class Spans:
    """Unit vectors and character counts of one side's runs, keyed by run length then start.

    ``exact[n][k]`` says whether run ``(n, k)`` was embedded; ``bonus[n][k]`` is the
    cosine bonus its estimate gets (0 once embedded). ``numbers[n][k]`` is the run's
    bag of numbers (:mod:`mt_eval.align.numbers`), ``number_counts`` their count;
    ``concepts[n][k]`` its union bag of lexicon concepts (:mod:`mt_eval.align.lexicon`),
    ``concept_mass[k]`` the concept weight of sentence ``k``;
    ``ends[k]`` how sentence ``k`` ends (:mod:`mt_eval.align.punctuation`).
    ``dist`` is set by the aligner through :meth:`set_centre`. Each change to runs'
    vectors or bonuses bumps :attr:`generation`; ``changed[n][k]`` is the generation
    in which run ``(n, k)`` last changed (0: never), so cached costs can be reused.
    """

    vecs: dict[int, np.ndarray]
    chars: dict[int, np.ndarray]
    dist: dict[int, np.ndarray] = field(default_factory=dict)
    bonus: dict[int, np.ndarray] = field(default_factory=dict)
    exact: dict[int, np.ndarray] = field(default_factory=dict)
    numbers: dict[int, np.ndarray] = field(default_factory=dict)
    number_counts: dict[int, np.ndarray] = field(default_factory=dict)
    concepts: dict[int, np.ndarray] = field(default_factory=dict)
    concept_mass: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    sentences: Sequence[str] = ()
    embedder: Embedder | None = None
    centre: np.ndarray | None = None
    generation: int = 0
    changed: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of sentences."""
        return len(self.vecs[1])

    @classmethod
    def embed(
        cls,
        sentences: Sequence[str],
        embedder: Embedder,
        max_span: int,
        optimism: float | None = OPTIMISM,
    ) -> Spans:
        """Embed the sentences and estimate (or, ``optimism=None``, embed) longer runs.

        Args:
            sentences: The side's sentences, in order.
            embedder: Embeds texts; runs are embedded as their space-joined text.
            max_span: Longest run of sentences.
            optimism: Cosine bonus of estimated runs; ``None`` embeds every run now.
        """
        spans = range(1, min(max_span, len(sentences)) + 1)
        vecs = {1: embedder.encode(list(sentences))}
        lengths = np.array([len(s) for s in sentences], dtype=np.float64)
        total_chars = np.concatenate([[0.0], np.cumsum(lengths)])
        total_vecs = np.vstack([np.zeros((1, vecs[1].shape[1])), np.cumsum(vecs[1], axis=0)])
        chars = {1: lengths}
        bonus = {1: np.zeros(len(sentences))}
        exact = {1: np.ones(len(sentences), dtype=bool)}
        for span in spans[1:]:
            summed = total_vecs[span:] - total_vecs[:-span]
            norms = np.maximum(np.linalg.norm(summed, axis=1, keepdims=True), 1e-12)
            vecs[span] = (summed / norms).astype(np.float32)
            chars[span] = total_chars[span:] - total_chars[:-span] + (span - 1)
            bonus[span] = np.full(len(summed), optimism or 0.0)
            exact[span] = np.zeros(len(summed), dtype=bool)
        side = cls(vecs, chars, bonus=bonus, exact=exact, sentences=sentences, embedder=embedder)
        side.changed = {span: np.zeros(len(v), dtype=np.int64) for span, v in vecs.items()}
        if optimism is None:
            side.materialise((span, k) for span in spans[1:] for k in range(len(vecs[span])))
        return side

    def set_numbers(self, bags: np.ndarray) -> None:
        """Set every run's bag of numbers from its sentences' bags (one row each)."""
        self.numbers = {span: run_bags(bags, span) for span in self.vecs}
        self.number_counts = {span: bag.sum(axis=1) for span, bag in self.numbers.items()}

    def set_concepts(self, bags: np.ndarray) -> None:
        """Set every run's union bag of concepts (:mod:`mt_eval.align.lexicon`)."""
        self.concepts = {span: run_bags(bags, span) for span in self.vecs}
        self.concept_mass = np.einsum("ij,ij->i", bags, bags)

    def is_exact(self, span: int, start: int) -> bool:
        """Whether run ``(span, start)`` has its own embedding."""
        return bool(self.exact[span][start])

    def materialise(self, runs: Iterable[tuple[int, int]]) -> int:
        """Embed the given ``(length, start)`` runs that are still estimates.

        Returns:
            How many runs were embedded.
        """
        todo = sorted(
            {
                (span, k)
                for span, k in runs
                if span in self.vecs
                and 0 <= k < len(self.vecs[span])
                and not self.is_exact(span, k)
            }
        )
        if not todo:
            return 0
        assert self.embedder is not None
        texts = [" ".join(self.sentences[k : k + span]) for span, k in todo]
        vectors = self.embedder.encode(texts)
        self.generation += 1
        for (span, k), vec in zip(todo, vectors, strict=True):
            self.vecs[span][k] = vec
            self.bonus[span][k] = 0.0
            self.exact[span][k] = True
            self.changed[span][k] = self.generation
        if self.centre is not None:
            self.set_centre(self.centre)
        return len(todo)

    def drop_bonus(self) -> None:
        """Score the runs that are still estimates without their optimistic bonus."""
        self.generation += 1
        for span, bonus in self.bonus.items():
            self.changed[span][bonus != 0.0] = self.generation
            bonus[:] = 0.0

    def set_centre(self, centre: np.ndarray) -> None:
        """Set :attr:`dist`: each run's cosine distance to ``centre``, the other side's mean.

        The mean of ``1 - cos(x, y_s)`` over the other side's sentences ``y_s`` is
        ``1 - x . mean(y_s)``: Vecalign's normaliser, exact and cheap.
        """
        self.centre = centre
        self.dist = {span: np.maximum(1.0 - v @ centre, 1e-3) for span, v in self.vecs.items()}

    def coarsen(self) -> Spans:
        """Average consecutive pairs of sentence vectors (an odd last one stays single)."""
        vecs, chars = self.vecs[1], self.chars[1]
        pairs = len(vecs) // 2
        merged = vecs[: 2 * pairs : 2] + vecs[1 : 2 * pairs : 2]
        merged_chars = chars[: 2 * pairs : 2] + chars[1 : 2 * pairs : 2] + 1.0
        if len(vecs) % 2:
            merged = np.vstack([merged, vecs[-1:]])
            merged_chars = np.append(merged_chars, chars[-1])
        merged /= np.maximum(np.linalg.norm(merged, axis=1, keepdims=True), 1e-12)
        ones = np.ones(len(merged), dtype=bool)
        return Spans(
            {1: merged},
            {1: merged_chars},
            bonus={1: np.zeros(len(merged))},
            exact={1: ones},
            changed={1: np.zeros(len(merged), dtype=np.int64)},
        )
