"""Write run results: CSV files, a workbook and a review page, and ``run.json``.

Files in the output folder:

- ``segments.csv``: one row per link, in document order (:data:`SEGMENT_COLUMNS`).
- ``issues.csv``: one row per flag, most severe and most likely first
  (:mod:`mt_eval.report.issues`).
- ``documents.csv``: one row per pair and system (:data:`DOCUMENT_COLUMNS`).
- ``removed.csv``: everything cleaning removed, with the reason (:data:`REMOVED_COLUMNS`).
- ``systems.csv``: one row per system over all pairs, with 95 % bootstrap intervals
  (:data:`SYSTEM_COLUMNS`).
- ``results.xlsx``: the same tables, typed (:mod:`mt_eval.report.workbook`).
- ``report.html``: one self-contained page to review the run (:mod:`mt_eval.report.html`).
- ``stats.jsonl``: per-link statistics for ``mt-eval compare``
  (:mod:`mt_eval.regress.statsfile`).
- ``run.json``: versions, metric signatures, resolved configuration, timings.

The CSV rules (UTF-8 with BOM, RFC 4180 quoting, ``.`` decimals, formula guard) are in
:mod:`mt_eval.report.rows`. Writing the folder is :mod:`mt_eval.outdir`'s job.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from mt_eval.model import DocumentResult, LinkResult, RemovalRecord
from mt_eval.report.issues import ISSUE_COLUMNS, issue_order, issue_rows
from mt_eval.report.rows import (
    DOCUMENT_COLUMNS,
    METRIC_COLUMNS,
    PRECISION,
    REMOVED_COLUMNS,
    SEGMENT_COLUMNS,
    SYSTEM_COLUMNS,
    csv_bytes,
    document_row,
    fmt_number,
    header,
    ids,
    removed_row,
    safe_text,
    segment_row,
    system_row,
    unsafe_text,
)

if TYPE_CHECKING:
    from mt_eval.regress.systems import SystemSummary

__all__ = [
    "DOCUMENT_COLUMNS",
    "ISSUE_COLUMNS",
    "METRIC_COLUMNS",
    "PRECISION",
    "REMOVED_COLUMNS",
    "SEGMENT_COLUMNS",
    "SYSTEM_COLUMNS",
    "csv_bytes",
    "document_row",
    "fmt_number",
    "header",
    "ids",
    "removed_row",
    "render",
    "safe_text",
    "segment_row",
    "system_row",
    "unsafe_text",
]


@contextlib.contextmanager
def _helpers(jobs: int) -> Iterator[Executor]:
    """Two spawned processes for ``jobs`` above 1, else a stand-in that runs each call now."""
    if jobs <= 1:
        yield _Here()
        return
    context = multiprocessing.get_context("spawn")  # no fork of a process holding models
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        yield pool


class _Here(Executor):
    """Runs a submitted call at once, in this process."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # noqa: D102
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def render(
    links: Sequence[LinkResult],
    documents: Sequence[DocumentResult],
    removals: Sequence[RemovalRecord],
    metadata: Mapping[str, Any],
    systems: Sequence[SystemSummary] | None = None,
    statistics: Mapping[str, str] | None = None,
    cache_dir: str | None = None,
    jobs: int = 1,
) -> dict[str, bytes]:
    """All output files of a run, by file name.

    ``systems.csv`` is written when ``systems`` is given, ``stats.jsonl`` when
    ``statistics`` (metric name to ``"counts"`` or ``"mean"``) is given.
    ``cache_dir`` keeps the chart libraries of ``report.html`` (:mod:`mt_eval.report.vega`).
    With ``jobs`` above 1, the workbook and those libraries are built in two more
    processes while this one writes the rest; the files are the same.
    """
    from mt_eval.report import html
    from mt_eval.report.vega import chart_script
    from mt_eval.report.workbook import Sheet, workbook_bytes

    with _helpers(jobs) as pool:
        charts = pool.submit(chart_script, cache_dir)  # needs no data: started first
        names = metadata.get("columns", {})
        segments = [segment_row(r) for r in links]
        order = issue_order(links, [row["risk"] for row in segments])
        issues = issue_rows(links, segments, order)
        documents_rows = [document_row(d) for d in documents]
        removed = [removed_row(r) for r in removals]
        system_rows = [system_row(s) for s in systems or ()]
        book = pool.submit(  # first, so the other process builds it while this one writes the rest
            workbook_bytes,
            [
                Sheet("segments", SEGMENT_COLUMNS, segments, names),
                Sheet("issues", ISSUE_COLUMNS, issues, names),
                Sheet("documents", DOCUMENT_COLUMNS, documents_rows, names),
                Sheet("systems", SYSTEM_COLUMNS, system_rows, names),
                Sheet("removals", REMOVED_COLUMNS, removed, {}),
            ],
        )
        files = {
            "segments.csv": csv_bytes(SEGMENT_COLUMNS, segments, names),
            "issues.csv": csv_bytes(ISSUE_COLUMNS, issues, names),
            "documents.csv": csv_bytes(DOCUMENT_COLUMNS, documents_rows, names),
            "removed.csv": csv_bytes(REMOVED_COLUMNS, removed),
            "run.json": (json.dumps(metadata, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
        }
        if systems is not None:
            files["systems.csv"] = csv_bytes(SYSTEM_COLUMNS, system_rows, names)
        data = html.page_data(links, documents, metadata, systems or (), segments, order)
        files["report.html"] = html.page(data, "report.js", charts.result())
        files["results.xlsx"] = book.result()
    if statistics is not None:
        from mt_eval.regress import statsfile

        files[statsfile.FILE_NAME] = statsfile.render(links, statistics)
    return files
