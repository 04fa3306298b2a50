"""The rows of a run's CSV files, and the rules that make them open cleanly in a spreadsheet.

Spreadsheet safety: files are UTF-8 with a byte-order mark (so Excel detects the
encoding; pandas and ``open(..., encoding="utf-8-sig")`` read it as is), numbers
use ``.`` decimals with fixed precision (:data:`PRECISION`), an empty cell means
"not available" (never 0), and a text cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading apostrophe ``'`` so that no
spreadsheet evaluates it as a formula. Writing the folder is :mod:`mt_eval.outdir`'s job.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mt_eval.flags.risk import link_risk
from mt_eval.model import SEVERITIES, DocumentResult, LinkResult, RemovalRecord

if TYPE_CHECKING:
    from mt_eval.regress.systems import SystemSummary

SEGMENT_COLUMNS = (
    "pair",
    "system",
    "src_ids",
    "tgt_ids",
    "src_text",
    "tgt_text",
    "ref_text",
    "other_refs",
    "bleu",
    "chrf",
    "comet",
    "similarity",
    "ter",
    "flags",
    "notes",
    "severity",
    "risk",
    "link",
    "align_cost",
    "file",
    "unit",
    "original",
    "state",
    "unit_notes",
)
DOCUMENT_COLUMNS = (
    "pair",
    "system",
    "src_sentences",
    "tgt_sentences",
    "links",
    "dropped",
    "added",
    "flagged",
    "bleu",
    "chrf",
    "comet",
    "similarity",
    "ter",
)
METRIC_COLUMNS = ("bleu", "chrf", "comet", "similarity", "ter")
"""Metrics with report columns; a column's header is the metric's variant name
(``run.json``'s ``columns``, e.g. ``chrf++``), see :func:`header`."""
SYSTEM_COLUMNS = (
    "system",
    "pairs",
    "links",
    *METRIC_COLUMNS,
    "dropped",
    "added",
    "flagged",
    *(f"{m}_{end}" for m in METRIC_COLUMNS for end in ("low", "high")),
    *(f"{m}_segments" for m in METRIC_COLUMNS),
)
REMOVED_COLUMNS = ("pair", "system", "role", "file", "line", "reason", "text")
PRECISION = {
    "bleu": 2,
    "chrf": 2,
    "ter": 2,
    "comet": 4,
    "similarity": 4,
    "align_cost": 4,
    "risk": 3,
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str | None) -> str:
    """Neutralise a text cell for spreadsheets (leading apostrophe before formula starts).

    Text that already starts with apostrophes before a formula start gets one more,
    so :func:`unsafe_text` (which drops exactly one) gives the text back.
    """
    if not text:
        return ""
    return "'" + text if text.lstrip("'").startswith(_FORMULA_START) else text


def unsafe_text(cell: str) -> str:
    """The original text of a cell :func:`safe_text` wrote (one leading ``'`` dropped)."""
    guarded = cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START)
    return cell[1:] if guarded else cell


def fmt_number(value: float | None, digits: int) -> str:
    """Fixed-precision number with ``.`` decimals; empty for ``None``."""
    return "" if value is None else f"{value:.{digits}f}"


def ids(indices: Sequence[int]) -> str:
    """1-based sentence ids joined with ``+`` (``"3+4"``); empty for no sentence."""
    return "+".join(str(i + 1) for i in indices)


def segment_row(result: LinkResult) -> dict[str, str]:
    """The ``segments.csv`` row of one link."""
    flags, unit = result.flags, result.unit
    worst = max((SEVERITIES.index(f.severity) for f in flags), default=None)
    row = {
        "pair": safe_text(result.pair),
        "system": safe_text(result.system),
        "src_ids": ids(result.link.src),
        "tgt_ids": ids(result.link.tgt),
        "src_text": safe_text(result.src_text),
        "tgt_text": safe_text(result.tgt_text),
        "ref_text": safe_text(result.ref_text),
        "other_refs": safe_text(" ||| ".join(r or "" for r in result.other_refs)),
        "flags": ";".join(dict.fromkeys(f.kind for f in flags)),
        "notes": safe_text("; ".join([*(f"{f.kind}: {f.note}" for f in flags), *result.notes])),
        "severity": "" if worst is None else SEVERITIES[worst],
        "risk": fmt_number(link_risk(result.link, flags), PRECISION["risk"]),
        "link": result.link.kind,
        "align_cost": fmt_number(result.link.cost, PRECISION["align_cost"]),
        "file": safe_text(result.file),
        "unit": safe_text(unit.id) if unit else "",
        "original": safe_text(unit.original) if unit else "",
        "state": safe_text(unit.state) if unit else "",
        "unit_notes": safe_text(" | ".join(unit.notes)) if unit else "",
    }
    row.update(metric_cells(result.scores))
    return row


def metric_cells(scores: Mapping[str, float | None]) -> dict[str, str]:
    """The metric cells of a row (:data:`METRIC_COLUMNS`), empty for a metric not scored."""
    return {name: fmt_number(scores.get(name), PRECISION[name]) for name in METRIC_COLUMNS}


def document_row(doc: DocumentResult) -> dict[str, str]:
    """The ``documents.csv`` row of one pair and system."""
    row: dict[str, Any] = {
        "pair": safe_text(doc.pair),
        "system": safe_text(doc.system),
        "src_sentences": doc.src_sentences,
        "tgt_sentences": doc.tgt_sentences,
        "links": doc.links,
        "dropped": doc.dropped,
        "added": doc.added,
        "flagged": doc.flagged,
    }
    row.update(metric_cells(doc.scores))
    return row


def system_row(summary: SystemSummary) -> dict[str, Any]:
    """The ``systems.csv`` row of one system; a metric not computed has empty cells."""
    row: dict[str, Any] = {
        "system": safe_text(summary.system),
        "pairs": summary.pairs,
        "links": summary.links,
        "dropped": summary.dropped,
        "added": summary.added,
        "flagged": summary.flagged,
    }
    for name in METRIC_COLUMNS:
        metric = summary.metrics.get(name)
        interval = metric.interval if metric else None
        digits = PRECISION[name]
        row[name] = fmt_number(interval.score if interval else None, digits)
        row[f"{name}_low"] = fmt_number(interval.low if interval else None, digits)
        row[f"{name}_high"] = fmt_number(interval.high if interval else None, digits)
        row[f"{name}_segments"] = metric.segments if metric else ""
    return row


def removed_row(rec: RemovalRecord) -> dict[str, Any]:
    """The ``removed.csv`` row of one cleaning removal."""
    return {
        "pair": safe_text(rec.pair),
        "system": safe_text(rec.system),
        "role": rec.role,
        "file": safe_text(rec.path),
        "line": rec.removal.line,
        "reason": rec.removal.reason,
        "text": safe_text(rec.removal.text),
    }


def header(column: str, names: Mapping[str, str]) -> str:
    """A column's header: each ``_``-separated part that is a metric takes its name in ``names``.

    ``header("chrf_low", {"chrf": "chrf++"})`` is ``"chrf++_low"``.
    """
    return "_".join(names.get(part, part) for part in column.split("_"))


def csv_bytes(
    columns: Sequence[str],
    rows: Iterable[Mapping[str, Any]],
    names: Mapping[str, str] | None = None,
) -> bytes:
    """Render rows as UTF-8 (with BOM) CSV bytes with the given header.

    Args:
        columns: The row keys, in order.
        rows: The rows.
        names: Metric name to its column name (see :func:`header`); none renamed if empty.
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow([header(c, names or {}) for c in columns])
    writer = csv.DictWriter(buf, fieldnames=list(columns), lineterminator="\r\n")
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8-sig")
