"""Read the inputs of a pair as plain data: cleaned documents and their sentences.

Every input of a run is read and checked here before any model is loaded, so bad
input fails fast; what comes out (:class:`LoadedText`) is plain, picklable data
that the per-document function (:mod:`mt_eval.evaluate`) takes to any worker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mt_eval.config import PairConfig
from mt_eval.deliveries import Delivery, Units, check_sources, read_units, units_document
from mt_eval.documents import load_document, read_lines
from mt_eval.model import Document, Sentence
from mt_eval.segment import lines_to_sentences, split_document


@dataclass(frozen=True)
class LoadedText:
    """A loaded input: the cleaned document and its sentences."""

    doc: Document
    sentences: tuple[Sentence, ...]

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
        reference: The reference text, or ``None``.
        targets: ``(system name, delivery path, text)`` per system, in config order.
    """

    index: int
    pair: PairConfig
    source: LoadedText
    reference: LoadedText | None
    targets: tuple[tuple[str, Path, LoadedText], ...]


def load_pair(index: int, pair: PairConfig, seen: dict | None = None) -> PairInputs:
    """Read and check every input of ``pair``.

    ``seen`` memoises texts shared between pairs (``(path, lang, aligned)`` to text).

    Raises:
        InputError: An input cannot be used.
    """
    seen = {} if seen is None else seen

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
    reference = text(pair.reference, pair.target_lang) if pair.reference else None
    return PairInputs(index, pair, source, reference, tuple(targets))
