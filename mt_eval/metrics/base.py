"""The metric base class and the registry of metric names.

Design, after sacrebleu: a metric first turns each segment into *sufficient
statistics* (:meth:`Metric.segment_statistics`), then derives a segment score from
one segment's statistics (:meth:`Metric.segment_score`) and a corpus score from the
statistics of many segments (:meth:`Metric.aggregate`). Keeping statistics apart from
aggregation lets a bootstrap or significance test resample segments cheaply, without
re-reading any text or re-running a model.

The registry maps names to ``"module:Class"`` strings so that importing
:mod:`mt_eval.metrics` never imports a heavy backend (torch, comet, embedders): a
metric's module is imported only when that metric is built.
"""

from __future__ import annotations

import importlib
import inspect
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from mt_eval.errors import ConfigError
from mt_eval.model import MetricResult, Segment


class Metric(ABC):
    """A segment- and corpus-level metric over :class:`~mt_eval.model.Segment` records.

    Subclasses set :attr:`name` and implement the abstract methods. Constructor
    arguments are the metric's configuration keys, so keep them plain (str, int,
    float, bool) and give every one a default.

    A model-based metric (e.g. COMET) fits the same shape: its statistics are the
    per-segment model scores, computed in batches inside :meth:`segment_statistics`,
    and :meth:`aggregate` is their mean.
    """

    #: Name used in the registry, column headers and reports.
    name: str = ""

    #: Whether a higher score is better (``False`` for an error rate such as TER):
    #: gates, ``compare`` and damage read scores in this direction.
    higher_is_better: bool = True

    @classmethod
    def column_for(cls, options: dict[str, Any]) -> str:
        """The metric's column in reports for these options: its name, or its variant's.

        Args:
            options: The metric's configuration keys (missing ones take defaults).
        """
        return cls.name

    #: Why a segment gets no statistics, stated in :attr:`MetricResult.reason`.
    skip_reason: str = "segment cannot be scored"

    #: Constructor arguments that take live objects from the pipeline (a loaded
    #: model, the disk cache): accepted by :func:`build_metric`, never config keys.
    runtime_args: frozenset[str] = frozenset()

    @abstractmethod
    def segment_statistics(self, segments: Sequence[Segment]) -> list[Any]:
        """Compute sufficient statistics for each segment.

        Args:
            segments: The segments to score.

        Returns:
            One statistics object per segment, in order; ``None`` for a segment the
            metric cannot score (e.g. an empty translation or no reference).
        """

    @abstractmethod
    def segment_score(self, stats: Any) -> float:
        """Score of one segment from its (non-``None``) statistics."""

    @abstractmethod
    def aggregate(self, stats_list: Sequence[Any]) -> float | None:
        """Corpus score from the statistics of scored segments.

        Args:
            stats_list: Statistics of the scored segments (no ``None`` entries).

        Returns:
            The corpus score, or ``None`` when ``stats_list`` is empty.
        """

    @abstractmethod
    def signature(self) -> str:
        """Resolved settings and library versions, for reproducibility."""

    def segment_note(self, stats: Any) -> str:
        """A remark on one scored segment for its row's notes (e.g. error spans); ``""``."""
        return ""

    def check_inputs(self, has_reference: bool) -> None:
        """Check, before any scoring, that the settings can serve a pair.

        Args:
            has_reference: Whether the pair has a reference translation.

        Raises:
            ConfigError: The settings cannot score such a pair (e.g. a reference-based
                model for a pair without a reference).
        """
        return None

    def applies(self, src_lang: str, tgt_lang: str, has_reference: bool) -> str:
        """Say whether the metric can score this language pair.

        Args:
            src_lang: Source language code.
            tgt_lang: Target (translation) language code.
            has_reference: Whether a reference translation is given.

        Returns:
            ``""`` when the metric applies, otherwise a reason a person can read.
        """
        return ""

    def score(
        self,
        segments: Sequence[Segment],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ) -> MetricResult:
        """Score segments and the corpus they form.

        Args:
            segments: The segments to score (one per link).
            src_lang: Source language code; with ``tgt_lang``, lets the metric check
                :meth:`applies` first and return only ``None`` scores with the reason
                when it does not apply.
            tgt_lang: Target language code.

        Returns:
            The result: one score per segment (``None`` where not scored), the corpus
            score over the scored segments, the signature and, where scores are
            missing, the reason.
        """
        segments = list(segments)
        if src_lang is not None and tgt_lang is not None:
            reason = self.applies(src_lang, tgt_lang, has_reference(segments))
            if reason:
                return self.unscored(len(segments), reason)
        stats = self.segment_statistics(segments)
        if len(stats) != len(segments):  # pragma: no cover - a bug in a subclass
            raise RuntimeError(
                f"metric {self.name!r} gave {len(stats)} statistics for {len(segments)} segments"
            )
        scores = tuple(None if s is None else self.segment_score(s) for s in stats)
        seg_notes = tuple("" if s is None else self.segment_note(s) for s in stats)
        scored = [s for s in stats if s is not None]
        missing = len(stats) - len(scored)
        reason = ""
        if missing:
            reason = f"{missing} of {len(stats)} segments not scored: {self.skip_reason}"
        return MetricResult(
            name=self.name,
            segment_scores=scores,
            corpus_score=self.aggregate(scored),
            signature=self.signature(),
            reason=reason,
            notes=self.notes(),
            statistics=tuple(stats),
            segment_notes=seg_notes if any(seg_notes) else (),
        )

    def unscored(self, n: int, reason: str) -> MetricResult:
        """A result with ``n`` missing segment scores and no corpus score.

        Args:
            n: Number of segments.
            reason: Why nothing was scored.
        """
        return MetricResult(
            name=self.name,
            segment_scores=(None,) * n,
            corpus_score=None,
            signature=self.signature(),
            reason=reason,
        )

    def notes(self) -> tuple[str, ...]:
        """Remarks about how scores were computed, for :attr:`MetricResult.notes`."""
        return ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def has_reference(segments: Sequence[Segment]) -> bool:
    """Whether any segment carries a reference (``Segment.ref is not None``)."""
    return any(s.ref is not None for s in segments)


def is_empty(text: str | None) -> bool:
    """Whether a text side is missing or only whitespace."""
    return text is None or not text.strip()


# name -> "module:Class"; modules are imported only when a metric is built.
_REGISTRY: dict[str, str] = {
    "bleu": "mt_eval.metrics.lexical:BLEU",
    "chrf": "mt_eval.metrics.lexical:CHRF",
    "similarity": "mt_eval.metrics.similarity:Similarity",
    "comet": "mt_eval.metrics.comet:Comet",
    "ter": "mt_eval.metrics.lexical:TER",
}


def higher_is_better(name: str) -> bool:
    """Whether a higher score of the metric called ``name`` is better (``True`` if unknown)."""
    target = _REGISTRY.get(name)
    return True if target is None else metric_class(name).higher_is_better


def register_metric(name: str, target: str) -> None:
    """Register a metric class under a name.

    Args:
        name: Metric name, e.g. ``"comet"``.
        target: ``"package.module:ClassName"``; imported on first use.
    """
    if ":" not in target:
        raise ValueError(f"metric target must look like 'module:Class', not {target!r}")
    _REGISTRY[name] = target


def known_metrics() -> list[str]:
    """Names accepted by :func:`build_metric`, sorted."""
    return sorted(_REGISTRY)


def metric_class(name: str) -> type[Metric]:
    """Import and return the class registered under ``name``.

    Raises:
        ConfigError: The name is unknown.
    """
    try:
        target = _REGISTRY[name]
    except KeyError:
        raise ConfigError(f"unknown metric {name!r}; choose one of {known_metrics()}") from None
    module_name, class_name = target.split(":")
    return getattr(importlib.import_module(module_name), class_name)


def metric_options(name: str) -> dict[str, Any]:
    """The configuration keys of a metric and their defaults.

    These are the constructor's arguments less its :attr:`Metric.runtime_args`.

    Raises:
        ConfigError: The name is unknown.
    """
    cls = metric_class(name)
    params = inspect.signature(cls).parameters
    return {
        p.name: p.default
        for p in params.values()
        if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and p.name not in cls.runtime_args
    }


def build_metric(name: str, **kwargs: Any) -> Metric:
    """Build a metric by name from its configuration keys.

    Args:
        name: A name from :func:`known_metrics`.
        **kwargs: Constructor arguments (the metric's configuration keys).

    Raises:
        ConfigError: The name or an option is unknown, or an option's value is invalid.
    """
    options = metric_options(name)
    unknown = sorted(set(kwargs) - set(options) - metric_class(name).runtime_args)
    if unknown:
        raise ConfigError(
            f"unknown option(s) {', '.join(map(repr, unknown))} for metric {name!r}; "
            f"known options: {sorted(options)}"
        )
    return metric_class(name)(**kwargs)
