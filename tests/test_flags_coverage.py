"""Coverage of a link's source by its translation, from embeddings: a sentence the
translation lost inside a merged link, and a translation cut off after the first
half of its source, are ``dropped``; a faithful merge and a full translation are not.

The embedding here is a toy bag of bilingual concepts (English and Indonesian words
of the same meaning share one dimension), so each expectation can be worked by hand.
"""

import re

import numpy as np
import pytest

from mt_eval.flags import detect_flags
from mt_eval.flags.coverage import head_gain, joined_gain, weakest_sentence
from mt_eval.model import Link, Sentence

CONCEPTS = [
    {"food", "makanan"},
    {"good", "enak"},
    {"room", "kamar"},
    {"clean", "bersih"},
    {"staff", "staf"},
    {"friendly", "ramah"},
    {"price", "harga"},
    {"cheap", "murah"},
    {"parking", "parkir"},
    {"free", "gratis"},
    {"bribe", "sogokan"},
    {"win", "menang"},
    {"votes", "suara"},
    {"counted", "hitung"},
]
INDEX = {word: k for k, words in enumerate(CONCEPTS) for word in words}


def embed(texts: list[str]) -> np.ndarray:
    """Toy embedder: concept counts plus a small constant, L2-normalised."""
    rows = np.full((len(texts), len(CONCEPTS) + 1), 0.0)
    rows[:, -1] = 0.5  # what every text shares (function words, punctuation)
    for r, text in enumerate(texts):
        for word in re.findall(r"\w+", text.lower()):
            if word in INDEX:
                rows[r, INDEX[word]] += 1
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_a_sentence_the_translation_does_not_carry_is_the_weakest_and_gains_when_left_out():
    src = ["The food was good and the price was cheap.", "The room was clean every single day."]
    found = weakest_sentence(embed, src, "Makanan enak dan harga murah.", min_words=3)
    assert found is not None
    k, without, with_it = found
    assert k == 1 and without > with_it


def test_a_faithful_merge_loses_similarity_whichever_sentence_is_left_out():
    src = ["The food was good and cheap here.", "The room was clean every single day."]
    tgt = "Makanan enak dan murah, kamar bersih setiap hari."
    k, without, with_it = weakest_sentence(embed, src, tgt, min_words=3)
    assert without < with_it


def test_short_sentences_are_not_judged():
    src = ["Please help.", "The food was good and the price was cheap."]
    k, without, with_it = weakest_sentence(embed, src, "Makanan enak dan murah.", min_words=3)
    assert k == 1 and without < with_it  # "Please help." is never the one left out
    assert weakest_sentence(embed, src[1:], "Makanannya enak.", min_words=3) is None


@pytest.mark.parametrize(
    ("tgt", "cut_off"),
    [
        ("Makanan enak dan harga murah, tapi", True),  # stops after the first half
        ("Makanan enak, harga murah, kamar bersih, staf ramah.", False),
    ],
)
def test_head_gain_is_positive_only_when_the_second_half_adds_nothing(tgt, cut_off):
    src = "The food was good and the price cheap, the room clean and the staff friendly."
    assert (head_gain(embed, src, tgt) >= 0) is cut_off


def _paragraphs(*texts: str) -> list[Sentence]:
    return [Sentence(i, t, i // 2, i + 1) for i, t in enumerate(texts)]


def test_story_a_lost_second_sentence_in_a_merged_link_is_dropped():
    src = _paragraphs(
        "We counted the votes and found foul play.",
        "There must be a bribe to make him win.",
    )
    tgt = _paragraphs("Kami hitung suara dan ada kecurangan.")
    links = [Link((0, 1), (0,), -0.3)]
    flags = detect_flags(links, src, tgt, src_lang="en", tgt_lang="id", embed=embed).flags
    assert [f.kind for f in flags[0]] == ["dropped"]
    assert flags[0][0].note == (
        "partial omission: source sentence 2 seems not translated: the two sides match as well "
        "or better without it (similarity in meaning 1.00 without it, 0.73 with it)"
    )
    # the same link, faithfully translated: nothing to say
    full = _paragraphs("Kami hitung suara dan ada kecurangan, pasti ada sogokan supaya dia menang.")
    assert detect_flags(links, src, full, src_lang="en", tgt_lang="id", embed=embed).flags == ((),)
    # without an embedder the coverage test does not run
    assert detect_flags(links, src, tgt, src_lang="en", tgt_lang="id").flags == ((),)


USUAL_LINKS = [
    ("The staff were friendly and quick.", "Stafnya ramah dan cepat sekali"),
    ("Parking is free for hotel guests.", "Parkir gratis untuk tamu hotel"),
    ("The breakfast was served until ten.", "Sarapan disajikan sampai jam sepuluh"),
]
"""Links of a usual length ratio, informal: their translations lack a final stop."""
LONG_SOURCE = "The food was good and the price cheap, the room clean and the staff friendly."


def test_a_short_translation_without_its_final_stop_is_an_omission_only_when_cut_after_its_head():
    from mt_eval.flags.lengths import length_notes

    usual, long_src = USUAL_LINKS, LONG_SOURCE
    short = (long_src, "Makanan enak dan harga murah, kamar")  # about 0.6 of the usual length
    kwargs = dict(min_words=6, max_ratio=0.5, cut_ratio=0.8, nostop_ratio=0.6, head_ratio=0.7)
    cut_off = length_notes([*usual, short], head_gain=lambda asked: [0.02] * len(asked), **kwargs)[
        0
    ]
    assert list(cut_off) == [3]
    assert cut_off[3].endswith(
        "; it ends without the final punctuation its source has and matches the first half of "
        "its source as well as the whole (similarity in meaning 0.02 higher with the first half "
        "than the whole)"
    )
    assert (
        length_notes([*usual, short], head_gain=lambda asked: [-0.05] * len(asked), **kwargs)[0]
        == {}
    )
    assert length_notes([*usual, short], **kwargs)[0] == {}  # no embedder, no such test


def test_story_an_inserted_translation_sentence_merged_into_a_link_is_added():
    src = _paragraphs("The room was clean and the staff friendly.")
    tgt = _paragraphs("Parkir gratis dan harga murah sekali.", "Kamar bersih dan staf ramah.")
    links = [Link((0,), (0, 1), -0.3)]
    flags = detect_flags(links, src, tgt, src_lang="en", tgt_lang="id", embed=embed).flags
    assert [f.kind for f in flags[0]] == ["added"]
    assert flags[0][0].note.startswith(
        "partial addition: translation sentence 1 seems to have no source: the two sides match"
    )


def test_joined_gain_is_positive_only_when_the_other_side_carries_the_joined_text():
    tgt = "Kamar bersih dan staf ramah."
    assert (
        joined_gain(embed, "The staff were friendly.", "The room was clean.", tgt, extra_first=True)
        > 0
    )
    assert (
        joined_gain(embed, "The staff were friendly.", "Parking is free.", tgt, extra_first=True)
        < 0
    )


def _far_middle(src: list[str], tgt: list[str]) -> tuple[tuple, ...]:
    """Flags of three 1-1 links whose middle one the aligner scored no closer than unrelated."""
    links = [Link((0,), (0,), -0.5), Link((1,), (1,), 0.3), Link((2,), (2,), -0.2)]
    return detect_flags(
        links,
        _paragraphs(*src),
        _paragraphs(*tgt),
        src_lang="en",
        tgt_lang="id",
        align_cost=[link.cost for link in links],
        embed=embed,
    ).flags


def test_story_an_insertion_paired_with_a_source_translated_next_door_is_added():
    # the vendor inserted "Parkir gratis" and merged sentences 2-3 into one translation;
    # the aligner paired the insertion with source sentence 2
    flags = _far_middle(
        [
            "The food was good and the price cheap.",
            "The room was clean.",
            "The staff were friendly.",
        ],
        [
            "Makanan enak dan harga murah.",
            "Parkir gratis untuk semua.",
            "Kamar bersih dan staf ramah.",
        ],
    )
    assert [[f.kind for f in link] for link in flags] == [[], ["added"], []]
    assert flags[1][0].note == (
        "translation sentence 2 has no source here: source sentence 2 is already translated in "
        "the next row (adding it to that row's source changes that row's similarity in meaning "
        "by +0.27)"
    )


def test_story_a_dropped_source_paired_with_a_translation_of_next_door_is_dropped():
    flags = _far_middle(
        [
            "The food was good and the price cheap.",
            "Parking is free.",
            "The room clean, staff friendly.",
        ],
        ["Makanan enak dan harga murah.", "Kamar bersih.", "Staf ramah."],
    )
    assert [[f.kind for f in link] for link in flags] == [[], ["dropped"], []]
    assert flags[1][0].note.startswith(
        "source sentence 2 has no translation here: translation sentence 2 belongs to the next "
        "row's source (adding it to that row's translation"
    )


def test_a_wrong_translation_no_neighbour_carries_stays_a_mistranslation():
    flags = _far_middle(
        [
            "The food was good and the price cheap.",
            "The room was clean.",
            "The staff were friendly.",
        ],
        ["Makanan enak dan harga murah.", "Parkir gratis untuk semua.", "Staf ramah."],
    )
    assert [[f.kind for f in link] for link in flags] == [[], ["mistranslation"], []]
    # without an embedder nothing is looked up next door
    links = [Link((0,), (0,), -0.5), Link((1,), (1,), 0.3), Link((2,), (2,), -0.2)]
    src = _paragraphs("The food was good.", "The room was clean.", "The staff were friendly.")
    tgt = _paragraphs("Makanan enak.", "Parkir gratis untuk semua.", "Kamar bersih dan staf ramah.")
    cost = [link.cost for link in links]
    plain = detect_flags(links, src, tgt, src_lang="en", tgt_lang="id", align_cost=cost).flags
    assert [f.kind for f in plain[1]] == ["mistranslation"]


def test_story_a_paragraph_swapped_inside_a_merged_link_is_both_dropped_and_added():
    # the second paragraph's translation was replaced by another text's, and the
    # aligner merged both paragraphs into one 2-2 link
    src = _paragraphs(
        "The food was good and the price cheap.", "The room was clean and the staff friendly."
    )
    tgt = _paragraphs("Makanan enak dan harga murah.", "Parkir gratis untuk semua tamu.")
    links = [Link((0, 1), (0, 1), -0.3)]
    flags = detect_flags(links, src, tgt, src_lang="en", tgt_lang="id", embed=embed).flags
    assert [f.kind for f in flags[0]] == ["dropped", "added"]
    assert flags[0][0].note.startswith("partial omission: source sentence 2 seems not translated")
    assert flags[0][1].note.startswith(
        "partial addition: translation sentence 2 seems to have no source"
    )


def test_a_translation_clearly_closer_to_its_sources_first_half_is_an_omission_however_it_ends():
    from mt_eval.flags.lengths import length_notes

    usual = [
        ("The staff were friendly and quick.", "Stafnya ramah dan cepat sekali."),
        ("Parking is free for hotel guests.", "Parkir gratis untuk tamu hotel."),
        ("The breakfast was served until ten.", "Sarapan disajikan sampai jam sepuluh."),
    ]
    long_src = "The food was good and the price cheap, the room clean and the staff friendly."
    # about 0.75 of the usual length, and it ends a sentence: no other rule fires
    cut = (long_src, "Makanan enak dan harga murah, kamar juga bersih.")
    kwargs = dict(min_words=6, max_ratio=0.5, cut_ratio=0.8, nostop_ratio=0.6, head_ratio=0.7)
    found = length_notes([*usual, cut], head_gain=lambda asked: [0.15] * len(asked), **kwargs)[0]
    assert list(found) == [3]
    assert found[3] == (
        "partial omission: translation is 71% of the length expected for its source in this "
        "document (source 77 characters, translation 48) and matches the first half of its "
        "source clearly better than the whole (similarity in meaning 0.15 higher with the first "
        "half than the whole): the rest is likely missing"
    )
    # a small gain is what a faithful translation shows too
    assert (
        length_notes([*usual, cut], head_gain=lambda asked: [0.05] * len(asked), **kwargs)[0] == {}
    )
    # halves of a short source say nothing
    short = ("The food was good and cheap here, truly.", "Makanan enak dan murah.")
    assert (
        length_notes([*usual, short], head_gain=lambda asked: [0.3] * len(asked), **kwargs)[0] == {}
    )
    # a translation of the usual length is not judged at all
    full = (long_src, "Makanan enak dan harga murah, kamar bersih dan stafnya sangat ramah.")
    assert (
        length_notes([*usual, full], head_gain=lambda asked: [0.3] * len(asked), **kwargs)[0] == {}
    )
