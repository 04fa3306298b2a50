"""Cross-lingual similarity: cosine of source and translation sentence embeddings.

It needs no reference, so it applies to every pair the embedder covers. A score
near 1 means the translation says much the same as the source; a low score hints
at a mistranslation, an omission or an addition. The embedder is built lazily, on
first use, or shared with the aligner by passing an :class:`Embedder` instance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from mt_eval.errors import ConfigError
from mt_eval.metrics.base import Metric, is_empty
from mt_eval.model import Segment

if TYPE_CHECKING:
    from mt_eval.embed import Embedder


class Similarity(Metric):
    """Cosine similarity of ``Segment.src`` and ``Segment.mt`` embeddings.

    Statistics are the per-segment cosines (floats in -1..1); the corpus score is
    their mean.

    Args:
        embedder: Embedder name for :func:`mt_eval.embed.get_embedder` (``"use"``,
            ``"e5"``, ``"sbert:NAME_OR_PATH"``), built on first use.
        threads: CPU threads for an embedder built from its name.
        embedder_instance: An already built :class:`~mt_eval.embed.Embedder` to use
            instead of building one (e.g. the aligner's, so the model is loaded once);
            when given, ``embedder`` and ``threads`` are not used.

    Raises:
        ConfigError: ``threads`` is not a positive integer; when the embedder is
            first built, its name is unknown or the model cannot be loaded.
    """

    name = "similarity"
    runtime_args = frozenset({"embedder_instance"})
    skip_reason = "empty source or translation"

    def __init__(
        self,
        embedder: str = "use",
        threads: int = 1,
        embedder_instance: Embedder | None = None,
    ) -> None:
        if not isinstance(embedder, str) or not embedder:
            raise ConfigError(f"similarity embedder must be a non-empty name, not {embedder!r}")
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
            raise ConfigError(f"similarity threads must be a positive integer, not {threads!r}")
        self.embedder_name = embedder if embedder_instance is None else embedder_instance.name
        self.threads = threads
        self._embedder = embedder_instance

    @property
    def embedder(self) -> Embedder:
        """The embedder, built on first access."""
        if self._embedder is None:
            from mt_eval.embed import get_embedder

            self._embedder = get_embedder(self.embedder_name, threads=self.threads)
        return self._embedder

    def segment_statistics(self, segments: Sequence[Segment]) -> list[float | None]:
        """Cosine of source and translation per segment; ``None`` where a side is empty."""
        todo = [i for i, s in enumerate(segments) if not (is_empty(s.src) or is_empty(s.mt))]
        out: list[float | None] = [None] * len(segments)
        if not todo:
            return out
        src = self.embedder.encode([segments[i].src for i in todo]).astype(np.float64)
        mt = self.embedder.encode([segments[i].mt for i in todo]).astype(np.float64)
        cosines = np.clip(np.einsum("ij,ij->i", src, mt), -1.0, 1.0)
        for i, value in zip(todo, cosines, strict=True):
            out[i] = float(value)
        return out

    def segment_score(self, stats: float) -> float:
        """The cosine itself."""
        return float(stats)

    def aggregate(self, stats_list: Sequence[float]) -> float | None:
        """Mean cosine of the scored segments; ``None`` if there are none."""
        if not stats_list:
            return None
        return math.fsum(stats_list) / len(stats_list)

    def signature(self) -> str:
        """``similarity:cosine|`` followed by the embedder's signature (builds it)."""
        return f"similarity:cosine|{self.embedder.signature()}"
