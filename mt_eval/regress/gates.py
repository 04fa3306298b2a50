"""Quality gates: thresholds every system (and, optionally, every document) must meet.

``[gates]`` holds thresholds on a system's totals over all its pairs;
``[gates.per_document]`` holds the same keys, checked on each pair of each system.
A flag gate counts flags: ``max_critical = 0`` fails a system with any critical
flag, ``max_flags = { number_mismatch = 0 }`` one with any number mismatch. A
failure names the documents that hold the counted flags (or fail the document
gate).

A gate on a metric the run could not compute (e.g. ``min_comet`` while the COMET
column is empty) fails with the value "not computed": a gate that cannot be checked
never passes silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mt_eval.errors import ConfigError
from mt_eval.model import FLAG_KINDS, SEVERITIES, DocumentResult, LinkResult
from mt_eval.regress.systems import SystemSummary
from mt_eval.report import METRIC_COLUMNS

_LINK_COUNTS = ("dropped", "added", "flagged")


@dataclass(frozen=True)
class Gates:
    """Thresholds per system (over all pairs); ``None`` = not checked.

    Attributes:
        max_dropped: Most links flagged ``dropped``.
        max_added: Most links flagged ``added``.
        max_flagged: Most links with any flag.
        max_critical: Most flags of severity ``critical``.
        max_major: Most flags of severity ``major``.
        max_minor: Most flags of severity ``minor``.
        max_flags: Most flags of a kind, by kind (e.g. ``{"number_mismatch": 0}``).
        min_bleu: Least corpus BLEU (0-100).
        min_chrf: Least corpus chrF (0-100).
        min_comet: Least mean COMET.
        min_similarity: Least mean similarity (a cosine; compare within one embedder).
        max_ter: Most corpus TER (0-100; an error rate, lower is better).
        per_document: The same keys (but this one), checked on every document.
    """

    max_dropped: int | None = None
    max_added: int | None = None
    max_flagged: int | None = None
    max_critical: int | None = None
    max_major: int | None = None
    max_minor: int | None = None
    max_flags: Mapping[str, int] = field(default_factory=dict)
    min_bleu: float | None = None
    min_chrf: float | None = None
    min_comet: float | None = None
    min_similarity: float | None = None
    max_ter: float | None = None
    per_document: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "max_flags":
                _check_kinds(value)
            elif f.name == "per_document":
                _check_per_document(value)
            elif value is not None:
                _check_value(f.name, value)

    def active(self) -> dict[str, int | float]:
        """The system gates that are set, by key (``max_flags.KIND`` for kinds)."""
        out: dict[str, int | float] = {}
        for key, value in dataclasses.asdict(self).items():
            if key == "max_flags":
                out.update({f"max_flags.{k}": v for k, v in value.items()})
            elif key != "per_document" and value is not None:
                out[key] = value
        return out


def _check_value(key: str, value: object) -> None:
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if key.startswith("max_") and not _is_score_gate(key):
        ok = ok and isinstance(value, int) and value >= 0
    if not ok:
        kind = "a number" if _is_score_gate(key) else "a non-negative integer"
        raise ConfigError(f"gate {key} must be {kind}, not {value!r}")


def _is_score_gate(key: str) -> bool:
    """Whether a gate bounds a metric's score (``min_bleu``, ``max_ter``), not a count."""
    return key.split("_", 1)[1] in METRIC_COLUMNS


def _check_kinds(value: object) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"gate max_flags must be a table of flag kind to count, not {value!r}")
    for kind, count in value.items():
        if kind not in FLAG_KINDS:
            raise ConfigError(
                f"gate max_flags: unknown flag kind {kind!r} (known: {', '.join(FLAG_KINDS)})"
            )
        _check_value(f"max_flags.{kind}", count)


def _check_per_document(value: object) -> None:
    if not isinstance(value, Mapping):
        raise ConfigError(f"gate per_document must be a table of gates, not {value!r}")
    if not value:
        return
    if "per_document" in value:
        raise ConfigError("gate per_document cannot hold another per_document")
    known = {f.name for f in dataclasses.fields(Gates)}
    if unknown := sorted(set(value) - known):
        raise ConfigError(f"gate per_document: unknown key {unknown[0]!r}")
    Gates(**value)


@dataclass(frozen=True)
class GateResult:
    """One gate checked on one system.

    Attributes:
        system: System name.
        gate: Gate key, e.g. ``max_dropped``.
        threshold: The gate's value.
        value: The system's value; ``None`` when the metric was not computed.
        passed: Whether the system meets the gate.
        documents: The pairs that hold what a flag gate counts, or (for a
            ``per_document`` gate) the pairs that fail it.
    """

    system: str
    gate: str
    threshold: float
    value: float | None
    passed: bool
    documents: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for stderr, e.g. ``vendor-b: max_critical = 0, got 1 (in moscow-times)``."""
        got = "not computed" if self.value is None else f"{self.value:g}"
        shown = ", ".join(self.documents[:5])
        more = f" and {len(self.documents) - 5} more" if len(self.documents) > 5 else ""
        where = f" (in {shown}{more})" if self.documents and not self.passed else ""
        return f"{self.system}: {self.gate} = {self.threshold:g}, got {got}{where}"


def _flag_count(key: str, links: Sequence[LinkResult]) -> int:
    """Flags a ``max_<severity>`` or ``max_flags.<kind>`` gate counts among ``links``."""
    if key.startswith("max_flags."):
        kind = key.split(".", 1)[1]
        return sum(f.kind == kind for r in links for f in r.flags)
    severity = key[len("max_") :]
    return sum(f.severity == severity for r in links for f in r.flags)


def _is_flag_gate(key: str) -> bool:
    return key.startswith("max_flags.") or key[len("max_") :] in SEVERITIES


def _value(key: str, counts: Any, links: Sequence[LinkResult]) -> float | None:
    """A system's or document's value for a gate."""
    if _is_flag_gate(key):
        return _flag_count(key, links)
    name = key.split("_", 1)[1]
    if name in _LINK_COUNTS:
        return getattr(counts, name)
    if isinstance(counts, SystemSummary):
        return counts.score(name)
    return counts.scores.get(name)


def _passes(key: str, threshold: float, value: float | None) -> bool:
    if value is None:
        return False
    return value <= threshold if key.startswith("max_") else value >= threshold


def check(
    gates: Gates,
    systems: Sequence[SystemSummary],
    links: Sequence[LinkResult] = (),
    documents: Sequence[DocumentResult] = (),
) -> tuple[GateResult, ...]:
    """Check every set gate on every system, in system and gate order.

    Args:
        gates: The gates.
        systems: Every system's summary.
        links: Every link of the run (for flag gates and to name documents).
        documents: Every document's result (for ``per_document`` gates).
    """
    by_doc: dict[tuple[str, str], list[LinkResult]] = {}
    for link in links:
        by_doc.setdefault((link.system, link.pair), []).append(link)
    per_doc = Gates(**gates.per_document).active() if gates.per_document else {}
    out = []
    for summary in systems:
        rows = [r for (system, _), rs in by_doc.items() if system == summary.system for r in rs]
        for key, threshold in gates.active().items():
            value = _value(key, summary, rows)
            holding: tuple[str, ...] = ()
            if _is_flag_gate(key):
                holding = tuple(
                    pair
                    for (system, pair), rs in by_doc.items()
                    if system == summary.system and _flag_count(key, rs)
                )
            passed = _passes(key, threshold, value)
            out.append(GateResult(summary.system, key, threshold, value, passed, holding))
        docs = [d for d in documents if d.system == summary.system]
        for key, threshold in per_doc.items():
            values = {d.pair: _value(key, d, by_doc.get((d.system, d.pair), [])) for d in docs}
            failing = tuple(p for p, v in values.items() if not _passes(key, threshold, v))
            known = [v for v in values.values() if v is not None]
            worst = (max(known) if key.startswith("max_") else min(known)) if known else None
            value = None if len(known) < len(values) else worst
            out.append(
                GateResult(
                    summary.system,
                    f"per_document.{key}",
                    threshold,
                    value,
                    not failing,
                    failing,
                )
            )
    return tuple(out)
