"""`mt-eval align`: the embedding cache between runs, and its options."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from mt_eval.cache import DiskCache
from mt_eval.cli import cli
from mt_eval.embed import get_embedder

SRC = "The horses left on Monday.\nThey arrived on Friday.\nEnd.\n"
TGT = "Kuda-kuda berangkat pada hari Senin.\nMereka tiba pada hari Jumat.\nSelesai.\n"


def _align(tmp_path: Path, *extra: str):
    (tmp_path / "s.txt").write_text(SRC, encoding="utf-8")
    (tmp_path / "t.txt").write_text(TGT, encoding="utf-8")
    args = ["align", str(tmp_path / "s.txt"), str(tmp_path / "t.txt")]
    args += ["--src-lang", "en", "--tgt-lang", "id", "--presegmented", *extra]
    return CliRunner().invoke(cli, args)


def test_align_fills_the_cache_and_a_second_run_reuses_it(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = _align(tmp_path, "--cache-dir", str(cache_dir))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == ["[0]:[0]", "[1]:[1]", "[2]:[2]"]
    namespace = get_embedder("use").cache_namespace()
    stored = DiskCache(cache_dir).count(namespace)
    # Every sentence, plus the runs of sentences the search tried (at most 3 + 2 + 1 a side).
    assert 2 * 3 <= stored <= 2 * (3 + 2 + 1)
    second = _align(tmp_path, "--cache-dir", str(cache_dir))
    assert second.stdout == first.stdout
    assert DiskCache(cache_dir).count(namespace) == stored


def test_no_cache_writes_nothing_and_excludes_cache_dir(tmp_path: Path) -> None:
    result = _align(tmp_path, "--no-cache")
    assert result.exit_code == 0 and result.stdout.splitlines()[0] == "[0]:[0]"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.txt", "t.txt"]
    both = _align(tmp_path, "--no-cache", "--cache-dir", str(tmp_path / "c"))
    assert both.exit_code == 2 and "--cache-dir or --no-cache, not both" in both.output
