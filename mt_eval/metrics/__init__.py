"""Metrics: per-segment and corpus scores for one document pair and system.

``build_metric("bleu")``, ``build_metric("chrf", word_order=2)`` and
``build_metric("similarity", embedder="use")`` build metrics by name from their
configuration keys; :func:`score_segments` builds and scores in one call. Every
metric follows :class:`Metric`: sufficient statistics per segment, a segment score
from one segment's statistics, a corpus score from many. Backends (sacrebleu,
embedders, later COMET) are imported only when a metric is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mt_eval.metrics.base import (
    Metric,
    build_metric,
    has_reference,
    known_metrics,
    metric_options,
    register_metric,
)
from mt_eval.model import MetricResult, Segment

__all__ = [
    "Metric",
    "build_metric",
    "has_reference",
    "known_metrics",
    "lexical_reference_mode",
    "metric_options",
    "register_metric",
    "score_segments",
]


def lexical_reference_mode(src_lang: str, tgt_lang: str, has_reference: bool) -> str:
    """What BLEU/chrF compare against: ``"reference"``, ``"source"`` or ``""``.

    See :func:`mt_eval.metrics.lexical.lexical_reference_mode`.
    """
    from mt_eval.metrics.lexical import lexical_reference_mode as _mode

    return _mode(src_lang, tgt_lang, has_reference)


def score_segments(
    metric: str | Metric,
    segments: Sequence[Segment],
    src_lang: str | None = None,
    tgt_lang: str | None = None,
    **options: Any,
) -> MetricResult:
    """Score segments with a metric given by name (built with ``options``) or instance.

    Args:
        metric: A name from :func:`known_metrics`, or a built :class:`Metric`.
        segments: The segments to score.
        src_lang: Source language code (lets the metric check it applies).
        tgt_lang: Target language code.
        **options: Configuration keys for :func:`build_metric` (only with a name).

    Raises:
        ConfigError: Unknown metric or option, or options given with an instance.
    """
    if isinstance(metric, str):
        metric = build_metric(metric, **options)
    elif options:
        from mt_eval.errors import ConfigError

        raise ConfigError(f"options {sorted(options)} given with an already built metric")
    return metric.score(segments, src_lang, tgt_lang)
