"""Partial omissions and additions inside a link, from its length ratio.

A link whose translation is much shorter than the document's usual
translation-to-source length ratio has likely lost part of its source (a
clause, a sentence absorbed into a merged link, a truncated output); one much
longer has likely gained text with no source. Length, relative to the
document's own ratio, is the strongest cheap signal for omissions (ROC AUC
about 0.88 on public annotated data, where embedding cosines reach only about
0.66-0.71), and it needs no model.

The ratio of a link is ``(len(tgt) + 10) / (len(src) + 10)`` in characters (the
10 damps short texts); the document's usual ratio is the median over its links
with both sides. A link is a partial omission when its ratio relative to the
document's is at most ``max_ratio``, or at most ``cut_ratio`` when the
translation also looks cut off: the source ends a sentence and the translation
ends on a comma or a word that never ends a sentence (``dan``, ``yang``, ``the``),
or lacks its final stop in a document whose translations otherwise have one.
A translation at most ``head_ratio`` of the usual length that stops mid-sentence
or lacks its final stop (in any document) is an omission too when it is as close
to the first half of its source as to the whole (:mod:`mt_eval.flags.coverage`);
so is one at most ``cut_ratio`` of it, however it ends, that is clearly closer
(by ``head_min_gain``) to the first half of a source of at least
``head_min_words`` words than to the whole.
A link whose source crosses a paragraph break its translation does not is also
an omission at ``cut_ratio``; a link whose sides span the same paragraphs is
judged paragraph by paragraph too.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Callable, Sequence
from typing import NamedTuple

from mt_eval.flags.language import base_lang

_SMOOTH = 10
CUT_HABIT = 0.75
"""Least share of a document's translations that end a sentence where the source does
for a missing final stop to count as a sign of truncation."""
_ENDS_SENTENCE = re.compile(r"[.!?…。！？]['\"’”»)\]]*\s*$")


def _ratio(src: str, tgt: str) -> float:
    return math.log((len(tgt) + _SMOOTH) / (len(src) + _SMOOTH))


def document_ratio(pairs: Sequence[tuple[str, str]]) -> float | None:
    """The document's usual log length ratio (median over links with both sides), or ``None``."""
    ratios = [_ratio(s, t) for s, t in pairs if s.strip() and t.strip()]
    return statistics.median(ratios) if ratios else None


_DANGLING = {
    "en": frozenset(
        "and or but nor the a an of to in on at by with from for which whose than "
        "because although while when if as into onto my your our their its".split()
    ),
    "id": frozenset(
        "dan atau tetapi tapi serta yang di ke dari untuk dengan pada oleh karena bahwa "
        "sebagai para sang si agar supaya sehingga namun maupun bagi terhadap tentang "
        "saat ketika jika kalau apabila seperti yaitu yakni adalah ialah merupakan".split()
    ),
}
"""Words that never end a sentence (conjunctions, articles, prepositions), by language."""
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")
_DANGLING_MARK = re.compile(r"[,;:(\[{\-–—]\s*$")


_ENDING_NOTE = {
    "dangling": "stops mid-sentence",
    "no stop": "ends without the final punctuation its source has",
}
"""How a note says what :func:`looks_cut_off` found."""


def _cut_bound(
    src: str,
    tgt: str,
    usual: float,
    *,
    max_ratio: float,
    cut_ratio: float,
    nostop_ratio: float | None,
    tgt_lang: str,
    src_lang: str,
) -> tuple[float, str, str, float]:
    """``(relative ratio, ending, cut, bound)`` of a source and its translation.

    ``ending`` is what :func:`looks_cut_off` says; ``cut`` is the same unless a missing
    final stop says nothing here (``nostop_ratio`` is ``None``), and ``bound`` the
    largest relative ratio that is an omission for that cut (never below ``max_ratio``).
    """
    relative = math.exp(_ratio(src, tgt) - usual)
    ending = cut = looks_cut_off(src, tgt, tgt_lang, src_lang)
    if cut == "no stop" and nostop_ratio is None:
        cut = ""
    bound = {"dangling": cut_ratio, "no stop": nostop_ratio}.get(cut, max_ratio)
    return relative, ending, cut, max(bound, max_ratio)


def _dangles(text: str, lang: str) -> bool:
    last = _LAST_WORD.search(text)
    words = _DANGLING.get(base_lang(lang), frozenset()) if lang else frozenset()
    return bool(_DANGLING_MARK.search(text) or (last and last.group(1).casefold() in words))


def looks_cut_off(src: str, tgt: str, tgt_lang: str = "", src_lang: str = "") -> str:
    """Whether the translation stops mid-sentence where the source does not.

    Args:
        src: Source text.
        tgt: Translation text.
        tgt_lang: Translation language (selects the words that never end a sentence).
        src_lang: Source language, likewise.

    Returns:
        ``"dangling"`` when the translation ends on a comma, colon, dash or a word
        that never ends a sentence (``dan``, ``the``) and the source does not;
        ``"no stop"`` when the source ends a sentence and the translation merely
        lacks the final stop; ``""`` otherwise.
    """
    if _ENDS_SENTENCE.search(tgt):
        return ""
    if _dangles(tgt, tgt_lang) and not _dangles(src, src_lang):
        return "dangling"
    return "no stop" if _ENDS_SENTENCE.search(src) else ""


class Habit(NamedTuple):
    """For links whose source ends a sentence: does the translation end one too?

    Attributes:
        ends: Link index to whether its translation ends a sentence.
        ending: How many of them do (kept so each link's test is O(1)).
    """

    ends: dict[int, bool]
    ending: int


def _ending_habit(pairs: Sequence[tuple[str, str]]) -> Habit:
    ends = {
        n: bool(_ENDS_SENTENCE.search(t))
        for n, (s, t) in enumerate(pairs)
        if t.strip() and _ENDS_SENTENCE.search(s)
    }
    return Habit(ends, sum(ends.values()))


def punctuates_like_source(habit: Habit, n: int) -> bool:
    """Whether the other translations end their sentences where the source does, as a habit.

    True when, over the other links with both sides whose source ends a sentence, at
    least :data:`CUT_HABIT` of the translations end one too. Informal translations
    often drop the final stop; there, a missing stop says nothing about truncation.
    """
    others = len(habit.ends) - (n in habit.ends)
    ending = habit.ending - habit.ends.get(n, False)
    return others > 0 and ending / others >= CUT_HABIT


class _Measured(NamedTuple):
    """What :func:`length_notes` measured of one link before it decides."""

    n: int
    punctuates: bool
    relative: float
    ending: str
    cut: str
    bound: float
    crosses: int
    crosses_break: bool
    head_rule: bool
    long_head_rule: bool
    needs_gain: bool


def length_notes(
    pairs: Sequence[tuple[str, str]],
    *,
    min_words: int,
    max_ratio: float,
    cut_ratio: float,
    nostop_ratio: float | None = None,
    tgt_lang: str = "",
    src_lang: str = "",
    crossing: Sequence[int] | None = None,
    pieces: Sequence[Sequence[tuple[str, str]]] | None = None,
    head_gain: Callable[[Sequence[tuple[str, str]]], Sequence[float]] | None = None,
    head_ratio: float = 0.7,
    head_min_gain: float = 0.1,
    head_min_words: int = 9,
) -> tuple[dict[int, str], dict[int, str]]:
    """Partial omissions and additions among a document's links.

    Args:
        pairs: ``(source text, translation text)`` per link; links with a side
            empty are skipped (they are whole drops or additions).
        min_words: Least words on the longer side for a link to be judged;
            the length ratio of short texts is noise.
        max_ratio: A link whose ratio, relative to the document's, is at most
            this is a partial omission; at least ``1 / max_ratio`` a partial addition.
        cut_ratio: A larger relative ratio that still counts as an omission when
            the translation ends on a comma or a word that never ends a sentence
            (see :func:`looks_cut_off`).
        nostop_ratio: Likewise when the translation only lacks its final stop, in a
            document whose translations otherwise have one (``None``: ``max_ratio``).
        tgt_lang: Translation language code.
        src_lang: Source language code.
        crossing: Per link, the number of paragraphs its source spans minus the number
            its translation spans (``None``: all 0). A link whose source crosses a
            paragraph break its translation does not has likely absorbed a lost
            paragraph's sentence: ``cut_ratio`` bounds its omission; likewise, one whose
            translation crosses a break the source does not, ``1 / cut_ratio`` its addition.
        pieces: Per link, its ``(source, translation)`` text paragraph by paragraph when
            both sides span the same paragraphs (else empty): each piece is judged for
            an omission too, so that a paragraph cut short is found when the aligner
            merged it with the next one.
        head_gain: ``[(source, translation), ...] -> [gain, ...]``, asked once for
            all the links that need it (:func:`mt_eval.flags.coverage.head_gains`),
            or ``None``. A translation that
            stops mid-sentence or lacks its final stop (whatever the document's habit),
            at most ``head_ratio`` of the usual length, and whose gain is at least 0 (as
            close to the first half of its source as to the whole) is an omission too.
        head_ratio: See ``head_gain``.
        head_min_gain: A translation at most ``cut_ratio`` of the usual length, however
            it ends, whose source has at least ``head_min_words`` words and whose gain
            is at least this (clearly closer to the first half of its source than to
            the whole) is an omission too.
        head_min_words: See ``head_min_gain``; halves of shorter sources are too short
            for their embeddings to say which half a translation carries.

    Returns:
        ``({link index: note}, {link index: note})`` for omissions and additions.
    """
    nostop_ratio = max_ratio if nostop_ratio is None else nostop_ratio
    usual = document_ratio(pairs)
    omissions: dict[int, str] = {}
    additions: dict[int, str] = {}
    if usual is None:
        return omissions, additions
    habit = _ending_habit(pairs)
    measured: list[_Measured] = []
    for n, (src, tgt) in enumerate(pairs):
        if not (src.strip() and tgt.strip()):
            continue
        if max(len(src.split()), len(tgt.split())) < min_words:
            continue
        punctuates = punctuates_like_source(habit, n)
        relative, ending, cut, bound = _cut_bound(
            src,
            tgt,
            usual,
            max_ratio=max_ratio,
            cut_ratio=cut_ratio,
            nostop_ratio=nostop_ratio if punctuates else None,
            tgt_lang=tgt_lang,
            src_lang=src_lang,
        )
        crosses = crossing[n] if crossing is not None else 0
        crosses_break = crosses > 0 and bound < relative <= cut_ratio
        head_rule = bool(ending) and relative <= head_ratio
        long_head_rule = relative <= cut_ratio and len(src.split()) >= head_min_words
        # embeddings only for a link the cheaper tests leave open
        needs_gain = relative > bound and not crosses_break and (head_rule or long_head_rule)
        measured.append(
            _Measured(
                n,
                punctuates,
                relative,
                ending,
                cut,
                bound,
                crosses,
                crosses_break,
                head_rule,
                long_head_rule,
                needs_gain and head_gain is not None,
            )
        )
    asked = [pairs[m.n] for m in measured if m.needs_gain]
    gains = iter(head_gain(asked) if asked and head_gain is not None else ())
    for m in measured:
        n, relative = m.n, m.relative
        src, tgt = pairs[n]
        sizes = f"source {len(src)} characters, translation {len(tgt)}"
        short = f"partial omission: translation is {relative:.0%} of {_EXPECTED} ({sizes})"
        gain = next(gains) if m.needs_gain else None
        if m.crosses_break:
            omissions[n] = (
                f"{short}; the source runs across a paragraph break, the translation does not"
            )
        elif relative <= m.bound:
            how = f"; the translation {_ENDING_NOTE[m.cut]}" if m.cut else ""
            omissions[n] = f"{short}{how}"
        elif gain is not None and m.head_rule and gain >= 0:
            omissions[n] = (
                f"{short}; it {_ENDING_NOTE[m.ending]} and matches the first half of its "
                f"source as well as the whole ({_half_gain(gain)})"
            )
        elif gain is not None and m.long_head_rule and gain >= head_min_gain:
            omissions[n] = (
                f"{short} and matches the first half of its source clearly better than the "
                f"whole ({_half_gain(gain)}): the rest is likely missing"
            )
        elif piece := _short_piece(
            pieces[n] if pieces is not None else (),
            usual,
            min_words=min_words,
            max_ratio=max_ratio,
            cut_ratio=cut_ratio,
            nostop_ratio=nostop_ratio if m.punctuates else max_ratio,
            tgt_lang=tgt_lang,
            src_lang=src_lang,
        ):
            omissions[n] = piece
        elif relative >= 1 / max_ratio or (m.crosses < 0 and relative >= 1 / cut_ratio):
            why = (
                "; the translation runs across a paragraph break, the source does not"
                if relative < 1 / max_ratio
                else ""
            )
            additions[n] = (
                f"partial addition: translation is {relative:.1f} times {_EXPECTED} ({sizes}){why}"
            )
    return omissions, additions


_EXPECTED = "the length expected for its source in this document"
"""How a note names the document's usual translation-to-source length ratio."""


def _half_gain(gain: float) -> str:
    """How a note gives the gain of :func:`mt_eval.flags.coverage.head_gains` (at least 0)."""
    return f"similarity in meaning {max(gain, 0.0):.2f} higher with the first half than the whole"


def _short_piece(
    pieces: Sequence[tuple[str, str]],
    usual: float,
    *,
    min_words: int,
    max_ratio: float,
    cut_ratio: float,
    nostop_ratio: float,
    tgt_lang: str,
    src_lang: str,
) -> str:
    """The omission note of the first paragraph piece of a link that is cut short, or ``""``."""
    if len(pieces) < 2:
        return ""
    for k, (src, tgt) in enumerate(pieces, 1):
        if max(len(src.split()), len(tgt.split())) < min_words:
            continue
        relative, _, cut, bound = _cut_bound(
            src,
            tgt,
            usual,
            max_ratio=max_ratio,
            cut_ratio=cut_ratio,
            nostop_ratio=nostop_ratio,
            tgt_lang=tgt_lang,
            src_lang=src_lang,
        )
        if relative <= bound:
            how = f"; it {_ENDING_NOTE[cut]}" if cut else ""
            return (
                f"partial omission: in this row, the translation of paragraph {k} of "
                f"{len(pieces)} is {relative:.0%} of {_EXPECTED} "
                f"(source {len(src)} characters, translation {len(tgt)}){how}"
            )
    return ""
