"""Time the seed job end to end, as a user runs it, and the start-up of ``mt-eval --help``.

Usage: python benchmarks/seed_job.py [--repeat N]

Runs ``mt-eval run configs/seeds.toml`` in a fresh process N times (default 3) into a
temporary folder and prints wall time (min / median) and the per-stage timings from
the last run's ``run.json``; then times ``mt-eval --help``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            out = Path(tmp) / f"run{i}"
            walls.append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "mt_eval",
                        "-q",
                        "run",
                        "configs/seeds.toml",
                        "--out",
                        str(out),
                    ]
                )
            )
        meta = json.loads((out / "run.json").read_text(encoding="utf-8"))
    median = statistics.median(walls)
    print(f"seed job over {args.repeat} runs: min {min(walls):.2f} s, median {median:.2f} s")
    for stage, secs in meta["timings_s"].items():
        print(f"  {stage:40s} {secs:8.3f} s")
    helps = [timed([sys.executable, "-m", "mt_eval", "--help"]) for _ in range(3)]
    print(f"mt-eval --help: min {min(helps):.2f} s")


if __name__ == "__main__":
    main()
