"""Bilingual tables: CSV, TSV and XLSX files with a header row of named columns.

Each row below the header is one unit. Its id is the cell of the ``id`` column
when the table has one (the column is named by :class:`mt_eval.deliveries.Delivery`
``id_column``), otherwise its row number in the file. Rows whose cells are all
empty are skipped. XLSX is read with openpyxl in read-only mode, values rather
than formulas (a formula cell gives the value Excel last computed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from pathlib import Path

from mt_eval.errors import InputError

TABLES = ("tsv", "csv", "xlsx")
"""Table formats a delivery may have."""

Row = tuple[int, list[str]]
"""A table row: its line (CSV) or row number (XLSX) in the file, and its cells."""


def _cell(value: object) -> str:
    """A spreadsheet value as the text a person sees (``3.0`` is ``3``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_rows(path: Path, delimiter: str) -> Iterator[Row]:
    from mt_eval.documents import read_text

    reader = csv.reader(io.StringIO(read_text(path)), delimiter=delimiter, strict=True)
    start = 1  # a row's line is the one it starts on (a quoted cell may span lines)
    try:
        for row in reader:
            yield start, row
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: {exc}") from None


def _xlsx_rows(path: Path, sheet: str) -> Iterator[Row]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    from mt_eval.documents import read_bytes

    data = read_bytes(path)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet and sheet not in book.sheetnames:
            raise InputError(
                f"{path}: no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)}); set sheet"
            )
        table = book[sheet] if sheet else book.worksheets[0]
        for number, values in enumerate(table.iter_rows(values_only=True), 1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def table_rows(path: Path, fmt: str, sheet: str = "") -> tuple[list[str], list[Row]]:
    """The header and the non-empty rows of a table.

    Args:
        path: The file.
        fmt: ``tsv``, ``csv`` or ``xlsx``.
        sheet: The XLSX sheet to read (``""``: the first).

    Raises:
        InputError: Unreadable, malformed, or without a header row (naming the file
            and line).
    """
    if fmt == "xlsx":
        rows = _xlsx_rows(path, sheet)
    else:
        rows = _csv_rows(path, "\t" if fmt == "tsv" else ",")
    header: list[str] | None = None
    body: list[Row] = []
    for line, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lstrip("\ufeff") for c in cells]
        else:
            body.append((line, cells))
    if header is None:
        raise InputError(f"{path}: no header row")
    return header, body


def column(header: Sequence[str], name: str, path: Path, key: str) -> int:
    """The position of column ``name``.

    Raises:
        InputError: No such column, naming the columns there are and the key to set.
    """
    if name not in header:
        raise InputError(f"{path}:1: no column {name!r} (columns: {', '.join(header)}); set {key}")
    return header.index(name)
