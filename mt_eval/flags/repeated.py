"""The ``duplicate`` flag: translation sentences that repeat where their sources do not.

:func:`translation_repeats` finds the repeats (:mod:`mt_eval.flags.duplicates`);
:func:`duplicate_flags` turns those that are copies into flags. A user interface
repeats its strings, so a translation that repeats where its source repeats is
faithful, however short (``duplicate_skip_source_repeats``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from mt_eval.flags.duplicates import Repeat, find_repeats, normalise
from mt_eval.flags.settings import FlagSettings
from mt_eval.model import Flag, Link


def _groups(links: Sequence[Link], side: str, size: int) -> list[int]:
    groups = [-1] * size
    for n, link in enumerate(links):
        for i in getattr(link, side):
            groups[i] = n
    return groups


def duplicate_flags(
    links: Sequence[Link],
    src_texts: Sequence[str],
    tgt_texts: Sequence[str],
    settings: FlagSettings,
    repeats: dict[int, Repeat] | None = None,
) -> list[list[Flag]]:
    """``duplicate`` flags per link for translation sentences repeating others.

    ``repeats`` are the translation's repeats when already found (:func:`translation_repeats`).
    """
    options = _repeat_options(settings)
    if repeats is None:
        repeats = translation_repeats(links, tgt_texts, settings)
    src_repeats: dict[int, Repeat] = {}
    if repeats and settings.duplicate_skip_source_repeats:
        src_repeats = find_repeats(src_texts, _groups(links, "src", len(src_texts)), **options)
    link_of = {i: n for n, link in enumerate(links) for i in link.tgt}

    def source_of(i: int) -> str:
        link = links[link_of[i]] if i in link_of else None
        return normalise(" ".join(src_texts[k] for k in link.src)) if link else ""

    out: list[list[Flag]] = []
    for link in links:
        flags = []
        if not any(i in src_repeats for i in link.src):
            for i in link.tgt:
                faithful = (
                    i in repeats
                    and settings.duplicate_skip_source_repeats
                    and link_of.get(i) != link_of.get(repeats[i].of)  # one link: one source
                    and _source_repeats_too(
                        source_of(i),
                        source_of(repeats[i].of),
                        settings.duplicate_source_ratio,
                        exact=repeats[i].how == "equal",
                        exact_ratio=settings.duplicate_min_ratio,
                    )
                )
                if i in repeats and not faithful:
                    flags.append(_duplicate_flag(repeats[i], len(link.tgt) > 1))
        out.append(flags)
    return out


def _source_repeats_too(
    src: str, other: str, min_ratio: float, *, exact: bool, exact_ratio: float
) -> bool:
    """Whether the sources of two repeated translations repeat each other too.

    A user interface repeats its strings (``Database removed.`` in two dialogs);
    a translation that repeats where its source does is faithful, however short.
    An exact repeat needs sources as alike as a near repeat (``exact_ratio``) that
    differ only by words one of them leaves out: ``Select a TM database.`` and
    ``Select TM database.`` may share one translation, but ``Step 4`` and ``Step 7``
    translated alike is a copy, and so are ``Leading Spaces`` / ``Trailing Spaces``.
    A near repeat needs sources at least ``min_ratio`` alike.
    """
    if not src or not other:
        return False
    if src == other:
        return True
    ratio = fuzz.ratio(src, other)
    if exact:
        return ratio >= 100.0 * exact_ratio and _words_only_added(src, other)
    return ratio >= 100.0 * min_ratio


_WORD = re.compile(r"\w+")


def _words_only_added(a: str, b: str) -> bool:
    """Whether one text's words are the other's with some left out (case aside).

    ``Select a TM database.`` / ``Select TM database`` pass; a word put in another's
    place (``Step 4`` / ``Step 7``, ``source text e`` / ``source text h``) does not.
    """
    short, long = sorted((_WORD.findall(a.lower()), _WORD.findall(b.lower())), key=len)
    words = iter(long)
    return all(w in words for w in short)


def _repeat_options(settings: FlagSettings) -> dict:
    return dict(
        min_words=settings.duplicate_min_words,
        contained_min_words=settings.duplicate_contained_min_words,
        min_ratio=settings.duplicate_min_ratio,
        window=settings.duplicate_window,
    )


def translation_repeats(
    links: Sequence[Link], texts: Sequence[str], settings: FlagSettings
) -> dict:
    """Translation sentences that repeat others, by position."""
    groups = _groups(links, "tgt", len(texts))
    return find_repeats(texts, groups, **_repeat_options(settings))


def _duplicate_flag(repeat: Repeat, name_self: bool) -> Flag:
    who = f"translation sentence {repeat.index + 1} " if name_self else ""
    if repeat.how == "similar":
        alike = f"{math.floor(100 * repeat.ratio + 1e-9)}% of the characters alike"
        note = f"{who}nearly repeats translation sentence {repeat.of + 1} ({alike})"
        return Flag("duplicate", note, "minor")
    return Flag("duplicate", f"{who}repeats translation sentence {repeat.of + 1}", "major")
