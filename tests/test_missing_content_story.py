"""A vendor who drops a paragraph gets lower BLEU and chrF than for the full delivery.

The Moscow Times article, with its seed rendering as the reference. The full
delivery is the rendering with one number changed; each degraded delivery also
leaves out one paragraph. A dropped link that has reference text is scored as the
empty hypothesis "", so every number must be sacrebleu's own on the equivalent
segment lists: the reference sentences against the delivery's, with "" for each
dropped one. An invented paragraph (no source, so no reference) is flagged
``added`` and left out of BLEU and chrF (docs/reference.md, "Metrics and missing content").
"""

import csv
from pathlib import Path

import pytest
import sacrebleu
from click.testing import CliRunner
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.significance import PairedTest

from mt_eval.cli import cli
from mt_eval.documents import load_document
from mt_eval.segment import split_document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"
SEED = 12345
PARAGRAPHS = RENDERING.read_text(encoding="utf-8").splitlines()
REFERENCE_SENTENCES = split_document(load_document(RENDERING, "id"))
REFERENCE = [s.text for s in REFERENCE_SENTENCES]
EDIT = ("138 kuda", "183 kuda")  # the full delivery is not a copy of the reference
INVENTED = "Presiden juga mengumumkan festival musik besar di ibu kota pada minggu depan."

# (delivery, paragraphs of the rendering it leaves out, paragraph it invents after)
CASES = {
    "full": ((), None),
    "no-horses": ((3,), None),  # one sentence
    "no-railway": ((4,), None),  # a paragraph of two sentences
    "no-putin": ((12,), None),
    "invented": ((), 8),
}
SACRE = {"bleu": BLEU, "chrf": CHRF}


def delivery_lines(name: str) -> list[str]:
    left_out, invent_after = CASES[name]
    lines = []
    for i, par in enumerate(PARAGRAPHS):
        if i not in left_out:
            lines.append(par.replace(*EDIT))
        if i == invent_after:
            lines.append(INVENTED)
    return lines


def equivalent_hypotheses(name: str) -> list[str]:
    """The delivery's sentence for each reference sentence; "" where it was dropped."""
    left_out = {i + 1 for i in CASES[name][0]}  # 1-based lines of the rendering
    return ["" if s.line in left_out else s.text.replace(*EDIT) for s in REFERENCE_SENTENCES]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("missing")
    out = {}
    for name in CASES:
        delivery = folder / f"{name}.id.txt"
        delivery.write_text("\n".join(delivery_lines(name)) + "\n", encoding="utf-8")
        config = folder / f"{name}.toml"
        config.write_text(
            f"""
seed = {SEED}
threads = 1
[[pairs]]
name = "moscow-times"
source = "{SOURCE}"
reference = "{RENDERING}"
source_lang = "en"
target_lang = "id"
[pairs.systems]
vendor = "{delivery}"
""",
            encoding="utf-8",
        )
        result = CliRunner().invoke(
            cli, ["run", str(config), "--out", str(folder / name), "--no-cache", "--no-comet"]
        )
        assert result.exit_code == 0, result.output
        out[name] = folder / name
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_links_are_the_reference_sentences(runs, name: str) -> None:
    """Precondition: each reference sentence is one link, dropped ones stand alone as drops."""
    rows = read(runs[name] / "segments.csv")
    scored = [r for r in rows if r["ref_text"]]
    assert [r["ref_text"] for r in scored] == REFERENCE
    assert [r["tgt_text"] for r in scored] == equivalent_hypotheses(name)
    for r in scored:
        assert ("dropped" in r["flags"].split(";")) == (r["tgt_text"] == "")
    added = [r for r in rows if "added" in r["flags"].split(";")]
    assert [r["tgt_text"] for r in added] == ([INVENTED] if name == "invented" else [])


@pytest.mark.parametrize("name", list(CASES))
def test_document_and_system_scores_are_sacrebleus_on_the_equivalent_lists(runs, name: str) -> None:
    hyps = equivalent_hypotheses(name)
    (doc,) = read(runs[name] / "documents.csv")
    (system,) = read(runs[name] / "systems.csv")
    (full,) = read(runs["full"] / "systems.csv")
    for metric, corpus in (("bleu", sacrebleu.corpus_bleu), ("chrf", sacrebleu.corpus_chrf)):
        expected = f"{corpus(hyps, [REFERENCE]).score:.2f}"
        assert doc[metric] == system[metric] == expected, metric
        assert system[f"{metric}_segments"] == str(len(REFERENCE))
        if CASES[name][0]:
            assert float(system[metric]) < float(full[metric])
        else:  # nothing dropped: an invented paragraph leaves BLEU and chrF as they were
            assert system[metric] == full[metric]
    assert system["added"] == ("1" if name == "invented" else "0")


@pytest.mark.parametrize("name", ["no-horses", "no-railway", "no-putin"])
def test_a_dropped_link_is_sacrebleus_empty_hypothesis(runs, name: str) -> None:
    rows = [r for r in read(runs[name] / "segments.csv") if r["ref_text"] and not r["tgt_text"]]
    assert len(rows) == sum(h == "" for h in equivalent_hypotheses(name)) >= 1
    for r in rows:
        assert r["bleu"] == f"{sacrebleu.sentence_bleu('', [r['ref_text']]).score:.2f}" == "0.00"
        assert r["chrf"] == f"{sacrebleu.sentence_chrf('', [r['ref_text']]).score:.2f}" == "0.00"
        assert r["similarity"] == "" and r["comet"] == ""  # they need both texts


@pytest.mark.parametrize("name", ["full", "no-railway"])
def test_intervals_are_sacrebleus_with_the_drops(runs, name: str, monkeypatch) -> None:
    monkeypatch.setenv("SACREBLEU_SEED", str(SEED))
    (system,) = read(runs[name] / "systems.csv")
    for metric, cls in SACRE.items():
        sacre = cls().corpus_score(equivalent_hypotheses(name), [REFERENCE], n_bootstrap=1000)
        half = (float(system[f"{metric}_high"]) - float(system[f"{metric}_low"])) / 2
        assert half == pytest.approx(sacre._ci, abs=0.01), metric


def test_compare_counts_the_drop_with_sacrebleus_p_values(runs, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SACREBLEU_SEED", str(SEED))
    result = CliRunner().invoke(
        cli, ["compare", str(runs["full"]), str(runs["no-railway"]), "--out", str(tmp_path / "c")]
    )
    assert result.exit_code == 1, result.output  # it gained dropped links
    summary = {r["metric"]: r for r in read(tmp_path / "c" / "summary.csv")}
    # compare resamples every matched unit; the title, date and caption have no
    # reference text on either side: "" against "" (all-zero statistics) in sacrebleu.
    rows = read(runs["full"] / "segments.csv")
    refs = [r["ref_text"] for r in rows]
    base = [r["tgt_text"] if r["ref_text"] else "" for r in rows]
    hyps = iter(equivalent_hypotheses("no-railway"))
    cur = [next(hyps) if r["ref_text"] else "" for r in rows]
    for metric, cls in SACRE.items():
        row = summary[metric]
        assert row["baseline"] == f"{cls().corpus_score(base, [refs]).score:.2f}"
        assert row["current"] == f"{cls().corpus_score(cur, [refs]).score:.2f}"
        assert float(row["current"]) < float(row["baseline"]) and row["verdict"] == "worse"
        for test, column in (("bs", "p_bootstrap"), ("ar", "p_ar")):
            _, res = PairedTest([("a", base), ("b", cur)], {metric: cls()}, [refs], test)()
            (key,) = [k for k in res if k != "System"]
            assert row[column] == f"{res[key][1].p_value:.6f}", (metric, test)
