"""Bootstrap confidence intervals and paired significance tests, as sacrebleu does them.

Every procedure here is sacrebleu 2.6.0's (``sacrebleu/significance.py``), step for
step, applied to the rows of a :class:`~mt_eval.regress.statistic.CorpusStatistic`:

- :func:`bootstrap_ci` is ``_bootstrap_resample`` + ``estimate_ci`` (what
  ``corpus_score(..., n_bootstrap=N)`` and ``sacrebleu --confidence`` report):
  ``numpy.random.default_rng(seed).choice(n, (N, n))`` picks the resamples, count
  rows are summed as float32, and the 95 % interval is the ``N // 40``-th (0-based) lowest and
  highest resample score (sacrebleu prints its half-width as ``± ci``).
- :func:`paired_bootstrap` is ``_paired_bs_test`` (``--paired-bs``).
- :func:`paired_ar` is ``_paired_ar_test`` (``--paired-ar``).

So for BLEU and chrF on the same segments, with the same number of resamples and
the same seed, the intervals and p-values are sacrebleu's. Differences:

- sacrebleu treats a seed of 0 as "no seed" in its paired tests (``seed if seed else
  None``); here every seed, 0 included, is used as given, so results always repeat.
- When the two corpus scores are exactly equal (e.g. a run compared with itself),
  the p-value is 1. sacrebleu counts resampled differences *strictly* above the
  observed one, so with an observed difference of 0 and identical systems it reports
  the smallest possible p-value, ``1 / (N + 1)``, against the intent stated in its
  own comment ("a zero difference should not be attributed to chance").
- For mean metrics (COMET, similarity), which sacrebleu does not test, a shuffle
  whose difference equals the observed one up to float rounding is a tie, and ties
  do not count, as exact ties of BLEU/chrF counts do not count in sacrebleu: the
  same test for every metric, and rounding never decides it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mt_eval.regress.defaults import AR_TRIALS, BOOTSTRAP_SAMPLES
from mt_eval.regress.statistic import CorpusStatistic


@dataclass(frozen=True)
class Interval:
    """A corpus score with its bootstrap confidence interval.

    Attributes:
        score: The corpus score of all rows.
        low: Lower bound of the 95 % interval (sorted resample scores at 0-based index ``N // 40``).
        high: Upper bound (the same index from the top).
        mean: Mean of the resample scores (sacrebleu's ``μ``).
    """

    score: float
    low: float
    high: float
    mean: float


CHUNK_CELLS = 1 << 22
"""Most numbers one resampling step materialises at once (32 MiB of float64)."""


def _chunks(count: int, cells_per_item: int) -> list[slice]:
    """Slices of ``range(count)`` of at most :data:`CHUNK_CELLS` cells each."""
    step = max(1, CHUNK_CELLS // max(1, cells_per_item))
    return [slice(i, min(count, i + step)) for i in range(0, count, step)]


def resampled_totals(rows: np.ndarray, idxs: np.ndarray, dtype: str) -> np.ndarray:
    """Column sums of the rows each resample picks: ``rows.astype(dtype)[idxs].sum(1)``.

    Done in chunks of resamples, so memory stays bounded on long documents; count
    sums are exact integers in float32 (below 2**24), so the result is sacrebleu's.
    """
    typed = rows.astype(dtype)
    width = typed.shape[1] if typed.ndim == 2 else 1
    parts = [typed[idxs[c]].sum(axis=1) for c in _chunks(len(idxs), idxs.shape[1] * width)]
    return np.concatenate(parts) if parts else np.zeros((0, width), dtype)


def bootstrap_indices(n: int, samples: int, seed: int) -> np.ndarray:
    """Link indices of ``samples`` resamples of ``n`` links, drawn as sacrebleu draws them."""
    return np.random.default_rng(seed).choice(n, size=(samples, n), replace=True)


CONFIDENCE = 0.95
"""Coverage of the intervals: sacrebleu's ``estimate_ci`` cuts ``N // 40`` scores off each end."""


def _bounds(scores: np.ndarray) -> tuple[float, float, float]:
    """Sacrebleu's ``estimate_ci`` bounds: (low, high, mean) of the resample scores."""
    ordered = np.sort(scores)
    k = len(ordered) // 40  # (1 - CONFIDENCE) / 2 of the scores at each end
    return float(ordered[k]), float(ordered[len(ordered) - k - 1]), float(ordered.mean())


def total_score(stat: CorpusStatistic, rows: np.ndarray) -> float:
    """Corpus score of all rows (summed exactly, as sacrebleu's ``_aggregate_and_compute``)."""
    return stat.score(rows.sum(axis=0))


def bootstrap_ci(
    stat: CorpusStatistic, rows: np.ndarray, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0
) -> Interval | None:
    """Corpus score and 95 % bootstrap interval over the given links' rows.

    Args:
        stat: The metric's corpus statistic.
        rows: One row per link (see :meth:`CorpusStatistic.matrix`).
        samples: Number of resamples.
        seed: Seed of the resampling.

    Returns:
        The interval, or ``None`` without rows.
    """
    if len(rows) == 0:
        return None
    idxs = bootstrap_indices(len(rows), samples, seed)
    scores = stat.scores(resampled_totals(rows, idxs, stat.bootstrap_dtype))
    scores = scores[~np.isnan(scores)]
    low, high, mean = _bounds(scores)
    return Interval(total_score(stat, rows), low, high, mean)


def p_value(sample_stats: np.ndarray, real_difference: float) -> float:
    """``(count(sample > real) + 1) / (samples + 1)``, sacrebleu's ``_compute_p_value``."""
    return (int(np.sum(sample_stats > real_difference)) + 1) / (len(sample_stats) + 1)


def paired_bootstrap(
    stat: CorpusStatistic,
    baseline: np.ndarray,
    current: np.ndarray,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = 0,
) -> float:
    """Two-sided p-value of paired bootstrap resampling (sacrebleu ``--paired-bs``).

    Args:
        stat: The metric's corpus statistic.
        baseline: Rows of the baseline, one per matched link.
        current: Rows of the current system, same links in the same order.
        samples: Number of resamples.
        seed: Seed of the resampling.
    """
    diff = abs(total_score(stat, baseline) - total_score(stat, current))
    if diff == 0:
        return 1.0
    idxs = bootstrap_indices(len(baseline), samples, seed)
    scores_bl = stat.scores(resampled_totals(baseline, idxs, stat.bootstrap_dtype))
    scores_sys = stat.scores(resampled_totals(current, idxs, stat.bootstrap_dtype))
    sample_diffs = np.abs(scores_sys - scores_bl)
    return p_value(sample_diffs - np.nanmean(sample_diffs), diff)


def paired_ar(
    stat: CorpusStatistic,
    baseline: np.ndarray,
    current: np.ndarray,
    trials: int = AR_TRIALS,
    seed: int = 0,
) -> float:
    """Two-sided p-value of paired approximate randomization (sacrebleu ``--paired-ar``).

    Each trial swaps the two systems' rows of a random half of the links.

    Args:
        stat: The metric's corpus statistic.
        baseline: Rows of the baseline, one per matched link.
        current: Rows of the current system, same links in the same order.
        trials: Number of shuffles.
        seed: Seed of the shuffles.
    """
    diff = abs(total_score(stat, baseline) - total_score(stat, current))
    if diff == 0:
        return 1.0
    pos_sel = np.random.default_rng(seed).integers(2, size=(trials, len(baseline)), dtype=bool)
    # sacrebleu's pseudo-systems are pos @ B + neg @ C and neg @ B + pos @ C. For counts
    # that is one product, pos @ (B - C) + sum(C) and the total minus it, through float64
    # BLAS (exact for integers below 2**53) and back to int64: sacrebleu's sums, faster.
    # Means keep the two products, so that swapping the runs gives the same p-value.
    diffs = []
    if stat.counts:
        delta = (baseline - current).astype("float64")
        total_c = current.sum(axis=0)
        total = baseline.sum(axis=0) + total_c
    for c in _chunks(trials, len(baseline)):
        pos = pos_sel[c].astype("float64")
        if stat.counts:
            product = pos @ delta
            if stat.dtype == "int64":
                product = np.rint(product).astype("int64")
            shuf_a = product + total_c
            shuf_b = total - shuf_a
        else:
            neg = 1.0 - pos
            shuf_a = pos @ baseline + neg @ current
            shuf_b = neg @ baseline + pos @ current
        diffs.append(np.abs(stat.scores(shuf_a) - stat.scores(shuf_b)))
    if not stat.counts:  # a tie up to rounding is a tie (not counted, as in sacrebleu)
        diff += 1e-12 * max(1.0, diff)
    return p_value(np.concatenate(diffs), diff)
