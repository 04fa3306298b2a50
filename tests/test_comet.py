"""COMET stories, told with tiny random-weight checkpoints the tests build offline.

Each number mt-eval writes is checked against unbabel-comet's own
``load_from_checkpoint(...).predict(...)`` on the same triplets.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from mt_eval.cache import DiskCache
from mt_eval.errors import ConfigError
from mt_eval.metrics import build_metric, comet_loading
from mt_eval.metrics import comet as comet_metric
from mt_eval.model import Segment

if importlib.util.find_spec("comet") is None:  # without importing it (it configures logging)
    pytest.skip("unbabel-comet is not installed", allow_module_level=True)
from comet_fixtures import KINDS, ROOT, build_checkpoint, build_encoder, seed_texts  # noqa: E402

from mt_eval.cli import cli  # noqa: E402

TOL = 1e-4


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Tiny models of every kind: regression (reference-based), referenceless, xcomet."""
    folder = tmp_path_factory.mktemp("tiny-comet")
    encoder = build_encoder(folder / "encoder-src")
    models = {k: build_checkpoint(folder / k, k, encoder) for k in KINDS}
    models["encoder"] = encoder
    return models


@pytest.fixture(autouse=True)
def fresh_hub_probe():
    """The hub probe is memoised per process; tests that fake the hub start afresh."""
    probe = comet_loading.hub_unreachable_reason  # the real one: tests patch it later
    probe.cache_clear()
    yield
    probe.cache_clear()


_LOADED: dict[Path, object] = {}


def comet_predict(model_dir: Path, samples: list[dict[str, str]]):
    """unbabel-comet's own scores, loaded and predicted the way its README shows."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from comet import load_from_checkpoint

        if model_dir not in _LOADED:
            _LOADED[model_dir] = load_from_checkpoint(str(model_dir / "checkpoints/model.ckpt"))
        return _LOADED[model_dir].predict(samples, batch_size=8, gpus=0, progress_bar=False)


def triplets() -> list[Segment]:
    """Seed sentences as (source, translation, reference), with a repeat and gaps."""
    texts = seed_texts()
    segs = [Segment(texts[i], texts[i + 30], texts[i + 55]) for i in range(12)]
    segs.append(segs[3])  # an identical triplet: scored once
    segs.append(Segment(texts[5], "", texts[60]))  # empty translation: no score
    segs.append(Segment("", texts[45], None))  # an addition: no score
    return segs


def scored(segs: list[Segment], with_ref: bool) -> list[dict[str, str]]:
    out = []
    for s in segs:
        if s.src and s.mt:
            out.append({"src": s.src, "mt": s.mt, **({"ref": s.ref} if with_ref else {})})
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# -- the comet column equals comet's predict ------------------------------------------


@pytest.mark.parametrize(
    ("kind", "with_ref"),
    [
        ("regression", True),
        ("referenceless", False),
        ("cometkiwi", False),
        ("xcomet", True),
        ("xcomet", False),
    ],
)
def test_scores_equal_comets_own_predict(tiny, kind: str, with_ref: bool) -> None:
    segs = triplets()
    if not with_ref:
        segs = [Segment(s.src, s.mt) for s in segs]
    model = str(tiny[kind])
    result = build_metric("comet", comet_model=model, comet_qe_model=model).score(segs, "en", "id")
    expected = comet_predict(tiny[kind], scored(segs, with_ref))
    got = [x for x in result.segment_scores if x is not None]
    assert result.segment_scores[-2:] == (None, None)
    assert got == pytest.approx(expected.scores, abs=TOL)
    assert result.corpus_score == pytest.approx(expected.system_score, abs=TOL)
    assert "2 of 15 segments not scored" in result.reason
    how = "with the reference" if with_ref else "without a reference"
    assert any(how in note for note in result.notes)
    if kind == "xcomet":  # error spans go to the link's notes, as comet returned them
        spans = expected.metadata.error_spans
        pairs = zip(result.segment_notes, result.segment_scores, strict=True)
        notes = [n for n, x in pairs if x is not None]
        assert any(spans) and len(notes) == len(spans)
        for note, row in zip(notes, spans, strict=True):
            for span in row:
                assert f"characters {span['start']}-{span['end']}" in note
                assert span["severity"] in note
    else:
        assert result.segment_notes == ()


@pytest.mark.parametrize("kind", ["referenceless", "cometkiwi"])
def test_a_qe_model_ignores_a_given_reference_and_says_so(tiny, kind: str) -> None:
    segs = triplets()
    model = str(tiny[kind])
    result = build_metric("comet", comet_model=model, comet_qe_model=model).score(segs)
    expected = comet_predict(tiny[kind], scored(segs, False))
    assert [x for x in result.segment_scores if x is not None] == pytest.approx(
        expected.scores, abs=TOL
    )
    assert any("reference was not used" in note for note in result.notes)


def test_torch_threads_are_set_for_scoring_and_restored(tiny, monkeypatch) -> None:
    import torch

    seen = []
    metric = build_metric("comet", comet_model=str(tiny["regression"]), threads=1)
    real = metric._model

    def spy(ckpt):
        model = real(ckpt)
        predict = model.predict
        monkeypatch.setattr(
            model,
            "predict",
            lambda *a, **k: seen.append(torch.get_num_threads()) or predict(*a, **k),
        )
        return model

    monkeypatch.setattr(metric, "_model", spy)
    torch.set_num_threads(2)
    metric.score(triplets()[:3])
    assert seen == [1]
    assert torch.get_num_threads() == 2


# -- the cache ------------------------------------------------------------------------


def test_cache_gives_identical_scores_without_running_the_model(tiny, tmp_path, monkeypatch):
    model = str(tiny["xcomet"])
    cache = DiskCache(tmp_path / "cache")
    first = build_metric("comet", comet_model=model, cache=cache).score(triplets())

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded although every score is cached")

    monkeypatch.setattr(comet_metric, "load_model", no_model)
    again = build_metric("comet", comet_model=model, cache=cache).score(triplets())
    assert again.segment_scores == first.segment_scores
    assert again.corpus_score == first.corpus_score
    assert again.segment_notes == first.segment_notes  # error spans are cached too


def test_a_redelivery_scores_only_the_links_that_changed(tiny, tmp_path, monkeypatch) -> None:
    model = str(tiny["regression"])
    cache = DiskCache(tmp_path / "cache")
    segs = triplets()
    build_metric("comet", comet_model=model, cache=cache).score(segs)
    metric = build_metric("comet", comet_model=model, cache=cache)
    asked: list[int] = []
    real = metric._predict
    monkeypatch.setattr(metric, "_predict", lambda c, s: asked.append(len(s)) or real(c, s))
    changed = list(segs)
    changed[0] = Segment(segs[0].src, segs[0].mt + " Tambahan.", segs[0].ref)
    result = metric.score(changed)
    assert asked == [1]
    expected = comet_predict(tiny["regression"], scored(changed, True))
    assert [x for x in result.segment_scores if x is not None] == pytest.approx(
        expected.scores, abs=TOL
    )


# -- loading --------------------------------------------------------------------------


def test_a_moved_checkpoint_still_loads(tiny, tmp_path) -> None:
    """The encoder path saved in the checkpoint is absolute; the folder then moves."""
    original = build_checkpoint(tmp_path / "trained-here", "regression", tiny["encoder"], seed=3)
    segs = triplets()[:6]
    expected = comet_predict(original, scored(segs, True)).scores
    moved = tmp_path / "elsewhere" / "my-model"
    moved.parent.mkdir()
    shutil.move(original, moved)
    assert not original.exists()
    with pytest.raises(Exception):  # noqa: B017 - unbabel-comet itself cannot load it
        comet_predict(moved, scored(segs, True))
    result = build_metric("comet", comet_model=str(moved)).score(segs)
    assert list(result.segment_scores) == pytest.approx(expected, abs=TOL)


def fake_hub(hub: Path, model_dir: Path, encoder: Path | None) -> str:
    """Put a model (and its encoder's files) in a hub cache laid out as huggingface_hub does.

    Returns the checkpoint's SHA-256 (the name of its blob).
    """
    ckpt_bytes = (model_dir / "checkpoints/model.ckpt").read_bytes()
    digest = hashlib.sha256(ckpt_bytes).hexdigest()
    repo = hub / "models--tiny-org--tiny-comet"
    snap = repo / "snapshots" / ("a" * 40)
    (snap / "checkpoints").mkdir(parents=True)
    (repo / "blobs").mkdir()
    (repo / "blobs" / digest).write_bytes(ckpt_bytes)
    (snap / "checkpoints/model.ckpt").symlink_to(repo / "blobs" / digest)
    hparams = (model_dir / "hparams.yaml").read_text(encoding="utf-8")
    hparams = hparams.replace(str(model_dir / "encoder"), "tiny-org/tiny-encoder")
    (snap / "hparams.yaml").write_text(hparams, encoding="utf-8")
    (repo / "refs").mkdir()
    (repo / "refs/main").write_text("a" * 40)
    if encoder is not None:
        enc = hub / "models--tiny-org--tiny-encoder"
        shutil.copytree(encoder, enc / "snapshots" / ("b" * 40))
        (enc / "refs").mkdir()
        (enc / "refs/main").write_text("b" * 40)
    return digest


@pytest.fixture
def offline_hub(tmp_path, monkeypatch) -> Path:
    """An empty local hub cache, and HF_HUB_OFFLINE."""
    from huggingface_hub import constants

    hub = tmp_path / "hub"
    hub.mkdir()
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(hub))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    return hub


def test_a_model_from_the_local_hub_cache_loads_without_network(tiny, offline_hub) -> None:
    """A pre-downloaded hub model: cache layout as huggingface_hub writes it."""
    digest = fake_hub(offline_hub, tiny["regression"], tiny["encoder"])
    ckpt = comet_loading.resolve_checkpoint("tiny-org/tiny-comet")
    assert ckpt.sha256 == digest  # the blob's name, not re-hashed
    assert ckpt.encoder == str(
        offline_hub / "models--tiny-org--tiny-encoder/snapshots" / ("b" * 40)
    )
    segs = triplets()[:5]
    result = build_metric("comet", comet_model="tiny-org/tiny-comet").score(segs)
    expected = comet_predict(tiny["regression"], scored(segs, True)).scores
    assert list(result.segment_scores) == pytest.approx(expected, abs=TOL)
    assert f"ckpt:sha256.{digest[:12]}" in result.signature


def test_a_cached_model_without_its_encoder_tokenizer_says_so(tiny, offline_hub) -> None:
    fake_hub(offline_hub, tiny["regression"], encoder=None)
    result = build_metric("comet", comet_model="tiny-org/tiny-comet").score(triplets()[:2])
    assert result.segment_scores == (None, None)
    assert "encoder config and tokenizer 'tiny-org/tiny-encoder'" in result.reason
    assert "huggingface-cli download tiny-org/tiny-encoder" in result.reason
    assert "a folder named 'encoder' beside the checkpoint" in result.reason


def test_missing_hub_model_is_a_clear_reason_not_an_error(tmp_path, monkeypatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    comet_loading.hub_unreachable_reason.cache_clear()
    result = build_metric("comet").score(triplets(), "en", "id")
    assert result.segment_scores == (None,) * len(triplets())
    assert result.corpus_score is None
    assert "'Unbabel/wmt22-comet-da' is not in the local Hugging Face cache" in result.reason
    assert str(tmp_path / "empty-hub") in result.reason
    assert "HF_HUB_OFFLINE is set" in result.reason
    assert "ckpt:unavailable" in result.signature


def test_a_failed_download_of_a_gated_model_says_how_to_get_access(tmp_path, monkeypatch):
    import huggingface_hub
    from huggingface_hub import constants

    def refused(repo_id, **kwargs):
        raise PermissionError(f"401 Client Error: access to model {repo_id} is restricted")

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path / "empty-hub"))
    monkeypatch.setattr(comet_loading, "hub_unreachable_reason", lambda: "")
    monkeypatch.setattr(huggingface_hub, "snapshot_download", refused)
    gated = build_metric("comet", comet_qe_model="Unbabel/wmt22-cometkiwi-da")
    result = gated.score([Segment("Hello.", "Halo.")], "en", "id")
    assert result.segment_scores == (None,)
    assert "'Unbabel/wmt22-cometkiwi-da' is not in the local Hugging Face cache" in result.reason
    assert "download failed: PermissionError: 401 Client Error" in result.reason
    assert "accept its licence on https://huggingface.co/Unbabel/wmt22-cometkiwi-da" in (
        result.reason
    )
    assert "microsoft/infoxlm-large" in result.reason


def test_signature_names_model_hash_versions_and_batch_size(tiny) -> None:
    metric = build_metric("comet", comet_model=str(tiny["regression"]), batch_size=4)
    metric.score(triplets()[:2])
    digest = hashlib.sha256((tiny["regression"] / "checkpoints/model.ckpt").read_bytes())
    assert metric.signature() == (
        f"model:{tiny['regression']}|ckpt:sha256.{digest.hexdigest()[:12]}"
        "|kind:reference-based|prec:32|bs:4|gpus:0|version:2.2.7"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"batch_size": 0}, "batch_size must be a positive integer"),
        ({"gpus": 2}, "gpus must be 0 (CPU) or 1"),
        ({"comet_model": "./nowhere/model.ckpt"}, "does not exist"),
        ({"comet_qe_model": ""}, "must be a model name or path"),
    ],
)
def test_bad_options_are_config_errors(options, message) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_metric("comet", **options)


def test_a_reference_based_model_without_reference_is_a_config_error(tiny) -> None:
    model = str(tiny["regression"])
    metric = build_metric("comet", comet_model=model, comet_qe_model=model)
    with pytest.raises(ConfigError, match="needs a reference"):
        metric.check_inputs(has_reference=False)


def test_gpus_without_a_cuda_device_is_a_config_error(tiny) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA device")
    metric = build_metric("comet", comet_model=str(tiny["regression"]), gpus=1)
    with pytest.raises(ConfigError, match="torch sees no CUDA device"):
        metric.score(triplets()[:2])


@given(
    score=st.floats(allow_nan=False, allow_infinity=False),
    spans=st.lists(
        st.builds(
            comet_metric.ErrorSpan,
            text=st.text(),
            severity=st.sampled_from(["minor", "major", "critical"]),
            confidence=st.floats(0, 1),
            start=st.integers(0, 10_000),
            end=st.integers(0, 10_000),
        ),
        max_size=4,
    ),
)
def test_cached_scores_and_spans_round_trip_exactly(score: float, spans) -> None:
    stats = comet_metric.CometStats(score, tuple(spans))
    assert comet_metric.CometStats.from_bytes(stats.to_bytes()) == stats


# -- the command line -----------------------------------------------------------------


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def aligned_files(tmp_path: Path) -> dict[str, Path]:
    texts = seed_texts()
    return {
        "src": write_lines(tmp_path / "doc.en", texts[0:8]),
        "tgt": write_lines(tmp_path / "doc.id", texts[30:38]),
        "ref": write_lines(tmp_path / "ref.id", texts[55:63]),
    }


def run_cli(args: list[str]):
    return CliRunner().invoke(cli, ["-q", "run", *args, "--no-cache"])


def quick_args(files: dict[str, Path], out: Path, reference: bool = True) -> list[str]:
    args = ["--source", str(files["src"]), "--source-lang", "en", "--target", str(files["tgt"])]
    args += ["--target-lang", "id", "--aligned", "--out", str(out)]
    return args + (["--reference", str(files["ref"])] if reference else [])


def test_cli_comet_column_equals_comet_with_a_reference(tiny, aligned_files, tmp_path) -> None:
    out = tmp_path / "out"
    args = quick_args(aligned_files, out) + ["--comet-model", str(tiny["regression"])]
    result = run_cli(args + ["--comet-batch-size", "3"])
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "segments.csv")
    samples = [{"src": r["src_text"], "mt": r["tgt_text"], "ref": r["ref_text"]} for r in rows]
    expected = comet_predict(tiny["regression"], samples)
    assert [float(r["comet"]) for r in rows] == pytest.approx(expected.scores, abs=TOL + 5e-5)
    doc = read_csv(out / "documents.csv")[0]
    # The document's score is comet's system_score over the source content: a link
    # flagged untranslated counts 0 (these lines pair unrelated seed texts).
    content = [
        0.0 if "untranslated" in r["flags"].split(";") else score
        for r, score in zip(rows, expected.scores, strict=True)
    ]
    assert float(doc["comet"]) == pytest.approx(sum(content) / len(content), abs=TOL + 5e-5)
    if all(c == s for c, s in zip(content, expected.scores, strict=True)):
        assert float(doc["comet"]) == pytest.approx(expected.system_score, abs=TOL + 5e-5)
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert "|bs:3|" in meta["signatures"]["comet"]
    assert "comet" not in meta["unavailable"]


def test_cli_seed_job_with_a_qe_checkpoint(tiny, seeds_config, tmp_path) -> None:
    out = tmp_path / "out"
    result = run_cli([str(seeds_config), "--out", str(out), "--comet-model", str(tiny["xcomet"])])
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "segments.csv")
    both = [r for r in rows if r["src_text"] and r["tgt_text"]]
    assert all(r["comet"] for r in both) and not any(r["comet"] for r in rows if r not in both)
    expected = comet_predict(
        tiny["xcomet"], [{"src": r["src_text"], "mt": r["tgt_text"]} for r in both]
    )
    assert [float(r["comet"]) for r in both] == pytest.approx(expected.scores, abs=TOL + 5e-5)
    assert any("comet error spans:" in r["notes"] for r in both)


def test_cli_reference_based_model_without_reference_exits_2(tiny, aligned_files, tmp_path):
    out = tmp_path / "out"
    args = quick_args(aligned_files, out, reference=False)
    result = run_cli(args + ["--comet-model", str(tiny["regression"])])
    assert result.exit_code == 2
    assert "needs a reference" in result.output and "--no-comet" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--no-comet", "--comet-model", "x.ckpt"], "not both"),
        (["--comet-model", "missing/model.ckpt"], "does not exist"),
        (["--gpus", "2"], "--gpus"),
        (["--comet-batch-size", "0"], "--comet-batch-size"),
    ],
)
def test_cli_bad_comet_options_exit_2(aligned_files, tmp_path, extra, message) -> None:
    out = tmp_path / "out"
    result = run_cli(quick_args(aligned_files, out) + extra)
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


def test_cli_no_comet_leaves_the_column_empty_and_says_why(aligned_files, tmp_path) -> None:
    out = tmp_path / "out"
    result = run_cli(quick_args(aligned_files, out) + ["--no-comet"])
    assert result.exit_code == 0, result.output
    assert not any(r["comet"] for r in read_csv(out / "segments.csv"))
    assert all(r["chrf"] for r in read_csv(out / "segments.csv"))
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert "--no-comet" in meta["unavailable"]["comet"]["doc/doc"]
    assert "comet" not in meta["config"]["metrics"]


def test_config_comet_table_paths_are_relative_to_the_file(tiny, tmp_path) -> None:
    (tmp_path / "models").mkdir()
    shutil.copytree(tiny["referenceless"], tmp_path / "models" / "qe")
    config = tmp_path / "run.toml"
    config.write_text(
        "[[pairs]]\n"
        'name = "mt"\n'
        f'source = "{ROOT / "seeds/reuters-2022-12-12.en.txt"}"\n'
        'source_lang = "en"\ntarget_lang = "en"\n'
        f'systems = {{ spun = "{ROOT / "seeds/reuters-2022-12-12.spun.en.txt"}" }}\n'
        '[comet]\ncomet_qe_model = "models/qe"\nbatch_size = 8\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run_cli([str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert meta["config"]["metrics"]["comet"]["comet_qe_model"] == str(tmp_path / "models/qe")
    assert meta["signatures"]["comet"].startswith(f"model:{tmp_path / 'models/qe'}|")
    config.write_text(config.read_text(encoding="utf-8") + "batch = 3\n", encoding="utf-8")
    result = run_cli([str(config), "--out", str(tmp_path / "out2")])
    assert result.exit_code == 2
    assert "[comet]" in result.output and "'batch'" in result.output


def test_offline_default_run_completes_without_importing_torch(seeds_config, tmp_path) -> None:
    """The default seed job on a machine with no model: every other metric, a clear warning."""
    out = tmp_path / "out"
    code = (
        "import sys\n"
        "from mt_eval.cli import main\n"
        f"sys.argv = ['mt-eval', 'run', {str(seeds_config)!r}, '--out', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    status = exc.code\n"
        "heavy = [m for m in ('torch', 'comet', 'pytorch_lightning') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    hub = tmp_path / "empty-hub"
    env = {**os.environ, "HF_HUB_CACHE": str(hub), "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    warning = [line for line in proc.stderr.splitlines() if "comet cells stay empty" in line]
    assert len(warning) == 1
    # stderr says what is wrong in a line a person reads; run.json says how to fix it
    assert len(warning[0].replace(str(hub), "HUB")) < 250  # not the 700 characters of the fix
    for needed in ("Unbabel/wmt20-comet-qe-da", str(hub), "HF_HUB_OFFLINE is set", "--no-comet"):
        assert needed in warning[0]
    meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert set(meta["unavailable"]["comet"]) == {"moscow-times/rendering", "reuters/spun-rewrite"}
    reason = meta["unavailable"]["comet"]["moscow-times/rendering"]
    for needed in (
        "Unbabel/wmt20-comet-qe-da",  # the default without a reference: Apache-2.0
        "xlm-roberta-large",
        "huggingface-cli login",
        "HF_TOKEN",
        "--comet-model PATH",
        "--no-comet",
    ):
        assert needed in reason
    rows = read_csv(out / "segments.csv")
    assert not any(r["comet"] for r in rows)
    assert any(r["similarity"] for r in rows) and any(r["bleu"] for r in rows)


# -- COMET across documents: one predict per model --------------------------------------


def test_a_200_document_run_calls_predict_once(tiny, tmp_path, monkeypatch) -> None:
    """Every link that needs the model goes through one length-sorted ``predict``."""
    texts = seed_texts()
    src_dir, tgt_dir = tmp_path / "src", tmp_path / "tgt"
    src_dir.mkdir()
    tgt_dir.mkdir()
    for n in range(200):
        write_lines(src_dir / f"doc{n:03d}.en.txt", [texts[n % 25], texts[(n + 7) % 25]])
        write_lines(tgt_dir / f"doc{n:03d}.id.txt", [texts[30 + n % 25], texts[30 + (n + 3) % 25]])
    calls: list[int] = []
    real = comet_metric.Comet._predict

    def counted(self, ckpt, samples):
        calls.append(len(samples))
        return real(self, ckpt, samples)

    monkeypatch.setattr(comet_metric.Comet, "_predict", counted)
    out = tmp_path / "out"
    args = ["--source-dir", str(src_dir), "--target-dir", str(tgt_dir), "--source-lang", "en"]
    args += ["--target-lang", "id", "--aligned", "--out", str(out)]
    result = run_cli(args + ["--comet-model", str(tiny["referenceless"])])
    assert result.exit_code == 0, result.output
    rows = read_csv(out / "segments.csv")
    assert len({r["pair"] for r in rows}) == 200
    assert len(calls) == 1, calls
    unique = {(r["src_text"], r["tgt_text"]) for r in rows}
    assert calls[0] == len(unique)
    expected = comet_predict(
        tiny["referenceless"], [{"src": r["src_text"], "mt": r["tgt_text"]} for r in rows[:6]]
    )
    assert [float(r["comet"]) for r in rows[:6]] == pytest.approx(expected.scores, abs=TOL + 5e-5)
