"""--split-units: a long unit of a bilingual file is aligned sentence by sentence."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from mt_eval.cli import cli

XLIFF = """<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="help.html" source-language="en" target-language="id" datatype="html"><body>
<trans-unit id="intro"><source>Open the settings page. Choose a language. Press save to keep
 the change.</source><target>Buka halaman pengaturan. Pilih bahasa.</target></trans-unit>
<trans-unit id="title"><source>Help</source><target>Bantuan</target></trans-unit>
<trans-unit id="empty"><source></source><target></target></trans-unit>
<trans-unit id="tags"><source>Click <g id="1">Save</g>.</source><target>Klik Simpan.</target>
</trans-unit>
</body></file></xliff>
"""


def _rows(tmp_path: Path, *extra: str) -> list[dict[str, str]]:
    path = tmp_path / "help.id.xlf"
    path.write_text(XLIFF, encoding="utf-8")
    out = tmp_path / ("split" if extra else "whole")
    args = ["-q", "run", "--target", str(path), *extra, "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--no-comet", "--no-cache"])
    assert result.exit_code == 0, result.output
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_long_unit_missing_a_sentence_shows_which_one(tmp_path: Path) -> None:
    rows = _rows(tmp_path, "--split-units")
    assert [(r["unit"], r["link"]) for r in rows] == [
        ("intro", "1-1"),
        ("intro", "1-1"),
        ("intro", "1-0"),
        ("title", "1-1"),
        ("tags", "1-1"),
    ]
    dropped = rows[2]
    assert dropped["src_text"] == "Press save to keep the change." and dropped["tgt_text"] == ""
    assert dropped["notes"] == "dropped: source of unit intro (line 4) has no translation"
    # the unit's lost inline code is flagged once, not per sentence
    assert [r["flags"] for r in rows].count("tag_mismatch") == 1


def test_by_default_one_unit_is_one_link(tmp_path: Path) -> None:
    rows = _rows(tmp_path)
    assert [r["unit"] for r in rows] == ["intro", "title", "empty", "tags"]
    assert rows[0]["link"] == "1-1"


def test_split_units_is_for_bilingual_files_only(tmp_path: Path) -> None:
    config = tmp_path / "job.toml"
    (tmp_path / "a.txt").write_text("One.\n", encoding="utf-8")
    config.write_text(
        """
[[pairs]]
name = "p"
source = "a.txt"
source_lang = "en"
target_lang = "id"
split_units = true
[pairs.systems]
s = "a.txt"
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["run", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        "pairs[0].split_units: is for bilingual files (a pair with no source)"
    )
