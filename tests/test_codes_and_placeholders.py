"""Placeholders and inline codes a translation must keep, and the flags that say which."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.bilingual.codes import Code
from mt_eval.cli import cli
from mt_eval.flags.codes import placeholder_problems, placeholders, tag_problems


@pytest.mark.parametrize(
    ("src", "tgt", "note"),
    [
        ("Delete %@?", "Hapus %?", "%@ in source, not in translation"),
        ("%1$@ of %2$@", "%2$@ dari %1$@", ""),  # reordered arguments are fine
        ("Hello {0}", "Halo", "{0} in source, not in translation"),
        (
            "Hi {name}!",
            "Hai {nama}!",
            "{name} in source, not in translation; {nama} in translation, not in source",
        ),
        ("{{ count }} items", "{{count}} barang", ""),  # Mustache spacing does not matter
        ("Tom &amp; Jerry", "Tom dan Jerry", "&amp; in source, not in translation"),
        ("Line one\\nLine two", "Baris satu Baris dua", "\\n in source, not in translation"),
        ("50% off", "Diskon 50%", ""),  # a percent sign is no placeholder
        ("%d files", "%d berkas", ""),
    ],
)
def test_placeholders(src: str, tgt: str, note: str) -> None:
    assert placeholder_problems(src, tgt) == note


def test_placeholder_counts() -> None:
    assert placeholders("%s and %s, {0}") == {"%s": 2, "{0}": 1}


G1, X2 = Code("g", "1"), Code("x", "2", parent="1")


@pytest.mark.parametrize(
    ("src", "tgt", "note"),
    [
        ((G1, X2), (G1, X2), ""),
        ((G1, X2), (G1,), '<x id="2"> in source, not in translation'),
        ((G1,), (G1, Code("x", "3")), '<x id="3"> in translation, not in source'),
        (
            (G1, X2),
            (G1, Code("x", "2")),
            '<x id="2"> is inside <… id="1"> in the source, outside any other code in the '
            "translation",
        ),
        ((Code("ph", "1", text="<br/>"),), (Code("ph", "7", text="<br/>"),), ""),  # renumbered
    ],
)
def test_inline_codes(src: tuple, tgt: tuple, note: str) -> None:
    assert tag_problems(src, tgt) == note


XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="app.strings" source-language="en" target-language="id" datatype="plaintext">
  <body>
   <trans-unit id="delete.confirm">
    <source>Delete %@?</source>
    <target state="translated">Hapus %?</target>
    <note>Shown before a file is deleted.</note>
   </trans-unit>
   <trans-unit id="heading">
    <source><g id="1">Heading 1</g><x id="2"/><g id="3">1</g></source>
    <target state="needs-review-translation"><g id="1">Judul 1</g><g id="3">1</g></target>
   </trans-unit>
   <trans-unit id="ok">
    <source>Save the file</source>
    <target state="translated">Simpan berkas</target>
   </trans-unit>
  </body>
 </file>
</xliff>
"""


def test_a_vendor_file_with_a_lost_placeholder_and_a_lost_code(tmp_path: Path) -> None:
    path = tmp_path / "app.id.xlf"
    path.write_text(XLIFF, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["-q", "run", "--target", str(path), "--out", str(out), "--no-comet", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["unit"]: r for r in csv.DictReader(fh)}
    assert list(rows) == ["delete.confirm", "heading", "ok"]
    assert rows["delete.confirm"]["flags"] == "placeholder_mismatch"
    assert "%@ in source, not in translation" in rows["delete.confirm"]["notes"]
    assert rows["delete.confirm"]["unit_notes"] == "Shown before a file is deleted."
    assert rows["delete.confirm"]["original"] == "app.strings"
    # clean text for metrics: <g> contents kept, the <x/> between them a space
    assert rows["heading"]["src_text"] == "Heading 1 1"
    # without the <x/> the target's numbers run together ("Judul 11"): both flags say so
    assert rows["heading"]["tgt_text"] == "Judul 11"
    assert rows["heading"]["flags"] == "number_mismatch;tag_mismatch"
    assert '<x id="2"> in source, not in translation' in rows["heading"]["notes"]
    assert rows["heading"]["state"] == "needs-review-translation"
    assert rows["ok"]["flags"] == ""
