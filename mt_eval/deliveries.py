"""Read translation deliveries in the forms vendors send them.

A delivery is one system's translation of a pair's source, given under
``[pairs.systems]`` either as a path (plain text) or as a table whose keys are the
arguments of :class:`Delivery`::

    [pairs.systems]
    vendor-a = "deliveries/a.id.txt"
    vendor-b = { path = "deliveries/b.tsv", target_column = "id" }
    vendor-c = { path = "deliveries/c.xlf" }

Forms (``format``, by default from the file suffix):

- ``text``: a document, cleaned and split like the source (``.txt`` and anything else).
- ``tsv`` / ``csv`` (``.tsv``, ``.csv``): a table with a header row; each row's
  ``target_column`` cell is one paragraph of the delivery, in row order.
- ``xliff`` / ``tmx`` (``.xlf``, ``.xliff``, ``.tmx``; translate-toolkit, extra
  ``mt-eval[deliveries]``): each translation unit's target is one paragraph;
  in TMX the target is the variant in the pair's target language.

A table or a translation memory becomes a document of one paragraph per unit (line
``i`` of the document = unit ``i``), so it goes through the same cleaning,
splitting and alignment as a plain delivery, or, with ``aligned = true``, is taken
unit by unit against the source's lines. With ``aligned = true`` the unit's source
text, when the file carries one, must match the source line it is aligned to: a
delivery whose rows were reordered or shifted is an input error, not a bad score.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mt_eval.documents import clean_text, read_bytes, read_text, require_paragraphs
from mt_eval.errors import ConfigError, InputError
from mt_eval.languages import canonical_lang
from mt_eval.model import Document, Paragraph, Sentence

FORMATS = ("auto", "text", "tsv", "csv", "xliff", "tmx")
_SUFFIXES = {".tsv": "tsv", ".csv": "csv", ".xlf": "xliff", ".xliff": "xliff", ".tmx": "tmx"}


@dataclass(frozen=True)
class Delivery:
    """One system's translation file and how to read it.

    Attributes:
        path: The file.
        format: ``auto`` (by suffix), ``text``, ``tsv``, ``csv``, ``xliff`` or ``tmx``.
        source_column: Header of the source column of a table (checked against the
            source in aligned mode when present; ``""`` for none).
        target_column: Header of the translation column of a table.
    """

    path: Path
    format: str = "auto"
    source_column: str = "source"
    target_column: str = "target"

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        for key in ("source_column", "target_column"):
            if not isinstance(getattr(self, key), str):
                raise ConfigError(f"{key} must be a string, not {getattr(self, key)!r}")

    @property
    def kind(self) -> str:
        """The resolved format."""
        if self.format != "auto":
            return self.format
        return _SUFFIXES.get(self.path.suffix.lower(), "text")


@dataclass(frozen=True)
class Units:
    """A delivery read as translation units.

    Attributes:
        targets: Target text per unit.
        sources: Source text per unit, or ``None`` when the file carries none.
        lines: 1-based line (or unit number) of each unit in the file.
    """

    targets: tuple[str, ...]
    sources: tuple[str, ...] | None
    lines: tuple[int, ...]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_table(delivery: Delivery) -> Units:
    """Read a TSV or CSV delivery (header row first).

    Raises:
        InputError: Unreadable file, no such column, or a row too short.
    """
    text = read_text(delivery.path)
    delimiter = "\t" if delivery.kind == "tsv" else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{delivery.path}: no header row") from None
    except csv.Error as exc:
        raise InputError(f"{delivery.path}:1: {exc}") from None
    if delivery.target_column not in header:
        raise InputError(
            f"{delivery.path}:1: no column {delivery.target_column!r} "
            f"(columns: {', '.join(header)}); set target_column"
        )
    tgt_col = header.index(delivery.target_column)
    src_col = header.index(delivery.source_column) if delivery.source_column in header else None
    targets, sources, lines = [], [], []
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) <= max(tgt_col, src_col or 0):
                raise InputError(
                    f"{delivery.path}:{line}: {len(row)} cells, header has {len(header)}"
                )
            targets.append(_one_line(row[tgt_col]))
            sources.append(_one_line(row[src_col]) if src_col is not None else "")
            lines.append(line)
    except csv.Error as exc:
        raise InputError(f"{delivery.path}:{reader.line_num}: {exc}") from None
    return Units(tuple(targets), tuple(sources) if src_col is not None else None, tuple(lines))


def read_translation_memory(delivery: Delivery, source_lang: str, target_lang: str) -> Units:
    """Read an XLIFF or TMX delivery with translate-toolkit.

    Raises:
        InputError: The file cannot be parsed, or translate-toolkit is not installed.
    """
    try:
        if delivery.kind == "tmx":
            from translate.storage.tmx import tmxfile as store_class
        else:
            from translate.storage.xliff import xlifffile as store_class
    except ImportError:
        raise InputError(
            f"{delivery.path}: reading {delivery.kind} needs translate-toolkit "
            '(pip install "mt-eval[deliveries]")'
        ) from None
    data = read_bytes(delivery.path)
    try:
        if delivery.kind == "tmx":
            store = store_class(data, sourcelanguage=source_lang, targetlanguage=target_lang)
        else:
            store = store_class.parsestring(data)
    except Exception as exc:  # noqa: BLE001 - the parser raises lxml and its own errors
        raise InputError(f"{delivery.path}: not a valid {delivery.kind} file ({exc})") from None
    units = [u for u in store.units if not u.isheader() and (u.source or u.target)]
    if delivery.kind == "tmx":
        targets = tuple(_one_line(_tmx_variant(u, target_lang)) for u in units)
        sources = tuple(_one_line(_tmx_variant(u, source_lang)) for u in units)
    else:
        targets = tuple(_one_line(u.target or "") for u in units)
        sources = tuple(_one_line(u.source or "") for u in units)
    return Units(targets, sources, tuple(range(1, len(units) + 1)))


def _tmx_variant(unit: Any, lang: str) -> str:
    """A TMX unit's text in a language, or ``""``.

    ``xml:lang`` matches by canonical language (``id``, ``id-ID``, ``in`` and ``ind``
    are all Indonesian).
    """
    from translate.misc.xml_helpers import getXMLlang

    want = canonical_lang(lang)
    for tuv in unit.getlanguageNodes():
        if canonical_lang(getXMLlang(tuv) or "") == want:
            return unit.getNodeText(tuv) or ""
    return ""


def read_units(delivery: Delivery, source_lang: str, target_lang: str) -> Units:
    """Read a table or translation-memory delivery as units."""
    if delivery.kind in ("tsv", "csv"):
        units = read_table(delivery)
    else:
        units = read_translation_memory(delivery, source_lang, target_lang)
    if not any(units.targets):
        raise InputError(f"{delivery.path}: no translation in any unit")
    return units


def units_document(units: Units, delivery: Delivery, lang: str, aligned: bool) -> Document:
    """The delivery as a document: one paragraph per unit.

    Aligned: every unit keeps its place, empty or not, as in ``read_lines``. Otherwise
    the units are cleaned like a text document (markup, boilerplate), each removal
    and paragraph placed at its unit's line in the file.
    """
    path = str(delivery.path)
    if aligned:
        paragraphs = tuple(Paragraph(t, n) for t, n in zip(units.targets, units.lines, strict=True))
        return Document(path=path, lang=lang, paragraphs=paragraphs)
    doc = require_paragraphs(clean_text("\n".join(units.targets), lang, path))
    where = dict(enumerate(units.lines, 1))
    return Document(
        path=path,
        lang=lang,
        paragraphs=tuple(Paragraph(p.text, where.get(p.line, p.line)) for p in doc.paragraphs),
        removals=tuple(type(r)(where.get(r.line, r.line), r.text, r.reason) for r in doc.removals),
    )


def check_sources(
    units: Units, delivery: Delivery, source: tuple[Sentence, ...], source_path: Path
) -> None:
    """In aligned mode, each unit's source text must equal the source line it faces.

    Raises:
        InputError: Naming the first unit whose source differs.
    """
    if units.sources is None:
        return
    for number, (text, sentence) in enumerate(zip(units.sources, source, strict=False)):
        if _one_line(text) != _one_line(sentence.text):
            raise InputError(
                f"{delivery.path}:{units.lines[number]}: source {text[:60]!r} differs from "
                f"line {sentence.line} of {source_path} ({sentence.text[:60]!r}); "
                "rows reordered or shifted?"
            )
