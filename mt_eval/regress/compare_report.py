"""Files of ``mt-eval compare``: ``changes.csv``, ``summary.csv`` and ``compare.json``.

Same spreadsheet rules as :mod:`mt_eval.report` (UTF-8 with BOM, fixed precision,
formula neutralisation, an empty cell means "not available").
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from mt_eval import __version__
from mt_eval.outdir import COMPARE_FORMAT
from mt_eval.regress.compare import Comparison, Results, Settings, Unit, UnitScores
from mt_eval.report import METRIC_COLUMNS, PRECISION, csv_bytes, fmt_number, ids, safe_text

CHANGES_COLUMNS = (
    "pair",
    "system",
    "src_ids",
    "unit",
    "old_tgt_ids",
    "new_tgt_ids",
    "src_text",
    "old_text",
    "new_text",
    "ref_text",
    *(f"{side}_{m}" for m in METRIC_COLUMNS for side in ("old", "new")),
    "flags_gained",
    "flags_lost",
    "old_flags",
    "new_flags",
    "damage",
)
SUMMARY_COLUMNS = (
    "system",
    "metric",
    "baseline",
    "current",
    "delta",
    "p_bootstrap",
    "p_ar",
    "verdict",
    "fails",
)


def _flags(links: Any) -> list[str]:
    return list(dict.fromkeys(f for lk in links for f in lk.flags))


def change_row(unit: Unit, damage: float, scores: UnitScores) -> dict[str, Any]:
    """The ``changes.csv`` row of one matched unit."""
    old_flags, new_flags = _flags(unit.old), _flags(unit.new)
    row: dict[str, Any] = {
        "pair": safe_text(unit.pair),
        "system": safe_text(unit.system),
        "src_ids": ids(unit.src),
        "unit": safe_text(" ".join(lk.unit for lk in (unit.new or unit.old) if lk.unit)),
        "old_tgt_ids": "+".join(lk.tgt_ids for lk in unit.old if lk.tgt_ids),
        "new_tgt_ids": "+".join(lk.tgt_ids for lk in unit.new if lk.tgt_ids),
        "src_text": safe_text(" ".join(lk.src_text for lk in (unit.old or unit.new))),
        "old_text": safe_text(" ".join(lk.tgt_text for lk in unit.old if lk.tgt_text)),
        "new_text": safe_text(" ".join(lk.tgt_text for lk in unit.new if lk.tgt_text)),
        "ref_text": safe_text(" ".join(lk.ref_text for lk in (unit.old or unit.new))),
        "flags_gained": ";".join(f for f in new_flags if f not in old_flags),
        "flags_lost": ";".join(f for f in old_flags if f not in new_flags),
        "old_flags": ";".join(old_flags),
        "new_flags": ";".join(new_flags),
        "damage": f"{damage:.4f}",
    }
    for name in METRIC_COLUMNS:
        for side, value in zip(("old", "new"), scores.get(name, (None, None)), strict=True):
            row[f"{side}_{name}"] = fmt_number(value, PRECISION[name])
    return row


def summary_row(change: Any, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``summary.csv`` row of one system's metric or count.

    Args:
        change: The change.
        names: Metric name to its column name (``chrf++``), as in the run's files.
    """
    digits = PRECISION.get(change.metric, 0)
    delta = change.delta
    return {
        "system": safe_text(change.system),
        "metric": (names or {}).get(change.metric, change.metric),
        "baseline": fmt_number(change.baseline, digits),
        "current": fmt_number(change.current, digits),
        "delta": "" if delta is None else f"{delta:+.{digits}f}",
        "p_bootstrap": fmt_number(change.p_bootstrap, 6),
        "p_ar": fmt_number(change.p_ar, 6),
        "verdict": change.verdict,
        "fails": "yes" if change.fails else "no",
    }


def render(
    comparison: Comparison, baseline: Results, current: Results, settings: Settings
) -> dict[str, bytes]:
    """All output files of a comparison, by file name."""
    meta = {
        "format": COMPARE_FORMAT,
        "mt_eval_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "baseline": str(baseline.folder),
        "current": str(current.folder),
        "settings": dataclasses.asdict(settings) | {"min_effect": dict(settings.min_effect)},
        "signatures": dict(current.signatures),
        "warnings": list(comparison.warnings),
        "failures": [c.describe() for c in comparison.failures],
    }
    return {
        "changes.csv": csv_bytes(
            CHANGES_COLUMNS,
            (change_row(u, d, sc) for u, d, sc in comparison.units),
            current.columns,
        ),
        "summary.csv": csv_bytes(
            SUMMARY_COLUMNS, (summary_row(c, current.columns) for c in comparison.changes)
        ),
        "compare.json": (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }
