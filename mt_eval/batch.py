"""Many documents at once: folders matched by name, and manifests.

Folder mode pairs ``SOURCE_DIR/NAME[.LANG].EXT`` with ``TARGET_DIR/NAME[.LANG].EXT``
(and ``REFERENCE_DIR``): a file's key is its name without the last suffix and
without a final ``.LANG`` of its language, so ``moscow-times.en.txt`` pairs with
``moscow-times.id.txt``. Every file on either side must find its partner.

A manifest is a CSV or TSV table with a header row holding the columns ``pair``,
``source``, ``source_lang``, ``system``, ``target`` and ``target_lang``, and
optionally ``reference``; one row per system of a pair. Paths are taken from the
manifest's folder. Rows of one pair must agree on its source, languages and
reference.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from mt_eval.config import PairConfig
from mt_eval.deliveries import Delivery
from mt_eval.documents import read_text
from mt_eval.errors import ConfigError, InputError
from mt_eval.languages import normalize_lang

MANIFEST_COLUMNS = ("pair", "source", "source_lang", "system", "target", "target_lang")
"""Columns every manifest has (``reference`` is optional)."""


def document_key(path: Path, lang: str) -> str:
    """The name a document is matched by: no last suffix, no final ``.LANG``."""
    stem = path.name.rsplit(".", 1)[0] if "." in path.name.lstrip(".") else path.name
    suffix = f".{lang}".lower()
    if stem.lower().endswith(suffix) and len(stem) > len(suffix):
        stem = stem[: -len(suffix)]
    return stem


def _files(folder: Path, lang: str, option: str) -> dict[str, Path]:
    if not folder.is_dir():
        raise InputError(f"{folder}: {option} is not a folder")
    out: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        key = document_key(path, lang)
        if key in out:
            raise InputError(f"{path}: same name as {out[key].name} ({option}); rename one")
        out[key] = path
    if not out:
        raise InputError(f"{folder}: {option} holds no documents")
    return out


def _unmatched(names: Sequence[str], side: str, other: Path) -> InputError:
    listed = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return InputError(f"{other}: no {side} for {listed} (files are matched by name)")


def folder_pairs(
    source_dir: Path,
    target_dir: Path,
    source_lang: str,
    target_lang: str,
    reference_dir: Path | None = None,
    system: str | None = None,
    aligned: bool = False,
) -> tuple[PairConfig, ...]:
    """One pair per source document, its system the target document of the same name.

    Raises:
        InputError: A folder is missing or empty, or a file on either side has no partner.
    """
    src_lang = normalize_lang(source_lang, where="--source-lang: ")
    tgt_lang = normalize_lang(target_lang, where="--target-lang: ")
    sources = _files(source_dir, src_lang, "--source-dir")
    targets = _files(target_dir, tgt_lang, "--target-dir")
    refs = _files(reference_dir, tgt_lang, "--reference-dir") if reference_dir else {}
    if missing := [k for k in sources if k not in targets]:
        raise _unmatched(missing, "translation", target_dir)
    if extra := [k for k in targets if k not in sources]:
        raise _unmatched(extra, "source", source_dir)
    if reference_dir and (missing := [k for k in sources if k not in refs]):
        raise _unmatched(missing, "reference", reference_dir)
    name = system or target_dir.resolve().name or "system"
    return tuple(
        PairConfig(
            name=key,
            source=path,
            source_lang=src_lang,
            target_lang=tgt_lang,
            systems=((name, Delivery(targets[key])),),
            reference=refs.get(key),
            aligned=aligned,
        )
        for key, path in sources.items()
    )


def read_manifest(path: Path, aligned: bool = False) -> tuple[PairConfig, ...]:
    """The pairs a manifest lists, in the order of their first rows.

    Raises:
        ConfigError: A column is missing, a cell is empty, a language code is
            invalid, or rows of one pair disagree (naming file and line).
        InputError: The file cannot be read.
    """
    text = read_text(path)
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames or []
        if missing := [c for c in MANIFEST_COLUMNS if c not in header]:
            raise ConfigError(f"{path}:1: no column {missing[0]!r} (columns: {', '.join(header)})")
        pairs: dict[str, dict] = {}
        for row in reader:
            line = reader.line_num
            _add_row(pairs, row, path, line)
    except csv.Error as exc:
        raise ConfigError(f"{path}:{reader.line_num}: {exc}") from None
    if not pairs:
        raise ConfigError(f"{path}: no rows")
    return tuple(
        PairConfig(
            name=name,
            source=p["source"],
            source_lang=p["source_lang"],
            target_lang=p["target_lang"],
            systems=tuple(p["systems"]),
            reference=p["reference"],
            aligned=aligned,
        )
        for name, p in pairs.items()
    )


def _add_row(pairs: dict[str, dict], row: dict, path: Path, line: int) -> None:
    where = f"{path}:{line}"
    if None in row or any(row.get(c) is None for c in MANIFEST_COLUMNS):
        raise ConfigError(f"{where}: the row has {len(row)} cells, the header differs")
    cells = {k: (v or "").strip() for k, v in row.items()}
    for column in MANIFEST_COLUMNS:
        if not cells[column]:
            raise ConfigError(f"{where}: empty {column!r}")
    try:
        src_lang = normalize_lang(cells["source_lang"], where=f"{where}: source_lang: ")
        tgt_lang = normalize_lang(cells["target_lang"], where=f"{where}: target_lang: ")
    except InputError as exc:
        raise ConfigError(str(exc)) from None
    base = path.parent
    reference = base / cells["reference"] if cells.get("reference") else None
    entry = {
        "source": base / cells["source"],
        "source_lang": src_lang,
        "target_lang": tgt_lang,
        "reference": reference,
    }
    pair = pairs.setdefault(cells["pair"], {**entry, "systems": []})
    for key, value in entry.items():
        if pair[key] != value:
            raise ConfigError(
                f"{where}: pair {cells['pair']!r} has {key} {value}, an earlier row {pair[key]}"
            )
    if cells["system"] in (s for s, _ in pair["systems"]):
        raise ConfigError(f"{where}: system {cells['system']!r} twice in pair {cells['pair']!r}")
    pair["systems"].append((cells["system"], Delivery(base / cells["target"])))
