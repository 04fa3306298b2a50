"""Every config value is checked where it is read: one line naming the key and its range.

A user who mistypes an ``[align]`` or ``[flags]`` value, or names an embedder that
does not exist, gets exit 2 and one line on stderr naming the file, the table, the
key and what is allowed, never a traceback and never a silently different run.
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.align.aligner import align, check_settings
from mt_eval.cli import cli
from mt_eval.config import load_config
from mt_eval.embed import get_embedder
from mt_eval.errors import ConfigError

PAIR = """
[[pairs]]
name = "p"
source = "src.txt"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor-a = "a.txt"
"""


def job(tmp_path: Path, table: str, line: str, top: str = "") -> Path:
    """A config with one pair and ``line`` in ``[table]`` (inputs present)."""
    (tmp_path / "src.txt").write_text("One sentence here.\nAnother one.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Satu kalimat di sini.\nSatu lagi.\n", encoding="utf-8")
    path = tmp_path / "job.toml"
    path.write_text(f"{top}{PAIR}\n[{table}]\n{line}\n", encoding="utf-8")
    return path


# (line in [align], words the message must hold)
ALIGN_CASES = [
    ('max_src = "x"', "max_src must be an integer >= 1"),
    ("max_src = 0", "max_src must be an integer >= 1"),
    ("max_total = 1", "max_total must be an integer >= 2"),
    ("window = -3", "window must be an integer >= 1, got -3"),
    ("window = 2.5", "window must be an integer"),
    ('skip = "big"', "skip must be a finite number >= 0.0, got 'big'"),
    ("skip = -0.1", "skip must be a finite number >= 0.0"),
    ("skip = nan", "skip must be a finite number"),
    ("bead_weight = inf", "bead_weight must be a finite number"),
    ("continued_skip = 1.5", "continued_skip must be a finite number within 0.0..1.0"),
    ('optimism = "x"', "optimism must be a finite number within 0.0..2.0 (or left out)"),
    ("optimism = -1", "optimism must be a finite number within 0.0..2.0"),
    ("samples = -5", "samples must be an integer >= 1 (or left out), got -5"),
    ("samples = 0", "samples must be an integer >= 1"),
    ("samples = true", "samples must be an integer"),
    ("lexicon_weight = -1", "lexicon_weight must be a finite number >= 0.0"),
    ("split_gain = -0.2", "split_gain must be a finite number >= 0.0"),
    ("seed = 3", "seed is set at the top level"),
]


@pytest.mark.parametrize(("line", "words"), ALIGN_CASES)
def test_bad_align_value_is_a_config_error_naming_file_table_and_key(
    tmp_path: Path, line: str, words: str
) -> None:
    path = job(tmp_path, "align", line)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "[align]" in message and words in message
    assert "\n" not in message


@pytest.mark.parametrize(("line", "words"), ALIGN_CASES[::3])
def test_cli_gives_exit_2_and_one_line_for_a_bad_align_value(
    tmp_path: Path, line: str, words: str
) -> None:
    path = job(tmp_path, "align", line)
    result = CliRunner().invoke(cli, ["-q", "run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.output
    assert not (tmp_path / "out").exists()


def test_good_align_values_load_unchanged(tmp_path: Path) -> None:
    cfg = load_config(job(tmp_path, "align", "window = 3\nsamples = 4\noptimism = 0.0"))
    assert cfg.align == {"window": 3, "samples": 4, "optimism": 0.0}


class _Unused:
    """An embedder that must never be asked: bad settings stop before any embedding."""

    def encode(self, texts):  # pragma: no cover - reaching it fails the test
        raise AssertionError("embedded despite a bad setting")


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"samples": 0}, "align setting samples must be an integer >= 1"),
        ({"window": -3}, "align setting window must be an integer >= 1"),
        ({"max_tgt": "5"}, "align setting max_tgt must be an integer"),
        ({"seed": -1}, "align setting seed must be an integer >= 0"),
    ],
)
def test_library_callers_get_the_same_check(kwargs: dict, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        align(["a"], ["b"], _Unused(), **kwargs)  # type: ignore[arg-type]


def test_every_align_keyword_has_a_range() -> None:
    import inspect

    keywords = {
        p.name
        for p in inspect.signature(align).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    defaults = {
        p.name: p.default
        for p in inspect.signature(align).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    check_settings(**defaults)  # the defaults pass their own check
    from mt_eval.align.aligner import _RANGES

    assert set(_RANGES) == keywords


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('duplicate_min_ratio = "x"', "duplicate_min_ratio must be a finite float"),
        ("duplicate_min_ratio = 1.5", "duplicate_min_ratio must be within 0.0..1.0"),
        ("short_words = -1", "short_words must be within 0..inf"),
        ("short_words = 2.5", "short_words must be a finite int"),
        ('numbers_compare_words = "yes"', "numbers_compare_words must be true or false"),
        ("mistranslation_min_links = 1", "mistranslation_min_links must be within 3..inf"),
        ("untranslated_copy_chrf = 101", "untranslated_copy_chrf must be within 0.0..100.0"),
    ],
)
def test_bad_flags_value_is_a_config_error_naming_file_table_and_key(
    tmp_path: Path, line: str, words: str
) -> None:
    path = job(tmp_path, "flags", line)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "[flags]" in message and words in message


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        (
            "sbert:/nonexistent",
            "embedder 'sbert:/nonexistent': cannot load .* no such model folder",
        ),
        ("sbert:", "give a model folder or hub name"),
        ("sbert:./missing", "no such model folder"),
        ("sbert:a/b/c", "no such model folder"),
        ("sbert:~/missing-model-folder", "no such model folder"),
    ],
)
def test_embedder_spec_that_names_no_model_is_a_config_error(spec: str, words: str) -> None:
    pytest.importorskip("sentence_transformers")
    with pytest.raises(ConfigError, match=words):
        get_embedder(spec)


def test_embedder_spec_naming_a_file_is_a_config_error(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    afile = tmp_path / "model.bin"
    afile.write_bytes(b"\0")
    with pytest.raises(ConfigError, match="is not a folder"):
        get_embedder(f"sbert:{afile}")


def test_cli_gives_exit_2_and_one_line_for_a_missing_sbert_folder(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    path = job(tmp_path, "align", "window = 5", top='embedder = "sbert:/nonexistent"\n')
    result = CliRunner().invoke(cli, ["-q", "run", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "sbert:/nonexistent" in lines[0], result.output
