"""Language code validation.

Users give language codes in many shapes: ISO 639-1 (``en``), ISO 639-3 (``ind``),
BCP-47 tags (``en-US``, ``zh-Hant-TW``) or POSIX locales (``pt_BR``). The library
works with one canonical form: the lowercase primary language subtag, using the
two-letter ISO 639-1 code wherever one exists (``ind`` -> ``id``, ``eng`` -> ``en``).

The tables come from babel's CLDR data, not from a hand-written list:

* the set of known languages is the set of language codes CLDR has English
  display names for (about 600, including three-letter codes such as ``ace``
  or ``haw`` for languages that have no two-letter code);
* three-letter codes and deprecated codes (``in``, ``iw``, ``ger``, ``fre``) are
  mapped to their canonical form with CLDR's language aliases.

Individual-language codes are folded into their macro-language where CLDR says
so (``cmn`` -> ``zh``). Rare ISO 639-3 codes that CLDR neither knows nor aliases
are rejected. The CLDR placeholders ``und``, ``mul``, ``zxx`` and ``mis`` are
rejected too, since no tool can work with them.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale
from babel.core import get_global

from mt_eval.errors import InputError

__all__ = ["canonical_lang", "language_name", "normalize_lang"]

# A primary subtag of 2-3 letters, then optional subtags (script, region, variant).
_TAG_RE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")
_PLACEHOLDERS = frozenset({"und", "mul", "zxx", "mis"})


@cache
def _known_languages() -> frozenset[str]:
    """Language codes CLDR knows, primary subtags only."""
    return frozenset(code for code in Locale("en").languages if "_" not in code)


@cache
def _aliases() -> dict[str, str]:
    """CLDR language aliases (``ind`` -> ``id``, ``iw`` -> ``he``), primary subtag only."""
    aliases: dict[str, str] = get_global("language_aliases")
    return {old: new.split("_")[0].lower() for old, new in aliases.items() if "_" not in old}


def normalize_lang(code: str, *, where: str = "") -> str:
    """Validate a language code and return its canonical form.

    Args:
        code: A language code as a user typed it: ISO 639-1 (``"en"``), ISO 639-3
            (``"ind"``), a BCP-47 tag (``"en-US"``) or a POSIX locale (``"pt_BR"``).
            Case and surrounding whitespace do not matter.
        where: Prefix for the error message that says where the code came from,
            e.g. ``"--src-lang: "`` or ``"pairs.toml: pair 2: "``.

    Returns:
        The lowercase primary language subtag, ISO 639-1 where one exists,
        e.g. ``"id"`` for ``"ind"``, ``"en"`` for ``"en-US"``, ``"pt"`` for ``"pt_BR"``.

    Raises:
        InputError: ``f"{where}unknown language code {code!r}"`` when the code is
            malformed (``"english"``, ``""``) or names no language CLDR knows (``"xx"``).
    """
    text = code.strip() if isinstance(code, str) else ""
    if not _TAG_RE.fullmatch(text):
        raise InputError(f"{where}unknown language code {code!r}")
    primary = re.split(r"[-_]", text)[0].lower()
    known = _known_languages()
    if primary not in known:
        primary = _aliases().get(primary, primary)
    if primary not in known or primary in _PLACEHOLDERS:
        raise InputError(f"{where}unknown language code {code!r}")
    return primary


@cache
def same_language(a: str, b: str) -> bool:
    """Whether two language codes name the same language.

    Codes are compared in canonical form (:func:`normalize_lang`): ``"en"``,
    ``"EN"``, ``"eng"``, ``"en-US"`` and ``"en_GB"`` are all the same language.
    Codes it rejects are compared by lowercase primary subtag; an empty code is
    no language.
    """
    if not (a.strip() and b.strip()):
        return False
    return canonical_lang(a) == canonical_lang(b)


def canonical_lang(code: str) -> str:
    """Lenient :func:`normalize_lang`, for comparisons and table look-ups.

    Returns:
        The canonical code; a code it rejects comes back as its lowercase primary
        subtag (``"xx-YY"`` -> ``"xx"``) instead of raising.
    """
    try:
        return normalize_lang(code)
    except InputError:
        return re.split(r"[-_]", code.strip())[0].lower()


@cache
def language_name(code: str) -> str:
    """A language's English name, for notes people read: ``"id"`` -> ``"Indonesian"``.

    The code itself when CLDR has no name for it.
    """
    return Locale("en").languages.get(canonical_lang(code), code) if code.strip() else code
