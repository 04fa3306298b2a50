"""Tests for mt_eval.align: the aligner on the seed stories, properties, gold format, scoring."""

from __future__ import annotations

import os
import zlib
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sentencex  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mt_eval.align import (  # noqa: E402
    AlignmentCounts,
    align,
    count_hits,
    format_beads,
    parse_beads,
    score_alignment,
    score_counts,
)
from mt_eval.align import aligner as aligner_module  # noqa: E402
from mt_eval.embed.base import Embedder  # noqa: E402
from mt_eval.model import Link  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
_DROP = {"November 02, 2022", "Original url:", "[ad_1]", "2022.12.12 11:13"}


def seed_sentences(name: str, lang: str) -> list[str]:
    """Sentences of a seed file, cleaned by hand as the brief describes."""
    out = []
    for line in (SEEDS / name).read_text(encoding="utf-8").splitlines():
        line = line.replace("<u>", "").replace("</u>", "").replace("\\$", "$").strip()
        if not line or line in _DROP or line.startswith(("Related article:", "https://")):
            continue
        out += [s.strip() for s in sentencex.segment(lang, line) if s.strip()]
    return out


def index_of(sentences: list[str], prefix: str) -> int:
    (hit,) = [i for i, s in enumerate(sentences) if s.startswith(prefix)]
    return hit


def link_of_src(links: tuple[Link, ...], i: int) -> Link:
    (hit,) = [link for link in links if i in link.src]
    return hit


def link_of_tgt(links: tuple[Link, ...], j: int) -> Link:
    (hit,) = [link for link in links if j in link.tgt]
    return hit


def check_cover(links: tuple[Link, ...], n: int, m: int) -> None:
    """Every index exactly once, in order (monotone), each side consecutive, no empty link."""
    assert [i for link in links for i in link.src] == list(range(n))
    assert [j for link in links for j in link.tgt] == list(range(m))
    for link in links:
        assert link.src or link.tgt
        for side in (link.src, link.tgt):
            assert list(side) == list(range(side[0], side[0] + len(side)) if side else [])


@pytest.fixture(scope="module")
def use():
    from mt_eval.embed import get_embedder

    return get_embedder("use", threads=1)


# --- the seed stories -------------------------------------------------------------------------


def test_moscow_times_en_id(use):
    en = seed_sentences("moscow-times-2022-11-02.en.txt", "en")
    idn = seed_sentences("moscow-times-2022-11-02.id.txt", "id")
    links = align(en, idn, use)
    check_cover(links, len(en), len(idn))

    body = index_of(en, "North Korea and Russia have resumed")
    assert len(en) - body == len(idn)  # the Indonesian file renders the body sentence by sentence
    for i in range(body, len(en)):  # every body sentence with its counterpart, one to one
        assert link_of_src(links, i).tgt == (i - body,), en[i]
        assert link_of_src(links, i).src == (i,), en[i]
    assert body == 3  # the title, then the caption split in two sentences: all dropped
    for i in range(body):
        assert link_of_src(links, i).tgt == (), en[i]
    assert not [link for link in links if not link.src]  # no Indonesian sentence is added


CLOSING = "“Such a large quarantine area has not been set up in Tumangang,"


def test_reuters_spun_rewrite(use):
    src = seed_sentences("reuters-2022-12-12.en.txt", "en")
    tgt = seed_sentences("reuters-2022-12-12.spun.en.txt", "en")
    links = align(src, tgt, use)
    check_cover(links, len(src), len(tgt))

    expected = {  # source body sentence -> start of its rewrite (prefixes)
        "SEOUL (Reuters)": "Budrigannews.com",
        "38 North, which monitors": "According to 38 North",
        "“The expanded freight": "“The extended cargo",
        "In early November": "The two nations resumed",
        "Russian media said": "At the time, the Russian media",
        "A few days later": "A few days later, 38 North",
        "The 800-metre": "The only land connection",
        "Under international sanctions": "Under worldwide approvals",
        "North Korea imposed": "During the pandemic",
        "The secure railyard": "The safe railyard",
        "“Such a large quarantine": CLOSING,
    }
    for s_prefix, t_prefix in expected.items():
        assert index_of(tgt, t_prefix) in link_of_src(links, index_of(src, s_prefix)).tgt, s_prefix
    # The rewrite splits "A few days later ..." in two: both halves go with it.
    assert link_of_src(links, index_of(src, "A few days later")).kind == "1-2"
    promo = index_of(tgt, "More Thermonuclear")
    assert link_of_tgt(links, promo).src == ()
    assert link_of_tgt(links, promo).tgt == (promo,)
    # The rewrite's last sentence repeats the start of the closing quote. It is linked with
    # the closing sentence as a 1-2 bead; coming out as a 0-1 addition would be fine too.
    repeat = len(tgt) - 1
    assert tgt[repeat] == "“Such a large quarantine area has not been set up in Tumangang.”"
    closing = link_of_src(links, len(src) - 1)
    assert closing.tgt == (index_of(tgt, CLOSING), repeat) or link_of_tgt(links, repeat).src == ()


# --- properties with a cheap deterministic embedder -------------------------------------------


class HashEmbedder(Embedder):
    """Hashed bag of words (crc32 buckets), deterministic and instant."""

    name = "hash"

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.split():
                out[row, zlib.crc32(word.encode()) % 64] += 1.0
            out[row, 63] += 0.1
        return out

    def signature(self) -> str:
        return "hash"


WORDS = st.sampled_from("alpha beta gamma delta eps zeta eta theta iota kappa lambda mu".split())
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
DOC = st.lists(SENTENCE, min_size=0, max_size=25)


@settings(max_examples=60, deadline=None)
@given(src=DOC, tgt=DOC, window=st.integers(1, 6))
def test_links_cover_both_sides_in_order(src, tgt, window):
    links = align(src, tgt, HashEmbedder(), window=window)
    check_cover(links, len(src), len(tgt))


@settings(max_examples=40, deadline=None)
@given(doc=DOC)
def test_identical_documents_align_one_to_one(doc):
    links = align(doc, doc, HashEmbedder())
    assert [(link.src, link.tgt) for link in links] == [((i,), (i,)) for i in range(len(doc))]


@settings(max_examples=25, deadline=None)
@given(
    src=st.lists(SENTENCE, min_size=8, max_size=40),
    tgt=DOC,
    cells=st.integers(4, 60),
    window=st.integers(1, 4),
)
def test_coarse_to_fine_path_covers(src, tgt, cells, window):
    original = aligner_module._FULL_CELLS
    aligner_module._FULL_CELLS = cells  # force the recursive coarse-to-fine anchor pass
    try:
        links = align(src, tgt, HashEmbedder(), window=window)
    finally:
        aligner_module._FULL_CELLS = original
    check_cover(links, len(src), len(tgt))


class RecordingEmbedder(HashEmbedder):
    """Remembers every text it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.seen += texts
        return super()._embed(texts)


def test_splits_and_merges_are_found():
    src = ["alpha beta gamma delta", "eps zeta", "eta theta", "iota kappa lambda mu"]
    tgt = ["alpha beta", "gamma delta", "eps zeta eta theta", "iota kappa lambda mu"]
    links = align(src, tgt, HashEmbedder())
    assert [(link.src, link.tgt) for link in links] == [
        ((0,), (0, 1)),
        ((1, 2), (2,)),
        ((3,), (3,)),
    ]


def test_only_short_runs_of_sentences_are_embedded():
    src = [f"alpha {w}" for w in "beta gamma delta eps zeta eta".split()]
    tgt = [f"theta {w}" for w in "iota kappa lambda mu".split()]
    emb = RecordingEmbedder()
    align(src, tgt, emb, max_src=2, max_tgt=3, max_total=4)
    expected = {" ".join(src[k : k + n]) for n in (1, 2) for k in range(len(src) - n + 1)}
    expected |= {" ".join(tgt[k : k + n]) for n in (1, 2, 3) for k in range(len(tgt) - n + 1)}
    assert set(src) | set(tgt) <= set(emb.seen) <= expected


def test_runs_are_embedded_only_where_the_search_uses_them():
    words = "alpha beta gamma delta eps zeta eta theta iota kappa lambda mu".split()
    src = [" ".join(words[k : k + 2]) for k in range(0, len(words), 2)]
    emb = RecordingEmbedder()
    links = align(src, list(src), emb)
    assert [(link.src, link.tgt) for link in links] == [((i,), (i,)) for i in range(len(src))]
    assert sorted(set(emb.seen)) == sorted(src)  # a clean 1-1 path needs no joined runs
    # Embedding every run up front finds the same links.
    assert align(src, list(src), RecordingEmbedder(), optimism=None) == links
    merged = RecordingEmbedder()
    tgt = ["alpha gamma beta delta", *src[2:]]
    links = align(src, tgt, merged)
    assert links[0].src == (0, 1) and links[0].tgt == (0,)
    runs = {t for t in merged.seen if t not in src and t not in tgt}
    assert src[0] + " " + src[1] in runs
    assert len(runs) < sum(len(src) - k + 1 for k in (2, 3, 4))


def test_deterministic_and_seeded():
    src = [f"alpha beta {w}" for w in "gamma delta eps zeta eta theta".split()]
    tgt = src[::2] + ["iota kappa"] + src[1::2]
    emb = HashEmbedder()
    assert align(src, tgt, emb) == align(src, tgt, emb)
    assert align(src, tgt, emb, samples=3, seed=1) == align(src, tgt, emb, samples=3, seed=1)


def test_empty_sides():
    emb = HashEmbedder()
    assert align([], [], emb) == ()
    assert align(["a b", "c"], [], emb) == (Link((0,), (), 0.0), Link((1,), (), 0.0))
    assert align([], ["a"], emb) == (Link((), (0,), 0.0),)


# --- gold format and scoring ------------------------------------------------------------------


GOLD = "[0]:[0]\n[1, 2]:[1]\n[]:[2]\n[3]:[3, 4]\n[4]:[]\n"


def test_gold_round_trip():
    beads = parse_beads(GOLD)
    assert beads == [((0,), (0,)), ((1, 2), (1,)), ((), (2,)), ((3,), (3, 4)), ((4,), ())]
    assert format_beads(beads) == GOLD
    links = [Link(src, tgt) for src, tgt in beads]
    assert format_beads(links) == GOLD
    assert parse_beads("[0]:[0]\n\n  [1,2] : [] \n") == [((0,), (0,)), ((1, 2), ())]
    with pytest.raises(ValueError, match="line 1"):
        parse_beads("0:0")


def test_gold_against_itself_is_perfect():
    score = score_alignment(parse_beads(GOLD), parse_beads(GOLD))
    assert score.strict_f1 == score.lax_f1 == 1.0
    assert score.strict_precision == score.strict_recall == 1.0


def test_hand_made_strict_and_lax_counts():
    gold = parse_beads(GOLD)
    pred = parse_beads("[0]:[0]\n[1]:[1]\n[2]:[]\n[]:[2]\n[3]:[3, 4]\n[4]:[]\n")
    counts = count_hits(pred, gold)
    # precision over 6 predictions: strict hits [0]:[0], []:[2], [3]:[3, 4], [4]:[];
    # lax adds [1]:[1] (overlaps [1, 2]:[1] on both sides); [2]:[] is no hit.
    # recall over 3 two-sided gold beads: strict [0]:[0], [3]:[3, 4]; lax all three.
    assert counts == AlignmentCounts(6, 3, 4, 5, 2, 3)
    score = score_counts(counts)
    assert score.strict_precision == pytest.approx(4 / 6)
    assert score.strict_recall == pytest.approx(2 / 3)
    assert score.strict_f1 == pytest.approx(2 / 3)
    assert score.lax_f1 == pytest.approx(2 * (5 / 6) / (5 / 6 + 1))
    # Micro average: counts add up before dividing.
    assert score_counts(counts + counts) == score


def test_scores_without_beads_are_zero():
    score = score_alignment([], parse_beads(GOLD))
    assert score.strict_f1 == score.lax_f1 == 0.0


# --- the split pass: sentences riding along in a merge without a translation -------------------

from types import SimpleNamespace  # noqa: E402

from mt_eval.align.refine import split_riders  # noqa: E402


def unit(deg: float) -> np.ndarray:
    return np.array([np.cos(np.radians(deg)), np.sin(np.radians(deg))])


def spans(single: list[np.ndarray], joined: np.ndarray | None, chars: list[float]):
    vecs = {1: np.stack(single)}
    lengths = {1: np.array(chars, dtype=float)}
    if joined is not None:
        vecs[2] = joined[None, :]
        lengths[2] = np.array([sum(chars) + 1.0])
    return SimpleNamespace(vecs=vecs, chars=lengths)


def refine(xs, ys):
    return split_riders(
        [(2, 1, 2, 1, -0.4)],
        xs,
        ys,
        ratio=1.0,
        link_cost=lambda a, b, i, j: -0.9,
        skip_src=np.array([0.5, 0.5]),
        skip_tgt=np.array([0.5]),
        sim_tolerance=0.02,
        min_gain=0.2,
    )


def test_a_source_sentence_riding_in_a_merge_is_split_off_as_a_drop() -> None:
    # target = translation of source sentence 1 only: same length, closer without sentence 2
    xs = spans([unit(0), unit(80)], unit(40), [100, 100])
    ys = spans([unit(5)], None, [100])
    assert refine(xs, ys) == [(1, 1, 1, 1, -0.9), (1, 0, 2, 1, 0.5)]


def test_a_true_merge_stays_merged() -> None:
    # target covers both source sentences: twice as long, closer to the joined text
    xs = spans([unit(0), unit(80)], unit(40), [100, 100])
    ys = spans([unit(38)], None, [200])
    assert refine(xs, ys) == [(2, 1, 2, 1, -0.4)]


# --- the orphan pass: a drop or an addition needs evidence ------------------------------------

from mt_eval.align.refine import attach_orphans  # noqa: E402


def attach(xs, ys, path):
    return attach_orphans(
        path,
        xs,
        ys,
        ratio=1.0,
        link_cost=lambda a, b, i, j: -0.8,
        embed_runs=lambda runs_x, runs_y: None,
        max_src=5,
        max_tgt=5,
        max_total=6,
        min_gain=0.0,
        max_length_loss=0.2,
    )


def test_a_source_sentence_the_neighbour_carries_is_no_drop() -> None:
    # the target translates both source sentences: joined, the link is closer and as long
    xs = spans([unit(0), unit(80)], unit(40), [100, 100])
    ys = spans([unit(38)], None, [200])
    path = [(1, 1, 1, 1, -0.2), (1, 0, 2, 1, 0.5)]
    assert attach(xs, ys, path) == [(2, 1, 2, 1, -0.8)]


def test_a_drop_that_lowers_the_neighbours_similarity_stays_a_drop() -> None:
    # the target translates source sentence 1 only: joining sentence 2 moves the link away
    xs = spans([unit(0), unit(80)], unit(40), [100, 100])
    ys = spans([unit(5)], None, [100])
    path = [(1, 1, 1, 1, -0.9), (1, 0, 2, 1, 0.5)]
    assert attach(xs, ys, path) == path


def test_a_join_that_spoils_the_length_ratio_is_refused() -> None:
    # closer when joined, but the source doubles against a target of one sentence's length
    xs = spans([unit(0), unit(80)], unit(40), [100, 100])
    ys = spans([unit(38)], None, [100])
    path = [(1, 1, 1, 1, -0.2), (1, 0, 2, 1, 0.5)]
    assert attach(xs, ys, path) == path


def test_attach_gain_is_checked_like_every_align_setting() -> None:
    from mt_eval.errors import ConfigError

    with pytest.raises(ConfigError, match="align setting attach_gain must be a finite number"):
        align(["Guten Morgen."], ["Bonjour."], HashEmbedder(), attach_gain=3.0)


# --- shared numbers -----------------------------------------------------------------------------


def test_number_bags_agree_across_notations_and_runs():
    from mt_eval.align.bags import run_bags
    from mt_eval.align.numbers import dice_distance, sentence_bags

    bags, _ = sentence_bags(
        ["Height 8847,60 m in 1955.", "no numbers", "8847.60 m (1955)", "007"], []
    )
    counts = bags.sum(axis=1)
    assert list(counts) == [3, 0, 3, 1]
    assert dice_distance(bags[0], counts[0], bags, counts).round(3).tolist() == [0, 1, 0, 1]
    assert dice_distance(bags[1], counts[1], bags[1:2], counts[1:2]).tolist() == [0.0]
    pairs = run_bags(bags, 2)
    assert pairs.shape == (3, bags.shape[1]) and list(pairs.sum(axis=1)) == [3, 3, 4]
    src, tgt = sentence_bags(["in 2020 and 30"], ["2020 (thirty)", "0030"])
    assert (src @ tgt.T).tolist() == [[1.0, 1.0]]


def test_numbers_pick_the_counterpart_when_words_do_not():
    # Same words everywhere: only the numbers tell the sentences apart.
    src = ["alpha beta 1952", "alpha beta 1953", "alpha beta 1954"]
    tgt = ["alpha beta 1952", "alpha beta", "alpha beta 1953", "alpha beta 1954"]
    links = align(src, tgt, HashEmbedder(), number_weight=0.5)
    check_cover(links, 3, 4)
    assert link_of_src(links, 1).tgt[-1] == 2 and link_of_src(links, 2).tgt == (3,)
    assert link_of_src(links, 0).tgt[0] == 0


def test_when_re_searches_run_out_estimates_are_scored_plainly(monkeypatch):
    src = ["alpha beta gamma delta", "eps zeta", "eta theta", "iota kappa lambda mu"]
    tgt = ["alpha beta", "gamma delta", "eps zeta eta theta", "iota kappa lambda mu"]
    monkeypatch.setattr(aligner_module, "_ROUNDS", 0)
    links = align(src, tgt, HashEmbedder())
    check_cover(links, len(src), len(tgt))
    assert [(link.src, link.tgt) for link in links] == [
        ((0,), (0, 1)),
        ((1, 2), (2,)),
        ((3,), (3,)),
    ]
    # Costs are reported on the embedded runs, as without the cap.
    monkeypatch.undo()
    assert [link.cost for link in links] == pytest.approx(
        [link.cost for link in align(src, tgt, HashEmbedder())]
    )


def test_sentence_endings_close_go_on_or_neither():
    from mt_eval.align.punctuation import CLOSES, GOES_ON, OTHER, end_classes, end_mismatch

    ends = end_classes(
        ["Il pleut.", "Literatur :", "« Oui ! »", "Photo Indian Air Force", "", "a ;"]
    )
    assert ends.tolist() == [CLOSES, GOES_ON, CLOSES, OTHER, OTHER, GOES_ON]
    assert end_mismatch(CLOSES, ends).tolist() == [0, 1, 0, 0, 0, 1]
    assert end_mismatch(GOES_ON, ends).tolist() == [1, 0, 1, 0, 0, 0]
    assert end_mismatch(OTHER, ends).tolist() == [0] * 6


@pytest.mark.parametrize(
    ("ending", "continued_skip", "joined"),
    [(",", 0.5, True), (":", 0.5, True), (",", 0.0, False), (".", 0.5, False), ("", 0.5, False)],
)
def test_a_short_line_that_goes_on_joins_its_sentence_rather_than_standing_alone(
    ending: str, continued_skip: float, joined: bool
) -> None:
    # "Yes," opens the sentence that follows it; its translation "Ja," is part of that
    # sentence's translation. A line that closes, or a caption-like line without
    # punctuation, is still cheaper to leave unaligned than to carry along.
    first, rest = "alpha beta gamma delta eps zeta eta theta", "iota kappa lambda mu nu xi"
    src = [first, f"Yes{ending}", rest]
    tgt = [first, f"Ja{ending} {rest}"]
    links = align(src, tgt, HashEmbedder(), continued_skip=continued_skip)
    check_cover(links, 3, 2)
    assert (link_of_src(links, 1).tgt == (1,)) is joined
