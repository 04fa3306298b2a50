"""A vendor delivery that drops a paragraph, leaves one in English and changes a price.

Without a reference, only the cross-lingual similarity scores it. A mean over the
links the metric scored would reward the faults (the drop has no score; copied
English is close to its source), so aggregates are taken over the source content:
this delivery must score lower than the clean one on every aggregate.
``compare`` of the clean run against it exits 1 and names the new critical flag,
and a ``max_critical = 0`` gate fails it and names the document.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.cli import cli

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"


def faulty(folder: Path) -> Path:
    lines = RENDERING.read_text(encoding="utf-8").splitlines()
    english = [ln for ln in SOURCE.read_text(encoding="utf-8").splitlines() if "Daily NK" in ln]
    lines[2] = lines[2].replace("$584,302", "$854,302")  # a wrong price: critical
    lines[9] = english[0]  # left in English
    del lines[5]  # a paragraph dropped
    path = folder / "vendor-b.id.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config(folder: Path, name: str, systems: dict[str, Path], gates: str) -> Path:
    entries = "\n".join(f'{system} = "{path}"' for system, path in systems.items())
    path = folder / f"{name}.toml"
    path.write_text(
        f"""
seed = 7
metrics = ["bleu", "chrf", "similarity"]
[[pairs]]
name = "moscow-times"
source = "{SOURCE}"
source_lang = "en"
target_lang = "id"
[pairs.systems]
{entries}
{gates}
""",
        encoding="utf-8",
    )
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("vendor")
    bad = faulty(folder)
    gates = "[gates]\nmax_critical = 0\n[gates.per_document]\nmax_flags = { untranslated = 0 }\n"
    both = config(folder, "both", {"vendor-a": RENDERING, "vendor-b": bad}, gates)
    clean = config(folder, "clean", {"vendor": RENDERING}, "")
    current = config(folder, "current", {"vendor": bad}, "")
    out = {}
    for name, path in (("both", both), ("clean", clean), ("current", current)):
        result = invoke("run", path, "--out", folder / name, "--no-cache")
        out[name] = (result.exit_code, result.output, folder / name)
    return out


def test_the_faulty_delivery_scores_lower_on_every_aggregate(story: dict) -> None:
    _, _, folder = story["both"]
    systems = {r["system"]: r for r in read(folder / "systems.csv")}
    documents = {r["system"]: r for r in read(folder / "documents.csv")}
    a, b = systems["vendor-a"], systems["vendor-b"]
    computed = [m for m in ("bleu", "chrf", "comet", "similarity") if a[m]]
    assert computed == ["similarity"]  # no reference: only the embedding scores it
    for metric in computed:
        assert float(b[metric]) < float(a[metric])
        assert float(documents["vendor-b"][metric]) < float(documents["vendor-a"][metric])
    # The drop counts: the system score is over every link with source text.
    links = read(folder / "segments.csv")
    b_content = [r for r in links if r["system"] == "vendor-b" and r["src_ids"]]
    assert int(b["similarity_segments"]) == len(b_content)


def test_a_critical_gate_fails_the_faulty_delivery_and_names_the_document(story: dict) -> None:
    code, output, folder = story["both"]
    assert code == 1
    assert "vendor-b: max_critical = 0, got 1 (in moscow-times)" in output
    assert "vendor-b: per_document.max_flags.untranslated = 0, got 1 (in moscow-times)" in output
    assert "vendor-a:" not in output.split("gate failed")[-1]
    gates = json.loads((folder / "run.json").read_text(encoding="utf-8"))["gates"]
    failed = {(g["system"], g["gate"]) for g in gates if not g["passed"]}
    assert failed == {
        ("vendor-b", "max_critical"),
        ("vendor-b", "per_document.max_flags.untranslated"),
    }


def test_compare_exits_1_and_names_the_new_critical_flag(story: dict, tmp_path: Path) -> None:
    _, _, clean = story["clean"]
    _, _, current = story["current"]
    result = invoke("compare", clean, current, "--out", tmp_path / "cmp")
    assert result.exit_code == 1, result.output
    critical = [ln for ln in result.output.splitlines() if "regression: vendor: critical" in ln]
    assert len(critical) == 1
    assert "critical 0 -> 1" in critical[0]
    assert "number_mismatch" in critical[0]
    # With critical and major taken out of --fail-on, only the drop still fails it.
    result = invoke("compare", clean, current, "--out", tmp_path / "cmp2", "--fail-on", "dropped")
    assert result.exit_code == 1
    assert "regression: vendor: critical" not in result.output
    assert "regression: vendor: dropped" in result.output
