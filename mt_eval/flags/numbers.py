"""Numbers in text: extraction and source/translation comparison.

A *mention* is one number as written in a text, with the set of values it may
stand for. Separators are ambiguous across languages (``584,302`` is 584302 in
English style and 584.302 in Indonesian style), so a mention carries every
plausible reading and two mentions correspond when their value sets intersect.

Digits are read in any language: integers, ``,``/``.`` thousands and decimal
separators (and no-break or thin spaces as thousands separators), times
(``11:13``, ``11.13``) and a following scale word (``1,5 juta``, ``3 million``).
Percent signs and currency signs are not part of the value (``30%`` is 30,
``Covid-19`` gives 19); digits glued to letters other than a unit or ordinal
suffix (``18th``, ``5km``) form a code compared as a whole (``V9``, ``5a``). A
run that is no valid number (``2022.12.12``) is read as its separate integers.

Number words are read for English (``en``) and Indonesian (``id``, also used
for Malay ``ms``) by :mod:`mt_eval.flags.numwords`: cardinals up to the
trillions and a few ordinals, with halves (``two and a half``, ``dua setengah``,
``half``, ``separuh``); for German, French, Spanish, Portuguese, Italian and Dutch
by text2num (``zehn`` is 10). A percentage is also its fraction (``50 percent``
is ``separuh``), a scale word replaces the bare digits (``10 juta`` is ten
million, never 10), ``44, 9 miliar`` is 44.9 billion, and Indonesian ``rica2nya``
(reduplication) is no number. Words are only counterparts: by default a number
written as words on one side and missing on the other is not reported, because
words like "one" or "satu" are often not numbers at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from mt_eval.flags.language import base_lang
from mt_eval.flags.numwords import (
    ENGLISH_STARTS,
    INDONESIAN_STARTS,
    Parse,
    parse_english,
    parse_indonesian,
)

Value: TypeAlias = Decimal | tuple[str, int | str, int]
"""A plausible value of a mention: a number, ``("time", hours, minutes)``, ``("month", m, 0)``
or ``("code", "v9", 0)``."""

DIGITS = "digits"
WORDS = "words"
MONTH = "month"
CODE = "code"
_CODE_LEFT = re.compile(r"[^\W_]+$")
_CODE_RIGHT = re.compile(r"[^\W_]*")

_SPACE_SEPS = "\u00a0\u202f\u2009"
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[.,:\u00a0\u202f\u2009]\d+)*")
_SEP_SPLIT = re.compile(r"([.,:\u00a0\u202f\u2009])")
_SCALE_AFTER = re.compile(
    r"\s?(hundred|thousand|million|billion|trillion|bn|mn|mln|tn|k|"
    r"ratus|ribu|rb|juta|jt|miliar|milyar|bilion|triliun|trilion|"
    r"millionen|milliarden|milliarde|billionen|mio|mrd|"
    r"millions|milliards|milliard|millones|millón|milhões|milhão|bilhões|bilhão|milioni|miliardi|"
    r"miljoen|miljard)\b",
    re.IGNORECASE,
)
_SCALES = {
    "hundred": 10**2,
    "ratus": 10**2,
    "k": 10**3,
    "thousand": 10**3,
    "ribu": 10**3,
    "rb": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "mln": 10**6,
    "juta": 10**6,
    "jt": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "miliar": 10**9,
    "milyar": 10**9,
    "bilion": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
    "triliun": 10**12,
    "trilion": 10**12,
    # German, French, Spanish, Portuguese, Italian, Dutch (long scale: "Billion" = 10**12)
    "millionen": 10**6,
    "mio": 10**6,
    "milliarde": 10**9,
    "milliarden": 10**9,
    "mrd": 10**9,
    "billionen": 10**12,
    "millions": 10**6,
    "milliard": 10**9,
    "milliards": 10**9,
    "millón": 10**6,
    "millones": 10**6,
    "milhão": 10**6,
    "milhões": 10**6,
    "bilhão": 10**9,
    "bilhões": 10**9,
    "milioni": 10**6,
    "miliardi": 10**9,
    "miljoen": 10**6,
    "miljard": 10**9,
}
_SPACED_DECIMAL = re.compile(r"(\d)([.,]) (\d{1,2})(?=" + _SCALE_AFTER.pattern + ")", re.IGNORECASE)
"""A decimal mark followed by a space before a scale word: ``44, 9 miliar`` is 44.9 billion."""
_FRACTIONS = {"½": Decimal("0.5"), "¼": Decimal("0.25"), "¾": Decimal("0.75")}
_PERCENT_AFTER = re.compile(r"\s?(?:%|percent\b|per cent\b|persen\b|prozent\b|pour cent\b)", re.I)
_REDUPLICATION = re.compile(r"[^\W\d_]{2,}2[^\W\d_]*")
"""Indonesian and Malay informal reduplication, ``rica2nya`` for *rica-ricanya*: no number."""
_HALF_WORDS = {"en": ("half",), "id": ("setengah", "separuh"), "ms": ("setengah", "separuh")}
"""Words that say one half on their own (counterparts only: ``50 percent`` is ``separuh``)."""
_AND_A_HALF = {"en": ("and", "a", "half"), "id": ("setengah",), "ms": ("setengah",)}
"""Words after a number that add one half: ``two and a half``, ``dua setengah``."""
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹₽₩]|\bRp\.?|\b(?:USD|EUR|IDR|GBP|JPY|RUB))\s?$")
_CURRENCY_AFTER = re.compile(
    r"^\s?(?:USD|EUR|IDR|GBP|JPY|RUB|dollars?|dolar|rupiah|euros?|roubles?|rubles?|rubel|yen)\b",
    re.IGNORECASE,
)
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_GLUED_AFTER = re.compile(r"[^\W\d_]+")
_UNITS = frozenset(
    "st nd rd th e er re ème eme an k m km cm mm kg g gr mg l ml h hr jam s x gb mb tb am pm "
    "wib wita wit ku mu nya lah pun ½ ¼ ¾".split()
)
"""Letters that may follow digits without a space and leave them a number (``18th``, French
``8e``, ``1er``, ``5km``, ``1990an``, Indonesian suffixes ``2011ku``, ``2nya``); other
letters make the run a code or a name (``Redmi 5a``, ``V9``)."""
_WORD_GAP = re.compile(r"[\s\-\u2010\u2011]+")


@dataclass(frozen=True)
class NumberMention:
    """One number as written in a text.

    Attributes:
        text: The number as written, e.g. ``"584,302"``, ``"Dua belas"``, ``"1,5 juta"``.
        start: Character offset in the text.
        values: Every value the mention may stand for.
        written: ``"digits"``, ``"words"``, ``"month"`` (a month name, whose values
            are ``("month", m)`` and ``m``, so that ``11`` in ``2/11/2022`` matches
            ``November``) or ``"code"`` (digits glued to letters, ``Redmi 5a``, ``V9``:
            compared as the whole token, ignoring case).
        currency: Whether a currency sign or name is attached.
    """

    text: str
    start: int
    values: frozenset[Value]
    written: str
    currency: bool = False


@dataclass(frozen=True)
class NumberComparison:
    """Numbers of one side without a counterpart on the other side.

    Attributes:
        missing_in_target: Source mentions no translation mention matches.
        missing_in_source: Translation mentions no source mention matches.
    """

    missing_in_target: tuple[NumberMention, ...]
    missing_in_source: tuple[NumberMention, ...]

    def __bool__(self) -> bool:
        return bool(self.missing_in_target or self.missing_in_source)


# --------------------------------------------------------------------------- digits


def _thousands_ok(groups: Sequence[str]) -> bool:
    head, *rest = groups
    lead_ok = 1 <= len(head) <= 3 and head[0] != "0"
    return lead_ok and all(len(g) == 3 for g in rest)


def _digit_values(token: str) -> frozenset[Value]:
    """Plausible values of a digit run; empty when it is no valid number."""
    parts = _SEP_SPLIT.split(token)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return frozenset({Decimal(token)})
    values: set[Value] = set()
    if seps == [":"]:
        hours, minutes = int(groups[0]), int(groups[1])
        if len(groups[1]) == 2 and hours <= 24 and minutes < 60:
            values.add(("time", hours, minutes))
            if minutes == 0:  # "13:00" is also written "pukul 13", "1 pm"
                values.add(Decimal(hours))
        return frozenset(values)
    if ":" in seps:
        return frozenset()
    marks = {s for s in seps if s not in _SPACE_SEPS}
    # Every separator a thousands separator.
    if len(marks) <= 1 and _thousands_ok(groups):
        values.add(Decimal("".join(groups)))
    # The last separator a decimal mark, the others thousands separators.
    last = seps[-1]
    earlier = {s for s in seps[:-1] if s not in _SPACE_SEPS}
    if last not in _SPACE_SEPS and last not in earlier and len(earlier) <= 1:
        if len(groups) == 2 or _thousands_ok(groups[:-1]):
            values.add(Decimal("".join(groups[:-1]) + "." + groups[-1]))
    if seps == ["."] and len(groups[1]) == 2 and int(groups[0]) <= 24 and int(groups[1]) < 60:
        values.add(("time", int(groups[0]), int(groups[1])))
    return frozenset(values)


def _scaled(values: frozenset[Value], scale: int) -> frozenset[Value]:
    """The values times a scale word's: ``10 juta`` is ten million, never a bare 10."""
    return frozenset(v * scale if isinstance(v, Decimal) else v for v in values)


def _percent(values: frozenset[Value]) -> frozenset[Value]:
    """A percentage is also its fraction: ``50 percent`` is said ``separuh`` (half)."""
    return values | {v / 100 for v in values if isinstance(v, Decimal)}


def _currency(text: str, start: int, end: int) -> bool:
    return bool(
        _CURRENCY_BEFORE.search(text[max(0, start - 5) : start])
        or _CURRENCY_AFTER.match(text[end : end + 12])
    )


def _is_code(text: str, start: int, end: int) -> bool:
    """Digits glued to letters that are no unit: a model name or code (``5a``, ``V9``, ``B2B``)."""
    if start > 0 and (text[start - 1].isalpha()):
        return True
    glued = _GLUED_AFTER.match(text, end)
    return bool(glued) and glued.group().casefold() not in _UNITS


def digit_mentions(text: str) -> list[NumberMention]:
    """Numbers written with digits, in text order.

    Args:
        text: Any text.

    Returns:
        One mention per number; runs that are no valid number give one mention per integer.
    """
    mentions: list[NumberMention] = []
    code_end_seen = 0
    for match in _DIGIT_RUN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        if _is_code(text, start, end):
            left = _CODE_LEFT.search(text, 0, start)
            code_start = left.start() if left else start
            code_end = _CODE_RIGHT.match(text, end).end()
            if mentions and mentions[-1].written == CODE and code_start < code_end_seen:
                continue  # another digit run of the same code (B2B2)
            code = text[code_start:code_end]
            values = frozenset({(CODE, code.casefold(), 0)})
            mentions.append(NumberMention(code, code_start, values, CODE))
            code_end_seen = code_end
            continue
        values = _digit_values(token)
        if not values:
            offset = start
            for part in _SEP_SPLIT.split(token)[0::2]:
                mentions.append(NumberMention(part, offset, frozenset({Decimal(part)}), DIGITS))
                offset += len(part) + 1
            continue
        if end < len(text) and text[end] in _FRACTIONS:
            frac = _FRACTIONS[text[end]]
            values = frozenset(v + frac if isinstance(v, Decimal) else v for v in values)
            end += 1
        scale = _SCALE_AFTER.match(text, end)
        if scale:
            values = _scaled(values, _SCALES[scale.group(1).lower()])
            end = scale.end()
        elif _PERCENT_AFTER.match(text, end):
            values = _percent(values)
        mentions.append(
            NumberMention(text[start:end], start, values, DIGITS, _currency(text, start, end))
        )
    return mentions


# --------------------------------------------------------------------------- extraction

WORD_PARSERS: dict[str, Callable[[Sequence[str], int], Parse]] = {
    "en": parse_english,
    "id": parse_indonesian,
    "ms": parse_indonesian,
}
"""Number-word parsers by base language code; other languages get digits only."""

_STARTS = {"en": ENGLISH_STARTS, "id": INDONESIAN_STARTS, "ms": INDONESIAN_STARTS}
"""Per parser, words of which every number has one: a text with none of them has none."""


def word_mentions(text: str, lang: str) -> list[NumberMention]:
    """Numbers written as words, for languages in :data:`WORD_PARSERS`.

    Args:
        text: Any text.
        lang: Language code (``"en"``, ``"id"``, ``"en-GB"``...); only the base code counts.

    Returns:
        Mentions in text order; empty for languages without a parser.
    """
    base = base_lang(lang)
    parser = WORD_PARSERS.get(base)
    if parser is None:
        return _library_word_mentions(text, base)
    letters = set(_LETTER_RUN.findall(text.casefold()))
    halves = _HALF_WORDS.get(base, ())
    starts = _STARTS.get(base)
    if starts is not None and starts.isdisjoint(letters) and letters.isdisjoint(halves):
        return []
    tokens = list(_LETTER_RUN.finditer(text))
    runs: list[list[re.Match[str]]] = []
    for tok in tokens:
        if runs and _WORD_GAP.fullmatch(text, runs[-1][-1].end(), tok.start()):
            runs[-1].append(tok)
        else:
            runs.append([tok])
    mentions: list[NumberMention] = []
    for run in runs:
        words = [t.group().casefold() for t in run]
        i = 0
        while i < len(words):
            parsed = parser(words, i)
            if parsed is None or parsed[1] <= i:
                if words[i] in halves:  # "half", "separuh": a counterpart of 0.5 and 50 %
                    tok = run[i]
                    half = frozenset({Decimal("0.5")})
                    mentions.append(NumberMention(tok.group(), tok.start(), half, WORDS))
                i += 1
                continue
            value, end = _with_half(Decimal(parsed[0]), parsed[1], words, base)
            start, stop = run[i].start(), run[end - 1].end()
            mentions.append(
                NumberMention(
                    text[start:stop],
                    start,
                    frozenset({value}),
                    WORDS,
                    _currency(text, start, stop),
                )
            )
            i = end
    return mentions


def _with_half(value: Decimal, end: int, words: Sequence[str], lang: str) -> tuple[Decimal, int]:
    """``two and a half`` (2.5), ``four and a half billion``, ``dua setengah juta``."""
    tail = _AND_A_HALF.get(lang, ())
    if not tail or tuple(words[end : end + len(tail)]) != tail:
        return value, end
    end += len(tail)
    value += Decimal("0.5")
    if end < len(words) and words[end] in _SCALES:
        value *= _SCALES[words[end]]
        end += 1
    return value, end


_LIBRARY_LANGS = frozenset({"de", "fr", "es", "pt", "it", "nl"})
"""Languages whose number words :mod:`text_to_num` (text2num) reads."""


def _library_word_mentions(text: str, lang: str) -> list[NumberMention]:
    """Number words of a language text2num reads (``zehn`` is 10), as word mentions.

    Each run of words is converted with ``alpha2digit`` and the digits it writes are
    read back; isolated small words (``ein``, ``una``) stay words, as text2num
    leaves them.
    """
    if lang not in _LIBRARY_LANGS:
        return []
    from text_to_num import alpha2digit

    mentions: list[NumberMention] = []
    for match in re.finditer(r"[^\W\d_]+(?:[\s\-][^\W\d_]+)*", text):
        chunk = match.group()
        converted = alpha2digit(chunk, lang)
        if converted == chunk:
            continue
        for found in digit_mentions(converted):
            if found.written != DIGITS:
                continue
            mentions.append(
                NumberMention(
                    found.text,
                    match.start(),
                    found.values,
                    WORDS,
                    _currency(text, match.start(), match.end()),
                )
            )
    return mentions


_AMBIGUOUS_MONTHS = {"en": frozenset({"may", "march"})}
"""Month names that are also common words; they count only next to a number (``May 3``)."""


@functools.cache
def _month_names(lang: str) -> dict[str, tuple[int, bool]]:
    """Lower-case month name -> (month, needs a number next to it), from Babel's locale data."""
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - babel is a core dependency
        return {}
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        return {}
    names: dict[str, tuple[int, bool]] = {}
    ambiguous = _AMBIGUOUS_MONTHS.get(lang, frozenset())
    for width in ("abbreviated", "wide"):
        for month, name in locale.months["format"][width].items():
            key = name.casefold().rstrip(".")
            if _LETTER_RUN.fullmatch(key):
                names[key] = (month, width == "abbreviated" or key in ambiguous)
    return names


def month_mentions(text: str, lang: str) -> list[NumberMention]:
    """Month names (any language Babel knows), e.g. ``November``, ``Nov. 2``, ``2 Mei``.

    Abbreviations and month names that are also common words (English ``may``,
    ``march``) count only with a number right before or after them.

    Args:
        text: Any text.
        lang: Language code; only the base code counts.

    Returns:
        Mentions in text order.
    """
    names = _month_names(base_lang(lang))
    mentions: list[NumberMention] = []
    for match in _LETTER_RUN.finditer(text):
        found = names.get(match.group().casefold())
        if found is None:
            continue
        month, needs_number = found
        if needs_number and not _next_to_digits(text, match.start(), match.end()):
            continue
        values = frozenset({(MONTH, month, 0), Decimal(month)})
        mentions.append(NumberMention(match.group(), match.start(), values, MONTH))
    return mentions


def _next_to_digits(text: str, start: int, end: int) -> bool:
    return bool(
        re.search(r"\d[\s,.]{0,2}$", text[max(0, start - 3) : start])
        or re.match(r"\.?[\s,]{0,2}\d", text[end : end + 4])
    )


def extract_numbers(text: str, lang: str) -> tuple[NumberMention, ...]:
    """All numbers in a text: digits, number words and month names, in text order.

    Args:
        text: Any text.
        lang: Its language code (selects the number-word parser).

    Returns:
        Mentions sorted by position.
    """
    digits = digit_mentions(_SPACED_DECIMAL.sub(r"\1\2\3", text))
    if base_lang(lang) in ("id", "ms"):
        digits = [m for m in digits if not (m.written == CODE and _REDUPLICATION.fullmatch(m.text))]
    found = digits + word_mentions(text, lang) + month_mentions(text, lang)
    return tuple(sorted(found, key=lambda m: m.start))


def compare_numbers(
    src_text: str,
    tgt_text: str,
    src_lang: str,
    tgt_lang: str,
    *,
    compare_words: bool = False,
) -> NumberComparison:
    """Find numbers of one side that have no counterpart on the other side.

    A mention has a counterpart when some mention on the other side (digits or
    words) shares a value with it; order and repetition do not matter.

    Args:
        src_text: Source text.
        tgt_text: Translation text.
        src_lang: Source language code.
        tgt_lang: Translation language code.
        compare_words: Also report numbers written only as words.

    Returns:
        The unmatched mentions of each side.
    """
    src = extract_numbers(src_text, src_lang)
    tgt = extract_numbers(tgt_text, tgt_lang)

    def unmatched(
        mine: Sequence[NumberMention], other: Sequence[NumberMention]
    ) -> tuple[NumberMention, ...]:
        pool: set[Value] = set().union(*(m.values for m in other))
        other_months = any(m.written == MONTH for m in other)
        return tuple(
            m for m in mine if _reported(m, compare_words, other_months) and not (m.values & pool)
        )

    return NumberComparison(unmatched(src, tgt), unmatched(tgt, src))


def _reported(mention: NumberMention, compare_words: bool, other_months: bool) -> bool:
    """Whether a mention without counterpart is reported.

    Number words only with ``compare_words``; month names only when the other side
    names a month too (a changed month: a month may also be paraphrased, and
    English "may" is no month without a number next to it); a lone ``1`` never,
    since the other language often says it with an article (``1 jam`` is "an
    hour", ``1 toples`` "a jar").
    """
    if mention.written == WORDS and not compare_words:
        return False
    if mention.written == MONTH and not other_months:
        return False
    return mention.values != {Decimal(1)}


def _what(mention: NumberMention) -> str:
    return {MONTH: "month", CODE: "code"}.get(mention.written, "number")


def mismatch_note(comparison: NumberComparison) -> str:
    """A note for people, e.g. ``"number 138 in source, 183 in translation"``.

    Unmatched numbers are paired in text order; the rest are listed one by one.
    """
    src, tgt = comparison.missing_in_target, comparison.missing_in_source
    pairs = zip(src, tgt, strict=False)
    notes = [f"{_what(s)} {s.text} in source, {t.text} in translation" for s, t in pairs]
    notes += [f"{_what(s)} {s.text} in source missing in translation" for s in src[len(tgt) :]]
    notes += [f"{_what(t)} {t.text} in translation not in source" for t in tgt[len(src) :]]
    return "; ".join(notes)
