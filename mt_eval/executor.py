"""Map the per-document function over the pairs of a run: here, in processes, or on Ray.

:func:`map_pairs` yields one :class:`~mt_eval.evaluate.PairOutput` per pair, in the
pairs' order, whatever the executor and the number of workers, so the outputs are
byte-identical. Each worker builds its models once (:class:`~mt_eval.evaluate.Worker`)
and shares the on-disk cache with the others (SQLite in WAL mode, see
:mod:`mt_eval.cache`).

With COMET on, a run has three steps: the workers align every pair, COMET scores
the segments of all documents with one ``predict`` per model (in this process, or
on Ray in one actor that holds the GPU), and the workers score and flag each pair
with those scores. Without COMET, one step does it all.

``executor = "ray"`` uses Ray's actor pool (``pip install "mt-eval[ray]"``):
``ray_address`` names a running cluster, empty starts a local one with ``jobs`` CPUs.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from mt_eval.config import EXECUTORS, RunConfig
from mt_eval.errors import ConfigError
from mt_eval.evaluate import AlignedPair, PairOutput, Worker, align_pair, evaluate_pair
from mt_eval.loading import PairInputs

log = logging.getLogger(__name__)

Task = tuple[str, PairInputs, AlignedPair | None, dict[str, Any] | None]


class _Captured(logging.Handler):
    """Keeps the warnings a worker process logs, to send back with its results."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class _Process:
    """The state of one worker (a process of the pool, or a Ray actor)."""

    def __init__(self, config: RunConfig, capture: bool) -> None:
        from threadpoolctl import threadpool_limits

        # BLAS and OpenMP pools at the run's `threads`, for all numpy work of the worker
        # (two workers each running 2 BLAS threads on 2 cores run slower than one).
        self.limits = threadpool_limits(limits=config.settings.threads)
        self.captured = _Captured() if capture else None
        if self.captured is not None:  # a worker process: its warnings go back as data
            logger = logging.getLogger("mt_eval")
            logger.handlers = [self.captured]
            logger.setLevel(logging.WARNING)
            logger.propagate = False
        self.worker = Worker(config)

    def run(self, task: Task) -> PairOutput | AlignedPair:
        step, inputs, aligned, comet = task
        if self.captured is not None:
            self.captured.messages.clear()
        if step == "align":
            return align_pair(self.worker, inputs)
        out = evaluate_pair(self.worker, inputs, aligned, comet)
        if self.captured is not None and self.captured.messages:
            out = replace(out, warnings=out.warnings + tuple(self.captured.messages))
        return out


_STATE: _Process | None = None


def _init(config: RunConfig) -> None:
    global _STATE
    _STATE = _Process(config, capture=True)
    _STATE.worker.warm()  # load the models now, while the main process reads inputs


def _run(task: Task) -> PairOutput | AlignedPair:
    assert _STATE is not None, "worker process not initialised"
    return _STATE.run(task)


def score_comet(config: RunConfig, documents: Sequence[Sequence[Any]]) -> tuple[dict, int]:
    """COMET statistics of every segment of ``documents``, one ``predict`` per model."""
    from mt_eval.cache import open_cache
    from mt_eval.evaluate import build_metrics

    cache = open_cache(config.settings.cache_dir)
    try:
        only = replace(config, settings=replace(config.settings, metrics=("comet",)))
        metric = build_metrics(only, None, cache)["comet"]  # type: ignore[arg-type]
        return metric.score_documents(documents)  # type: ignore[attr-defined]
    finally:
        if cache is not None:
            cache.close()


class _Local:
    """This process (``jobs = 1``) or a pool of ``jobs`` spawned worker processes."""

    def __init__(self, config: RunConfig, jobs: int) -> None:
        self.config = config
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self.here: _Process | None = None
        if jobs > 1:
            self.pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init,
                initargs=(config,),
            )
            # The pool spawns a worker per submitted task while none is idle: start all
            # of them now, so their imports and models load while the inputs are read.
            for _ in range(jobs):
                self.pool.submit(int)
        else:
            self.here = _Process(config, capture=False)

    def map(self, tasks: Iterable[Task]) -> Iterator[Any]:
        if self.pool is not None:
            tasks = list(tasks)  # chunks of tasks per message: fewer round trips
            chunk = max(1, min(8, len(tasks) // (self.jobs * 16)))
            yield from self.pool.map(_run, tasks, chunksize=chunk)
        else:
            assert self.here is not None
            for task in tasks:
                yield self.here.run(task)

    def comet(self, documents: Sequence[Sequence[Any]]) -> tuple[dict, int]:
        return score_comet(self.config, documents)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.here is not None:
            self.here.worker.close()
            self.here.limits.restore_original_limits()


class _Ray:
    """Ray actors, one per worker, each holding its models (Ray's ``ActorPool``)."""

    def __init__(self, config: RunConfig, jobs: int, address: str) -> None:
        try:
            import ray
            from ray.util import ActorPool
        except ImportError:
            raise ConfigError('executor = "ray" needs Ray: pip install "mt-eval[ray]"') from None
        self.ray = ray
        self.config = config
        self.started = not ray.is_initialized()
        if self.started:
            options: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "logging_level": logging.ERROR,
            }
            if address:
                ray.init(address=address, **options)
            else:
                ray.init(num_cpus=jobs, **options)
        actor = ray.remote(num_cpus=1)(_Process)
        self.pool = ActorPool([actor.remote(config, True) for _ in range(jobs)])

    def map(self, tasks: Iterable[Task]) -> Iterator[Any]:
        yield from self.pool.map(lambda a, t: a.run.remote(t), list(tasks))

    def comet(self, documents: Sequence[Sequence[Any]]) -> tuple[dict, int]:
        gpus = int(self.config.metrics.get("comet", {}).get("gpus", 0))
        task = self.ray.remote(num_gpus=gpus, num_cpus=1)(score_comet)
        return self.ray.get(task.remote(self.config, documents))

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


def map_pairs(
    config: RunConfig,
    pairs: Sequence[PairInputs] | Callable[[], Sequence[PairInputs]],
    jobs: int = 1,
    executor: str = "local",
    ray_address: str = "",
) -> Iterator[PairOutput]:
    """Evaluate every pair; yields their outputs in the order of ``pairs``.

    ``pairs`` may be a function that loads them: it is called once the workers are
    starting, so their start-up (imports, models) overlaps the loading.

    Raises:
        ConfigError: Unknown executor, or Ray is not installed.
    """
    if executor not in EXECUTORS:
        raise ConfigError(f"executor must be one of {', '.join(EXECUTORS)}, not {executor!r}")
    jobs = max(1, min(jobs, len(config.pairs) or 1))
    runner = _Ray(config, jobs, ray_address) if executor == "ray" else _Local(config, jobs)
    try:
        if callable(pairs):
            pairs = pairs()
        comet = None
        if _batched_comet(config):
            aligned = list(runner.map(("align", p, None, None) for p in pairs))
            comet, calls = runner.comet([s for a in aligned for s in a.segments])
            log.info("comet: %d predict call(s) over %d documents", calls, len(pairs))
            tasks = (
                ("score", p, a, _subset(comet, a)) for p, a in zip(pairs, aligned, strict=True)
            )
        else:
            tasks = (("score", p, None, None) for p in pairs)
        yield from runner.map(tasks)
    finally:
        runner.close()


def _batched_comet(config: RunConfig) -> bool:
    """Whether COMET is on and its metric scores across documents (a plugin may not)."""
    from mt_eval.metrics.base import metric_class

    return "comet" in config.settings.metrics and hasattr(metric_class("comet"), "score_documents")


def _subset(known: dict[str, Any], aligned: AlignedPair) -> dict[str, Any]:
    """The COMET statistics one pair needs (keys of its segments)."""
    from mt_eval.cache import text_key

    out = {}
    for segments in aligned.segments:
        for seg in segments:
            keys = [text_key("qe", seg.src, seg.mt)]
            if seg.ref is not None:
                keys.append(text_key("ref", seg.src, seg.mt, seg.ref))
            out.update((k, known[k]) for k in keys if k in known)
    return out
