"""The [gates] table, systems.csv and the matching of two runs, piece by piece."""

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mt_eval.cli import cli
from mt_eval.config import load_config
from mt_eval.errors import ConfigError
from mt_eval.model import Flag, Link, LinkResult
from mt_eval.regress.compare import LinkRecord, match_units
from mt_eval.regress.gates import Gates, check
from mt_eval.regress.statistic import CorpusStatistic
from mt_eval.regress.systems import summarize
from mt_eval.report import SYSTEM_COLUMNS, render

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def job(tmp_path: Path, gates: str) -> Path:
    path = tmp_path / "job.toml"
    path.write_text(
        f"""
metrics = ["bleu", "chrf"]
[[pairs]]
name = "reuters"
source = "{SEEDS / "reuters-2022-12-12.en.txt"}"
source_lang = "en"
target_lang = "en"
[pairs.systems]
spun = "{SEEDS / "reuters-2022-12-12.spun.en.txt"}"
{gates}
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[gates]\nmax_droped = 0", "[gates]: unknown key 'max_droped'"),
        ("[gates]\nmax_dropped = -1", "max_dropped must be a non-negative integer"),
        ("[gates]\nmin_chrf = 'high'", "min_chrf must be a number"),
        ("[gates]\nmin_bleu = true", "min_bleu must be a number"),
    ],
)
def test_bad_gates_are_config_errors_naming_file_and_key(tmp_path, table, message) -> None:
    path = job(tmp_path, table)
    with pytest.raises(ConfigError, match="job.toml") as exc:
        load_config(path)
    assert message in str(exc.value)
    result = CliRunner().invoke(cli, ["run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()


def test_gate_on_a_metric_not_computed_fails_as_not_computed(tmp_path) -> None:
    """comet is not in this run's metrics: min_comet cannot pass silently."""
    out = tmp_path / "out"
    path = job(tmp_path, "[gates]\nmin_comet = 0.5\nmin_chrf = 10.0\nmax_added = 5")
    result = CliRunner().invoke(cli, ["run", str(path), "--out", str(out), "--no-cache"])
    assert result.exit_code == 1
    failed = [ln for ln in result.output.splitlines() if "gate failed" in ln]
    assert failed == ["mt-eval: gate failed: spun: min_comet = 0.5, got not computed"]
    with (out / "systems.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert list(row) == list(SYSTEM_COLUMNS)
    assert row["comet"] == row["comet_low"] == row["comet_segments"] == ""
    assert row["similarity"] == ""  # not in this run's metrics either
    assert int(row["chrf_segments"]) <= int(row["links"])


def link(system: str, bleu: tuple[int, ...] | None, sim: float | None, flags=()) -> LinkResult:
    return LinkResult(
        "p", system, Link((0,), (0,)), "s", "t", "r", {"similarity": sim}, flags, {"bleu": bleu}
    )


def test_gates_check_counts_and_means_per_system() -> None:
    links = [
        link("a", None, 0.9, (Flag("dropped", "x"),)),
        link("a", None, 0.7),
        link("b", None, None, (Flag("added", "y"), Flag("duplicate", "z"))),
    ]
    systems = summarize(links, {"similarity": CorpusStatistic("similarity")}, seed=0)
    assert systems[0].score("similarity") == pytest.approx(0.8)
    results = check(Gates(max_dropped=0, max_flagged=1, min_similarity=0.75), systems)
    table = [(r.system, r.gate, r.value, r.passed) for r in results]
    assert table == [
        ("a", "max_dropped", 1, False),
        ("a", "max_flagged", 1, True),
        ("a", "min_similarity", pytest.approx(0.8), True),
        ("b", "max_dropped", 0, True),
        ("b", "max_flagged", 1, True),
        ("b", "min_similarity", None, False),
    ]


def test_render_writes_systems_and_stats_only_when_given() -> None:
    links = [link("a", None, 0.5)]
    systems = summarize(links, {"similarity": CorpusStatistic("similarity")}, seed=0)
    files = render(links, [], [], {}, systems, {"similarity": "mean"})
    rows = list(csv.DictReader(io.StringIO(files["systems.csv"].decode("utf-8-sig"))))
    assert rows[0]["similarity"] == rows[0]["similarity_low"] == "0.5000"
    assert files["stats.jsonl"].decode().splitlines()[1].endswith('"stats": {"similarity": 0.5}}')
    assert "systems.csv" not in render(links, [], [], {})


def record(src: tuple[int, ...], tgt: str) -> LinkRecord:
    return LinkRecord("p", "s", src, tgt, " ".join(f"S{i}" for i in src), tgt, "", (), {})


def test_merge_in_one_run_and_two_links_in_the_other_form_one_unit() -> None:
    old = [record((0,), "1"), record((1,), "2"), record((2,), "3"), record((), "4")]
    new = [record((0,), "1"), record((1, 2), "2")]
    units = match_units(old, new)
    assert [(u.src, len(u.old), len(u.new)) for u in units] == [
        ((0,), 1, 1),
        ((1, 2), 2, 1),
        ((), 1, 0),  # an addition of the baseline: matched with nothing
    ]


def beads(sizes: list[int]) -> list[tuple[int, ...]]:
    out, start = [], 0
    for size in sizes:
        out.append(tuple(range(start, start + size)))
        start += size
    return out


@given(st.lists(st.integers(1, 3), min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_units_partition_both_runs(sizes, rnd) -> None:
    """Whatever the two segmentations of one source, every link lands in exactly one unit."""
    n = sum(sizes)
    other, cut = [], 0
    while cut < n:
        step = rnd.randint(1, 3)
        other.append(tuple(range(cut, min(n, cut + step))))
        cut += step
    old = [record(s, str(i)) for i, s in enumerate(beads(sizes))]
    new = [record(s, str(i)) for i, s in enumerate(other)]
    units = match_units(old, new)
    assert sorted(lk.src for u in units for lk in u.old) == sorted(lk.src for lk in old)
    assert sorted(lk.src for u in units for lk in u.new) == sorted(lk.src for lk in new)
    for u in units:
        assert (
            set(u.src) == {i for lk in u.old for i in lk.src} == {i for lk in u.new for i in lk.src}
        )


@given(
    st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=30),
    st.lists(st.floats(-0.2, 0.2, allow_nan=False), min_size=30, max_size=30),
    st.integers(0, 2**31),
)
def test_paired_tests_on_means_are_symmetric_and_bounded(base, shifts, seed) -> None:
    from mt_eval.regress.resample import bootstrap_ci, paired_ar, paired_bootstrap

    stat = CorpusStatistic("similarity")
    a = stat.matrix(base)
    b = stat.matrix([x + d for x, d in zip(base, shifts, strict=False)])
    p_ab, p_ba = paired_ar(stat, a, b, 200, seed), paired_ar(stat, b, a, 200, seed)
    assert p_ab == p_ba and 0 < p_ab <= 1
    assert 0 < paired_bootstrap(stat, a, b, 200, seed) <= 1
    assert paired_ar(stat, a, a, 200, seed) == paired_bootstrap(stat, a, a, 200, seed) == 1.0
    interval = bootstrap_ci(stat, a, 200, seed)
    assert min(base) - 1e-12 <= interval.low <= interval.high <= max(base) + 1e-12
    assert interval.score == pytest.approx(sum(base) / len(base))


def test_bad_min_effect_is_a_usage_error(tmp_path) -> None:
    result = CliRunner().invoke(
        cli, ["compare", str(tmp_path), str(tmp_path), "--min-effect", "blue=1"]
    )
    assert result.exit_code == 2 and "--min-effect" in result.output
