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
from mt_eval.report import (
    METRIC_COLUMNS,
    PRECISION,
    csv_bytes,
    fmt_number,
    header,
    ids,
    safe_text,
    unsafe_text,
)
from mt_eval.report.html import page

CHANGES_COLUMNS = (
    "pair",
    "system",
    "status",
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
    old_text = " ".join(lk.tgt_text for lk in unit.old if lk.tgt_text)
    new_text = " ".join(lk.tgt_text for lk in unit.new if lk.tgt_text)
    gained = [f for f in new_flags if f not in old_flags]
    lost = [f for f in old_flags if f not in new_flags]
    status = "flags gained" if gained else "changed" if lost or old_text != new_text else ""
    row: dict[str, Any] = {
        "pair": safe_text(unit.pair),
        "system": safe_text(unit.system),
        "status": status or "unchanged",
        "src_ids": ids(unit.src),
        "unit": safe_text(" ".join(lk.unit for lk in (unit.new or unit.old) if lk.unit)),
        "old_tgt_ids": "+".join(lk.tgt_ids for lk in unit.old if lk.tgt_ids),
        "new_tgt_ids": "+".join(lk.tgt_ids for lk in unit.new if lk.tgt_ids),
        "src_text": safe_text(" ".join(lk.src_text for lk in (unit.old or unit.new))),
        "old_text": safe_text(old_text),
        "new_text": safe_text(new_text),
        "ref_text": safe_text(" ".join(lk.ref_text for lk in (unit.old or unit.new))),
        "flags_gained": ";".join(gained),
        "flags_lost": ";".join(lost),
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


STATUS_ORDER = ("flags gained", "changed", "unchanged")


def _scores(row: Mapping[str, Any], names: Mapping[str, str]) -> str:
    parts = []
    for m in METRIC_COLUMNS:
        old, new = row[f"old_{m}"], row[f"new_{m}"]
        if old or new:
            parts.append(f"{names.get(m, m)} {old or '-'} \u2192 {new or '-'}")
    return ", ".join(parts)


def page_data(
    meta: Mapping[str, Any],
    changes: list[dict[str, Any]],
    summary: list[dict[str, Any]],
    names: Mapping[str, str],
) -> dict[str, Any]:
    """What the comparison's ``report.html`` shows.

    Units with new flags come first, then changed ones, then the rest; each group
    keeps the order of ``changes.csv`` (most damaged first).
    """
    order = sorted(range(len(changes)), key=lambda i: STATUS_ORDER.index(changes[i]["status"]))
    texts = ("pair", "system", "unit", "src_text", "old_text", "new_text")
    units = []
    for i in order:
        row = changes[i]
        unit = {k: unsafe_text(row[k]) for k in texts}
        unit.update(
            status=row["status"],
            src_ids=row["src_ids"],
            flags_gained=row["flags_gained"],
            flags_lost=row["flags_lost"],
            scores=_scores(row, names),
        )
        units.append(unit)
    return {
        "title": "mt-eval comparison",
        "version": meta["mt_eval_version"],
        "baseline": meta["baseline"],
        "current": meta["current"],
        "failures": meta["failures"],
        "warnings": meta["warnings"],
        "summary_columns": [header(c, names) for c in SUMMARY_COLUMNS],
        "summary": [
            {header(c, names): unsafe_text(str(row[c])) for c in SUMMARY_COLUMNS} for row in summary
        ],
        "units": units,
        "statuses": list(STATUS_ORDER),
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
    changes = [change_row(u, d, sc) for u, d, sc in comparison.units]
    summary = [summary_row(c, current.columns) for c in comparison.changes]
    return {
        "changes.csv": csv_bytes(CHANGES_COLUMNS, changes, current.columns),
        "summary.csv": csv_bytes(SUMMARY_COLUMNS, summary),
        "report.html": page(page_data(meta, changes, summary, current.columns), "compare.js"),
        "compare.json": (json.dumps(meta, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
    }
