"""Time COMET on the seed job with a tiny checkpoint, cold and from the cache; and its offline cost.

Usage: python benchmarks/comet_seeds.py [--repeat N] [--kind referenceless|xcomet]

1. Builds a tiny random-weight COMET checkpoint (tests/comet_fixtures.py) in a
   temporary folder (timed once).
2. Runs ``mt-eval run configs/seeds.toml --comet-model TINY`` in a fresh process N
   times with an empty cache (cold: torch/comet import, model load, scoring) and N
   times with the cache the cold run filled (every score from the cache), and prints
   wall time and the run's own scoring time (``*/score`` in run.json).
3. Times the default seed job on this offline machine (COMET unavailable: the model
   is looked up in the local Hugging Face cache and the hub probed) against
   ``--no-comet``, to show what the unavailable path costs.

The seed pairs have no reference, so a QE-capable kind is used. Timings on a shared
machine are noisy: repeat, and compare minima.
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
sys.path.insert(0, str(ROOT / "tests"))


def run(args: list[str], out: Path) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "mt_eval", "-q", "run", "configs/seeds.toml", "--out", str(out)]
    start = time.perf_counter()
    subprocess.run(cmd + args, cwd=ROOT, check=True, capture_output=True)
    wall = time.perf_counter() - start
    return wall, json.loads((out / "run.json").read_text(encoding="utf-8"))


def score_time(meta: dict) -> float:
    return sum(v for k, v in meta["timings_s"].items() if k.endswith("/score"))


def summary(label: str, walls: list[float], stage: list[float], name: str = "scoring") -> None:
    print(
        f"{label:30s} wall min {min(walls):5.2f} s, median {statistics.median(walls):5.2f} s | "
        f"{name} min {min(stage):5.2f} s, median {statistics.median(stage):5.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kind", default="referenceless", choices=["referenceless", "xcomet"])
    args = parser.parse_args()
    from comet_fixtures import build_checkpoint, build_encoder

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        start = time.perf_counter()
        model = build_checkpoint(tmp / "model", args.kind, build_encoder(tmp / "encoder"))
        print(f"built tiny {args.kind} checkpoint in {time.perf_counter() - start:.2f} s")
        comet = ["--comet-model", str(model)]
        cold_w, cold_s, warm_w, warm_s = [], [], [], []
        links = 0
        for i in range(args.repeat):
            cache = ["--cache-dir", str(tmp / f"cache{i}")]
            wall, meta = run(comet + cache, tmp / f"cold{i}")
            cold_w.append(wall)
            cold_s.append(score_time(meta))
            wall, meta = run(comet + cache, tmp / f"warm{i}")
            warm_w.append(wall)
            warm_s.append(score_time(meta))
            assert "unavailable" not in meta["signatures"]["comet"], meta["unavailable"]
        with (tmp / "warm0" / "segments.csv").open(encoding="utf-8-sig") as fh:
            links = sum(1 for line in fh.readlines()[1:] if line.strip())
        print(f"seed job ({links} links, 2 pairs), COMET with the tiny {args.kind} checkpoint:")
        summary("  cold (empty cache)", cold_w, cold_s)
        summary("  from cache", warm_w, warm_s)

        off_w, off_s, dflt_w, dflt_s = [], [], [], []
        for i in range(args.repeat):
            wall, meta = run(["--no-comet", "--no-cache"], tmp / f"off{i}")
            off_w.append(wall)
            off_s.append(meta["timings_s"]["models"])
            wall, meta = run(["--no-cache"], tmp / f"default{i}")
            dflt_w.append(wall)
            dflt_s.append(meta["timings_s"]["models"])
        reason = next(iter(meta["unavailable"].get("comet", {}).values()), "available")
        print("default seed job, offline (COMET unavailable) vs --no-comet; 'models' stage:")
        summary("  --no-comet", off_w, off_s, "models")
        summary("  default (COMET unavailable)", dflt_w, dflt_s, "models")
        print(f"  reason: {reason[:110]}...")


if __name__ == "__main__":
    main()
