"""Flags: problems in aligned links that a person should look at.

See :mod:`mt_eval.flags.detect` for the flag kinds, their notes and severities.
"""

from mt_eval.flags.detect import detect_flags
from mt_eval.flags.duplicates import Repeat, find_repeats, normalise
from mt_eval.flags.language import detector_unavailable, untranslated_note
from mt_eval.flags.numbers import NumberComparison, NumberMention, compare_numbers, extract_numbers
from mt_eval.flags.numwords import english_words, indonesian_words, parse_english, parse_indonesian
from mt_eval.flags.settings import FlagResult, FlagSettings, InvalidFlagSettings
from mt_eval.flags.unrelated import similarity_outliers
from mt_eval.model import FLAG_KINDS as KINDS
from mt_eval.model import SEVERITIES

__all__ = [
    "KINDS",
    "SEVERITIES",
    "FlagResult",
    "FlagSettings",
    "InvalidFlagSettings",
    "NumberComparison",
    "NumberMention",
    "Repeat",
    "compare_numbers",
    "detect_flags",
    "detector_unavailable",
    "english_words",
    "extract_numbers",
    "find_repeats",
    "indonesian_words",
    "normalise",
    "parse_english",
    "parse_indonesian",
    "similarity_outliers",
    "untranslated_note",
]
