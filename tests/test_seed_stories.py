"""User stories on the seed documents: seed files in, CSV rows out.

One run of ``configs/seeds.toml`` through the command line (the ``seed_run``
fixture in ``conftest.py``) feeds every test here.
"""

import csv
import re
from pathlib import Path

import pytest
import sacrebleu

from mt_eval.report import SEGMENT_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def segments(seed_run: Path) -> list[dict[str, str]]:
    rows = read_rows(seed_run / "segments.csv")
    assert list(rows[0])[: len(SEGMENT_COLUMNS)] == list(SEGMENT_COLUMNS)
    return rows


def rows_of(segments, pair):
    return [r for r in segments if r["pair"] == pair]


def flags(row) -> set[str]:
    return set(filter(None, row["flags"].split(";")))


def plain(text: str) -> str:
    return re.sub(r"</?u>|\\(?=\$)", "", text)


def paragraph_of(text: str, paragraphs: list[str]) -> int:
    hits = [i for i, p in enumerate(paragraphs) if text in p]
    assert hits, f"{text!r} not found in any paragraph"
    return hits[0]


def assert_covered(paragraphs: list[str], linked: list[str]) -> None:
    """Every paragraph's text is made up, in order, of source texts of linked rows."""
    for par in paragraphs:
        covered = " ".join(s for s in linked if s in par)
        assert covered.replace(" ", "") == par.replace(" ", ""), par


# --- Moscow Times: English article, Indonesian rendering of its body ---------------------------

MT_EN = [
    plain(x.strip()) for x in (SEEDS / "moscow-times-2022-11-02.en.txt").read_text().splitlines()
]
MT_BODY = [
    p
    for p in MT_EN
    if p and p[0].isupper() and len(p.split()) > 12 and not p.startswith(("The Khasan", "Related"))
]
MT_ID = [x.strip() for x in (SEEDS / "moscow-times-2022-11-02.id.txt").read_text().splitlines()]


def test_moscow_times_body_aligns_paragraph_to_paragraph(segments) -> None:
    assert len(MT_BODY) == len(MT_ID) == 14
    rows = rows_of(segments, "moscow-times")
    linked_sources = []
    for row in rows:
        if row["src_text"] and row["tgt_text"]:
            src_par = paragraph_of(row["src_text"], MT_BODY)
            assert paragraph_of(row["tgt_text"], MT_ID) == src_par, row
            linked_sources.append(row["src_text"])
    assert_covered(MT_BODY, linked_sources)


def test_moscow_times_title_and_caption_are_dropped_and_nothing_else(segments) -> None:
    rows = rows_of(segments, "moscow-times")
    dropped = [r["src_text"] for r in rows if "dropped" in flags(r)]
    assert any(t.startswith("North Korea, Russia End 2-Year Hiatus") for t in dropped)
    assert any(t.startswith("The Khasan station") for t in dropped)
    for text in dropped:
        assert not any(text in par for par in MT_BODY), f"body sentence flagged dropped: {text}"
    assert not [r for r in rows if "added" in flags(r)]
    for r in rows:
        if "dropped" in flags(r):
            assert r["tgt_text"] == "" and r["tgt_ids"] == ""


def test_moscow_times_boilerplate_is_removed_and_recorded(seed_run: Path, segments) -> None:
    rows = rows_of(segments, "moscow-times")
    texts = " ".join(r["src_text"] for r in rows)
    removed = [r for r in read_rows(seed_run / "removed.csv") if r["pair"] == "moscow-times"]
    removed_text = " ".join(r["text"] for r in removed)
    for artifact in ("November 02, 2022", "Related article", "Original url:", "themoscowtimes.com"):
        in_rows = artifact in texts
        assert in_rows or artifact in removed_text, artifact
        if in_rows:  # kept: then it must be flagged dropped
            assert all("dropped" in flags(r) for r in rows if artifact in r["src_text"])
    reasons = {r["reason"] for r in removed}
    assert "html-tag" in reasons and "backslash-escape" in reasons
    assert "$584,302" in texts and "<u>" not in texts and "\\$" not in texts
    assert all(r["line"].isdigit() and r["reason"] for r in removed)


def test_moscow_times_scores(segments) -> None:
    rows = rows_of(segments, "moscow-times")
    for r in rows:
        # English-Indonesian without a reference: BLEU and chrF do not apply: empty, never 0
        assert r["bleu"] == "" and r["chrf"] == ""
        if r["src_text"] and r["tgt_text"]:
            assert -1.0 <= float(r["similarity"]) <= 1.0
        else:
            assert r["similarity"] == ""


# --- Reuters: article and a machine-spun English rewrite ---------------------------------------

RT_SRC = [
    x.strip() for x in (SEEDS / "reuters-2022-12-12.en.txt").read_text().splitlines() if x.strip()
]
RT_BODY = RT_SRC[2:]  # after the feed header and the title
RT_TGT = [
    x.strip()
    for x in (SEEDS / "reuters-2022-12-12.spun.en.txt").read_text().splitlines()
    if x.strip()
]
PROMO = "More Thermonuclear energy sources-A scientific breakthrough in US"
RT_REWRITE = [x for x in RT_TGT[4:] if x != PROMO]  # after title, timestamp, ad marker, title


def test_reuters_every_body_paragraph_aligns_to_its_rewrite(segments) -> None:
    assert len(RT_BODY) == len(RT_REWRITE) == 10
    rows = rows_of(segments, "reuters")
    linked = []
    for row in rows:
        if row["src_text"] and any(row["src_text"] in p for p in RT_BODY):
            assert row["tgt_text"], f"body sentence not aligned: {row['src_text']}"
            src_par = paragraph_of(row["src_text"], RT_BODY)
            first_tgt = row["tgt_text"][:40]
            assert paragraph_of(first_tgt, RT_REWRITE) == src_par, row
            linked.append(row["src_text"])
    assert_covered(RT_BODY, linked)


def test_reuters_promo_line_added_and_repeat_flagged_duplicate(segments) -> None:
    rows = rows_of(segments, "reuters")
    promo = [r for r in rows if PROMO in r["tgt_text"]]
    assert len(promo) == 1 and "added" in flags(promo[0]) and promo[0]["src_text"] == ""
    repeat = "“Such a large quarantine area has not been set up in Tumangang.”"
    dup = [r for r in rows if r["tgt_text"].endswith(repeat)]
    assert len(dup) == 1 and "duplicate" in flags(dup[0]), dup
    assert "duplicate" in dup[0]["notes"]


def test_reuters_bleu_and_chrf_are_sacrebleu_sentence_scores_of_the_csv_texts(segments) -> None:
    rows = rows_of(segments, "reuters")
    scored = 0
    for r in rows:
        if r["src_text"]:
            # Same language: scored against the source; a dropped link (no translation)
            # is sacrebleu's score of the empty hypothesis "".
            hyp, ref = r["tgt_text"], r["src_text"]
            assert float(r["bleu"]) == pytest.approx(
                sacrebleu.sentence_bleu(hyp, [ref]).score, abs=0.005
            )
            assert float(r["chrf"]) == pytest.approx(
                sacrebleu.sentence_chrf(hyp, [ref]).score, abs=0.005
            )
            scored += 1
        else:  # an added translation: no source to score against
            assert r["bleu"] == "" and r["chrf"] == ""
    assert scored >= 10
    dropped = [r for r in rows if "dropped" in flags(r)]
    assert dropped and all((r["bleu"], r["chrf"]) == ("0.00", "0.00") for r in dropped)


def test_documents_csv_and_run_json(seed_run: Path, segments) -> None:
    import json

    docs = {r["pair"]: r for r in read_rows(seed_run / "documents.csv")}
    assert set(docs) == {"moscow-times", "reuters"}
    for pair, doc in docs.items():
        rows = rows_of(segments, pair)
        assert int(doc["links"]) == len(rows)
        assert int(doc["dropped"]) == sum("dropped" in flags(r) for r in rows)
        assert int(doc["added"]) == sum("added" in flags(r) for r in rows)
        assert int(doc["flagged"]) == sum(bool(flags(r)) for r in rows)
    rt = [r for r in rows_of(segments, "reuters") if r["bleu"]]
    hyps = [r["tgt_text"] for r in rt]
    refs = [r["src_text"] for r in rt]
    assert float(docs["reuters"]["bleu"]) == pytest.approx(
        sacrebleu.corpus_bleu(hyps, [refs]).score, abs=0.005
    )
    assert float(docs["reuters"]["chrf"]) == pytest.approx(
        sacrebleu.corpus_chrf(hyps, [refs]).score, abs=0.005
    )
    assert docs["moscow-times"]["bleu"] == "" and docs["moscow-times"]["comet"] == ""
    meta = json.loads((seed_run / "run.json").read_text(encoding="utf-8"))
    assert meta["signatures"]["bleu"].startswith("nrefs:1")
    assert "version:" in meta["signatures"]["chrf"]
    assert meta["signatures"]["embedder"].startswith("use")
    assert meta["config"]["seed"] == 0
    assert meta["unavailable"]["comet"]
    assert "against the source" in meta["metric_notes"]["bleu"]["reuters/spun-rewrite"][0]
    assert meta["versions"]["sacrebleu"] == sacrebleu.__version__
    # multilingual USE was not trained on Indonesian: the run says so instead of staying silent
    assert [w for w in meta["warnings"] if "not trained on 'id'" in w]
