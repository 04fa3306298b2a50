"""Confidence intervals and paired p-values agree with sacrebleu's own, number for number.

sacrebleu 2.6.0 takes its seed from ``SACREBLEU_SEED`` (default 12345); mt-eval takes
the run's ``seed``. With the same seed, the same number of resamples and the same
segments, the numbers must be identical, not just close.
"""

import csv
import json
import random
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sacrebleu.metrics import BLEU as SacreBLEU
from sacrebleu.metrics import CHRF as SacreCHRF
from sacrebleu.significance import PairedTest, _bootstrap_resample

from mt_eval.cli import cli
from mt_eval.metrics import build_metric
from mt_eval.model import Segment
from mt_eval.regress.resample import bootstrap_ci, paired_ar, paired_bootstrap
from mt_eval.regress.statistic import statistic_for

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"
SACRE = {"bleu": SacreBLEU, "chrf": SacreCHRF}


def references() -> list[str]:
    return RENDERING.read_text(encoding="utf-8").splitlines()


def perturbed(lines: list[str], seed: int, rate: float) -> list[str]:
    """Each line with about ``rate`` of its words dropped or swapped with a neighbour."""
    rng = random.Random(seed)
    out = []
    for line in lines:
        words = line.split()
        kept = [w for w in words if rng.random() > rate / 2] or words[:1]
        for i in range(len(kept) - 1):
            if rng.random() < rate / 2:
                kept[i], kept[i + 1] = kept[i + 1], kept[i]
        out.append(" ".join(kept))
    return out


def rows(name: str, hyps: list[str], refs: list[str]) -> np.ndarray:
    metric = build_metric(name)
    stats = metric.segment_statistics([Segment("", h, r) for h, r in zip(hyps, refs, strict=True)])
    return statistic_for(name, metric).matrix(stats)


@pytest.mark.parametrize("name", ["bleu", "chrf"])
@pytest.mark.parametrize(("seed", "samples"), [(12345, 1000), (7, 1000), (3, 400)])
def test_bootstrap_interval_is_sacrebleus(monkeypatch, name, seed, samples) -> None:
    monkeypatch.setenv("SACREBLEU_SEED", str(seed))
    refs = references()
    hyps = perturbed(refs, seed, 0.3)
    sacre = SACRE[name]().corpus_score(hyps, [refs], n_bootstrap=samples)
    ours = bootstrap_ci(
        statistic_for(name, build_metric(name)), rows(name, hyps, refs), samples, seed
    )
    assert ours.score == sacre.score
    assert ours.mean == pytest.approx(sacre._mean, abs=1e-9)  # numpy vs statistics.mean
    assert (ours.high - ours.low) / 2 == pytest.approx(sacre._ci, abs=1e-12)
    # The bounds themselves: sacrebleu's resample scores, sorted, at N // 40 from each end.
    metric = SACRE[name]()
    stats = metric._extract_corpus_statistics(hyps, [refs])
    _, scores = _bootstrap_resample(stats, metric, samples)
    ordered = sorted(s.score for s in scores)
    assert (ours.low, ours.high) == (ordered[samples // 40], ordered[-samples // 40 - 1])


CASES = [  # (seed, word-noise of the baseline, word-noise of the current system)
    (12345, 0.20, 0.25),
    (12345, 0.30, 0.30),
    (7, 0.10, 0.20),
    (99, 0.25, 0.22),
    (5, 0.05, 0.40),
]


@pytest.mark.parametrize("name", ["bleu", "chrf"])
@pytest.mark.parametrize(("seed", "noise_a", "noise_b"), CASES)
def test_paired_p_values_are_sacrebleus(monkeypatch, name, seed, noise_a, noise_b) -> None:
    monkeypatch.setenv("SACREBLEU_SEED", str(seed))
    refs = references()
    base, cur = perturbed(refs, seed, noise_a), perturbed(refs, seed + 1, noise_b)
    stat = statistic_for(name, build_metric(name))
    a, b = rows(name, base, refs), rows(name, cur, refs)
    for test, ours in (
        ("bs", paired_bootstrap(stat, a, b, 1000, seed)),
        ("ar", paired_ar(stat, a, b, 10000, seed)),
    ):
        _, res = PairedTest(
            [("base", base), ("cur", cur)], {name: SACRE[name]()}, [refs], test_type=test
        )()
        (key,) = [k for k in res if k != "System"]
        assert ours == res[key][1].p_value, (test, ours, res[key][1].p_value)


def test_some_cases_are_not_significant() -> None:
    """The case table covers both outcomes, not only tiny p-values."""
    refs = references()
    stat = statistic_for("bleu", build_metric("bleu"))
    ps = [
        paired_ar(
            stat,
            rows("bleu", perturbed(refs, s, a), refs),
            rows("bleu", perturbed(refs, s + 1, b), refs),
            10000,
            s,
        )
        for s, a, b in CASES
    ]
    assert min(ps) < 0.05 < max(ps)


def test_compare_command_reports_sacrebleus_p_values(tmp_path: Path, monkeypatch) -> None:
    """End to end: two line-aligned runs, compare, and sacrebleu on the same lines."""
    seed = 12345
    monkeypatch.setenv("SACREBLEU_SEED", str(seed))
    refs = references()
    src = tmp_path / "src.en.txt"
    src.write_text("\n".join(f"line {i}" for i in range(len(refs))) + "\n", encoding="utf-8")
    ref = tmp_path / "ref.id.txt"
    ref.write_text("\n".join(refs) + "\n", encoding="utf-8")
    outs, hyps = [], []
    for i, noise in enumerate((0.15, 0.3)):
        hyp = perturbed(refs, 100 + i, noise)
        hyps.append(hyp)
        path = tmp_path / f"hyp{i}.id.txt"
        path.write_text("\n".join(hyp) + "\n", encoding="utf-8")
        out = tmp_path / f"run{i}"
        args = ["run", "--source", str(src), "--source-lang", "en", "--target", str(path)]
        args += ["--target-lang", "id", "--reference", str(ref), "--system", "vendor"]
        args += ["--aligned", "--seed", str(seed), "--out", str(out), "--no-cache"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert json.loads((out / "run.json").read_text())["resampling"]["seed"] == seed
        outs.append(out)
    cmp = tmp_path / "cmp"
    result = CliRunner().invoke(cli, ["compare", str(outs[0]), str(outs[1]), "--out", str(cmp)])
    assert result.exit_code == 1, result.output  # noisier delivery: significantly worse
    with (cmp / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        summary = {r["metric"]: r for r in csv.DictReader(fh)}
    for name, cls in SACRE.items():
        for test, column in (("bs", "p_bootstrap"), ("ar", "p_ar")):
            _, res = PairedTest([("a", hyps[0]), ("b", hyps[1])], {name: cls()}, [refs], test)()
            (key,) = [k for k in res if k != "System"]
            assert summary[name][column] == f"{res[key][1].p_value:.6f}"
        assert summary[name]["verdict"] == "worse"
    with (outs[1] / "systems.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    sacre = SacreBLEU().corpus_score(hyps[1], [refs], n_bootstrap=1000)
    assert row["bleu"] == f"{sacre.score:.2f}"
    half = (float(row["bleu_high"]) - float(row["bleu_low"])) / 2
    assert half == pytest.approx(sacre._ci, abs=0.01)


def test_resampling_in_small_chunks_gives_the_same_numbers(monkeypatch) -> None:
    """Long documents are resampled in chunks (bounded memory): same results as sacrebleu."""
    import mt_eval.regress.resample as resample

    seed = 12345
    monkeypatch.setenv("SACREBLEU_SEED", str(seed))
    monkeypatch.setattr(resample, "CHUNK_CELLS", 37)
    refs = references()
    base, cur = perturbed(refs, 1, 0.2), perturbed(refs, 2, 0.25)
    stat = statistic_for("chrf", build_metric("chrf"))
    a, b = rows("chrf", base, refs), rows("chrf", cur, refs)
    sacre = SacreCHRF().corpus_score(base, [refs], n_bootstrap=1000)
    ours = bootstrap_ci(stat, a, 1000, seed)
    assert (ours.high - ours.low) / 2 == pytest.approx(sacre._ci, abs=1e-12)
    for test, p in (
        ("bs", paired_bootstrap(stat, a, b, 1000, seed)),
        ("ar", paired_ar(stat, a, b, 10000, seed)),
    ):
        _, res = PairedTest([("a", base), ("b", cur)], {"chrf": SacreCHRF()}, [refs], test)()
        assert p == res["chrF2"][1].p_value
