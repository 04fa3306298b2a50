"""``stats.jsonl``: the per-link statistics a results folder keeps for ``mt-eval compare``.

CSV cells are rounded for people; corpus BLEU and chrF of a resample need the exact
sacrebleu counts of each link, and a paired test of COMET or similarity the exact
scores. The file is JSON Lines, UTF-8:

- line 1, the header: ``{"format": "mt-eval-stats/1", "metrics": {"bleu": "counts",
  "chrf": "counts", "similarity": "mean"}}``: each metric of the run and the kind of
  its statistics;
- then one line per link, in the order of ``segments.csv``: ``{"pair": ..., "system":
  ..., "src_ids": "3+4", "tgt_ids": "3", "stats": {"bleu": [11, 12, 8, ...],
  "similarity": 0.8123456789}}``. Counts are sacrebleu's sufficient statistics of the
  link (``_extract_corpus_statistics``; BLEU: hypothesis and reference length, then
  matches and totals per n-gram order; chrF: per order hypothesis, reference and
  matching n-gram counts); a mean metric's value is the link's unrounded part in
  the mean over the source content (its score; 0 for a drop or untranslated text,
  :meth:`mt_eval.model.LinkResult.content_score`); ``null`` where the metric did
  not score the link (an addition, or a metric that scored nothing). ``src_ids``/``tgt_ids`` are
  written as in ``segments.csv``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mt_eval.errors import InputError
from mt_eval.model import LinkResult
from mt_eval.report import ids

FORMAT = "mt-eval-stats/1"
FILE_NAME = "stats.jsonl"


@dataclass(frozen=True)
class LinkStats:
    """The statistics of one link as read back from ``stats.jsonl``.

    Attributes:
        pair: Pair name.
        system: System name.
        src_ids: 1-based source sentence ids joined with ``+`` (empty for an addition).
        tgt_ids: Likewise for the translation (empty for a drop).
        stats: Metric name to counts, score or ``None``.
    """

    pair: str
    system: str
    src_ids: str
    tgt_ids: str
    stats: Mapping[str, Any]


def link_input(link: LinkResult, name: str, counts: bool, scored: bool = True) -> Any:
    """A link's input to a metric's corpus statistic: its counts, or its part in a mean.

    A mean metric's part is :meth:`~mt_eval.model.LinkResult.content_score` (a drop
    or untranslated text counts 0) when ``scored`` (the metric scored some link of
    the group), else the link's score (``None``: the metric did not run).
    """
    if counts:
        return link.stats.get(name)
    return link.content_score(name) if scored else link.scores.get(name)


def scored_metrics(links: Sequence[LinkResult]) -> set[str]:
    """Metrics that scored at least one of ``links``."""
    return {n for link in links for n, v in link.scores.items() if v is not None}


def render(links: Sequence[LinkResult], kinds: Mapping[str, str]) -> bytes:
    """The file's bytes for a run's links.

    Args:
        links: Every link of the run, in ``segments.csv`` order.
        kinds: Metric name to ``"counts"`` or ``"mean"``.
    """
    lines = [json.dumps({"format": FORMAT, "metrics": dict(kinds)})]
    scored = scored_metrics(links)
    for link in links:
        stats = {
            name: link_input(link, name, kind == "counts", name in scored)
            for name, kind in kinds.items()
        }
        record = {
            "pair": link.pair,
            "system": link.system,
            "src_ids": ids(link.link.src),
            "tgt_ids": ids(link.link.tgt),
            "stats": stats,
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


def read(folder: Path) -> tuple[dict[str, str], list[LinkStats]]:
    """Read ``stats.jsonl`` of a results folder.

    Returns:
        The metric kinds of the header and the links in file order.

    Raises:
        InputError: The file is missing or not in this format (the message names
            the file and line).
    """
    path = folder / FILE_NAME
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read per-link statistics ({exc.strerror or exc}); "
            "results written by mt-eval before stats.jsonl existed cannot be compared"
        ) from None
    # JSON Lines ends records at "\n" only: names may hold U+2028 or U+0085, which
    # str.splitlines() would also split at.
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    number = 1
    try:
        header = json.loads(lines[0].decode("utf-8")) if lines else {}
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise InputError(f"{path}:1: not an {FORMAT} file")
        kinds = header.get("metrics")
        if not isinstance(kinds, dict) or any(
            not isinstance(k, str) or v not in ("counts", "mean") for k, v in kinds.items()
        ):
            raise InputError(f"{path}:1: header has no valid 'metrics' (name to counts or mean)")
        out = []
        for number, raw in enumerate(lines[1:], 2):  # noqa: B007 - named in the error
            rec = json.loads(raw.decode("utf-8"))
            fields = [rec["pair"], rec["system"], rec["src_ids"], rec["tgt_ids"]]
            if not all(isinstance(f, str) for f in fields) or not isinstance(rec["stats"], dict):
                raise InputError(f"{path}:{number}: malformed statistics (wrong field types)")
            out.append(LinkStats(*fields, rec["stats"]))
    except UnicodeDecodeError:
        raise InputError(f"{path}:{number}: not UTF-8") from None
    except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise InputError(f"{path}:{number}: malformed statistics ({exc})") from None
    return dict(kinds), out
