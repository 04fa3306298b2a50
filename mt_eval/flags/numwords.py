"""Number words: parsers and writers for English and Indonesian cardinals.

Parsers take lower-case words (hyphenated words split, ``"twenty-five"`` is
``["twenty", "five"]``) and a start position, and return the value and end of the
longest number starting there, or ``None``. They also read a few ordinals
(``third``, ``ketiga``) as their numbers. Writers produce the canonical spelling,
so that ``parse(write(n).split()) == (n, len(...))`` can be property-tested.
"""

from __future__ import annotations

from collections.abc import Sequence

Parse = tuple[int, int] | None
"""A parsed value and the index just past the words it used, or ``None``."""

# --------------------------------------------------------------------------- English words

_EN_UNITS = dict(
    zip("one two three four five six seven eight nine".split(), range(1, 10), strict=True)
)
_EN_TEENS = dict(
    zip(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(),
        range(10, 20),
        strict=True,
    )
)
_EN_TENS = dict(
    zip(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(),
        range(20, 100, 10),
        strict=True,
    )
)
_EN_SCALES = (("trillion", 10**12), ("billion", 10**9), ("million", 10**6), ("thousand", 10**3))
_EN_ORDINALS = dict(
    zip(
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(),
        range(1, 13),
        strict=True,
    )
)


def _en_below_hundred(w: Sequence[str], i: int) -> Parse:
    if i >= len(w):
        return None
    if w[i] in _EN_TEENS:
        return _EN_TEENS[w[i]], i + 1
    if w[i] in _EN_TENS:
        if i + 1 < len(w) and w[i + 1] in _EN_UNITS:
            return _EN_TENS[w[i]] + _EN_UNITS[w[i + 1]], i + 2
        return _EN_TENS[w[i]], i + 1
    if w[i] in _EN_UNITS:
        return _EN_UNITS[w[i]], i + 1
    return None


def _en_below_thousand(w: Sequence[str], i: int) -> Parse:
    value, j = 0, i
    if i + 1 < len(w) and w[i + 1] == "hundred" and (w[i] in _EN_UNITS or w[i] == "a"):
        value, j = 100 * _EN_UNITS.get(w[i], 1), i + 2
        if j < len(w) and w[j] == "and" and _en_below_hundred(w, j + 1):
            j += 1
    rest = _en_below_hundred(w, j)
    if rest:
        value, j = value + rest[0], rest[1]
    return (value, j) if j > i else None


_EN_STARTS = frozenset({"zero", "a", *_EN_ORDINALS, *_EN_UNITS, *_EN_TEENS, *_EN_TENS})
"""The words an English number can start with (a quick no for every other word)."""


def parse_english(words: Sequence[str], start: int = 0) -> Parse:
    """Parse the longest English cardinal starting at ``words[start]``.

    Args:
        words: Lower-case words (``"twenty-five"`` split into ``"twenty"``, ``"five"``).
        start: Where to start.

    Returns:
        ``(value, end)`` or ``None`` when no number starts there.
    """
    if start >= len(words) or words[start] not in _EN_STARTS:
        return None
    w, j = words, start
    if j < len(w) and w[j] == "zero":
        return 0, j + 1
    if j < len(w) and w[j] in _EN_ORDINALS:
        return _EN_ORDINALS[w[j]], j + 1
    total, found = 0, False
    for name, scale in _EN_SCALES:
        if j + 1 < len(w) and w[j] == "a" and w[j + 1] == name:
            total, j, found = total + scale, j + 2, True
            continue
        group = _en_below_thousand(w, j)
        if group and group[1] < len(w) and w[group[1]] == name:
            total, j, found = total + group[0] * scale, group[1] + 1, True
    if found and j < len(w) and w[j] == "and" and _en_below_hundred(w, j + 1):
        j += 1
    group = _en_below_thousand(w, j)
    if group:
        total, j, found = total + group[0], group[1], True
    return (total, j) if found else None


def _en_group_words(n: int) -> list[str]:
    out: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        out += [*_en_group_words(hundreds), "hundred"]
    if 10 <= rest < 20:
        out.append(next(k for k, v in _EN_TEENS.items() if v == rest))
    else:
        tens, unit = divmod(rest, 10)
        if tens:
            out.append(next(k for k, v in _EN_TENS.items() if v == tens * 10))
        if unit:
            out.append(next(k for k, v in _EN_UNITS.items() if v == unit))
    return out


def english_words(n: int) -> str:
    """Write a cardinal ``0 <= n < 10**15`` in English words (no "and", no hyphens)."""
    if not 0 <= n < 10**15:
        raise ValueError(f"cannot write {n} in words")
    if n == 0:
        return "zero"
    out: list[str] = []
    for name, scale in _EN_SCALES:
        count, n = divmod(n, scale)
        if count:
            out += [*_en_group_words(count), name]
    return " ".join(out + _en_group_words(n))


# --------------------------------------------------------------------------- Indonesian words

_ID_UNITS = dict(
    zip("satu dua tiga empat lima enam tujuh delapan sembilan".split(), range(1, 10), strict=True)
)
_ID_SCALES = (("triliun", 10**12), ("miliar", 10**9), ("juta", 10**6), ("ribu", 10**3))
_ID_ALIASES = {
    "milyar": "miliar",
    "bilion": "miliar",
    "semilyar": "semiliar",
    "trilion": "triliun",
}
_ID_COLLOQUIAL = {
    "cepek": 100,
    "gopek": 500,
    "seceng": 1000,
    "noceng": 2000,
    "goceng": 5000,
    "ceban": 10000,
    "gocap": 50,
}
"""Jakarta colloquial amounts (from Hokkien), common in prices: ``cuma gopek`` = only 500."""
_ID_ORDINALS = {"pertama": 1, "kesatu": 1, "kesepuluh": 10, "kesebelas": 11, "keseratus": 100}
_ID_ORDINALS.update({"ke" + k: v for k, v in _ID_UNITS.items() if v > 1})


def _id_below_hundred(w: Sequence[str], i: int) -> Parse:
    if i >= len(w):
        return None
    if w[i] == "sepuluh":
        return 10, i + 1
    if w[i] == "sebelas":
        return 11, i + 1
    if w[i] not in _ID_UNITS:
        return None
    unit, after = _ID_UNITS[w[i]], w[i + 1] if i + 1 < len(w) else ""
    if after == "belas":
        return 10 + unit, i + 2
    if after == "puluh":
        if i + 2 < len(w) and w[i + 2] in _ID_UNITS:
            return 10 * unit + _ID_UNITS[w[i + 2]], i + 3
        return 10 * unit, i + 2
    if after == "ratus":
        return None
    return unit, i + 1


def _id_below_thousand(w: Sequence[str], i: int) -> Parse:
    value, j = 0, i
    if j < len(w) and w[j] == "seratus":
        value, j = 100, j + 1
    elif j + 1 < len(w) and w[j] in _ID_UNITS and w[j + 1] == "ratus":
        value, j = 100 * _ID_UNITS[w[j]], j + 2
    rest = _id_below_hundred(w, j)
    if rest:
        value, j = value + rest[0], rest[1]
    return (value, j) if j > i else None


_ID_STARTS = frozenset(
    {
        "nol",
        "sepuluh",
        "sebelas",
        "seratus",
        *_ID_ORDINALS,
        *_ID_COLLOQUIAL,
        *_ID_UNITS,
        *("se" + name for name, _ in _ID_SCALES),
    }
)
"""The words (after :data:`_ID_ALIASES`) an Indonesian number can start with."""

ENGLISH_STARTS = (_EN_STARTS - {"a"}) | {"hundred", *(name for name, _ in _EN_SCALES)}
"""Lower-case words of which every English number (for :func:`parse_english`) has one.

Its first word, or for ``a hundred``, ``a million``... its scale word."""
INDONESIAN_STARTS = _ID_STARTS | {a for a, b in _ID_ALIASES.items() if b in _ID_STARTS}
"""Lower-case words an Indonesian number (for :func:`parse_indonesian`) can start with."""


def parse_indonesian(words: Sequence[str], start: int = 0) -> Parse:
    """Parse the longest Indonesian cardinal starting at ``words[start]``.

    Knows ``nol``, ``satu`` to ``sembilan``, ``sepuluh``, ``sebelas``, ``X belas``,
    ``X puluh``, ``seratus``/``X ratus`` and the scales ``ribu``, ``juta``, ``miliar``
    (``milyar``), ``triliun`` with their ``se-`` forms (``seribu``, ``sejuta``, ...).

    Args:
        words: Lower-case words.
        start: Where to start.

    Returns:
        ``(value, end)`` or ``None`` when no number starts there.
    """
    if start >= len(words) or _ID_ALIASES.get(words[start], words[start]) not in _ID_STARTS:
        return None
    w, j = [_ID_ALIASES.get(x, x) for x in words], start
    if j < len(w) and w[j] == "nol":
        return 0, j + 1
    if j < len(w) and w[j] in _ID_ORDINALS:
        return _ID_ORDINALS[w[j]], j + 1
    if j < len(w) and w[j] in _ID_COLLOQUIAL:
        return _ID_COLLOQUIAL[w[j]], j + 1
    total, found = 0, False
    for name, scale in _ID_SCALES:
        if j < len(w) and w[j] == "se" + name:
            total, j, found = total + scale, j + 1, True
            continue
        group = _id_below_thousand(w, j)
        if group and group[1] < len(w) and w[group[1]] == name:
            total, j, found = total + group[0] * scale, group[1] + 1, True
    group = _id_below_thousand(w, j)
    if group:
        total, j, found = total + group[0], group[1], True
    return (total, j) if found else None


def _id_group_words(n: int) -> list[str]:
    units = {v: k for k, v in _ID_UNITS.items()}
    hundreds, rest = divmod(n, 100)
    out = ["seratus"] if hundreds == 1 else [units[hundreds], "ratus"] if hundreds else []
    if rest == 10:
        out.append("sepuluh")
    elif rest == 11:
        out.append("sebelas")
    elif 12 <= rest < 20:
        out += [units[rest - 10], "belas"]
    else:
        tens, unit = divmod(rest, 10)
        out += [units[tens], "puluh"] if tens else []
        out += [units[unit]] if unit else []
    return out


def indonesian_words(n: int, *, se_forms: bool = False) -> str:
    """Write a cardinal ``0 <= n < 10**15`` in Indonesian words.

    Args:
        n: The number.
        se_forms: Write one million, billion, trillion as ``sejuta``, ``semiliar``,
            ``setriliun`` instead of ``satu juta``, ... (one thousand is always ``seribu``).

    Returns:
        E.g. ``"dua ribu dua puluh dua"`` for 2022.
    """
    if not 0 <= n < 10**15:
        raise ValueError(f"cannot write {n} in words")
    if n == 0:
        return "nol"
    out: list[str] = []
    for name, scale in _ID_SCALES:
        count, n = divmod(n, scale)
        if count == 1 and (se_forms or name == "ribu"):
            out.append("se" + name)
        elif count:
            out += [*_id_group_words(count), name]
    return " ".join(out + _id_group_words(n))
