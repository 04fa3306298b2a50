"""The flag stage's fast paths find exactly what the plain definitions find.

Issue G made the flag stage linear on long line-aligned test sets: names are looked
up in an index of the translation's words, repeats among the sentences holding the
rarest word, number words only where a number can start. Each property below
checks a fast path against the definition it replaces, on generated text.
"""

import os
import unicodedata
from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from mt_eval.flags import find_repeats, normalise, numbers
from mt_eval.flags.entities import _similar_word, _words
from mt_eval.flags.lengths import CUT_HABIT, Habit, punctuates_like_source
from mt_eval.flags.numwords import (
    english_words,
    indonesian_words,
    parse_english,
    parse_indonesian,
)

LETTERS = st.text(alphabet="abcdeilmnorstuy", min_size=1, max_size=9)


def plain_similar(a: str, b: str, min_similarity: float) -> bool:
    """The rule: equal, a long common prefix, or the same first letter and a high ratio."""
    if a == b:
        return True
    prefix = len(os.path.commonprefix([a, b]))
    if prefix >= max(4, 0.75 * min(len(a), len(b))):
        return True
    return a[:1] == b[:1] and fuzz.ratio(a, b) >= 100.0 * min_similarity


@given(key=LETTERS, words=st.lists(LETTERS, max_size=30), similarity=st.sampled_from([0.6, 0.75]))
def test_name_lookup_in_the_word_index_matches_the_pairwise_rule(key, words, similarity):
    target = _words(" ".join(words))
    expected = any(plain_similar(key, t, similarity) for t in target.words)
    assert _similar_word(key, target, similarity) is expected


def test_inflections_and_transliterations_are_found_among_many_words():
    document = " ".join(f"kata{i}x" for i in range(5000)) + " Tiongkok Rusia Chinese"
    target = _words(document)
    assert _similar_word("china", target, 0.75)  # common prefix
    assert _similar_word("russia", target, 0.75)  # similarity 0.91
    assert not _similar_word("brazil", target, 0.75)
    assert not _similar_word("earth", _words("Kunst und art"), 0.75)  # ratio 0.75, no initial


def plain_repeats(texts, groups, *, min_words, contained_min_words, min_ratio, window):
    """Every earlier sentence compared with each, as the definition reads."""
    norms = [normalise(t) for t in texts]
    sizes = [len(n.split()) for n in norms]
    found, first = {}, {}
    for i, text in enumerate(norms):
        if sizes[i] >= min_words:
            if text in first:
                found[i] = ("equal", first[text])
            else:
                later = [
                    j for j in range(i + 1, len(norms)) if groups[i] >= 0 and groups[j] == groups[i]
                ]
                hit = None
                if sizes[i] >= contained_min_words:
                    hit = next(
                        (
                            j
                            for j in [*range(i), *later]
                            if f" {text} " in f" {norms[j]} " and norms[j] != text
                        ),
                        None,
                    )
                if hit is not None:
                    found[i] = ("contained", hit)
                else:
                    for j in range(max(0, i - window), i):
                        if sizes[j] >= min_words and fuzz.ratio(text, norms[j]) >= 100 * min_ratio:
                            found[i] = ("similar", j)
                            break
        first.setdefault(text, i)
    return found


SENTENCE = st.lists(
    st.sampled_from("the cat sat on a mat and dog ran".split()), min_size=1, max_size=9
)


@settings(max_examples=150)
@given(st.lists(SENTENCE, max_size=14), st.integers(1, 6))
def test_repeats_found_through_the_word_index_match_all_pairs(sentences, window):
    texts = [" ".join(s) for s in sentences]
    groups = [i // 2 for i in range(len(texts))]
    options = dict(min_words=3, contained_min_words=4, min_ratio=0.8, window=window)
    got = {i: (r.how, r.of) for i, r in find_repeats(texts, groups, **options).items()}
    assert got == plain_repeats(texts, groups, **options)


@given(st.dictionaries(st.integers(0, 40), st.booleans(), max_size=30), st.integers(0, 40))
def test_punctuation_habit_counts_the_other_links(ends, n):
    others = [e for m, e in ends.items() if m != n]
    expected = bool(others) and sum(others) / len(others) >= CUT_HABIT
    assert punctuates_like_source(Habit(ends, sum(ends.values())), n) is expected


@given(st.integers(0, 10**12 - 1), st.lists(st.sampled_from("rp harga the of dan".split())))
def test_number_words_still_parse_after_the_start_word_check(value, noise):
    for write, parse in ((english_words, parse_english), (indonesian_words, parse_indonesian)):
        words = write(value).split()
        assert parse([*noise, *words], len(noise)) == (value, len(noise) + len(words))
        if noise:
            assert parse(noise, 0) is None


NUMBERISH = st.sampled_from(
    "a an the hundred thousand million two twenty five and of satu dua puluh ribu juta "
    "seratus sejuta milyar semilyar harga orang rp cepek first ketiga".split()
)


@given(st.lists(NUMBERISH, max_size=12), st.sampled_from(["en", "id"]))
def test_the_start_word_check_drops_no_number_words(words, lang):
    text = " ".join(words)
    with patch.dict(numbers._STARTS, clear=True):  # the parser on every word
        expected = numbers.word_mentions(text, lang)
    assert numbers.word_mentions(text, lang) == expected


@given(st.text(alphabet="aAeé-,.!?;:'\"()[]« »\u3000\u00a0\u200b\u0301xyz0123", max_size=40))
def test_normalise_matches_its_definition(text):
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(c)[0] in "PSZ" else c for c in folded)
    assert normalise(text) == " ".join(kept.split())
