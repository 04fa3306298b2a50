"""CSV output that opens cleanly in a spreadsheet, written atomically."""

import csv
import io
from pathlib import Path

import pytest

from mt_eval.errors import OutputError
from mt_eval.model import DocumentResult, Flag, Link, LinkResult, Removal, RemovalRecord
from mt_eval.outdir import write_files
from mt_eval.report import (
    SEGMENT_COLUMNS,
    fmt_number,
    render,
    safe_text,
    segment_row,
)


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=SUM(A1:A3)", "'=SUM(A1:A3)"),
        ("+62 812", "'+62 812"),
        ("-5 persen", "'-5 persen"),
        ("@user", "'@user"),
        ("\tindented", "'\tindented"),
        ("\rx", "'\rx"),
        ("Normal text = fine", "Normal text = fine"),
        ("", ""),
        (None, ""),
    ],
)
def test_formula_starts_are_neutralised(text: str | None, cell: str) -> None:
    assert safe_text(text) == cell


def test_numbers_fixed_precision_and_empty_for_missing() -> None:
    assert fmt_number(12.3456, 2) == "12.35"
    assert fmt_number(0.0, 2) == "0.00"
    assert fmt_number(None, 2) == ""


def link_result(**kw) -> LinkResult:
    base = dict(
        pair="p",
        system="s",
        link=Link((2, 3), (4,), 0.25),
        src_text="A b. C d.",
        tgt_text="-A b c d",
        ref_text=None,
        scores={"bleu": 41.123, "chrf": None, "similarity": 0.87654},
        flags=(Flag("number_mismatch", "number 5 in source missing in translation", "major"),),
    )
    base.update(kw)
    return LinkResult(**base)


def test_segment_row_ids_are_one_based_and_joined() -> None:
    row = segment_row(link_result())
    assert row["src_ids"] == "3+4"
    assert row["tgt_ids"] == "5"
    assert row["tgt_text"] == "'-A b c d"
    assert row["ref_text"] == ""
    assert (row["bleu"], row["chrf"], row["comet"], row["similarity"]) == (
        "41.12",
        "",
        "",
        "0.8765",
    )
    assert row["flags"] == "number_mismatch"
    assert row["notes"] == "number_mismatch: number 5 in source missing in translation"
    assert row["severity"] == "major"
    assert row["link"] == "2-1"
    drop = segment_row(link_result(link=Link((0,), ()), flags=(Flag("dropped", "x", "minor"),)))
    assert (drop["src_ids"], drop["tgt_ids"], drop["link"]) == ("1", "", "1-0")


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM so spreadsheets detect the encoding"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_render_writes_all_files_with_documented_columns() -> None:
    doc = DocumentResult("p", "s", 2, 1, 1, 0, 0, 1, {"bleu": 10.0, "chrf": 20.0})
    rem = RemovalRecord("p", "", "source", "x.txt", Removal(3, "<u>", "html-tag"))
    files = render([link_result()], [doc], [rem], {"k": "v"})
    assert set(files) == {
        "segments.csv",
        "issues.csv",
        "documents.csv",
        "removed.csv",
        "run.json",
        "results.xlsx",
        "report.html",
    }
    rows = read_csv(files["segments.csv"])
    assert list(rows[0]) == list(SEGMENT_COLUMNS)
    assert read_csv(files["documents.csv"])[0]["comet"] == ""
    assert read_csv(files["removed.csv"])[0] == {
        "pair": "p",
        "system": "",
        "role": "source",
        "file": "x.txt",
        "line": "3",
        "reason": "html-tag",
        "text": "<u>",
    }


def test_existing_results_are_never_overwritten_without_force(tmp_path: Path) -> None:
    out = tmp_path / "run"
    marker = b'{"format": "mt-eval-run/1"}'
    write_files(out, {"run.json": marker, "a.txt": b"1"})
    with pytest.raises(OutputError, match="--force"):
        write_files(out, {"a.txt": b"2"})
    assert (out / "a.txt").read_bytes() == b"1"
    write_files(out, {"run.json": marker, "b.txt": b"3"}, force=True)
    assert sorted(p.name for p in out.iterdir()) == ["b.txt", "run.json"]
    assert [p.name for p in tmp_path.iterdir()] == ["run"], "no temporary folders left behind"


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(OutputError, match="not a folder"):
        write_files(target, {"a": b""})
