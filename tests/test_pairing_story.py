"""Document pairing by content: which translation renders which source.

The seeds are the story. The sources are the three English articles (Moscow
Times, Reuters, and the 38 North post quoting Interfax). Against the Indonesian
rendering, the rendering pairs with Moscow Times; against the spun Reuters
rewrite, the rewrite pairs with Reuters. The 38 North post is a related article,
not a translation, and stays unpaired in both runs.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.cli import cli
from mt_eval.pairing import MIN_COVERAGE, Evidence, _decide, link_margins

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCES = (
    "moscow-times-2022-11-02.en.txt",
    "reuters-2022-12-12.en.txt",
    "dprk-russia-rail-2022-06-27.en.txt",
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three English sources; one folder with the rendering, one with the rewrite.

    The targets get names that say nothing, so only their texts can pair them.
    """
    base = tmp_path_factory.mktemp("pairing")
    for sub in ("en", "id", "spun"):
        (base / sub).mkdir()
    for name in SOURCES:
        shutil.copy(SEEDS / name, base / "en" / name)
    shutil.copy(SEEDS / "moscow-times-2022-11-02.id.txt", base / "id" / "delivery-a.txt")
    shutil.copy(SEEDS / "reuters-2022-12-12.spun.en.txt", base / "spun" / "delivery-b.txt")
    return base


def pair_run(base: Path, target: str, lang: str, out: Path):
    args = ["-q", "run", "--source-dir", base / "en", "--target-dir", base / target]
    args += ["--source-lang", "en", "--target-lang", lang, "--pair-by", "content"]
    args += ["--no-comet", "--no-cache", "--out", out]
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    ("target", "lang", "paired_with", "delivery"),
    [
        ("id", "id", "moscow-times-2022-11-02", "delivery-a"),
        ("spun", "en", "reuters-2022-12-12", "delivery-b"),
    ],
)
def test_seed_translation_pairs_with_its_source_and_38_north_stays_unpaired(
    folders: Path, tmp_path: Path, target: str, lang: str, paired_with: str, delivery: str
) -> None:
    result = pair_run(folders, target, lang, tmp_path / "out")
    assert result.exit_code == 0, result.output
    decisions = rows(tmp_path / "out" / "pairing.csv")
    paired = [d for d in decisions if d["decision"] == "paired"]
    assert [(d["source"], d["target"]) for d in paired] == [(paired_with, delivery)]
    assert float(paired[0]["target_coverage"]) > 0.9
    unpaired = {d["source"]: d for d in decisions if d["decision"] == "unpaired source"}
    assert "dprk-russia-rail-2022-06-27" in unpaired
    assert float(unpaired["dprk-russia-rail-2022-06-27"]["target_coverage"]) < MIN_COVERAGE
    assert unpaired["dprk-russia-rail-2022-06-27"]["note"].startswith("renders nothing")
    assert len(decisions) == 3  # each source once; the one target is paired
    # Only the match is evaluated: one pair, named after its source.
    documents = rows(tmp_path / "out" / "documents.csv")
    assert [d["pair"] for d in documents] == [paired_with]


def test_pair_by_content_is_for_folder_mode_only(tmp_path: Path) -> None:
    args = ["run", "--source", SEEDS / SOURCES[0], "--source-lang", "en"]
    args += ["--target", SEEDS / "moscow-times-2022-11-02.id.txt", "--target-lang", "id"]
    args += ["--pair-by", "content", "--out", tmp_path / "out"]
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == 2
    assert "--pair-by is for folder mode" in result.output
    assert not (tmp_path / "out").exists()


def ev(source: str, target: str, coverage: float) -> Evidence:
    return Evidence(source, target, 0.5, coverage, coverage, 4)


def test_matches_are_one_to_one_and_the_better_rendering_wins() -> None:
    # Two targets render source a; b is rendered by nobody; t3 renders nothing.
    found = [ev("a", "t1", 0.7), ev("a", "t2", 0.95), ev("b", "t1", 0.2), ev("b", "t3", 0.1)]
    pairing = _decide(["a", "b"], ["t1", "t2", "t3"], found)
    assert pairing.matches == (("a", "t2"),)
    by_key = {(d.decision, d.source or d.target): d for d in pairing.decisions}
    assert by_key[("unpaired target", "a")].target == "t1"
    assert "which pairs with 't2' (95 %)" in by_key[("unpaired target", "a")].note
    assert by_key[("unpaired source", "b")].note.startswith("renders nothing: at best 20 %")
    assert [d.decision for d in pairing.decisions] == [
        "paired",
        "unpaired source",
        "unpaired target",
        "unpaired target",
    ]


def test_a_target_that_is_nobodys_candidate_is_listed_without_evidence() -> None:
    pairing = _decide(["a"], ["t1", "t2"], [ev("a", "t1", 1.0)])
    last = pairing.decisions[-1]
    assert (last.decision, last.target, last.evidence) == ("unpaired target", "t2", None)
    assert last.row()["target_coverage"] == ""


def test_link_margins_stand_out_only_for_true_links() -> None:
    import numpy as np

    rng = np.random.default_rng(0)
    src = rng.normal(size=(10, 64))
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    noise = rng.normal(size=(10, 64)) * 0.05
    tgt = src + noise
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    true_margins = link_margins(src, tgt, src[:0], sample=50, seed=0)
    shuffled = link_margins(src, tgt[::-1], src[:0], sample=50, seed=0)
    assert min(true_margins) > 4
    assert max(shuffled) < 3
