"""On-disk cache shared by the expensive stages (sentence embeddings, COMET scores).

One SQLite file, ``cache.sqlite3`` in the run's ``cache_dir``, holds byte values
under ``(namespace, key)``. A namespace names what produced the values and must
change whenever the producer would give other values (e.g. an embedder's
signature, a COMET checkpoint's hash); keys come from :func:`text_key`.

The cache is only a cache: every entry carries a keyed checksum of namespace, key
and value, verified on read; a bad entry is a miss (recomputed and replaced) and
the run warns once with the count at :meth:`DiskCache.close`. A file SQLite cannot
read, or one with another layout, is moved aside and rebuilt. A lock held past the
busy timeout, or a failed write (full disk), gives one warning and the run goes on
without the cache (or without writing): results never depend on it. Many processes
may open, create and write one cache at the same time (busy timeout set first, WAL,
one schema path under ``BEGIN IMMEDIATE``, retries on SQLITE_BUSY).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from mt_eval.errors import ConfigError

CACHE_FILE = "cache.sqlite3"
DEFAULT_CACHE_DIR = "~/.cache/mt-eval"
SCHEMA_VERSION = 2  # PRAGMA user_version of the layout below; 0/1: older layouts
_BATCH = 500  # keys per SELECT: well under SQLite's host-parameter limit
_COLUMNS = ("namespace", "key", "value", "checksum")
_SCHEMA = (
    "CREATE TABLE items ("
    " namespace TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
    " checksum BLOB NOT NULL, PRIMARY KEY (namespace, key)) WITHOUT ROWID"
)
_CHECK_KEY = b"mt-eval cache v2"
_DAMAGED = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED

log = logging.getLogger("mt_eval.cache")


def text_key(*parts: str) -> str:
    """Stable key for a tuple of texts (length-prefixed, so parts cannot run together)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def checksum(namespace: str, key: str, value: bytes) -> bytes:
    """Keyed 16-byte BLAKE2b of an entry (length-prefixed parts)."""
    digest = hashlib.blake2b(digest_size=16, key=_CHECK_KEY)
    for part in (namespace.encode("utf-8"), key.encode("utf-8"), value):
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.digest()


def _code(exc: sqlite3.Error) -> int:
    return (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def _is_busy(exc: sqlite3.Error) -> bool:
    return _code(exc) in _BUSY or "locked" in str(exc) or "busy" in str(exc)


class _Damaged(Exception):
    """The file is unreadable or has another layout (message: why)."""


class DiskCache:
    """Byte values under ``(namespace, key)`` in one SQLite file.

    Args:
        directory: Folder of the cache; created if missing.
        timeout: Seconds to wait for another process's lock before going on
            without the cache.

    Raises:
        ConfigError: The folder cannot be created, or the cache file cannot be
            opened or moved aside when damaged.
    """

    def __init__(self, directory: str | Path, timeout: float = 60.0) -> None:
        self.directory = Path(directory).expanduser()
        self.path = self.directory / CACHE_FILE
        self.timeout = timeout
        #: Entries found damaged (bad checksum, or rejected by a consumer) this run.
        self.damaged = 0
        self._db: sqlite3.Connection | None = None
        self._writable = True
        self._warned: set[str] = set()
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise self._config_error(exc) from None
        for _ in range(3):
            try:
                self._db = self._open()
                return
            except _Damaged as exc:
                self._move_aside(str(exc))
        raise self._config_error("still damaged after being rebuilt")

    def _config_error(self, why: object) -> ConfigError:
        return ConfigError(
            f"cache_dir: cannot use {self.directory} as a cache ({why}); "
            "give another folder with --cache-dir or turn the cache off with --no-cache"
        )

    def _open(self) -> sqlite3.Connection | None:
        """Connect and make sure of the schema; None (with a warning) when locked too long."""
        deadline = time.monotonic() + self.timeout
        delay = 0.005
        while True:
            db = None
            try:
                # The busy timeout is set by connect() before any statement runs.
                db = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
                db.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
                self._ino = os.stat(self.path).st_ino
                db.execute("PRAGMA journal_mode=WAL")
                self._ensure_schema(db)
                return db
            except sqlite3.Error as exc:
                if db is not None:
                    db.close()
                if _code(exc) in _DAMAGED:
                    raise _Damaged(str(exc)) from None
                if not _is_busy(exc):
                    raise self._config_error(exc) from None
                if time.monotonic() >= deadline:
                    self._warn(
                        "locked",
                        f"cache: {self.path} locked for more than "
                        f"{self.timeout:g} s; going on without the cache",
                    )
                    return None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
            except OSError as exc:
                if db is not None:
                    db.close()
                raise self._config_error(exc) from None
            except _Damaged:
                db.close()
                raise

    @staticmethod
    def _ensure_schema(db: sqlite3.Connection) -> None:
        """The one schema path: create in an empty file, else check version and layout."""
        db.execute("BEGIN IMMEDIATE")
        try:
            (version,) = db.execute("PRAGMA user_version").fetchone()
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master")]
            if version == 0 and not tables:
                db.execute(_SCHEMA)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            else:
                columns = tuple(r[1] for r in db.execute("PRAGMA table_info(items)"))
                if version != SCHEMA_VERSION or columns != _COLUMNS:
                    raise _Damaged(f"another layout: version {version}, columns {list(columns)}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    def _move_aside(self, why: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        aside = self.path.with_name(f"{CACHE_FILE}.damaged-{stamp}")
        try:
            if os.stat(self.path).st_ino == getattr(self, "_ino", None) or not hasattr(
                self, "_ino"
            ):
                os.replace(self.path, aside)
                for suffix in ("-wal", "-shm"):
                    side = self.path.with_name(CACHE_FILE + suffix)
                    if side.exists():
                        os.replace(side, aside.with_name(aside.name + suffix))
        except FileNotFoundError:
            pass  # another process moved it first
        except OSError as exc:
            raise self._config_error(f"damaged ({why}) and cannot be moved aside: {exc}") from None
        self._warn(
            "damaged-file",
            f"cache: {self.path} is damaged ({why}); moved aside to {aside.name} and rebuilt",
        )

    def _warn(self, what: str, message: str) -> None:
        if what not in self._warned:
            self._warned.add(what)
            log.warning("%s", message)

    def _failed(self, exc: sqlite3.Error, writing: bool) -> None:
        """Go on without the cache (or without writing) after ``exc``; warn once."""
        if _code(exc) in _DAMAGED:
            assert self._db is not None
            self._db.close()
            self._db = None
            self._move_aside(str(exc))
            return
        if _is_busy(exc):
            self._warn(
                "locked",
                f"cache: {self.path} locked for more than {self.timeout:g} s; "
                "going on without the cache",
            )
            self._db.close()  # type: ignore[union-attr]
            self._db = None
        elif writing:
            self._warn(
                "write", f"cache: cannot write to {self.path} ({exc}); going on without writing"
            )
            self._writable = False
        else:
            self._warn(
                "read", f"cache: cannot read {self.path} ({exc}); going on without the cache"
            )
            self._db.close()  # type: ignore[union-attr]
            self._db = None

    def get_many(self, namespace: str, keys: Iterable[str]) -> dict[str, bytes]:
        """Verified values found for ``keys`` in ``namespace`` (missing or damaged: absent)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, bytes] = {}
        if self._db is None:
            return found
        try:
            for start in range(0, len(wanted), _BATCH):
                chunk = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    "SELECT key, value, checksum FROM items"
                    f" WHERE namespace = ? AND key IN ({marks})",
                    [namespace, *chunk],
                ).fetchall()
                for k, v, c in rows:
                    value = bytes(v) if isinstance(v, bytes | memoryview) else None
                    if value is not None and c == checksum(namespace, k, value):
                        found[k] = value
                    else:
                        self.damaged += 1
        except sqlite3.Error as exc:
            self._failed(exc, writing=False)
            return {}
        return found

    def reject(self, count: int = 1) -> None:
        """Count entries a consumer found unusable (wrong length, undecodable) as damaged."""
        self.damaged += count

    def put_many(self, namespace: str, items: Mapping[str, bytes]) -> None:
        """Store ``items`` in ``namespace``, replacing values already there."""
        if self._db is None or not self._writable or not items:
            return
        rows = [(namespace, k, v, checksum(namespace, k, v)) for k, v in items.items()]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO items (namespace, key, value, checksum)"
                " VALUES (?, ?, ?, ?)",
                rows,
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._failed(exc, writing=True)

    def count(self, namespace: str) -> int:
        """Number of values stored in ``namespace`` (0 when the cache is off)."""
        if self._db is None:
            return 0
        try:
            (n,) = self._db.execute(
                "SELECT COUNT(*) FROM items WHERE namespace = ?", [namespace]
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc, writing=False)
            return 0
        return int(n)

    def close(self) -> None:
        """Close the connection; warn once if damaged entries were recomputed."""
        if self.damaged:
            log.warning("cache: %d damaged entries recomputed", self.damaged)
            self.damaged = 0
        if self._db is not None:
            self._db.close()
            self._db = None


def open_cache(cache_dir: str | None) -> DiskCache | None:
    """The cache in ``cache_dir``, or None when caching is off (``cache_dir`` empty or None)."""
    return DiskCache(cache_dir) if cache_dir else None
