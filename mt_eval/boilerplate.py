"""Whole-line boilerplate rules: URL trailers, ads, comment forms, related links, credits, dates.

Each rule is a regex matched against a whole cleaned line (``fullmatch``,
case-insensitive), never against part of a sentence, so body text is never
removed by a rule. :func:`classify_line` names the rule a line matches; the
reasons are documented in :mod:`mt_eval.documents`.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import get_day_names, get_month_names

from mt_eval.errors import InputError
from mt_eval.languages import normalize_lang

_URL = r"<?(?:https?://|www\.)[^\s<>\"]+>?"
_TRAILER_RE = re.compile(
    r"(?:(?:original|source|article)\s+(?:url|link|article|source|post)|permalink|canonical\s+url"
    r"|sumber\s+(?:asli|artikel|berita|tautan))\s*:?\s*(?P<url>" + _URL + r")?"
    r"|(?:source|sumber|url|link|via)\s*:\s*(?P<url2>" + _URL + r")?",
    re.IGNORECASE,
)
_URL_LINE_RE = re.compile(r"[(\[]?" + _URL + r"[)\]]?", re.IGNORECASE)
_URL_START_RE = re.compile(_URL, re.IGNORECASE)
_URL_PIECE_RE = re.compile(r"[\w/.?=&%#:~+@!$,;*()'-]+")
_AD_RE = re.compile(
    r"\[\s*ads?(?:[\s_-]*\d+)?\s*\]"
    r"|[-–—\s]*advertisements?[-–—\s]*(?:scroll\s+(?:down\s+)?to\s+continue(?:\s+with\s+content)?)?"
    r"|scroll\s+to\s+continue\s+with\s+content|sponsored(?:\s+content)?|iklan"
    r"|\(\s*adsbygoogle\s*=.*\)\.push\(\{\}\);?",
    re.IGNORECASE,
)
_COMMENTS_RE = re.compile(
    r"leave\s+a\s+(?:reply|comment)|(?:no|one|\d+)\s+comments?"
    r"|by\b[^|]{0,100}(?:\|[^|]{0,100}){0,3}\|\s*(?:no|one|\d+)\s+comments?"
    r"|this\s+site\s+uses\s+akismet\s+to\s+reduce\s+spam\."
    r"(?:\s*learn\s+how\s+your\s+comment\s+data\s+is\s+processed\.?)?"
    r"|your\s+email\s+address\s+will\s+not\s+be\s+published\.?"
    r"(?:\s*required\s+fields\s+are\s+marked\s*\*?)?"
    r"|you\s+must\s+be\s+(?:logged\s+in|registered)\s+to\s+post\s+a\s+comment\.?"
    r"|cancel\s+reply|post\s+comment|comments\s+are\s+closed\.?",
    re.IGNORECASE,
)
_RELATED_RE = re.compile(
    r"(?:related(?:\s+(?:articles?|stor(?:y|ies)|news|posts?|content|reading|coverage))?"
    r"|read\s+(?:more|also)|also\s+read|see\s+also|more\s+on\s+this(?:\s+story)?"
    r"|recommended(?:\s+(?:reading|articles?|stories))?"
    r"|baca\s+(?:juga|selengkapnya)|lihat\s+juga|simak\s+juga)"
    r"\s*(?::\s*\S.*|:?)",
    re.IGNORECASE,
)
_CREDIT_RE = re.compile(
    r"\(?\s*(?:(?:photo(?:graph)?|image|picture|pic|foto|gambar|illustration|ilustrasi|video)s?"
    r"(?:\s+(?:credits?|courtesy(?:\s+of)?|source))?\s*(?::|\bby\b)|credits?\s*:|courtesy\s+of\b)"
    r"\s*(?P<who>[^()]+?)\s*\)?",
    re.IGNORECASE,
)
_CREDIT_MAX_WORDS = 10
_EXTRA_MONTHS = ("Sept", "Agt", "Ags", "Nop", "Pebruari", "Nopember")
_EXTRA_DAYS = ("Jum'at", "Ahad")
_LABEL = r"(?:(?:published|updated|posted|last\s+updated|diperbarui|dipublikasikan|diterbitkan)"
_LABEL += r"(?:\s+on)?\s*:?\s*)?"
_TIME = (
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?"
    r"(?:\s*(?:WIB|WITA|WIT|GMT|UTC|KST|MSK|JST|CET|CEST|BST|EST|EDT|CST|CDT|PST|PDT|ET|PT)"
    r"|\s*[+-]\d{2}:?\d{2}|Z)?"
)


def _alternation(names: set[str]) -> str:
    """A regex alternation of names, longest first, with optional trailing dots."""
    words = sorted({n.rstrip(".") for n in names if n.rstrip(".")}, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w) for w in words) + r")\.?"


@cache
def _dateline_re(lang: str) -> re.Pattern[str]:
    """Regex for a date-only line: English, Indonesian and ``lang`` month and day names."""
    months, days = set(_EXTRA_MONTHS), set(_EXTRA_DAYS)
    try:
        codes = dict.fromkeys(("en", "id", normalize_lang(lang)))
    except InputError:
        codes = dict.fromkeys(("en", "id"))
    for code in codes:
        try:
            locale = Locale.parse(code)
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                months |= set(get_month_names(width, context, locale).values())
                days |= set(get_day_names(width, context, locale).values())
    month, day = _alternation(months), _alternation(days)
    dd = r"\d{1,2}(?:st|nd|rd|th)?"
    date = (
        rf"(?:{month}\s+{dd},?\s+\d{{4}}|{dd}\.?\s+{month},?\s+\d{{4}}|{month},?\s+\d{{4}}"
        r"|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))"
    )
    pattern = (
        rf"{_LABEL}(?:{day},?\s*)?{date}"
        rf"(?:(?:\s*[,|•·–—-]\s*|\s+(?:at|pukul|jam)\s+|\s+|T){_TIME})?"
        rf"|{_LABEL}{_TIME}\s*[,|•·–—-]?\s*(?:{day},?\s*)?{date}"
    )
    return re.compile(pattern, re.IGNORECASE)


def is_trailer_url_line(text: str) -> bool:
    """A URL line after a trailer label: a URL, perhaps broken by spaces (``...-a 79268``)."""
    match = _URL_START_RE.match(text)
    if match is None:
        return False
    rest = text[match.end() :].split()
    return all(_URL_PIECE_RE.fullmatch(piece) and not piece.isalpha() for piece in rest)


def classify_line(text: str, lang: str) -> tuple[str | None, bool]:
    """The boilerplate reason for a whole cleaned line, or ``None`` to keep it.

    Returns:
        The reason (or ``None``) and whether the line is a trailer label with no
        URL, so that URL lines right after it belong to it.
    """
    if (match := _TRAILER_RE.fullmatch(text)) is not None:
        return "boilerplate:url-trailer", not (match["url"] or match["url2"])
    if _URL_LINE_RE.fullmatch(text):
        return "boilerplate:url", False
    if _AD_RE.fullmatch(text):
        return "boilerplate:ad", False
    if _COMMENTS_RE.fullmatch(text):
        return "boilerplate:comments", False
    if _RELATED_RE.fullmatch(text):
        return "boilerplate:related-link", False
    match = _CREDIT_RE.fullmatch(text)
    if match is not None and len(match["who"].split()) <= _CREDIT_MAX_WORDS:
        return "boilerplate:photo-credit", False
    if _dateline_re(lang).fullmatch(text):
        return "dateline", False
    return None, False
