"""The similarity margin over a document's unrelated pairs, and the mistranslation
flag it raises on aligned links: a swapped translation whose aligner cost looks
acceptable is caught, a loose but true translation whose cost is near zero is not."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval.flags import detect_flags
from mt_eval.flags.margin import link_margins, unrelated_margins
from mt_eval.model import Link, Sentence


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def document(n: int, seed: int = 0, noise: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """``n`` links whose translations are noisy copies of their sources."""
    rng = np.random.default_rng(seed)
    src = unit(rng.normal(size=(n, 32)))
    tgt = unit(src + noise * rng.normal(size=(n, 32)) / np.sqrt(32))
    return src, tgt


def test_true_links_stand_far_above_unrelated_pairs_and_a_swapped_one_does_not() -> None:
    src, tgt = document(12)
    other = np.random.default_rng(9).normal(size=32)
    tgt[4] = unit((other - (other @ src[4]) * src[4])[None])[0]  # says nothing of its source
    margins = unrelated_margins(src, tgt)
    assert margins[4] is not None and margins[4] <= 1.5
    assert all(m is not None and m > 3 for i, m in enumerate(margins) if i != 4)


def test_too_few_links_give_no_margin() -> None:
    src, tgt = document(5)
    assert unrelated_margins(src, tgt, min_links=8) == [None] * 5
    assert all(m is not None for m in unrelated_margins(src, tgt, min_links=3))


def test_mismatched_sides_are_an_error() -> None:
    src, tgt = document(9)
    with pytest.raises(ValueError, match="9 source vectors for 8"):
        unrelated_margins(src, tgt[:8])


def test_links_without_a_side_get_no_margin_and_leave_the_rest_in_place() -> None:
    src, tgt = document(10)
    rows = [(s, t) for s, t in zip(src, tgt, strict=True)]
    with_gaps = [None, *rows[:5], None, *rows[5:]]
    margins = link_margins(with_gaps)
    assert margins[0] is None and margins[6] is None
    assert [m for m in margins if m is not None] == unrelated_margins(src, tgt)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=60, max_value=90), st.integers(min_value=0, max_value=3))
def test_long_documents_are_sampled_the_same_way_for_the_same_seed(n: int, seed: int) -> None:
    src, tgt = document(n, seed)
    first = unrelated_margins(src, tgt, sample=20, seed=seed)
    assert first == unrelated_margins(src, tgt, sample=20, seed=seed)
    assert all(m is not None and m > 3 for m in first)


def _sentences(*texts: str) -> list[Sentence]:
    return [Sentence(i, t, i, i + 1) for i, t in enumerate(texts)]


SRC = _sentences("The food was good.", "We paid by card.", "Parking is free.")
TGT = _sentences("Makanannya enak.", "Cuacanya cerah sekali hari ini.", "Parkirnya gratis.")
LINKS = [Link((0,), (0,), -0.8), Link((1,), (1,), -0.2), Link((2,), (2,), 0.05)]


def test_a_link_no_closer_than_unrelated_pairs_is_a_mistranslation_whatever_its_cost() -> None:
    costs = [lk.cost for lk in LINKS]
    flags = detect_flags(
        LINKS, SRC, TGT, src_lang="en", tgt_lang="id", align_cost=costs, margin=[6.0, 0.7, 2.5]
    ).flags
    assert flags[0] == ()
    assert [f.kind for f in flags[1]] == ["mistranslation"]
    assert flags[1][0].note == (
        "similarity 0.7 standard deviations above unrelated pairs: "
        "no closer than an unrelated sentence"
    )
    # A loose but true translation: its cost is near zero, its margin clear of the null.
    assert flags[2] == ()
    # Without margins (e.g. too short a document) only the cost decides.
    no_margin = detect_flags(LINKS, SRC, TGT, src_lang="en", tgt_lang="id", align_cost=costs)
    assert no_margin.flags[1] == ()


def test_margins_must_match_the_links() -> None:
    with pytest.raises(ValueError, match="2 margin scores for 3 links"):
        detect_flags(
            LINKS, SRC, TGT, src_lang="en", tgt_lang="id", align_cost=[0, 0, 0], margin=[1, 2]
        )
