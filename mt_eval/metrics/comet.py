"""COMET (unbabel-comet): a learned metric, reference-based or quality estimation.

A pair with a reference is scored with ``comet_model`` (default
``Unbabel/wmt22-comet-da``, Apache-2.0), a pair without one with ``comet_qe_model``
(default ``Unbabel/wmt20-comet-qe-da``, Apache-2.0: downloads without a licence
gate and allows commercial use; CometKiwi ``Unbabel/wmt22-cometkiwi-da`` scores
better but is gated and CC BY-NC-SA 4.0, non-commercial only: an opt-in).
Scores are comet's own ``predict`` output; a document's score is the mean of its
links' scores, as comet's ``system_score``, over the source content (a drop or an
untranslated link counts 0).

Speed: identical (source, translation, reference) triplets are scored once; the
rest are sorted by length before batching (less padding); scores are kept in the
run's on-disk cache under the checkpoint's SHA-256 and the unbabel-comet version,
so a re-run or a re-delivery only scores the links that changed. A model that
cannot be had (offline, not cached) leaves the column empty with the reason and
the fix, and the run goes on; torch and comet are then never imported.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import json
import logging
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mt_eval.cache import DiskCache, text_key
from mt_eval.errors import ConfigError, MetricUnavailable
from mt_eval.metrics.base import Metric, has_reference, is_empty
from mt_eval.metrics.comet_loading import (
    CometCheckpoint,
    check_local_model,
    load_model,
    resolve_checkpoint,
)
from mt_eval.model import MetricResult, Segment

if TYPE_CHECKING:
    from collections.abc import Iterable

log = logging.getLogger(__name__)
_WARNED: set[str] = set()


def _short(exc: MetricUnavailable) -> str:
    """A reason for stderr: what is wrong, with a long fix left to ``run.json``.

    The full message (how to fetch the model, where to put it) is the ``unavailable``
    entry of ``run.json``; on stderr it opened every run with 700 characters.
    """
    if not exc.fix:
        return str(exc)
    fix = "how to fix: 'unavailable' in run.json; --no-comet turns it off"
    return f"{exc.reason.rstrip('.')} ({fix})"


DEFAULT_MODEL = "Unbabel/wmt22-comet-da"
DEFAULT_QE_MODEL = "Unbabel/wmt20-comet-qe-da"
PRECISION = "32"  # comet's predict runs the Lightning trainer at its default, 32-bit float
PROGRESS_BATCHES = 5  # show comet's progress bar from this many batches on (at -v/INFO)
_QUIET_LOGGERS = ("pytorch_lightning", "lightning.pytorch", "lightning_fabric", "lightning")


@dataclass(frozen=True)
class ErrorSpan:
    """An error span an XCOMET-style model marked in the translation.

    Attributes:
        text: The marked text (decoded subwords).
        severity: ``minor``, ``major`` or ``critical``.
        confidence: Mean probability of the label over the span's subwords.
        start: Character offset of the span in the translation.
        end: Character offset just after the span.
    """

    text: str
    severity: str
    confidence: float
    start: int
    end: int

    def describe(self) -> str:
        """``"text" major (0.62, characters 10-17)``."""
        return (
            f'"{self.text}" {self.severity} ({self.confidence:.2f}, '
            f"characters {self.start}-{self.end})"
        )


@dataclass(frozen=True)
class CometStats:
    """One segment's COMET output: its score and any error spans."""

    score: float
    error_spans: tuple[ErrorSpan, ...] = ()

    def to_bytes(self) -> bytes:
        """JSON bytes for the on-disk cache (floats round-trip exactly)."""
        spans = [[s.text, s.severity, s.confidence, s.start, s.end] for s in self.error_spans]
        return json.dumps({"score": self.score, "spans": spans}).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> CometStats:
        """Inverse of :meth:`to_bytes`."""
        raw = json.loads(data.decode("utf-8"))
        return cls(float(raw["score"]), tuple(ErrorSpan(*span) for span in raw["spans"]))


def _error_spans(raw: Any) -> tuple[ErrorSpan, ...]:
    return tuple(
        ErrorSpan(
            text=str(span["text"]).strip(),
            severity=str(span["severity"]),
            confidence=float(span["confidence"]),
            start=int(span["start"]),
            end=int(span["end"]),
        )
        for span in raw or ()
    )


@contextlib.contextmanager
def _quiet_lightning(verbose: bool) -> Iterator[None]:
    """Keep Lightning's per-call banners and tips off stderr while comet predicts."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [lg.level for lg in loggers]
    if not verbose:
        for lg in loggers:
            lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*LeafSpec.*")
            warnings.filterwarnings("ignore", message=".*num_workers.*")
            yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


class Comet(Metric):
    """COMET segment scores from unbabel-comet's ``predict``; the document score is their mean.

    Args:
        comet_model: Model for pairs with a reference: hub id, ``.ckpt`` file or folder
            holding ``checkpoints/model.ckpt``.
        comet_qe_model: Model for pairs without a reference (quality estimation);
            the same forms. Setting both to one model (``--comet-model``) uses it for
            every pair; a reference-based model for a pair with no reference is an error.
        batch_size: Segments per batch in ``predict``.
        gpus: GPUs for ``predict``: 0 (CPU) or 1.
        threads: CPU threads torch may use while scoring (the run's ``threads``).
        cache: The run's on-disk cache, or ``None`` to score everything every time.

    Raises:
        ConfigError: An option is invalid, or a model named by path holds no checkpoint.
    """

    name = "comet"
    runtime_args = frozenset({"cache"})

    def __init__(
        self,
        comet_model: str = DEFAULT_MODEL,
        comet_qe_model: str = DEFAULT_QE_MODEL,
        batch_size: int = 16,
        gpus: int = 0,
        threads: int = 1,
        cache: DiskCache | None = None,
    ) -> None:
        for key, value in (("comet_model", comet_model), ("comet_qe_model", comet_qe_model)):
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(f"comet {key} must be a model name or path, not {value!r}")
            check_local_model(value, f"comet {key}")
        for key, value, least in (("batch_size", batch_size, 1), ("threads", threads, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise ConfigError(f"comet {key} must be a positive integer, not {value!r}")
        if not isinstance(gpus, int) or isinstance(gpus, bool) or gpus not in (0, 1):
            raise ConfigError(
                f"comet gpus must be 0 (CPU) or 1, not {gpus!r} (mt-eval scores on one device)"
            )
        if cache is not None and not isinstance(cache, DiskCache):
            raise ConfigError(f"comet cache must be an mt_eval DiskCache, not {cache!r}")
        self.comet_model = comet_model
        self.comet_qe_model = comet_qe_model
        self.batch_size = batch_size
        self.gpus = gpus
        self.threads = threads
        self.cache = cache
        self._resolved: dict[str, CometCheckpoint | MetricUnavailable] = {}
        self._models: dict[str, Any] = {}
        self._notes: tuple[str, ...] = ()
        self._use_ref = False
        self._known: dict[str, CometStats] = {}
        #: ``predict`` calls made by this object (one per batch of documents).
        self.predict_calls = 0
        try:
            self.version = importlib.metadata.version("unbabel-comet")
        except importlib.metadata.PackageNotFoundError:
            self.version = "not installed"

    @property
    def skip_reason(self) -> str:  # type: ignore[override]
        """Why a segment of the last scored document has no score."""
        if self._use_ref:
            return "empty source, translation or reference"
        return "empty source or translation"

    # -- which model, and can it be had ----------------------------------------------

    def model_name(self, with_reference: bool) -> str:
        """The model for a pair with or without a reference."""
        return self.comet_model if with_reference else self.comet_qe_model

    def checkpoint(self, name: str) -> CometCheckpoint:
        """The resolved checkpoint of a model, resolved once per run.

        Raises:
            MetricUnavailable: The model cannot be had (logged as a warning once).
            ConfigError: A local checkpoint is missing or malformed.
        """
        if name not in self._resolved:
            try:
                if importlib.util.find_spec("comet") is None:
                    raise MetricUnavailable(
                        "COMET needs unbabel-comet, which is not installed; install it with "
                        "`pip install torch==2.13.0 && pip install 'mt-eval[comet]'` (torch "
                        "first, so pip keeps the CPU build), or turn COMET off with --no-comet"
                    )
                self._resolved[name] = resolve_checkpoint(name, self.cache)
            except MetricUnavailable as exc:
                if str(exc) not in _WARNED:  # once a process, however many metric objects
                    _WARNED.add(str(exc))
                    log.warning("comet cells stay empty: %s", _short(exc))
                self._resolved[name] = exc
        found = self._resolved[name]
        if isinstance(found, MetricUnavailable):
            raise found
        return found

    def check_inputs(self, has_reference: bool) -> None:
        """Resolve the model a pair needs; a reference-based model needs a reference.

        Raises:
            ConfigError: The model needs a reference and there is none, or a local
                checkpoint is broken. An unavailable model is not an error here: its
                cells stay empty, with the reason, when the pair is scored.
        """
        name = self.model_name(has_reference)
        try:
            ckpt = self.checkpoint(name)
        except MetricUnavailable:
            return
        if not has_reference and ckpt.requires_references:
            key = "comet_model" if name == self.comet_model else "comet_qe_model"
            raise ConfigError(
                f"COMET model {name!r} ({ckpt.class_identifier}) needs a reference, and "
                f"there is none; give a reference, choose a quality-estimation model for "
                f"pairs without one (comet_qe_model, or --comet-model), or turn COMET off "
                f"(--no-comet); {key} = {name!r}"
            )

    def applies(self, src_lang: str, tgt_lang: str, has_reference: bool) -> str:
        """``""`` when the model this pair needs can be had, otherwise why not and the fix."""
        self.check_inputs(has_reference)
        try:
            self.checkpoint(self.model_name(has_reference))
        except MetricUnavailable as exc:
            return str(exc)
        return ""

    def score(
        self,
        segments: Sequence[Segment],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ) -> MetricResult:
        """Score segments; the model is chosen by whether they carry a reference.

        Unlike the base class, availability is checked even without languages.
        """
        segments = list(segments)
        self._notes = ()
        reason = self.applies(src_lang or "", tgt_lang or "", has_reference(segments))
        if reason:
            return self.unscored(len(segments), reason)
        return super().score(segments)

    # -- statistics ------------------------------------------------------------------

    def segment_statistics(self, segments: Sequence[Segment]) -> list[CometStats | None]:
        """COMET output per segment; ``None`` where a needed text is empty.

        Raises:
            MetricUnavailable: The model cannot be had.
        """
        with_reference = has_reference(segments)
        ckpt, keys, samples = self.samples(segments)
        use_ref = self._use_ref = with_reference and ckpt.uses_reference
        self._notes = self._scoring_notes(ckpt, with_reference, use_ref)
        found = {k: self._known[k] for k in samples if k in self._known}
        if len(found) < len(samples):
            found.update(self._scores(ckpt, {k: v for k, v in samples.items() if k not in found}))
        return [None if key is None else found[key] for key in keys]

    def samples(
        self, segments: Sequence[Segment]
    ) -> tuple[CometCheckpoint, list[str | None], dict[str, dict[str, str]]]:
        """The model segments need, a sample key per segment, and the unique samples.

        A segment with an empty text it needs has no key (``None``).

        Raises:
            MetricUnavailable: The model cannot be had.
        """
        with_reference = has_reference(segments)
        ckpt = self.checkpoint(self.model_name(with_reference))
        use_ref = with_reference and ckpt.uses_reference
        keys: list[str | None] = []
        samples: dict[str, dict[str, str]] = {}
        for seg in segments:
            if is_empty(seg.src) or is_empty(seg.mt) or (use_ref and is_empty(seg.ref)):
                keys.append(None)
                continue
            sample = {"src": seg.src, "mt": seg.mt}
            if use_ref:
                sample["ref"] = seg.ref  # type: ignore[assignment]
                key = text_key("ref", seg.src, seg.mt, seg.ref)  # type: ignore[arg-type]
            else:
                key = text_key("qe", seg.src, seg.mt)
            keys.append(key)
            samples.setdefault(key, sample)
        return ckpt, keys, samples

    def score_documents(
        self, documents: Sequence[Sequence[Segment]]
    ) -> tuple[dict[str, CometStats], int]:
        """Score the segments of many documents with one ``predict`` per model.

        Returns:
            Sample key to statistics (for :meth:`preload`), and how many ``predict``
            calls were made. Documents whose model cannot be had are left out.
        """
        by_model: dict[str, tuple[CometCheckpoint, dict[str, dict[str, str]]]] = {}
        for segments in documents:
            segments = list(segments)
            if not segments:
                continue
            try:
                ckpt, _, samples = self.samples(segments)
            except MetricUnavailable:
                continue
            by_model.setdefault(ckpt.sha256, (ckpt, {}))[1].update(samples)
        found: dict[str, CometStats] = {}
        calls = 0
        for ckpt, samples in by_model.values():
            before = self.predict_calls
            found.update(self._scores(ckpt, samples))
            calls += self.predict_calls - before
        return found, calls

    def preload(self, known: Mapping[str, CometStats]) -> None:
        """Scores computed elsewhere (:meth:`score_documents`), read before cache and model."""
        self._known = dict(known)

    def _namespace(self, ckpt: CometCheckpoint) -> str:
        return f"comet|{ckpt.sha256}|unbabel-comet {self.version}|prec {PRECISION}"

    def _scores(
        self, ckpt: CometCheckpoint, samples: dict[str, dict[str, str]]
    ) -> dict[str, CometStats]:
        """Scores of unique samples: from the cache, the rest from the model."""
        namespace = self._namespace(ckpt)
        found: dict[str, CometStats] = {}
        if self.cache is not None and samples:
            hits = self.cache.get_many(namespace, samples)
            for k, v in hits.items():
                try:
                    stats = CometStats.from_bytes(v)
                except (ValueError, KeyError, TypeError):
                    stats = None
                if stats is not None and math.isfinite(stats.score):
                    found[k] = stats
                else:  # undecodable: a miss, recomputed and replaced
                    self.cache.reject()
        todo = [k for k in samples if k not in found]
        log.info(
            "comet: %d unique segments, %d from the cache, scoring %d with %s",
            len(samples),
            len(found),
            len(todo),
            ckpt.name,
        )
        if todo:
            todo.sort(key=lambda k: sum(len(t) for t in samples[k].values()))
            new = self._predict(ckpt, [samples[k] for k in todo])
            fresh = dict(zip(todo, new, strict=True))
            if self.cache is not None:
                self.cache.put_many(namespace, {k: v.to_bytes() for k, v in fresh.items()})
            found.update(fresh)
        return found

    def _model(self, ckpt: CometCheckpoint) -> Any:
        if ckpt.sha256 not in self._models:
            if self.gpus:
                import torch

                if not torch.cuda.is_available():
                    raise ConfigError(
                        "comet gpus = 1, but torch sees no CUDA device (torch "
                        f"{torch.__version__}); use gpus = 0 or install a CUDA build of torch"
                    )
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated.*")
                self._models[ckpt.sha256] = load_model(ckpt)
        return self._models[ckpt.sha256]

    def _predict(self, ckpt: CometCheckpoint, samples: list[dict[str, str]]) -> list[CometStats]:
        """Run unbabel-comet's ``predict`` on samples already sorted by length, in order."""
        model = self._model(ckpt)
        self.predict_calls += 1
        import torch

        progress = log.isEnabledFor(logging.INFO) and (
            len(samples) >= PROGRESS_BATCHES * self.batch_size
        )
        previous = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            with _quiet_lightning(log.isEnabledFor(logging.DEBUG)):
                out = model.predict(
                    samples,
                    batch_size=self.batch_size,
                    gpus=self.gpus,
                    progress_bar=progress,
                    length_batching=False,  # sorted by the length of all inputs already
                )
        finally:
            torch.set_num_threads(previous)
        metadata = out.get("metadata") or {}
        spans = metadata.get("error_spans") or [()] * len(samples)
        return [
            CometStats(float(s), _error_spans(sp)) for s, sp in zip(out.scores, spans, strict=True)
        ]

    def _scoring_notes(
        self, ckpt: CometCheckpoint, with_reference: bool, use_ref: bool
    ) -> tuple[str, ...]:
        how = "with the reference" if use_ref else "without a reference"
        notes = [f"{ckpt.kind} model {ckpt.name} ({ckpt.class_identifier}), scored {how}"]
        if with_reference and not use_ref:
            notes.append("the model does not read references: the reference was not used")
        return tuple(notes)

    # -- scores ----------------------------------------------------------------------

    def segment_score(self, stats: CometStats) -> float:
        """The model's score of the segment."""
        return stats.score

    def segment_note(self, stats: CometStats) -> str:
        """The error spans the model marked, if any."""
        if not stats.error_spans:
            return ""
        return "comet error spans: " + ", ".join(s.describe() for s in stats.error_spans)

    def aggregate(self, stats_list: Sequence[CometStats]) -> float | None:
        """Mean segment score (comet's ``system_score``); ``None`` if nothing was scored."""
        if not stats_list:
            return None
        return math.fsum(s.score for s in stats_list) / len(stats_list)

    def notes(self) -> tuple[str, ...]:
        """Which model scored the last document, and whether it read the reference."""
        return self._notes

    def signature(self) -> str:
        """One sacrebleu-style part per model this run resolved, joined by `` + ``.

        E.g. ``model:Unbabel/wmt22-comet-da|ckpt:sha256.1a2b3c4d5e6f|kind:reference-based|
        prec:32|bs:16|gpus:0|version:2.2.7``; a model that could not be had shows
        ``ckpt:unavailable``.
        """
        names: Iterable[str] = self._resolved or dict.fromkeys(
            (self.comet_model, self.comet_qe_model)
        )
        parts = []
        for name in names:
            ckpt = self._resolved.get(name)
            if isinstance(ckpt, CometCheckpoint):
                ident = f"ckpt:sha256.{ckpt.sha256[:12]}|kind:{ckpt.kind}"
            else:
                ident = "ckpt:unavailable"
            parts.append(
                f"model:{name}|{ident}|prec:{PRECISION}|bs:{self.batch_size}|gpus:{self.gpus}"
                f"|version:{self.version}"
            )
        return " + ".join(parts)
