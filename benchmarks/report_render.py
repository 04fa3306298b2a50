"""Render time and size of report.html for a large run, in headless Chromium.

Usage: python benchmarks/report_render.py [--documents 1000] [--links 20] [--repeat 3]
       python benchmarks/report_render.py --seed-screenshot docs/report.png

Builds a synthetic run (sentences drawn from the seeds, scores and flags drawn with a
fixed seed; 1,000 documents of 20 links by default, two systems), renders its outputs
with :func:`mt_eval.report.render`, then opens report.html in Debian's chromium
(selenium) and times navigation start to the page's ``data-ready`` mark: systems,
charts, issue list and first document drawn. Prints the file sizes and render times.
``--seed-screenshot`` runs the seed job instead and saves a screenshot of its page
(the README's picture).
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mt_eval.model import DocumentResult, Flag, Link, LinkResult  # noqa: E402
from mt_eval.regress.resample import Interval  # noqa: E402
from mt_eval.regress.systems import MetricSummary, SystemSummary  # noqa: E402
from mt_eval.report import render  # noqa: E402

KINDS = (
    ("dropped", "major"),
    ("added", "major"),
    ("untranslated", "critical"),
    ("number_mismatch", "critical"),
    ("mistranslation", "major"),
    ("duplicate", "minor"),
    ("entity_mismatch", "minor"),
)


def sentences() -> list[str]:
    out = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        out += [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return out


def synthetic_run(documents: int, per_doc: int, seed: int = 0):
    rng = random.Random(seed)
    pool = sentences()
    links, docs = [], []
    for d in range(documents):
        system = f"vendor-{'ab'[d % 2]}"
        pair = f"doc-{d // 2:04d}"
        scored = []
        for i in range(per_doc):
            flags: tuple[Flag, ...] = ()
            src, tgt = (i,), (i,)
            if rng.random() < 0.08:
                kind, severity = rng.choice(KINDS)
                flags = (Flag(kind, f"{kind.replace('_', ' ')} in sentence {i + 1}", severity),)
                if kind == "dropped":
                    tgt = ()
                elif kind == "added":
                    src = ()
            scores = {
                "bleu": rng.uniform(5, 95),
                "chrf": rng.uniform(20, 95),
                "similarity": rng.uniform(0.3, 0.95),
            }
            links.append(
                LinkResult(
                    pair,
                    system,
                    Link(src, tgt, rng.uniform(-1, 0)),
                    rng.choice(pool) if src else "",
                    rng.choice(pool) if tgt else "",
                    rng.choice(pool),
                    scores,
                    flags,
                )
            )
            scored.append(scores)
        mean = {m: statistics.fmean(s[m] for s in scored) for m in scored[0]}
        flagged = sum(1 for lk in links[-per_doc:] if lk.flags)
        docs.append(DocumentResult(pair, system, per_doc, per_doc, per_doc, 0, 0, flagged, mean))
    systems = []
    for name in ("vendor-a", "vendor-b"):
        mine = [lk for lk in links if lk.system == name]
        metrics = {}
        for m in ("bleu", "chrf", "similarity"):
            score = statistics.fmean(lk.scores[m] for lk in mine)
            metrics[m] = MetricSummary(Interval(score, score - 1, score + 1, score), len(mine))
        flagged = sum(1 for lk in mine if lk.flags)
        systems.append(SystemSummary(name, documents // 2, len(mine), 0, 0, flagged, metrics))
    return links, docs, systems


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1400,1600",
    ):
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def render_time(driver, page: Path) -> float:
    """Seconds from navigation start to the page's data-ready mark."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get(page.as_uri())
    WebDriverWait(driver, 120).until(
        lambda d: d.execute_script("return document.documentElement.hasAttribute('data-ready')")
    )
    # performance.now() counts from navigation start
    return driver.execute_script("return performance.now()") / 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--links", type=int, default=20, help="links per document")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed-screenshot", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        driver = browser()
        try:
            if args.seed_screenshot:
                out = Path(tmp) / "seeds"
                cmd = ["mt-eval", "-q", "run", "configs/seeds.toml", "--out", str(out)]
                subprocess.run(cmd, cwd=ROOT, check=True)
                render_time(driver, out / "report.html")
                driver.save_screenshot(str(args.seed_screenshot))
                print(f"saved {args.seed_screenshot}")
                return
            links, docs, systems = synthetic_run(args.documents, args.links)
            start = time.perf_counter()
            files = render(links, docs, [], {"mt_eval_version": "bench"}, systems)
            python_s = time.perf_counter() - start
            page = Path(tmp) / "report.html"
            page.write_bytes(files["report.html"])
            times = [render_time(driver, page) for _ in range(args.repeat)]
        finally:
            driver.quit()
    print(f"{args.documents} documents, {len(links)} links, {len(docs)} document rows")
    for name in ("report.html", "results.xlsx", "segments.csv", "issues.csv"):
        print(f"  {name}: {len(files[name]) / 1e6:.2f} MB")
    print(f"  writing all files (Python): {python_s:.2f} s")
    print(
        f"  report.html in chromium, to data-ready: min {min(times):.2f} s, "
        f"median {statistics.median(times):.2f} s over {len(times)} loads (target <= 3 s)"
    )


if __name__ == "__main__":
    main()
