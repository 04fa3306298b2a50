"""The files people read: issues.csv, results.xlsx and report.html of the seed run."""

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from mt_eval.model import DocumentResult, Flag, Link, LinkResult
from mt_eval.report import ISSUE_COLUMNS, SEGMENT_COLUMNS, render, segment_row
from mt_eval.report.html import script_json
from mt_eval.report.issues import issue_order, issue_rows

NUMERIC_SEGMENT_COLUMNS = ("bleu", "chrf", "comet", "similarity", "ter", "risk", "align_cost")


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def page_data(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="mt-data">(.*?)</script>', html, re.S)
    assert found, "the page embeds its data"
    return json.loads(found.group(1))


def test_issues_csv_has_one_row_per_flag_most_severe_first(seed_run: Path) -> None:
    segments = read_csv(seed_run / "segments.csv")
    issues = read_csv(seed_run / "issues.csv")
    assert list(issues[0]) == list(ISSUE_COLUMNS)
    expected = sorted(
        (s["pair"], s["system"], s["src_ids"], s["tgt_ids"], kind)
        for s in segments
        for kind in s["flags"].split(";")
        if kind
    )
    got = sorted((i["pair"], i["system"], i["src_ids"], i["tgt_ids"], i["kind"]) for i in issues)
    assert got == expected and got
    ranks = [("critical", "major", "minor").index(i["severity"]) for i in issues]
    assert ranks == sorted(ranks)
    for issue in issues:  # the note is the flag's own, found among the link's notes
        (segment,) = [
            s
            for s in segments
            if (s["pair"], s["system"], s["src_ids"], s["tgt_ids"])
            == (issue["pair"], issue["system"], issue["src_ids"], issue["tgt_ids"])
        ]
        assert f"{issue['kind']}: {issue['note']}" in segment["notes"]
        assert issue["src_text"] == segment["src_text"]


def test_issue_order_breaks_ties_by_document_order() -> None:
    def result(n: int, severity: str) -> LinkResult:
        flag = Flag("dropped", f"source sentence {n} has no translation", severity)
        return LinkResult("p", "s", Link((n,), ()), f"s{n}", "", None, {}, (flag,))

    links = [result(0, "minor"), result(1, "major"), result(2, "major")]
    segments = [segment_row(r) for r in links]
    rows = issue_rows(links, segments, issue_order(links, [s["risk"] for s in segments]))
    assert [r["src_ids"] for r in rows] == ["2", "3", "1"]


def test_workbook_cells_are_typed_and_equal_the_csv(seed_run: Path) -> None:
    book = openpyxl.load_workbook(seed_run / "results.xlsx")
    assert book.sheetnames == ["segments", "issues", "documents", "systems", "removals"]
    sheet = book["segments"]
    header = [c.value for c in sheet[1]]
    assert header == list(SEGMENT_COLUMNS)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
    segments = read_csv(seed_run / "segments.csv")
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(segments)
    numbers = 0
    for cells, row in zip(rows, segments, strict=True):
        for cell, column in zip(cells, header, strict=True):
            assert cell.data_type != "f", f"{cell.coordinate} holds a formula"
            text = row[column]
            if column in NUMERIC_SEGMENT_COLUMNS and text:
                assert cell.data_type == "n" and cell.value == pytest.approx(float(text))
                numbers += 1
            elif text:
                # the CSV's formula guard (a leading apostrophe) is not in the workbook
                expected = text[1:] if text.startswith("'") and text[1:2] in "=+-@" else text
                assert cell.data_type == "s" and cell.value == expected, cell.coordinate
            else:
                assert cell.value is None
    assert numbers > 0
    # rows are coloured by a conditional format per severity, on the severity column
    column = openpyxl.utils.get_column_letter(header.index("severity") + 1)
    rules = [r for cf in sheet.conditional_formatting for r in cf.rules]
    criteria = {r.formula[0] for r in rules}
    assert criteria == {f'${column}2="{sev}"' for sev in ("critical", "major", "minor")}
    assert all(r.dxf.fill.bgColor.rgb not in (None, "00000000") for r in rules)
    assert any(r[header.index("severity")].value for r in rows)


def test_a_text_that_looks_like_a_formula_stays_text_in_the_workbook(tmp_path: Path) -> None:
    link = LinkResult("p", "s", Link((0,), (0,)), "=1+1", "+62 21 555", None, {"chrf": 50.0})
    doc = DocumentResult("p", "s", 1, 1, 1, 0, 0, 0, {"chrf": 50.0})
    files = render([link], [doc], [], {})
    path = tmp_path / "r.xlsx"
    path.write_bytes(files["results.xlsx"])
    cells = {c.value: c for c in openpyxl.load_workbook(path)["segments"][2]}
    assert cells["=1+1"].data_type == "s" and cells["+62 21 555"].data_type == "s"
    assert cells[50.0].data_type == "n"


def test_report_page_is_self_contained_and_holds_every_link(seed_run: Path) -> None:
    html = (seed_run / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html)
    data = page_data(html)
    segments = read_csv(seed_run / "segments.csv")
    assert len(data["links"]) == len(segments)
    assert [lk["S"] for lk in data["links"]] == [
        s["src_text"][1:] if s["src_text"].startswith("'") else s["src_text"] for s in segments
    ]
    flags = sum(len(s["flags"].split(";")) for s in segments if s["flags"])
    assert len(data["issues"]) == flags
    assert "vegaEmbed" in html, "the chart libraries are embedded"


def test_texts_cannot_close_the_data_script() -> None:
    text = script_json({"t": "</script><script>alert(1)</script> <!-- x"})
    assert "</" not in text and "<!--" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> <!-- x"}


def test_reports_are_byte_identical_for_the_same_run() -> None:
    flag = Flag("dropped", "source sentence 1 has no translation")
    links = [LinkResult("p", "s", Link((0,), ()), "Hello.", "", None, {"chrf": None}, (flag,))]
    docs = [DocumentResult("p", "s", 1, 0, 1, 1, 0, 1, {"chrf": None})]
    first, second = render(links, docs, [], {}), render(links, docs, [], {})
    for name in ("report.html", "results.xlsx", "issues.csv"):
        assert first[name] == second[name], name
