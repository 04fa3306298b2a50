"""Language codes: users may type them in many shapes; the library gets one."""

from __future__ import annotations

import pytest

from mt_eval.errors import InputError
from mt_eval.languages import normalize_lang


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("id", "id"),
        ("is", "is"),
        ("ind", "id"),
        ("eng", "en"),
        ("deu", "de"),
        ("EN", "en"),
        (" id ", "id"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("zh-Hant-TW", "zh"),
        ("in", "id"),
        ("iw", "he"),
        ("ace", "ace"),
        ("haw", "haw"),
    ],
)
def test_known_codes_become_lowercase_primary_subtags(code: str, expected: str) -> None:
    assert normalize_lang(code) == expected


@pytest.mark.parametrize(
    "code", ["xx", "english", "", "  ", "en-", "e", "und", "qaa", "12", "en US"]
)
def test_unknown_codes_raise_input_error(code: str) -> None:
    with pytest.raises(InputError) as info:
        normalize_lang(code)
    assert str(info.value) == f"unknown language code {code!r}"


def test_error_message_says_where_the_code_came_from() -> None:
    with pytest.raises(InputError, match=r"^--src-lang: unknown language code 'xx'$"):
        normalize_lang("xx", where="--src-lang: ")


def test_normalized_codes_are_stable() -> None:
    for code in ["en", "ind", "pt_BR", "is"]:
        once = normalize_lang(code)
        assert normalize_lang(once) == once
