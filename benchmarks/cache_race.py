"""Processes racing on a fresh cache folder: open, write, read back; prints failures/rounds.

Run: ``python benchmarks/cache_race.py [--rounds 40] [--procs 4]``. Each round starts
``--procs`` forked processes that wait on one barrier, then open a new
:class:`~mt_eval.cache.DiskCache` in the same empty folder, write their own entries
and read them back. A round fails when any process raises or reads back wrong values.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import tempfile
import traceback
from pathlib import Path


def _worker(folder: str, index: int, barrier, results) -> None:
    from mt_eval.cache import DiskCache, text_key

    try:
        barrier.wait()
        cache = DiskCache(folder)
        items = {text_key(f"{index}-{i}"): f"{index}:{i}".encode() for i in range(50)}
        cache.put_many("race", items)
        ok = cache.get_many("race", list(items)) == items and cache._db is not None
        cache.close()
        results.put((index, "ok" if ok else "wrong values"))
    except BaseException:  # noqa: BLE001 - any failure counts and is shown
        results.put((index, traceback.format_exc(limit=2)))


def race(rounds: int, procs: int) -> tuple[int, list[str]]:
    """Failed rounds and the distinct failure messages."""
    ctx = mp.get_context("fork")
    failures, messages = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            folder = str(Path(tmp) / f"round-{r}")
            barrier, results = ctx.Barrier(procs), ctx.Queue()
            workers = [
                ctx.Process(target=_worker, args=(folder, i, barrier, results))
                for i in range(procs)
            ]
            for w in workers:
                w.start()
            outcome = [results.get(timeout=120) for _ in workers]
            for w in workers:
                w.join()
            bad = [m for _, m in outcome if m != "ok"]
            if bad:
                failures += 1
                messages.extend(m for m in bad if m not in messages)
    return failures, messages


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--procs", type=int, default=4)
    args = parser.parse_args()
    failures, messages = race(args.rounds, args.procs)
    for m in messages:
        print(m.strip().splitlines()[-1])
    print(f"{failures}/{args.rounds} rounds failed ({args.procs} processes each)")


if __name__ == "__main__":
    main()
