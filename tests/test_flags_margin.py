"""The similarity margin over a document's unrelated pairs, and the mistranslation
flag it raises on aligned links: a swapped translation whose aligner cost looks
acceptable is caught, a loose but true translation whose cost is near zero is not."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval.flags import detect_flags
from mt_eval.flags.margin import (
    candidate_margins,
    document_margins,
    paragraph_groups,
    unrelated_margins,
)
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


def name(side: str, i: int) -> str:
    """A text with neither digits nor names: ``source text b``, ``target text b``."""
    return f"{'source' if side == 's' else 'target'} text {chr(ord('a') + i)}"


def lookup(src: np.ndarray, tgt: np.ndarray):
    """An embedder of the texts ``name("s", i)`` and ``name("t", i)`` as the rows given;
    texts joined with a space embed as the normalised sum of their parts."""
    table = {name("s", i): v for i, v in enumerate(src)}
    table |= {name("t", i): v for i, v in enumerate(tgt)}

    def embed(texts):
        parts = [re.findall(r"(?:source|target) text [a-z]", t) for t in texts]
        rows = [
            table[t] if len(found) == 1 else unit(sum(table[p] for p in found)[None])[0]
            for t, found in zip(texts, parts, strict=True)
        ]
        return np.stack(rows)

    return embed


def test_links_without_a_side_get_no_margin_and_leave_the_rest_in_place() -> None:
    src, tgt = document(10)
    pairs = [(name("s", i), name("t", i)) for i in range(10)]
    with_gaps = [(name("s", 0), ""), *pairs[:5], ("", name("t", 9)), *pairs[5:]]
    margins = document_margins(lookup(src, tgt), with_gaps)
    assert margins[0] is None and margins[6] is None
    assert [m for m in margins if m is not None] == unrelated_margins(src, tgt)


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=60, max_value=90), st.integers(min_value=0, max_value=3))
def test_long_documents_are_sampled_the_same_way_for_the_same_seed(n: int, seed: int) -> None:
    src, tgt = document(n, seed)
    first = unrelated_margins(src, tgt, sample=20, seed=seed)
    assert first == unrelated_margins(src, tgt, sample=20, seed=seed)
    assert all(m is not None and m > 3 for m in first)


def test_a_link_no_closer_than_unrelated_pairs_is_a_mistranslation_whatever_its_cost() -> None:
    src, tgt = document(10)
    other = np.random.default_rng(9).normal(size=32)
    tgt[1] = unit((other - (other @ src[1]) * src[1])[None])[0]  # says nothing of its source
    sentences_src = [Sentence(i, name("s", i), i, i + 1) for i in range(10)]
    sentences_tgt = [Sentence(i, name("t", i), i, i + 1) for i in range(10)]
    links = [Link((i,), (i,), -0.5) for i in range(10)]
    costs = [lk.cost for lk in links]
    flags = detect_flags(
        links,
        sentences_src,
        sentences_tgt,
        src_lang="en",
        tgt_lang="id",
        align_cost=costs,
        embed=lookup(src, tgt),
    ).flags
    assert [n for n, f in enumerate(flags) if f] == [1]  # its cost alone (-0.5) looks fine
    assert [f.kind for f in flags[1]] == ["mistranslation"]
    assert flags[1][0].note == (
        "no closer in meaning to its source than an unrelated sentence (closeness 0.0 on a scale "
        "where unrelated sentences of this document score about 0 and faithful translations "
        "about 5)"
    )
    # Without an embedder only the cost decides.
    plain = detect_flags(
        links, sentences_src, sentences_tgt, src_lang="en", tgt_lang="id", align_cost=costs
    )
    assert plain.flags == ((),) * 10
    # A loose but true translation whose cost is near zero keeps its margin: not flagged
    # (the old rule, cost >= 0, flagged such a dev pair in every benchmark run).
    loose = [Link((i,), (i,), 0.05 if i == 3 else -0.5) for i in range(10)]
    flags = detect_flags(
        loose,
        sentences_src,
        sentences_tgt,
        src_lang="en",
        tgt_lang="id",
        align_cost=[lk.cost for lk in loose],
        embed=lookup(src, tgt),
    ).flags
    assert flags[3] == ()


def test_a_mistranslation_needs_the_second_model_to_agree() -> None:
    # the cheap model sees link 1 as unrelated; a second model that reads the language
    # sees a translation (its own vectors keep link 1 close), or agrees (its vectors
    # are the cheap model's)
    src, tgt = document(10)
    other = np.random.default_rng(9).normal(size=32)
    cheap_tgt = tgt.copy()
    cheap_tgt[1] = unit((other - (other @ src[1]) * src[1])[None])[0]
    sentences_src = [Sentence(i, name("s", i), i, i + 1) for i in range(10)]
    sentences_tgt = [Sentence(i, name("t", i), i, i + 1) for i in range(10)]
    links = [Link((i,), (i,), -0.5) for i in range(10)]
    asked: list[str] = []

    def second(texts):
        asked.extend(texts)
        return lookup(src, tgt)(texts)

    def run(second_model):
        return detect_flags(
            links,
            sentences_src,
            sentences_tgt,
            src_lang="en",
            tgt_lang="id",
            align_cost=[lk.cost for lk in links],
            embed=lookup(src, cheap_tgt),
            second=second_model,
        ).flags

    assert [f.kind for f in run(None)[1]] == ["mistranslation"]
    assert run(second) == ((),) * 10
    assert name("s", 1) in asked and name("t", 1) in asked
    assert [f.kind for f in run(lookup(src, cheap_tgt))[1]] == ["mistranslation"]


def test_candidate_margins_embed_a_sample_and_the_candidates_only() -> None:
    src, tgt = document(40)
    pairs = [(name("s", i % 26), name("t", i % 26)) for i in range(26)]
    seen: list[str] = []

    def embed(texts):
        seen.extend(texts)
        return lookup(src, tgt)(texts)

    margins = candidate_margins(embed, pairs, [3, 7], sample=8, seed=0)
    assert set(margins) == {3, 7} and all(m > 3 for m in margins.values())
    assert len(seen) <= 2 * (8 + 2)
    assert candidate_margins(embed, pairs[:5], [3], min_links=8) == {}
    assert margins == candidate_margins(lookup(src, tgt), pairs, [3, 7], sample=8, seed=0)


def test_paragraph_groups_keep_one_paragraph_to_one_paragraph_only() -> None:
    src = [Sentence(i, f"s{i}", p, i + 1) for i, p in enumerate([0, 0, 1, 2, 2])]
    tgt = [Sentence(i, f"t{i}", p, i + 1) for i, p in enumerate([0, 1, 1, 2, 3])]
    links = [
        Link((0, 1), (0,), -1.0),  # paragraph 0 -> 0
        Link((), (1,), 0.5),  # an addition inside paragraph 1
        Link((2,), (2,), -1.0),  # paragraph 1 -> 1
        Link((3,), (3,), -1.0),  # paragraph 2 -> 2 and 3: no pair
        Link((4,), (4,), -1.0),
    ]
    assert paragraph_groups(links, src, tgt) == [[0], [1, 2]]


def test_a_paragraph_no_closer_than_unrelated_paragraphs_is_a_mistranslation() -> None:
    # Ten paragraphs; the fifth has two sentences a side, each close to its source
    # (the links look fine one by one), but the paragraph as a whole is another text.
    rng = np.random.default_rng(3)
    sizes = [1, 1, 1, 1, 2, 1, 1, 1, 1, 1]
    src, tgt, table = [], [], {}
    for p, size in enumerate(sizes):
        for j in range(size):
            i = len(src)
            src.append(Sentence(i, f"source {p} {j}", p, i + 1))
            tgt.append(Sentence(i, f"target {p} {j}", p, i + 1))
            table[src[i].text] = unit(rng.normal(size=(1, 32)))[0]
            noise = 0.3 * rng.normal(size=32) / np.sqrt(32)
            table[tgt[i].text] = unit((table[src[i].text] + noise)[None])[0]
    table["source 4 0 source 4 1"] = unit(rng.normal(size=(1, 32)))[0]
    other = rng.normal(size=32)
    joined = table["source 4 0 source 4 1"]
    table["target 4 0 target 4 1"] = unit((other - (other @ joined) * joined)[None])[0]
    links = [Link((i,), (i,), -0.5) for i in range(len(src))]
    flags = detect_flags(
        links,
        src,
        tgt,
        src_lang="en",
        tgt_lang="id",
        align_cost=[lk.cost for lk in links],
        embed=lambda texts: np.stack([table[t] for t in texts]),
    ).flags
    assert [n for n, f in enumerate(flags) if f] == [4, 5]  # the fifth paragraph's two links
    for n in (4, 5):
        assert [f.kind for f in flags[n]] == ["mistranslation"]
        assert flags[n][0].note == (
            "its paragraph as a whole is no closer in meaning to the source paragraph than an "
            "unrelated paragraph (closeness 0.0 on a scale where unrelated paragraphs of this "
            "document score about 0)"
        )


def joined_lookup(table: dict[str, np.ndarray], text: str) -> np.ndarray:
    """A text of the table, or texts of it joined with spaces: the normalised sum."""
    if text in table:
        return table[text]
    return unit(sum(v for k, v in table.items() if k in text)[None])[0]


def test_the_same_foreign_text_inserted_twice_is_no_excuse_for_either_paragraph() -> None:
    # A repeated translation explains one costly link (the aligner may pair a source
    # with either copy), not paragraphs that are, as wholes, no closer than unrelated.
    src_vectors, tgt_vectors = document(10)
    other = np.random.default_rng(9).normal(size=32)
    foreign = unit((other - (other @ src_vectors[4]) * src_vectors[4])[None])[0]
    table = {name("s", i): v for i, v in enumerate(src_vectors)}
    table |= {name("t", i): v for i, v in enumerate(tgt_vectors) if i not in (4, 7)}
    table["teks lain yang sama sekali berbeda"] = foreign
    src = [Sentence(i, name("s", i), i, i + 1) for i in range(10)]
    tgt = [
        Sentence(i, "teks lain yang sama sekali berbeda" if i in (4, 7) else name("t", i), i, i + 1)
        for i in range(10)
    ]
    links = [Link((i,), (i,), 0.3 if i in (4, 7) else -0.5) for i in range(10)]
    flags = detect_flags(
        links,
        src,
        tgt,
        src_lang="en",
        tgt_lang="id",
        align_cost=[lk.cost for lk in links],
        embed=lambda texts: np.stack([joined_lookup(table, t) for t in texts]),
    ).flags
    assert [n for n, f in enumerate(flags) if f] == [4, 7]
    assert [f.kind for f in flags[4]] == ["mistranslation"]
    assert [f.kind for f in flags[7]] == ["duplicate", "mistranslation"]


def test_a_paragraph_the_first_model_is_unsure_of_is_judged_by_the_second() -> None:
    # Ten one-sentence paragraphs. The first model keeps paragraph 3 only loosely close
    # (a margin in the unsure band); the second model reads it as another text, or
    # as a translation. Paragraphs it is sure of are never asked.
    from mt_eval.flags.settings import FlagSettings
    from mt_eval.flags.unrelated import far_paragraphs

    src, tgt = document(10, seed=4)
    other = np.random.default_rng(5).normal(size=32)
    foreign = tgt.copy()
    foreign[3] = unit((other - (other @ src[3]) * src[3])[None])[0]
    loose = tgt.copy()
    loose[3] = unit((0.35 * src[3] + foreign[3])[None])[0]
    first = lookup(src, loose)
    first_margin = document_margins(first, [(name("s", i), name("t", i)) for i in range(10)])[3]
    assert first_margin is not None and 1.5 < first_margin <= 3.0
    sentences_src = [Sentence(i, name("s", i), i, i + 1) for i in range(10)]
    sentences_tgt = [Sentence(i, name("t", i), i, i + 1) for i in range(10)]
    links = [Link((i,), (i,), -0.5) for i in range(10)]
    asked: list[str] = []

    def second(vectors):
        def embed(texts):
            asked.extend(texts)
            return lookup(src, vectors)(texts)

        return embed

    settings = FlagSettings()
    found = far_paragraphs(links, sentences_src, sentences_tgt, first, 0, settings, second(foreign))
    assert [(group, by_second) for group, _, by_second in found] == [([3], True)]
    assert "by a second model" in found[0][1] and "which was unsure" in found[0][1]
    assert (
        far_paragraphs(links, sentences_src, sentences_tgt, first, 0, settings, second(tgt)) == []
    )
    assert far_paragraphs(links, sentences_src, sentences_tgt, first, 0, settings) == []
    asked.clear()
    sure = FlagSettings(mistranslation_unsure_margin=1.5)  # no band: nothing to ask
    assert (
        far_paragraphs(links, sentences_src, sentences_tgt, first, 0, sure, second(foreign)) == []
    )
    assert asked == []
