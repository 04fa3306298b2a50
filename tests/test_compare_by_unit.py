"""A vendor's re-delivery of an XLIFF file is compared with the first delivery unit by unit."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from mt_eval.cli import cli

UNITS = {
    "greet": ("Welcome to the store.", "Selamat datang di toko."),
    "items": ("You have 3 items in your cart.", "Ada 3 barang di keranjang Anda."),
    "pay": ("Pay with your card.", "Bayar dengan kartu Anda."),
}


def _xliff(path: Path, order: list[str], targets: dict[str, str]) -> Path:
    body = "".join(
        f'<trans-unit id="{uid}"><source>{UNITS[uid][0]}</source>'
        f"<target>{targets.get(uid, UNITS[uid][1])}</target></trans-unit>"
        for uid in order
    )
    path.write_text(
        '<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        '<file original="shop.json" source-language="en" target-language="id">'
        f"<body>{body}</body></file></xliff>",
        encoding="utf-8",
    )
    return path


def _folder(tmp_path: Path, delivery: str) -> Path:
    """The delivery's file: the same name each time, as a re-delivery has."""
    (tmp_path / delivery).mkdir()
    return tmp_path / delivery / "shop.id.xlf"


def _run(path: Path, out: Path) -> None:
    args = ["-q", "run", "--target", str(path), "--system", "vendor", "--out", str(out)]
    result = CliRunner().invoke(cli, [*args, "--no-comet", "--no-cache"])
    assert result.exit_code == 0, result.output


def test_a_reordered_redelivery_is_matched_by_unit_id(tmp_path: Path) -> None:
    # the first delivery, then one with the units in another order and a number changed
    _run(_xliff(_folder(tmp_path, "march"), ["greet", "items", "pay"], {}), tmp_path / "march-run")
    again = _xliff(
        _folder(tmp_path, "april"),
        ["pay", "greet", "items"],
        {"items": "Ada 5 barang di keranjang Anda."},
    )
    _run(again, tmp_path / "april-run")
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            str(tmp_path / "march-run"),
            str(tmp_path / "april-run"),
            "--out",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "unit items (number_mismatch)" in result.output
    with (tmp_path / "c" / "changes.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = {r["unit"]: r for r in csv.DictReader(fh)}
    assert set(rows) == {"greet", "items", "pay"}
    # each unit is its own baseline text, though its place in the file moved
    assert rows["pay"]["old_text"] == rows["pay"]["new_text"] == UNITS["pay"][1]
    assert rows["items"]["flags_gained"] == "number_mismatch"
    assert rows["greet"]["flags_gained"] == rows["pay"]["flags_gained"] == ""


def test_a_redelivery_without_a_unit_is_a_different_source(tmp_path: Path) -> None:
    _run(_xliff(_folder(tmp_path, "march"), ["greet", "items", "pay"], {}), tmp_path / "march-run")
    _run(_xliff(_folder(tmp_path, "april"), ["greet", "pay"], {}), tmp_path / "april-run")
    result = CliRunner().invoke(
        cli,
        [
            "compare",
            str(tmp_path / "march-run"),
            str(tmp_path / "april-run"),
            "--out",
            str(tmp_path / "c"),
        ],
    )
    assert result.exit_code == 2
    assert "in the baseline run only" in result.output


def test_an_untranslated_unit_is_more_damaged_than_a_changed_number_without_a_reference(
    tmp_path: Path,
) -> None:
    # Without a reference only similarity is compared, and English left in place scores
    # high on it; stats.jsonl counts it 0 (as the aggregates do), so compare ranks it
    # above a changed number, which keeps most of its similarity.
    from test_regression_story import RENDERING, SOURCE, compare, degraded

    outs = []
    for name, target in (("good", RENDERING), ("bad", degraded(tmp_path))):
        args = ["run", "--source", str(SOURCE), "--source-lang", "en", "--target", str(target)]
        args += ["--target-lang", "id", "--system", "vendor", "--no-comet", "--no-cache"]
        args += ["--out", str(tmp_path / name)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        outs.append(tmp_path / name)
    code, output = compare(*outs, tmp_path / "cmp")
    assert code in (0, 1), output
    with (tmp_path / "cmp" / "changes.csv").open(encoding="utf-8-sig", newline="") as fh:
        changes = list(csv.DictReader(fh))
    english = next(r for r in changes if "untranslated" in r["flags_gained"])
    number = next(r for r in changes if "183 kuda" in r["new_text"])
    assert float(english["damage"]) > float(number["damage"])
