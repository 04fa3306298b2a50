"""Deliveries in vendor forms: TSV/CSV tables, XLIFF and TMX, scored like plain text."""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from mt_eval.cli import cli
from mt_eval.config import load_config
from mt_eval.deliveries import Delivery, read_units
from mt_eval.errors import ConfigError, InputError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE = SEEDS / "moscow-times-2022-11-02.en.txt"
RENDERING = SEEDS / "moscow-times-2022-11-02.id.txt"


def english_paragraphs() -> list[str]:
    """The source body paragraphs the rendering translates, one per rendering line."""
    from mt_eval.documents import load_document

    doc = load_document(SOURCE, "en")
    return [p.text for p in doc.paragraphs][2:]  # the title and the caption are not rendered


def pairs() -> list[tuple[str, str]]:
    ids = RENDERING.read_text(encoding="utf-8").splitlines()
    return list(zip(english_paragraphs(), ids, strict=True))


def write_table(
    path: Path, rows: list[tuple[str, str]], delimiter: str, header=("source", "target")
) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xliff(path: Path, rows: list[tuple[str, str]]) -> Path:
    from translate.storage.xliff import xlifffile

    store = xlifffile(sourcelanguage="en", targetlanguage="id")
    for src, tgt in rows:
        store.addsourceunit(src).target = tgt
    path.write_bytes(bytes(store))
    return path


def write_tmx(path: Path, rows: list[tuple[str, str]]) -> Path:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="en", targetlanguage="id")
    for src, tgt in rows:
        store.addsourceunit(src).target = tgt
    path.write_bytes(bytes(store))
    return path


def job(tmp_path: Path, systems: str, aligned: bool = False, source: Path = SOURCE) -> Path:
    path = tmp_path / "job.toml"
    path.write_text(
        f"""
metrics = ["bleu", "chrf"]
[[pairs]]
name = "mt"
source = "{source}"
reference = "{RENDERING if not aligned else tmp_path / "ref.txt"}"
source_lang = "en"
target_lang = "id"
aligned = {str(aligned).lower()}
[pairs.systems]
{systems}
""",
        encoding="utf-8",
    )
    return path


def run(config: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["run", str(config), "--out", str(out), "--no-cache"])
    return result.exit_code, result.output


def rows_of(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_form_of_the_same_delivery_scores_the_same(tmp_path: Path) -> None:
    """Plain text, TSV, CSV (other column names), XLIFF and TMX of the rendering."""
    data = pairs()
    tsv = write_table(tmp_path / "b.tsv", data, "\t")
    csv_path = write_table(tmp_path / "c.csv", [(t, s) for s, t in data], ",", ("id", "en"))
    xlf = write_xliff(tmp_path / "d.xlf", data)
    tmx = write_tmx(tmp_path / "e.tmx", data)
    systems = f"""
text = "{RENDERING}"
tsv = "{tsv}"
csv = {{ path = "{csv_path}", source_column = "en", target_column = "id" }}
xliff = "{xlf}"
tmx = {{ path = "{tmx}", format = "tmx" }}
"""
    code, output = run(job(tmp_path, systems), tmp_path / "out")
    assert code == 0, output
    systems_rows = {r["system"]: r for r in rows_of(tmp_path / "out", "systems.csv")}
    assert list(systems_rows) == ["text", "tsv", "csv", "xliff", "tmx"]
    expected = {k: systems_rows["text"][k] for k in ("links", "bleu", "chrf", "dropped")}
    assert expected["bleu"] == "100.00"
    for name, row in systems_rows.items():
        assert {k: row[k] for k in expected} == expected, name
    segs = [r for r in rows_of(tmp_path / "out", "segments.csv") if r["system"] == "tsv"]
    assert [r["tgt_text"] for r in segs if r["tgt_text"]][0].startswith("Korea Utara dan Rusia")


def test_aligned_table_checks_each_rows_source(tmp_path: Path) -> None:
    data = pairs()
    src = tmp_path / "src.txt"
    src.write_text("\n".join(s for s, _ in data) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(t for _, t in data) + "\n", encoding="utf-8")
    good = write_table(tmp_path / "good.tsv", data, "\t")
    code, output = run(job(tmp_path, f'v = "{good}"', True, src), tmp_path / "out")
    assert code == 0, output
    (row,) = rows_of(tmp_path / "out", "systems.csv")
    assert (row["links"], row["bleu"], row["dropped"]) == (str(len(data)), "100.00", "0")

    shifted = write_table(tmp_path / "shifted.tsv", [data[1], data[0], *data[2:]], "\t")
    code, output = run(job(tmp_path, f'v = "{shifted}"', True, src), tmp_path / "out2")
    assert code == 2 and "shifted.tsv:2: source" in output and "rows reordered" in output
    assert not (tmp_path / "out2").exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{ path = "x.tsv", colour = "red" }', "unknown key 'colour'"),
        ('{ format = "tsv" }', "missing key 'path'"),
        ('{ path = "x.tsv", format = "docx" }', "format must be one of"),
    ],
)
def test_bad_delivery_tables_are_config_errors(tmp_path: Path, entry: str, message: str) -> None:
    with pytest.raises(ConfigError, match="systems.v") as exc:
        load_config(job(tmp_path, f"v = {entry}"))
    assert message in str(exc.value)


def test_table_without_the_target_column_names_file_and_columns(tmp_path: Path) -> None:
    path = write_table(tmp_path / "x.tsv", pairs(), "\t", ("en", "id"))
    with pytest.raises(InputError, match=r"x.tsv:1: no column 'target' \(columns: en, id\)"):
        read_units(Delivery(path), "en", "id")


def test_broken_xliff_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xlf"
    path.write_text("<xliff><file><body><trans-unit>", encoding="utf-8")
    with pytest.raises(InputError, match=r"x.xlf:1: not well-formed XML \(Premature end"):
        read_units(Delivery(path), "en", "id")


def test_a_table_that_cleans_down_to_nothing_is_an_input_error_like_a_text_file(
    tmp_path: Path,
) -> None:
    from mt_eval.deliveries import units_document

    path = write_table(
        tmp_path / "x.tsv", [("Read more", "Baca selengkapnya"), ("a", "<br>")], "\t"
    )
    delivery = Delivery(path)
    units = read_units(delivery, "en", "id")
    with pytest.raises(InputError, match=r"x.tsv: nothing left after cleaning"):
        units_document(units, delivery, "id", aligned=False)


@pytest.mark.parametrize("tag", ["id", "id-ID", "in", "ind"])
def test_tmx_targets_are_found_under_any_code_of_their_language(tmp_path: Path, tag: str) -> None:
    from translate.storage.tmx import tmxfile

    store = tmxfile(sourcelanguage="en-US", targetlanguage=tag)
    store.addsourceunit("The food was good.").target = "Makanannya enak."
    path = tmp_path / "x.tmx"
    path.write_bytes(bytes(store))
    units = read_units(Delivery(path), "en", "id")
    assert units.targets == ("Makanannya enak.",)
    assert units.sources == ("The food was good.",)
