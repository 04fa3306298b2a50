"""TER and metric variants: sacrebleu's own numbers, columns named after the variant,
and an error rate read the right way round by gates and ``compare``.

The story: a benchmark run of the Moscow Times rendering (as the reference) against a
good and a degraded delivery, scored with BLEU, chrF++ and TER.
"""

import csv
import json
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner

from mt_eval.cli import cli
from mt_eval.metrics import build_metric
from mt_eval.metrics.base import higher_is_better
from mt_eval.model import Segment
from mt_eval.regress.gates import Gates

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"

CASES = [
    ("the cat sat on mat", "the cat sat on the mat"),
    ("", "hello there"),  # a drop: as many edits as the reference has words
    ("Hello, World!", "hello world"),
    ("a b c d", "d c b a"),
    ("Russia blamed Ukraine", "Russia blamed Ukraine"),
]


@pytest.mark.parametrize("options", [{}, {"case_sensitive": True}, {"no_punct": True}])
def test_ter_equals_sacrebleu_per_segment_and_corpus(options) -> None:
    metric = build_metric("ter", against="reference", **options)
    result = metric.score([Segment("src", h, r) for h, r in CASES])
    sacre = sacrebleu.metrics.TER(**options)
    for got, (hyp, ref) in zip(result.segment_scores, CASES, strict=True):
        assert got == pytest.approx(sacre.sentence_score(hyp, [ref]).score)
    hyps, refs = [h for h, _ in CASES], [r for _, r in CASES]
    assert result.corpus_score == pytest.approx(sacre.corpus_score(hyps, [refs]).score)
    assert result.signature.startswith("nrefs:1|case:")


def test_ter_is_an_error_rate_everywhere() -> None:
    assert not higher_is_better("ter")
    assert higher_is_better("bleu") and higher_is_better("a-metric-of-a-later-version")
    assert Gates(max_ter=40.5).active() == {"max_ter": 40.5}
    with pytest.raises(Exception, match="max_dropped must be a non-negative integer"):
        Gates(max_dropped=1.5)


def degraded(folder: Path) -> Path:
    lines = RENDERING.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("138 kuda", "183 kuda")
    del lines[10:]  # the last paragraphs dropped
    path = folder / "degraded.id.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def config(folder: Path, name: str, target: Path, gates: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f"""
metrics = ["bleu", "chrf", "ter"]
[chrf]
word_order = 2
[[pairs]]
name = "moscow-times"
source = "{SOURCE}"
reference = "{RENDERING}"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor = "{target}"
{gates}
""",
        encoding="utf-8",
    )
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ter")
    out = {}
    for name, target in (("good", RENDERING), ("bad", degraded(folder))):
        cfg = config(folder, name, target, "[gates]\nmax_ter = 10")
        result = CliRunner().invoke(cli, ["run", str(cfg), "--out", str(folder / name)])
        out[name] = (result.exit_code, result.output, folder / name)
    return out


def test_columns_are_named_after_the_variant(runs) -> None:
    folder = runs["good"][2]
    assert json.loads((folder / "run.json").read_text())["columns"]["chrf"] == "chrf++"
    doc = read(folder / "documents.csv")[0]
    assert "chrf++" in doc and "chrf" not in doc
    assert float(doc["chrf++"]) == pytest.approx(100.0)
    system = read(folder / "systems.csv")[0]
    assert {"chrf++_low", "chrf++_high", "ter_low", "ter_high"} <= set(system)


def test_max_ter_gate_fails_only_the_degraded_delivery(runs) -> None:
    assert runs["good"][0] == 0, runs["good"][1]
    code, output = runs["bad"][0], runs["bad"][1]
    assert code == 1 and "vendor: max_ter = 10, got" in output
    good = float(read(runs["good"][2] / "systems.csv")[0]["ter"])
    bad = float(read(runs["bad"][2] / "systems.csv")[0]["ter"])
    assert good == 0.0 and bad > 10


def test_compare_reads_a_rising_ter_as_worse(runs, tmp_path) -> None:
    good, bad = runs["good"][2], runs["bad"][2]
    result = CliRunner().invoke(cli, ["compare", str(good), str(bad), "--out", str(tmp_path / "a")])
    assert result.exit_code == 1, result.output
    summary = {r["metric"]: r for r in read(tmp_path / "a" / "summary.csv")}
    assert summary["ter"]["verdict"] == "worse" and float(summary["ter"]["delta"]) > 0
    assert summary["chrf++"]["verdict"] == "worse"
    assert "mt-eval: regression: vendor: ter" in result.output
    changes = read(tmp_path / "a" / "changes.csv")
    assert {"old_chrf++", "new_ter"} <= set(changes[0])
    number = next(r for r in changes if "183 kuda" in r["new_text"])
    assert float(number["new_ter"]) > float(number["old_ter"]) and float(number["damage"]) > 0
    back = CliRunner().invoke(cli, ["compare", str(bad), str(good), "--out", str(tmp_path / "b")])
    summary = {r["metric"]: r for r in read(tmp_path / "b" / "summary.csv")}
    assert summary["ter"]["verdict"] == "better" and summary["ter"]["fails"] == "no"
    assert "vendor: ter" not in back.output  # a falling error rate is no regression
