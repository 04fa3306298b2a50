"""``issues.csv``: one row per flag, the list a reviewer filters and sends back.

Rows come most severe first, then most likely (``risk``), then in document order, so
the top of the file is what to read first. Cells follow the CSV rules of
:mod:`mt_eval.report` (the same texts and number formats as ``segments.csv``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mt_eval.model import SEVERITIES, LinkResult
from mt_eval.report.rows import METRIC_COLUMNS, safe_text

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
    *METRIC_COLUMNS,
    "link",
)


def issue_order(links: Sequence[LinkResult], risks: Sequence[str]) -> list[tuple[int, int]]:
    """``(link index, flag index)`` of every flag, most severe, then riskiest, first.

    ``risks`` are the links' ``risk`` cells (:func:`mt_eval.report.rows.segment_row`),
    so the order follows the risk as the files show it. Ties keep document order, so
    the order is the same on every run.
    """
    keyed = []
    for i, result in enumerate(links):
        for j, flag in enumerate(result.flags):
            keyed.append((-SEVERITIES.index(flag.severity), -float(risks[i]), i, j))
    return [(i, j) for _, _, i, j in sorted(keyed)]


def issue_rows(
    links: Sequence[LinkResult],
    segments: Sequence[Mapping[str, str]],
    order: Sequence[tuple[int, int]],
) -> list[dict[str, Any]]:
    """The ``issues.csv`` rows, in ``order`` (:func:`issue_order`).

    Args:
        links: The run's links.
        segments: Their ``segments.csv`` rows, whose cells the issue rows share.
        order: ``(link index, flag index)`` of each row.
    """
    rows = []
    for i, j in order:
        flag = links[i].flags[j]
        row = {k: segments[i][k] for k in ISSUE_COLUMNS if k in segments[i]}
        row.update(kind=flag.kind, severity=flag.severity, note=safe_text(flag.note))
        rows.append(row)
    return rows
