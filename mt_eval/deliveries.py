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
- ``tsv`` / ``csv`` / ``xlsx`` (by suffix): a table with a header row; each row's
  ``target_column`` cell is one paragraph of the delivery, in row order. A table
  that also has a ``source_column`` is bilingual: without a source document it is a
  pair by itself, one unit per row (:mod:`mt_eval.bilingual.tables`).
- ``xliff`` (1.2, with SDLXLIFF and memoQ), ``xliff2``, ``tmx`` (1.1-1.4) and
  ``po``: recognised by their content whatever the suffix
  (:func:`mt_eval.bilingual.sniff`), read unit by unit with ids, states, notes and
  inline codes (:mod:`mt_eval.bilingual`; PO needs ``mt-eval[deliveries]``); each
  unit's target is one paragraph; in TMX the target is the variant in the pair's
  target language. Such a file is a pair by itself: it needs no source document
  (:mod:`mt_eval.loading`).

A table or a translation memory becomes a document of one paragraph per unit (line
``i`` of the document = unit ``i``), so it goes through the same cleaning,
splitting and alignment as a plain delivery, or, with ``aligned = true``, is taken
unit by unit against the source's lines. With ``aligned = true`` the unit's source
text, when the file carries one, must match the source line it is aligned to: a
delivery whose rows were reordered or shifted is an input error, not a bad score.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from mt_eval.documents import clean_text, require_paragraphs
from mt_eval.errors import ConfigError, InputError
from mt_eval.model import Document, Paragraph, Sentence, Unit

FORMATS = ("auto", "text", "tsv", "csv", "xlsx", "xliff", "xliff2", "tmx", "po")
_SUFFIXES = {
    ".tsv": "tsv",
    ".csv": "csv",
    ".xlsx": "xlsx",
    # when the content says nothing (not XML, unreadable), the suffix still does:
    # such a file is then reported as malformed, never read as plain text
    **dict.fromkeys((".xlf", ".xliff", ".sdlxliff", ".mqxliff", ".mxliff", ".xlf2"), "xliff"),
    ".tmx": "tmx",
    ".po": "po",
    ".pot": "po",
}
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Delivery:
    """One system's translation file and how to read it.

    Attributes:
        path: The file.
        format: One of :data:`FORMATS`; ``auto`` recognises XLIFF, TMX and PO by
            content and tables by suffix.
        source_column: Header of the source column of a table (checked against the
            source in aligned mode when present; ``""`` for none). A table with a
            source column is a pair by itself, like an XLIFF file.
        target_column: Header of the translation column of a table.
        id_column: Header of a table's unit-id column; a table without one has its
            row numbers as ids.
        sheet: The sheet of an XLSX table (``""``: the first).
    """

    path: Path
    format: str = "auto"
    source_column: str = "source"
    target_column: str = "target"
    id_column: str = "id"
    sheet: str = ""

    def __post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ConfigError(f"format must be one of {', '.join(FORMATS)}, not {self.format!r}")
        for key in ("source_column", "target_column", "id_column", "sheet"):
            if not isinstance(getattr(self, key), str):
                raise ConfigError(f"{key} must be a string, not {getattr(self, key)!r}")

    @functools.cached_property
    def kind(self) -> str:
        """The resolved format: given, or recognised from the file's content (read once).

        XLIFF (1.x, 2.x), TMX and PO are recognised by content whatever the suffix;
        ``.tsv`` / ``.csv`` by suffix; anything else is a text document.

        Raises:
            InputError: An XML file of a dialect mt-eval does not read.
        """
        if self.format != "auto":
            return self.format
        from mt_eval.bilingual import sniff

        head = b""  # not a regular file (a FIFO, a folder) or unreadable: reading it says why
        try:
            if self.path.is_file():
                with self.path.open("rb") as fh:
                    head = fh.read(_SNIFF_BYTES)
        except OSError:
            pass
        return sniff(self.path, head) or _SUFFIXES.get(self.path.suffix.lower(), "text")

    @property
    def table(self) -> bool:
        """Whether the file is a table (TSV, CSV, XLSX), one unit per row."""
        from mt_eval.bilingual.tables import TABLES

        return self.kind in TABLES

    @property
    def bilingual(self) -> bool:
        """Whether the file holds both sides of every unit (XLIFF, TMX, PO)."""
        from mt_eval.bilingual import BILINGUAL

        return self.kind in BILINGUAL


@dataclass(frozen=True)
class Units:
    """A delivery read as translation units.

    Attributes:
        targets: Target text per unit.
        sources: Source text per unit, or ``None`` when the file carries none.
        lines: 1-based line (or unit number) of each unit in the file.
        records: The units with ids, states, notes and inline codes (bilingual
            files; empty for tables).
        source_lang: Source language the file declares, or ``""``.
        target_lang: Target language the file declares, or ``""``.
    """

    targets: tuple[str, ...]
    sources: tuple[str, ...] | None
    lines: tuple[int, ...]
    records: tuple[Unit, ...] = ()
    source_lang: str = ""
    target_lang: str = ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def read_table(delivery: Delivery) -> Units:
    """Read a TSV, CSV or XLSX delivery (header row first), one unit per row.

    Each unit's id is its ``id_column`` cell, or its row number when the table has
    no such column.

    Raises:
        InputError: Unreadable file, no such column, or a row too short.
    """
    from mt_eval.bilingual.tables import column, table_rows

    path = delivery.path
    header, rows = table_rows(path, delivery.kind, delivery.sheet)
    tgt_col = column(header, delivery.target_column, path, "target_column")
    src_col = header.index(delivery.source_column) if delivery.source_column in header else None
    id_col = header.index(delivery.id_column) if delivery.id_column in header else None
    records = []
    for line, row in rows:
        if len(row) <= max(tgt_col, src_col or 0, id_col or 0):
            raise InputError(f"{path}:{line}: {len(row)} cells, header has {len(header)}")
        unit_id = row[id_col].strip() if id_col is not None else ""
        records.append(
            Unit(
                id=unit_id or str(line),
                source=_one_line(row[src_col]) if src_col is not None else "",
                target=_one_line(row[tgt_col]),
                line=line,
            )
        )
    return Units(
        tuple(u.target for u in records),
        tuple(u.source for u in records) if src_col is not None else None,
        tuple(u.line for u in records),
        tuple(records),
    )


def read_translation_memory(delivery: Delivery, source_lang: str, target_lang: str) -> Units:
    """Read an XLIFF, TMX or PO delivery unit by unit (:mod:`mt_eval.bilingual`).

    Raises:
        InputError: The file cannot be parsed (naming the file and line).
    """
    from mt_eval.bilingual import read_bilingual

    read = read_bilingual(delivery.path, delivery.kind, source_lang, target_lang)
    units = read.units
    return Units(
        tuple(u.target for u in units),
        tuple(u.source for u in units),
        tuple(u.line for u in units),
        units,
        read.source_lang,
        read.target_lang,
    )


def read_units(delivery: Delivery, source_lang: str, target_lang: str) -> Units:
    """Read a table or translation-memory delivery as units."""
    if delivery.table:
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
