"""The ``risk`` of a link: how likely a reviewer is to confirm a problem there (0 to 1).

Each flag's risk is the share of flags of its kind and link shape (``1-1``,
``merged``: more than one sentence on a side, ``null``: a side empty) that were
right on the detection dev benchmark (:mod:`mt_eval.flags.risk_table`, written by
``benchmarks/calibrate_risk.py``), with one pseudo-count each way (a kind seen
rarely stays near 1/2). A flag that follows the source (severity ``minor``, see
:mod:`mt_eval.flags.across`) counts half. A link's risk is the chance that at
least one of its flags is right, taking them as independent; an unflagged link's
risk is the share of injected errors the benchmark missed among its unflagged links.

The benchmark's errors are injected, so these are upper estimates for natural
translations, where flags are rarer and fewer are right; the ranking they give
(which rows to read first) is what the column is for.
"""

from __future__ import annotations

from collections.abc import Sequence

from mt_eval.flags.risk_table import COUNTS, UNFLAGGED
from mt_eval.model import Flag, Link


def shape_class(link: Link) -> str:
    """``1-1``, ``merged`` or ``null``."""
    if not link.src or not link.tgt:
        return "null"
    return "1-1" if len(link.src) == len(link.tgt) == 1 else "merged"


def flag_risk(kind: str, shape: str) -> float:
    """Calibrated chance that a flag of this kind on a link of this shape is right."""
    right, raised = COUNTS.get(f"{kind}|{shape}", (0, 0))
    if not raised:  # the kind on any shape
        right = sum(r for k, (r, _) in COUNTS.items() if k.split("|")[0] == kind)
        raised = sum(n for k, (_, n) in COUNTS.items() if k.split("|")[0] == kind)
    return (right + 1) / (raised + 2)


def link_risk(link: Link, flags: Sequence[Flag]) -> float:
    """The risk of one link (see the module docstring)."""
    if not flags:
        missed, unflagged = UNFLAGGED
        return (missed + 1) / (unflagged + 2)
    shape = shape_class(link)
    clear = 1.0
    for flag in flags:
        p = flag_risk(flag.kind, shape)
        if flag.severity == "minor" and "flagged alike for" in flag.note:
            p /= 2
        clear *= 1.0 - p
    return 1.0 - clear
