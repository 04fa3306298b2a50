"""Tiny random-weight COMET checkpoints, built offline in seconds, laid out as comet saves them.

Each model folder holds ``hparams.yaml``, ``checkpoints/model.ckpt`` and ``encoder/``
(a two-layer XLM-R-style configuration and a sentencepiece tokenizer trained on the
seed texts); ``pretrained_model`` in the hyper-parameters is the absolute path of
that ``encoder/`` folder, as when a model is trained on a local encoder. Used by the
COMET tests and by ``benchmarks/comet_seeds.py``.
"""

from __future__ import annotations

import io
import shutil
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

#: model kind -> (comet class, extra constructor arguments)
KINDS = {
    "regression": ("RegressionMetric", {"hidden_sizes": [24], "layer": "mix"}),
    "referenceless": ("ReferencelessRegression", {"hidden_sizes": [24], "layer": "mix"}),
    "xcomet": (
        "XCOMETMetric",
        {
            "hidden_sizes": [24],
            "sent_layer": "mix",
            "word_layer": 2,
            "encoder_model": "XLM-RoBERTa",
        },
    ),
}


def seed_texts() -> list[str]:
    """Every non-empty line of the seed documents."""
    lines: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def build_encoder(folder: Path) -> Path:
    """A tiny XLM-R configuration and fast tokenizer (sentencepiece trained on the seeds)."""
    import sentencepiece as spm
    from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

    folder.mkdir(parents=True, exist_ok=True)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(seed_texts()),
        model_writer=model,
        vocab_size=400,
        model_type="unigram",
        character_coverage=1.0,
        unk_id=0,  # XLM-R's layout: <unk>, <s>, </s> first (the fast tokenizer relies on it)
        bos_id=1,
        eos_id=2,
        minloglevel=2,
        num_threads=1,
        seed_sentencepiece_size=100000,
    )
    vocab = folder / "sentencepiece.bpe.model"
    vocab.write_bytes(model.getvalue())
    tokenizer = XLMRobertaTokenizerFast(vocab_file=str(vocab))
    tokenizer.save_pretrained(folder)
    XLMRobertaConfig(
        vocab_size=len(tokenizer),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=514,
        type_vocab_size=1,
    ).save_pretrained(folder)
    return folder


def build_checkpoint(root: Path, kind: str, encoder: Path, seed: int = 0) -> Path:
    """Save a random-weight comet model of ``kind`` under ``root`` and return ``root``.

    Args:
        root: Model folder to create (``hparams.yaml``, ``checkpoints/``, ``encoder/``).
        kind: A key of :data:`KINDS`.
        encoder: A folder made by :func:`build_encoder`; copied to ``root/encoder``.
        seed: Torch seed for the random weights.
    """
    import torch
    import yaml

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*pkg_resources is deprecated.*")
        import comet.models as cm
        import pytorch_lightning as ptl

    class_name, extra = KINDS[kind]
    shutil.copytree(encoder, root / "encoder", dirs_exist_ok=True)
    torch.manual_seed(seed)
    model = getattr(cm, class_name)(
        pretrained_model=str((root / "encoder").resolve()),
        load_pretrained_weights=False,
        layer_transformation="softmax",
        **extra,
    )
    with torch.no_grad():  # larger random weights than the default init: scores spread out
        for param in model.parameters():
            if param.dim() > 1:
                param.normal_(0.0, 0.3)
        if kind == "xcomet":  # scores below comet's clip at 1.0, and some error spans
            for param in model.estimator.parameters():
                param.normal_(0.0, 0.05)
            model.hidden2tag.weight.normal_(0.0, 1.0)
    hparams = dict(model.hparams)
    (root / "checkpoints").mkdir(parents=True, exist_ok=True)
    torch.save(
        {
            "state_dict": model.state_dict(),
            "hyper_parameters": hparams,
            "pytorch-lightning_version": ptl.__version__,
        },
        root / "checkpoints" / "model.ckpt",
    )
    (root / "hparams.yaml").write_text(yaml.safe_dump(hparams), encoding="utf-8")
    return root


def build_all(folder: Path) -> dict[str, Path]:
    """One tiny model of every kind under ``folder``: ``{kind: model folder}``."""
    encoder = build_encoder(folder / "encoder-src")
    return {kind: build_checkpoint(folder / kind, kind, encoder) for kind in KINDS}
