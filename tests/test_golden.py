"""Golden files: the seed job's CSV output, row by row, against tests/golden/seeds/.

Text columns must match exactly; score columns within one unit of their last
printed decimal (the embedding model runs in float32). After an intended change,
rewrite the files with ``python -m pytest tests/test_golden.py --update-golden``
and review the diff.
"""

import csv
from pathlib import Path

import pytest

from mt_eval.report import PRECISION

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "seeds"
FILES = ("segments.csv", "issues.csv", "documents.csv", "removed.csv", "systems.csv")


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if "file" in row:  # removed.csv: paths relative to the project
            row["file"] = Path(row["file"]).resolve().relative_to(ROOT).as_posix()
    return rows


def relative_copy(src: Path, dst: Path) -> None:
    rows = read_rows(src)
    with src.open(encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    with dst.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("name", FILES)
def test_seed_job_output_matches_golden(seed_run: Path, name: str, request) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        relative_copy(seed_run / name, golden)
        pytest.skip("golden file rewritten")
    got, want = read_rows(seed_run / name), read_rows(golden)
    assert len(got) == len(want), f"{name}: {len(got)} rows, golden has {len(want)}"
    for i, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        assert list(g) == list(w), f"{name}: columns differ"
        for col in w:
            metric = col.rsplit("_", 1)[0] if col.endswith(("_low", "_high")) else col
            if metric in PRECISION and w[col] and g[col]:
                tol = 1.01 * 10 ** -PRECISION[metric]
                assert float(g[col]) == pytest.approx(float(w[col]), abs=tol), (name, i, col)
            else:
                assert g[col] == w[col], (name, i, col)
