"""Flag problems in aligned links, for a person to look at.

Each link gets a tuple of :class:`~mt_eval.model.Flag`, kinds in this order:

* ``dropped``: source sentences without translation, e.g. ``source sentence 3 has
  no translation``. Severity ``major``; ``minor`` when the source has at most
  ``short_words`` words.
* ``added``: translation sentences without source, e.g. ``translation sentence 7
  has no source``. Severity as for ``dropped``.
* ``duplicate``: a translation sentence repeats an earlier one, or another of the
  same link: equal or contained after normalising (``major``), or nearly equal
  (``minor``), e.g. ``repeats translation sentence 12`` (in a link of several
  translation sentences: ``translation sentence 18 repeats translation sentence 17``),
  ``nearly repeats translation sentence 12 (93% of the characters alike)``.
* ``untranslated``: languages differ and the translation is in the source
  language (lingua) or copies the source (chrF), e.g. ``translation is in English,
  not Indonesian (the language detector is 100% sure)``. Severity ``major``.
* ``number_mismatch``: a number written in digits on one side has no counterpart,
  in digits or words, on the other, e.g. ``number 138 in source, 183 in
  translation``. Severity ``major``; ``critical`` when an unmatched number is a
  currency amount.
* ``entity_mismatch``: a name of the source (person, place, organisation) that the
  translation does not keep, e.g. ``Interfax in source, not in translation``
  (:mod:`mt_eval.flags.entities`). Severity ``major``.
* ``mistranslation``: the link is no closer than unrelated text: its similarity
  stands at most ``mistranslation_max_margin`` standard deviations above the
  document's unrelated pairs (:mod:`mt_eval.flags.margin`), e.g. ``no closer in
  meaning to its source than an unrelated sentence (closeness 0.8 on a scale where
  unrelated sentences of this document score about 0 and faithful translations
  about 5)``, or its alignment cost is at least ``mistranslation_max_align_cost``,
  or its paragraph as a whole is no closer than the document's other paragraph
  pairs by the same margin (a paragraph replaced by another text's translation);
  on line-aligned input (no cost), its similarity is a strong low outlier within its
  document (robust z-score and percentile), e.g. ``similarity in meaning to the
  source 0.41, the lowest of the 40 scored rows of this document (typical: 0.78)``;
  with either, its COMET score or chrF against a reference is such an outlier.
  Severity ``major``.

``dropped`` and ``added`` are also raised on links with both sides whose length
ratio is far from the document's usual one (:mod:`mt_eval.flags.lengths`; a
milder ratio when the link crosses a paragraph break on one side only), and on
merged links no closer than unrelated text (on the side with more sentences), and,
with the run's embedder, on links one of whose sentences adds nothing to their
similarity or whose short, cut-off translation matches only the first half of its
source (:mod:`mt_eval.flags.coverage`), with a note that starts ``partial
omission:`` or ``partial addition:``; and on a link no closer than unrelated text
one of whose sides a neighbouring link already carries (an insertion the aligner
paired with a source translated next door: ``added``; or the reverse: ``dropped``).

Notes are written for a reviewer who knows no statistics: a number comes with what
it means (the document's typical value, a rank, what an unrelated sentence scores).
Sentence numbers in notes are 1-based. ``untranslated``, ``number_mismatch`` and
``mistranslation`` only look at links with both sides. Checks that could not run
(no language identification for a pair, too few similarity scores) are named in
:attr:`FlagResult.notes`.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from mt_eval.flags.codes import placeholder_problems
from mt_eval.flags.coverage import Embed, head_gains, weakest_sentence
from mt_eval.flags.entities import document_case, habitually_kept, link_names
from mt_eval.flags.language import base_lang, detector_unavailable, untranslated_note, word_count
from mt_eval.flags.lengths import length_notes
from mt_eval.flags.margin import candidate_margins, document_margins
from mt_eval.flags.numbers import compare_numbers, mismatch_note
from mt_eval.flags.repeated import duplicate_flags, translation_repeats
from mt_eval.flags.settings import FlagResult, FlagSettings
from mt_eval.flags.unrelated import (
    carried_next_door,
    far_note,
    far_paragraphs,
    far_reason,
    merged_note,
    sentence_ids,
    similarity_outliers,
)
from mt_eval.model import Flag, Link, Sentence


def missing_side_flag(link: Link, text: str, settings: FlagSettings) -> Flag | None:
    """``dropped`` or ``added`` for a link with one side empty, else ``None``."""
    severity = "minor" if word_count(text) <= settings.short_words else "major"
    if link.src and not link.tgt:
        verb = "has" if len(link.src) == 1 else "have"
        return Flag("dropped", f"source {sentence_ids(link.src)} {verb} no translation", severity)
    if link.tgt and not link.src:
        verb = "has" if len(link.tgt) == 1 else "have"
        return Flag("added", f"translation {sentence_ids(link.tgt)} {verb} no source", severity)
    return None


def detect_flags(
    links: Sequence[Link],
    src_sentences: Sequence[Sentence],
    tgt_sentences: Sequence[Sentence],
    *,
    src_lang: str,
    tgt_lang: str,
    similarity: Sequence[float | None] | None = None,
    settings: FlagSettings = FlagSettings(),
    comet: Sequence[float | None] | None = None,
    reference_chrf: Sequence[float | None] | None = None,
    align_cost: Sequence[float] | None = None,
    embed: Embed | None = None,
    seed: int = 0,
    second: Embed | None = None,
) -> FlagResult:
    """Flag every link of one document and say which checks could not run.

    Args:
        links: Alignment links, indices into the sentence lists.
        src_sentences: Source sentences, by position.
        tgt_sentences: Translation sentences, by position.
        src_lang: Source language code.
        tgt_lang: Translation language code.
        similarity: One similarity score per link (``None`` where not scored), or
            ``None`` to skip the similarity outlier test (which runs only when
            ``align_cost`` is ``None``).
        settings: Detector thresholds.
        comet: Optional COMET score per link; a strong low outlier of the document's
            COMET scores is a ``mistranslation`` too (the same robust test).
        reference_chrf: Optional chrF against a reference per link (only when the
            pair has a reference); a strong low outlier is a ``mistranslation`` too.
        align_cost: The aligner's cost per link (``None`` for line-aligned input, where
            there is none). A link with both sides whose cost is at least
            ``mistranslation_max_align_cost`` is a ``mistranslation``: the cost is a
            margin (cosine normalised by both sides' distances to their neighbours),
            about -1 for a close translation and 0 for an unrelated pair under any model.
        embed: Texts to L2-normalised vectors (the run's embedder), or ``None``: enables
            the coverage tests of :mod:`mt_eval.flags.coverage`. A link whose
            similarity does not fall when one of its sentences (of more than
            ``short_words`` words; on a side with two or more) is left out does not
            carry that sentence: ``dropped`` for a source sentence, ``added`` for a
            translation sentence; a short translation cut off is checked against the
            first half of its source (see :func:`mt_eval.flags.lengths.length_notes`).
        seed: Seed of the sampling of unrelated pairs for the margins.
        second: A second model's embedding function, or ``None``. A link about to be
            flagged ``mistranslation`` on similarity or alignment cost (not on COMET or
            reference chrF), or a merged link about to be flagged ``dropped`` /
            ``added`` for being no closer than unrelated text, keeps the flag only if
            its margin under this model
            (:func:`mt_eval.flags.margin.candidate_margins`) is also at most
            ``mistranslation_max_margin``: both models must agree. A paragraph pair
            the first model is unsure of is also scored by this one
            (:func:`mt_eval.flags.unrelated.far_paragraphs`).

    With both ``align_cost`` and ``embed``, each link's similarity margin over its
    document's unrelated pairs is computed (:func:`mt_eval.flags.margin.document_margins`);
    a link whose margin is at most ``mistranslation_max_margin`` is a ``mistranslation``
    too, whatever its cost.

    Returns:
        The flags of every link and notes on checks that did not run.

    Raises:
        ValueError: When ``similarity`` does not have one entry per link.
    """
    signals = {"similarity": similarity, "COMET": comet, "reference chrF": reference_chrf}
    labels = {
        "similarity": "similarity in meaning to the source",
        "COMET": "COMET quality score",
        "reference chrF": "character match with the reference translation (chrF)",
    }
    for name, scores in {**signals, "alignment cost": align_cost}.items():
        if scores is not None and len(scores) != len(links):
            raise ValueError(f"{len(scores)} {name} scores for {len(links)} links")
    src_texts = [s.text for s in src_sentences]
    tgt_texts = [s.text for s in tgt_sentences]
    notes: list[str] = []
    languages_differ = base_lang(src_lang) != base_lang(tgt_lang)
    if languages_differ and (reason := detector_unavailable(src_lang, tgt_lang)):
        notes.append(
            f"untranslated: language identification unavailable ({reason}); "
            "only near copies of the source were checked"
        )
    joined = [
        (" ".join(src_texts[i] for i in link.src), " ".join(tgt_texts[i] for i in link.tgt))
        for link in links
    ]
    outliers: dict[int, list[str]] = {}
    merged_far: dict[int, str] = {}  # merged links no closer than unrelated text
    cost_only: set[int] = set()  # outliers by alignment cost alone
    in_far_paragraph: set[int] = set()  # links of a paragraph no closer than unrelated ones
    scored_far: set[int] = set()  # outliers by COMET or reference chrF, not embeddings
    seconded: set[int] = set()  # links of a paragraph the second model already judged far
    if similarity is None:
        notes.append("mistranslation: not checked (no similarity scores)")
    if align_cost is not None:
        # The aligner's cost is a margin over the same embeddings, normalised by each
        # side's neighbours: it says whether a pair is closer than unrelated text. A low
        # raw cosine on a pair the margin calls close is a loose or idiomatic translation,
        # so on aligned links the cost rule below replaces the similarity outlier test.
        signals["similarity"] = None
    for name, scores in signals.items():
        if scores is None:
            continue
        pairs = zip(links, scores, strict=True)
        both = [s if link.src and link.tgt else None for link, s in pairs]
        found, reason = similarity_outliers(both, settings, label=labels[name])
        if reason and name == "similarity":
            notes.append(f"mistranslation: {reason}")
        for n, note in found.items():
            if max(map(word_count, joined[n])) >= settings.mistranslation_min_words:
                outliers.setdefault(n, []).append(note)
                if name != "similarity":
                    scored_far.add(n)
    repeats = translation_repeats(links, tgt_texts, settings)
    repeated = set(repeats) | {r.of for r in repeats.values()}
    duplicates = duplicate_flags(links, src_texts, tgt_texts, settings, repeats)
    omissions, additions = length_notes(
        joined,
        min_words=settings.omission_min_words,
        max_ratio=settings.omission_max_ratio,
        cut_ratio=settings.omission_cut_ratio,
        nostop_ratio=settings.omission_nostop_ratio,
        tgt_lang=tgt_lang,
        src_lang=src_lang,
        crossing=[
            len({src_sentences[i].paragraph for i in link.src})
            - len({tgt_sentences[i].paragraph for i in link.tgt})
            for link in links
        ],
        pieces=[_paragraph_pieces(link, src_sentences, tgt_sentences) for link in links],
        head_gain=None if embed is None else functools.partial(head_gains, embed),
        head_ratio=settings.omission_head_ratio,
        head_min_gain=settings.omission_head_min_gain,
        head_min_words=settings.omission_head_min_words,
    )
    if embed is not None:
        for n, link in enumerate(links):
            if n not in omissions and n not in additions and link.src and link.tgt:
                # a repeated translation sentence adds nothing either: ``duplicate`` says so
                tgt_ids = () if any(i in repeated for i in link.tgt) else link.tgt
                found = _uncovered_sentence(
                    (link.src, tgt_ids), joined[n], src_texts, tgt_texts, embed, settings
                )
                for what, note in found:
                    (omissions if what == "omission" else additions)[n] = note
    if align_cost is not None:
        margins = (
            document_margins(embed, joined, seed=seed, min_links=settings.mistranslation_min_links)
            if embed is not None
            else [None] * len(links)
        )
        far = {
            n: why
            for n, (link, cost) in enumerate(zip(links, align_cost, strict=True))
            if link.src and link.tgt and (why := far_reason(cost, margins[n], settings))
        }
        for n, why in far.items():
            link = links[n]
            if embed is not None and n not in omissions and n not in additions:
                if moved := carried_next_door(n, links, joined, far, embed):
                    (omissions if moved[0] == "omission" else additions)[n] = moved[1]
                    continue
            if len(link.src) != len(link.tgt):
                merged_far[n] = merged_note(link, why)
            if len(link.src) > len(link.tgt) and n not in additions:
                # source sentences merged in with no translation: ``dropped``; but a
                # translation longer than usual for them is unrelated text, not a loss
                continue
            if n not in outliers:
                cost_only.add(n)
            outliers.setdefault(n, []).append(far_note(why))
        if embed is not None:
            paragraphs = far_paragraphs(
                links, src_sentences, tgt_sentences, embed, seed, settings, second
            )
            for group, why, by_second in paragraphs:
                if any(n in omissions for n in group):
                    continue  # a paragraph cut short: ``dropped`` says why it is far
                for n in group:
                    if links[n].src and links[n].tgt:
                        in_far_paragraph.add(n)
                        if by_second:
                            seconded.add(n)
                        if n not in far:
                            outliers.setdefault(n, []).append(why)

    if second is not None:
        # the cheap model's verdict stands only where the second model agrees
        asked = sorted(((set(outliers) - scored_far) | set(merged_far)) - seconded)
        margins2 = candidate_margins(
            second, joined, asked, seed=seed, min_links=settings.mistranslation_min_links
        )
        for n, margin in margins2.items():
            if margin > settings.mistranslation_max_margin:
                merged_far.pop(n, None)
                if n not in scored_far:
                    outliers.pop(n, None)
    lower_words, inside_words = document_case(src_texts)
    target_document = " ".join(tgt_texts)
    source_document = " ".join(src_texts)
    names = [
        link_names(
            *joined[n],
            src_lang,
            tgt_lang,
            lower_words=lower_words,
            inside_words=inside_words,
            min_similarity=settings.entity_min_similarity,
            target_document=target_document,
            source_document=source_document,
        )
        if link.src and link.tgt
        else ((), ())
        for n, link in enumerate(links)
    ]
    usually_kept = habitually_kept(names)

    result: list[tuple[Flag, ...]] = []
    for n, link in enumerate(links):
        src, tgt = joined[n]
        flags: list[Flag] = []
        if missing := missing_side_flag(link, src or tgt, settings):
            flags.append(missing)
        if n in omissions:
            flags.append(Flag("dropped", omissions[n], "major"))
        if n in additions:
            flags.append(Flag("added", additions[n], "major"))
        if n in merged_far and n not in omissions and n not in additions:
            kind = "dropped" if len(link.src) > len(link.tgt) else "added"
            flags.append(Flag(kind, merged_far[n], "major"))
        flags += duplicates[n]
        if link.src and link.tgt:
            flags += _both_sides_flags(src, tgt, src_lang, tgt_lang, settings)
            missing = [name for name in names[n][1] if name.text in usually_kept]
            if missing:
                listed = ", ".join(name.text for name in missing)
                flags.append(
                    Flag("entity_mismatch", f"{listed} in source, not in translation", "major")
                )
        # a repeat explains one costly link (the aligner paired the source with the other
        # copy), not a whole paragraph no closer than unrelated ones
        by_repeat = any(i in repeated for i in link.tgt) and n not in in_far_paragraph
        explained = any(f.kind == "untranslated" for f in flags) or (
            n in cost_only and (any(f.kind == "dropped" for f in flags) or by_repeat)
        )
        if n in outliers and not explained:
            # Text left in the source language scores low for that reason, which
            # ``untranslated`` already states. A partial omission raises the alignment
            # cost, and so does text the translation repeats elsewhere (the aligner
            # may pair the source with either copy): one flag, one reason.
            flags.append(Flag("mistranslation", "; ".join(outliers[n]), "major"))
        result.append(tuple(flags))
    return FlagResult(tuple(result), tuple(notes))


def _paragraph_pieces(
    link: Link, src: Sequence[Sentence], tgt: Sequence[Sentence]
) -> list[tuple[str, str]]:
    """A link's texts paragraph by paragraph, when both sides span as many paragraphs."""
    src_pars: dict[int, list[str]] = {}
    tgt_pars: dict[int, list[str]] = {}
    for i in link.src:
        src_pars.setdefault(src[i].paragraph, []).append(src[i].text)
    for i in link.tgt:
        tgt_pars.setdefault(tgt[i].paragraph, []).append(tgt[i].text)
    if len(src_pars) < 2 or len(src_pars) != len(tgt_pars):
        return []
    return [
        (" ".join(s), " ".join(t))
        for s, t in zip(src_pars.values(), tgt_pars.values(), strict=True)
    ]


def _uncovered_sentence(
    ids: tuple[Sequence[int], Sequence[int]],
    joined: tuple[str, str],
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    embed: Embed,
    settings: FlagSettings,
) -> list[tuple[str, str]]:
    """``("omission" | "addition", note)`` per side of a link with a sentence that adds nothing.

    On each side with two or more sentences, the sentence whose removal raises the
    link's similarity most (:func:`~mt_eval.flags.coverage.weakest_sentence`) is
    found; if its removal does not lower the similarity, the other side does not
    carry it: a lost source sentence (an omission) or a translation sentence with no
    source (an addition). When both sides have one, both are reported: a paragraph
    swapped for another one's translation and merged with a neighbour into a 2-2 link
    leaves a source sentence untranslated and a translation sentence without source.
    ``ids`` are the link's source and translation sentences to judge.
    """
    found = []
    for side, what, seems, side_ids, texts, other in (
        ("source", "omission", "seems not translated", ids[0], src_texts, joined[1]),
        ("translation", "addition", "seems to have no source", ids[1], tgt_texts, joined[0]),
    ):
        if len(side_ids) < 2:
            continue
        weakest = weakest_sentence(
            embed, [texts[i] for i in side_ids], other, min_words=settings.short_words
        )
        if weakest and weakest[1] >= weakest[2]:
            k, without, with_it = weakest
            note = (
                f"partial {what}: {side} sentence {side_ids[k] + 1} {seems}: the two sides "
                "match as well or better without it (similarity in meaning "
                f"{without:.2f} without it, {with_it:.2f} with it)"
            )
            found.append((what, note))
    return found


def _both_sides_flags(
    src: str, tgt: str, src_lang: str, tgt_lang: str, settings: FlagSettings
) -> list[Flag]:
    flags: list[Flag] = []
    note = untranslated_note(
        src,
        tgt,
        src_lang,
        tgt_lang,
        min_words=settings.untranslated_min_words,
        min_common_words=settings.untranslated_min_common_words,
        min_confidence=settings.untranslated_min_confidence,
        copy_chrf=settings.untranslated_copy_chrf,
    )
    if note:
        flags.append(Flag("untranslated", note, "major"))
    comparison = compare_numbers(
        src, tgt, src_lang, tgt_lang, compare_words=settings.numbers_compare_words
    )
    if comparison:
        unmatched = comparison.missing_in_target + comparison.missing_in_source
        severity = "critical" if any(m.currency for m in unmatched) else "major"
        flags.append(Flag("number_mismatch", mismatch_note(comparison), severity))
    if lost := placeholder_problems(src, tgt):
        flags.append(Flag("placeholder_mismatch", f"placeholder {lost}", "major"))
    return flags
