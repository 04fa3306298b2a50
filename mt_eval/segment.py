"""Sentence splitting.

Documents are split on paragraphs first (one :class:`~mt_eval.model.Paragraph` per
cleaned input line), then each paragraph on its own into sentences, so a
sentence never crosses a paragraph boundary.

Sentences come from ``sentencex``, with fixes around it for splits it gets wrong:

* **Abbreviations.** sentencex splits after many abbreviations, notably in
  Indonesian (``Dr. Budi tinggal di Jl. Merdeka``, ``PT. Maju sejak tgl. 5 Mei``).
  A per-language table (``_ABBREVIATIONS``) lists them in three kinds:

  ======== ============================================================ ===================
  kind     merge with the next piece when                               examples
  ======== ============================================================ ===================
  prefix   always (they stand before a name, place or number)           ``Dr.``, ``Jl.``
  number   the next piece starts with a digit                           ``No.``, ``Jan.``
  suffix   the next piece starts with a lowercase letter or a digit     ``dll.``, ``p.m.``
  ======== ============================================================ ===================

  Matching is case-sensitive (``No.`` is an abbreviation, ``no.`` ends a
  sentence in English); lowercase abbreviations also match capitalised at the
  start of a sentence (``Tgl.``). Abbreviations of the English table apply to
  every language, since English names and titles turn up everywhere.
* **No space after the full stop.** sentencex splits inside tokens such as
  ``INTERFAX.RU`` or ``Jl.Merdeka``; a full stop directly followed by a letter or
  digit is not treated as a sentence end.
* **Lowercase continuation.** A piece that ends with a full stop and is
  followed by a piece starting with a lowercase letter is merged with it: a
  sentence does not start in lowercase in scripts that have case.

Languages sentencex does not know are handled by sentencex's own language
independent fallback rules (it splits after ``.``, ``!``, ``?`` and their CJK and
other script equivalents). Should sentencex ever fail, or return pieces that do
not add up to the input text, a simple rule takes over: split after ``.``,
``!``, ``?``, ``。``, ``！`` or ``？`` (and any closing quotes or brackets) followed by
whitespace and a character that is not a lowercase letter.

Splitting never loses or invents a character: the sentences of a paragraph,
concatenated, equal the paragraph text with whitespace between sentences removed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import sentencex

from mt_eval.languages import canonical_lang
from mt_eval.model import Document, Sentence

__all__ = ["lines_to_sentences", "split_document", "split_text"]

_PREFIX, _NUMBER, _SUFFIX = "prefix", "number", "suffix"

_ABBREVIATIONS: dict[str, dict[str, str]] = {
    "en": {
        **dict.fromkeys(
            "Mr. Mrs. Ms. Mx. Dr. Prof. St. Mt. Ft. Gen. Col. Lt. Sgt. Capt. Cmdr. Adm. "
            "Gov. Sen. Rep. Rev. Hon. Pres. Supt. approx. vs. e.g. i.e. cf. viz.".split(),
            _PREFIX,
        ),
        **dict.fromkeys(
            "No. Nos. Fig. Vol. Art. Sec. Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. "
            "Oct. Nov. Dec.".split(),
            _NUMBER,
        ),
        **dict.fromkeys(
            "a.m. p.m. Jr. Sr. Ph.D. Inc. Corp. Ltd. Co. etc. al.".split(),
            _SUFFIX,
        ),
    },
    "id": {
        **dict.fromkeys(
            "Dr. dr. drg. Drs. Dra. Ir. Prof. H. Hj. Jl. Jln. PT. CV. tgl. Bpk. Bp. "
            "Sdr. Sdri. a.n. u.p. Kab. Kec. Kel. Prov. Rp.".split(),
            _PREFIX,
        ),
        # informal writing lower-cases the rupiah sign: "Satu porsi rp. 55.000"
        **dict.fromkeys("No. no. Hlm. hlm. rp.".split(), _NUMBER),
        **dict.fromkeys("Tbk. dll. dsb. dst. dkk. S.H. S.E. M.Sc. M.Si. M.H.".split(), _SUFFIX),
    },
}

_OPENERS = "\"'“‘«([{"
_SIMPLE_BOUNDARY_RE = re.compile(r"[.!?。！？]+[\"'”’»)\]}]*\s+(?=[^\s])")


@functools.cache
def _abbreviations(lang: str) -> dict[str, str]:
    """The abbreviation table for ``lang``, with the English one underneath."""
    return {**_ABBREVIATIONS["en"], **_ABBREVIATIONS.get(lang, {})}


def _simple_split(text: str) -> list[str]:
    """Fallback splitter: after sentence punctuation, before a non-lowercase character."""
    pieces: list[str] = []
    start = 0
    for match in _SIMPLE_BOUNDARY_RE.finditer(text):
        nxt = text[match.end()] if match.end() < len(text) else ""
        if nxt.islower():
            continue
        pieces.append(text[start : match.end()])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _raw_pieces(text: str, lang: str) -> list[str]:
    """Pieces of ``text`` from sentencex, whitespace included, adding up to ``text``."""
    try:
        pieces = [str(piece) for piece in sentencex.segment(lang, text)]
    except Exception:  # noqa: BLE001 - a native library; any failure means "use the fallback"
        pieces = []
    if "".join(pieces) != text:
        pieces = _simple_split(text)
    return pieces


def _last_token(piece: str) -> str:
    """The last whitespace-separated token of ``piece``, without opening punctuation."""
    tokens = piece.split()
    return tokens[-1].lstrip(_OPENERS) if tokens else ""


def _abbreviation_kind(token: str, table: dict[str, str]) -> str | None:
    """The kind of abbreviation ``token`` is, or ``None``."""
    if token in table:
        return table[token]
    lowered = token[:1].lower() + token[1:]
    if lowered != token and table.get(lowered) is not None:
        return table[lowered]
    return None


def _should_merge(before: str, after: str, table: dict[str, str]) -> bool:
    """Whether the split between two pieces is a false sentence boundary."""
    head = before.rstrip()
    first = after.lstrip()[:1]
    if not head or not first:
        return True
    kind = _abbreviation_kind(_last_token(head), table)
    if kind == _PREFIX:
        return True
    if kind == _NUMBER and first.isdigit():
        return True
    if kind == _SUFFIX and (first.islower() or first.isdigit()):
        return True
    if before.endswith(".") and after[:1].isalnum():
        return True
    return head.endswith(".") and first.islower()


def split_text(text: str, lang: str) -> list[str]:
    """Split one paragraph into sentences.

    Args:
        text: One paragraph (no line breaks expected; they are treated as spaces).
        lang: Language code (any form :func:`~mt_eval.languages.normalize_lang`
            accepts; unknown codes still work with language-independent rules).

    Returns:
        The sentences, stripped and non-empty, in order. Their concatenation
        equals ``text`` without the whitespace between sentences.
    """
    if not text.strip():
        return []
    code = canonical_lang(lang)
    table = _abbreviations(code)
    merged: list[str] = []
    for piece in _raw_pieces(text, code):
        if merged and _should_merge(merged[-1], piece, table):
            merged[-1] += piece
        else:
            merged.append(piece)
    return [sentence.strip() for sentence in merged if sentence.strip()]


def _numbered(items: Iterable[tuple[str, int, int]]) -> tuple[Sentence, ...]:
    """Number ``(text, paragraph, line)`` triples into sentences."""
    return tuple(
        Sentence(index=i, text=text, paragraph=paragraph, line=line)
        for i, (text, paragraph, line) in enumerate(items)
    )


def split_document(doc: Document) -> tuple[Sentence, ...]:
    """Split a cleaned document into sentences, paragraph by paragraph.

    Args:
        doc: A document from :func:`~mt_eval.documents.load_document` or
            :func:`~mt_eval.documents.clean_text`.

    Returns:
        Sentences in document order; ``index`` counts from 0 over the whole
        document, ``paragraph`` is the 0-based paragraph index and ``line`` the
        paragraph's 1-based line in the original file.
    """
    return _numbered(
        (sentence, p, paragraph.line)
        for p, paragraph in enumerate(doc.paragraphs)
        for sentence in split_text(paragraph.text, doc.lang)
    )


def lines_to_sentences(doc: Document) -> tuple[Sentence, ...]:
    """Turn every paragraph into one sentence, without splitting.

    For line-aligned (``--aligned``) and pre-segmented (``--presegmented``)
    input read with :func:`~mt_eval.documents.read_lines`: sentence ``i`` is
    line ``i + 1``, empty lines included (their sentences have empty text).

    Args:
        doc: A document, usually from :func:`~mt_eval.documents.read_lines`.

    Returns:
        One sentence per paragraph, in order.
    """
    return _numbered(
        (paragraph.text, p, paragraph.line) for p, paragraph in enumerate(doc.paragraphs)
    )
