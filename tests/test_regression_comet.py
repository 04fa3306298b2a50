"""A model metric in the ``comet`` column goes through systems.csv, gates and compare.

COMET itself is built in another issue; here any mean-aggregated metric registered
under the name ``comet`` stands in for it (a character-overlap score of translation
and reference, 0-1), registered for these tests only. The regression code must
treat it as it treats similarity: a mean over links, resampled the same way.
"""

import csv
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.cli import cli
from mt_eval.metrics import base
from mt_eval.metrics.base import Metric, is_empty
from mt_eval.model import Segment

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"


def degraded(folder: Path) -> Path:
    """The seed rendering with a paragraph left in English and the last two dropped."""
    lines = RENDERING.read_text(encoding="utf-8").splitlines()
    english = [ln for ln in SOURCE.read_text(encoding="utf-8").splitlines() if "blamed" in ln]
    lines[7] = english[0].replace("<u>", "").replace("</u>", "")
    del lines[12:]
    path = folder / "degraded.id.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


class OverlapComet(Metric):
    """Mean-aggregated stand-in: share of reference character trigrams in the translation."""

    name = "comet"
    skip_reason = "empty translation or reference"

    def __init__(self, threads: int = 1, cache: object = None) -> None:
        # The run hands every ``comet`` metric its threads and on-disk cache.
        self.threads, self.cache = threads, cache

    def segment_statistics(self, segments: Sequence[Segment]) -> list[float | None]:
        out: list[float | None] = []
        for seg in segments:
            if is_empty(seg.mt) or is_empty(seg.ref):
                out.append(None)
                continue
            grams = {seg.ref[i : i + 3] for i in range(len(seg.ref) - 2)}
            out.append(sum(g in seg.mt for g in grams) / max(1, len(grams)))
        return out

    def segment_score(self, stats: float) -> float:
        return stats

    def aggregate(self, stats_list: Sequence[float]) -> float | None:
        return sum(stats_list) / len(stats_list) if stats_list else None

    def signature(self) -> str:
        return "overlap-comet-stand-in"


@pytest.fixture
def comet_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[int, str]]:
    monkeypatch.setitem(base._REGISTRY, "comet", f"{__name__}:OverlapComet")
    out = {}
    for name, delivery in (("good", RENDERING), ("bad", degraded(tmp_path))):
        config = tmp_path / f"{name}.toml"
        config.write_text(
            f"""
metrics = ["chrf", "comet"]
[[pairs]]
name = "mt"
source = "{SOURCE}"
reference = "{RENDERING}"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor = "{delivery}"
[gates]
min_comet = 0.8
""",
            encoding="utf-8",
        )
        args = ["run", str(config), "--out", str(tmp_path / name), "--no-cache"]
        result = CliRunner().invoke(cli, args)
        out[name] = (result.exit_code, result.output)
    return out


def test_comet_column_gates_and_compare(comet_runs, tmp_path: Path) -> None:
    assert comet_runs["good"][0] == 0, comet_runs["good"][1]
    code, output = comet_runs["bad"]
    assert code == 1
    assert "mt-eval: gate failed: vendor: min_comet = 0.8, got 0.6" in output
    (good,) = read(tmp_path / "good" / "systems.csv")
    (bad,) = read(tmp_path / "bad" / "systems.csv")
    # The mean is over the source content: the rendering's three drops (title, date,
    # caption) count 0 and its 15 translated links 1.
    assert good["comet"] == f"{15 / 18:.4f}"
    assert float(good["comet_low"]) <= float(good["comet"]) <= float(good["comet_high"])
    assert float(bad["comet_low"]) <= float(bad["comet"]) <= float(bad["comet_high"])
    # Drops keep an empty COMET cell, but count 0 in the mean, as in chrF's counts.
    rows = read(tmp_path / "bad" / "segments.csv")
    drops = sum(r["ref_text"] != "" and r["tgt_text"] == "" for r in rows)
    assert drops >= 1 and all(r["comet"] == "" for r in rows if r["tgt_text"] == "")
    assert int(bad["comet_segments"]) == sum(r["src_ids"] != "" for r in rows)

    result = CliRunner().invoke(
        cli,
        ["compare", str(tmp_path / "good"), str(tmp_path / "bad"), "--out", str(tmp_path / "c")],
    )
    assert result.exit_code == 1
    summary = {r["metric"]: r for r in read(tmp_path / "c" / "summary.csv")}
    comet = summary["comet"]
    assert comet["verdict"] == "worse" and float(comet["p_ar"]) < 0.05
    assert f"mt-eval: regression: vendor: comet {15 / 18:.4g} -> 0.6" in result.output
    changes = read(tmp_path / "c" / "changes.csv")
    english = next(r for r in changes if "untranslated" in r["flags_gained"].split(";"))
    assert english["old_comet"] == "1.0000" and float(english["new_comet"]) < 0.5
