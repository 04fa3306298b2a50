"""A vendor's delivery scored against a reference translation (quick mode, --reference)."""

import csv
from pathlib import Path

from click.testing import CliRunner

from mt_eval.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"


def run(tmp_path: Path, target: Path, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / "out"
    args = ["run", "--source", str(SOURCE), "--source-lang", "en", "--target", str(target)]
    args += ["--target-lang", "id", "--reference", str(RENDERING), "--out", str(out), *extra]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_delivery_identical_to_the_reference_scores_100(tmp_path: Path) -> None:
    rows = run(tmp_path, RENDERING, "--system", "vendor-a")
    body = [r for r in rows if r["src_text"] and r["tgt_text"]]
    assert len(body) == 15
    for r in body:
        assert r["ref_text"] == r["tgt_text"]
        assert (r["bleu"], r["chrf"]) == ("100.00", "100.00")
    for r in rows:
        if not r["tgt_text"]:  # title and caption: no translation, no reference
            assert r["ref_text"] == "" and r["bleu"] == "" and "dropped" in r["flags"]


def degraded(tmp_path: Path, drop: bool) -> Path:
    lines = RENDERING.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("138", "183")  # a changed number
    lines[10] = "North Korea was one of the five countries that voted against a UN resolution."
    if drop:
        del lines[7]  # a dropped paragraph (the customs officials' sentence)
    path = tmp_path / "degraded.id.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def flagged(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    by_flag: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        for flag in filter(None, r["flags"].split(";")):
            by_flag.setdefault(flag, []).append(r)
    return by_flag


def test_degraded_delivery_is_flagged_and_scores_lower(tmp_path: Path) -> None:
    by_flag = flagged(run(tmp_path, degraded(tmp_path, drop=False), "--system", "vendor-b"))
    changed, shortened = by_flag["number_mismatch"]
    assert "number 138 in source, 183 in translation" in changed["notes"]
    assert float(changed["bleu"]) < 100
    assert "2022" in shortened["notes"]  # the English stand-in lost "February 2022"
    (english,) = by_flag["untranslated"]
    assert english is shortened and float(english["chrf"]) < 50
    # title and caption; and the shortened stand-in, as a partial omission
    whole = [r for r in by_flag["dropped"] if "partial omission" not in r["notes"]]
    assert all(r["tgt_text"] == "" for r in whole)
    assert [r for r in by_flag["dropped"] if r not in whole] in ([], [shortened])


def test_dropped_paragraph_is_flagged_dropped(tmp_path: Path) -> None:
    by_flag = flagged(run(tmp_path, degraded(tmp_path, drop=True), "--system", "vendor-c"))
    assert any("Russian customs officials" in r["src_text"] for r in by_flag.get("dropped", []))
