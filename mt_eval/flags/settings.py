"""Detector thresholds (the ``[flags]`` table) and what detection returns."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from mt_eval.errors import ConfigError
from mt_eval.model import Flag


class InvalidFlagSettings(ConfigError, ValueError):
    """A :class:`FlagSettings` value is of the wrong type or out of range.

    Both a :class:`~mt_eval.errors.ConfigError` (the CLI reports it) and a
    ``ValueError`` (what library callers expect from bad arguments).
    """


@dataclass(frozen=True)
class FlagSettings:
    """Thresholds of the flag detectors.

    Attributes:
        short_words: Drops and additions of at most this many words are ``minor``
            (a lost byline or caption matters less than a lost sentence); source
            sentences that short are not judged for coverage inside a merged link
            (they barely move its embedding).
        duplicate_min_words: Least words for an equal or similar repeat, so that
            short lines ("Yes.", "Photo: AP") may repeat.
        duplicate_contained_min_words: Least words of a sentence found inside an
            earlier one; higher than the above because short phrases recur naturally.
        duplicate_min_ratio: Least character similarity (Indel ratio,
            ``rapidfuzz.fuzz.ratio``) for a near repeat; 0.9 catches re-punctuated or
            re-cased copies, not sentences sharing a frame.
        duplicate_source_ratio: A near-repeated translation whose link's source is
            itself this similar to the source of the sentence it repeats (Indel
            ratio) is faithful, not a duplicate; an exact repeat is faithful when the
            sources are equal: user interfaces repeat their strings (``Database
            removed.`` in two dialogs).
        duplicate_window: How many sentences before a sentence are searched for a
            near repeat (equal and contained repeats are searched in the whole
            document); it keeps long line-aligned test sets linear in time.
        duplicate_skip_source_repeats: Do not flag a repeat when the link's source
            sentence repeats too (a faithful translation of a repetitive source).
        untranslated_min_words: Least words of a translation checked for being
            untranslated; language identification is unreliable below that.
        untranslated_min_common_words: Least words not starting with a capital letter,
            so that names, lists of names and title-case headings never fire.
        untranslated_min_confidence: Least lingua confidence that the translation is in
            the source language; 0.9 keeps mixed sentences with English names quiet.
        untranslated_copy_chrf: Least chrF (0-100) of translation against source for a
            near copy; real translations between different languages score far lower.
        numbers_compare_words: Also report numbers written only as words on one side
            and missing on the other; off because "one", "satu" are often no number.
        omission_min_words: Least words on the longer side of a link for its length
            ratio to be judged; ratios of short texts are noise.
        omission_max_ratio: A link whose translation-to-source length ratio, relative
            to the document's usual ratio, is at most this is flagged ``dropped``
            (partial omission); at least its inverse, ``added`` (partial addition).
        omission_cut_ratio: A larger relative ratio that still counts as a partial
            omission when the translation stops mid-sentence (ends on a comma or a
            word that never ends a sentence, ``dan``, ``the``) and the source does not,
            or when the link's source crosses a paragraph break its translation does
            not (its inverse: a partial addition when the translation crosses one).
        omission_nostop_ratio: Likewise when the translation only lacks its final
            stop, in a document whose translations otherwise end their sentences.
        omission_head_ratio: Likewise, in any document, for a translation that stops
            mid-sentence or lacks its final stop and is as close (in the run's
            embedding) to the first half of its source as to the whole
            (:func:`mt_eval.flags.coverage.head_gain`): a cut-off translation.
        omission_head_min_gain: Likewise, at ``omission_cut_ratio`` and however the
            translation ends, for one whose similarity to the first half of its source
            exceeds that to the whole by at least this (a truncated translation; clean
            dev links stay below 0.06, cut-off ones reach 0.1-0.5).
        omission_head_min_words: Least source words for that test; halves of shorter
            sources are too short for an embedding to say which half is carried.
        entity_min_similarity: Least character similarity (``rapidfuzz.fuzz.ratio``)
            between a source name's word and a translation word for the name to count
            as kept (inflection, transliteration: ``Moscow`` / ``Moskow`` 0.83,
            ``Russia`` / ``Rusia`` 0.91).
        mistranslation_min_links: Least scored links in the document before outliers
            are looked for; medians and MADs of fewer scores are noise.
        mistranslation_min_words: Least words on the longer side of a link for the
            outlier tests (similarity, COMET, chrF) to flag it; embeddings of very short
            texts are noisy. The alignment-cost rule applies to every link.
        mistranslation_max_z: A flagged link's robust z-score (median/MAD) is at most
            this; -3.5 is the usual outlier cut of Iglewicz and Hoaglin.
        mistranslation_percentile: A flagged link's similarity is also at most this
            percentile of the document's, so at most a few percent of links fire.
        mistranslation_max_align_cost: A link whose alignment cost is at least this is
            a ``mistranslation`` whatever its document (about -1 is a close
            translation, 0 an unrelated pair; 0.1 leaves loose but true translations,
            whose cost can reach 0.06, alone); not used for line-aligned input. A
            merged link with more source than translation sentences is ``dropped``
            instead (a lost sentence merged in; unless its translation is longer than
            usual, a partial addition: unrelated text), one with more translation sentences
            ``added`` as well; a partial omission or a translation sentence repeated
            elsewhere explains the cost (no ``mistranslation``). Where there is a
            cost, it replaces the similarity outlier test.
        mistranslation_max_margin: Likewise for a link whose similarity lies at most
            this many standard deviations above the similarities of unrelated pairs in
            its document (its source with other links' translations and the reverse;
            :mod:`mt_eval.flags.margin`); true translations lie about 5 above, swapped
            ones about 0. Aligned input only, in documents of at least
            ``mistranslation_min_links`` links with both sides.
        mistranslation_unsure_margin: A paragraph pair whose margin lies above
            ``mistranslation_max_margin`` but at most this is asked of the run's second
            model (``second_opinion``), and is no translation when that model's margin is
            at most ``mistranslation_max_margin``. On the detection dev benchmark
            (segments 0-79, seeds 0-3, true pairing) no true paragraph pair of that band
            scored an e5 margin below 1.9, and 9 of the 12 swapped ones did.
    """

    short_words: int = 3
    duplicate_min_words: int = 4
    duplicate_contained_min_words: int = 6
    duplicate_min_ratio: float = 0.9
    duplicate_source_ratio: float = 0.75
    duplicate_window: int = 100
    duplicate_skip_source_repeats: bool = True
    untranslated_min_words: int = 4
    untranslated_min_common_words: int = 2
    untranslated_min_confidence: float = 0.9
    untranslated_copy_chrf: float = 80.0
    numbers_compare_words: bool = False
    omission_min_words: int = 6
    omission_max_ratio: float = 0.5
    omission_cut_ratio: float = 0.8
    omission_nostop_ratio: float = 0.6
    omission_head_ratio: float = 0.7
    omission_head_min_gain: float = 0.1
    omission_head_min_words: int = 9
    entity_min_similarity: float = 0.75
    mistranslation_min_links: int = 8
    mistranslation_min_words: int = 9
    mistranslation_max_z: float = -3.5
    mistranslation_percentile: float = 5.0
    mistranslation_max_align_cost: float = 0.1
    mistranslation_max_margin: float = 1.5
    mistranslation_unsure_margin: float = 3.0

    def __post_init__(self) -> None:
        """Check types and ranges.

        Raises:
            InvalidFlagSettings: Naming the setting that is wrong.
        """
        for f in fields(self):
            _check_type(f.name, f.type, getattr(self, f.name))
        ranges = {
            "short_words": (0, math.inf),
            "duplicate_min_words": (1, math.inf),
            "duplicate_contained_min_words": (1, math.inf),
            "duplicate_min_ratio": (0.0, 1.0),
            "duplicate_source_ratio": (0.0, 1.0),
            "duplicate_window": (1, math.inf),
            "untranslated_min_words": (1, math.inf),
            "untranslated_min_common_words": (0, math.inf),
            "untranslated_min_confidence": (0.0, 1.0),
            "untranslated_copy_chrf": (0.0, 100.0),
            "entity_min_similarity": (0.0, 1.0),
            "omission_min_words": (1, math.inf),
            "omission_max_ratio": (0.0, 1.0),
            "omission_cut_ratio": (0.0, 1.0),
            "omission_nostop_ratio": (0.0, 1.0),
            "omission_head_ratio": (0.0, 1.0),
            "omission_head_min_gain": (0.0, 2.0),
            "omission_head_min_words": (2, math.inf),
            "mistranslation_min_links": (3, math.inf),
            "mistranslation_min_words": (1, math.inf),
            "mistranslation_max_z": (-math.inf, -0.5),
            "mistranslation_percentile": (0.0, 100.0),
            "mistranslation_max_align_cost": (-1.0, math.inf),
            "mistranslation_max_margin": (-math.inf, math.inf),
            "mistranslation_unsure_margin": (-math.inf, math.inf),
        }
        for name, (low, high) in ranges.items():
            if not low <= getattr(self, name) <= high:
                raise InvalidFlagSettings(f"flag setting {name} must be within {low}..{high}")


def _check_type(name: str, kind: object, value: object) -> None:
    """Reject settings of the wrong type (``kind`` is the annotation as a string)."""
    if kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        ok = ok and math.isfinite(value)  # type: ignore[arg-type]
    if not ok:
        what = "true or false" if kind == "bool" else f"a finite {kind}"
        raise InvalidFlagSettings(f"flag setting {name} must be {what}, got {value!r}")


@dataclass(frozen=True)
class FlagResult:
    """Flags of every link, and what could not be checked.

    Attributes:
        flags: One tuple of flags per link, in link order.
        notes: Checks that did not run or ran only in part, each with the reason,
            e.g. ``"mistranslation: not checked (5 scored links, need 8)"``.
    """

    flags: tuple[tuple[Flag, ...], ...]
    notes: tuple[str, ...] = ()
