"""Careful-user fuzz cases: each bad input or accident gives one stderr line and an exit code.

Every case here once lost data, returned a wrong result with exit 0, or printed a
traceback. The CLI runs in-process (click's runner, stderr kept apart) except for
the signal cases, which need a real process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval import outdir
from mt_eval.cli import cli
from mt_eval.regress.compare import load_results
from mt_eval.report import safe_text, unsafe_text

SRC = "The horses left on Monday. They arrived on Friday.\n"
TGT = "Kuda-kuda berangkat pada hari Senin. Mereka tiba pada hari Jumat.\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def one_line_error(result, code: int) -> str:
    """The single stderr line of a failed run, after checking its exit code."""
    assert result.exit_code == code, (result.exit_code, result.stderr, result.exception)
    lines = [line for line in result.stderr.splitlines() if line.startswith("mt-eval: error")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def pair(folder: Path, src: str = SRC, tgt: str = TGT) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "s.txt").write_text(src, encoding="utf-8")
    (folder / "t.txt").write_text(tgt, encoding="utf-8")
    return folder / "s.txt", folder / "t.txt"


def quick(src: Path, tgt: Path, out: Path, *extra: str):
    args = ["run", "--source", src, "--source-lang", "en", "--target", tgt]
    return invoke(*args, "--target-lang", "id", "--no-comet", "--out", out, *extra)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One finished run, copied by the tests that damage it."""
    base = tmp_path_factory.mktemp("fuzz")
    src, tgt = pair(base / "in")
    result = quick(src, tgt, base / "run", "--system", "vendor\u2028a\u0085b")
    assert result.exit_code == 0, result.stderr
    return base / "run"


def copy_of(run_dir: Path, tmp_path: Path, name: str = "copy") -> Path:
    return Path(shutil.copytree(run_dir, tmp_path / name))


# 1. --force deletes only what mt-eval wrote


def test_force_on_the_folder_holding_the_inputs_keeps_them(tmp_path: Path) -> None:
    src, tgt = pair(tmp_path / "work")
    line = one_line_error(quick(src, tgt, tmp_path / "work", "--force"), 2)
    assert "input" in line or "did not write" in line
    assert src.read_text() == SRC and tgt.read_text() == TGT


def test_force_on_a_folder_mt_eval_did_not_write_is_refused(tmp_path: Path) -> None:
    src, tgt = pair(tmp_path / "in")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"years of work")
    line = one_line_error(quick(src, tgt, mine, "--force"), 2)
    assert "did not write" in line
    assert (mine / "thesis.docx").read_bytes() == b"years of work"


@pytest.mark.parametrize("out", [".", ""])
def test_out_dot_or_empty_is_refused_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    src, tgt = pair(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    one_line_error(quick(src, tgt, out, "--force"), 2)  # type: ignore[arg-type]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_compare_never_replaces_its_baseline(run_dir: Path, tmp_path: Path) -> None:
    base = copy_of(run_dir, tmp_path, "base")
    before = {p.name: p.read_bytes() for p in base.iterdir()}
    one_line_error(invoke("compare", base, run_dir, "--out", base, "--force"), 2)
    assert {p.name: p.read_bytes() for p in base.iterdir()} == before


def test_force_replaces_a_results_folder(run_dir: Path, tmp_path: Path) -> None:
    src, tgt = pair(tmp_path / "in")
    out = copy_of(run_dir, tmp_path, "out")
    result = quick(src, tgt, out, "--force")
    assert result.exit_code == 0, result.stderr
    assert "vendor" not in (out / "segments.csv").read_text(encoding="utf-8-sig")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_failed_rename_puts_the_old_results_back(
    run_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src, tgt = pair(tmp_path / "in")
    out = copy_of(run_dir, tmp_path, "out")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_rename = Path.rename

    def failing_rename(self: Path, target):  # the second rename: new folder into place
        if ".tmp-" in self.name:
            raise OSError(5, "Input/output error")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", failing_rename)
    line = one_line_error(quick(src, tgt, out, "--force"), 2)
    assert "nothing was replaced" in line
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"], "no hidden folders"


def test_leftovers_of_a_killed_writer_are_cleaned_and_lost_results_restored(
    run_dir: Path, tmp_path: Path
) -> None:
    dead = 2**22 + 7  # above the default pid_max: never a live process
    shutil.copytree(run_dir, tmp_path / f".out.old-{dead}")
    (tmp_path / f".out.tmp-{dead}-abc").mkdir()
    outdir.clean_leftovers(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    assert (tmp_path / "out" / "run.json").is_file()


# 4. interrupts: 130 and 143, one line, nothing partial


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupt_exit_code_and_no_partial_output(tmp_path: Path, sig: int, code: int) -> None:
    src, tgt = pair(tmp_path / "in", SRC * 40, TGT * 40)
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "mt_eval", "run", "--source", str(src), "--source-lang", "en"]
    cmd += ["--target", str(tgt), "--target-lang", "id", "--no-comet", "--no-cache"]
    proc = subprocess.Popen(
        [*cmd, "--out", str(out)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the run is under way
        if "aligning" in line or time.monotonic() > deadline:
            break
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=60)
    assert proc.returncode == code, rest
    assert "no partial results" in rest and "Traceback" not in rest
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


# 6. compare on damaged or mismatched folders


def _damage_stats_header(run: Path) -> None:
    lines = (run / "stats.jsonl").read_text(encoding="utf-8").split("\n")
    lines[0] = json.dumps({"format": "mt-eval-stats/1"})
    (run / "stats.jsonl").write_text("\n".join(lines), encoding="utf-8")


def _damage_utf8(run: Path) -> None:
    (run / "segments.csv").write_bytes((run / "segments.csv").read_bytes() + b"\xff\xfe\n")


def _damage_column(run: Path) -> None:
    text = (run / "segments.csv").read_text(encoding="utf-8-sig")
    (run / "segments.csv").write_text(text.replace("src_ids", "source_ids", 1), encoding="utf-8")


def _damage_meta(run: Path) -> None:
    (run / "run.json").write_text("[1, 2]", encoding="utf-8")


def _damage_cells(run: Path) -> None:
    with (run / "segments.csv").open("a", encoding="utf-8") as f:
        f.write("only,three,cells\n")


def _damage_stats_json(run: Path) -> None:
    with (run / "stats.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"pair": \n')


@pytest.mark.parametrize(
    ("damage", "needle"),
    [
        (_damage_stats_header, "stats.jsonl"),
        (_damage_utf8, "segments.csv"),
        (_damage_column, "src_ids"),
        (_damage_meta, "run.json"),
        (_damage_cells, "segments.csv"),
        (_damage_stats_json, "stats.jsonl"),
    ],
)
def test_compare_names_the_damaged_file(run_dir: Path, tmp_path: Path, damage, needle) -> None:
    bad = copy_of(run_dir, tmp_path, "bad")
    damage(bad)
    line = one_line_error(invoke("compare", run_dir, bad, "--out", tmp_path / "c"), 2)
    assert needle in line
    assert not (tmp_path / "c").exists()


def test_compare_runs_with_nothing_in_common_exit_2(run_dir: Path, tmp_path: Path) -> None:
    src, tgt = pair(tmp_path / "in")
    other = tmp_path / "other"
    assert quick(src, tgt, other, "--system", "someone-else").exit_code == 0
    line = one_line_error(invoke("compare", run_dir, other, "--out", tmp_path / "c"), 2)
    assert "common" in line


def test_compare_with_a_longer_source_exits_2_not_regression(run_dir: Path, tmp_path: Path) -> None:
    more = "A third sentence was appended later. It changes the source.\n"
    src, tgt = pair(tmp_path / "in", SRC + more, TGT)
    longer = tmp_path / "longer"
    result = quick(src, tgt, longer, "--system", "vendor\u2028a\u0085b")
    assert result.exit_code == 0, result.stderr
    line = one_line_error(invoke("compare", run_dir, longer, "--out", tmp_path / "c"), 2)
    assert "source" in line


# 9. names are data


def test_a_system_name_with_line_separators_round_trips(run_dir: Path, tmp_path: Path) -> None:
    result = invoke("compare", run_dir, run_dir, "--out", tmp_path / "c")
    assert result.exit_code == 0, result.stderr
    loaded = load_results(run_dir)
    assert {link.system for link in loaded.links} == {"vendor\u2028a\u0085b"}


# 8 and 10: deliveries, file names, usage


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_named_like_a_delivery_is_refused_at_once(tmp_path: Path) -> None:
    src, _ = pair(tmp_path / "in")
    fifo = tmp_path / "x.xlf"
    os.mkfifo(fifo)
    line = one_line_error(quick(src, fifo, tmp_path / "out"), 2)
    assert "not a regular file" in line


def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    src, _ = pair(tmp_path / "in")
    link = tmp_path / "x.tmx"
    link.symlink_to("/dev/zero")
    line = one_line_error(quick(src, link, tmp_path / "out"), 2)
    assert "not a regular file" in line


def test_csv_delivery_with_an_unterminated_quote_is_an_error(tmp_path: Path) -> None:
    src, _ = pair(tmp_path / "in")
    table = tmp_path / "d.csv"
    table.write_text('source,target\n"The horses,"Kuda-kuda\n', encoding="utf-8")
    line = one_line_error(quick(src, table, tmp_path / "out"), 2)
    assert "d.csv" in line


def test_a_newline_in_a_file_name_stays_on_one_line(tmp_path: Path) -> None:
    src, _ = pair(tmp_path / "in")
    odd = tmp_path / "bad\nname.txt"
    odd.write_bytes(b"")
    line = one_line_error(quick(src, odd, tmp_path / "out"), 2)
    assert "\\n" in line


def test_a_usage_error_is_one_line() -> None:
    result = invoke("run", "--no-such-option")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_quiet_after_the_subcommand(run_dir: Path, tmp_path: Path) -> None:
    src, tgt = pair(tmp_path / "in")
    result = quick(src, tgt, tmp_path / "out", "-q")
    assert result.exit_code == 0
    assert "reading" not in result.stderr


# hypothesis: names and texts through write -> read -> compare

NAMES = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.strip())


@given(text=st.text(max_size=30))
def test_safe_text_is_undone_exactly(text: str) -> None:
    assert unsafe_text(safe_text(text)) == text


def _run_files(pair_name: str, system: str, texts: list[str]) -> dict[str, bytes]:
    from mt_eval.model import Link, LinkResult
    from mt_eval.outdir import RUN_FORMAT
    from mt_eval.report import render

    links = [
        LinkResult(
            pair=pair_name,
            system=system,
            link=Link((i,), (i,), 0.0),
            src_text=text,
            tgt_text=text[::-1],
            ref_text=None,
            scores={"similarity": 0.5 + i / 100},
            flags=(),
        )
        for i, text in enumerate(texts)
    ]
    meta = {"format": RUN_FORMAT, "config": {"seed": 1, "metrics": {}}, "signatures": {}}
    return render(links, [], [], meta, statistics={"similarity": "mean"})


@settings(max_examples=25, deadline=None)
@given(pair_name=NAMES, system=NAMES, texts=st.lists(st.text(max_size=20), min_size=1, max_size=4))
def test_names_and_texts_round_trip_write_read_compare(
    pair_name: str, system: str, texts: list[str]
) -> None:
    import tempfile

    from mt_eval.outdir import write_files
    from mt_eval.regress.compare import Settings, compare

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_files(Path(tmp) / "run", _run_files(pair_name, system, texts))
        loaded = load_results(folder)
        assert {(r.pair, r.system) for r in loaded.links} == {(pair_name, system)}
        assert [r.src_text for r in loaded.links] == texts
        assert [r.tgt_text for r in loaded.links] == [t[::-1] for t in texts]
        result = compare(loaded, loaded, Settings(bootstrap_samples=20, ar_trials=20))
        assert not result.failures
