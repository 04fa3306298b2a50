"""One summary per system over all pairs: the rows of ``systems.csv``.

A system is a name under ``[pairs.systems]``; its summary pools every link it has
in every pair. BLEU and chrF are corpus scores of the pooled sacrebleu counts,
COMET and similarity the mean over scored links; each comes with a 95 % bootstrap
interval over links (:func:`mt_eval.regress.resample.bootstrap_ci`, sacrebleu's
procedure and numbers) and the number of links it scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mt_eval.model import LinkResult
from mt_eval.regress.defaults import BOOTSTRAP_SAMPLES
from mt_eval.regress.resample import Interval, bootstrap_ci
from mt_eval.regress.statistic import CorpusStatistic
from mt_eval.regress.statsfile import link_input, scored_metrics


@dataclass(frozen=True)
class MetricSummary:
    """A metric of one system over all its links.

    Attributes:
        interval: Corpus score and 95 % interval; ``None`` when no link was scored.
        segments: Links the metric scored.
    """

    interval: Interval | None
    segments: int


@dataclass(frozen=True)
class SystemSummary:
    """One system over all pairs.

    Attributes:
        system: System name.
        pairs: Pairs the system appears in.
        links: Links over all pairs.
        dropped: Links flagged ``dropped``.
        added: Links flagged ``added``.
        flagged: Links with at least one flag.
        metrics: Metric name to its summary; a metric the run did not compute is absent.
    """

    system: str
    pairs: int
    links: int
    dropped: int
    added: int
    flagged: int
    metrics: Mapping[str, MetricSummary]

    def score(self, name: str) -> float | None:
        """The system's corpus score of a metric, ``None`` when not computed."""
        summary = self.metrics.get(name)
        return summary.interval.score if summary and summary.interval else None


def summarize(
    links: Sequence[LinkResult],
    statistics: Mapping[str, CorpusStatistic],
    seed: int,
    samples: int = BOOTSTRAP_SAMPLES,
) -> tuple[SystemSummary, ...]:
    """Summaries of every system, in order of first appearance.

    Each metric is resampled over the links it scored, so for BLEU and chrF the
    interval is what ``sacrebleu`` reports for those segments with ``--confidence``.

    Args:
        links: Every link of a run.
        statistics: The run's metrics by name.
        seed: Seed of the bootstrap.
        samples: Number of bootstrap resamples.
    """
    by_system: dict[str, list[LinkResult]] = {}
    for link in links:
        by_system.setdefault(link.system, []).append(link)
    out = []
    for system, rows in by_system.items():
        kinds = [{f.kind for f in r.flags} for r in rows]
        metrics = {}
        scored = scored_metrics(rows)
        for name, stat in statistics.items():
            values = (
                []
                if name not in scored
                else [
                    v
                    for v in (link_input(r, stat.name, stat.counts) for r in rows)
                    if v is not None
                ]
            )
            interval = bootstrap_ci(stat, stat.matrix(values), samples, seed) if values else None
            metrics[name] = MetricSummary(interval, len(values))
        out.append(
            SystemSummary(
                system=system,
                pairs=len({r.pair for r in rows}),
                links=len(rows),
                dropped=sum("dropped" in k for k in kinds),
                added=sum("added" in k for k in kinds),
                flagged=sum(bool(k) for k in kinds),
                metrics=metrics,
            )
        )
    return tuple(out)
