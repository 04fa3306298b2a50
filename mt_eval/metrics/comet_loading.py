"""Find, identify and load a COMET checkpoint without surprises on an offline machine.

A model is named by a Hugging Face hub id (``Unbabel/wmt22-comet-da``), a ``.ckpt``
file, or a folder holding ``checkpoints/model.ckpt`` (with ``hparams.yaml`` beside
``checkpoints/``, as unbabel-comet lays models out). :func:`resolve_checkpoint`
finds its files and reads ``hparams.yaml`` with light imports only (PyYAML and
huggingface_hub, never torch or comet): a hub model is looked up in the local
Hugging Face cache first and downloaded only when the hub answers a quick
connection probe, so a run on an offline machine learns within a second that the
model cannot be had, and says exactly how to get it. :func:`load_model` then builds
the model as ``comet.load_from_checkpoint`` does, but from local files only and
with ``pretrained_model`` (the encoder's tokenizer and configuration) pointed at a
folder that exists: a checkpoint saved with an absolute encoder path still loads
after its folder moves, when the encoder folder moved with it.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from mt_eval.cache import text_key
from mt_eval.errors import ConfigError, MetricUnavailable

if TYPE_CHECKING:
    from mt_eval.cache import DiskCache

log = logging.getLogger(__name__)

CHECKPOINT = Path("checkpoints") / "model.ckpt"
HPARAMS = "hparams.yaml"
ENCODER_FILES = ("config.json",)
TOKENIZER_FILES = ("tokenizer.json", "sentencepiece.bpe.model", "spiece.model", "vocab.txt")
ENCODER_PATTERNS = ["*.json", "*.model", "*.txt"]  # tokenizer and config; never weights
PROBE_TIMEOUT_S = 3.0
KNOWN_ENCODERS = {  # pretrained_model in the hparams.yaml of well-known models
    "Unbabel/wmt22-comet-da": "xlm-roberta-large",
    "Unbabel/wmt20-comet-qe-da": "xlm-roberta-large",
    "Unbabel/wmt22-cometkiwi-da": "microsoft/infoxlm-large",
    "Unbabel/wmt23-cometkiwi-da-xl": "facebook/xlm-roberta-xl",
    "Unbabel/XCOMET-XL": "facebook/xlm-roberta-xl",
    "Unbabel/XCOMET-XXL": "facebook/xlm-roberta-xxl",
}
GATED = {
    "Unbabel/wmt22-cometkiwi-da",
    "Unbabel/wmt23-cometkiwi-da-xl",
    "Unbabel/XCOMET-XL",
    "Unbabel/XCOMET-XXL",
}
_HASH_NAMESPACE = "file-sha256"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_QE_CLASSES = {"referenceless_regression_metric"}
_REF_CLASSES = {"regression_metric", "ranking_metric"}
_UNIFIED_CLASSES = {"unified_metric", "xcomet_metric"}


@dataclass(frozen=True)
class CometCheckpoint:
    """A COMET model found on disk, identified and ready to load.

    Attributes:
        name: The model as the user named it (hub id or path).
        checkpoint: The ``model.ckpt`` file.
        hparams: The contents of ``hparams.yaml``.
        encoder: Local folder with the encoder's configuration and tokenizer, passed
            to comet as ``pretrained_model`` at load time.
        sha256: SHA-256 of the checkpoint file: the model's identity in caches and
            signatures.
    """

    name: str
    checkpoint: Path
    hparams: Mapping[str, Any]
    encoder: str
    sha256: str

    @property
    def class_identifier(self) -> str:
        """The unbabel-comet model class name, e.g. ``regression_metric``."""
        return str(self.hparams.get("class_identifier", ""))

    @property
    def input_segments(self) -> tuple[str, ...]:
        """Inputs a unified model was trained on (``mt``, ``src``, ``ref``)."""
        if self.class_identifier == "xcomet_metric":
            return ("mt", "src", "ref")
        return tuple(self.hparams.get("input_segments", ("mt", "src", "ref")))

    @property
    def requires_references(self) -> bool:
        """Whether the model cannot score without a reference (as comet decides)."""
        if self.class_identifier in _UNIFIED_CLASSES:
            return self.input_segments == ("mt", "ref")
        return self.class_identifier not in _QE_CLASSES

    @property
    def uses_reference(self) -> bool:
        """Whether the model reads a reference when one is given."""
        if self.class_identifier in _UNIFIED_CLASSES:
            return "ref" in self.input_segments
        return self.class_identifier not in _QE_CLASSES

    @property
    def kind(self) -> str:
        """``reference-based``, ``quality estimation`` or ``unified`` (either)."""
        if self.requires_references:
            return "reference-based"
        return "unified" if self.uses_reference else "quality estimation"


def looks_like_path(name: str) -> bool:
    """Whether a model name is meant as a local path rather than a hub id."""
    return name.endswith(".ckpt") or name.startswith(("/", ".", "~"))


def local_model_path(name: str, base: Path) -> str:
    """A model name with a local path made absolute (relative to ``base``); hub ids as given.

    Args:
        name: Hub id, ``.ckpt`` file or model folder.
        base: Folder relative paths are taken from (the config file's, or the
            current directory for the command line).
    """
    path = Path(name).expanduser()
    path = path if path.is_absolute() else base / path
    if path.exists() or looks_like_path(name):
        return str(path.resolve())
    return name


def check_local_model(name: str, key: str) -> None:
    """Raise ConfigError when ``name`` is meant as a path and holds no COMET checkpoint.

    Args:
        name: The model name (after :func:`local_model_path`).
        key: The configuration key, for the message.
    """
    try:
        _local_checkpoint(name)
    except ConfigError as exc:
        raise ConfigError(f"{key}: {exc}") from None


def _local_checkpoint(name: str) -> Path | None:
    """The ``model.ckpt`` of a model named by path, or ``None`` for a hub id.

    Raises:
        ConfigError: ``name`` is meant as a path and holds no COMET checkpoint.
    """
    path = Path(name).expanduser()
    if not (path.exists() or looks_like_path(name)):
        return None
    if path.is_dir():
        ckpt = path / CHECKPOINT
        if not ckpt.is_file():
            raise ConfigError(
                f"COMET model folder {path} holds no {CHECKPOINT}; give a .ckpt file or a "
                "folder laid out as unbabel-comet saves models (checkpoints/model.ckpt, "
                "hparams.yaml)"
            )
        path = ckpt
    if not path.is_file():
        raise ConfigError(f"COMET checkpoint {path} does not exist")
    if not (path.parents[1] / HPARAMS).is_file():
        raise ConfigError(
            f"COMET checkpoint {path} has no {HPARAMS} in {path.parents[1]} "
            "(unbabel-comet reads the model class from it)"
        )
    return path


def _read_hparams(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read COMET hparams ({exc})") from None
    if not isinstance(data, dict) or "class_identifier" not in data:
        raise ConfigError(f"{path}: no class_identifier; not a COMET hparams.yaml")
    known = _QE_CLASSES | _REF_CLASSES | _UNIFIED_CLASSES
    if data["class_identifier"] not in known:
        raise ConfigError(
            f"{path}: unknown COMET class_identifier {data['class_identifier']!r} "
            f"(known: {', '.join(sorted(known))})"
        )
    return data


# -- the Hugging Face hub: local cache first, the network only when it answers ------


def hub_cache_dir() -> str:
    """The local Hugging Face hub cache (``HF_HUB_CACHE``, or ``HF_HOME``/hub)."""
    from huggingface_hub import constants

    return str(constants.HF_HUB_CACHE)


def _cached_snapshot(
    repo_id: str, files: tuple[str, ...], any_of: tuple[str, ...] = ()
) -> Path | None:
    """The cached snapshot folder of ``repo_id`` holding all ``files`` (and one of ``any_of``)."""
    from huggingface_hub import constants

    if not (Path(constants.HF_HUB_CACHE) / f"models--{repo_id.replace('/', '--')}").is_dir():
        return None  # not cached at all: known without importing the hub client (0.1 s)
    from huggingface_hub import try_to_load_from_cache

    folder: Path | None = None
    for name in files:
        found = try_to_load_from_cache(repo_id, name)
        if not isinstance(found, str):
            return None
        if folder is None:  # the snapshot folder: the file's path less its own parts
            folder = Path(found).parents[len(Path(name).parts) - 1]
    if any_of and not any(
        isinstance(try_to_load_from_cache(repo_id, name), str) for name in any_of
    ):
        return None
    return folder


@functools.lru_cache(maxsize=1)
def hub_unreachable_reason() -> str:
    """Why the hub cannot be reached now, or ``""`` when it answers (checked once a run)."""
    from huggingface_hub import constants

    if constants.HF_HUB_OFFLINE:
        return "HF_HUB_OFFLINE is set"
    url = urlparse(constants.ENDPOINT)
    host = url.hostname or "huggingface.co"
    port = url.port or (443 if url.scheme == "https" else 80)
    if any(os.environ.get(v) for v in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")):
        return ""  # behind a proxy a direct probe proves nothing; let the download try
    try:
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        return f"{host} cannot be reached ({exc.strerror or exc})"
    return ""


def _fix_hint(repo_id: str) -> str:
    encoder = KNOWN_ENCODERS.get(repo_id, "")
    encoder_hint = (
        f"and its encoder's config and tokenizer with `huggingface-cli download {encoder} "
        "--include '*.json' '*.model'`"
        if encoder
        else "together with the config and tokenizer of the encoder it names as "
        "pretrained_model in its hparams.yaml"
    )
    gated = (
        "first accept its licence"
        if repo_id in GATED
        else "for a gated model, first accept its licence"
    )
    return (
        f"To fix: on a machine with internet run `huggingface-cli download {repo_id}` "
        f"({gated} on https://huggingface.co/{repo_id} and log in with "
        f"`huggingface-cli login` or set HF_TOKEN), {encoder_hint}, and copy the cache to "
        f"{hub_cache_dir()} (HF_HOME or HF_HUB_CACHE choose that folder); or pass a local "
        "checkpoint with --comet-model PATH (a .ckpt file or a folder holding "
        "checkpoints/model.ckpt); or turn COMET off with --no-comet."
    )


def _hub_model(repo_id: str) -> Path:
    """The ``model.ckpt`` of a hub model, from the local cache or downloaded."""
    files = (CHECKPOINT.as_posix(), HPARAMS)
    folder = _cached_snapshot(repo_id, files)
    if folder is None:
        reason = hub_unreachable_reason()
        if reason:
            raise MetricUnavailable(
                f"COMET model {repo_id!r} is not in the local Hugging Face cache "
                f"({hub_cache_dir()}) and cannot be downloaded: {reason}.",
                _fix_hint(repo_id),
            )
        folder = _download(repo_id, None, f"COMET model {repo_id!r}")
    return folder / CHECKPOINT


def _download(repo_id: str, patterns: list[str] | None, what: str) -> Path:
    from huggingface_hub import snapshot_download

    log.warning(
        "downloading %s from the Hugging Face hub to %s (COMET models are GBs; "
        "--no-comet skips COMET)",
        what,
        hub_cache_dir(),
    )
    try:
        return Path(snapshot_download(repo_id, allow_patterns=patterns))
    except Exception as exc:  # noqa: BLE001 - every hub failure becomes the same clear message
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise MetricUnavailable(
            f"{what} is not in the local Hugging Face cache ({hub_cache_dir()}) and the "
            f"download failed: {type(exc).__name__}: {first}.",
            _fix_hint(repo_id),
        ) from None


def _has_encoder_files(folder: Path) -> bool:
    return all((folder / f).is_file() for f in ENCODER_FILES) and any(
        (folder / f).is_file() for f in TOKENIZER_FILES
    )


def _encoder_folder(pretrained_model: str, root: Path) -> str:
    """A local folder holding the encoder's config and tokenizer.

    Tried in order: ``pretrained_model`` itself when it is a folder; a folder beside
    the checkpoint named ``encoder`` or like the last part of ``pretrained_model``
    (so a checkpoint saved with an absolute path loads after its folder moved); the
    hub id in the local Hugging Face cache; a download of its config and tokenizer.
    """
    given = Path(pretrained_model).expanduser()
    candidates = [given] if given.is_absolute() or given.exists() else []
    candidates += [root / "encoder", root / given.name]
    for folder in candidates:
        if folder.is_dir() and _has_encoder_files(folder):
            return str(folder.resolve())
    if given.is_absolute() or pretrained_model.startswith("."):
        raise ConfigError(
            f"{root / HPARAMS}: the encoder folder {pretrained_model} (pretrained_model) "
            f"does not exist, and no folder 'encoder' or {given.name!r} beside the "
            f"checkpoint in {root} holds config.json and a tokenizer; put the encoder's "
            "config and tokenizer there"
        )
    folder = _cached_snapshot(pretrained_model, ENCODER_FILES, TOKENIZER_FILES)
    if folder is not None:
        return str(folder)
    what = f"the encoder config and tokenizer {pretrained_model!r} (pretrained_model)"
    reason = hub_unreachable_reason()
    if reason:
        raise MetricUnavailable(
            f"COMET needs {what} of the model in {root}, which is not in the local Hugging "
            f"Face cache ({hub_cache_dir()}) and cannot be downloaded: {reason}.",
            f"To fix: on a machine with internet run `huggingface-cli download {pretrained_model} "
            "--include '*.json' '*.model' '*.txt'` and copy the cache here, or put those "
            f"files in a folder named 'encoder' beside the checkpoint ({root / 'encoder'}); "
            "or turn COMET off with --no-comet.",
        )
    return str(_download(pretrained_model, ENCODER_PATTERNS, what))


def checkpoint_sha256(path: Path, cache: DiskCache | None = None) -> str:
    """SHA-256 of a checkpoint file, read once per file version.

    A file in the Hugging Face cache is a link to a blob named by its SHA-256, which
    is taken as is; other files are hashed and the digest cached under the file's
    real path, size and modification time.
    """
    real = path.resolve()
    if _SHA256.fullmatch(real.name):
        return real.name
    st = real.stat()
    key = text_key(str(real), str(st.st_size), str(st.st_mtime_ns))
    if cache is not None:
        hit = cache.get_many(_HASH_NAMESPACE, [key]).get(key)
        if hit and _SHA256.fullmatch(hit.decode("ascii", "replace")):
            return hit.decode("ascii")
        if hit:
            cache.reject()
    with real.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    if cache is not None:
        cache.put_many(_HASH_NAMESPACE, {key: digest.encode("ascii")})
    return digest


def resolve_checkpoint(name: str, cache: DiskCache | None = None) -> CometCheckpoint:
    """Find a COMET model's files and identify it, without importing torch or comet.

    Args:
        name: Hub id, ``.ckpt`` file or folder holding ``checkpoints/model.ckpt``.
        cache: Cache of checkpoint hashes (optional).

    Raises:
        MetricUnavailable: A hub model (or its encoder's tokenizer) is neither cached
            nor downloadable; the message says which files, where, and how to fix it.
        ConfigError: A local checkpoint is missing or malformed.
    """
    ckpt = _local_checkpoint(name) or _hub_model(name)
    root = ckpt.parents[1]
    hparams = _read_hparams(root / HPARAMS)
    encoder = _encoder_folder(str(hparams.get("pretrained_model", "xlm-roberta-large")), root)
    return CometCheckpoint(name, ckpt, hparams, encoder, checkpoint_sha256(ckpt, cache))


def load_model(checkpoint: CometCheckpoint) -> Any:
    """Build the comet model of ``checkpoint`` as ``comet.load_from_checkpoint`` does.

    The same class, keyword arguments and hparams.yaml workaround as unbabel-comet
    2.2.x, plus ``pretrained_model`` pointed at :attr:`CometCheckpoint.encoder` and
    ``local_files_only``, so loading never touches the network.

    Raises:
        MetricUnavailable: unbabel-comet is not installed.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        import torch
        from comet.models import str2model
    except ImportError as exc:
        raise MetricUnavailable(
            f"COMET needs unbabel-comet and torch ({exc}); install them with "
            "`pip install torch==2.13.0 && pip install 'mt-eval[comet]'`"
        ) from None
    finally:  # importing comet calls logging.basicConfig(level=INFO): undo it
        root.handlers[:] = handlers
        root.setLevel(level)
    kwargs: dict[str, Any] = {
        "checkpoint_path": checkpoint.checkpoint,
        "load_pretrained_weights": False,
        "hparams_file": None,
        "map_location": torch.device("cpu"),
        "strict": False,
        "local_files_only": True,
        "pretrained_model": checkpoint.encoder,
    }
    if checkpoint.hparams.get("layer_transformation") == "sparsemax_patch":
        kwargs["layer_transformation"] = "softmax"  # comet >= 2.2.4 does the same (issue 244)
    log.info("loading COMET model %s (%s)", checkpoint.name, checkpoint.kind)
    return str2model[checkpoint.class_identifier].load_from_checkpoint(**kwargs)
