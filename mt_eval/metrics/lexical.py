"""BLEU and chrF through sacrebleu, with per-segment sufficient statistics.

Each segment's statistics are sacrebleu's own match counts (a tuple of ints:
``[hyp_len, ref_len, correct_1..n, total_1..n]`` for BLEU, ``[hyp, ref, match]``
triplets for chrF). A segment score is sacrebleu's score of those counts and the
corpus score is sacrebleu's score of their column sums, so the numbers equal
``sacrebleu.sentence_bleu`` / ``sentence_chrf`` and ``corpus_bleu`` / ``corpus_chrf``
exactly, and a bootstrap can resample the counts without re-tokenising.

Which text is the reference (see :func:`lexical_reference_mode`): the reference
when there is one; otherwise, for a same-language pair (e.g. ``en-GB`` to
``en-US`` adaptation, post-editing), the source; otherwise nothing.

Missing and invented content:

- A segment with a reference text but no translation (a dropped link) is scored as
  an empty hypothesis against that reference. sacrebleu's statistics of ``""`` count
  the reference's length and n-grams with no match, so the segment scores 0 (as
  ``sentence_bleu("", [ref])`` and ``sentence_chrf("", [ref])`` do) and the corpus
  score falls through BLEU's brevity penalty and chrF's recall, as sacrebleu's
  ``corpus_bleu`` / ``corpus_chrf`` would with an empty line in the hypotheses.
- A translation with no reference text (an added link) is not scored. sacrebleu's
  statistics against an empty reference define no penalty for it: chrF counts no
  hypothesis n-gram of an order the reference lacks (its row is all zeros), and
  BLEU adds the text to the hypothesis length (``ref_len`` 0, nothing matched), which
  lowers the n-gram precisions but lifts the brevity penalty, so invented text can
  *raise* corpus BLEU when the output is shorter than the reference.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from mt_eval.errors import ConfigError, MetricUnavailable
from mt_eval.languages import same_language
from mt_eval.metrics.base import Metric, has_reference, is_empty
from mt_eval.model import MetricResult, Segment

Stats = tuple[int, ...]

_AGAINST = ("auto", "reference", "source")
STATISTICS_CHUNK = 1000
"""Segments whose statistics sacrebleu extracts at once (it holds their n-grams meanwhile)."""
NO_REFERENCE_REASON = "no reference and source/target languages differ"
AUTO_NEEDS_LANGUAGES_REASON = (
    "no reference; pass src_lang and tgt_lang to score() so that a same-language pair "
    "is scored against the source"
)


def lexical_reference_mode(src_lang: str, tgt_lang: str, has_reference: bool) -> str:
    """Decide what a lexical metric compares the translation with.

    Args:
        src_lang: Source language code.
        tgt_lang: Target language code.
        has_reference: Whether a reference translation is given.

    Returns:
        ``"reference"`` when there is a reference, ``"source"`` when there is none but
        both sides are the same language, ``""`` when the metric cannot be computed.
    """
    if has_reference:
        return "reference"
    if same_language(src_lang, tgt_lang):
        return "source"
    return ""


def _number(value: Any) -> int | float:
    """A sacrebleu statistic as an int when it is whole (TER's mean reference length may not be)."""
    number = float(value)
    return int(number) if number.is_integer() else number


class _LexicalMetric(Metric):
    """Shared logic of sacrebleu-backed metrics: choosing sides, statistics, signature.

    Subclasses create ``self._sentence`` (segment-level sacrebleu metric) and
    ``self._corpus`` (corpus-level one); both must produce identical statistics.
    """

    _sentence: Any
    _corpus: Any

    def __init__(self, against: str = "auto") -> None:
        if against not in _AGAINST:
            raise ConfigError(
                f"{self.name} 'against' must be one of {list(_AGAINST)}, not {against!r}"
            )
        self.against = against
        self.num_refs = 1

    # -- which text is the reference -------------------------------------------------

    @property
    def skip_reason(self) -> str:  # type: ignore[override]
        """Why a segment has no score."""
        if self.against == "source":
            return "no source text to score against (an added translation)"
        return (
            "no reference text to score against (an added translation, or source text "
            "the reference leaves out)"
        )

    def applies(self, src_lang: str, tgt_lang: str, has_reference: bool) -> str:
        """Say whether BLEU/chrF can be computed; see :func:`lexical_reference_mode`."""
        if self.against == "reference":
            return "" if has_reference else "no reference given"
        if self.against == "source":
            if same_language(src_lang, tgt_lang):
                return ""
            return "source and target languages differ; cannot score against the source"
        mode = lexical_reference_mode(src_lang, tgt_lang, has_reference)
        return "" if mode else NO_REFERENCE_REASON

    def resolved(self, against: str) -> _LexicalMetric:
        """A copy of this metric that scores against ``"reference"`` or ``"source"``."""
        if against not in ("reference", "source"):
            raise ConfigError(f"cannot resolve {self.name} against {against!r}")
        other = copy.copy(self)
        other.against = against
        return other

    def score(
        self,
        segments: Sequence[Segment],
        src_lang: str | None = None,
        tgt_lang: str | None = None,
    ) -> MetricResult:
        """Score segments; with languages, ``against="auto"`` picks the reference side.

        Without languages, ``"auto"`` scores against references only (segments with
        no reference are not scored; if none has one, the reason says to pass the
        languages), since scoring against the source is only meaningful for a
        same-language pair.
        """
        segments = list(segments)
        if self.against == "auto" and src_lang is not None and tgt_lang is not None:
            mode = lexical_reference_mode(src_lang, tgt_lang, has_reference(segments))
            if mode:
                return self.resolved(mode).score(segments, src_lang, tgt_lang)
        elif self.against == "auto" and segments and not has_reference(segments):
            return self.unscored(len(segments), AUTO_NEEDS_LANGUAGES_REASON)
        used = self.references_used(segments)
        if used != self.num_refs:  # a copy, so the signature says how many references
            other = copy.copy(self)
            other.num_refs = used
            return other.score(segments, src_lang, tgt_lang)
        return super().score(segments, src_lang, tgt_lang)

    def _pair(self, seg: Segment) -> tuple[str, tuple[str | None, ...]] | None:
        """Hypothesis and references of a segment; ``None`` when no reference has text.

        A missing translation is the empty hypothesis ``""`` (see the module docstring).
        A reference without text for the segment is ``None``, which sacrebleu leaves
        out, so the segment is scored against the references that have text.
        """
        sides = (seg.src,) if self.against == "source" else seg.references
        refs = tuple(None if is_empty(r) else r for r in sides)
        if all(r is None for r in refs):
            return None
        return ("" if is_empty(seg.mt) else seg.mt), refs  # type: ignore[return-value]

    def notes(self) -> tuple[str, ...]:
        """Say when translations were scored against the source."""
        if self.against == "source":
            return ("scored against the source text (no reference; same-language pair)",)
        return ()

    # -- statistics and scores ----------------------------------------------------

    def segment_statistics(self, segments: Sequence[Segment]) -> list[Stats | None]:
        """The sacrebleu match counts per segment; ``None`` where the reference side is empty.

        An empty translation gets sacrebleu's counts of ``""`` (no match, the full
        reference length): a segment score of 0 that the corpus score counts.
        """
        pairs = [self._pair(s) for s in segments]
        todo = [p for p in pairs if p is not None]
        counts: list[Stats] = []
        # sacrebleu extracts every reference's n-grams before the first hypothesis;
        # in chunks, the peak memory stays that of one chunk (the counts are the same)
        for start in range(0, len(todo), STATISTICS_CHUNK):
            chunk = todo[start : start + STATISTICS_CHUNK]
            hyps = [h for h, _ in chunk]
            width = max(len(r) for _, r in chunk)
            streams = [[r[k] if k < len(r) else None for _, r in chunk] for k in range(width)]
            raw = self._sentence._extract_corpus_statistics(hyps, streams)
            counts += [tuple(_number(x) for x in row) for row in raw]
        it = iter(counts)
        return [None if p is None else next(it) for p in pairs]

    def references_used(self, segments: Sequence[Segment]) -> int:
        """How many references the segments are scored against; -1 when it varies.

        This is sacrebleu's ``num_refs`` (``nrefs:var`` in a signature for -1).
        """
        counts = {sum(r is not None for r in p[1]) for s in segments if (p := self._pair(s))}
        return counts.pop() if len(counts) == 1 else (1 if not counts else -1)

    def segment_score(self, stats: Stats) -> float:
        """The sacrebleu sentence-level score of one segment's counts (0-100)."""
        return float(self._sentence._compute_score_from_stats(list(stats)).score)

    def aggregate(self, stats_list: Sequence[Stats]) -> float | None:
        """The sacrebleu corpus-level score of the summed counts (0-100); ``None`` if empty."""
        if not stats_list:
            return None
        return float(self._corpus._aggregate_and_compute([list(s) for s in stats_list]).score)

    def score_from_totals(self, totals: Any) -> float:
        """Corpus score (0-100) of already summed statistics, as sacrebleu computes it.

        This is the call sacrebleu's bootstrap and paired tests make on each resample
        (``_compute_score_from_stats``), so resampling with it reproduces their numbers.

        Args:
            totals: Column sums of segment statistics (a sequence or numpy array).
        """
        return float(self._corpus._compute_score_from_stats(totals).score)

    def _signature_parts(self, sacre_metric: Any, extra: dict[str, Any]) -> str:
        """The sacrebleu signature plus mt-eval's own parts.

        ``drop:empty-hyp`` says a missing translation is scored as an empty hypothesis,
        so that ``compare`` never tests these scores against those of an earlier run
        that left drops unscored (its signatures lack the part).
        """
        args = dict(vars(sacre_metric))
        args["num_refs"] = self.num_refs
        sig = sacre_metric._SIGNATURE_TYPE(args)
        for key, value in extra.items():
            sig.update(key, value)
        if self.against == "source":
            sig.update("ref", "source")
        sig.update("drop", "empty-hyp")
        return sig.format()


class BLEU(_LexicalMetric):
    """BLEU: sentence BLEU with effective order per segment, standard corpus BLEU.

    Args:
        tokenize: sacrebleu tokenizer (``13a``, ``intl``, ``zh``, ``char``, ``none``, ...).
        lowercase: Case-insensitive BLEU.
        smooth_method: ``exp``, ``floor``, ``add-k`` or ``none``.
        smooth_value: Value for ``floor`` / ``add-k``; ``None`` for sacrebleu's default.
        max_ngram_order: Highest n-gram order.
        against: ``"auto"``, ``"reference"`` or ``"source"``; see
            :func:`lexical_reference_mode`.

    Raises:
        ConfigError: An option has an invalid value.
        MetricUnavailable: The tokenizer needs a package that is not installed.
    """

    name = "bleu"

    def __init__(
        self,
        tokenize: str = "13a",
        lowercase: bool = False,
        smooth_method: str = "exp",
        smooth_value: float | None = None,
        max_ngram_order: int = 4,
        against: str = "auto",
    ) -> None:
        super().__init__(against)
        from sacrebleu.metrics.bleu import BLEU as SacreBLEU

        if tokenize not in SacreBLEU.TOKENIZERS:
            raise ConfigError(
                f"unknown BLEU tokenize {tokenize!r}; choose one of {sorted(SacreBLEU.TOKENIZERS)}"
            )
        if smooth_method not in SacreBLEU.SMOOTH_DEFAULTS:
            raise ConfigError(
                f"unknown BLEU smooth_method {smooth_method!r}; "
                f"choose one of {sorted(SacreBLEU.SMOOTH_DEFAULTS)}"
            )
        if not isinstance(max_ngram_order, int) or isinstance(max_ngram_order, bool):
            raise ConfigError(f"BLEU max_ngram_order must be an integer, not {max_ngram_order!r}")
        if max_ngram_order < 1:
            raise ConfigError(f"BLEU max_ngram_order must be at least 1, not {max_ngram_order}")
        self.tokenize = tokenize
        self.lowercase = bool(lowercase)
        self.smooth_method = smooth_method
        self.smooth_value = smooth_value
        self.max_ngram_order = max_ngram_order
        options = dict(
            lowercase=self.lowercase,
            tokenize=tokenize,
            smooth_method=smooth_method,
            smooth_value=smooth_value,
            max_ngram_order=max_ngram_order,
        )
        try:
            self._sentence = SacreBLEU(effective_order=True, **options)
            self._corpus = SacreBLEU(effective_order=False, **options)
        except ImportError as exc:
            raise MetricUnavailable(
                f"BLEU tokenizer {tokenize!r} needs a package that is not installed: {exc}"
            ) from exc

    def signature(self) -> str:
        """The sacrebleu corpus BLEU signature plus ``seg-eff:yes`` for segment scores.

        E.g.
        ``nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|seg-eff:yes|drop:empty-hyp|version:2.6.0``
        (``drop``: see :meth:`_signature_parts`).
        """
        return self._signature_parts(self._corpus, {"seg-eff": "yes"})


class CHRF(_LexicalMetric):
    """chrF (or chrF++ with ``word_order=2``), per segment and per corpus.

    Args:
        char_order: Character n-gram order.
        word_order: Word n-gram order (2 gives chrF++).
        beta: Weight of recall relative to precision.
        lowercase: Case-insensitive.
        whitespace: Keep whitespace in character n-grams.
        eps_smoothing: chrF++.py-style epsilon smoothing instead of effective order.
        against: ``"auto"``, ``"reference"`` or ``"source"``; see
            :func:`lexical_reference_mode`.

    Raises:
        ConfigError: An option has an invalid value.
    """

    name = "chrf"

    def __init__(
        self,
        char_order: int = 6,
        word_order: int = 0,
        beta: int = 2,
        lowercase: bool = False,
        whitespace: bool = False,
        eps_smoothing: bool = False,
        against: str = "auto",
    ) -> None:
        super().__init__(against)
        from sacrebleu.metrics.chrf import CHRF as SacreCHRF

        for key, value in (("char_order", char_order), ("word_order", word_order), ("beta", beta)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ConfigError(f"chrF {key} must be a non-negative integer, not {value!r}")
        if char_order + word_order < 1:
            raise ConfigError("chrF needs char_order + word_order of at least 1")
        self.char_order = char_order
        self.word_order = word_order
        self.beta = beta
        self.lowercase = bool(lowercase)
        self.whitespace = bool(whitespace)
        self.eps_smoothing = bool(eps_smoothing)
        self._sentence = self._corpus = SacreCHRF(
            char_order=char_order,
            word_order=word_order,
            beta=beta,
            lowercase=self.lowercase,
            whitespace=self.whitespace,
            eps_smoothing=self.eps_smoothing,
        )

    @classmethod
    def column_for(cls, options: dict[str, Any]) -> str:
        """``chrf``, or ``chrf+`` / ``chrf++`` with word n-grams (sacrebleu's chrF++ naming)."""
        return "chrf" + "+" * int(options.get("word_order", 0))

    def signature(self) -> str:
        """The sacrebleu chrF signature (the same for segments and corpus), plus beta if not 2.

        E.g. ``nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|drop:empty-hyp|version:2.6.0``
        (``drop``: see :meth:`_signature_parts`).
        """
        extra = {} if self.beta == 2 else {"beta": self.beta}
        return self._signature_parts(self._corpus, extra)


class TER(_LexicalMetric):
    """TER, the translation edit rate (0-100, lower is better), per segment and corpus.

    The statistics of a segment are sacrebleu's ``[edits, reference length]`` (with
    several references: the fewest edits to any of them and their mean length), so
    corpus TER is the summed edits over the summed lengths, as sacrebleu's
    ``corpus_ter``. A dropped translation needs as many edits as its reference has
    words: TER 100.

    Args:
        normalized: Normalise punctuation and tokenise as Tercom's ``-N``.
        no_punct: Remove punctuation.
        asian_support: Tokenise Asian characters (with ``normalized``).
        case_sensitive: Count case differences as edits.
        against: ``"auto"``, ``"reference"`` or ``"source"``; see
            :func:`lexical_reference_mode`.
    """

    name = "ter"
    higher_is_better = False
    statistics_dtype = "float64"  # the mean length of several references may be fractional

    def __init__(
        self,
        normalized: bool = False,
        no_punct: bool = False,
        asian_support: bool = False,
        case_sensitive: bool = False,
        against: str = "auto",
    ) -> None:
        super().__init__(against)
        from sacrebleu.metrics.ter import TER as SacreTER

        self.normalized = bool(normalized)
        self.no_punct = bool(no_punct)
        self.asian_support = bool(asian_support)
        self.case_sensitive = bool(case_sensitive)
        self._sentence = self._corpus = SacreTER(
            normalized=self.normalized,
            no_punct=self.no_punct,
            asian_support=self.asian_support,
            case_sensitive=self.case_sensitive,
        )

    def signature(self) -> str:
        """The sacrebleu TER signature.

        E.g. ``nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|drop:empty-hyp|version:2.6.0``.
        """
        return self._signature_parts(self._corpus, {})
