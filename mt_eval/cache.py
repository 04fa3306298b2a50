"""On-disk cache shared by the expensive stages (sentence embeddings, COMET scores).

One SQLite file, ``cache.sqlite3`` in the run's ``cache_dir``, holds byte values
under ``(namespace, key)``. A namespace names what produced the values and must
change whenever the producer would give other values (e.g. an embedder's
signature, a COMET checkpoint's hash); keys come from :func:`text_key`. SQLite
makes concurrent runs that share a cache safe. A cache is never required: stages
take ``cache=None`` and then compute everything.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Mapping
from pathlib import Path

from mt_eval.errors import ConfigError

CACHE_FILE = "cache.sqlite3"
DEFAULT_CACHE_DIR = "~/.cache/mt-eval"
_BATCH = 500  # keys per SELECT: well under SQLite's host-parameter limit


def text_key(*parts: str) -> str:
    """Stable key for a tuple of texts (length-prefixed, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


class DiskCache:
    """Byte values under ``(namespace, key)`` in one SQLite file.

    Args:
        directory: Folder of the cache; created if missing.

    Raises:
        ConfigError: The folder cannot be created or the cache file cannot be opened.
    """

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory).expanduser()
        self.path = self.directory / CACHE_FILE
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS items ("
                " namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                " PRIMARY KEY (namespace, key)) WITHOUT ROWID"
            )
            self._db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(
                f"cache_dir: cannot use {self.directory} as a cache ({exc}); "
                "give another folder with --cache-dir or turn the cache off with --no-cache"
            ) from None

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        """Values found for ``keys`` in ``namespace`` (missing keys are absent)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, value FROM items WHERE namespace = ? AND key IN ({marks})",
                [namespace, *chunk],
            )
            found.update((k, bytes(v)) for k, v in rows)
        return found

    def put_many(self, namespace: str, items: Mapping[str, bytes]) -> None:
        """Store ``items`` in ``namespace``, replacing values already there."""
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO items (namespace, key, value) VALUES (?, ?, ?)",
                [(namespace, k, v) for k, v in items.items()],
            )

    def count(self, namespace: str) -> int:
        """Number of values stored in ``namespace``."""
        (n,) = self._db.execute(
            "SELECT COUNT(*) FROM items WHERE namespace = ?", [namespace]
        ).fetchone()
        return int(n)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()


def open_cache(cache_dir: str | None) -> DiskCache | None:
    """The cache in ``cache_dir``, or None when caching is off (``cache_dir`` empty or None)."""
    return DiskCache(cache_dir) if cache_dir else None
