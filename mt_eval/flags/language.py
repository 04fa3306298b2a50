"""Untranslated-text detection: translation left in the source language.

Two checks, both only when source and translation languages differ:

* **language**: lingua-language-detector, built once per language pair for just
  those two languages, says the translation is in the source language with at
  least a given confidence;
* **copy**: the translation is a near copy of the source (chrF of translation
  against source at or above a threshold); this works for any language pair.

Both only look at texts that read like running text: enough words, and enough
of them not capitalised (so ``Khasan-Tumangang``, ``Daily NK`` or a list of
names never fire). When lingua is not installed or does not know one of the
languages, :func:`detector_unavailable` says so and only the copy check runs.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

from mt_eval.languages import language_name

_ALIASES = {"in": "id", "iw": "he", "ji": "yi", "no": "nb"}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE)
_UNSPACED_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER", "MYANMAR", "TIBETAN")


def base_lang(code: str) -> str:
    """Return the base language code: ``"pt-BR"`` -> ``"pt"``, ``"in"`` -> ``"id"``."""
    base = code.strip().replace("_", "-").split("-")[0].lower()
    return _ALIASES.get(base, base)


def _unspaced(word: str) -> bool:
    return _unspaced_char(word[0])


@functools.cache
def _unspaced_char(char: str) -> bool:
    return unicodedata.name(char, "").startswith(_UNSPACED_SCRIPTS)


def _words(text: str) -> list[str]:
    return _WORD.findall(_URL.sub(" ", text))


def _count(words: list[str]) -> int:
    return sum(max(1, len(w) // 2) if _unspaced(w) else 1 for w in words)


def word_count(text: str) -> int:
    """Count words; URLs are no words, and in unspaced scripts two characters make a word."""
    return _count(_words(text))


def looks_like_text(text: str, *, min_words: int, min_common_words: int) -> bool:
    """Whether a text is running text rather than a name, a number or a list of names.

    Args:
        text: The text.
        min_words: Least number of words (see :func:`word_count`).
        min_common_words: Least number of words that do not start with a capital
            letter (so names, lists of names and title-case headings do not count
            as running text).

    Returns:
        True when both minimums are met.
    """
    words = _words(text)
    common = sum(1 for w in words if not w[0].isupper())
    return _count(words) >= min_words and common >= min_common_words


def _lingua_language(lingua: Any, code: str) -> Any:
    if len(code) == 2:
        return lingua.Language.from_iso_code_639_1(lingua.IsoCode639_1.from_str(code))
    return lingua.Language.from_iso_code_639_3(lingua.IsoCode639_3.from_str(code))


@functools.cache
def _detector(src: str, tgt: str) -> tuple[Any, Any, str]:
    """``(detector, source Language, "")`` or ``(None, None, reason)`` for a base-code pair."""
    try:
        import lingua
    except ImportError:
        return None, None, "lingua-language-detector is not installed"
    languages = []
    for code in (src, tgt):
        try:
            languages.append(_lingua_language(lingua, code))
        except ValueError:
            return None, None, f"lingua does not know language {code!r}"
    detector = lingua.LanguageDetectorBuilder.from_languages(*languages).build()
    return detector, languages[0], ""


def detector_unavailable(src_lang: str, tgt_lang: str) -> str:
    """Why language identification cannot run for a pair, or ``""`` when it can.

    Args:
        src_lang: Source language code.
        tgt_lang: Translation language code.

    Returns:
        A reason such as ``"lingua does not know language 'tlh'"``; ``""`` when available
        (also when both languages are the same, where there is nothing to identify).
    """
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src == tgt:
        return ""
    return _detector(src, tgt)[2]


def source_language_confidence(text: str, src_lang: str, tgt_lang: str) -> float | None:
    """Confidence (0-1) that a text is in the source rather than the translation language.

    Args:
        text: Translation text.
        src_lang: Source language code.
        tgt_lang: Translation language code.

    Returns:
        The confidence, or ``None`` when the detector is unavailable or the languages agree.
    """
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src == tgt:
        return None
    detector, language, _ = _detector(src, tgt)
    if detector is None:
        return None
    return float(detector.compute_language_confidence(text, language))


@functools.cache
def _chrf() -> Any:
    from sacrebleu.metrics import CHRF

    return CHRF()


def copy_score(src_text: str, tgt_text: str) -> float:
    """Return the chrF (0-100) of the translation scored against the source as reference."""
    return float(_chrf().sentence_score(tgt_text, [src_text]).score)


COPY_MIN_SHARED = 0.5
"""Least share of a translation's words found in its source for the copy test to run.

chrF against the source costs about a millisecond a link; a near copy shares most
of its words with the source, a translation into another language few of them."""


def _shares_words(src_text: str, tgt_text: str, least: float) -> bool:
    tgt = [w.casefold() for w in _WORD.findall(tgt_text)]
    if not tgt:
        return True
    src = {w.casefold() for w in _WORD.findall(src_text)}
    return sum(w in src for w in tgt) >= least * len(tgt)


COPY_MIN_WORDS = 3
"""Words of three letters or more that make a copy of the source untranslated, however short."""


def _identical_label(src_text: str, tgt_text: str) -> bool:
    """A translation equal to its source (case and spacing aside) of :data:`COPY_MIN_WORDS` words.

    Short texts escape the language and chrF tests (``Root Element Configuration``
    left in English in a Spanish file); an exact copy needs no test. Names and codes
    stay below it (``Swordfish - {0}``, ``SRX``, ``TM``), and so do texts of
    capitals only (``XML DTD URI``).
    """
    if " ".join(src_text.casefold().split()) != " ".join(tgt_text.casefold().split()):
        return False
    words = re.findall(r"[^\W\d_]{3,}", tgt_text)
    return len(words) >= COPY_MIN_WORDS and not all(w.isupper() for w in words)


def untranslated_note(
    src_text: str,
    tgt_text: str,
    src_lang: str,
    tgt_lang: str,
    *,
    min_words: int,
    min_common_words: int,
    min_confidence: float,
    copy_chrf: float,
) -> str | None:
    """Say why a translation looks untranslated, or ``None`` when it does not.

    Args:
        src_text: Source text.
        tgt_text: Translation text.
        src_lang: Source language code.
        tgt_lang: Translation language code.
        min_words: See :func:`looks_like_text`.
        min_common_words: See :func:`looks_like_text`.
        min_confidence: Least lingua confidence that the translation is in the source language.
        copy_chrf: Least chrF of translation against source for a near copy (scored
            only when at least :data:`COPY_MIN_SHARED` of the translation's words are
            the source's).

    Returns:
        ``"translation is a near copy of the source (character match with the source 97
        of 100, chrF)"``, ``"translation is in English, not Indonesian (the language
        detector is 100% sure)"``, ``"translation is identical to the source"`` or
        ``None``. Always ``None`` when both languages are the same.
    """
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    if src == tgt or not src_text.strip():
        return None
    if not looks_like_text(tgt_text, min_words=min_words, min_common_words=min_common_words):
        # too short for the language and chrF tests: only an exact copy says enough
        return (
            "translation is identical to the source"
            if _identical_label(src_text, tgt_text)
            else None
        )
    if _shares_words(src_text, tgt_text, COPY_MIN_SHARED):
        score = copy_score(src_text, tgt_text)
        if score >= copy_chrf:
            return (
                "translation is a near copy of the source "
                f"(character match with the source {score:.0f} of 100, chrF)"
            )
    confidence = source_language_confidence(tgt_text, src_lang, tgt_lang)
    if confidence is not None and confidence >= min_confidence:
        sure = math.floor(100 * confidence + 1e-9)
        return (
            f"translation is in {language_name(src)}, not {language_name(tgt)} "
            f"(the language detector is {sure}% sure)"
        )
    return None
