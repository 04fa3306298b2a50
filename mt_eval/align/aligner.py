"""Monotone sentence alignment over sentence embeddings (Vecalign/Bertalign style).

Two dynamic programmes run over the grid of (source prefix, target prefix) points,
each restricted to a band of columns per row:

1. **Anchor pass**: 1-1, 1-0 and 0-1 beads over single-sentence embeddings. Up to
   ``_FULL_CELLS`` grid cells the band is the whole grid; above that both sides are
   coarsened (consecutive sentence vectors averaged in pairs) recursively, the coarse
   path is found first and the finer pass searches ``window`` rows/columns around it.
2. **Bead pass**: every bead shape up to ``max_src``-``max_tgt`` sentences (and
   ``max_total`` in all), scored on embeddings of the joined sentences, searched
   within ``window`` rows/columns of the anchor path. Runs of several sentences
   start as optimistic estimates from their sentences' vectors
   (:mod:`mt_eval.align.spans`); the runs the best path uses are embedded and
   the pass repeats until the path uses embedded runs only, at most
   ``_ROUNDS`` more times (then the estimates left lose their bonus and one last
   search decides). On the dev data this embeds about 1.4 texts per sentence
   (1.8 times the sentences' characters) instead of 4 texts (10 times), at the
   same strict F1 on Text+Berg and 0.005 less on ParIce.

Costs (lower is better; a path's cost is the sum over its beads):

* Linking source span ``x`` (``a`` sentences) to target span ``y`` (``b`` sentences)
  costs ``c(x, y) * (1 + bead_weight * (a + b - 2)) + length_weight * L(x, y) - 1``.
  ``c`` is Vecalign's normalised distance ``(1 - cos(x, y)) / ((d(x) + d(y)) / 2)``,
  ``d(x)`` being the mean cosine distance of ``x`` to the other side's sentences, so
  an unrelated pair has ``c`` near 1 whatever the embedder's similarity range and a
  link scores about zero; the ``- 1`` makes better-than-chance links pay off, which
  keeps consecutive 1-1 beads from being merged into many-to-many beads for free.
  ``L = |log((|y| + 10) / (r |x| + 10))|`` compares character lengths, ``r`` being
  the document's target/source character ratio.
* Leaving a sentence unaligned (1-0 or 0-1) costs ``skip * min(1, chars / median)``,
  ``median`` being the median sentence length of its side: short lines (titles,
  captions, credits, promo lines) barely move the embedding of a joined span, so a
  flat cost would let them ride along in a neighbour's bead instead of standing alone.
  A sentence that goes on (ends in ``:``, ``;``, ``,`` or a dash, see
  :mod:`mt_eval.align.punctuation`) is no such line but the first part of a longer
  sentence, so its discount stops at ``continued_skip * skip``.
* Unless ``lexicon_weight`` is 0, the bead pass runs twice: the first path's 1-1 links
  costing less than 0 teach a document-local lexicon (:mod:`mt_eval.align.lexicon`),
  and the second pass adds ``lexicon_weight`` times each link's lexical balance
  (unmatched minus matched concept weight, in nats) to its cost.

Complexity for ``n`` source and ``m`` target sentences, spans of up to ``k``
sentences, ``B`` bead shapes, embedding size ``d`` and window ``w``: at most
``k (n + m)`` texts are embedded, in practice a small multiple of ``n + m`` (the
dominant cost with a neural embedder); the anchor pass takes
``O(n m d)`` time up to ``_FULL_CELLS`` cells and ``O((n + m) w d log(n + m))``
beyond; the bead pass ``O((n + m) w B d)`` per round. Memory is ``O(k (n + m) d)`` for the
vectors, ``O(k (n + m))`` concept bags of :data:`~mt_eval.align.lexicon.BAG_SIZE` slots,
plus the DP band: at most ``_FULL_CELLS`` cells, else ``O((n + m) w)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from mt_eval.align.lexicon import (
    LEXICON_WEIGHT,
    Lexicon,
    concept_bags,
    lexical_balance,
    sentence_keys,
)
from mt_eval.align.numbers import dice_distance, sentence_bags
from mt_eval.align.punctuation import GOES_ON, end_classes, end_mismatch
from mt_eval.align.refine import LENGTH_SMOOTHING, Step, attach_orphans, split_riders
from mt_eval.align.spans import OPTIMISM, Spans
from mt_eval.embed.base import Embedder
from mt_eval.errors import ConfigError
from mt_eval.model import Link

_FULL_CELLS = 1_000_000
"""Largest grid (cells) the anchor pass searches in full; larger inputs are coarsened first."""

_ANCHOR_BEADS = ((1, 1), (1, 0), (0, 1))

_REACH = 0
"""Runs starting up to this many sentences around a used estimated run are embedded with it.

1 instead of 0 embeds 60 % more text on the dev data for no strict F1 on Text+Berg
and +0.005 on ParIce."""

_ROUNDS = 3
"""Searches after the first that may embed more runs; then estimates lose their bonus."""

_CONFIDENT = 0.0
"""Links of the first bead pass that teach the lexicon: 1-1 links costing less than this."""

Shape = tuple[int, int]
CostFn = Callable[[int, int, int, int, int], np.ndarray]


_INF = float("inf")

_RANGES: dict[str, tuple[type, float, float, bool]] = {
    # name: (int or float, least, most, None allowed)
    "max_src": (int, 1, _INF, False),
    "max_tgt": (int, 1, _INF, False),
    "max_total": (int, 2, _INF, False),
    "skip": (float, 0.0, _INF, False),
    "bead_weight": (float, 0.0, _INF, False),
    "length_weight": (float, 0.0, _INF, False),
    "number_weight": (float, 0.0, _INF, False),
    "punctuation_weight": (float, 0.0, _INF, False),
    "continued_skip": (float, 0.0, 1.0, False),
    "lexicon_weight": (float, 0.0, _INF, False),
    "window": (int, 1, _INF, False),
    "samples": (int, 1, _INF, True),
    "split_tolerance": (float, 0.0, 2.0, False),
    "split_gain": (float, 0.0, _INF, True),
    "split_similarity": (float, 0.0, 2.0, False),
    "optimism": (float, 0.0, 2.0, True),
    "attach_gain": (float, -2.0, 2.0, True),
    "seed": (int, 0, _INF, False),
}
"""Type and allowed range of each setting of :func:`align` (cosine-scale ones up to 2)."""


def check_settings(**settings: object) -> None:
    """Check settings of :func:`align` (the ``[align]`` table) for type and range.

    Args:
        **settings: Keyword arguments of :func:`align`, by name.

    Raises:
        ConfigError: One line naming the first bad setting and its allowed range,
            e.g. ``"align setting window must be an integer >= 1, got -3"``.
    """
    for name, value in settings.items():
        kind, low, high, optional = _RANGES[name]
        if value is None and optional:
            continue
        if kind is int:
            ok = isinstance(value, int) and not isinstance(value, bool)
            what = "an integer"
        else:
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            ok = ok and value == value and abs(value) != _INF  # type: ignore[operator]
            what = "a finite number"
        ok = ok and low <= value <= high  # type: ignore[operator]
        if not ok:
            bounds = f">= {low}" if high == _INF else f"within {low}..{high}"
            absent = " (or left out)" if optional else ""
            raise ConfigError(
                f"align setting {name} must be {what} {bounds}{absent}, got {value!r}"
            )


def bead_shapes(max_src: int = 5, max_tgt: int = 5, max_total: int = 6) -> tuple[Shape, ...]:
    """The bead shapes the aligner considers: 1-1, 1-0, 0-1, then many-to-many ones.

    Args:
        max_src: Most source sentences in one bead.
        max_tgt: Most target sentences in one bead.
        max_total: Most sentences, source plus target, in one bead.

    Returns:
        ``(n_src, n_tgt)`` pairs; 1-1, 1-0 and 0-1 are always included.
    """
    many = sorted(
        (a, b)
        for a in range(1, max_src + 1)
        for b in range(1, max_tgt + 1)
        if 2 < a + b <= max_total
    )
    return (*_ANCHOR_BEADS, *many)


@dataclass(frozen=True)
class _Weights:
    """The tunable settings of :func:`align`, passed around together."""

    skip: float
    bead_weight: float
    length_weight: float
    samples: int | None
    window: int
    number_weight: float
    punctuation_weight: float
    continued_skip: float


def _set_distances(xs: Spans, ys: Spans, weights: _Weights, rng: np.random.Generator) -> None:
    """Store, for every span of each side, its mean cosine distance to the other side's sentences.

    Using all of them (``samples=None``) is exact and costs no more than a sample
    (see :meth:`Spans.set_centre`).
    """
    centres = []
    for other in (ys, xs):
        pool = other.vecs[1]
        if weights.samples is not None and weights.samples < len(pool):
            pool = pool[np.sort(rng.choice(len(pool), size=weights.samples, replace=False))]
        centres.append(pool.mean(axis=0))
    xs.set_centre(centres[0])
    ys.set_centre(centres[1])


def _ratio(xs: Spans, ys: Spans) -> float:
    """The document's target/source character ratio."""
    return float(ys.chars[1].sum() / max(xs.chars[1].sum(), 1.0))


def _cost_fn(xs: Spans, ys: Spans, weights: _Weights) -> CostFn:
    """Costs of ``a``-``b`` beads ending at grid row ``i`` and columns ``j0..j1``.

    Results are memoised: a repeated search recomputes only the costs of runs
    embedded (or rescored) since, which :attr:`Spans.changed` records.
    """
    ratio = _ratio(xs, ys)
    memo: dict[tuple[int, int, int, int, int], tuple[int, int, np.ndarray]] = {}

    def cost(a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        cols = slice(j0 - b, j1 - b + 1)
        key = (a, b, i, j0, j1)
        hit = memo.get(key)
        if hit is not None:
            seen_x, seen_y, value = hit
            if (seen_x == xs.generation or xs.changed[a][i - a] <= seen_x) and (
                seen_y == ys.generation or ys.changed[b][cols].max() <= seen_y
            ):
                return value
        memo[key] = (xs.generation, ys.generation, out := _bead_costs(a, b, i, cols))
        return out

    def _bead_costs(a: int, b: int, i: int, cols: slice) -> np.ndarray:
        norm = 0.5 * (xs.dist[a][i - a] + ys.dist[b][cols])
        bonus = np.maximum(xs.bonus[a][i - a], ys.bonus[b][cols])
        scaled = (1.0 - ys.vecs[b][cols] @ xs.vecs[a][i - a] - bonus) / norm
        lengths = np.log(
            (ys.chars[b][cols] + LENGTH_SMOOTHING) / (ratio * xs.chars[a][i - a] + LENGTH_SMOOTHING)
        )
        shape = 1.0 + weights.bead_weight * (a + b - 2)
        out = scaled * shape + weights.length_weight * np.abs(lengths) - 1.0
        if weights.punctuation_weight and len(xs.ends) and len(ys.ends):
            # The link's last sentences: source i - 1, target j - 1 for j in the columns.
            out += weights.punctuation_weight * end_mismatch(
                int(xs.ends[i - 1]), ys.ends[cols.start + b - 1 : cols.stop + b - 1]
            )
        if weights.number_weight and xs.numbers and ys.numbers:
            out += weights.number_weight * dice_distance(
                xs.numbers[a][i - a],
                xs.number_counts[a][i - a],
                ys.numbers[b][cols],
                ys.number_counts[b][cols],
            )
        return out

    return cost


def _with_lexicon(base: CostFn, xs: Spans, ys: Spans, weight: float) -> CostFn:
    """``base`` plus ``weight`` times the links' lexical balance (memoised: it never changes)."""
    memo: dict[tuple[int, int, int, int, int], np.ndarray] = {}

    def cost(a: int, b: int, i: int, j0: int, j1: int) -> np.ndarray:
        key = (a, b, i, j0, j1)
        lexical = memo.get(key)
        if lexical is None:
            start, stop = j0 - b, j1
            lexical = memo[key] = weight * lexical_balance(
                xs.concepts[1][i - a : i],
                xs.concept_mass[i - a : i],
                xs.concepts[a][i - a],
                ys.concepts[1][start:stop],
                ys.concept_mass[start:stop],
                ys.concepts[b][start : stop - b + 1],
                b,
            )
        return base(a, b, i, j0, j1) + lexical

    return cost


def _skip_costs(side: Spans, weights: _Weights) -> np.ndarray:
    """Cost of leaving each sentence of a side unaligned (see the module docstring)."""
    chars = side.chars[1]
    share = np.minimum(chars / max(float(np.median(chars)), 1.0), 1.0)
    if len(side.ends) == len(share):  # the coarsened sides of the anchor pass have no ends
        share = np.where(side.ends == GOES_ON, np.maximum(share, weights.continued_skip), share)
    return weights.skip * share


def _banded_dp(
    lo: np.ndarray,
    hi: np.ndarray,
    shapes: Sequence[Shape],
    cost: CostFn,
    skip_src: np.ndarray,
    skip_tgt: np.ndarray,
) -> list[Step]:
    """Cheapest monotone bead path from grid point (0, 0) to (n, m) within a band.

    Row ``i`` (``i`` source sentences consumed) may use columns ``lo[i]..hi[i]``. Both
    bounds are non-decreasing, ``lo[0] == 0``, ``hi[n] == m`` and ``lo[i + 1] <= hi[i]``,
    so 1-0 and 0-1 beads always connect the corners. 0-1 beads, which stay in a row,
    are resolved with a running minimum instead of a loop over columns.

    Returns:
        The path's beads in order.
    """
    n, m = len(lo) - 1, int(hi[-1])
    insert = shapes.index((0, 1))
    inserted_before = np.concatenate([[0.0], np.cumsum(skip_tgt)])
    total: list[np.ndarray] = []
    choice: list[np.ndarray] = []
    for i in range(n + 1):
        low, high = int(lo[i]), int(hi[i])
        best = np.full(high - low + 1, np.inf)
        arg = np.full(high - low + 1, insert, dtype=np.int16)
        if i == 0:
            best[0] = 0.0
        for k, (a, b) in enumerate(shapes):
            if a == 0 or a > i:
                continue
            p_low, p_high = int(lo[i - a]), int(hi[i - a])
            j0, j1 = max(low, p_low + b), min(high, p_high + b)
            if j0 > j1:
                continue
            step = skip_src[i - 1] if b == 0 else cost(a, b, i, j0, j1)
            cand = total[i - a][j0 - b - p_low : j1 - b - p_low + 1] + step
            cells = slice(j0 - low, j1 - low + 1)
            better = cand < best[cells]
            best[cells] = np.where(better, cand, best[cells])
            arg[cells] = np.where(better, k, arg[cells])
        offsets = inserted_before[low : high + 1]
        chained = np.minimum.accumulate(best - offsets) + offsets
        inserted = chained < best - 1e-12
        best = np.where(inserted, chained, best)
        arg[inserted] = insert
        total.append(best)
        choice.append(arg)

    path: list[Step] = []
    i, j = n, m
    while i > 0 or j > 0:
        a, b = shapes[int(choice[i][j - lo[i]])]
        step = total[i][j - lo[i]] - total[i - a][j - b - lo[i - a]]
        path.append((a, b, i, j, float(step)))
        i, j = i - a, j - b
    return path[::-1]


def _band(
    points: Sequence[tuple[int, int]], n: int, m: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    """Columns each grid row may use: ``width`` rows/columns around monotone points.

    Between consecutive points the band spans their whole rectangle, so sparse
    anchors (a coarse path scaled up) work as well as a dense path.
    """
    low_at = np.zeros(n + 1, dtype=np.int64)
    high_at = np.full(n + 1, m, dtype=np.int64)
    for r, c in points:
        low_at[r] = max(low_at[r], c)
        high_at[r] = min(high_at[r], c)
    lower = np.maximum.accumulate(low_at)
    upper = np.minimum.accumulate(high_at[::-1])[::-1]
    rows = np.arange(n + 1)
    lo = np.maximum(lower[np.maximum(rows - width, 0)] - width, 0)
    hi = np.minimum(upper[np.minimum(rows + width, n)] + width, m)
    lo[0], hi[n] = 0, m
    return lo, hi


def _anchor_path(
    xs: Spans, ys: Spans, weights: _Weights, rng: np.random.Generator
) -> list[tuple[int, int]]:
    """Grid points of the best 1-1/1-0/0-1 path, found coarse-to-fine above ``_FULL_CELLS``."""
    n, m = xs.n, ys.n
    if n * m <= _FULL_CELLS or n < 2 or m < 2:
        lo, hi = np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m, dtype=np.int64)
    else:
        cx, cy = xs.coarsen(), ys.coarsen()
        _set_distances(cx, cy, weights, rng)
        coarse = _anchor_path(cx, cy, weights, rng)
        lo, hi = _band([(min(2 * r, n), min(2 * c, m)) for r, c in coarse], n, m, weights.window)
    skips = _skip_costs(xs, weights), _skip_costs(ys, weights)
    path = _banded_dp(lo, hi, _ANCHOR_BEADS, _cost_fn(xs, ys, weights), *skips)
    return [(0, 0)] + [(i, j) for _, _, i, j, _ in path]


def _embed_used_runs(path: Sequence[Step], xs: Spans, ys: Spans) -> bool:
    """Embed the estimated runs that ``path`` uses, with their neighbours; False if none.

    Neighbours are the runs of the same length starting up to :data:`_REACH`
    sentences earlier or later: the alternatives the next search would try once the
    used run's embedding turns out worse than its estimate.
    """
    want_x: set[tuple[int, int]] = set()
    want_y: set[tuple[int, int]] = set()
    for a, b, i, j, _ in path:
        if a and b and not (xs.is_exact(a, i - a) and ys.is_exact(b, j - b)):
            for want, n, start in ((want_x, a, i - a), (want_y, b, j - b)):
                want.update((n, start + shift) for shift in range(-_REACH, _REACH + 1))
    return bool(xs.materialise(want_x) + ys.materialise(want_y))


def _embed_sub_runs(path: Sequence[Step], xs: Spans, ys: Spans) -> None:
    """Embed every run inside a merged link (the split pass compares them)."""
    runs: tuple[set[tuple[int, int]], set[tuple[int, int]]] = (set(), set())
    for a, b, i, j, _ in path:
        if a and b:
            for want, n, stop in ((runs[0], int(a), int(i)), (runs[1], int(b), int(j))):
                want |= {(k, s) for k in range(2, n) for s in range(stop - n, stop - k + 1)}
    xs.materialise(runs[0])
    ys.materialise(runs[1])


def _materialise(
    xs: Spans, ys: Spans, runs_x: set[tuple[int, int]], runs_y: set[tuple[int, int]]
) -> None:
    xs.materialise(runs_x)
    ys.materialise(runs_y)


def _bead_search(
    lo: np.ndarray,
    hi: np.ndarray,
    shapes: Sequence[Shape],
    cost: CostFn,
    skips: tuple[np.ndarray, np.ndarray],
    xs: Spans,
    ys: Spans,
) -> list[Step]:
    """The bead pass: search, embed the estimated runs the path uses, search again."""
    path = _banded_dp(lo, hi, shapes, cost, *skips)
    for _ in range(_ROUNDS):
        if not _embed_used_runs(path, xs, ys):
            break
        path = _banded_dp(lo, hi, shapes, cost, *skips)
    else:
        xs.drop_bonus()
        ys.drop_bonus()
        path = _banded_dp(lo, hi, shapes, cost, *skips)
        if _embed_used_runs(path, xs, ys):  # report costs on the embedded runs
            path = [
                (a, b, i, j, float(cost(a, b, i, j, j)[0]) if a and b else c)
                for a, b, i, j, c in path
            ]
    return path


def _learn_lexicon(
    path: Sequence[Step], src: Sequence[str], tgt: Sequence[str], xs: Spans, ys: Spans
) -> None:
    """Learn a lexicon from the path's confident 1-1 links; give both sides concept bags."""
    src_keys = [sentence_keys(s) for s in src]
    tgt_keys = [sentence_keys(t) for t in tgt]
    confident = [
        (range(i - 1, i), range(j - 1, j))
        for a, b, i, j, c in path
        if a == b == 1 and c < _CONFIDENT
    ]
    lexicon = Lexicon.learn(src_keys, tgt_keys, confident)
    for side, bags in zip((xs, ys), concept_bags(lexicon, src_keys, tgt_keys), strict=True):
        side.set_concepts(bags)


def align(
    src: Sequence[str],
    tgt: Sequence[str],
    embedder: Embedder,
    *,
    max_src: int = 5,
    max_tgt: int = 5,
    max_total: int = 6,
    skip: float = 0.5,
    bead_weight: float = 0.15,
    length_weight: float = 0.5,
    number_weight: float = 0.2,
    punctuation_weight: float = 0.1,
    continued_skip: float = 0.5,
    lexicon_weight: float = LEXICON_WEIGHT,
    window: int = 5,
    samples: int | None = None,
    split_tolerance: float = 0.02,
    split_gain: float | None = 0.2,
    split_similarity: float = 0.1,
    optimism: float | None = OPTIMISM,
    attach_gain: float | None = 0.0,
    seed: int = 0,
) -> tuple[Link, ...]:
    """Align source sentences to target sentences with monotone beads.

    Args:
        src: Source sentences, in document order.
        tgt: Target sentences, in document order.
        embedder: Multilingual sentence embedder; runs of sentences are embedded as
            their space-joined text (the embedder memoises texts).
        max_src: Most source sentences in one bead.
        max_tgt: Most target sentences in one bead.
        max_total: Most sentences, both sides together, in one bead.
        skip: Cost of leaving a sentence of median length unaligned (1-0 or 0-1);
            shorter sentences cost proportionally less. On the scale where a perfect
            link costs about -1 and an unrelated pair about 0.
        bead_weight: Extra distance factor per sentence beyond the second in a bead.
        length_weight: Weight of the character-length-ratio term.
        number_weight: Weight of the Dice distance between the numbers of the two
            sides of a link (see :mod:`mt_eval.align.numbers`); 0 turns it off.
        punctuation_weight: Cost of a link whose last source sentence closes (``.``)
            while its last target sentence goes on (``:``, ``;``, ``,``) or the
            other way round (see :mod:`mt_eval.align.punctuation`); 0 turns it off.
        continued_skip: Least share of ``skip`` that leaving a sentence unaligned
            costs when it goes on (ends in ``:``, ``;``, ``,`` or a dash), however
            short it is: a fragment of a longer sentence, not a title; 0 turns it off.
        lexicon_weight: Cost per nat of a link's lexical balance: its concepts without
            their partner on the other side minus those with, from a lexicon learnt
            from the confident 1-1 links of a first bead pass (see
            :mod:`mt_eval.align.lexicon`); the bead pass then runs again with it.
            0 turns it off (one bead pass).
        window: Rows/columns searched around the anchor path (and around the coarse
            path in the anchor pass of long documents).
        samples: Other-side sentences used to normalise distances; ``None`` uses all
            of them (exact and cheap), a number draws that many at random.
        split_tolerance: After the search, a sentence at the edge of a merged link
            is split off as a 1-0 or 0-1 link when the link without it loses at most
            this much cosine similarity ...
        split_gain: ... and its absolute log length ratio (against the document's)
            improves by more than this (see :mod:`mt_eval.align.refine`); ``None``
            turns the pass off.
        split_similarity: ... or when the link without it is more similar by more
            than this and its length ratio improves at all.
        optimism: Runs of several sentences are first estimated from their sentences'
            vectors with this cosine bonus, and embedded only when the best path uses
            them (or a neighbour); the search repeats until it uses embedded runs
            only (see :mod:`mt_eval.align.spans`). ``None`` embeds every run up front.
        attach_gain: Last, a 1-0 or 0-1 link whose sentence, joined to the link
            before or after it, changes that link's similarity by at least this
            much is joined to it: the neighbour carries it, so it is no drop or
            addition (see :func:`mt_eval.align.refine.attach_orphans`; the joined
            link's length ratio may worsen by at most ``split_gain``). ``None``
            turns the pass off.
        seed: Seed of the random draw when ``samples`` is set.

    Returns:
        Links covering every source and every target index exactly once, in order,
        each side's indices consecutive. Each carries its bead cost on the scale above:
        about -1 for a close translation, near 0 for an unrelated pair, the skip cost
        for a 1-0 or 0-1 link, ``0.0`` when a whole side is empty.

    Raises:
        ConfigError: A setting is of the wrong type or out of range (see
            :func:`check_settings`).
    """
    check_settings(
        max_src=max_src,
        max_tgt=max_tgt,
        max_total=max_total,
        skip=skip,
        bead_weight=bead_weight,
        length_weight=length_weight,
        number_weight=number_weight,
        punctuation_weight=punctuation_weight,
        continued_skip=continued_skip,
        lexicon_weight=lexicon_weight,
        window=window,
        samples=samples,
        split_tolerance=split_tolerance,
        split_gain=split_gain,
        split_similarity=split_similarity,
        optimism=optimism,
        attach_gain=attach_gain,
        seed=seed,
    )
    if not src or not tgt:
        drops = tuple(Link((i,), (), 0.0) for i in range(len(src)))
        return drops + tuple(Link((), (j,), 0.0) for j in range(len(tgt)))
    weights = _Weights(
        skip,
        bead_weight,
        length_weight,
        samples,
        window,
        number_weight,
        punctuation_weight,
        continued_skip,
    )
    rng = np.random.default_rng(seed)
    shapes = bead_shapes(min(max_src, len(src)), min(max_tgt, len(tgt)), max_total)
    xs = Spans.embed(src, embedder, max(a for a, _ in shapes), optimism)
    ys = Spans.embed(tgt, embedder, max(b for _, b in shapes), optimism)
    xs.ends, ys.ends = end_classes(src), end_classes(tgt)
    if number_weight:
        for side, bags in zip((xs, ys), sentence_bags(src, tgt), strict=True):
            side.set_numbers(bags)
    _set_distances(xs, ys, weights, rng)
    lo, hi = _band(_anchor_path(xs, ys, weights, rng), xs.n, ys.n, window)
    skips = _skip_costs(xs, weights), _skip_costs(ys, weights)
    cost = _cost_fn(xs, ys, weights)
    path = _bead_search(lo, hi, shapes, cost, skips, xs, ys)
    if lexicon_weight:
        _learn_lexicon(path, src, tgt, xs, ys)
        lexical = _with_lexicon(cost, xs, ys, lexicon_weight)
        path = _bead_search(lo, hi, shapes, lexical, skips, xs, ys)
        # Links report their cost on the scale above, without the lexical term.
        path = [
            (a, b, i, j, float(cost(a, b, i, j, j)[0]) if a and b else c) for a, b, i, j, c in path
        ]
    if split_gain is not None:
        _embed_sub_runs(path, xs, ys)
        path = split_riders(
            path,
            xs,
            ys,
            ratio=_ratio(xs, ys),
            link_cost=lambda a, b, i, j: float(cost(a, b, i, j, j)[0]),
            skip_src=skips[0],
            skip_tgt=skips[1],
            sim_tolerance=split_tolerance,
            min_gain=split_gain,
            min_sim_gain=split_similarity,
        )
    if attach_gain is not None:
        path = attach_orphans(
            path,
            xs,
            ys,
            ratio=_ratio(xs, ys),
            link_cost=lambda a, b, i, j: float(cost(a, b, i, j, j)[0]),
            embed_runs=lambda runs_x, runs_y: _materialise(xs, ys, runs_x, runs_y),
            max_src=min(max_src, len(src)),
            max_tgt=min(max_tgt, len(tgt)),
            max_total=max_total,
            min_gain=attach_gain,
            max_length_loss=_INF if split_gain is None else split_gain,
        )
    return tuple(
        Link(tuple(range(i - a, i)), tuple(range(j - b, j)), cost) for a, b, i, j, cost in path
    )
