"""gettext PO deliveries: a pair by themselves, one row per entry."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from mt_eval.cli import cli

PO = """msgid ""
msgstr ""
"Language: id\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#. The save button
msgctxt "toolbar"
msgid "Save %s"
msgstr "Simpan %s"

#, fuzzy
msgid "Delete {count} files?"
msgstr "Hapus berkas?"

msgid "Open"
msgstr ""
"""


def test_a_po_file_runs_without_a_source(tmp_path: Path) -> None:
    path = tmp_path / "app.id.po"
    path.write_text(PO, encoding="utf-8")
    out = tmp_path / "out"
    args = ["-q", "run", "--target", str(path), "--source-lang", "en", "--target-lang", "id"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out), "--no-comet", "--no-cache"])
    assert result.exit_code == 0, result.output
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["unit"] for r in rows] == ["toolbar|Save %s", "Delete {count} files?", "Open"]
    assert [r["state"] for r in rows] == ["translated", "fuzzy", ""]
    assert rows[0]["unit_notes"] == "The save button" and rows[0]["flags"] == ""
    assert rows[1]["flags"] == "placeholder_mismatch"
    assert rows[2]["flags"] == "dropped"  # an empty msgstr
    # notes name the unit and its line in the file, not a sentence number
    assert rows[2]["notes"] == "dropped: source of unit Open (line 15) has no translation"
    assert [r["file"] for r in rows] == [str(path)] * 3


def test_a_po_file_needs_its_languages_given(tmp_path: Path) -> None:
    path = tmp_path / "app.po"
    path.write_text(PO, encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", "--target", str(path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "give --source-lang" in result.output
