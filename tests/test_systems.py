"""Several deliveries of one source in one config: every system is aligned and reported."""

import csv
from pathlib import Path

from click.testing import CliRunner

from mt_eval.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def truncated_run(tmp_path: Path) -> dict[str, list[dict[str, str]]]:
    """Run a config with the full rendering and one missing its last three paragraphs."""
    lines = (SEEDS / "moscow-times-2022-11-02.id.txt").read_text(encoding="utf-8").splitlines()
    (tmp_path / "vendor-b.id.txt").write_text("\n".join(lines[:-3]) + "\n", encoding="utf-8")
    config = tmp_path / "job.toml"
    config.write_text(
        f"""
[[pairs]]
name = "mt"
source = "{SEEDS / "moscow-times-2022-11-02.en.txt"}"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor-a = "{SEEDS / "moscow-times-2022-11-02.id.txt"}"
vendor-b = "vendor-b.id.txt"
""",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    tables = {}
    for name in ("documents", "segments"):
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            tables[name] = list(csv.DictReader(fh))
    return tables


LAST_THREE = ("Pyongyang in July", "Putin annexed", "North Korea was also reported")


def test_two_vendors_one_truncated(tmp_path: Path) -> None:
    tables = truncated_run(tmp_path)
    docs = {r["system"]: r for r in tables["documents"]}
    assert list(docs) == ["vendor-a", "vendor-b"]
    assert int(docs["vendor-b"]["tgt_sentences"]) == int(docs["vendor-a"]["tgt_sentences"]) - 3
    assert docs["vendor-a"]["dropped"] == "3"  # title and the two halves of the caption
    assert int(docs["vendor-b"]["dropped"]) >= 4  # the title and the missing paragraphs
    rows = [r for r in tables["segments"] if r["system"] == "vendor-b"]
    for start in LAST_THREE:
        # Without the split pass of mt_eval.align.refine these rode along in a 4-1 link.
        (row,) = [r for r in rows if start in r["src_text"]]
        assert row["flags"] == "dropped" and row["tgt_text"] == "" and row["link"] == "1-0"
    assert [r["link"] for r in rows].count("1-1") >= 11
