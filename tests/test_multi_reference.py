"""Several references: a benchmark run scored as sacrebleu scores a multi-reference test set.

BLEU, chrF and TER count every reference (sacrebleu's own multi-reference scores,
segment by segment and per document); COMET takes the first; each reference is
aligned to the source on its own; ``segments.csv`` shows the other references.
"""

import csv
import json
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner

from mt_eval.cli import cli
from mt_eval.config import load_config
from mt_eval.errors import ConfigError

SOURCE = [
    "The cat sat on the mat.",
    "Russia blamed Ukraine for the attack.",
    "Prices rose by 5 percent in May.",
    "The meeting ended without an agreement.",
]
SYSTEM = [
    "Kucing duduk di atas tikar.",
    "Rusia menyalahkan Ukraina atas serangan itu.",
    "Harga naik 5 persen pada bulan Mei.",
    "Pertemuan berakhir tanpa kesepakatan.",
]
REF_1 = [
    "Kucing itu duduk di atas tikar.",
    "Rusia menuduh Ukraina atas serangan tersebut.",
    "Harga-harga naik sebesar 5 persen pada Mei.",
    "Rapat itu selesai tanpa kesepakatan.",
]
REF_2 = [
    "Seekor kucing duduk di tikar.",
    "Rusia menyalahkan Ukraina atas serangan itu.",
    "Pada bulan Mei harga naik 5 persen.",
    "",  # the second reference leaves the last line out
]


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("multiref")
    src, hyp = write(folder / "src.en", SOURCE), write(folder / "hyp.id", SYSTEM)
    r1, r2 = write(folder / "r1.id", REF_1), write(folder / "r2.id", REF_2)
    out = folder / "out"
    args = ["run", "--aligned", "--source", str(src), "--target", str(hyp)]
    args += ["--source-lang", "en", "--target-lang", "id", "--no-comet"]
    args += ["--reference", str(r1), "--reference", str(r2), "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return out


def test_scores_equal_sacrebleu_against_both_references(run) -> None:
    refs = [REF_1, [r or None for r in REF_2]]  # sacrebleu leaves a None reference out
    doc = read(run / "documents.csv")[0]
    assert float(doc["bleu"]) == pytest.approx(sacrebleu.corpus_bleu(SYSTEM, refs).score, abs=0.01)
    assert float(doc["chrf"]) == pytest.approx(sacrebleu.corpus_chrf(SYSTEM, refs).score, abs=0.01)
    rows = read(run / "segments.csv")
    for row, hyp, r1, r2 in zip(rows, SYSTEM, REF_1, REF_2, strict=True):
        wanted = sacrebleu.sentence_bleu(hyp, [r for r in (r1, r2) if r]).score
        assert float(row["bleu"]) == pytest.approx(wanted, abs=0.01)
        assert (row["ref_text"], row["other_refs"]) == (r1, r2)
    # the first line is a better match for the second reference than for the first
    alone = sacrebleu.sentence_bleu(SYSTEM[1], [REF_1[1]]).score
    assert float(rows[1]["bleu"]) == 100.0 > alone


def test_signature_and_config_name_both_references(run) -> None:
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    # the last line has one reference, the others two: sacrebleu says "var"
    assert meta["signatures"]["bleu"].startswith("nrefs:var|")
    assert [Path(p).name for p in meta["config"]["pairs"][0]["reference"]] == ["r1.id", "r2.id"]


def test_ter_counts_the_closest_reference() -> None:
    from mt_eval.metrics import build_metric
    from mt_eval.model import Segment

    texts = zip(SOURCE, SYSTEM, REF_1, REF_2, strict=True)
    segments = [Segment(s, h, a, (b,)) for s, h, a, b in texts]
    result = build_metric("ter").score(segments, "en", "id")
    refs = [REF_1, [r or None for r in REF_2]]
    assert result.corpus_score == pytest.approx(sacrebleu.corpus_ter(SYSTEM, refs).score)
    assert result.segment_scores[1] == 0.0  # the second reference is word for word


def test_a_config_lists_references_and_refuses_an_empty_list(tmp_path) -> None:
    for name, lines in (("src.en", SOURCE), ("hyp.id", SYSTEM), ("r1", REF_1), ("r2", REF_2)):
        write(tmp_path / name, lines)
    body = """
[[pairs]]
name = "p"
source = "src.en"
source_lang = "en"
target_lang = "id"
reference = {refs}
[pairs.systems]
hyp = "hyp.id"
"""
    cfg = tmp_path / "c.toml"
    cfg.write_text(body.format(refs='["r1", "r2"]'), encoding="utf-8")
    assert load_config(cfg).pairs[0].reference == (tmp_path / "r1", tmp_path / "r2")
    cfg.write_text(body.format(refs='"r1"'), encoding="utf-8")
    assert load_config(cfg).pairs[0].reference == (tmp_path / "r1",)
    cfg.write_text(body.format(refs="[]"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"pairs\[0\]\.reference: give a path or a list"):
        load_config(cfg)


def corpus_with_two_references(folder: Path) -> dict[str, Path]:
    dirs = {name: folder / name for name in ("en", "id", "ref1", "ref2")}
    for name, lines in (("en", SOURCE), ("id", SYSTEM), ("ref1", REF_1), ("ref2", REF_2)):
        dirs[name].mkdir()
        write(dirs[name] / f"news.{'en' if name == 'en' else 'id'}.txt", lines)
    return dirs


def test_folder_mode_takes_one_reference_from_each_reference_folder(tmp_path) -> None:
    dirs = corpus_with_two_references(tmp_path)
    out = tmp_path / "out"
    args = ["run", "--aligned", "--source-dir", str(dirs["en"]), "--target-dir", str(dirs["id"])]
    args += ["--reference-dir", str(dirs["ref1"]), "--reference-dir", str(dirs["ref2"])]
    args += ["--source-lang", "en", "--target-lang", "id", "--no-comet", "--no-cache"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    refs = [REF_1, [r or None for r in REF_2]]
    doc = read(out / "documents.csv")[0]
    assert float(doc["bleu"]) == pytest.approx(sacrebleu.corpus_bleu(SYSTEM, refs).score, abs=0.01)
    assert [r["other_refs"] for r in read(out / "segments.csv")] == REF_2


def test_a_manifest_joins_several_references_with_a_bar(tmp_path) -> None:
    dirs = corpus_with_two_references(tmp_path)
    manifest = tmp_path / "jobs.csv"
    manifest.write_text(
        "pair,source,source_lang,system,target,target_lang,reference\n"
        "news,en/news.en.txt,en,mt,id/news.id.txt,id,ref1/news.id.txt | ref2/news.id.txt\n",
        encoding="utf-8",
    )
    from mt_eval.batch import read_manifest

    (pair,) = read_manifest(manifest)
    assert pair.reference == (dirs["ref1"] / "news.id.txt", dirs["ref2"] / "news.id.txt")
