"""The per-document function: align, score and flag every system of one pair.

:func:`evaluate_pair` takes a :class:`Worker` (the models, loaded once per worker
process) and a :class:`~mt_eval.loading.PairInputs` (plain data) and returns a
:class:`PairOutput` (plain data). Nothing else is shared: the executor
(:mod:`mt_eval.executor`) maps it over the pairs in one process, in worker
processes or on Ray, and the results are the same.

COMET can be scored across documents first (:func:`align_pair`, then one
``predict`` over all documents in :mod:`mt_eval.comet_batch`); the scores then come
in as ``comet`` and the metric reads them instead of predicting per document.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mt_eval.align import align
from mt_eval.cache import DiskCache, open_cache
from mt_eval.config import PairConfig, RunConfig
from mt_eval.embed import Embedder, get_embedder
from mt_eval.errors import ConfigError, InputError
from mt_eval.flags import FlagSettings, detect_flags
from mt_eval.flags.across import shared_by_systems
from mt_eval.flags.codes import tag_problems
from mt_eval.flags.language import source_language_confidence
from mt_eval.loading import LoadedText, PairInputs
from mt_eval.metrics import Metric, build_metric
from mt_eval.model import (
    DocumentResult,
    Flag,
    Link,
    LinkResult,
    MetricResult,
    RemovalRecord,
    Segment,
)
from mt_eval.regress.statistic import statistic_for
from mt_eval.report import METRIC_COLUMNS

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)

NOT_COMPUTED = {
    "comet": "COMET is off in this run (not in the config's `metrics`, or --no-comet)",
}
"""Why a report column that no metric of this version fills stays empty."""


def build_metrics(
    config: RunConfig, embedder: Embedder, cache: DiskCache | None
) -> dict[str, Metric]:
    """The run's metrics, sharing the aligner's embedder and the disk cache."""
    metrics = {}
    for name in config.settings.metrics:
        kwargs = config.metric_kwargs(name)
        if name == "similarity":
            wanted, threads = kwargs["embedder"], kwargs["threads"]
            if wanted == config.settings.embedder:
                kwargs["embedder_instance"] = embedder  # the aligner's model: load it once
            else:  # another model, on the same disk cache
                kwargs["embedder_instance"] = get_embedder(wanted, threads=threads, cache=cache)
        if name == "comet":
            kwargs["cache"] = cache
        metrics[name] = build_metric(name, **kwargs)
    return metrics


class Worker:
    """The models of one worker: embedder, metrics and flag settings, built once.

    Args:
        config: The run.
    """

    def __init__(self, config: RunConfig) -> None:
        settings = config.settings
        self.config = config
        self.cache = open_cache(settings.cache_dir)
        self.embedder = get_embedder(settings.embedder, threads=settings.threads, cache=self.cache)
        self.metrics = build_metrics(config, self.embedder, self.cache)
        self.flag_settings = FlagSettings(**config.flags)
        self._second: Embedder | None = None

    def warm(self) -> None:
        """Load the models every document needs: the embedder and the pairs' language detectors."""
        _ = self.embedder.dim
        for src, tgt in sorted({(p.source_lang, p.target_lang) for p in self.config.pairs}):
            source_language_confidence("", src, tgt)

    def second_opinion(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of the run's ``second_opinion`` model, loaded on first use."""
        if self._second is None:
            settings = self.config.settings
            self._second = get_embedder(
                settings.second_opinion, threads=settings.threads, cache=self.cache
            )
        return self._second.encode(texts)

    def second_signature(self) -> dict[str, str]:
        """``{"second_opinion": signature}`` once the second model was loaded, else ``{}``."""
        return {"second_opinion": self._second.signature()} if self._second else {}

    @property
    def has_second_opinion(self) -> bool:
        """Whether the run names a second model other than its own embedder."""
        settings = self.config.settings
        return bool(settings.second_opinion) and settings.second_opinion != settings.embedder

    def check_metrics(self, pair: PairConfig) -> None:
        """Fail before any scoring when a metric's settings cannot serve the pair.

        Raises:
            ConfigError: Naming the pair.
        """
        for metric in self.metrics.values():
            try:
                metric.check_inputs(bool(pair.reference))
            except ConfigError as exc:
                raise ConfigError(f"pair {pair.name!r}: {exc}") from None

    def close(self) -> None:
        """Close the disk cache."""
        if self.cache is not None:
            self.cache.close()
            self.cache = None


@dataclass(frozen=True)
class PairOutput:
    """What one pair produced: rows and the run metadata it adds.

    Attributes:
        index: Position of the pair in the run.
        links: One result per link, systems in config order.
        documents: One result per system.
        removals: Cleaning removals of the pair's files.
        signatures: Metric (and ``embedder``) name to signature.
        unavailable: Metric name to ``{"pair/system": reason}``.
        metric_notes: Metric name to ``{"pair/system": notes}``.
        checks: ``"pair/system"`` to the flag checks that could not run.
        warnings: Warnings of this pair, in order (the run reports each once).
        timings: Stage name to seconds.
    """

    index: int
    links: tuple[LinkResult, ...]
    documents: tuple[DocumentResult, ...]
    removals: tuple[RemovalRecord, ...]
    signatures: Mapping[str, str]
    unavailable: Mapping[str, Mapping[str, str]]
    metric_notes: Mapping[str, Mapping[str, list[str]]]
    checks: Mapping[str, list[str]]
    warnings: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class AlignedPair:
    """The links of every system of a pair (and of its reference), with their segments.

    Attributes:
        index: Position of the pair in the run.
        references: Each reference's links to the source, in the pair's order.
        systems: Links per system, in config order.
        segments: The segments those links form, per system (what COMET scores).
        seconds: Time the alignment took.
    """

    index: int
    references: tuple[tuple[Link, ...], ...]
    systems: tuple[tuple[Link, ...], ...]
    segments: tuple[tuple[Segment, ...], ...]
    seconds: float = 0.0


def language_warnings(embedder: Embedder, pair: PairConfig) -> list[str]:
    """A warning per language of the pair the embedder was not trained on."""
    known = embedder.languages
    return [
        f"embedder {embedder.name!r} was not trained on {lang!r}; alignment and similarity "
        "then rest on shared names, numbers and subwords (embedder 'e5' covers about 100 "
        "languages, more slowly)"
        for lang in dict.fromkeys((pair.source_lang, pair.target_lang))
        if known is not None and lang not in known
    ]


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


def _unit_links(worker: Worker, src: LoadedText, tgt: LoadedText) -> tuple[Link, ...]:
    """Links of a bilingual pair split into sentences: aligned within each unit.

    A unit of one sentence on each side is one link; a unit with sentences on one
    side only is one drop or addition of them all; otherwise its sentences are
    aligned by the aligner. A unit empty on both sides gives no link.
    """
    by_unit: list[tuple[list[int], list[int]]] = [([], []) for _ in src.units]
    for side, text in enumerate((src, tgt)):
        for sentence in text.sentences:
            by_unit[sentence.paragraph][side].append(sentence.index)
    links: list[Link] = []
    for s_ids, t_ids in by_unit:
        if len(s_ids) <= 1 and len(t_ids) <= 1 or not (s_ids and t_ids):
            if s_ids or t_ids:
                links.append(Link(tuple(s_ids), tuple(t_ids)))
            continue
        inner = _aligned(
            worker, [src.sentences[i].text for i in s_ids], [tgt.sentences[j].text for j in t_ids]
        )
        links += [
            Link(tuple(s_ids[i] for i in lk.src), tuple(t_ids[j] for j in lk.tgt), lk.cost)
            for lk in inner
        ]
    return tuple(links)


def _links(
    worker: Worker, pair: PairConfig, src: LoadedText, tgt: LoadedText, path: Path
) -> tuple[Link, ...]:
    if pair.split_units:
        return _unit_links(worker, src, tgt)
    if pair.aligned:
        return _line_links(src, tgt, pair, path)
    return _aligned(worker, [s.text for s in src.sentences], [s.text for s in tgt.sentences])


def _aligned(worker: Worker, src: Sequence[str], tgt: Sequence[str]) -> tuple[Link, ...]:
    """Sentences aligned with the run's embedder, seed and ``[align]`` settings."""
    return align(src, tgt, worker.embedder, seed=worker.config.settings.seed, **worker.config.align)


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


def align_pair(worker: Worker, inputs: PairInputs) -> AlignedPair:
    """Align the references and every system of a pair to its source."""
    pair, src = inputs.pair, inputs.source
    started = time.perf_counter()
    ref_links = []
    for number, (ref, path) in enumerate(zip(inputs.references, pair.reference, strict=True)):
        log.info("%s: aligning reference %d to the source", pair.name, number + 1)
        ref_links.append(_links(worker, pair, src, ref, path))
    systems, segments = [], []
    for system, path, tgt in inputs.targets:
        log.info(
            "%s/%s: aligning %d source and %d target sentences",
            pair.name,
            system,
            len(src.sentences),
            len(tgt.sentences),
        )
        links = _links(worker, pair, src, tgt, path)
        texts = [
            _reference_texts(links, ref, rl)
            for ref, rl in zip(inputs.references, ref_links, strict=True)
        ]
        refs = list(zip(*texts, strict=True)) if texts else [()] * len(links)
        systems.append(links)
        segments.append(
            tuple(
                Segment(src.join(lk.src), tgt.join(lk.tgt), r[0] if r else None, tuple(r[1:]))
                for lk, r in zip(links, refs, strict=True)
            )
        )
    seconds = time.perf_counter() - started
    return AlignedPair(inputs.index, tuple(ref_links), tuple(systems), tuple(segments), seconds)


_SENTENCE = re.compile(r"\b(source|translation) sentence (\d+)\b")


def _link_unit(link: Link, src: LoadedText, tgt: LoadedText) -> int:
    """The position of the bilingual file's unit a link lies in."""
    sentence = src.sentences[link.src[0]] if link.src else tgt.sentences[link.tgt[0]]
    return sentence.paragraph


def _unit_note(flag: Flag, src: LoadedText, tgt: LoadedText) -> Flag:
    """A flag whose note names units of the bilingual file, not sentence numbers.

    A sentence of a bilingual pair belongs to the unit of its paragraph: ``source
    sentence 3 has no translation`` reads ``source of unit key2 (line 11) has no
    translation``.
    """

    def named(match: re.Match[str]) -> str:
        n = int(match.group(2)) - 1
        sentences = src.sentences if match.group(1) == "source" else tgt.sentences
        if not 0 <= n < len(sentences):
            return match.group(0)
        unit = tgt.units[sentences[n].paragraph]
        return f"{match.group(1)} of unit {unit.id} (line {unit.line})"

    note = _SENTENCE.sub(named, flag.note)
    return flag if note == flag.note else replace(flag, note=note)


def _content_mean(name: str, rows: Sequence[LinkResult]) -> float | None:
    """A mean metric's document score over the source content (drops and untranslated 0).

    ``None`` when the metric scored no link (see :meth:`LinkResult.content_score`).
    """
    if not any(r.scores.get(name) is not None for r in rows):
        return None
    parts = [v for r in rows if (v := r.content_score(name)) is not None]
    return sum(parts) / len(parts) if parts else None


def _removals(pair: PairConfig, system: str, role: str, text: LoadedText) -> list[RemovalRecord]:
    return [RemovalRecord(pair.name, system, role, text.doc.path, r) for r in text.doc.removals]


def evaluate_pair(
    worker: Worker,
    inputs: PairInputs,
    aligned: AlignedPair | None = None,
    comet: Mapping[str, Any] | None = None,
) -> PairOutput:
    """Align, score and flag every system of one pair.

    Args:
        worker: The models.
        inputs: The pair's loaded inputs.
        aligned: Links already found by :func:`align_pair`, or ``None`` to align here.
        comet: COMET statistics by sample key, scored across documents
            (:meth:`~mt_eval.metrics.comet.CometMetric.score_documents`), or ``None``
            to let the COMET metric score this pair itself.
    """
    pair, src = inputs.pair, inputs.source
    aligned = aligned or align_pair(worker, inputs)
    timings = {f"{pair.name}/align": aligned.seconds}
    removals = _removals(pair, "", "source", src)
    for ref in inputs.references:
        removals += _removals(pair, "", "reference", ref)
    rows: list[LinkResult] = []
    documents: list[DocumentResult] = []
    signatures: dict[str, str] = {"embedder": worker.embedder.signature()}
    unavailable: dict[str, dict[str, str]] = {}
    metric_notes: dict[str, dict[str, list[str]]] = {}
    checks: dict[str, list[str]] = {}
    detected = []
    for number, (system, _, tgt) in enumerate(inputs.targets):
        key = f"{pair.name}/{system}"
        links, segments = aligned.systems[number], list(aligned.segments[number])
        t = time.perf_counter()
        log.info("%s: scoring %d links", key, len(links))
        results: dict[str, MetricResult] = {}
        for name, metric in worker.metrics.items():
            if name == "comet" and comet is not None:
                metric.preload(comet)  # type: ignore[attr-defined]
            results[name] = metric.score(segments, pair.source_lang, pair.target_lang)
        timings[f"{key}/score"] = time.perf_counter() - t
        t = time.perf_counter()
        flagged = detect_flags(
            links,
            src.sentences,
            tgt.sentences,
            src_lang=pair.source_lang,
            tgt_lang=pair.target_lang,
            similarity=results["similarity"].segment_scores if "similarity" in results else None,
            settings=worker.flag_settings,
            comet=results["comet"].segment_scores if "comet" in results else None,
            reference_chrf=(
                results["chrf"].segment_scores if "chrf" in results and inputs.references else None
            ),
            align_cost=None if pair.aligned else [lk.cost for lk in links],
            embed=worker.embedder.encode,
            seed=worker.config.settings.seed,
            second=worker.second_opinion if worker.has_second_opinion else None,
        )
        timings[f"{key}/flag"] = time.perf_counter() - t
        detected.append((results, flagged))
    shared = shared_by_systems(
        [(aligned.systems[n], flagged.flags) for n, (_, flagged) in enumerate(detected)]
    )
    for number, (system, path, tgt) in enumerate(inputs.targets):
        key = f"{pair.name}/{system}"
        links, segments = aligned.systems[number], list(aligned.segments[number])
        results, flagged = detected[number]
        removals += _removals(pair, system, "target", tgt)
        if flagged.notes:
            checks[key] = list(flagged.notes)
        for name, res in results.items():
            signatures[name] = res.signature
            if res.reason:
                unavailable.setdefault(name, {})[key] = res.reason
            if res.notes:
                metric_notes.setdefault(name, {})[key] = list(res.notes)
        for name in METRIC_COLUMNS:  # report columns no metric of this run fills
            if name not in worker.metrics:
                reason = NOT_COMPUTED.get(name, "not in this run's metrics")
                unavailable.setdefault(name, {})[key] = reason
        first = len(rows)
        tagged: set[int] = set()  # units checked for inline codes (on their first link)
        for i, (link, seg, flags) in enumerate(zip(links, segments, shared[number], strict=True)):
            scores = {n: r.segment_scores[i] for n, r in results.items()}
            stats = {n: r.statistics[i] if r.statistics else None for n, r in results.items()}
            notes = tuple(r.segment_notes[i] for r in results.values() if r.segment_notes)
            notes = tuple(n for n in notes if n)  # metric remarks, e.g. COMET error spans
            place = _link_unit(link, src, tgt) if tgt.units and (link.src or link.tgt) else None
            unit = tgt.units[place] if place is not None else None
            if unit is not None:
                flags = tuple(_unit_note(f, src, tgt) for f in flags)
            if unit is not None and place not in tagged:
                tagged.add(place)
                problem = tag_problems(unit.source_codes, unit.target_codes)
                if problem and (unit.target or unit.target_codes):
                    flags = (*flags, Flag("tag_mismatch", f"inline codes: {problem}", "major"))
            rows.append(
                LinkResult(
                    pair.name,
                    system,
                    link,
                    seg.src,
                    seg.mt,
                    seg.ref,
                    scores,
                    flags,
                    stats,
                    notes,
                    str(path),
                    unit,
                    seg.other_refs,
                )
            )
        kinds = [{f.kind for f in r.flags} for r in rows[first:]]
        documents.append(
            DocumentResult(
                pair=pair.name,
                system=system,
                src_sentences=sum(1 for s in src.sentences if s.text),
                tgt_sentences=sum(1 for s in tgt.sentences if s.text),
                links=len(links),
                dropped=sum("dropped" in k for k in kinds),
                added=sum("added" in k for k in kinds),
                flagged=sum(bool(k) for k in kinds),
                scores={
                    n: _content_mean(n, rows[first:])
                    if not statistic_for(n, worker.metrics[n]).counts
                    else r.corpus_score
                    for n, r in results.items()
                },
            )
        )
    return PairOutput(
        index=inputs.index,
        links=tuple(rows),
        documents=tuple(documents),
        removals=tuple(removals),
        signatures={
            **signatures,
            **worker.second_signature(),
        },
        unavailable=unavailable,
        metric_notes=metric_notes,
        checks=checks,
        warnings=tuple(language_warnings(worker.embedder, pair)),
        timings=timings,
    )
