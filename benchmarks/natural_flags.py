"""Flags on natural translations: every flagged row of the real deliveries, to read by hand.

Usage: python benchmarks/natural_flags.py [--deliveries DIR] [--out FILE.csv]

Runs ``mt-eval run --target FILE --no-comet --no-cache`` on every bilingual file
of ``../shared/bench/deliveries`` as delivered (no injected error: the translations
are the CAT tools' own test files and samples), and prints, per flag kind, how many
rows it flagged out of how many rows were read, then every flagged row: file, unit,
kind, note and both texts. ``--out`` also writes those rows to a CSV with an empty
``verdict`` column, for the reader's judgement (right, wrong, or a defect of the data).

Issue I's check: each flag kind that fires keeps precision >= 0.5, judged by reading.
A file the run refuses (exit 2: not a bilingual file, no language declared) is listed
with the reason.
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DELIVERIES = ROOT.parent / "shared" / "bench" / "deliveries"
SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".tmx", ".po")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=Path, default=DELIVERIES)
    parser.add_argument("--out", type=Path, help="CSV of the flagged rows, to judge")
    args = parser.parse_args()
    files = sorted(p for p in args.deliveries.rglob("*") if p.suffix.lower() in SUFFIXES)
    kinds: Counter[str] = Counter()
    flagged: list[dict[str, str]] = []
    read = 0
    with tempfile.TemporaryDirectory() as tmp:
        for n, path in enumerate(files):
            out = Path(tmp) / f"run{n}"
            cmd = [sys.executable, "-m", "mt_eval", "-q", "run", "--target", str(path)]
            cmd += ["--no-comet", "--no-cache", "--out", str(out)]
            proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            if proc.returncode == 2:
                print(f"refused  {path.relative_to(args.deliveries)}: {proc.stderr.strip()}")
                continue
            if not (out / "segments.csv").exists():
                raise SystemExit(f"{path}: exit {proc.returncode}, no results\n{proc.stderr}")
            with (out / "segments.csv").open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
            read += len(rows)
            for row in rows:
                for kind in filter(None, row["flags"].split(";")):
                    kinds[kind] += 1
                if row["flags"]:
                    flagged.append(
                        {
                            "file": str(path.relative_to(args.deliveries)),
                            "unit": row["unit"],
                            "flags": row["flags"],
                            "notes": row["notes"],
                            "src_text": row["src_text"],
                            "tgt_text": row["tgt_text"],
                            "verdict": "",
                        }
                    )
    print(f"{len(files)} files, {read} rows, {len(flagged)} flagged")
    for kind, count in kinds.most_common():
        print(f"  {kind:<22}{count:>5}")
    for row in flagged:
        print(f"\n{row['file']} unit {row['unit']}: {row['flags']}")
        print(f"  note: {row['notes']}")
        print(f"  src:  {row['src_text'][:200]}")
        print(f"  tgt:  {row['tgt_text'][:200]}")
    if args.out:
        with args.out.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(flagged[0]) if flagged else ["file"])
            writer.writeheader()
            writer.writerows(flagged)


if __name__ == "__main__":
    main()
