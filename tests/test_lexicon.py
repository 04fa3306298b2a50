"""Tests for mt_eval.align.lexicon: the document-local lexicon and its term in the aligner."""

from __future__ import annotations

import math
import os
import zlib

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mt_eval.align import align  # noqa: E402
from mt_eval.align.bags import run_bags  # noqa: E402
from mt_eval.align.lexicon import (  # noqa: E402
    Lexicon,
    concept_bags,
    lexical_balance,
    sentence_keys,
)
from mt_eval.embed.base import Embedder  # noqa: E402

# German/French sentences in which "Gletscher" always goes with "glacier" and "Hütte"
# with "cabane"; each sentence pair is one confident 1-1 link.
DE = [
    "Der Gletscher wächst.",
    "Die Hütte steht am Gletscher.",
    "Gletscher und Hütte im Nebel.",
    "Die Hütte ist klein.",
    "Am Abend 1955 Regen.",
]
FR = [
    "Le glacier grandit.",
    "La cabane est au glacier.",
    "Glacier et cabane dans le brouillard.",
    "La cabane est petite.",
    "Le soir 1955 pluie.",
]


def learn(src: list[str], tgt: list[str]) -> tuple[Lexicon, list, list]:
    src_keys = [sentence_keys(s) for s in src]
    tgt_keys = [sentence_keys(t) for t in tgt]
    links = [((k,), (k,)) for k in range(len(src))]
    return Lexicon.learn(src_keys, tgt_keys, links), src_keys, tgt_keys


def test_keys_are_lower_cased_word_prefixes():
    assert sentence_keys("Die Gletschern, die GLETSCHER!") == {"die", "glets"}
    assert sentence_keys("8847,60 m") == {"8847", "60", "m"}


def test_the_lexicon_learns_a_pair_from_repeated_co_occurrence():
    lexicon, _, _ = learn(DE, FR)
    assert lexicon.pairs["glets"] == "glaci"  # together in 3 links, apart in none
    assert lexicon.pairs["hütte"] == "caban"  # together in 3 links, apart in none
    assert lexicon.pairs["1955"] == "1955"  # the same string on both sides, from the start
    assert "abend" not in lexicon.pairs  # seen together once only: not learnt
    assert "wächs" not in lexicon.pairs
    # Weights are log(1 / df): a pair in 3 of 5 sentences weighs less than one in 1 of 5.
    assert lexicon.weights["glets"] == pytest.approx(math.log(5 / 3))
    assert lexicon.weights["1955"] == pytest.approx(math.log(5))


def test_pairs_are_one_to_one_and_need_enough_association():
    # "der" goes with "le" in every link, but "le" is also taken by nothing better:
    # competitive linking gives each key one partner at most.
    src = ["der a1", "der b2", "der c3"]
    tgt = ["le x1", "le y2", "le z3"]
    lexicon, _, _ = learn(src, tgt)
    assert lexicon.pairs["der"] == "le"
    assert list(lexicon.pairs.values()).count("le") == 1
    # Co-occurring twice out of ten appearances each: Dice 0.2, below the threshold.
    src = ["alpha"] * 10
    tgt = ["omega" if k < 2 else "psi" for k in range(10)]
    lexicon, _, _ = learn(src, tgt)
    assert lexicon.pairs.get("alpha") == "psi"  # Dice 2 * 8 / 18
    assert "omega" not in lexicon.pairs.values()


def test_bags_share_the_weight_of_matched_concepts():
    lexicon, src_keys, tgt_keys = learn(DE, FR)
    src_bags, tgt_bags = concept_bags(lexicon, src_keys, tgt_keys)
    # Sentence 1: "Die Hütte steht am Gletscher." / "La cabane est au glacier."
    # "die" is in links 1 and 3 only, as are "la" and "est": a tie, one of them wins.
    assert lexicon.pairs["die"] in {"la", "est"}
    shared = src_bags[1] @ tgt_bags[1]
    expected = sum(lexicon.weights[u] for u in ("die", "hütte", "glets"))
    assert float(shared) == pytest.approx(expected, rel=1e-5)
    assert float(src_bags[0] @ tgt_bags[3]) == pytest.approx(0.0, abs=1e-6)
    unions = run_bags(src_bags, 2)
    assert unions.shape == (len(DE) - 1, src_bags.shape[1])
    assert np.allclose(unions[0], np.maximum(src_bags[0], src_bags[1]))


def unit_bags(rows: list[list[float]]) -> np.ndarray:
    """Bags with the square roots of the given concept weights in slots 0, 1, 2."""
    return np.sqrt(np.array(rows, dtype=np.float64))


@pytest.mark.parametrize(
    ("src", "tgt", "span", "expected"),
    [
        # one source sentence with concepts of weight 1 and 2; targets one sentence each
        ([[1, 2, 0]], [[1, 2, 0], [0, 0, 0], [1, 0, 0]], 1, [-6.0, 3.0, 0.0]),
        # target runs of two sentences: the concept found in either sentence counts
        ([[1, 2, 0]], [[1, 0, 0], [0, 2, 0], [0, 0, 4]], 2, [-6.0, 1.0]),
        # two source sentences sharing a concept: each counts, matched or not
        ([[1, 0, 0], [1, 0, 0]], [[1, 0, 0], [0, 0, 0]], 1, [-3.0, 2.0]),
        # nothing on either side: no evidence either way
        ([[0, 0, 0]], [[0, 0, 0]], 1, [0.0]),
    ],
)
def test_lexical_balance_is_unmatched_minus_matched_weight(src, tgt, span, expected):
    src_bags, tgt_bags = unit_bags(src), unit_bags(tgt)
    x_union = src_bags.max(axis=0)
    y_unions = run_bags(tgt_bags, span)
    got = lexical_balance(
        src_bags,
        np.einsum("ij,ij->i", src_bags, src_bags),
        x_union,
        tgt_bags,
        np.einsum("ij,ij->i", tgt_bags, tgt_bags),
        y_unions,
        span,
    )
    assert got.tolist() == pytest.approx(expected)


# --- the term in the aligner ---------------------------------------------------------------------


class NameBlindEmbedder(Embedder):
    """Hashed bag of lower-case words: blind to names, as sentence embedders often nearly are."""

    name = "name-blind"

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                if not word[:1].isupper():
                    out[row, zlib.crc32(word.encode()) % 64] += 1.0
            out[row, 63] += 0.1
        return out

    def signature(self) -> str:
        return "name-blind"


def test_names_put_a_crossed_pair_back_together():
    # The translator swapped the order of sentences 3 and 4 (same words, other names):
    # the embedder cannot tell them apart, the names that appear on both sides can.
    names = ["Annapurna", "Dhaulagiri", "Manaslu", "Makalu", "Lhotse", "Kangchenjunga"]
    words = "alpha beta gamma delta eps zeta eta theta iota kappa lambda mu".split()
    src = [f"{names[k]} {' '.join(words[2 * k : 2 * k + 2])} nu" for k in range(6)]
    src[3], src[4] = "Makalu climbed first xi", "Lhotse climbed first xi"
    tgt = list(src)
    tgt[3], tgt[4] = "Lhotse climbed first xi", "Makalu climbed first xi"
    plain = align(src, tgt, NameBlindEmbedder(), lexicon_weight=0)
    assert [(lk.src, lk.tgt) for lk in plain][3:5] == [((3,), (3,)), ((4,), (4,))]
    links = align(src, tgt, NameBlindEmbedder(), lexicon_weight=0.2)
    assert [(lk.src, lk.tgt) for lk in links] == [
        ((0,), (0,)),
        ((1,), (1,)),
        ((2,), (2,)),
        ((3, 4), (3, 4)),
        ((5,), (5,)),
    ]
    # Reported costs stay on the aligner's scale, without the lexical term.
    same = align(src[:3], tgt[:3], NameBlindEmbedder(), lexicon_weight=0)
    assert [lk.cost for lk in links[:3]] == pytest.approx([lk.cost for lk in same])


WORDS = st.sampled_from(
    "alpha beta gamma delta eps zeta eta theta iota kappa Lambda Mu 1955 8848".split()
)
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
DOC = st.lists(SENTENCE, min_size=0, max_size=25)
WEIGHT = st.sampled_from([0.0, 0.005, 0.05, 0.5])


@settings(max_examples=50, deadline=None)
@given(src=DOC, tgt=DOC, weight=WEIGHT, window=st.integers(1, 6))
def test_with_any_lexicon_weight_links_cover_both_sides_in_order(src, tgt, weight, window):
    links = align(src, tgt, NameBlindEmbedder(), lexicon_weight=weight, window=window)
    assert [i for link in links for i in link.src] == list(range(len(src)))
    assert [j for link in links for j in link.tgt] == list(range(len(tgt)))
    for link in links:
        assert link.src or link.tgt
        for side in (link.src, link.tgt):
            assert list(side) == list(range(side[0], side[0] + len(side)) if side else [])


@settings(max_examples=30, deadline=None)
@given(doc=DOC, weight=WEIGHT)
def test_with_any_lexicon_weight_identical_documents_align_one_to_one(doc, weight):
    links = align(doc, doc, NameBlindEmbedder(), lexicon_weight=weight)
    assert [(link.src, link.tgt) for link in links] == [((i,), (i,)) for i in range(len(doc))]
