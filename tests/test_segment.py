"""Sentence splitting: paragraphs first, then sentences, never losing a character."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval.documents import clean_text, load_document, read_lines
from mt_eval.model import Document, Paragraph
from mt_eval.segment import lines_to_sentences, split_document, split_text

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- Indonesian abbreviations ----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Dr. Budi tinggal di Jl. Merdeka No. 5.",
        "PT. Maju berdiri sejak tgl. 5 Mei 2001.",
        "Drs. Ahmad dan Dra. Siti bertemu Ir. Joko dan Prof. Hadi.",
        "H. Ahmad dan Hj. Aminah tinggal di Jln. Sudirman.",
        "Saham PT. Maju Tbk. naik, kata Bpk. Andi dan Bp. Budi.",
        "Surat untuk Sdr. Budi dan Sdri. Ani dikirim a.n. Direktur u.p. Bagian Umum.",
        "Ia membeli apel, jeruk, dll. di pasar, dsb. lalu pulang.",
        "Budi dkk. datang ke Kab. Bogor, Kec. Cibinong, Kel. Pakansari, Prov. Jawa Barat.",
        "Harganya Rp. 5.000 per kilo.",
        "Satu porsi rp. 55.000 sedangkan minumannya rp. 30.000.",
        "Budi Santoso, S.H. bekerja bersama Ani, S.E. dan Joko, M.Sc. di CV. Abadi.",
        "Ia meraih gelar M.Si. dari UI.",
        "Harga naik 3,5 persen.",
        "Kantor berita INTERFAX.RU melaporkan hal itu.",
    ],
)
def test_indonesian_abbreviations_do_not_end_a_sentence(sentence: str) -> None:
    assert split_text(sentence, "id") == [sentence]


def test_a_lowercase_rupiah_sign_ends_no_sentence_before_an_amount_only() -> None:
    text = "Harganya murah, cuma rp. Tapi rasanya biasa."
    assert split_text(text, "id") == ["Harganya murah, cuma rp.", "Tapi rasanya biasa."]


def test_indonesian_sentences_still_split_after_an_abbreviation_paragraph() -> None:
    text = "Dr. Budi tinggal di Jl. Merdeka No. 5. Ia lahir tgl. 5 Mei. Harga naik 3,5 persen."
    assert split_text(text, "id") == [
        "Dr. Budi tinggal di Jl. Merdeka No. 5.",
        "Ia lahir tgl. 5 Mei.",
        "Harga naik 3,5 persen.",
    ]


def test_a_sentence_ending_in_dll_before_a_capital_is_a_boundary() -> None:
    assert split_text("Ia membeli apel, jeruk, dll. Kemudian ia pulang.", "id") == [
        "Ia membeli apel, jeruk, dll.",
        "Kemudian ia pulang.",
    ]


def test_abbreviations_at_the_start_of_a_sentence_match_capitalised() -> None:
    assert split_text("Tgl. 5 Mei ia datang.", "id") == ["Tgl. 5 Mei ia datang."]


# --- English -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "A U.S.-based think-tank said on Monday.",
        "Mr. Smith and Ms. Jones met Dr. Who at No. 5 St. James Street.",
        "It opened on Jan. 5 with fruit, e.g. apples, i.e. not pears.",
        "They met at 5 p.m. on the bridge.",
    ],
)
def test_english_abbreviations_do_not_end_a_sentence(sentence: str) -> None:
    assert split_text(sentence, "en") == [sentence]


def test_no_ends_a_sentence_unless_a_number_follows() -> None:
    assert split_text("The answer was No. Then he left.", "en") == [
        "The answer was No.",
        "Then he left.",
    ]


def test_english_seed_paragraph_splits_into_its_two_sentences() -> None:
    doc = load_document(SEEDS / "moscow-times-2022-11-02.en.txt", "en")
    paragraph = next(p for p in doc.paragraphs if p.text.startswith("Russia's Far Eastern"))
    assert split_text(paragraph.text, "en") == [
        "Russia's Far Eastern Railway told Interfax that the next rail shipment to North Korea "
        "is expected to deliver medical goods.",
        "It did not specify the date of future supplies.",
    ]


def test_a_domain_like_token_is_not_split() -> None:
    assert split_text("Moscow, June 24. INTERFAX.RU – Russia plans it.", "en") == [
        "Moscow, June 24.",
        "INTERFAX.RU – Russia plans it.",
    ]


# --- other languages -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["is", "xx", "", "pt_BR", "ind"])
def test_any_language_code_splits_on_sentence_punctuation(lang: str) -> None:
    assert split_text("First one. Second one? Third!", lang) == [
        "First one.",
        "Second one?",
        "Third!",
    ]


def test_cjk_full_stops_split() -> None:
    assert split_text("日本語です。次の文。", "ja") == ["日本語です。", "次の文。"]


def test_blank_paragraph_has_no_sentences() -> None:
    assert split_text(" \u00a0 ", "en") == []


# --- documents -----------------------------------------------------------------------------


def test_split_document_numbers_sentences_over_the_whole_document() -> None:
    doc = clean_text("Title\n\nOne. Two.\n<p>Three.</p>Four. Five.", "en")
    sentences = split_document(doc)
    assert [(s.index, s.text, s.paragraph, s.line) for s in sentences] == [
        (0, "Title", 0, 1),
        (1, "One.", 1, 3),
        (2, "Two.", 1, 3),
        (3, "Three.", 2, 4),
        (4, "Four.", 3, 4),
        (5, "Five.", 3, 4),
    ]


def test_a_sentence_never_spans_two_paragraphs() -> None:
    doc = clean_text("This line has no full stop\nand this one continues it.", "en")
    assert [s.text for s in split_document(doc)] == [
        "This line has no full stop",
        "and this one continues it.",
    ]


@pytest.mark.parametrize(
    ("name", "lang", "count"),
    [
        ("moscow-times-2022-11-02.en.txt", "en", 18),
        ("moscow-times-2022-11-02.id.txt", "id", 15),
        ("reuters-2022-12-12.en.txt", "en", 13),
        ("reuters-2022-12-12.spun.en.txt", "en", 16),
        ("dprk-russia-rail-2022-06-27.en.txt", "en", 17),
    ],
)
def test_seed_sentence_counts(name: str, lang: str, count: int) -> None:
    doc = load_document(SEEDS / name, lang)
    sentences = split_document(doc)
    assert len(sentences) == count
    for p, paragraph in enumerate(doc.paragraphs):
        mine = [s.text for s in sentences if s.paragraph == p]
        assert mine and squeeze("".join(mine)) == squeeze(paragraph.text)


def test_lines_to_sentences_keeps_one_sentence_per_line_with_empty_ones(tmp_path: Path) -> None:
    path = tmp_path / "preseg.txt"
    path.write_text("One. Two.\n\nThree\n", encoding="utf-8")
    sentences = lines_to_sentences(read_lines(path, "en"))
    assert [(s.index, s.text, s.paragraph, s.line) for s in sentences] == [
        (0, "One. Two.", 0, 1),
        (1, "", 1, 2),
        (2, "Three", 2, 3),
    ]


# --- properties ----------------------------------------------------------------------------

TOKEN = st.one_of(
    st.text(alphabet=st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=8),
    st.sampled_from(
        ["Dr.", "Jl.", "No.", "5.", "U.S.", "e.g.", "dll.", "tgl.", "3,5", "!", "?", "。", "…", "”"]
    ),
)
SPACE = st.sampled_from([" ", "  ", "\u00a0", " \t "])
PARAGRAPH = st.lists(st.tuples(TOKEN, SPACE), min_size=1, max_size=25).map(
    lambda parts: "".join(t + s for t, s in parts).strip()
)


@settings(max_examples=200, deadline=None)
@given(PARAGRAPH, st.sampled_from(["en", "id", "ja", "xx"]))
def test_splitting_keeps_every_non_space_character_in_order(text: str, lang: str) -> None:
    sentences = split_text(text, lang)
    assert all(s and s == s.strip() for s in sentences)
    assert squeeze("".join(sentences)) == squeeze(text)


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH.filter(lambda t: t.strip()), min_size=1, max_size=5))
def test_sentences_never_cross_paragraphs(paragraphs: list[str]) -> None:
    doc = Document(
        path="", lang="id", paragraphs=tuple(Paragraph(t, n) for n, t in enumerate(paragraphs, 1))
    )
    sentences = split_document(doc)
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for p, text in enumerate(paragraphs):
        mine = [s for s in sentences if s.paragraph == p]
        assert all(s.line == p + 1 for s in mine)
        assert squeeze("".join(s.text for s in mine)) == squeeze(text)
