import subprocess
import sys
from pathlib import Path

import pytest
import sentencex

from mt_eval.errors import ConfigError
from mt_eval.flags import (
    KINDS,
    SEVERITIES,
    FlagSettings,
    InvalidFlagSettings,
    detect_flags,
    detector_unavailable,
    find_repeats,
    similarity_outliers,
)
from mt_eval.model import Flag, Link, Sentence

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def flag_links(*args, **kwargs):
    """Flags only, as the report shows them."""
    return detect_flags(*args, **kwargs).flags


def read_seed(name: str, lang: str) -> list[Sentence]:
    """Each non-empty line, ``<u>`` tags and the ``\\`` of ``\\$`` removed, split by sentencex."""
    out: list[Sentence] = []
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    paragraph = 0
    for number, line in enumerate(lines, start=1):
        line = line.replace("<u>", "").replace("</u>", "").replace("\\$", "$").strip()
        if not line:
            continue
        for text in sentencex.segment(lang, line):
            if text.strip():
                out.append(Sentence(len(out), text.strip(), paragraph, number))
        paragraph += 1
    return out


def sentences(*texts: str) -> list[Sentence]:
    return [Sentence(i, t, i, i + 1) for i, t in enumerate(texts)]


def kinds(flags: tuple[Flag, ...]) -> list[str]:
    return [f.kind for f in flags]


# Moscow Times: English sentence positions -> Indonesian sentence positions.
MT_PAIRS = [
    ((4,), (0,)),
    ((5,), (1,)),
    ((6,), (2,)),
    ((7,), (3,)),
    ((8,), (4,)),
    ((9,), (5,)),
    ((10,), ()),  # "Related article: ..." is not translated
    ((11,), (6,)),
    ((12,), (7,)),
    ((13,), (8,)),
    ((14,), (9,)),
    ((15,), (10,)),
    ((16,), (11,)),
    ((17,), (12,)),
    ((18,), (13,)),
    ((19,), (14,)),
]


@pytest.fixture(scope="module")
def moscow() -> tuple[list[Sentence], list[Sentence], list[Link]]:
    en = read_seed("moscow-times-2022-11-02.en.txt", "en")
    id_ = read_seed("moscow-times-2022-11-02.id.txt", "id")
    assert en[6].text.startswith("Russian federal customs") and len(id_) == 15
    return en, id_, [Link(s, t) for s, t in MT_PAIRS]


@pytest.fixture(scope="module")
def reuters() -> tuple[list[Sentence], list[Sentence]]:
    src = read_seed("reuters-2022-12-12.en.txt", "en")
    spun = read_seed("reuters-2022-12-12.spun.en.txt", "en")
    assert len(src) == 13 and len(spun) == 18
    return src, spun


# Reuters source positions -> spun positions; spun 1-3 (date, [ad_1], repeated
# title) and 9 (promo line) have no source, source 0 is dropped.
REUTERS_LINKS = [
    Link((0,), ()),
    Link((1,), (0,)),
    Link((), (1,)),
    Link((), (2,)),
    Link((), (3,)),
    Link((2,), (4,)),
    Link((3,), (5,)),
    Link((4,), (6,)),
    Link((5,), (7,)),
    Link((6,), (8,)),
    Link((), (9,)),
    Link((7,), (10, 11)),
    Link((8,), (12,)),
    Link((9,), (13,)),
    Link((10,), (14,)),
    Link((11,), (15,)),
    Link((12,), (16,)),
    Link((), (17,)),
]


# ----------------------------------------------------------------------------- seeds


def test_moscow_times_body_raises_no_false_alarms(moscow) -> None:
    en, id_, links = moscow
    result = detect_flags(links, en, id_, src_lang="en", tgt_lang="id")
    assert len(result.flags) == len(links)
    for link, flags in zip(links, result.flags, strict=True):
        expected = ["dropped"] if not link.tgt else []
        assert kinds(flags) == expected, (link, flags)
    assert result.flags[6] == (Flag("dropped", "source sentence 11 has no translation", "major"),)
    assert not any("untranslated" in n for n in result.notes)


def test_moscow_times_changed_number(moscow) -> None:
    en, id_, _ = moscow
    changed = id_[2].text.replace("138", "183")
    flags = flag_links(
        [Link((0,), (0,))], [en[6]], sentences(changed), src_lang="en", tgt_lang="id"
    )
    assert kinds(flags[0]) == ["number_mismatch"]
    assert flags[0][0].note == "number 138 in source, 183 in translation"
    assert flags[0][0].severity == "major"


def test_moscow_times_sentence_left_in_english(moscow) -> None:
    en, _, _ = moscow
    flags = flag_links(
        [Link((0,), (0,))], [en[6]], sentences(en[6].text), src_lang="en", tgt_lang="id"
    )
    assert kinds(flags[0]) == ["untranslated"]
    assert flags[0][0].note == (
        "translation is a near copy of the source (character match with the source 100 of 100, "
        "chrF)"
    )


def test_moscow_times_english_rewording_is_untranslated(moscow) -> None:
    en, _, _ = moscow
    reworded = "North Korea bought 138 horses for $584,302 from Russia between 2010 and 2019."
    flags = flag_links(
        [Link((0,), (0,))], [en[6]], sentences(reworded), src_lang="en", tgt_lang="id"
    )
    assert kinds(flags[0]) == ["untranslated"]
    # language names, not codes: a reviewer need not know that "id" is Indonesian
    assert flags[0][0].note.startswith("translation is in English, not Indonesian (the language")


def test_reuters_numbers_match_across_rewrite(reuters) -> None:
    src, spun = reuters
    flags = flag_links(REUTERS_LINKS, src, spun, src_lang="en", tgt_lang="en")
    assert not any("number_mismatch" in kinds(f) for f in flags)
    assert "thirty grey thoroughbred horses" in spun[7].text  # 30 / thirty
    assert "800-yard" in spun[12].text  # 800-metre (yard) / 800-yard
    assert "2021" in spun[15].text


def test_reuters_duplicates_and_structure(reuters) -> None:
    src, spun = reuters
    flags = flag_links(REUTERS_LINKS, src, spun, src_lang="en", tgt_lang="en")
    by_link = {n: f for n, f in enumerate(flags) if f}
    assert by_link[0] == (Flag("dropped", "source sentence 1 has no translation", "major"),)
    assert kinds(by_link[2]) == ["added"] and by_link[2][0].note == (
        "translation sentence 2 has no source"
    )
    assert by_link[3][0].severity == "minor"  # "[ad_1]"
    assert by_link[4] == (
        Flag("added", "translation sentence 4 has no source", "major"),
        Flag("duplicate", "repeats translation sentence 1", "major"),
    )
    assert kinds(by_link[10]) == ["added"]  # promo line
    assert by_link[17] == (
        Flag("added", "translation sentence 18 has no source", "major"),
        Flag("duplicate", "repeats translation sentence 17", "major"),
    )
    assert set(by_link) == {0, 2, 3, 4, 10, 17}


def test_reuters_closing_repeat_within_one_link(reuters) -> None:
    src, spun = reuters
    links = [*REUTERS_LINKS[:-2], Link((12,), (16, 17))]
    flags = flag_links(links, src, spun, src_lang="en", tgt_lang="en")
    assert flags[-1] == (
        Flag("duplicate", "translation sentence 18 repeats translation sentence 17", "major"),
    )


# ----------------------------------------------------------------------------- dropped/added


def test_dropped_and_added_notes_and_severities() -> None:
    src = sentences("A long sentence that was lost.", "Two more", "and here.", "Photo: AP")
    tgt = sentences(
        "Satu kalimat.", "Tambahan yang panjang sekali.", "Ok https://example.com/a/b-c-d"
    )
    links = [Link((0,), ()), Link((1, 2), ()), Link((3,), ()), Link((), (1,)), Link((), (2,))]
    flags = flag_links(links, src, tgt, src_lang="en", tgt_lang="id")
    assert flags == (
        (Flag("dropped", "source sentence 1 has no translation", "major"),),
        (Flag("dropped", "source sentences 2-3 have no translation", "major"),),
        (Flag("dropped", "source sentence 4 has no translation", "minor"),),
        (Flag("added", "translation sentence 2 has no source", "major"),),
        (Flag("added", "translation sentence 3 has no source", "minor"),),
    )


# ----------------------------------------------------------------------------- duplicate


def test_short_repeats_are_not_duplicates() -> None:
    tgt = sentences("Yes.", "Ya, benar.", "Yes.", "Ya, benar!")
    links = [Link((i,), (i,)) for i in range(4)]
    flags = flag_links(links, tgt, tgt, src_lang="en", tgt_lang="en")
    assert all(f == () for f in flags)


def test_near_duplicate_is_minor_and_case_punctuation_ignored() -> None:
    tgt = sentences(
        "Korea Utara telah melanjutkan perdagangan dengan Rusia.",
        "Kalimat lain di antaranya tentang kuda.",
        "“KOREA UTARA telah melanjutkan perdagangan dengan Rusia”",
        "Korea Utara telah melanjutkan perdagangan dengan Rusiaa",
    )
    src = sentences("a b c d e", "f g h i j", "k l m n o", "p q r s t")
    links = [Link((i,), (i,)) for i in range(4)]
    flags = flag_links(links, src, tgt, src_lang="en", tgt_lang="id")
    duplicate = [[f for f in fl if f.kind == "duplicate"] for fl in flags]
    assert duplicate[2] == [Flag("duplicate", "repeats translation sentence 1", "major")]
    assert duplicate[3][0].severity == "minor"
    assert (
        duplicate[3][0].note
        == "nearly repeats translation sentence 1 (99% of the characters alike)"
    )
    assert duplicate[:2] == [[], []]


def test_repeat_of_repeated_source_is_not_flagged() -> None:
    src = sentences(
        "The talks will resume next week.", "Other news.", "The talks will resume next week."
    )
    tgt = sentences("Perundingan akan dilanjutkan pekan depan.", "Berita lain.",
                    "Perundingan akan dilanjutkan pekan depan.")  # fmt: skip
    links = [Link((i,), (i,)) for i in range(3)]
    flags = flag_links(links, src, tgt, src_lang="en", tgt_lang="id")
    assert all(f == () for f in flags)
    strict = FlagSettings(duplicate_skip_source_repeats=False)
    flags = flag_links(links, src, tgt, src_lang="en", tgt_lang="id", settings=strict)
    assert kinds(flags[2]) == ["duplicate"]


@pytest.mark.parametrize(
    ("first", "second", "faithful"),
    [
        # short strings of a user interface (SF-12): too short for the source's own
        # repeat check, so the two sources are compared here
        ("Select a TM database.", "Select TM database.", True),
        ("Page 10 of 12", "Page 10 of 13", False),  # alike, but other numbers: a copy
        ("Leading Spaces", "Trailing Spaces", False),
    ],
)
def test_one_translation_for_two_sources_alike_is_faithful_unless_they_differ_in_substance(
    first: str, second: str, faithful: bool
) -> None:
    src = sentences(first, "Other news today.", second)
    tgt = sentences("Seleccione la base de datos ahora.", "Otras noticias.",
                    "Seleccione la base de datos ahora.")  # fmt: skip
    links = [Link((i,), (i,)) for i in range(3)]
    flags = flag_links(links, src, tgt, src_lang="en", tgt_lang="es")
    assert ("duplicate" in kinds(flags[2])) is not faithful


def test_find_repeats_containment_needs_enough_words() -> None:
    texts = ["It was not immediately clear whether he agreed.", "It was not clear.",
             "It was not immediately clear."]  # fmt: skip
    assert (
        find_repeats(
            texts, [0, 1, 2], min_words=4, contained_min_words=6, min_ratio=0.9, window=100
        )
        == {}
    )
    found = find_repeats(
        texts, [0, 1, 2], min_words=4, contained_min_words=4, min_ratio=0.9, window=100
    )
    assert {i: (r.of, r.how) for i, r in found.items()} == {2: (0, "contained")}


# ----------------------------------------------------------------------------- untranslated


@pytest.mark.parametrize(
    "target",
    ["Khasan-Tumangang", "Daily NK", "Vladimir Putin", "The Moscow Times", "Covid-19 2020",
     "Donetsk, Luhansk, Kherson and Zaporizhzhia", "Donetsk, Luhansk, Kherson dan Zaporizhzhia",
     "Korea Utara"],
)  # fmt: skip
def test_names_are_not_untranslated(target: str) -> None:
    src = sentences(f"{target} said so.")
    flags = flag_links([Link((0,), (0,))], src, sentences(target), src_lang="en", tgt_lang="id")
    assert "untranslated" not in kinds(flags[0])


def test_same_language_is_never_untranslated() -> None:
    text = "North Korea has resumed trade ties with Russia after two years."
    flags = flag_links(
        [Link((0,), (0,))], sentences(text), sentences(text), src_lang="en", tgt_lang="en-GB"
    )
    assert flags == ((),)


def test_unknown_language_is_reported_and_copy_check_still_runs() -> None:
    text = "North Korea has resumed trade ties with Russia after two long years."
    assert "tlh" in detector_unavailable("en", "tlh")
    assert detector_unavailable("en", "id") == ""
    result = detect_flags(
        [Link((0,), (0,))], sentences(text), sentences(text), src_lang="en", tgt_lang="tlh"
    )
    assert any(
        n.startswith("untranslated: language identification unavailable") for n in result.notes
    )
    assert kinds(result.flags[0]) == ["untranslated"]


def test_language_detector_is_built_once_per_pair() -> None:
    from mt_eval.flags.language import _detector

    assert detector_unavailable("en", "id") == detector_unavailable("en-US", "in") == ""
    assert _detector("en", "id") is _detector("en", "id")


def test_lingua_and_sacrebleu_are_imported_lazily() -> None:
    code = "import sys, mt_eval.flags; print('lingua' in sys.modules, 'sacrebleu' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_additions_in_source_language_are_only_added() -> None:
    tgt = sentences("Leave a reply to this story in the comments below.")
    flags = flag_links([Link((), (0,))], [], tgt, src_lang="en", tgt_lang="id")
    assert kinds(flags[0]) == ["added"]


# ----------------------------------------------------------------------------- numbers


def test_currency_mismatch_is_critical() -> None:
    flags = flag_links(
        [Link((0,), (0,))],
        sentences("It cost $584,302 in total."),
        sentences("Biayanya $548,302 secara keseluruhan."),
        src_lang="en",
        tgt_lang="id",
    )
    assert flags[0] == (
        Flag("number_mismatch", "number 584,302 in source, 548,302 in translation", "critical"),
    )


def test_word_numbers_switch() -> None:
    src, tgt = sentences("Five countries voted against it."), sentences("Negara memilih menolak.")
    link = [Link((0,), (0,))]
    assert flag_links(link, src, tgt, src_lang="en", tgt_lang="id") == ((),)
    strict = FlagSettings(numbers_compare_words=True)
    flags = flag_links(link, src, tgt, src_lang="en", tgt_lang="id", settings=strict)
    assert flags[0][0].note == "number Five in source missing in translation"


# ----------------------------------------------------------------------------- mistranslation

SCORES = [0.78, 0.81, 0.75, 0.80, 0.79, 0.83, 0.77, 0.76, 0.82, 0.80, 0.41, 0.79]


def test_low_outlier_is_flagged() -> None:
    notes, reason = similarity_outliers(SCORES, FlagSettings())
    assert reason == "" and notes == {
        10: "similarity in meaning to the source 0.41, the lowest of the 12 scored rows of this "
        "document (typical: 0.79)"
    }


def test_an_outlier_note_ranks_the_link_among_the_documents_scores() -> None:
    scores = SCORES[:10] * 4 + [0.3, 0.2]  # 42 scores, two far below the rest
    notes, _ = similarity_outliers(scores, FlagSettings(), label="COMET quality score")
    assert notes == {
        40: "COMET quality score 0.30, among the 2 lowest of the 42 scored rows of this "
        "document (typical: 0.79)",
        41: "COMET quality score 0.20, the lowest of the 42 scored rows of this document "
        "(typical: 0.79)",
    }


def test_outliers_are_relative_to_the_document() -> None:
    squeezed = [0.9 + s / 20 for s in SCORES]  # same shape, another model's range
    assert set(similarity_outliers(squeezed, FlagSettings())[0]) == {10}
    low_everywhere = [s - 0.4 for s in SCORES[:10]] + [0.39, 0.40]
    assert similarity_outliers(low_everywhere, FlagSettings())[0] == {}


def test_too_few_scores_are_not_evaluated() -> None:
    notes, reason = similarity_outliers([0.8, 0.8, 0.1, None, 0.7], FlagSettings())
    assert notes == {} and reason == "not checked (4 scored links, need 8)"
    assert similarity_outliers([0.8] * 12, FlagSettings()) == ({}, "")


def test_mistranslation_flag_only_on_links_with_both_sides() -> None:
    n = len(SCORES)
    src = sentences(*(f"Sentence number {chr(65 + i)} is here." for i in range(n)))
    tgt = sentences(*(f"Kalimat nomor {chr(65 + i)} ada di sini." for i in range(n)))
    links = [Link((i,), (i,)) for i in range(n)] + [Link((), ())]
    short_ok = FlagSettings(mistranslation_min_words=1)  # these test sentences are short
    result = detect_flags(
        links, src, tgt, src_lang="en", tgt_lang="id", similarity=[*SCORES, 0.0], settings=short_ok
    )
    note = (
        "similarity in meaning to the source 0.41, the lowest of the 12 scored rows of this "
        "document (typical: 0.79)"
    )
    assert result.flags[10] == (Flag("mistranslation", note, "major"),)
    assert sum(len(f) for f in result.flags) == 1 and result.notes == ()
    no_scores = detect_flags(links[:3], src, tgt, src_lang="en", tgt_lang="id")
    assert no_scores.notes == ("mistranslation: not checked (no similarity scores)",)
    with pytest.raises(ValueError):
        detect_flags(links, src, tgt, src_lang="en", tgt_lang="id", similarity=[0.5])


def test_untranslated_link_is_not_also_a_mistranslation() -> None:
    n = len(SCORES)
    english = "The customs officials blamed the sanctions on the new rules last week."
    src = sentences(*(f"Sentence number {chr(65 + i)} is here." for i in range(n)), english)
    tgt = sentences(*(f"Kalimat nomor {chr(65 + i)} ada di sini." for i in range(n)), english)
    links = [Link((i,), (i,)) for i in range(n + 1)]
    settings = FlagSettings(mistranslation_min_words=1)
    scores = [*SCORES, 0.0]
    result = detect_flags(
        links, src, tgt, src_lang="en", tgt_lang="id", similarity=scores, settings=settings
    )
    assert [f.kind for f in result.flags[n]] == ["untranslated"]
    # Control: the same low score on a translated sentence is a mistranslation.
    wrong = "Harga beras naik lagi di pasar-pasar kota minggu ini karena cuaca buruk."
    tgt = sentences(*(s.text for s in tgt[:n]), wrong)
    control = detect_flags(
        links, src, tgt, src_lang="en", tgt_lang="id", similarity=scores, settings=settings
    )
    assert [f.kind for f in control.flags[n]] == ["mistranslation"]


# ----------------------------------------------------------------------------- settings


def test_settings_validation() -> None:
    assert FlagSettings().duplicate_min_words == 4
    for bad in (
        {"duplicate_min_ratio": 1.5},
        {"untranslated_min_confidence": -0.1},
        {"untranslated_copy_chrf": 120.0},
        {"mistranslation_max_z": 1.0},
        {"mistranslation_percentile": float("nan")},
        {"mistranslation_min_links": 2},
        {"short_words": 2.5},
        {"numbers_compare_words": 1},
        {"duplicate_min_words": 0},
    ):
        with pytest.raises(InvalidFlagSettings):
            FlagSettings(**bad)
    assert issubclass(InvalidFlagSettings, ValueError)
    assert issubclass(InvalidFlagSettings, ConfigError)


def test_vocabulary() -> None:
    assert KINDS == (
        "dropped", "added", "duplicate", "untranslated", "number_mismatch", "entity_mismatch",
        "mistranslation", "placeholder_mismatch", "tag_mismatch",
    )  # fmt: skip
    assert SEVERITIES == ("minor", "major", "critical")


def test_two_equal_sentences_in_one_link_only_the_later_repeats() -> None:
    title = "North Korea has resumed trade ties with Russia"
    found = find_repeats(
        [title, title], [0, 0], min_words=4, contained_min_words=6, min_ratio=0.9, window=100
    )
    assert list(found) == [1]
    assert (found[1].of, found[1].how) == (0, "equal")
    near = [title, title.replace("has resumed", "resumed")]
    found = find_repeats(
        near, [0, 0], min_words=4, contained_min_words=6, min_ratio=0.9, window=100
    )
    assert list(found) == [1] and found[1].how == "similar"
