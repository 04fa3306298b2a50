"""The plain, frozen records that flow between pipeline stages.

Indices are 0-based everywhere inside the library; the report turns sentence
indices into the 1-based ids users see in CSV files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Removal:
    """Something cleaning took out of a document, and why.

    Attributes:
        line: 1-based line number in the original file.
        text: The exact text removed (a whole line, a tag, an escape backslash).
        reason: Short machine-friendly reason, e.g. ``"html-tag"``, ``"boilerplate:url-trailer"``.
    """

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of cleaned text (one non-empty input line).

    Attributes:
        text: Cleaned text, stripped; empty only in line-aligned input, where
            every line, empty or not, keeps its place.
        line: 1-based line number of the original file it came from.
    """

    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """A cleaned document: its paragraphs plus a record of every removal.

    Attributes:
        path: Where it was read from (empty for documents built in memory).
        lang: Language code as given by the user (e.g. ``"en"``, ``"id"``).
        paragraphs: Cleaned paragraphs in document order.
        removals: Everything cleaning removed, in document order.
    """

    path: str
    lang: str
    paragraphs: tuple[Paragraph, ...]
    removals: tuple[Removal, ...] = ()


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document.

    Attributes:
        index: 0-based position in the document's sentence list.
        text: Sentence text, stripped.
        paragraph: 0-based index of the paragraph it belongs to.
        line: 1-based line number of the original file.
    """

    index: int
    text: str
    paragraph: int
    line: int


@dataclass(frozen=True)
class Link:
    """One alignment bead: source sentences that correspond to target sentences.

    Attributes:
        src: 0-based source sentence indices, consecutive; empty for an addition.
        tgt: 0-based target sentence indices, consecutive; empty for a drop.
        cost: Alignment cost of the bead (lower is better); ``None`` when no model
            aligned it (line-aligned input, a unit of a bilingual file).
    """

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    cost: float | None = None

    @property
    def kind(self) -> str:
        """Bead shape as ``"n-m"``, e.g. ``"1-1"``, ``"2-1"``, ``"1-0"``."""
        return f"{len(self.src)}-{len(self.tgt)}"


FLAG_KINDS = (
    "dropped",
    "added",
    "duplicate",
    "untranslated",
    "number_mismatch",
    "entity_mismatch",
    "mistranslation",
    "placeholder_mismatch",
    "tag_mismatch",
)
"""Every flag kind, in the order flags of one link are listed."""

SEVERITIES = ("minor", "major", "critical")
"""Every severity, mildest first."""


@dataclass(frozen=True)
class Flag:
    """A problem found in one link, with a note a person can read.

    Attributes:
        kind: One of :data:`FLAG_KINDS`: ``dropped``, ``added``, ``duplicate``,
            ``untranslated``, ``number_mismatch``, ``entity_mismatch``, ``mistranslation``.
        note: What was found, e.g. ``"number 138 in source, 183 in translation"``.
        severity: ``minor``, ``major`` or ``critical``.
    """

    kind: str
    note: str
    severity: str = "major"


@dataclass(frozen=True)
class Unit:
    """One translation unit of a bilingual file (XLIFF, TMX, PO), as the vendor delivered it.

    Attributes:
        id: The unit's id in its file: XLIFF ``id`` (``ID#MID`` for one ``<mrk>``
            segment of it), TMX ``tuid`` or position, PO ``msgctxt|msgid``.
        source: Source text, clean (inline codes out; :mod:`mt_eval.bilingual.codes`).
        target: Target text, clean; ``""`` for an empty target.
        line: 1-based line of the unit in the file.
        original: XLIFF ``<file original>`` (or ``id``) the unit belongs to, or ``""``.
        state: The unit's state as the tool wrote it (``translated``,
            ``needs-review-translation``, memoQ ``NotStarted``, SDL ``Translated``,
            PO ``fuzzy``...), or ``""``.
        notes: The unit's notes, in file order.
        source_codes: Inline codes of the source, in order.
        target_codes: Inline codes of the target, in order.
    """

    id: str
    source: str
    target: str
    line: int
    original: str = ""
    state: str = ""
    notes: tuple[str, ...] = ()
    source_codes: tuple[Any, ...] = ()
    target_codes: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Segment:
    """The texts one metric scores for one link.

    Attributes:
        src: Source text of the link (sentences joined by a space; may be empty).
        mt: Translation text of the link (may be empty).
        ref: Reference text of the link, or ``None`` when there is no reference.
            With several references this is the first one (the one COMET uses).
        other_refs: The texts of the second and further references, in order
            (``None`` where a reference has no text for the link); BLEU, chrF and
            TER score against all of them.
    """

    src: str
    mt: str
    ref: str | None = None
    other_refs: tuple[str | None, ...] = ()

    @property
    def references(self) -> tuple[str | None, ...]:
        """Every reference text of the link, the first one first."""
        return (self.ref, *self.other_refs)


@dataclass(frozen=True)
class MetricResult:
    """A metric's output over the links of one document (one pair and system).

    Attributes:
        name: Metric name as used in column headers (``bleu``, ``chrf``, ...).
        segment_scores: One value per link; ``None`` where the metric does not apply.
        corpus_score: Document-level score, or ``None``.
        signature: The metric's signature (resolved settings and versions).
        reason: Why scores are missing, empty when they are all there.
        notes: Remarks on how the scores were computed (e.g. against the source).
        statistics: The sufficient statistics of each segment (``None`` where not
            scored), as :meth:`~mt_eval.metrics.base.Metric.segment_statistics`
            gave them; empty when the metric did not run.
        segment_notes: One remark per link for its row's ``notes`` (``""`` for none,
            e.g. COMET error spans); empty when no link has one.
    """

    name: str
    segment_scores: tuple[float | None, ...]
    corpus_score: float | None
    signature: str
    reason: str = ""
    notes: tuple[str, ...] = field(default=())
    statistics: tuple[Any, ...] = field(default=())
    segment_notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class LinkResult:
    """Everything the report needs about one link of one system.

    Attributes:
        pair: Pair name.
        system: System name.
        link: The alignment link (0-based indices).
        src_text: Source sentences of the link, joined by a space.
        tgt_text: Target sentences of the link, joined by a space.
        ref_text: Reference text aligned to the link's source, ``None`` without a reference.
        scores: Metric name to value (``None`` where the metric does not apply).
        flags: Problems found in the link.
        stats: Metric name to the link's sufficient statistics (``None`` where not
            scored), kept so that corpus scores can be resampled and recomputed.
        notes: Metric remarks on the link (e.g. COMET error spans), after the flag notes.
        file: The translation's file.
        unit: The bilingual file's unit the link is (id, state, notes), or ``None``.
        other_refs: The second and further references' texts for the link (``None``
            where a link has no source), in the pair's order.
    """

    pair: str
    system: str
    link: Link
    src_text: str
    tgt_text: str
    ref_text: str | None
    scores: dict[str, float | None]
    flags: tuple[Flag, ...] = ()
    stats: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    file: str = ""
    unit: Unit | None = None
    other_refs: tuple[str | None, ...] = ()

    def content_score(self, name: str) -> float | None:
        """This link's part in a mean metric's score over the source content.

        A mean over the links a metric scored would reward leaving text out: a
        dropped sentence has no score, and untranslated text can score high on
        a cross-lingual embedding. Over the source content instead, a drop
        counts 0 and a link flagged ``untranslated`` counts 0; an addition (no
        source text) is not source content and counts nothing (``None``), nor
        does a link the metric did not score for another reason.
        """
        if not self.link.src or not self.src_text.strip():
            return None
        if not self.link.tgt or not self.tgt_text.strip():
            return 0.0
        if any(f.kind == "untranslated" for f in self.flags):
            return 0.0
        return self.scores.get(name)


@dataclass(frozen=True)
class DocumentResult:
    """Document-level figures of one system on one pair.

    Attributes:
        pair: Pair name.
        system: System name.
        src_sentences: Number of source sentences.
        tgt_sentences: Number of target sentences.
        links: Number of links.
        dropped: Links flagged ``dropped``.
        added: Links flagged ``added``.
        flagged: Links with at least one flag.
        scores: Corpus-level metric values (``None`` where not available).
    """

    pair: str
    system: str
    src_sentences: int
    tgt_sentences: int
    links: int
    dropped: int
    added: int
    flagged: int
    scores: dict[str, float | None]


@dataclass(frozen=True)
class RemovalRecord:
    """A cleaning removal, placed in the run.

    Attributes:
        pair: Pair name.
        system: System name, empty for the source and the reference.
        role: ``source``, ``target`` or ``reference``.
        path: File the text was removed from.
        removal: What was removed and why.
    """

    pair: str
    system: str
    role: str
    path: str
    removal: Removal
