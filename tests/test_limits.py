"""Input limits and linear-time cleaning (docs/limits.md).

A file past a documented limit (size, lines, line length) stops the run at once
with one line naming the file and, where there is one, the line; before, a 5 MB
line tried to allocate 11.9 GiB and 200,000 lines ended in a MemoryError after
131 s. Cleaning is linear: an unclosed ``<!--`` (or CDATA section, or script)
repeated thousands of times is scanned once, not once per opener.
"""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import mt_eval.documents as documents
from mt_eval.cli import cli
from mt_eval.documents import LIMITS, check_limits, clean_text, load_document, read_lines
from mt_eval.errors import InputError


def quick(tmp_path: Path, source: Path, target: Path, *extra: str):
    return CliRunner().invoke(
        cli,
        [
            "-q",
            "run",
            "--source",
            str(source),
            "--source-lang",
            "en",
            "--target",
            str(target),
            "--target-lang",
            "id",
            "--no-comet",
            "--out",
            str(tmp_path / "out"),
            *extra,
        ],
    )


@pytest.fixture()
def target(tmp_path: Path) -> Path:
    path = tmp_path / "target.txt"
    path.write_text("Kalimat pertama.\nKalimat kedua.\n", encoding="utf-8")
    return path


def test_a_5_mb_line_without_spaces_is_refused_naming_file_and_line(
    tmp_path: Path, target: Path
) -> None:
    source = tmp_path / "source.txt"
    source.write_text("A title\n\n" + "x" * 5_000_000 + "\nLast line.\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{source}: line 3 is 5,000,000 characters long"):
        load_document(source, "en")
    result = quick(tmp_path, source, target)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "line 3 is 5,000,000 characters" in lines[0], result.output
    assert "docs/limits.md" in lines[0] and not (tmp_path / "out").exists()


def test_200000_lines_are_refused_at_once(tmp_path: Path, target: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("A short line.\n" * 200_000, encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{source}: more than 100,000 lines \(200,000\)"):
        read_lines(source, "en")
    result = quick(tmp_path, source, target, "--aligned")
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "huge.txt"
    with source.open("wb") as handle:  # sparse: no 100 MB written to the test disk
        handle.truncate(LIMITS.max_file_bytes + 1)

    def never(self: Path) -> bytes:  # pragma: no cover - reaching it fails the test
        raise AssertionError("read a file past the size limit")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", never)
        with pytest.raises(InputError, match=rf"^{source}: larger than the limit of 100,000,000"):
            load_document(source, "en")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("ok\r" * 100_001, "more than 100,000 lines"),  # CR-only line ends count too
        ("ok\r\n" * 100_001, "more than 100,000 lines"),
        ("a\n" + "b" * 50_001, "line 2 is 50,001 characters"),
        ("a\r\nb\r\n" + "c " * 25_001, "line 3 is 50,002 characters"),
    ],
)
def test_limits_table(text: str, words: str) -> None:
    with pytest.raises(InputError, match=f"^doc.txt: {words}"):
        check_limits(text, "doc.txt")


def test_text_at_the_limits_passes() -> None:
    check_limits("ok\n" * LIMITS.max_lines, "doc.txt")
    check_limits("x" * LIMITS.max_line_chars + "\n" + "y", "doc.txt")
    check_limits("ok\r\n" * LIMITS.max_lines, "doc.txt")


def test_deliveries_cleaned_as_text_get_the_line_limit_too() -> None:
    with pytest.raises(InputError, match="^vendor.xlf: line 2 is"):
        clean_text("fine\n" + "z" * 60_000, "id", "vendor.xlf")


class _Counted:
    """Wraps :func:`documents._scan` and adds up the characters each closer search reads."""

    def __init__(self) -> None:
        self.chars = 0
        self.real = documents._scan

    def __call__(self, text, closer, start, pattern):
        end = self.real(text, closer, start, pattern)
        self.chars += (len(text) if end is None else end) - start
        return end


ADVERSARIAL = {
    "unclosed comments": "<!--x\n",
    "unclosed CDATA": "<![CDATA[x\n",
    "unclosed scripts": "<script>x\n",
    "unclosed styles": "<STYLE>x\n",
    "comment openers in prose": "a <!-- b\n",
}


@pytest.mark.parametrize("unit", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_closer_searches_read_each_character_at_most_a_few_times(
    unit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = unit * 20_000
    counted = _Counted()
    monkeypatch.setattr(documents, "_scan", counted)
    doc = clean_text(text, "en")
    assert doc.paragraphs, "unclosed markup is text and stays"
    # One scan to the end per kind of closer; rescanning per opener would read
    # about len(text) * 20,000 / 2 characters.
    assert counted.chars <= 2 * len(text), counted.chars


def test_closed_comments_still_scan_linearly(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Keep <!-- drop --> this.\n" * 10_000
    counted = _Counted()
    monkeypatch.setattr(documents, "_scan", counted)
    doc = clean_text(text, "en")
    assert [r.reason for r in doc.removals] == ["html-comment"] * 10_000
    assert {p.text for p in doc.paragraphs} == {"Keep this."} and len(doc.paragraphs) == 10_000
    assert counted.chars <= len(text), counted.chars


_OLD_TAG_RE = re.compile(
    r"""
      (?P<comment><!--.*?-->)
    | (?P<decl><!\[CDATA\[.*?\]\]>|<![A-Za-z][^<>]*>|<\?[A-Za-z][^<>]*\?>)
    | </(?P<end>[A-Za-z][A-Za-z0-9:-]*)\s*>
    | <(?P<start>[A-Za-z][A-Za-z0-9:-]*)
      (?P<attrs>(?:\s+[^\s<>"'=/]+(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*)
      \s*(?P<selfclose>/?)>
    """,
    re.VERBOSE | re.DOTALL,
)


def _old_markup(text):
    """The markup scanner before it was made linear (non-greedy regexes, rescans)."""
    pos = 0
    while (match := _OLD_TAG_RE.search(text, pos)) is not None:
        if not documents._is_tag(match):
            pos = match.start() + 1
            continue
        end, reason = match.end(), "html-tag"
        if match["comment"]:
            reason = "html-comment"
        elif (match["start"] or "").lower() in documents._RAW_TEXT_TAGS and not match["selfclose"]:
            close = re.compile(rf"</{match['start']}\s*>", re.IGNORECASE).search(text, end)
            if close is not None:
                end, reason = close.end(), "html-script"
        yield match, end, reason
        pos = end


PIECES = ["<!--", "-->", "<![CDATA[", "]]>", "<script>", "</script>", "<STYLE a=1>", "</style >"]
PIECES += ["<p>", "</p>", "<!DOCTYPE html>", "x", "word ", " ", "\n", "&amp;", "<", ">", "-"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_linear_scanner_cleans_exactly_as_the_old_one(pieces: list[str]) -> None:
    text = "".join(pieces)
    new = clean_text(text, "en")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(documents, "_markup", _old_markup)
        old = clean_text(text, "en")
    assert new == old


def test_limits_are_documented() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "limits.md").read_text("utf-8")
    for value in (LIMITS.max_file_bytes, LIMITS.max_lines, LIMITS.max_line_chars):
        assert f"{value:,}" in text


def test_a_document_too_long_to_align_is_refused_but_fine_line_aligned(tmp_path: Path) -> None:
    source = tmp_path / "book.txt"
    source.write_text("A line of the book.\n" * (LIMITS.max_document_lines + 1), encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{source}: 10,001 lines of text to align, more than"):
        load_document(source, "en")
    assert len(read_lines(source, "en").paragraphs) == LIMITS.max_document_lines + 1
