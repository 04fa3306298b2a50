"""``results.xlsx``: the run's tables as one workbook, typed, for people who read it.

Built with XlsxWriter from the same rows as the CSV files (:mod:`mt_eval.report.rows`):

- one sheet each for segments, issues, documents, systems and removals;
- numbers are number cells (an empty cell means "not available"), every other cell
  is a string cell, so no formula ever runs and no guard apostrophe shows;
- a frozen header row, an autofilter, column widths and formats, wrapped text, and
  rows coloured by severity (critical, major, minor: conditional formats on the
  ``severity`` column, so a row keeps its colour when sorted or filtered);
- printed landscape, one page wide, with the header row on every page.

The file is byte-identical for the same rows: its creation date is fixed.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mt_eval.report.rows import PRECISION, header, unsafe_text

NUMERIC = {
    "bleu",
    "chrf",
    "comet",
    "similarity",
    "ter",
    "risk",
    "align_cost",
    "src_sentences",
    "tgt_sentences",
    "links",
    "pairs",
    "dropped",
    "added",
    "flagged",
    "line",
}
"""Columns (or, for ``bleu_low`` and the like, their first part) written as numbers."""
WIDE = {"src_text", "tgt_text", "ref_text", "other_refs", "note", "notes", "text", "unit_notes"}
"""Text columns given a wide, wrapped column."""
SEVERITY_COLOURS = {"critical": "#F4B6B6", "major": "#FBD9A8", "minor": "#FFF3B0"}
FIXED_DATE = datetime(2000, 1, 1)


@dataclass(frozen=True)
class Sheet:
    """One worksheet.

    Attributes:
        name: Sheet name (at most 31 characters).
        columns: Row keys, in order.
        rows: Rows of CSV cells (strings), as :mod:`mt_eval.report.rows` makes them.
        names: Metric name to its column header (``chrf++``), see :func:`header`.
    """

    name: str
    columns: Sequence[str]
    rows: Iterable[Mapping[str, Any]]
    names: Mapping[str, str]


def _kind(column: str) -> str:
    first = column.split("_")[0]
    if column in NUMERIC or (first in PRECISION and column.split("_")[-1] in {"low", "high"}):
        return "number"
    if column.endswith("_segments"):
        return "number"
    return "text"


def _format(column: str) -> str:
    digits = PRECISION.get(column.split("_")[0], PRECISION.get(column))
    return "0" if digits is None else "0." + "0" * digits


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The XLSX file of the given sheets."""
    import xlsxwriter
    from xlsxwriter.utility import xl_col_to_name

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": FIXED_DATE})
    head = book.add_format({"bold": True, "bg_color": "#DDE3EA", "text_wrap": True})
    shades = {sev: book.add_format({"bg_color": c}) for sev, c in SEVERITY_COLOURS.items()}
    formats: dict[tuple[str, str], Any] = {}

    def fmt(kind: str, column: str) -> Any:
        key = (kind, _format(column) if kind == "number" else "wrap" if column in WIDE else "")
        if key not in formats:
            spec: dict[str, Any] = {"valign": "top"}
            if kind == "number":
                spec["num_format"] = key[1]
            elif key[1] == "wrap":
                spec["text_wrap"] = True
            formats[key] = book.add_format(spec)
        return formats[key]

    for sheet in sheets:
        ws = book.add_worksheet(sheet.name)
        kinds = [_kind(c) for c in sheet.columns]
        for col, column in enumerate(sheet.columns):
            ws.write_string(0, col, header(column, sheet.names), head)
            width = 60 if column in WIDE else (10 if kinds[col] == "number" else 16)
            ws.set_column(col, col, width, fmt(kinds[col], column))  # cells take its format
        n = 0
        for n, row in enumerate(sheet.rows, start=1):
            for col, column in enumerate(sheet.columns):
                cell = row.get(column)
                if cell is None or cell == "":
                    continue  # an empty cell: not available
                if kinds[col] == "number":
                    ws.write_number(n, col, float(cell))
                else:
                    ws.write_string(n, col, unsafe_text(str(cell)))
        if "severity" in sheet.columns and n:
            # rows coloured by severity: one rule per severity, not a style per cell
            letter = xl_col_to_name(list(sheet.columns).index("severity"))
            for severity, shade in shades.items():
                rule = {"type": "formula", "criteria": f'=${letter}2="{severity}"', "format": shade}
                ws.conditional_format(1, 0, n, len(sheet.columns) - 1, rule)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(n, 1), len(sheet.columns) - 1)
        # printing: landscape, one page wide, the header on every page
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
    book.close()
    return buf.getvalue()
