"""Read the inputs of a pair as plain data: cleaned documents and their sentences.

Every input of a run is read and checked here before any model is loaded, so bad
input fails fast; what comes out (:class:`LoadedText`) is plain, picklable data
that the per-document function (:mod:`mt_eval.evaluate`) takes to any worker.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mt_eval.config import PairConfig
from mt_eval.deliveries import (
    Delivery,
    Units,
    check_sources,
    read_table,
    read_translation_memory,
    read_units,
    units_document,
)
from mt_eval.documents import load_document, read_lines
from mt_eval.errors import InputError
from mt_eval.languages import same_language
from mt_eval.model import Document, Paragraph, Sentence, Unit
from mt_eval.segment import lines_to_sentences, split_document


@dataclass(frozen=True)
class LoadedText:
    """A loaded input: the cleaned document and its sentences.

    Attributes:
        doc: The document.
        sentences: Its sentences.
        units: For a bilingual file read unit by unit, one unit per paragraph (in
            order; a sentence's unit is ``units[sentence.paragraph]``); empty
            otherwise.
    """

    doc: Document
    sentences: tuple[Sentence, ...]
    units: tuple[Unit, ...] = ()

    @classmethod
    def of(cls, doc: Document, aligned: bool) -> LoadedText:
        """``doc`` with its sentences: one per line as is (``aligned``), or split."""
        return cls(doc, lines_to_sentences(doc) if aligned else split_document(doc))

    def join(self, indices: Sequence[int]) -> str:
        """Texts of the given sentences, joined by a space (empty ones left out)."""
        return " ".join(self.sentences[i].text for i in indices if self.sentences[i].text)


def load_text(path: Path, lang: str, aligned: bool) -> LoadedText:
    """Read one input: cleaned and split, or (``aligned``) one sentence per line as is."""
    return LoadedText.of(read_lines(path, lang) if aligned else load_document(path, lang), aligned)


def load_delivery(delivery: Delivery, pair: PairConfig, src: LoadedText) -> LoadedText:
    """Read a table or translation-memory delivery as a text of the pair's target language.

    Raises:
        InputError: The file cannot be read, or (aligned) a unit's source differs
            from the source line it faces.
    """
    units: Units = read_units(delivery, pair.source_lang, pair.target_lang)
    doc = units_document(units, delivery, pair.target_lang, pair.aligned)
    if pair.aligned:
        check_sources(units, delivery, src.sentences, pair.source)
    return LoadedText.of(doc, pair.aligned)


@dataclass(frozen=True)
class PairInputs:
    """Everything one pair reads, loaded: the unit of work of a run.

    Attributes:
        index: Position of the pair in the run (outputs keep this order).
        pair: The pair's configuration.
        source: The source text.
        references: The reference texts, in the pair's order (empty: none).
        targets: ``(system name, delivery path, text)`` per system, in config order.
    """

    index: int
    pair: PairConfig
    source: LoadedText
    references: tuple[LoadedText, ...]
    targets: tuple[tuple[str, Path, LoadedText], ...]


def load_pair(index: int, pair: PairConfig, seen: dict | None = None) -> PairInputs:
    """Read and check every input of ``pair``.

    ``seen`` memoises texts shared between pairs (``(path, lang, aligned)`` to text).

    Raises:
        InputError: An input cannot be used.
    """
    seen = {} if seen is None else seen
    if pair.source is None:
        return load_bilingual_pair(index, pair)

    def text(path: Path | Delivery, lang: str, src: LoadedText | None = None) -> LoadedText:
        key = (path, lang, pair.aligned)
        if key not in seen:
            if isinstance(path, Delivery):
                assert src is not None
                seen[key] = load_delivery(path, pair, src)
            else:
                seen[key] = load_text(path, lang, pair.aligned)
        return seen[key]

    source = text(pair.source, pair.source_lang)
    targets = []
    for system, delivery in pair.systems:
        if delivery.kind == "text":
            tgt = text(delivery.path, pair.target_lang)
        else:
            tgt = text(delivery, pair.target_lang, source)
        targets.append((system, delivery.path, tgt))
    references = tuple(text(path, pair.target_lang) for path in pair.reference)
    return PairInputs(index, pair, source, references, tuple(targets))


log = logging.getLogger(__name__)

UNTRANSLATED_SHARE = 0.5
"""A bilingual file with more than this share of empty targets looks untranslated."""


def _declared(units: Units, pair: PairConfig, delivery: Delivery) -> None:
    """A file that declares other languages than the run's is an input error."""
    for side, declared, given in (
        ("source", units.source_lang, pair.source_lang),
        ("target", units.target_lang, pair.target_lang),
    ):
        if declared and not same_language(declared, given):
            raise InputError(
                f"{delivery.path}: the file declares {side} language {declared!r}, "
                f"the run says {given!r}"
            )


def _matched(base: Sequence[Unit], units: Sequence[Unit], path: Path) -> tuple[Unit, ...]:
    """``units`` in the order of ``base``, by ``(original, id)``; a unit missing is empty.

    When the ids are not unique in either file, units are matched by position and
    the counts must agree.

    Raises:
        InputError: Positional matching with different numbers of units.
    """
    keys = [(u.original, u.id) for u in base]
    mine = {(u.original, u.id): u for u in units}
    if len(set(keys)) < len(keys) or len(mine) < len(units):
        if len(units) != len(base):
            raise InputError(
                f"{path}: {len(units)} units, the first file {len(base)}; ids repeat, so units "
                "are matched by position"
            )
        return tuple(units)
    return tuple(
        mine.get(k) or Unit(b.id, b.source, "", 0, b.original)
        for k, b in zip(keys, base, strict=True)
    )


def load_bilingual_pair(index: int, pair: PairConfig) -> PairInputs:
    """A pair whose source is the source side of its first system's bilingual file.

    One unit is one link: no cleaning, no sentence splitting, no alignment (with
    ``split_units``, each unit is split into sentences, aligned within the unit by
    :mod:`mt_eval.evaluate`). Other
    systems' files (another vendor, a re-delivery) are matched to the first file's
    units by ``<file original>`` and unit id; a unit one of them lacks has an empty
    target there. A file with more than half its targets empty gets a warning.

    Raises:
        InputError: A system is no bilingual file, a file declares other languages
            than the run's, or a file cannot be read.
    """
    read: list[tuple[str, Delivery, Units]] = []
    for system, delivery in pair.systems:
        if delivery.table:
            units = read_table(delivery)
            if units.sources is None:
                raise InputError(
                    f"{delivery.path}: no column {delivery.source_column!r}; a table without "
                    "a source column needs a source document (or set source_column)"
                )
        elif delivery.bilingual:
            units = read_translation_memory(delivery, pair.source_lang, pair.target_lang)
        else:
            raise InputError(
                f"{delivery.path}: not a bilingual file (XLIFF, TMX, PO, or a table with a "
                "source column); a plain translation needs a source document"
            )
        _declared(units, pair, delivery)
        empty = sum(not t for t in units.targets)
        if units.targets and empty > UNTRANSLATED_SHARE * len(units.targets):
            log.warning(
                "%s: %d of %d units have no target: the file looks untranslated",
                delivery.path,
                empty,
                len(units.targets),
            )
        read.append((system, delivery, units))
    first_path, base = read[0][1].path, read[0][2].records
    src_doc = Document(
        path=str(first_path),
        lang=pair.source_lang,
        paragraphs=tuple(Paragraph(u.source, u.line) for u in base),
    )
    sentences = split_document if pair.split_units else lines_to_sentences
    source = LoadedText(src_doc, sentences(src_doc), base)
    targets = []
    for system, delivery, units in read:
        matched = _matched(base, units.records, delivery.path)
        doc = Document(
            path=str(delivery.path),
            lang=pair.target_lang,
            paragraphs=tuple(Paragraph(u.target, u.line) for u in matched),
        )
        targets.append((system, delivery.path, LoadedText(doc, sentences(doc), matched)))
    return PairInputs(index, pair, source, (), tuple(targets))
