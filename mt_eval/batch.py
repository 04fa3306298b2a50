"""Many documents at once: folders matched by name, and manifests.

Folder mode pairs ``SOURCE_DIR/NAME[.LANG].EXT`` with ``TARGET_DIR/NAME[.LANG].EXT``
(and each ``REFERENCE_DIR``, one reference per folder): a file's key is its name
without the last suffix and without a final ``.LANG`` of its language, so
``moscow-times.en.txt`` pairs with ``moscow-times.id.txt``. Every file on either
side must find its partner.
With ``--pair-by content`` (:func:`content_pairs`) the texts decide instead
(:mod:`mt_eval.pairing`), and documents that render nothing are listed, not run.

A manifest is a CSV or TSV table with a header row holding the columns ``pair``,
``source``, ``source_lang``, ``system``, ``target`` and ``target_lang``, and
optionally ``reference`` (several references of one document: their paths joined by
``|``); one row per system of a pair. Paths are taken from the
manifest's folder. Rows of one pair must agree on its source, languages and
reference.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mt_eval.config import PairConfig, RunSettings
from mt_eval.deliveries import Delivery
from mt_eval.documents import read_text
from mt_eval.errors import ConfigError, InputError
from mt_eval.languages import normalize_lang

if TYPE_CHECKING:
    from mt_eval.pairing import Pairing

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
    reference_dir: Path | Sequence[Path] | None = None,
    system: str | None = None,
    aligned: bool = False,
) -> tuple[PairConfig, ...]:
    """One pair per source document, its system the target document of the same name.

    ``reference_dir`` is a folder of references, or several (``--reference-dir``
    repeated): each document then has one reference from each, matched by name, in
    the folders' order (multi-reference BLEU, chrF and TER; COMET uses the first).

    Raises:
        InputError: A folder is missing or empty, or a file on either side has no partner.
    """
    src_lang = normalize_lang(source_lang, where="--source-lang: ")
    tgt_lang = normalize_lang(target_lang, where="--target-lang: ")
    sources = _files(source_dir, src_lang, "--source-dir")
    targets = _files(target_dir, tgt_lang, "--target-dir")
    if missing := [k for k in sources if k not in targets]:
        raise _unmatched(missing, "translation", target_dir)
    if extra := [k for k in targets if k not in sources]:
        raise _unmatched(extra, "source", source_dir)
    matches = [(k, k) for k in sources]
    return _pairs(matches, sources, targets, src_lang, tgt_lang, reference_dir, system, aligned)


def _pairs(
    matches: Sequence[tuple[str, str]],
    sources: dict[str, Path],
    targets: dict[str, Path],
    src_lang: str,
    tgt_lang: str,
    reference_dir: Path | Sequence[Path] | None,
    system: str | None,
    aligned: bool,
) -> tuple[PairConfig, ...]:
    folders = _folders(reference_dir)
    refs = [_files(folder, tgt_lang, "--reference-dir") for folder in folders]
    for folder, found in zip(folders, refs, strict=True):
        if missing := [s for s, _ in matches if s not in found]:
            raise _unmatched(missing, "reference", folder)
    target_dir = next(iter(targets.values())).parent
    name = system or target_dir.resolve().name or "system"
    return tuple(
        PairConfig(
            name=skey,
            source=sources[skey],
            source_lang=src_lang,
            target_lang=tgt_lang,
            systems=((name, Delivery(targets[tkey])),),
            reference=tuple(found[skey] for found in refs) or None,
            aligned=aligned,
        )
        for skey, tkey in matches
    )


def _folders(reference_dir: Path | Sequence[Path] | None) -> tuple[Path, ...]:
    """The reference folders: none, one, or several in order."""
    if reference_dir is None:
        return ()
    if isinstance(reference_dir, Path | str):
        return (Path(reference_dir),)
    return tuple(Path(p) for p in reference_dir)


def content_pairs(
    source_dir: Path,
    target_dir: Path,
    source_lang: str,
    target_lang: str,
    settings: RunSettings,
    reference_dir: Path | Sequence[Path] | None = None,
    system: str | None = None,
    aligned: bool = False,
    align_options: Mapping[str, Any] | None = None,
) -> tuple[tuple[PairConfig, ...], Pairing]:
    """Pairs found from the documents' texts (:mod:`mt_eval.pairing`), and the evidence.

    References are matched to the sources by name. Documents left unpaired on
    either side are not evaluated; the :class:`~mt_eval.pairing.Pairing` lists them.

    Raises:
        InputError: A folder is missing or empty, a document cannot be read, no
            target renders any source, or a source has no reference of its name.
    """
    from mt_eval.cache import open_cache
    from mt_eval.embed import get_embedder
    from mt_eval.loading import load_text
    from mt_eval.pairing import pair_documents

    src_lang = normalize_lang(source_lang, where="--source-lang: ")
    tgt_lang = normalize_lang(target_lang, where="--target-lang: ")
    sources = _files(source_dir, src_lang, "--source-dir")
    targets = _files(target_dir, tgt_lang, "--target-dir")
    src_texts = {k: load_text(p, src_lang, False) for k, p in sources.items()}
    tgt_texts = {k: load_text(p, tgt_lang, False) for k, p in targets.items()}
    cache = open_cache(settings.cache_dir)
    try:
        embedder = get_embedder(settings.embedder, threads=settings.threads, cache=cache)
        pairing = pair_documents(
            src_texts, tgt_texts, embedder, seed=settings.seed, align_options=align_options
        )
    finally:
        if cache is not None:
            cache.close()
    if not pairing.matches:
        raise InputError(
            f"{target_dir}: no document renders any of {source_dir} (--pair-by content)"
        )
    left = [d for d in pairing.decisions if d.decision != "paired"]
    if left:
        logging.getLogger(__name__).warning(
            "%d of %d documents pair with nothing and are not evaluated (see pairing.csv)",
            len(left),
            len(sources) + len(targets),
        )
    keyed = [(s, t) for s, t in pairing.matches]
    pairs = _pairs(keyed, sources, targets, src_lang, tgt_lang, reference_dir, system, aligned)
    return pairs, pairing


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
    # several references of one document: their paths joined by "|"
    reference = tuple(base / r.strip() for r in cells.get("reference", "").split("|") if r.strip())
    entry = {
        "source": base / cells["source"],
        "source_lang": src_lang,
        "target_lang": tgt_lang,
        "reference": reference or None,
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
