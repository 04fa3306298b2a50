"""Bilingual spreadsheets (XLSX, CSV, TSV) as a vendor sends them: a pair by themselves."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from mt_eval.cli import cli

ROWS = [
    ("save", "Save the file.", "Simpan berkas."),
    ("inbox", "You have 3 new messages.", "Anda punya 5 pesan baru."),
    ("open", "Open the door.", None),
    ("close", "Close {name} now.", "Tutup sekarang."),
]


def _xlsx(path: Path, header: tuple[str, ...] = ("key", "source", "target")) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Strings"
    sheet.append(list(header))
    sheet.append([None, None, None])  # an empty row is skipped
    for row in ROWS:
        sheet.append(list(row))
    book.save(path)
    return path


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(tmp_path: Path, *args: str) -> tuple[int, str, Path]:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["-q", "run", *args, "--out", str(out), "--no-comet", "--no-cache"]
    )
    return result.exit_code, result.output, out


def test_an_xlsx_delivery_is_checked_unit_by_unit_with_its_ids(tmp_path: Path) -> None:
    table = _xlsx(tmp_path / "app.xlsx")
    config = tmp_path / "job.toml"
    config.write_text(
        f"""
[[pairs]]
name = "app"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor = {{ path = "{table}", id_column = "key", sheet = "Strings" }}
""",
        encoding="utf-8",
    )
    code, output, out = _run(tmp_path, str(config))
    assert code == 0, output
    rows = _rows(out)
    assert [r["unit"] for r in rows] == ["save", "inbox", "open", "close"]
    assert [r["src_text"] for r in rows] == [r[1] for r in ROWS]
    assert [r["tgt_text"] for r in rows] == [r[2] or "" for r in ROWS]
    assert [r["flags"] for r in rows] == ["", "number_mismatch", "dropped", "placeholder_mismatch"]
    # the note names the unit and its row in the sheet (header row 1, empty row 2)
    assert rows[2]["notes"] == "dropped: source of unit open (line 5) has no translation"
    assert {r["file"] for r in rows} == {str(table)}


@pytest.mark.parametrize("suffix,delimiter", [(".csv", ","), (".tsv", "\t")])
def test_a_csv_or_tsv_without_an_id_column_takes_row_numbers(
    tmp_path: Path, suffix: str, delimiter: str
) -> None:
    table = tmp_path / f"app{suffix}"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["source", "target"])
        writer.writerow(["Save the file.", "Simpan berkas."])
        writer.writerow(["A line\nin two parts.", "Satu baris\ndalam dua bagian."])
        writer.writerow(["Open the door.", "Buka pintunya."])
    code, output, out = _run(
        tmp_path, "--target", str(table), "--source-lang", "en", "--target-lang", "id"
    )
    assert code == 0, output
    rows = _rows(out)
    # a row's id is the file line it starts on (row 2 spans lines 3-5)
    assert [r["unit"] for r in rows] == ["2", "3", "6"]
    assert rows[1]["src_text"] == "A line in two parts."


def test_a_table_without_a_source_column_needs_a_source_document(tmp_path: Path) -> None:
    table = _xlsx(tmp_path / "app.xlsx", header=("key", "english", "target"))
    code, output, _ = _run(
        tmp_path, "--target", str(table), "--source-lang", "en", "--target-lang", "id"
    )
    assert code == 2
    assert output.strip().splitlines() == [
        f"mt-eval: error: {table}: no column 'source'; a table without a source column "
        "needs a source document (or set source_column)"
    ]


def test_a_damaged_workbook_is_one_line_naming_it(tmp_path: Path) -> None:
    table = tmp_path / "app.xlsx"
    table.write_bytes(b"PK\x03\x04 not really a zip")
    code, output, out = _run(
        tmp_path, "--target", str(table), "--source-lang", "en", "--target-lang", "id"
    )
    assert code == 2 and not out.exists()
    assert len(output.strip().splitlines()) == 1
    assert f"{table}: not a readable XLSX workbook" in output


def test_a_missing_sheet_names_the_sheets_there_are(tmp_path: Path) -> None:
    table = _xlsx(tmp_path / "app.xlsx")
    config = tmp_path / "job.toml"
    config.write_text(
        f"""
[[pairs]]
name = "app"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor = {{ path = "{table}", sheet = "Sheet9" }}
""",
        encoding="utf-8",
    )
    code, output, _ = _run(tmp_path, str(config))
    assert code == 2
    assert "no sheet 'Sheet9' (sheets: Strings); set sheet" in output
