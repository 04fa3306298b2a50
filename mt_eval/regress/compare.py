"""Compare a baseline and a current results folder: what changed, and is it real.

Links of the two runs are matched per pair and system through their source
sentences: links that share a source sentence, in either run, form one *unit*
(usually one link on each side; a merge in one run and two links in the other form
one unit of three links). Links of a bilingual file are matched by unit id
instead (:func:`by_unit_id`), so a re-delivery with units reordered or inserted
is compared unit by unit. A unit's statistics are the sums of its links', so corpus
scores over units equal corpus scores over links. An addition (no source) is a unit
of its own.

Per system (over all its pairs) and metric, the corpus scores of both runs over the
matched units are tested with sacrebleu's paired bootstrap resampling and paired
approximate randomization (:mod:`mt_eval.regress.resample`). A metric is *worse*
when the current score is lower by at least the metric's minimum effect and the
chosen test's p-value is below ``alpha``; a system *regressed* when a metric is worse
or it has more dropped or added links than in the baseline.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from mt_eval.errors import ConfigError, InputError
from mt_eval.metrics.base import higher_is_better
from mt_eval.regress import statsfile
from mt_eval.regress.defaults import (
    ALPHA,
    AR_TRIALS,
    BOOTSTRAP_SAMPLES,
    COUNTS,
    DEFAULT_MIN_EFFECT,
    FAIL_ON,
)
from mt_eval.regress.resample import (
    paired_ar,
    paired_bootstrap,
    total_score,
)
from mt_eval.regress.statistic import CorpusStatistic, statistic_for
from mt_eval.report import ids, unsafe_text

SCALE = {"bleu": 100.0, "chrf": 100.0, "ter": 100.0, "comet": 1.0, "similarity": 1.0}
"""Score range of each metric; a unit's damage adds score losses divided by it."""


@dataclass(frozen=True)
class Settings:
    """How runs are compared.

    Attributes:
        alpha: Significance level.
        test: The test that decides: ``"ar"`` (approximate randomization, sacrebleu's
            default) or ``"bs"`` (paired bootstrap). Both are always reported.
        min_effect: Least score change that counts, by metric (defaults:
            :data:`DEFAULT_MIN_EFFECT`).
        seed: Seed of both tests.
        bootstrap_samples: Resamples of the paired bootstrap.
        ar_trials: Shuffles of approximate randomization.
        fail_on: Counts (of :data:`COUNTS`) whose rise fails the comparison.
    """

    alpha: float = ALPHA
    test: str = "ar"
    min_effect: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MIN_EFFECT))
    seed: int = 0
    bootstrap_samples: int = BOOTSTRAP_SAMPLES
    ar_trials: int = AR_TRIALS
    fail_on: tuple[str, ...] = FAIL_ON

    def __post_init__(self) -> None:
        if self.test not in ("ar", "bs"):
            raise ConfigError(f"test must be 'ar' or 'bs', not {self.test!r}")
        if unknown := [c for c in self.fail_on if c not in COUNTS]:
            raise ConfigError(f"fail_on: unknown count {unknown[0]!r} (known: {', '.join(COUNTS)})")
        if not 0 < self.alpha < 1:
            raise ConfigError(f"alpha must be between 0 and 1, not {self.alpha!r}")
        if min(self.bootstrap_samples, self.ar_trials) < 1:
            raise ConfigError("bootstrap_samples and ar_trials must be at least 1")


@dataclass(frozen=True)
class LinkRecord:
    """One link of a results folder: ``segments.csv`` row and ``stats.jsonl`` statistics."""

    pair: str
    system: str
    src: tuple[int, ...]
    tgt_ids: str
    src_text: str
    tgt_text: str
    ref_text: str
    flags: tuple[str, ...]
    stats: Mapping[str, Any]
    severity: str = ""
    unit: str = ""
    original: str = ""


@dataclass(frozen=True)
class Results:
    """A results folder read back.

    Attributes:
        folder: The folder.
        links: Every link, in file order.
        kinds: Metric name to ``"counts"`` or ``"mean"``.
        signatures: Metric signatures from ``run.json``.
        options: Metric configuration keys from ``run.json``.
        seed: The run's seed.
        columns: Metric name to its report column (``chrf++``) from ``run.json``.
    """

    folder: Path
    links: tuple[LinkRecord, ...]
    kinds: Mapping[str, str]
    signatures: Mapping[str, str]
    options: Mapping[str, Mapping[str, Any]]
    seed: int
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    """Matched links of one pair and system: those sharing source sentences."""

    pair: str
    system: str
    src: tuple[int, ...]
    old: tuple[LinkRecord, ...]
    new: tuple[LinkRecord, ...]


@dataclass(frozen=True)
class MetricChange:
    """One metric of one system, baseline against current.

    Attributes:
        system: System name.
        metric: Metric name, or a count (``dropped``, ``added``, ``flagged``).
        baseline: Baseline value (``None``: not computed).
        current: Current value.
        p_bootstrap: Paired bootstrap p-value (metrics only).
        p_ar: Approximate randomization p-value (metrics only).
        verdict: ``worse``, ``better``, ``unchanged``, ``not computed`` or
            ``not comparable (...)``.
        fails: Whether this change fails the comparison (exit 1).
        details: For a count that rose, the links that newly have it (``pair``,
            source ids and flags), at most :data:`DETAILS`.
    """

    system: str
    metric: str
    baseline: float | None
    current: float | None
    p_bootstrap: float | None = None
    p_ar: float | None = None
    verdict: str = "unchanged"
    fails: bool = False
    details: tuple[str, ...] = ()

    @property
    def delta(self) -> float | None:
        """Current minus baseline."""
        if self.baseline is None or self.current is None:
            return None
        return self.current - self.baseline

    def describe(self) -> str:
        """One line, e.g. ``vendor-b: chrf 93.03 -> 80.10 (-12.93, p_ar 0.0001)``."""
        p = f", p_ar {self.p_ar:.4g}, p_bs {self.p_bootstrap:.4g}" if self.p_ar is not None else ""
        new = f"; new: {', '.join(self.details)}" if self.details else ""
        return (
            f"{self.system}: {self.metric} {self.baseline:.4g} -> {self.current:.4g} "
            f"({self.delta:+.4g}{p}{new})"
        )


UnitScores = Mapping[str, tuple[float | None, float | None]]
"""A unit's baseline and current score per compared metric (``None``: not scored)."""


@dataclass(frozen=True)
class Comparison:
    """Everything ``compare`` found.

    Attributes:
        units: Matched units, most damaged first, with their damage and their scores
            on both sides.
        changes: Per system, one change per metric and count.
        warnings: Systems or pairs found in one run only, metrics not comparable.
    """

    units: tuple[tuple[Unit, float, UnitScores], ...]
    changes: tuple[MetricChange, ...]
    warnings: tuple[str, ...]

    @property
    def failures(self) -> tuple[MetricChange, ...]:
        """The changes that make the comparison fail."""
        return tuple(c for c in self.changes if c.fails)


def _src(ids: str) -> tuple[int, ...]:
    return tuple(int(i) - 1 for i in ids.split("+")) if ids else ()


def load_results(folder: Path) -> Results:
    """Read ``segments.csv``, ``stats.jsonl`` and ``run.json`` of a results folder.

    Raises:
        InputError: A file is missing or malformed, or the files disagree.
    """
    if not folder.is_dir():
        raise InputError(f"{folder}: not a results folder")
    kinds, stats = statsfile.read(folder)
    rows = _read_segments(folder / "segments.csv")
    meta = _read_meta(folder / "run.json")
    if len(rows) != len(stats):
        raise InputError(f"{folder}: segments.csv has {len(rows)} rows, stats.jsonl {len(stats)}")
    seg_path = folder / "segments.csv"
    links = []
    for number, (row, st) in enumerate(zip(rows, stats, strict=True), 2):
        key = (unsafe_text(row["pair"]), unsafe_text(row["system"]), row["src_ids"], row["tgt_ids"])
        if key != (st.pair, st.system, st.src_ids, st.tgt_ids):
            raise InputError(f"{seg_path}:{number}: row does not match stats.jsonl")
        try:
            src = _src(st.src_ids)
        except ValueError:
            raise InputError(f"{seg_path}:{number}: src_ids {st.src_ids!r} are not ids") from None
        links.append(
            LinkRecord(
                pair=st.pair,
                system=st.system,
                src=src,
                tgt_ids=st.tgt_ids,
                src_text=unsafe_text(row["src_text"]),
                tgt_text=unsafe_text(row["tgt_text"]),
                ref_text=unsafe_text(row["ref_text"]),
                flags=tuple(f for f in row["flags"].split(";") if f),
                stats=st.stats,
                severity=row.get("severity", ""),
                unit=unsafe_text(row.get("unit", "")),
                original=unsafe_text(row.get("original", "")),
            )
        )
    config = meta.get("config", {})
    signatures, options = (
        meta.get("signatures", {}),
        config.get("metrics", {}) if isinstance(config, dict) else None,
    )
    seed = config.get("seed", 0) if isinstance(config, dict) else None
    if not (isinstance(signatures, dict) and isinstance(options, dict)) or type(seed) is not int:
        raise InputError(f"{folder / 'run.json'}: malformed signatures, metrics or seed")
    columns = meta.get("columns", {})
    if not isinstance(columns, dict):
        raise InputError(f"{folder / 'run.json'}: malformed columns")
    return Results(
        folder=folder,
        links=tuple(links),
        kinds=kinds,
        signatures=signatures,
        options=options,
        seed=seed,
        columns=columns,
    )


SEGMENT_FIELDS = ("pair", "system", "src_ids", "tgt_ids", "src_text", "tgt_text", "ref_text")
"""Columns of ``segments.csv`` that compare reads."""


def _read_segments(path: Path) -> list[dict[str, str]]:
    """The rows of ``segments.csv``, with every column compare needs.

    Raises:
        InputError: Unreadable, not UTF-8, not CSV, or a column missing.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh, strict=True)
            missing = [c for c in (*SEGMENT_FIELDS, "flags") if c not in (reader.fieldnames or ())]
            if missing:
                raise InputError(f"{path}:1: no {missing[0]!r} column")
            rows = []
            for row in reader:
                if None in row or None in row.values():
                    raise InputError(f"{path}:{reader.line_num}: wrong number of cells")
                rows.append(row)
            return rows
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8") from None
    except csv.Error as exc:
        raise InputError(f"{path}: malformed CSV ({exc})") from None


def _read_meta(path: Path) -> dict[str, Any]:
    """``run.json`` as a mapping.

    Raises:
        InputError: Unreadable, not UTF-8 JSON, or not an object.
    """
    try:
        meta = json.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: malformed JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise InputError(f"{path}: not a JSON object")
    return meta


def match_units(old: Sequence[LinkRecord], new: Sequence[LinkRecord]) -> list[Unit]:
    """Group the links of one pair and system of two runs into units sharing sources.

    Raises:
        InputError: The two runs have different source text for the same sentences.
    """
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in (*old, *new):
        for i in link.src[1:]:
            parent[find(i)] = find(link.src[0])
        if link.src:
            find(link.src[0])
    groups: dict[int, tuple[list[LinkRecord], list[LinkRecord]]] = {}
    units = []
    for side, links in enumerate((old, new)):
        for link in links:
            if not link.src:
                sides = ((link,), ()) if side == 0 else ((), (link,))
                units.append(Unit(link.pair, link.system, (), *sides))
                continue
            groups.setdefault(find(link.src[0]), ([], []))[side].append(link)
    for old_links, new_links in groups.values():
        first = (old_links or new_links)[0]
        if not (old_links and new_links):
            run = "baseline" if old_links else "current"
            raise InputError(
                f"{first.pair}/{first.system}: source sentences {ids(first.src)} are in the "
                f"{run} run only; compare needs runs of the same source documents"
            )
        src = tuple(sorted({i for lk in (*old_links, *new_links) for i in lk.src}))
        texts = [" ".join(lk.src_text for lk in side) for side in (old_links, new_links)]
        if old_links and new_links and texts[0] != texts[1]:
            raise InputError(
                f"{first.pair}/{first.system}: source sentences {ids(src)} differ between the "
                "runs; compare needs runs of the same source documents"
            )
        units.append(Unit(first.pair, first.system, src, tuple(old_links), tuple(new_links)))
    return sorted(units, key=lambda u: (u.src[0] if u.src else float("inf"), u.src))


def _unit_rows(
    stat: CorpusStatistic, units: Sequence[Unit]
) -> tuple[np.ndarray, np.ndarray, list[bool], list[bool]]:
    """Baseline and current rows, one per unit: the sums of its links' rows on that side.

    A side with no scored link has a row of zeros; the two lists say which sides
    scored any link.
    """
    sides: tuple[list[Any], list[Any]] = ([], [])
    for unit in units:
        for rows, links in zip(sides, (unit.old, unit.new), strict=True):
            values = [v for v in (lk.stats.get(stat.name) for lk in links) if v is not None]
            rows.append(stat.matrix(values).sum(axis=0) if values else None)
    widths = {len(r) for side in sides for r in side if r is not None}
    if len(widths) > 1:
        raise InputError(f"{stat.name}: statistics of the two runs have different lengths")
    width = widths.pop() if widths else (0 if stat.counts else 2)
    dtype = stat.dtype
    zero = np.zeros(width, dtype)
    old, new = (
        np.array([zero if r is None else r for r in side], dtype=dtype).reshape(len(side), width)
        for side in sides
    )
    return old, new, [r is not None for r in sides[0]], [r is not None for r in sides[1]]


def _row_score(stat: CorpusStatistic, total: np.ndarray) -> float:
    """A unit side's score from its summed row: the segment score of counts, or the mean."""
    if stat.counts:
        return float(stat.scorer.segment_score(tuple(total.tolist())))
    return stat.score(total)


def damage(unit: Unit, scores: UnitScores) -> float:
    """How much worse a unit got: flags gained minus lost, plus scaled score drops.

    A side with no score counts as 0 here (a dropped translation loses its score).
    """
    old_flags = {f for lk in unit.old for f in lk.flags}
    new_flags = {f for lk in unit.new for f in lk.flags}
    value = float(len(new_flags - old_flags) - len(old_flags - new_flags))
    for name, (old, new) in scores.items():
        if old is not None or new is not None:
            loss = (old or 0.0) - (new or 0.0)
            value += (loss if higher_is_better(name) else -loss) / SCALE.get(name, 1.0)
    return value


def _verdict(name: str, base: float, cur: float, p: float, settings: Settings) -> tuple[str, bool]:
    delta = cur - base if higher_is_better(name) else base - cur  # > 0: better
    big = delta != 0 and abs(delta) >= settings.min_effect.get(name, 0.0)
    if big and p < settings.alpha:
        return ("worse", True) if delta < 0 else ("better", False)
    return "unchanged", False


def _metric_change(
    system: str,
    stat: CorpusStatistic,
    old: np.ndarray,
    new: np.ndarray,
    settings: Settings,
) -> MetricChange:
    """One metric's change over a system's units (rows from :func:`_unit_rows`)."""
    if not old.any() or not new.any():  # a side with no scored unit
        return MetricChange(system, stat.name, None, None, verdict="not computed")
    base, cur = total_score(stat, old), total_score(stat, new)
    p_bs = paired_bootstrap(stat, old, new, settings.bootstrap_samples, settings.seed)
    p_ar = paired_ar(stat, old, new, settings.ar_trials, settings.seed)
    verdict, fails = _verdict(
        stat.name, base, cur, p_ar if settings.test == "ar" else p_bs, settings
    )
    return MetricChange(system, stat.name, base, cur, p_bs, p_ar, verdict, fails)


DETAILS = 5
"""Most links a count change names."""


def _where(link: LinkRecord) -> str:
    """A link named for a person: its unit id when it has one, else its source ids."""
    if link.unit:
        return f"unit {link.unit}"
    return f"source {ids(link.src) or '-'}"


def _count_change(
    system: str, name: str, units: Sequence[Unit], fail_on: Sequence[str] = FAIL_ON
) -> MetricChange:
    def counted(link: LinkRecord) -> bool:
        if name == "flagged":
            return bool(link.flags)
        if name in ("critical", "major"):
            return link.severity == name
        return name in link.flags

    base = sum(counted(lk) for u in units for lk in u.old)
    cur = sum(counted(lk) for u in units for lk in u.new)
    verdict = "worse" if cur > base else "better" if cur < base else "unchanged"
    details: list[str] = []
    if verdict == "worse":
        for unit in units:
            if sum(map(counted, unit.new)) > sum(map(counted, unit.old)):
                details += [
                    f"{lk.pair} {_where(lk)} ({'; '.join(lk.flags)})"
                    for lk in unit.new
                    if counted(lk)
                ]
    fails = verdict == "worse" and name in fail_on
    return MetricChange(
        system, name, base, cur, verdict=verdict, fails=fails, details=tuple(details[:DETAILS])
    )


def by_unit_id(old: Sequence[LinkRecord], new: Sequence[LinkRecord]) -> list[LinkRecord]:
    """Baseline links of a bilingual pair renumbered to the current run's units by id.

    In a bilingual file a link's source position is its unit's place in the file, so
    a re-delivery with units reordered or inserted would match the wrong units by
    position. When every link of both runs carries a unit id, unique per run, each
    baseline link takes the source ids of the current link with the same
    ``(original, unit)``; a unit the current run lacks gets ids of its own, which
    :func:`match_units` reports as a different source. Otherwise ``old`` is returned
    as is.
    """
    key_lists = [[(lk.original, lk.unit) for lk in side] for side in (old, new)]
    if not all(unit for keys in key_lists for _, unit in keys) or any(
        len(set(keys)) < len(keys) for keys in key_lists
    ):
        return list(old)
    position = {(lk.original, lk.unit): lk.src for lk in new}
    fresh = max((i for lk in (*old, *new) for i in lk.src), default=-1) + 1
    renumbered = []
    for link in old:
        src = position.get((link.original, link.unit))
        if src is None:
            src, fresh = (fresh,), fresh + 1
        renumbered.append(dataclasses.replace(link, src=src))
    return renumbered


def _by_pair_system(links: Sequence[LinkRecord]) -> dict[tuple[str, str], list[LinkRecord]]:
    """Links grouped by pair and system, in order of first appearance."""
    groups: dict[tuple[str, str], list[LinkRecord]] = {}
    for link in links:
        groups.setdefault((link.pair, link.system), []).append(link)
    return groups


def compare(baseline: Results, current: Results, settings: Settings) -> Comparison:
    """Match two runs and test every system's change.

    Raises:
        InputError: The runs have different sources for a pair.
    """
    warnings: list[str] = []
    old_links, new_links = _by_pair_system(baseline.links), _by_pair_system(current.links)
    for label, only in (
        ("baseline", old_links.keys() - new_links.keys()),
        ("current", new_links.keys() - old_links.keys()),
    ):
        for pair, system in sorted(only):
            warnings.append(f"{pair}/{system} is only in the {label} run; not compared")
    stats: dict[str, CorpusStatistic] = {}
    for name in dict.fromkeys([*baseline.kinds, *current.kinds]):
        if name not in baseline.kinds or name not in current.kinds:
            warnings.append(f"{name} is in one run only; not compared")
            continue
        if baseline.signatures.get(name) != current.signatures.get(name):
            warnings.append(
                f"{name}: signatures differ ({baseline.signatures.get(name)} vs "
                f"{current.signatures.get(name)}); not compared"
            )
            continue
        stats[name] = statistic_for(name, options=dict(current.options.get(name, {})))
    units_by_system: dict[str, list[Unit]] = {}
    for (pair, system), new in new_links.items():
        if (pair, system) in old_links:
            old = by_unit_id(old_links[pair, system], new)
            units_by_system.setdefault(system, []).extend(match_units(old, new))
    if not units_by_system:
        raise InputError(
            f"{baseline.folder} and {current.folder} have no pair and system in common"
        )
    changes = []
    scored: list[tuple[Unit, float, UnitScores]] = []
    for system, units in units_by_system.items():
        unit_scores: list[dict[str, tuple[float | None, float | None]]] = [{} for _ in units]
        for stat in stats.values():
            old, new, old_scored, new_scored = _unit_rows(stat, units)
            changes.append(_metric_change(system, stat, old, new, settings))
            for k, scores in enumerate(unit_scores):
                scores[stat.name] = (
                    _row_score(stat, old[k]) if old_scored[k] else None,
                    _row_score(stat, new[k]) if new_scored[k] else None,
                )
        changes += [_count_change(system, name, units, settings.fail_on) for name in COUNTS]
        scored += [(u, damage(u, sc), sc) for u, sc in zip(units, unit_scores, strict=True)]
    scored.sort(key=lambda item: -item[1])
    return Comparison(tuple(scored), tuple(changes), tuple(warnings))
