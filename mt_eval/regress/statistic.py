"""How a metric's corpus score comes from per-link statistics, for resampling.

Two kinds of metric, one shape: every link contributes a row of numbers, a corpus
(or a resample of links) is the column sums of its rows, and the corpus score is a
function of those sums.

- Count metrics (BLEU, chrF): the row is sacrebleu's sufficient statistics of the
  link (match counts and lengths) and the score is sacrebleu's own computation from
  summed counts (:meth:`mt_eval.metrics.lexical._LexicalMetric.score_from_totals`).
- Mean metrics (COMET, similarity and any metric without counts): the row is
  ``[score, 1]`` and the score is ``sum / count``, the mean over scored links.

A link a metric did not score (no reference text, an addition; for COMET and
similarity also a drop) has a row of zeros: it adds nothing to any sum, so a resample
that draws it is scored on the others. BLEU and chrF score a drop that has reference
text as the empty translation: its row holds the reference's counts, nothing matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mt_eval.errors import ConfigError


@dataclass(frozen=True)
class CorpusStatistic:
    """A metric's per-link rows and the corpus score of their sums.

    Attributes:
        name: Metric name (``bleu``, ``chrf``, ``comet``, ``similarity``).
        scorer: The metric when it scores summed counts (has ``score_from_totals``);
            ``None`` for a mean metric.
    """

    name: str
    scorer: Any = None

    @property
    def counts(self) -> bool:
        """Whether rows are sacrebleu counts (else ``[score, 1]`` for a mean)."""
        return self.scorer is not None

    @property
    def dtype(self) -> str:
        """Number type of the rows: float64 for a mean; for counts, int64.

        A count metric may say otherwise with ``statistics_dtype``: TER's mean length
        of several references may be fractional.
        """
        return getattr(self.scorer, "statistics_dtype", "int64") if self.counts else "float64"

    @property
    def bootstrap_dtype(self) -> str:
        """Number type of resampled sums: float32 for counts, as sacrebleu's bootstrap."""
        return "float32" if self.counts else "float64"

    def matrix(self, values: Sequence[Any]) -> np.ndarray:
        """One row per link: counts (int64) or ``[score, 1]`` (float64); zeros for ``None``.

        Args:
            values: Per-link statistics: count sequences for a count metric, scores
                for a mean metric, ``None`` where the link was not scored.

        Raises:
            ConfigError: Count rows of different lengths (statistics of another setting).
        """
        if not self.counts:
            rows = [[0.0, 0.0] if v is None else [float(v), 1.0] for v in values]
            return np.array(rows, dtype="float64").reshape(len(rows), 2)
        widths = {len(v) for v in values if v is not None}
        if len(widths) > 1:
            raise ConfigError(f"{self.name}: statistics of different lengths {sorted(widths)}")
        width = widths.pop() if widths else 0
        rows = [[0] * width if v is None else list(v) for v in values]
        return np.array(rows, dtype=self.dtype).reshape(len(rows), width)

    def score(self, totals: np.ndarray) -> float:
        """Corpus score of summed rows; NaN for a mean over no scored link."""
        if self.counts:
            return self.scorer.score_from_totals(totals)
        return float(totals[0] / totals[1]) if totals[1] else float("nan")

    def scores(self, totals: np.ndarray) -> np.ndarray:
        """Scores of many summed rows (one per resample), in order."""
        if self.counts:
            return np.array([self.scorer.score_from_totals(t) for t in totals])
        with np.errstate(invalid="ignore", divide="ignore"):
            return totals[:, 0] / totals[:, 1]


def statistic_for(
    name: str, metric: Any = None, options: dict[str, Any] | None = None
) -> CorpusStatistic:
    """The corpus statistic of a metric, from a built metric or its name and options.

    A metric is scored from counts when its class has ``score_from_totals`` (BLEU,
    chrF); every other metric (COMET, similarity, a metric not registered in this
    version) is a mean. Only count metrics are built here, so no model is loaded.

    Args:
        name: Metric name.
        metric: The built metric, if there is one.
        options: The metric's configuration keys, to build it when ``metric`` is ``None``.

    Raises:
        ConfigError: The options are invalid for the metric.
    """
    if metric is not None:
        return CorpusStatistic(name, metric if hasattr(metric, "score_from_totals") else None)
    from mt_eval.metrics import build_metric
    from mt_eval.metrics.base import metric_class

    try:
        cls = metric_class(name)
    except ConfigError:
        return CorpusStatistic(name)
    if not hasattr(cls, "score_from_totals"):
        return CorpusStatistic(name)
    return CorpusStatistic(name, build_metric(name, **(options or {})))
