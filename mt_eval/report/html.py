"""``report.html``: one self-contained page to look at a run before reading it.

The page holds the run's data once, as JSON, and a script that draws from it:

- per system: scores with their 95 % intervals, flag counts by kind and severity, and
  the gates;
- charts (Vega-Lite, drawn by the embedded libraries of :mod:`mt_eval.report.vega`):
  score distributions, per-document scores, flags by kind;
- the issue list, most severe and most likely first, filtered by kind, severity, pair
  and system, with text search, a page at a time;
- per document, source and translation side by side, link by link: flagged links
  marked with their notes, drops and additions shown as gaps.

Nothing is loaded from anywhere: styles and scripts are inline, and the page's
Content-Security-Policy forbids every request, so it works from ``file://`` and as an
e-mail attachment. Texts are inserted as text, never as markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from mt_eval.model import DocumentResult, LinkResult
from mt_eval.report.charts import run_charts
from mt_eval.report.rows import METRIC_COLUMNS, PRECISION, ids

if TYPE_CHECKING:
    from mt_eval.regress.systems import SystemSummary

CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'unsafe-inline'; img-src data:; font-src data:"
)
"""No request of any kind; Vega compiles its expressions, hence ``unsafe-eval``."""
SIMILARITY_NOTE = (
    "similarity is an adequacy and alignment signal (does the translation say what the "
    "source says?), not a grade of quality: free but good translations score lower."
)


def asset(name: str) -> str:
    """The text of a file in ``mt_eval/report/assets``."""
    return resources.files("mt_eval.report").joinpath("assets", name).read_text("utf-8")


def script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: every ``<`` escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def _round(value: float | None, name: str) -> float | None:
    return None if value is None else round(value, PRECISION[name])


def _metrics(links: Sequence[LinkResult], systems: Sequence[SystemSummary]) -> list[str]:
    seen = {m for s in systems for m in s.metrics}
    seen |= {m for r in links for m, v in r.scores.items() if v is not None}
    return [m for m in METRIC_COLUMNS if m in seen]


def _unavailable(metadata: Mapping[str, Any], metrics: Sequence[str]) -> dict[str, str]:
    """Why a metric has no score, by metric: its distinct reasons, each without its fix."""
    out = {}
    for m in metrics:
        reasons = metadata.get("unavailable", {}).get(m, {})
        short = dict.fromkeys(str(r).split(" To fix:")[0] for r in reasons.values())
        if short:
            out[m] = "; ".join(short)
    return out


def page_data(
    links: Sequence[LinkResult],
    documents: Sequence[DocumentResult],
    metadata: Mapping[str, Any],
    systems: Sequence[SystemSummary],
    segments: Sequence[Mapping[str, str]],
    order: Sequence[tuple[int, int]],
) -> dict[str, Any]:
    """Everything the page shows, as plain JSON-ready data.

    ``segments`` are the links' ``segments.csv`` rows (their ``risk`` and ``severity``),
    ``order`` the issue list's (:func:`mt_eval.report.issues.issue_order`). It holds no
    timings, so the same run gives the same page.
    """
    metrics = _metrics(links, systems)
    doc_index = {(d.pair, d.system): i for i, d in enumerate(documents)}
    counts: dict[str, dict[str, dict[str, int]]] = {}
    rows = []
    for r, seg in zip(links, segments, strict=True):
        for f in r.flags:
            by_kind = counts.setdefault(r.system, {}).setdefault(f.kind, {})
            by_kind[f.severity] = by_kind.get(f.severity, 0) + 1
        rows.append(
            {
                "d": doc_index.get((r.pair, r.system), -1),
                "s": ids(r.link.src),
                "t": ids(r.link.tgt),
                "S": r.src_text,
                "T": r.tgt_text,
                "R": r.ref_text or "",
                "k": r.link.kind,
                "sc": [_round(r.scores.get(m), m) for m in metrics],
                "f": [[f.kind, f.severity, f.note] for f in r.flags],
                "v": seg["severity"],
                "r": float(seg["risk"]) if r.flags else None,
                "u": r.unit.id if r.unit else "",
            }
        )
    system_rows = []
    for s in systems:
        scores = {}
        for m in metrics:
            summary = s.metrics.get(m)
            iv = summary.interval if summary else None
            scores[m] = [_round(iv.score, m), _round(iv.low, m), _round(iv.high, m)] if iv else None
        system_rows.append(
            {
                "system": s.system,
                "pairs": s.pairs,
                "links": s.links,
                "dropped": s.dropped,
                "added": s.added,
                "flagged": s.flagged,
                "scores": scores,
                "flags": counts.get(s.system, {}),
            }
        )
    return {
        "title": "mt-eval report",
        "version": metadata.get("mt_eval_version", ""),
        "metrics": metrics,
        "scored": [m for i, m in enumerate(metrics) if any(r["sc"][i] is not None for r in rows)],
        "columns": {m: metadata.get("columns", {}).get(m, m) for m in metrics},
        "digits": {m: PRECISION[m] for m in metrics},
        "systems": system_rows,
        "gates": list(metadata.get("gates", [])),
        "documents": [
            {
                "pair": d.pair,
                "system": d.system,
                "links": d.links,
                "dropped": d.dropped,
                "added": d.added,
                "flagged": d.flagged,
                "sc": [_round(d.scores.get(m), m) for m in metrics],
            }
            for d in documents
        ],
        "links": rows,
        "issues": [list(item) for item in order],
        "charts": run_charts(),
        "unavailable": _unavailable(metadata, metrics),
        "notes": {"similarity": SIMILARITY_NOTE},
    }


def page(data: Mapping[str, Any], app: str, charts: str = "") -> bytes:
    """The HTML page of ``data``, drawn by the script ``app`` (an asset's name).

    Args:
        data: What the page shows (:func:`page_data`).
        app: The page's own script, a file in ``assets``.
        charts: The chart libraries' script (:func:`mt_eval.report.vega.chart_script`),
            or ``""`` for a page without charts.
    """
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{data['title']}</title>",
        f"<style>{asset('report.css')}</style>",
        "</head><body>",
        "<noscript>This report needs JavaScript; the same data is in the CSV files and "
        "results.xlsx beside it.</noscript>",
        '<div id="app"></div>',
        f'<script type="application/json" id="mt-data">{script_json(data)}</script>',
    ]
    if charts:
        parts.append(f"<script>{charts}</script>")
    parts.append(f"<script>{asset('dom.js')}</script>")  # helpers both pages' scripts use
    parts.append(f"<script>{asset(app)}</script>")
    parts.append("</body></html>\n")
    return "\n".join(parts).encode("utf-8")
