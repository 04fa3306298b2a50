"""``issues.csv``: one row per flag, the list a reviewer filters and sends back.

Rows come most severe first, then most likely (``risk``), then in document order, so
the top of the file is what to read first. Cells follow the CSV rules of
:mod:`mt_eval.report` (the same texts and number formats as ``segments.csv``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from mt_eval.flags.risk import link_risk
from mt_eval.model import SEVERITIES, LinkResult

ISSUE_COLUMNS = (
    "pair",
    "system",
    "src_ids",
    "tgt_ids",
    "file",
    "unit",
    "kind",
    "severity",
    "risk",
    "note",
    "src_text",
    "tgt_text",
    "ref_text",
    "bleu",
    "chrf",
    "comet",
    "similarity",
    "ter",
    "link",
)


def issue_order(links: Sequence[LinkResult]) -> list[tuple[int, int]]:
    """``(link index, flag index)`` of every flag, most severe, then riskiest, first.

    Ties keep document order, so the order is the same on every run.
    """
    keyed = []
    for i, result in enumerate(links):
        if not result.flags:
            continue
        risk = link_risk(result.link, result.flags)
        for j, flag in enumerate(result.flags):
            keyed.append((-SEVERITIES.index(flag.severity), -round(risk, 3), i, j))
    return [(i, j) for _, _, i, j in sorted(keyed)]


def issue_rows(links: Sequence[LinkResult]) -> list[dict[str, Any]]:
    """The ``issues.csv`` rows of a run's links (see :func:`issue_order`)."""
    from mt_eval.report import safe_text, segment_row

    rows = []
    cache: dict[int, dict[str, str]] = {}
    for i, j in issue_order(links):
        seg = cache.get(i) or cache.setdefault(i, segment_row(links[i]))
        flag = links[i].flags[j]
        row = {k: seg[k] for k in ISSUE_COLUMNS if k in seg}
        row.update(kind=flag.kind, severity=flag.severity, note=safe_text(flag.note))
        rows.append(row)
    return rows
