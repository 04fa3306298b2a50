"""Loading and cleaning documents: what a user sees happen to their files."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval.documents import clean_text, load_document, read_lines
from mt_eval.errors import InputError
from mt_eval.model import Document, Removal

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def reasons(doc: Document) -> list[str]:
    return [r.reason for r in doc.removals]


def cleaned(line: str, lang: str = "en") -> list[str]:
    return texts(clean_text(line, lang))


# --- the seed documents -------------------------------------------------------------------


class TestMoscowTimesSeed:
    @pytest.fixture
    def doc(self) -> Document:
        return load_document(SEEDS / "moscow-times-2022-11-02.en.txt", "en")

    def test_date_line_is_removed_as_dateline(self, doc: Document) -> None:
        assert Removal(6, "November 02, 2022", "dateline") in doc.removals
        assert "November 02, 2022" not in texts(doc)

    def test_related_article_line_is_removed(self, doc: Document) -> None:
        related = [r for r in doc.removals if r.reason == "boilerplate:related-link"]
        assert [r.line for r in related] == [22]
        assert related[0].text.startswith("Related article: How North Korea's Leader")
        assert not any("Related article" in t for t in texts(doc))

    def test_original_url_trailer_and_its_broken_url_line_are_removed(self, doc: Document) -> None:
        trailer = [r for r in doc.removals if r.reason == "boilerplate:url-trailer"]
        assert [(r.line, r.text[:14]) for r in trailer] == [
            (42, "Original url:"),
            (44, "https://www.th"),
        ]
        assert trailer[1].text.endswith("-a 79268")
        assert not any("themoscowtimes.com" in t or "79268" in t for t in texts(doc))

    def test_every_u_tag_is_removed_and_recorded_on_its_line(self, doc: Document) -> None:
        tags = [(r.line, r.text) for r in doc.removals if r.reason == "html-tag"]
        assert tags == [(n, t) for n in (12, 16, 22, 28, 30) for t in ("<u>", "</u>")]
        assert not any("<u>" in t or "</u>" in t for t in texts(doc))
        assert "media reported Wednesday" in texts(doc)[2]

    def test_escaped_dollar_loses_its_backslash(self, doc: Document) -> None:
        assert Removal(16, "\\", "backslash-escape") in doc.removals
        body = " ".join(texts(doc))
        assert "$584,302" in body and "\\" not in body

    def test_removals_are_in_document_order(self, doc: Document) -> None:
        lines = [r.line for r in doc.removals]
        assert lines == sorted(lines)
        assert set(reasons(doc)) == {
            "dateline",
            "html-tag",
            "backslash-escape",
            "boilerplate:related-link",
            "boilerplate:url-trailer",
        }

    def test_title_caption_and_every_body_paragraph_are_kept_whole(self, doc: Document) -> None:
        raw = (SEEDS / "moscow-times-2022-11-02.en.txt").read_text(encoding="utf-8").split("\n")
        kept = {p.line: p.text for p in doc.paragraphs}
        assert kept[4] == "North Korea, Russia End 2-Year Hiatus in Railway Trade"
        assert kept[10] == (
            "The Khasan station of the Far Eastern Railway in Russia's Vladivostok region. "
            "Romanver (CC BY 3.0)"
        )
        for n in (12, 14, 16, 18, 20, *range(24, 41, 2)):
            expected = re.sub(r"</?u>", "", raw[n - 1]).replace("\\$", "$").strip()
            assert kept[n] == expected
        assert len(doc.paragraphs) == 16


class TestSpunReutersSeed:
    @pytest.fixture
    def doc(self) -> Document:
        return load_document(SEEDS / "reuters-2022-12-12.spun.en.txt", "en")

    def test_ad_marker_and_timestamp_are_removed(self, doc: Document) -> None:
        assert doc.removals == (
            Removal(2, "2022.12.12 11:13", "dateline"),
            Removal(3, "[ad_1]", "boilerplate:ad"),
        )

    def test_promo_line_and_both_title_lines_are_kept(self, doc: Document) -> None:
        kept = {p.line: p.text for p in doc.paragraphs}
        assert kept[1] == kept[4] == "North Korea has resumed trade ties with Russia"
        assert kept[9] == "More Thermonuclear energy sources-A scientific breakthrough in US"
        assert len(doc.paragraphs) == 13


class TestDprkBlogSeed:
    @pytest.fixture
    def doc(self) -> Document:
        return load_document(SEEDS / "dprk-russia-rail-2022-06-27.en.txt", "en")

    def test_comment_form_lines_and_byline_are_removed(self, doc: Document) -> None:
        assert doc.removals == (
            Removal(3, "By | June 27, 2022 | No Comments", "boilerplate:comments"),
            Removal(33, "Leave a Reply", "boilerplate:comments"),
            Removal(
                35,
                "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
                "boilerplate:comments",
            ),
        )

    def test_nbsp_only_lines_leave_no_paragraph_and_no_record(self, doc: Document) -> None:
        assert all(p.text.strip() and "\u00a0" not in p.text for p in doc.paragraphs)
        assert not {9, 13, 25, 29} & {p.line for p in doc.paragraphs}

    def test_body_footnote_and_source_line_are_kept(self, doc: Document) -> None:
        kept = {p.line: p.text for p in doc.paragraphs}
        assert kept[1] == "Blood and Iron: Signs of Revival in DPRK-Russia Rail Trade"
        assert kept[11].endswith("Interfax, June 24, 2022[1]")
        assert kept[27] == (
            "Original article published by Interfax News Agency. Translated by Anthony V. Rinna."
        )
        assert kept[31].startswith("[1] Source: Russia and North Korea Plan")
        assert kept[31].endswith("https://www.interfax.ru/amp/847679")
        assert sorted(kept) == [1, 5, 7, 11, 15, 17, 19, 21, 23, 27, 31]


@pytest.mark.parametrize(
    ("name", "lang"),
    [("moscow-times-2022-11-02.id.txt", "id"), ("reuters-2022-12-12.en.txt", "en")],
)
def test_clean_seeds_come_through_untouched(name: str, lang: str) -> None:
    path = SEEDS / name
    doc = load_document(path, lang)
    lines = path.read_text(encoding="utf-8").split("\n")
    assert doc.removals == ()
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (n, line.strip()) for n, line in enumerate(lines, 1) if line.strip()
    ]
    assert doc.path == str(path) and doc.lang == lang


# --- markup --------------------------------------------------------------------------------


def test_inline_tags_are_dropped_and_each_recorded() -> None:
    doc = clean_text('media <u>reported</u> <a href="https://x.org/?a=1">here</a>', "en")
    assert texts(doc) == ["media reported here"]
    assert [(r.text, r.reason) for r in doc.removals] == [
        ("<u>", "html-tag"),
        ("</u>", "html-tag"),
        ('<a href="https://x.org/?a=1">', "html-tag"),
        ("</a>", "html-tag"),
    ]


def test_block_tags_break_a_line_into_paragraphs_on_the_same_line() -> None:
    doc = clean_text("intro\n<p>One.</p><p>Two.<br>Three.</p><div class='x'>Four.</div>", "en")
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (1, "intro"),
        (2, "One."),
        (2, "Two."),
        (2, "Three."),
        (2, "Four."),
    ]


def test_script_and_style_go_with_their_content_even_across_lines() -> None:
    doc = clean_text(
        'Before.<script type="text/javascript">if (a < b) {\n x(); }</script>\nAfter.', "en"
    )
    assert [(p.line, p.text) for p in doc.paragraphs] == [(1, "Before."), (3, "After.")]
    assert doc.removals[0].reason == "html-script"
    assert doc.removals[0].text.endswith("</script>")
    assert cleaned("<style>p { color: red }</style>Body") == ["Body"]


def test_comments_are_removed() -> None:
    doc = clean_text("Text<!-- hidden -->more", "en")
    assert texts(doc) == ["Textmore"]
    assert reasons(doc) == ["html-comment"]


def test_an_unclosed_script_tag_loses_only_the_tag() -> None:
    assert cleaned("<script>Body text stays\nand more") == ["Body text stays", "and more"]


@pytest.mark.parametrize(
    "line",
    [
        "a < b and c > d",
        "if x<y and y>z then stop",
        "x <b and c> y",
        "Use <3 and -> arrows",
        "Write to <name@example.org> today",
    ],
)
def test_comparison_signs_in_plain_text_are_not_tags(line: str) -> None:
    doc = clean_text(line, "en")
    assert texts(doc) == [line]
    assert doc.removals == ()


def test_entities_are_unescaped_and_recorded() -> None:
    doc = clean_text("Tom &amp; Jerry&nbsp;said&#8217;s &#x27;hi&#x27; at AT&T &bogus;", "en")
    assert texts(doc) == ["Tom & Jerry said’s 'hi' at AT&T &bogus;"]
    assert [r.text for r in doc.removals] == ["&amp;", "&nbsp;", "&#8217;", "&#x27;", "&#x27;"]
    assert set(reasons(doc)) == {"html-entity"}


def test_escaped_entities_are_not_reparsed_as_tags() -> None:
    assert cleaned("Use &lt;b&gt; for bold") == ["Use <b> for bold"]


def test_backslash_escapes_of_punctuation_lose_the_backslash() -> None:
    doc = clean_text(r"\$5, \*a\*, \_b\_, \#1, \[x\], \& \%", "en")
    assert texts(doc) == ["$5, *a*, _b_, #1, [x], & %"]
    assert reasons(doc) == ["backslash-escape"] * 10
    assert all(r.text == "\\" for r in doc.removals)


def test_backslashes_before_letters_stay() -> None:
    assert cleaned(r"C:\Users\budi and \n") == [r"C:\Users\budi and \n"]


# --- whitespace ----------------------------------------------------------------------------


def test_unicode_spaces_are_collapsed_and_lines_stripped_without_records() -> None:
    doc = clean_text("\u00a0 \n\u2003word\u00a0\u00a0two\tthree\u3000\n \u00a0 \n", "en")
    assert [(p.line, p.text) for p in doc.paragraphs] == [(2, "word two three")]
    assert doc.removals == ()


def test_crlf_and_cr_line_ends_keep_line_numbers() -> None:
    doc = clean_text("\ufeffone\r\n\r\ntwo\rthree\n", "en")
    assert [(p.line, p.text) for p in doc.paragraphs] == [(1, "one"), (3, "two"), (4, "three")]


# --- boilerplate lines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Original url: https://example.com/a", "boilerplate:url-trailer"),
        ("Source: https://example.com/a", "boilerplate:url-trailer"),
        ("Source link", "boilerplate:url-trailer"),
        ("https://example.com/a/b?c=1", "boilerplate:url"),
        ("www.example.com", "boilerplate:url"),
        ("[ad_1]", "boilerplate:ad"),
        ("[ad]", "boilerplate:ad"),
        ("Advertisement", "boilerplate:ad"),
        ("- ADVERTISEMENT -", "boilerplate:ad"),
        ("Leave a Reply", "boilerplate:comments"),
        ("Leave a comment", "boilerplate:comments"),
        ("No Comments", "boilerplate:comments"),
        ("By | June 27, 2022 | No Comments", "boilerplate:comments"),
        ("By Admin | June 27, 2022 | 3 Comments", "boilerplate:comments"),
        (
            "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
            "boilerplate:comments",
        ),
        ("Related article: How North Korea's Leader Buys Horses", "boilerplate:related-link"),
        ("Read more: Russia resumes rail trade", "boilerplate:related-link"),
        ("See also: The Tumen River bridge", "boilerplate:related-link"),
        ("Baca juga: Kereta api Rusia", "boilerplate:related-link"),
        ("Photo: Reuters", "boilerplate:photo-credit"),
        ("(Photo by Kim Hong-Ji/AFP)", "boilerplate:photo-credit"),
        ("Image credit: Planet Labs PBC", "boilerplate:photo-credit"),
        ("Credit: AP Photo/Ahn Young-joon", "boilerplate:photo-credit"),
        ("November 02, 2022", "dateline"),
        ("2022.12.12 11:13", "dateline"),
        ("12/12/2022", "dateline"),
        ("2 November 2022", "dateline"),
        ("Nov. 2, 2022", "dateline"),
        ("Monday, December 12, 2022 10:30 am EST", "dateline"),
        ("Published: 2 Nov 2022", "dateline"),
        ("2022-12-12T11:13:00Z", "dateline"),
    ],
)
def test_boilerplate_lines_are_removed_whole_with_their_reason(line: str, reason: str) -> None:
    doc = clean_text(f"Body before.\n{line}\nBody after.", "en")
    assert texts(doc) == ["Body before.", "Body after."]
    assert doc.removals == (Removal(2, line, reason),)


@pytest.mark.parametrize(
    "line",
    ["12 Desember 2022", "Senin, 12 Desember 2022", "Senin, 12 Desember 2022 | 11:13 WIB"],
)
def test_indonesian_date_lines_are_datelines(line: str) -> None:
    doc = clean_text(line, "id")
    assert doc.paragraphs == ()
    assert reasons(doc) == ["dateline"]


@pytest.mark.parametrize("lang", ["en", "xx", "ru"])
def test_english_and_indonesian_dates_are_known_whatever_the_document_language(lang: str) -> None:
    doc = clean_text("Senin, 12 Desember 2022\nNovember 02, 2022\nBody.", lang)
    assert texts(doc) == ["Body."]
    assert reasons(doc) == ["dateline", "dateline"]


def test_a_bare_trailer_label_takes_the_url_lines_after_it() -> None:
    doc = clean_text("Body.\nSource:\n\nhttps://example.com/a-b 79268\nhttps://x.org/c\n", "en")
    assert texts(doc) == ["Body."]
    assert [(r.line, r.reason) for r in doc.removals] == [
        (2, "boilerplate:url-trailer"),
        (4, "boilerplate:url-trailer"),
        (5, "boilerplate:url-trailer"),
    ]


def test_a_bare_trailer_label_does_not_take_prose_after_it() -> None:
    doc = clean_text("Original url:\nhttps://example.com is where we publish.", "en")
    assert texts(doc) == ["https://example.com is where we publish."]


@pytest.mark.parametrize(
    "line",
    [
        # "Source:" followed by prose is an attribution sentence, not a URL trailer: kept.
        "Source: Russia and North Korea plan to renew rail service.",
        "[1] Source: Interfax, https://www.interfax.ru/amp/847679",
        "[1]",
        "Footnote markers like [1] stay.",
        "Audio Sources - Full Text Articles",
        "The train left on November 02, 2022 with 30 horses.",
        "November 02, 2022 was the day the train left.",
        "The deal was signed 12/12/2022.",
        "Visit https://example.com for the full report.",
        "Advertisement revenue fell sharply last year.",
        "Leave a reply on the form below if you disagree with the analysis.",
        "Related to the trade, the bridge was rebuilt.",
        "More Thermonuclear energy sources-A scientific breakthrough in US",
        "The Khasan station of the Far Eastern Railway. Romanver (CC BY 3.0)",
        "Photo: Kim Jong Un inspects the Tumangang station on Monday with a group of officials.",
        "2022",
        "Harga naik 3,5 persen.",
    ],
)
def test_body_lines_that_look_a_little_like_boilerplate_are_kept(line: str) -> None:
    doc = clean_text(line, "en")
    assert texts(doc) == [line]
    assert doc.removals == ()


# --- property: plain text loses nothing ----------------------------------------------------

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñçäöü", min_size=1)
PUNCT = st.sampled_from(["", ".", ",", "!", "?", ";", ":", "-", "'", ")", "%"])
LINE = st.lists(st.tuples(WORD, PUNCT), min_size=1, max_size=12).map(
    lambda words: " ".join(w + p for w, p in words)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=6), st.sampled_from(["en", "id"]))
def test_cleaning_plain_prose_keeps_every_word(lines: list[str], lang: str) -> None:
    doc = clean_text("\n\n".join(lines), lang)
    # Plain words and punctuation can only be dropped by a whole-line rule; a line of
    # several words never matches one, so every word must survive in order.
    kept = " ".join(texts(doc)).split()
    removed = " ".join(r.text for r in doc.removals).split()
    assert sorted(kept + removed) == sorted(" ".join(lines).split())
    for line in lines:
        if len(line.split()) >= 3:
            assert line in texts(doc)


# --- reading files -------------------------------------------------------------------------


def test_utf8_bom_and_crlf_files_load(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfTitle\r\n\r\nBody text.\r\n")
    doc = load_document(path, "en")
    assert [(p.line, p.text) for p in doc.paragraphs] == [(1, "Title"), (3, "Body text.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"  \n\t\n\xc2\xa0\n", "empty (only whitespace)"),
        (b"text\x00\x01\x02binary", "binary file, not text (NUL byte at line 1)"),
        (b"line one\nline two\r\nbad \xff byte\n", "not UTF-8 text (invalid byte 0xff at line 3)"),
        (b"\xff\xfeh\x00i\x00", "UTF-16 text, not UTF-8"),
        (b"[ad_1]\nLeave a Reply\n", "nothing left after cleaning"),
    ],
)
def test_unusable_files_raise_input_error_naming_the_path(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "doc.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        load_document(path, "en")
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^.*nope\.txt: no such file$"):
        load_document(tmp_path / "nope.txt", "en")


def test_directory_raises_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory") as info:
        load_document(tmp_path, "en")
    assert str(info.value).startswith(str(tmp_path))


def test_unreadable_file_raises_input_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("text", encoding="utf-8")

    def refuse(self: Path, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(InputError, match=re.escape(f"{path}: cannot read the file")):
        load_document(path, "en")


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    with pytest.raises(InputError, match=re.escape(f"{path}: not a regular file")):
        load_document(path, "en")


# --- line-aligned input --------------------------------------------------------------------


def test_read_lines_keeps_every_line_in_place_including_empty_ones(tmp_path: Path) -> None:
    path = tmp_path / "aligned.txt"
    path.write_bytes(b"\xef\xbb\xbf  one <u>x</u> \r\n\r\n[ad_1]\rlast\n")
    doc = read_lines(path, "id")
    assert [(p.line, p.text) for p in doc.paragraphs] == [
        (1, "one <u>x</u>"),
        (2, ""),
        (3, "[ad_1]"),
        (4, "last"),
    ]
    assert doc.removals == () and doc.lang == "id" and doc.path == str(path)


def test_read_lines_counts_a_missing_final_newline_the_same(tmp_path: Path) -> None:
    with_nl, without = tmp_path / "a.txt", tmp_path / "b.txt"
    with_nl.write_text("a\nb\n", encoding="utf-8")
    without.write_text("a\nb", encoding="utf-8")
    assert read_lines(with_nl, "en").paragraphs == read_lines(without, "en").paragraphs
    assert len(read_lines(with_nl, "en").paragraphs) == 2


def test_read_lines_of_the_indonesian_seed_gives_one_paragraph_per_line() -> None:
    doc = read_lines(SEEDS / "moscow-times-2022-11-02.id.txt", "id")
    assert [p.line for p in doc.paragraphs] == list(range(1, 15))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\n \n\t\n", "empty (only whitespace)"),
        (b"ok\n\xc3\x28\n", "not UTF-8 text (invalid byte 0xc3 at line 2)"),
    ],
)
def test_read_lines_rejects_unusable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(f"{path}: {message}")):
        read_lines(path, "en")
