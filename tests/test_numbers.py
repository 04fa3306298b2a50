from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mt_eval.flags.numbers import (
    DIGITS,
    WORDS,
    compare_numbers,
    extract_numbers,
    mismatch_note,
)
from mt_eval.flags.numwords import (
    english_words,
    indonesian_words,
    parse_english,
    parse_indonesian,
)

BIG = 10**15 - 1


def values(text: str, lang: str = "en") -> list[set]:
    return [set(m.values) for m in extract_numbers(text, lang)]


def texts(text: str, lang: str = "en") -> list[str]:
    return [m.text for m in extract_numbers(text, lang)]


# ----------------------------------------------------------------------------- digits


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("138", {Decimal(138)}),
        ("584,302", {Decimal(584302), Decimal("584.302")}),
        ("584.302", {Decimal(584302), Decimal("584.302")}),
        ("1,5", {Decimal("1.5")}),
        ("1.5", {Decimal("1.5")}),
        ("1,234,567", {Decimal(1234567)}),
        ("1.234.567", {Decimal(1234567)}),
        ("1,234.56", {Decimal("1234.56")}),
        ("1.234,56", {Decimal("1234.56")}),
        ("0,500", {Decimal("0.5")}),
        ("1\u00a0000", {Decimal(1000)}),
        ("11:13", {("time", 11, 13)}),
        ("11.13", {Decimal("11.13"), ("time", 11, 13)}),
    ],
)
def test_digit_values(token: str, expected: set) -> None:
    assert values(f"about {token} here") == [expected]


def test_invalid_runs_are_read_as_separate_integers() -> None:
    assert texts("2022.12.12 and 1,2,3") == ["2022", "12", "12", "1", "2", "3"]


def test_numbers_inside_names_percent_and_currency() -> None:
    mentions = extract_numbers("Covid-19 cut 30% of $584,302 and 5 USD", "en")
    assert [m.text for m in mentions] == ["19", "30", "584,302", "5"]
    assert [m.currency for m in mentions] == [False, False, True, True]
    assert extract_numbers("Rp 5.000", "id")[0].currency


def test_scale_words_after_digits() -> None:
    (en,) = extract_numbers("1.5 million people", "en")
    (id_,) = extract_numbers("1,5 juta orang", "id")
    assert en.text == "1.5 million" and id_.text == "1,5 juta"
    assert Decimal(1500000) in en.values & id_.values
    assert not compare_numbers("1.5 million", "1.500.000", "en", "id")


# ----------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("zero", 0),
        ("two", 2),
        ("five", 5),
        ("twelve", 12),
        ("thirty", 30),
        ("twenty-five", 25),
        ("a hundred", 100),
        ("two hundred and five", 205),
        ("a thousand", 1000),
        ("two thousand and nineteen", 2019),
        ("three million", 3000000),
        ("third", 3),
    ],
)
def test_english_words(text: str, value: int) -> None:
    mentions = extract_numbers(f"There were {text} horses.", "en")
    assert [(m.text, m.values, m.written) for m in mentions] == [
        (text, frozenset({Decimal(value)}), WORDS)
    ]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("nol", 0),
        ("satu", 1),
        ("dua", 2),
        ("tiga", 3),
        ("empat", 4),
        ("lima", 5),
        ("enam", 6),
        ("tujuh", 7),
        ("delapan", 8),
        ("sembilan", 9),
        ("sepuluh", 10),
        ("sebelas", 11),
        ("dua belas", 12),
        ("tiga puluh", 30),
        ("tiga puluh tujuh", 37),
        ("seratus", 100),
        ("seratus dua puluh tiga", 123),
        ("tiga ratus", 300),
        ("seribu", 1000),
        ("dua ribu", 2000),
        ("dua ribu dua puluh dua", 2022),
        ("sepuluh ribu", 10000),
        ("seratus ribu", 100000),
        ("sejuta", 10**6),
        ("satu juta", 10**6),
        ("lima juta", 5 * 10**6),
        ("semiliar", 10**9),
        ("dua milyar", 2 * 10**9),
        ("tiga miliar", 3 * 10**9),
        ("setriliun", 10**12),
        ("empat triliun", 4 * 10**12),
        ("ketiga", 3),
    ],
)
def test_indonesian_words(text: str, value: int) -> None:
    mentions = extract_numbers(f"Ada {text} kuda.", "id")
    assert [(m.text, m.values) for m in mentions] == [(text, frozenset({Decimal(value)}))]


def test_word_runs_split_on_punctuation_and_invalid_order() -> None:
    assert texts("satu, dua, tiga", "id") == ["satu", "dua", "tiga"]
    assert texts("seratus seratus", "id") == ["seratus", "seratus"]
    assert texts("nineteen ninety-five", "en") == ["nineteen", "ninety-five"]


def test_words_are_not_found_inside_other_words() -> None:
    assert texts("menjadi negara ketiga dan kedua", "id") == ["ketiga", "kedua"]
    assert texts("Sedua, tigaan, duanya", "id") == []
    assert texts("someone, alone, often", "en") == []


def test_other_languages_read_number_words_with_text2num() -> None:
    # text2num leaves isolated small words ("dos", "ein") as words, as it should.
    assert texts("dos caballos y 30 vacas", "es") == ["30"]
    assert texts("Es waren zehn Leute", "de") == ["10"]
    assert not compare_numbers("Es waren zehn Leute.", "There were 10 people.", "de", "en")
    assert texts("десять человек", "ru") == []  # no reader for Russian words: digits only


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("The deal is worth 44,9 billion.", "Nilainya rp 44, 9 miliar."),  # spaced decimal
        ("The rica rica is spicy.", "Rica2nya pedas."),  # reduplication, no number
        ("It took two and a half hours.", "Butuh 2,5 jam."),
        ("Four and a half billion years.", "4½ miliar tahun."),
        ("50 percent of them came.", "Separuh dari mereka datang."),
        ("That was my 2011.", "Itu 2011ku."),  # a suffix on the number
        ("The price is 3 million.", "Harganya 3 juta."),
    ],
)
def test_faithful_renderings_of_numbers_are_no_mismatch(src: str, tgt: str) -> None:
    assert not compare_numbers(src, tgt, "en", "id")


def test_a_changed_scale_word_is_a_mismatch_although_the_digits_agree() -> None:
    result = compare_numbers("10 billion pixels", "10 juta piksel", "en", "id")
    assert [m.text for m in result.missing_in_target] == ["10 billion"]
    assert [m.text for m in result.missing_in_source] == ["10 juta"]


@given(st.integers(0, BIG))
def test_indonesian_round_trip(n: int) -> None:
    for se_forms in (False, True):
        words = indonesian_words(n, se_forms=se_forms).split()
        assert parse_indonesian(words) == (n, len(words))


@given(st.integers(0, BIG))
def test_indonesian_in_running_text(n: int) -> None:
    text = f"Kami melihat {indonesian_words(n)} ekor kuda."
    (mention,) = extract_numbers(text, "id")
    assert mention.values == {Decimal(n)} and mention.written == WORDS


@given(st.integers(0, BIG))
def test_english_round_trip(n: int) -> None:
    words = english_words(n).split()
    assert parse_english(words) == (n, len(words))


@given(st.integers(0, 10**12))
def test_digits_match_across_separator_styles(n: int) -> None:
    en = f"{n:,}"
    id_ = en.replace(",", ".")
    assert not compare_numbers(f"cost {en}", f"biaya {id_}", "en", "id")
    assert not compare_numbers(f"cost {n}", f"biaya {indonesian_words(n)}", "en", "id")


def test_generators_reject_out_of_range() -> None:
    with pytest.raises(ValueError):
        indonesian_words(10**15)
    with pytest.raises(ValueError):
        english_words(-1)


# ----------------------------------------------------------------------------- comparison


def test_changed_number_note_names_both() -> None:
    comparison = compare_numbers("imported 138 horses", "mengimpor 183 kuda", "en", "id")
    assert mismatch_note(comparison) == "number 138 in source, 183 in translation"


def test_missing_and_extra_numbers_notes() -> None:
    missing = compare_numbers("between 2010 and 2019", "sejak 2010", "en", "id")
    assert mismatch_note(missing) == "number 2019 in source missing in translation"
    extra = compare_numbers("in 2019", "pada 2019 dan 2020", "en", "id")
    assert mismatch_note(extra) == "number 2020 in translation not in source"


def test_decimal_comma_against_decimal_point_is_no_mismatch() -> None:
    assert not compare_numbers("grew 1.5 percent", "tumbuh 1,5 persen", "en", "id")
    assert not compare_numbers("grew 1,5 percent", "grew 1.5 percent", "en", "en")


def test_order_does_not_matter() -> None:
    assert not compare_numbers("138 horses in 2019", "Pada 2019, 138 kuda", "en", "id")


def test_digits_match_words_either_way() -> None:
    assert not compare_numbers("30 grey horses", "thirty grey horses", "en", "en")
    assert not compare_numbers("Twelve horses", "12 kuda", "en", "id")
    assert not compare_numbers("12 horses", "Dua belas kuda", "en", "id")


def test_word_only_numbers_are_lenient_by_default() -> None:
    assert not compare_numbers("one of the five countries", "salah satu negara", "en", "id")
    strict = compare_numbers(
        "one of the five countries", "salah satu negara", "en", "id", compare_words=True
    )
    assert [m.text for m in strict.missing_in_target] == ["five"]


def test_digit_missing_even_when_word_on_same_side() -> None:
    comparison = compare_numbers("30 horses", "kuda", "en", "id")
    assert [m.written for m in comparison.missing_in_target] == [DIGITS]


def test_time_formats() -> None:
    assert not compare_numbers("at 11:13", "pukul 11.13", "en", "id")
