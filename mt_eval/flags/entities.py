"""Names of the source (people, places, organisations) missing from the translation.

Names are found without a model: runs of capitalised words (``Daily NK``,
``Khasan-Tumangang``, ``Interfax``) and acronyms. The first word of a sentence
counts only when the document also writes it capitalised inside a sentence, and
a word the document also writes in lower case is no name (``The``, ``Railway``
in "the railway"). Weekdays and months are left to other checks.

A name is reported only when the translation keeps it somewhere else in the
document (so it is a name the translator keeps) but not in this link. A name is
kept when some word of it of at least three letters is found in the
translation, ignoring case, allowing inflection and transliteration (a character
similarity, ``rapidfuzz.fuzz.ratio``, of at least ``min_similarity``: ``Moscow`` / ``Moskow``,
``Pyongyang's``, ``Rusia``, ``China`` / ``Chinese``). Acronyms alone are not
checked (``UN`` is ``PBB`` in Indonesian; ``SEOUL`` is a dateline). Country and
region names are translated, not kept: Babel's locale data gives their names in
the translation's language (``North Korea`` -> ``Korea Utara``), and either form
counts.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from mt_eval.flags.language import base_lang

_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+|[^\w\s]")
_WORD = re.compile(r"[^\W\d_]+")
_STARTERS = frozenset(".!?:;\"“”‘'«»()[]—–-•")
_JOINERS = frozenset({"-"})
_DEMONYM = re.compile(r"(?:ese|ian|ean|ish)$")
_GENERIC = {
    "en": frozenset(
        """north south east west northern southern eastern western far central upper lower
        new great greater president minister ministry prime foreign deputy secretary general
        department agency office university railway railways committee council court
        government army navy party state states united national international union republic
        kingdom democratic people's federal federation bank news daily times street road
        river mount lake island islands sea ocean gulf city province region district
        mr mrs ms dr sir lord king queen prince princess""".split()
    )
}
"""Capitalised words a translation normally translates (titles, compass points, kinds of
organisation): they are checked only as part of a name with another word (``Daily NK``)."""


@dataclass(frozen=True)
class Name:
    """A name in a text.

    Attributes:
        text: The name as written, e.g. ``"Daily NK"``.
        words: Its words.
    """

    text: str
    words: tuple[str, ...]


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper()


@functools.cache
def _calendar_words(lang: str) -> frozenset[str]:
    try:
        from babel import Locale, UnknownLocaleError

        locale = Locale.parse(lang)
    except (ImportError, ValueError, UnknownLocaleError):
        return frozenset()
    words = set()
    for table in (locale.days["format"], locale.months["format"]):
        for width in ("wide", "abbreviated"):
            words.update(w.casefold().rstrip(".") for w in table[width].values())
    return frozenset(words)


@functools.cache
def _territories(src: str, tgt: str) -> dict[str, tuple[str, ...]]:
    """Lower-case territory name in the source language -> its forms in the translation."""
    try:
        from babel import Locale, UnknownLocaleError

        s, t = Locale.parse(src), Locale.parse(tgt)
    except (ImportError, ValueError, UnknownLocaleError):
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for code, name in s.territories.items():
        if code in t.territories:
            out[name.casefold()] = (t.territories[code].casefold(),)
    return out


def is_title(text: str) -> bool:
    """Whether a text is written in title case: every word of four letters or more capitalised.

    A title or a label (``The Greatest Movie Ever Sold``, ``Audience Member``) capitalises
    common words, so a capital letter there says nothing about a name.
    """
    long = [w for w in _WORD.findall(text) if len(w) >= 4]
    return len(long) >= 2 and all(_capitalised(w) for w in long)


def document_case(texts: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Words written in lower case, and words written capitalised inside a sentence.

    Titles (:func:`is_title`) add no capitalised word: there every word is.

    Args:
        texts: The document's sentences.

    Returns:
        ``(lower-case words, capitalised mid-sentence words)``, both case-folded.
    """
    lower, inside = set(), set()
    for text in texts:
        title = is_title(text)
        prev = None
        for tok in _TOKEN.findall(text):
            if _WORD.fullmatch(tok):
                if tok.islower():
                    lower.add(tok)
                elif prev is not None and prev not in _STARTERS and not title:
                    inside.add(tok.casefold())
            prev = tok
    return frozenset(lower), frozenset(inside)


def find_names(
    text: str, lower_words: frozenset[str], inside_words: frozenset[str], lang: str
) -> list[Name]:
    """Names in one text (see the module docstring for the rules).

    Args:
        text: A source text.
        lower_words: Words the document writes in lower case (case-folded).
        inside_words: Words the document writes capitalised inside a sentence.
        lang: The text's language (weekday and month names are skipped).

    Returns:
        The names, in text order.
    """
    calendar = _calendar_words(base_lang(lang))
    title = is_title(text)  # then every word counts as a sentence start
    names: list[Name] = []
    run: list[str] = []
    prev = None

    def close() -> None:
        if run:
            names.append(Name(" ".join(run), tuple(run)))
            run.clear()

    for tok in _TOKEN.findall(text):
        if not _WORD.fullmatch(tok):
            if tok not in _JOINERS:
                close()
            prev = tok
            continue
        key = tok.casefold().split("'")[0].split("’")[0]
        starts = title or prev is None or prev in _STARTERS and prev not in _JOINERS
        name_like = _acronym(tok) or (
            _capitalised(tok)
            and len(key) >= 3
            and tok.rstrip("'’s") not in lower_words
            and key not in lower_words
            and key not in calendar
            and key.removesuffix("s") not in calendar  # Sundays
            and (not starts or key in inside_words)
        )
        if name_like:
            run.append(tok)
        else:
            close()
        prev = tok
    close()
    return names


class _Words(NamedTuple):
    """The words of a translation text, prepared for many name look-ups."""

    words: list[str]  # casefolded, each once, in text order
    joined: str  # every casefolded word, space-separated
    known: frozenset[str]
    ordered: list[str]  # sorted, for prefix ranges
    by_initial: dict[str, list[str]]  # words by their first letter


def _words(text: str) -> _Words:
    found = [w.casefold() for w in _WORD.findall(text)]
    words = list(dict.fromkeys(found))
    by_initial: dict[str, list[str]] = {}
    for w in words:
        by_initial.setdefault(w[0], []).append(w)
    return _Words(words, " ".join(found), frozenset(words), sorted(words), by_initial)


def _similar_word(key: str, target: _Words, min_similarity: float) -> bool:
    """Whether some translation word is ``key``, an inflection or a transliteration of it.

    Inflection: a common prefix of at least 4 characters and of 3/4 of the shorter
    word (``China`` / ``Chinese``); transliteration: a word with the same first
    letter and a character similarity (``rapidfuzz.fuzz.ratio``) of at least
    ``min_similarity`` (``Moscow`` / ``Moskow``; ``Earth`` is no ``art``).
    """
    if key in target.known:
        return True
    for k in range(len(key), 3, -1):  # longest common prefix first
        head = key[:k]
        lo = bisect.bisect_left(target.ordered, head)
        hi = bisect.bisect_left(target.ordered, head + "\U0010ffff", lo)
        if lo < hi and k >= 0.75 * len(key):
            return True
        if any(k >= 0.75 * len(t) for t in target.ordered[lo:hi]):
            return True
    cutoff = 100.0 * min_similarity
    same_initial = target.by_initial.get(key[:1], [])
    return process.extractOne(key, same_initial, scorer=fuzz.ratio, score_cutoff=cutoff) is not None


@functools.lru_cache(maxsize=4)
def _document_words(document: str) -> _Words:
    """:func:`_words` of a whole translation, prepared once for all its names."""
    return _words(document)


@functools.cache
def _territories_by_head(src: str, tgt: str) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    """:func:`_territories` grouped by the first four letters of the source name."""
    heads: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for src_name, tgt_forms in _territories(src, tgt).items():
        heads.setdefault(src_name[:4], []).append((src_name, tgt_forms))
    return heads


def name_kept(
    name: Name, tgt_text: str, src_lang: str, tgt_lang: str, min_similarity: float
) -> bool:
    """Whether a source name (or its translated country name) appears in a translation."""
    return _name_kept(name, _words(tgt_text), src_lang, tgt_lang, min_similarity)


def _name_kept(
    name: Name, target: _Words, src_lang: str, tgt_lang: str, min_similarity: float
) -> bool:
    joined = target.joined
    src, tgt = base_lang(src_lang), base_lang(tgt_lang)
    folded = name.text.casefold()
    if any(form in joined for form in _territories(src, tgt).get(folded, ())):
        return True
    heads = _territories_by_head(src, tgt)
    candidates = [c for k in range(min(len(folded), 4) + 1) for c in heads.get(folded[:k], ())]
    for src_name, tgt_forms in candidates:
        # demonyms: "Russian" -> "Rusia", "Korean" -> "Korea"
        if len(name.words) == 1:
            if fuzz.ratio(src_name, folded) >= 75.0:
                if any(form in joined for form in tgt_forms):
                    return True
    if all(_acronym(w) for w in name.words):
        return True  # acronyms alone are often translated (UN -> PBB) or datelines (SEOUL)
    if len(name.words) == 1 and _DEMONYM.search(name.text):
        return True  # adjectives of peoples and places are translated: Javanese -> Jawa
    generic = _GENERIC.get(base_lang(src_lang), frozenset())
    words = [
        w.casefold()
        for w in name.words
        if (len(w) >= 3 or _acronym(w)) and w.casefold() not in generic
    ]
    for word in words:
        key = re.split(r"['’]", word)[0]
        if _similar_word(key, target, min_similarity):
            return True
    return not words


NOUNS_CAPITALISED = frozenset({"de", "lb"})
"""Languages that capitalise every noun: there a capital letter says little about a name."""


@functools.lru_cache(maxsize=8)
def _word_counts(document: str) -> Counter[str]:
    """How often each word occurs in a whole document, case kept (counted once per document)."""
    return Counter(_WORD.findall(document))


@functools.lru_cache(maxsize=4096)
def _kept_somewhere(
    name: Name,
    document: str,
    src_lang: str,
    tgt_lang: str,
    min_similarity: float,
    source_document: str = "",
) -> bool:
    if base_lang(src_lang) in NOUNS_CAPITALISED:
        # A capitalised common noun (``Berg``, ``Zeit``) resembles some word of almost any
        # long translation (``Zeitung``, ``berge``), or turns up once in a quoted title;
        # a name is kept as it is, capital letter included, about as often as the
        # source uses it (``Matterhorn``).
        found, used = _word_counts(document), _word_counts(source_document)
        return all(
            found[w] > 0 and 2 * found[w] >= used[w]
            for w in name.words
            if len(w) >= 3 or _acronym(w)
        )
    return _name_kept(name, _document_words(document), src_lang, tgt_lang, min_similarity)


def link_names(
    src_text: str,
    tgt_text: str,
    src_lang: str,
    tgt_lang: str,
    *,
    lower_words: frozenset[str],
    inside_words: frozenset[str],
    min_similarity: float,
    target_document: str | None = None,
    source_document: str = "",
) -> tuple[list[Name], list[Name]]:
    """The names of a link's source that its translation keeps, and those it misses.

    A missing name counts only when the translation keeps it somewhere else in the
    document (with ``target_document``): a capitalised word found nowhere in the
    whole translation may be a common word that is translated (``Customer``,
    ``Refund`` in a label) rather than a name.

    Args:
        src_text: Source text of a link.
        tgt_text: Its translation.
        src_lang: Source language code.
        tgt_lang: Translation language code.
        lower_words: See :func:`document_case` (over the whole source document).
        inside_words: See :func:`document_case`.
        min_similarity: Least character similarity of a word and its kept form.
        target_document: The whole translation (all sentences), or ``None``.
        source_document: The whole source; for languages that capitalise every noun
            (:data:`NOUNS_CAPITALISED`), a name counts as kept elsewhere only when the
            translation has it, capitalised, in at least half as many places.

    Returns:
        ``(kept, missing)``, each name once, in text order.
    """
    kept: dict[str, Name] = {}
    missing: dict[str, Name] = {}
    for name in find_names(src_text, lower_words, inside_words, src_lang):
        if name.text in kept or name.text in missing:
            continue
        if name_kept(name, tgt_text, src_lang, tgt_lang, min_similarity):
            kept[name.text] = name
        elif target_document is None or _kept_somewhere(
            name, target_document, src_lang, tgt_lang, min_similarity, source_document
        ):
            missing[name.text] = name
    return list(kept.values()), list(missing.values())


def missing_names(
    src_text: str, tgt_text: str, src_lang: str, tgt_lang: str, **kw: Any
) -> list[Name]:
    """The missing names of :func:`link_names` (same arguments)."""
    return link_names(src_text, tgt_text, src_lang, tgt_lang, **kw)[1]


def habitually_kept(per_link: Sequence[tuple[Sequence[Name], Sequence[Name]]]) -> frozenset[str]:
    """Names the translator keeps in at least as many links as they leave them out.

    A name its translation renders otherwise in most places (``God`` as *Tuhan*, a
    title translated every time) is the translator's choice, not a loss: only
    where a name is usually kept is a link without it worth a reviewer's look.

    Args:
        per_link: :func:`link_names` of every link of a document.
    """
    kept: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for k, m in per_link:
        kept.update(n.text for n in k)
        missing.update(n.text for n in m)
    return frozenset(name for name in missing if kept[name] >= missing[name])
