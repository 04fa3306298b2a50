"""Config files: keys equal constructor arguments, unknown keys are errors naming file and key."""

from pathlib import Path

import pytest

from mt_eval.config import RunSettings, load_config, quick_config
from mt_eval.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "job.toml"
    path.write_text(text, encoding="utf-8")
    return path


PAIR = """
[[pairs]]
name = "p"
source = "src.txt"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor-a = "a.txt"
"""


def test_seeds_config_resolves_paths_relative_to_the_file(seeds_config: Path) -> None:
    cfg = load_config(seeds_config)
    assert [p.name for p in cfg.pairs] == ["moscow-times", "reuters"]
    mt = cfg.pairs[0]
    assert (
        mt.source.resolve()
        == (seeds_config.parent.parent / "seeds/moscow-times-2022-11-02.en.txt").resolve()
    )
    assert mt.source.exists()
    assert (mt.source_lang, mt.target_lang) == ("en", "id")
    assert [name for name, _ in mt.systems] == ["rendering"]
    assert cfg.settings == RunSettings(embedder="use", threads=1, seed=0)


def test_defaults_then_toml_then_command_line(tmp_path: Path) -> None:
    path = write(tmp_path, "seed = 7\nthreads = 2\n" + PAIR)
    assert load_config(path).settings.seed == 7
    cfg = load_config(path, overrides={"seed": 11})
    assert (cfg.settings.seed, cfg.settings.threads, cfg.settings.embedder) == (11, 2, "use")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("sede = 1\n" + PAIR, "unknown key 'sede'"),
        (
            PAIR.replace('source_lang = "en"', 'source_lang = "en"\nsourc = "x"'),
            "pairs[0]: unknown key 'sourc'",
        ),
        (PAIR + "[flags]\nno_such_threshold = 1\n", "[flags]: unknown key 'no_such_threshold'"),
        (PAIR + "[align]\nno_such_option = 1\n", "[align]: unknown key 'no_such_option'"),
        (PAIR + "[bleu]\nno_such_option = 1\n", "[bleu]"),
        (PAIR + '[chrf]\nchar_order = "six"\n', "[chrf]"),
        (PAIR + "[flags]\nduplicate_min_ratio = 7\n", "[flags]"),
        (PAIR.replace('"id"', '"klingon"'), "unknown language code 'klingon'"),
        ("seed = 0\n", "no [[pairs]]"),
        (PAIR.replace('name = "p"', "name = 3"), "pairs[0].name: expected str"),
        ("threads = 0\n" + PAIR, "threads must be at least 1"),
        ('metrics = ["bleu", "bertscore"]\n' + PAIR, "unknown metric 'bertscore'"),
        (PAIR + PAIR, "pair name 'p' is used twice"),
        (PAIR.replace('vendor-a = "a.txt"', ""), "at least one system"),
    ],
)
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, needle: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert needle in str(err.value)


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "seed = \n")
    with pytest.raises(ConfigError, match=r"malformed TOML.*line 1"):
        load_config(path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(tmp_path / "nope.toml")


def test_quick_mode_names_pair_and_system_after_files() -> None:
    cfg = quick_config(
        source="seeds/moscow-times-2022-11-02.en.txt",
        source_lang="eng",
        target="seeds/moscow-times-2022-11-02.id.txt",
        target_lang="id",
    )
    (pair,) = cfg.pairs
    assert pair.name == "moscow-times-2022-11-02.en"
    assert pair.systems[0][0] == "moscow-times-2022-11-02.id"
    assert pair.source_lang == "en"
    with pytest.raises(ConfigError, match="--target-lang"):
        quick_config(source="a", source_lang="en", target="b", target_lang="zz-top-9")


def test_similarity_can_use_another_model_than_the_aligner(tmp_path: Path) -> None:
    from mt_eval.pipeline import run

    (tmp_path / "src.txt").write_text("The horses left on Monday.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Kuda-kuda berangkat pada hari Senin.\n", encoding="utf-8")
    shared = run(load_config(write(tmp_path, PAIR)))
    own = run(load_config(write(tmp_path, PAIR + '[similarity]\nembedder = "e5"\n')))
    assert shared.metadata["signatures"]["similarity"].startswith("similarity:cosine|use")
    assert own.metadata["signatures"]["similarity"].startswith("similarity:cosine|e5")
    assert own.metadata["signatures"]["embedder"].startswith("use")  # the aligner keeps its own


def test_similarity_with_its_own_model_uses_the_runs_disk_cache(tmp_path: Path) -> None:
    import sqlite3

    from mt_eval.pipeline import run

    (tmp_path / "src.txt").write_text("The horses left on Monday.\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Kuda-kuda berangkat pada hari Senin.\n", encoding="utf-8")
    cache = tmp_path / "cache"
    text = f'cache_dir = "{cache}"\n' + PAIR + '[similarity]\nembedder = "e5"\n'
    run(load_config(write(tmp_path, text)))
    with sqlite3.connect(cache / "cache.sqlite3") as db:
        spaces = {ns for (ns,) in db.execute("SELECT DISTINCT namespace FROM items")}
    assert any(ns.startswith("embedding|e5") for ns in spaces), spaces
    assert any(ns.startswith("embedding|use") for ns in spaces), spaces


@pytest.mark.parametrize(
    ("table", "key"), [("comet", "cache"), ("similarity", "embedder_instance")]
)
def test_live_object_arguments_are_not_config_keys(tmp_path: Path, table: str, key: str) -> None:
    cfg = tmp_path / "run.toml"
    cfg.write_text(
        "[[pairs]]\nname='p'\nsource='s.txt'\nsource_lang='en'\ntarget_lang='id'\n"
        f"[pairs.systems]\na='t.txt'\n[{table}]\n{key} = 'x'\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=rf"\[{table}\]: unknown key '{key}'"):
        load_config(cfg)


def test_pair_systems_given_as_paths_are_text_deliveries(tmp_path: Path) -> None:
    from mt_eval.config import PairConfig
    from mt_eval.deliveries import Delivery

    pair = PairConfig("p", tmp_path / "s.txt", "en", "id", (("a", tmp_path / "a.txt"),))
    assert pair.systems == (("a", Delivery(tmp_path / "a.txt")),)
    assert pair.systems[0][1].kind == "text"
