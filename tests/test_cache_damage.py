"""A damaged, locked, full or raced cache never changes results and never gives a traceback.

Each story runs the seeds' Moscow Times pair with a cache, damages the cache, runs
again and compares ``segments.csv`` with a ``--no-cache`` run: identical, exit 0,
one ``cache`` warning on stderr.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.cache_race import race
from mt_eval.cache import CACHE_FILE, DiskCache

ROOT = Path(__file__).resolve().parents[1]
PAIR = [
    "--source", str(ROOT / "seeds/moscow-times-2022-11-02.en.txt"), "--source-lang", "en",
    "--target", str(ROOT / "seeds/moscow-times-2022-11-02.id.txt"), "--target-lang", "id",
    "--no-comet",
]  # fmt: skip


def _run(out: Path, *cache: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "mt_eval", "run", *PAIR, *cache, "--out", str(out)]
    return subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=False)


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("plain") / "out"
    done = _run(out, "--no-cache")
    assert done.returncode == 0, done.stderr
    return (out / "segments.csv").read_text()


@pytest.fixture
def warm(tmp_path) -> Path:
    """A cache folder filled by one run."""
    folder = tmp_path / "cache"
    assert _run(tmp_path / "first", "--cache-dir", str(folder)).returncode == 0
    return folder


def _rerun(tmp_path: Path, folder: Path, expected: str) -> str:
    done = _run(tmp_path / "again", "--cache-dir", str(folder))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "again" / "segments.csv").read_text() == expected
    warnings = [line for line in done.stderr.splitlines() if "warning: cache" in line]
    assert len(warnings) == 1, done.stderr
    return warnings[0]


@pytest.fixture
def caplog(caplog):
    """caplog that also sees mt_eval.cache when the CLI has stopped mt_eval propagating."""
    logger = logging.getLogger("mt_eval.cache")
    logger.addHandler(caplog.handler)
    logger.propagate = False  # each record once, whatever the CLI did to mt_eval
    yield caplog
    logger.propagate = True
    logger.removeHandler(caplog.handler)


def _first_vector(folder: Path) -> bytes:
    db = sqlite3.connect(folder / CACHE_FILE)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (value,) = db.execute(
        "SELECT value FROM items WHERE namespace LIKE 'embedding|%' LIMIT 1"
    ).fetchone()
    db.close()
    return bytes(value)


def test_one_flipped_bit_in_a_vector_is_recomputed(tmp_path, warm, expected):
    value = _first_vector(warm)
    path = warm / CACHE_FILE
    data = bytearray(path.read_bytes())
    at = data.find(value[:64])  # long values run on over overflow pages
    assert at >= 0
    data[at + 5] ^= 0x10  # inside one float of the stored vector
    path.write_bytes(bytes(data))
    assert "1 damaged entries recomputed" in _rerun(tmp_path, warm, expected)
    again = np.frombuffer(_first_vector(warm), np.float32)  # replaced by the recomputed one
    assert np.allclose(again, np.frombuffer(value, np.float32), atol=1e-5)


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_unreadable_cache_file_is_moved_aside_and_rebuilt(tmp_path, warm, expected, damage):
    _first_vector(warm)  # everything checkpointed into the main file
    path = warm / CACHE_FILE
    data = path.read_bytes()
    path.write_bytes(b"not a database at all " * 200 if damage == "garbage" else data[:5000])
    warning = _rerun(tmp_path, warm, expected)
    assert "damaged" in warning
    assert list(warm.glob(f"{CACHE_FILE}.damaged-*"))


def test_values_of_the_wrong_length_are_recomputed(tmp_path, warm, expected):
    cache = DiskCache(warm)
    namespace, key = cache._db.execute(
        "SELECT namespace, key FROM items WHERE namespace LIKE 'embedding|%' LIMIT 1"
    ).fetchone()
    cache.put_many(namespace, {key: np.zeros(7, np.float32).tobytes()})
    cache.close()
    assert "1 damaged entries recomputed" in _rerun(tmp_path, warm, expected)


def test_a_changed_table_layout_is_moved_aside(tmp_path, warm, expected):
    db = sqlite3.connect(warm / CACHE_FILE)
    db.execute("ALTER TABLE items RENAME COLUMN value TO payload")
    db.commit()
    db.close()
    assert "another layout" in _rerun(tmp_path, warm, expected)


def test_an_old_layout_is_moved_aside(tmp_path):
    folder = tmp_path / "c"
    folder.mkdir()
    db = sqlite3.connect(folder / CACHE_FILE)
    db.execute("CREATE TABLE items (namespace TEXT, key TEXT, value BLOB)")
    db.commit()
    db.close()
    cache = DiskCache(folder)
    cache.put_many("n", {"k": b"v"})
    assert cache.get_many("n", ["k"]) == {"k": b"v"}


def test_a_lock_held_too_long_means_no_cache(tmp_path, caplog):
    DiskCache(tmp_path).close()
    holder = sqlite3.connect(tmp_path / CACHE_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache = DiskCache(tmp_path, timeout=0.2)
        cache.put_many("n", {"k": b"v"})
        assert cache.get_many("n", ["k"]) == {}
        cache.close()
    finally:
        holder.execute("ROLLBACK")
    assert [r.getMessage() for r in caplog.records if "locked" in r.getMessage()]


def test_a_full_disk_stops_writing_with_one_warning(tmp_path, caplog):
    cache = DiskCache(tmp_path)
    (pages,) = cache._db.execute("PRAGMA page_count").fetchone()
    cache._db.execute(f"PRAGMA max_page_count = {pages + 1}")
    for i in range(5):
        cache.put_many("n", {str(j): os.urandom(4000) for j in range(i * 10, i * 10 + 10)})
    cache.close()
    full = [r for r in caplog.records if "cannot write" in r.getMessage()]
    assert len(full) == 1


def test_processes_creating_one_fresh_cache_at_once_all_succeed():
    failures, messages = race(rounds=10, procs=4)
    assert failures == 0, messages
