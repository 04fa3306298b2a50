"""Vega-Lite specifications of the report's charts.

The specs name their data (``{"name": ...}``) instead of holding it: the page embeds
the run's data once, and its script hands each chart the values it needs
(``datasets``), so a large run does not carry its scores twice.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
"""An identifier only: Vega-Lite does not fetch it, and the page may not."""
SEVERITY_SCALE = {
    "domain": ["critical", "major", "minor"],
    "range": ["#c0392b", "#e67e22", "#d4ac0d"],
}


def score_distribution() -> dict[str, Any]:
    """Histogram of one metric's link scores, one colour per system (data ``scores``)."""
    return {
        "$schema": SCHEMA,
        "title": "Scores of the links",
        "data": {"name": "scores"},
        "width": 420,
        "height": 220,
        "mark": {"type": "bar", "opacity": 0.6},
        "encoding": {
            "x": {"field": "score", "bin": {"maxbins": 30}, "title": "score"},
            "y": {
                "aggregate": "count",
                "stack": None,
                "title": "links",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {"field": "system", "type": "nominal"},
            "tooltip": [
                {"field": "system"},
                {"aggregate": "count", "title": "links"},
            ],
        },
    }


def document_scores() -> dict[str, Any]:
    """One point per document and system: its score on one metric (data ``documents``)."""
    return {
        "$schema": SCHEMA,
        "title": "Scores of the documents",
        "data": {"name": "documents"},
        "width": 420,
        "height": 220,
        "mark": {"type": "point", "filled": True},
        "encoding": {
            "x": {"field": "pair", "type": "ordinal", "sort": None, "title": "document"},
            "y": {"field": "score", "type": "quantitative", "title": "score"},
            "color": {"field": "system", "type": "nominal"},
            "tooltip": [
                {"field": "pair", "title": "document"},
                {"field": "system"},
                {"field": "score", "format": ".4f"},
            ],
        },
    }


def flags_by_kind() -> dict[str, Any]:
    """Flag counts by kind and severity, one row of bars per system (data ``flags``)."""
    return {
        "$schema": SCHEMA,
        "title": "Flags by kind",
        "data": {"name": "flags"},
        "width": 380,
        "mark": "bar",
        "encoding": {
            "y": {"field": "kind", "type": "nominal", "title": None},
            "x": {
                "aggregate": "sum",
                "field": "count",
                "title": "flags",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "severity",
                "type": "nominal",
                "scale": SEVERITY_SCALE,
                "sort": SEVERITY_SCALE["domain"],
            },
            "row": {"field": "system", "type": "nominal", "title": None},
            "tooltip": [
                {"field": "system"},
                {"field": "kind"},
                {"field": "severity"},
                {"field": "count"},
            ],
        },
    }


def run_charts() -> dict[str, dict[str, Any]]:
    """The charts of a run's report, by the id of the element that shows them."""
    return {
        "chart-scores": score_distribution(),
        "chart-documents": document_scores(),
        "chart-flags": flags_by_kind(),
    }
