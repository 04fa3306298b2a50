"""Quality gates: thresholds every system must meet after a run (``[gates]``).

A gate on a metric the run could not compute (e.g. ``min_comet`` while the COMET
column is empty) fails with the value "not computed": a gate that cannot be checked
never passes silently.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from mt_eval.errors import ConfigError
from mt_eval.regress.systems import SystemSummary


@dataclass(frozen=True)
class Gates:
    """Thresholds per system (over all pairs); ``None`` = not checked.

    Attributes:
        max_dropped: Most links flagged ``dropped``.
        max_added: Most links flagged ``added``.
        max_flagged: Most links with any flag.
        min_bleu: Least corpus BLEU (0-100).
        min_chrf: Least corpus chrF (0-100).
        min_comet: Least mean COMET.
        min_similarity: Least mean similarity (a cosine; compare within one embedder).
    """

    max_dropped: int | None = None
    max_added: int | None = None
    max_flagged: int | None = None
    min_bleu: float | None = None
    min_chrf: float | None = None
    min_comet: float | None = None
    min_similarity: float | None = None

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            ok = isinstance(value, int | float) and not isinstance(value, bool)
            if f.name.startswith("max_"):
                ok = ok and isinstance(value, int) and value >= 0
            if not ok:
                kind = "a non-negative integer" if f.name.startswith("max_") else "a number"
                raise ConfigError(f"gate {f.name} must be {kind}, not {value!r}")

    def active(self) -> dict[str, int | float]:
        """The gates that are set, by key."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True)
class GateResult:
    """One gate checked on one system.

    Attributes:
        system: System name.
        gate: Gate key, e.g. ``max_dropped``.
        threshold: The gate's value.
        value: The system's value; ``None`` when the metric was not computed.
        passed: Whether the system meets the gate.
    """

    system: str
    gate: str
    threshold: float
    value: float | None
    passed: bool

    def describe(self) -> str:
        """One line for stderr, e.g. ``vendor-b: max_dropped = 0, got 3``."""
        got = "not computed" if self.value is None else f"{self.value:g}"
        return f"{self.system}: {self.gate} = {self.threshold:g}, got {got}"


def check(gates: Gates, systems: Sequence[SystemSummary]) -> tuple[GateResult, ...]:
    """Check every set gate on every system, in system and gate order."""
    out = []
    for summary in systems:
        for key, threshold in gates.active().items():
            kind, name = key.split("_", 1)
            value: float | None
            if name in ("dropped", "added", "flagged"):
                value = getattr(summary, name)
            else:
                value = summary.score(name)
            if value is None:
                passed = False
            else:
                passed = value <= threshold if kind == "max" else value >= threshold
            out.append(GateResult(summary.system, key, threshold, value, passed))
    return tuple(out)
