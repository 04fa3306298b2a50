"""Which target document renders which source: folder mode's ``--pair-by content``.

When file names do not say which translation belongs to which source, the texts
do. For every target document:

1. **Shortlist.** Its document vector (the normalised mean of its sentence
   vectors) is compared with every source's; the ``shortlist`` closest sources
   are candidates. This keeps the work linear in the number of documents.
2. **Align and test each link.** The target is aligned to each candidate with
   the run's aligner. A link counts as *rendered* when its cosine lies more than
   ``min_margin`` null standard deviations above the cosines of unrelated text
   (:func:`link_margins`): its translation against the other links' sources and
   against the sentences of the other source documents, its source against the
   other links' translations. This is the test of the ``mistranslation`` flag
   (:mod:`mt_eval.flags.margin`), on which true links lie about 5 above.
3. **Coverage.** ``target_coverage`` is the share of the target's characters in
   rendered links, ``source_coverage`` the share of the candidate's.
4. **Decide.** A target renders a source when most of its text (at least half)
   renders that source. Matches are made one to one, highest target coverage
   first; a document of either side left over is listed with the best evidence
   it had, and is not evaluated.

A related article on the same story shares a topic and some facts but few
sentences: on the seeds, the 38 North post covers 0-21 % of the Indonesian
rendering and of the spun Reuters rewrite, their true sources 97-100 %.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from mt_eval.align import align
from mt_eval.embed import Embedder
from mt_eval.loading import LoadedText

log = logging.getLogger(__name__)

FILE_NAME = "pairing.csv"
"""The output file that lists each decision with its evidence."""

COLUMNS = (
    "source",
    "target",
    "decision",
    "target_coverage",
    "source_coverage",
    "document_cosine",
    "links",
    "note",
)

MIN_COVERAGE = 0.5
"""A target renders a source when at least this share of its text renders it."""


@dataclass(frozen=True)
class Evidence:
    """What one candidate (source, target) showed.

    Attributes:
        source: The source document's key.
        target: The target document's key.
        cosine: Cosine of the two document vectors.
        target_coverage: Share of the target's characters in rendered links.
        source_coverage: Share of the source's characters in rendered links.
        links: Links the aligner made between the two.
    """

    source: str
    target: str
    cosine: float
    target_coverage: float
    source_coverage: float
    links: int


@dataclass(frozen=True)
class Decision:
    """One row of ``pairing.csv``: a match, or a document left unpaired.

    Attributes:
        decision: ``"paired"``, ``"unpaired source"`` or ``"unpaired target"``.
        evidence: The match's evidence, or the best the document had (``None``
            when it was nobody's candidate).
        source: The source key (for an unpaired target: its best candidate, or "").
        target: The target key (for an unpaired source: its best candidate, or "").
        note: Why, for a person.
    """

    decision: str
    evidence: Evidence | None
    source: str
    target: str
    note: str

    def row(self) -> dict[str, object]:
        """The ``pairing.csv`` row."""
        ev = self.evidence
        return {
            "source": self.source,
            "target": self.target,
            "decision": self.decision,
            "target_coverage": "" if ev is None else f"{ev.target_coverage:.3f}",
            "source_coverage": "" if ev is None else f"{ev.source_coverage:.3f}",
            "document_cosine": "" if ev is None else f"{ev.cosine:.3f}",
            "links": "" if ev is None else ev.links,
            "note": self.note,
        }


@dataclass(frozen=True)
class Pairing:
    """The outcome: matched keys, in source order, and every decision.

    Attributes:
        matches: ``(source key, target key)`` per match, in the sources' order.
        decisions: Matches first (sources' order), then unpaired sources, then
            unpaired targets.
    """

    matches: tuple[tuple[str, str], ...]
    decisions: tuple[Decision, ...]


def link_margins(
    src: np.ndarray, tgt: np.ndarray, others: np.ndarray, *, sample: int, seed: int
) -> list[float | None]:
    """Margin of each link's cosine over unrelated pairs, in null standard deviations.

    Args:
        src: Normalised vectors of the links' source texts, one row per link.
        tgt: Normalised vectors of the links' translations.
        others: Normalised vectors of sentences of the other source documents.
        sample: At most this many unrelated cosines of each kind per link (drawn
            with a generator seeded by ``seed`` when there are more).
        seed: Seed of the draws.

    Returns:
        One margin per link; ``None`` when its null has fewer than 3 cosines or no
        spread.
    """
    rng = np.random.default_rng(seed)
    n = len(src)
    within = src @ tgt.T if n else np.zeros((0, 0))
    across = tgt @ others.T if len(others) and n else np.zeros((n, 0))
    out: list[float | None] = []
    for i in range(n):
        parts = [np.delete(within[:, i], i), np.delete(within[i, :], i), across[i]]
        null = np.concatenate([p if len(p) <= sample else rng.choice(p, sample) for p in parts])
        spread = float(null.std()) if len(null) >= 3 else 0.0
        out.append(None if spread == 0.0 else (float(within[i, i]) - float(null.mean())) / spread)
    return out


def _sentence_vectors(embedder: Embedder, text: LoadedText) -> np.ndarray:
    return embedder.encode([s.text for s in text.sentences if s.text])


def _document_vector(vecs: np.ndarray, dim: int) -> np.ndarray:
    """The normalised mean of a document's sentence vectors (zeros for none)."""
    if not len(vecs):
        return np.zeros(dim)
    mean = vecs.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else mean


def _evidence(
    embedder: Embedder,
    source: tuple[str, LoadedText],
    target: tuple[str, LoadedText],
    others: np.ndarray,
    cosine: float,
    *,
    min_margin: float,
    seed: int,
    align_options: Mapping[str, object],
) -> Evidence:
    (skey, src), (tkey, tgt) = source, target
    links = align(
        [s.text for s in src.sentences],
        [s.text for s in tgt.sentences],
        embedder,
        seed=seed,
        **align_options,
    )
    pairs = [(src.join(lk.src), tgt.join(lk.tgt)) for lk in links]
    both = [p for p in pairs if p[0] and p[1]]
    rendered = [False] * len(both)
    if both:
        margins = link_margins(
            embedder.encode([s for s, _ in both]),
            embedder.encode([t for _, t in both]),
            others,
            sample=50,
            seed=seed,
        )
        rendered = [m is not None and m > min_margin for m in margins]
    src_chars = sum(len(s) for s, _ in pairs) or 1
    tgt_chars = sum(len(t) for _, t in pairs) or 1
    return Evidence(
        skey,
        tkey,
        cosine,
        sum(len(t) for (_, t), ok in zip(both, rendered, strict=True) if ok) / tgt_chars,
        sum(len(s) for (s, _), ok in zip(both, rendered, strict=True) if ok) / src_chars,
        len(links),
    )


def pair_documents(
    sources: Mapping[str, LoadedText],
    targets: Mapping[str, LoadedText],
    embedder: Embedder,
    *,
    seed: int = 0,
    shortlist: int = 3,
    min_margin: float = 1.5,
    align_options: Mapping[str, object] | None = None,
) -> Pairing:
    """Find which target renders which source (see the module docstring).

    Args:
        sources: Source documents by key, in run order.
        targets: Target documents by key.
        embedder: The run's embedder.
        seed: Seed of the aligner and of the null samples.
        shortlist: Candidate sources aligned per target.
        min_margin: A link is rendered above this margin over unrelated pairs.
        align_options: Keyword arguments for the aligner (the config's ``[align]``).

    Returns:
        The matches and every decision with its evidence.
    """
    skeys, tkeys = list(sources), list(targets)
    dim = embedder.encode(["."]).shape[1]
    per_source = [_sentence_vectors(embedder, sources[k]) for k in skeys]
    svecs = np.stack([_document_vector(v, dim) for v in per_source])
    # every source sentence once, with the source it belongs to: a candidate's null
    # takes the rows of the other sources
    pooled = np.concatenate([v.reshape(-1, dim) for v in per_source])
    owner = np.repeat(np.arange(len(skeys)), [len(v) for v in per_source])
    found: list[Evidence] = []
    for t, tkey in enumerate(tkeys):
        cosines = svecs @ _document_vector(_sentence_vectors(embedder, targets[tkey]), dim)
        order = sorted(range(len(skeys)), key=lambda s: (-cosines[s], s))[:shortlist]
        for s in order:
            others = pooled[owner != s]
            found.append(
                _evidence(
                    embedder,
                    (skeys[s], sources[skeys[s]]),
                    (tkey, targets[tkey]),
                    others,
                    float(cosines[s]),
                    min_margin=min_margin,
                    seed=seed + t,
                    align_options=align_options or {},
                )
            )
        log.info("pairing: %d of %d targets compared with their candidates", t + 1, len(tkeys))
    return _decide(skeys, tkeys, found)


def _percent(x: float) -> str:
    return f"{100 * x:.0f} %"


def _decide(skeys: Sequence[str], tkeys: Sequence[str], found: Sequence[Evidence]) -> Pairing:
    ranked = sorted(
        found,
        key=lambda e: (-e.target_coverage, -e.source_coverage, skeys.index(e.source), e.target),
    )
    by_source: dict[str, Evidence] = {}
    by_target: dict[str, Evidence] = {}
    for ev in ranked:
        if ev.target_coverage < MIN_COVERAGE:
            break
        if ev.source not in by_source and ev.target not in by_target:
            by_source[ev.source] = by_target[ev.target] = ev
    decisions = [
        Decision(
            "paired",
            by_source[k],
            k,
            by_source[k].target,
            f"{_percent(by_source[k].target_coverage)} of the target renders the source",
        )
        for k in skeys
        if k in by_source
    ]
    for key in skeys:
        if key in by_source:
            continue
        best = next((e for e in ranked if e.source == key), None)
        decisions.append(_unpaired("source", key, best, by_target))
    for key in tkeys:
        if key in by_target:
            continue
        best = next((e for e in ranked if e.target == key), None)
        decisions.append(_unpaired("target", key, best, by_source))
    matches = tuple((k, by_source[k].target) for k in skeys if k in by_source)
    return Pairing(matches, tuple(decisions))


def _unpaired(
    side: str, key: str, best: Evidence | None, taken: Mapping[str, Evidence]
) -> Decision:
    source, target = (key, best.target if best else "") if side == "source" else ("", key)
    if side == "target" and best:
        source = best.source
    if best is None:
        note = "no target document is close enough to be a candidate"
        return Decision(f"unpaired {side}", None, source, target, note)
    other = best.target if side == "source" else best.source
    if best.target_coverage >= MIN_COVERAGE and other in taken:
        rival = taken[other]
        note = (
            f"renders {other!r} ({_percent(best.target_coverage)}), which pairs with "
            f"{(rival.target if side == 'target' else rival.source)!r} "
            f"({_percent(rival.target_coverage)})"
        )
    else:
        note = (
            f"renders nothing: at best {_percent(best.target_coverage)} of the target "
            f"renders the source (at least {_percent(MIN_COVERAGE)} needed)"
        )
    return Decision(f"unpaired {side}", best, source, target, note)
