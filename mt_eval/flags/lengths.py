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
translation also looks cut off (the source ends a sentence, the translation
does not, in a document whose translations otherwise end their sentences).
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence

_SMOOTH = 10
CUT_HABIT = 0.9
"""Least share of a document's translations that end a sentence where the source does
for a missing final stop to count as a sign of truncation."""
_ENDS_SENTENCE = re.compile(r"[.!?…。！？]['\"’”»)\]]*\s*$")


def _ratio(src: str, tgt: str) -> float:
    return math.log((len(tgt) + _SMOOTH) / (len(src) + _SMOOTH))


def document_ratio(pairs: Sequence[tuple[str, str]]) -> float | None:
    """The document's usual log length ratio (median over links with both sides), or ``None``."""
    ratios = [_ratio(s, t) for s, t in pairs if s.strip() and t.strip()]
    return statistics.median(ratios) if ratios else None


def looks_cut_off(src: str, tgt: str) -> bool:
    """The source ends a sentence and the translation does not (truncated output)."""
    return bool(_ENDS_SENTENCE.search(src)) and not _ENDS_SENTENCE.search(tgt)


def _ending_habit(pairs: Sequence[tuple[str, str]]) -> dict[int, bool]:
    """For links whose source ends a sentence: does the translation end one too?"""
    return {
        n: bool(_ENDS_SENTENCE.search(t))
        for n, (s, t) in enumerate(pairs)
        if t.strip() and _ENDS_SENTENCE.search(s)
    }


def punctuates_like_source(habit: dict[int, bool], n: int) -> bool:
    """Whether the other translations end their sentences where the source does, as a habit.

    True when, over the other links with both sides whose source ends a sentence, at
    least :data:`CUT_HABIT` of the translations end one too. Informal translations
    often drop the final stop; there, a missing stop says nothing about truncation.
    """
    others = [ends for m, ends in habit.items() if m != n]
    return bool(others) and sum(others) / len(others) >= CUT_HABIT


def length_notes(
    pairs: Sequence[tuple[str, str]],
    *,
    min_words: int,
    max_ratio: float,
    cut_ratio: float,
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
            the translation looks cut off (see :func:`looks_cut_off`).

    Returns:
        ``({link index: note}, {link index: note})`` for omissions and additions.
    """
    usual = document_ratio(pairs)
    omissions: dict[int, str] = {}
    additions: dict[int, str] = {}
    if usual is None:
        return omissions, additions
    habit = _ending_habit(pairs)
    for n, (src, tgt) in enumerate(pairs):
        if not (src.strip() and tgt.strip()):
            continue
        if max(len(src.split()), len(tgt.split())) < min_words:
            continue
        relative = math.exp(_ratio(src, tgt) - usual)
        sizes = f"source {len(src)} characters, translation {len(tgt)}"
        cut = looks_cut_off(src, tgt) and punctuates_like_source(habit, n)
        if relative <= max_ratio or (cut and relative <= cut_ratio):
            how = "; the translation stops mid-sentence" if cut else ""
            omissions[n] = (
                f"partial omission: translation is {relative:.0%} of the document's usual "
                f"length for its source ({sizes}){how}"
            )
        elif relative >= 1 / max_ratio:
            additions[n] = (
                f"partial addition: translation is {relative:.1f} times the document's usual "
                f"length for its source ({sizes})"
            )
    return omissions, additions
