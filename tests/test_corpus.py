"""Whole corpora: folders matched by name, manifests, worker processes and Ray.

One run over many documents writes one set of outputs with a ``pair`` column, and
the files are byte-identical whatever the executor and the number of workers.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.batch import document_key, folder_pairs, read_manifest
from mt_eval.cli import cli
from mt_eval.errors import ConfigError, InputError

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CSVS = (
    "segments.csv",
    "issues.csv",
    "documents.csv",
    "systems.csv",
    "removed.csv",
    "stats.jsonl",
    "results.xlsx",
    "report.html",
)


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args])


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Twelve short en-id documents in two folders, named ``NAME.en.txt`` / ``NAME.id.txt``."""
    base = tmp_path_factory.mktemp("corpus")
    src_dir, tgt_dir = base / "en", base / "id"
    src_dir.mkdir()
    tgt_dir.mkdir()
    bench = ROOT.parent / "shared" / "bench" / "en-id"
    if not bench.is_dir():
        pytest.skip("../shared/bench/en-id is not beside the project")
    en = (bench / "valid.eng").read_text(encoding="utf-8").splitlines()
    idn = (bench / "valid.ind").read_text(encoding="utf-8").splitlines()
    for n in range(12):
        (src_dir / f"doc{n:02d}.en.txt").write_text(
            f"{en[2 * n]}\n\n{en[2 * n + 1]}\n", encoding="utf-8"
        )
        (tgt_dir / f"doc{n:02d}.id.txt").write_text(
            f"{idn[2 * n]}\n\n{idn[2 * n + 1]}\n", encoding="utf-8"
        )
    return src_dir, tgt_dir


def folder_run(corpus: tuple[Path, Path], out: Path, *extra: str):
    src_dir, tgt_dir = corpus
    return invoke(
        "run", "--source-dir", src_dir, "--target-dir", tgt_dir, "--source-lang", "en",
        "--target-lang", "id", "--no-comet", "--no-cache", "--out", out, *extra,
    )  # fmt: skip


@pytest.fixture(scope="module")
def one_job(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("one") / "out"
    result = folder_run(corpus, out, "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    return out


def test_folder_mode_writes_one_set_of_outputs_with_a_pair_column(one_job: Path) -> None:
    docs = rows(one_job / "documents.csv")
    assert [d["pair"] for d in docs] == [f"doc{n:02d}" for n in range(12)]
    assert {d["system"] for d in docs} == {"id"}, "the system is named after the target folder"
    assert {r["pair"] for r in rows(one_job / "segments.csv")} == {d["pair"] for d in docs}
    assert len(rows(one_job / "systems.csv")) == 1


def test_a_warning_is_given_once_with_a_count(one_job: Path, corpus, tmp_path: Path) -> None:
    meta = json.loads((one_job / "run.json").read_text(encoding="utf-8"))
    trained = [w for w in meta["warnings"] if "not trained on 'id'" in w]
    assert trained == [trained[0]] and trained[0].endswith("(12 pairs)")
    result = folder_run(corpus, tmp_path / "again")
    assert result.stderr.count("not trained on 'id'") == 1


def test_two_worker_processes_give_byte_identical_files(one_job, corpus, tmp_path) -> None:
    result = folder_run(corpus, tmp_path / "two", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    for name in CSVS:
        assert (tmp_path / "two" / name).read_bytes() == (one_job / name).read_bytes(), name


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="Ray is not installed")
def test_a_small_batch_on_a_local_ray_cluster_is_byte_identical(one_job, corpus, tmp_path) -> None:
    result = folder_run(corpus, tmp_path / "ray", "--executor", "ray", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    for name in CSVS:
        assert (tmp_path / "ray" / name).read_bytes() == (one_job / name).read_bytes(), name


def test_a_translation_without_a_source_is_named(corpus, tmp_path: Path) -> None:
    src_dir, tgt_dir = corpus
    extra = Path(shutil.copytree(tgt_dir, tmp_path / "id"))
    (extra / "stray.id.txt").write_text("Teks tanpa sumber.\n", encoding="utf-8")
    result = invoke(
        "run", "--source-dir", src_dir, "--target-dir", extra, "--source-lang", "en",
        "--target-lang", "id", "--no-comet", "--out", tmp_path / "out",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "no source for stray" in result.stderr
    assert not (tmp_path / "out").exists()


def test_folder_mode_needs_both_languages(corpus, tmp_path: Path) -> None:
    src_dir, tgt_dir = corpus
    result = invoke("run", "--source-dir", src_dir, "--target-dir", tgt_dir, "--out", tmp_path)
    assert result.exit_code == 2
    assert "--source-lang, --target-lang" in result.stderr


@pytest.mark.parametrize(
    ("name", "lang", "key"),
    [
        ("moscow-times.en.txt", "en", "moscow-times"),
        ("moscow-times.id.txt", "id", "moscow-times"),
        ("moscow-times.txt", "id", "moscow-times"),
        ("report.en", "en", "report"),
        ("notes.english.txt", "en", "notes.english"),
        ("en.txt", "en", "en"),
    ],
)
def test_document_keys(name: str, lang: str, key: str) -> None:
    assert document_key(Path(name), lang) == key


def write_manifest(folder: Path, text: str, name: str = "jobs.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manifest_lists_pairs_and_systems(tmp_path: Path) -> None:
    for name in ("moscow-times-2022-11-02.en.txt", "moscow-times-2022-11-02.id.txt"):
        shutil.copy(SEEDS / name, tmp_path / name)
    manifest = write_manifest(
        tmp_path,
        "pair,source,source_lang,system,target,target_lang,reference\n"
        "mt,moscow-times-2022-11-02.en.txt,en,vendor-a,moscow-times-2022-11-02.id.txt,id,\n"
        "mt,moscow-times-2022-11-02.en.txt,en,vendor-b,moscow-times-2022-11-02.id.txt,id,\n",
    )
    pairs = read_manifest(manifest)
    assert [(p.name, [s for s, _ in p.systems]) for p in pairs] == [
        ("mt", ["vendor-a", "vendor-b"])
    ]
    result = invoke("run", "--manifest", manifest, "--no-comet", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    docs = rows(tmp_path / "out" / "documents.csv")
    assert [(d["pair"], d["system"]) for d in docs] == [("mt", "vendor-a"), ("mt", "vendor-b")]


def test_a_config_can_name_a_manifest(tmp_path: Path) -> None:
    shutil.copy(SEEDS / "moscow-times-2022-11-02.en.txt", tmp_path / "s.txt")
    shutil.copy(SEEDS / "moscow-times-2022-11-02.id.txt", tmp_path / "t.txt")
    write_manifest(
        tmp_path,
        "pair\tsource\tsource_lang\tsystem\ttarget\ttarget_lang\nmt\ts.txt\ten\tv\tt.txt\tid\n",
        "jobs.tsv",
    )
    config = tmp_path / "run.toml"
    config.write_text('manifest = "jobs.tsv"\nmetrics = ["chrf"]\n', encoding="utf-8")
    result = invoke("run", config, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert rows(tmp_path / "out" / "documents.csv")[0]["system"] == "v"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("pair,source,source_lang,system,target\n", "jobs.csv:1: no column 'target_lang'"),
        (
            "pair,source,source_lang,system,target,target_lang\nmt,a,en,v,b,\n",
            "jobs.csv:2: empty 'target_lang'",
        ),
        (
            "pair,source,source_lang,system,target,target_lang\nmt,a,en,v,b,id\nmt,c,en,w,b,id\n",
            "jobs.csv:3: pair 'mt' has source",
        ),
        (
            "pair,source,source_lang,system,target,target_lang\nmt,a,en,v,b,id\nmt,a,en,v,c,id\n",
            "jobs.csv:3: system 'v' twice",
        ),
        ("pair,source,source_lang,system,target,target_lang\nmt,a,xx-zz-qq,v,b,id\n", "jobs.csv:2"),
    ],
)
def test_manifest_errors_name_file_and_line(tmp_path: Path, text: str, words: str) -> None:
    manifest = write_manifest(tmp_path, text)
    with pytest.raises(ConfigError, match=words.replace("(", r"\(")):
        read_manifest(manifest)
    result = invoke("run", "--manifest", manifest, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_empty_folder_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with pytest.raises(InputError, match="holds no documents"):
        folder_pairs(tmp_path / "a", tmp_path / "b", "en", "id")


def test_a_texts_vector_does_not_depend_on_its_batch() -> None:
    """Workers see different texts first; each text's vector must still be bit-identical."""
    import random

    from mt_eval.embed import get_embedder

    texts = [f"Sentence number {n} about {'horses ' * (n % 7)}trains." for n in range(40)]
    alone = get_embedder("use", threads=1).encode(texts)
    order = list(range(40))
    random.Random(3).shuffle(order)
    other = get_embedder("use", threads=1)
    other.encode([texts[i] for i in order[:13]])  # a different history and batching
    mixed = other.encode(texts)
    assert (alone == mixed).all()
