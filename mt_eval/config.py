"""Run configuration: TOML files, quick-mode options, and their validation.

Precedence is defaults < TOML < command line. Every TOML key is the name of a
constructor argument, so the reference in the README is also the API:

======================  ====================================================
TOML                    constructor
======================  ====================================================
top-level keys          :class:`RunSettings`
``[[pairs]]``           :class:`PairConfig` (``[pairs.systems]``: name = path, or
                        name = a table of :class:`mt_eval.deliveries.Delivery` keys)
``[align]``             keyword arguments of :func:`mt_eval.align.align`
``[flags]``             :class:`mt_eval.flags.FlagSettings`
``[bleu]``, ``[chrf]``,  keyword arguments of that metric's class
``[similarity]``,
``[comet]``
``[gates]``             :class:`mt_eval.regress.gates.Gates`
======================  ====================================================

Unknown keys are errors that name the file and the key. Paths in a config file
are relative to the file.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt_eval.cache import DEFAULT_CACHE_DIR
from mt_eval.deliveries import Delivery
from mt_eval.errors import ConfigError, InputError
from mt_eval.languages import normalize_lang

DEFAULT_METRICS = ("bleu", "chrf", "comet", "similarity")


@dataclass(frozen=True)
class PairConfig:
    """One source document and the translations of it to evaluate.

    Attributes:
        name: Pair name used in every output row.
        source: Source document path; ``None`` for a pair of bilingual files (XLIFF,
            TMX, PO), whose first system's file gives the source, one unit per link.
        source_lang: Source language code.
        target_lang: Language code of the systems (and of the reference).
        systems: ``(system name, delivery)`` in config order; a delivery is a file
            and its form (:class:`mt_eval.deliveries.Delivery`). A plain path is
            taken as ``Delivery(path)`` (form from the file's suffix).
        reference: Reference translation paths, in order (empty: none). One path
            is taken as a tuple of one. BLEU, chrF and TER score against every
            reference (sacrebleu's multi-reference scores); COMET uses the first.
        aligned: Inputs are already segment-aligned: line i of each file forms link i.
        split_units: For a pair of bilingual files: split each unit into sentences
            and align them within the unit (a long unit then gives several links),
            rather than one link per unit.
    """

    name: str
    source: Path | None
    source_lang: str
    target_lang: str
    systems: tuple[tuple[str, Delivery], ...]
    reference: tuple[Path, ...] = ()
    aligned: bool = False
    split_units: bool = False

    def __post_init__(self) -> None:
        if self.split_units and self.source is not None:
            raise ConfigError(
                f"pair {self.name!r}: split_units is for bilingual files (a pair with no source)"
            )
        systems = tuple(
            (name, d if isinstance(d, Delivery) else Delivery(Path(d))) for name, d in self.systems
        )
        object.__setattr__(self, "systems", systems)
        refs = self.reference
        refs = () if refs is None else (refs,) if isinstance(refs, str | Path) else refs
        object.__setattr__(self, "reference", tuple(Path(r) for r in refs))
        if self.source is None:
            object.__setattr__(self, "aligned", True)  # one unit is one link


@dataclass(frozen=True)
class RunSettings:
    """Settings of a whole run (the top-level keys of a config file).

    Attributes:
        embedder: Sentence embedder for alignment and the ``similarity`` metric:
            ``"use"`` (bundled multilingual USE, fast), ``"e5"`` (bundled
            multilingual-e5-small) or ``"sbert:NAME_OR_PATH"``.
        threads: CPU threads a model may use. 1 is the fastest on small shared machines.
        seed: Seed for every random choice (alignment normalisation samples).
        metrics: Metrics to compute, from ``bleu``, ``chrf``, ``comet``, ``similarity``, ``ter``.
        cache_dir: Folder of the on-disk cache of embeddings and model scores
            (``~`` is expanded); an empty string turns the cache off.
        jobs: Worker processes (or Ray actors) evaluating documents in parallel;
            the outputs are the same for any number.
        executor: ``"local"`` (this machine) or ``"ray"`` (a Ray cluster).
        ray_address: Address of a running Ray cluster; empty starts a local one.
        second_opinion: A second embedder (same names as ``embedder``) that must agree
            before a link is flagged ``mistranslation``, or a merged link ``dropped`` /
            ``added`` for being no closer than unrelated text: it re-scores only those
            candidate links against a sample of the document's other links
            (:func:`mt_eval.flags.margin.candidate_margins`). ``"e5"`` (trained on about
            100 languages, Indonesian included) by default; ``""``, or the run's own
            ``embedder``, turns it off.
    """

    embedder: str = "use"
    threads: int = 1
    seed: int = 0
    metrics: tuple[str, ...] = DEFAULT_METRICS
    cache_dir: str = DEFAULT_CACHE_DIR
    jobs: int = 1
    executor: str = "local"
    ray_address: str = ""
    second_opinion: str = "e5"


@dataclass(frozen=True)
class RunConfig:
    """A resolved run: what to evaluate and how.

    Attributes:
        pairs: The pairs to evaluate.
        settings: Run-wide settings.
        align: Keyword arguments for the aligner.
        flags: Keyword arguments for :class:`mt_eval.flags.FlagSettings`.
        metrics: Per-metric keyword arguments, by metric name.
        path: The config file, if the run came from one.
        gates: Keyword arguments for :class:`mt_eval.regress.gates.Gates`.
    """

    pairs: tuple[PairConfig, ...]
    settings: RunSettings = RunSettings()
    align: Mapping[str, Any] = field(default_factory=dict)
    flags: Mapping[str, Any] = field(default_factory=dict)
    metrics: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    gates: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready view of the resolved configuration (for ``run.json``)."""
        return {
            "config_file": str(self.path) if self.path else None,
            **{k: _plain(v) for k, v in dataclasses.asdict(self.settings).items()},
            "pairs": [
                {
                    "name": p.name,
                    "source": str(p.source) if p.source else None,
                    "source_lang": p.source_lang,
                    "target_lang": p.target_lang,
                    "reference": _references_dict(p.reference),
                    "aligned": p.aligned,
                    "systems": {name: _delivery_dict(d) for name, d in p.systems},
                }
                for p in self.pairs
            ],
            "align": self.resolved_align(),
            "flags": self.resolved_flags(),
            "metrics": self.resolved_metrics(),
            "gates": dict(self.gates),
        }

    def resolved_align(self) -> dict[str, Any]:
        """Every aligner setting: the defaults with the config's ``[align]`` over them."""
        import inspect

        from mt_eval.align import align

        given = inspect.signature(align).parameters
        defaults = {
            k: p.default
            for k, p in given.items()
            if p.kind is inspect.Parameter.KEYWORD_ONLY or p.default is not inspect.Parameter.empty
        }
        defaults.pop("seed", None)  # the run's seed (above) is the aligner's
        return {k: _plain(v) for k, v in {**defaults, **self.align}.items()}

    def resolved_flags(self) -> dict[str, Any]:
        """Every flag setting: :class:`mt_eval.flags.FlagSettings` with ``[flags]`` applied."""
        from mt_eval.flags import FlagSettings

        return {k: _plain(v) for k, v in dataclasses.asdict(FlagSettings(**self.flags)).items()}

    def resolved_metrics(self) -> dict[str, dict[str, Any]]:
        """Every option of each metric of the run: defaults, then :meth:`metric_kwargs`."""
        from mt_eval.metrics import metric_options

        resolved = {}
        for name in dict.fromkeys([*self.settings.metrics, *self.metrics]):
            options = {**metric_options(name), **self.metric_kwargs(name)}
            resolved[name] = {k: _plain(v) for k, v in options.items()}
        return resolved

    def metric_columns(self) -> dict[str, str]:
        """Each metric of the run to its report column, in the run's metric order.

        A column is the metric's name, or its variant's: ``chrf++`` for chrF with
        ``word_order = 2``.
        """
        from mt_eval.metrics.base import metric_class

        return {
            name: metric_class(name).column_for(self.metric_kwargs(name))
            for name in self.settings.metrics
        }

    def metric_kwargs(self, name: str) -> dict[str, Any]:
        """A metric's configuration keys: ``[metrics.NAME]`` over the run's own settings.

        ``similarity`` uses the run's embedder and threads unless told otherwise, and
        ``comet`` the run's threads.
        """
        run = {
            "similarity": {"embedder": self.settings.embedder, "threads": self.settings.threads},
            "comet": {"threads": self.settings.threads},
        }.get(name, {})
        return {**run, **self.metrics.get(name, {})}


def _references_dict(paths: tuple[Path, ...]) -> str | list[str] | None:
    """A pair's references as its config writes them: none, one path, or a list."""
    if len(paths) < 2:
        return str(paths[0]) if paths else None
    return [str(p) for p in paths]


def _delivery_dict(delivery: Delivery) -> str | dict[str, str]:
    if delivery.kind == "text":
        return str(delivery.path)
    return {k: str(v) for k, v in dataclasses.asdict(delivery).items()} | {"format": delivery.kind}


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _accepted_keys(target: Callable[..., Any] | type | Mapping[str, Any]) -> set[str]:
    if isinstance(target, Mapping):
        return set(target)
    if dataclasses.is_dataclass(target):
        return {f.name for f in dataclasses.fields(target)}
    params = inspect.signature(target).parameters.values()
    return {p.name for p in params if p.kind is inspect.Parameter.KEYWORD_ONLY}


def check_keys(table: Mapping[str, Any], target: Any, where: str) -> None:
    """Raise ConfigError naming the first key of ``table`` that ``target`` does not accept.

    Args:
        table: Keys given by the user.
        target: A dataclass, a function whose keyword-only arguments are the keys, or a
            mapping whose keys are the accepted keys.
        where: Prefix naming the file and table, e.g. ``"configs/x.toml: [flags]"``.
    """
    accepted = _accepted_keys(target)
    for key in table:
        if key not in accepted:
            raise ConfigError(
                f"{where}: unknown key {key!r} (known: {', '.join(sorted(accepted))})"
            )


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"{where}: expected {names}, got {value!r}")
    return value


EXECUTORS = ("local", "ray")
"""Values of ``executor`` (see :mod:`mt_eval.executor`)."""


def _settings(table: Mapping[str, Any], where: str) -> RunSettings:
    check_keys(table, RunSettings, where)
    values: dict[str, Any] = dict(table)
    for key in ("embedder", "cache_dir", "executor", "ray_address", "second_opinion"):
        if key in values:
            _expect(values[key], str, f"{where}: {key}")
    for key in ("threads", "seed", "jobs"):
        if key in values:
            _expect(values[key], int, f"{where}: {key}")
    for key in ("threads", "jobs"):
        if values.get(key, 1) < 1:
            raise ConfigError(f"{where}: {key} must be at least 1")
    if values.get("executor", "local") not in EXECUTORS:
        raise ConfigError(
            f"{where}: executor must be one of {', '.join(EXECUTORS)}, not {values['executor']!r}"
        )
    if "metrics" in values:
        metrics = _expect(values["metrics"], list, f"{where}: metrics")
        values["metrics"] = tuple(_expect(m, str, f"{where}: metrics") for m in metrics)
        from mt_eval.metrics import known_metrics

        unknown = set(values["metrics"]) - set(known_metrics())
        if unknown:
            known = ", ".join(known_metrics())
            raise ConfigError(f"{where}: unknown metric {sorted(unknown)[0]!r} (known: {known})")
    return RunSettings(**values)


def _lang(code: Any, where: str) -> str:
    try:
        return normalize_lang(code, where=where)
    except InputError as exc:
        raise ConfigError(str(exc)) from None


def _path(value: Any, base: Path, where: str) -> Path:
    _expect(value, str, where)
    path = Path(value)
    return path if path.is_absolute() else Path(os.path.normpath(base / path))


def _delivery(value: Any, base: Path, where: str) -> Delivery:
    """A system entry: a path, or a table of :class:`Delivery` arguments."""
    if not isinstance(value, dict):
        return Delivery(_path(value, base, where))
    check_keys(value, Delivery, where)
    if "path" not in value:
        raise ConfigError(f"{where}: missing key 'path'")
    try:
        return Delivery(**{**value, "path": _path(value["path"], base, f"{where}.path")})
    except (ConfigError, TypeError) as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _pair(table: Mapping[str, Any], base: Path, where: str) -> PairConfig:
    _expect(table, dict, where)
    check_keys(table, PairConfig, where)
    for key in ("name", "source_lang", "target_lang", "systems"):
        if key not in table:
            raise ConfigError(f"{where}: missing key {key!r}")
    systems = _expect(table["systems"], dict, f"{where}.systems")
    if not systems:
        raise ConfigError(f"{where}.systems: give at least one system (name = path)")
    name = _expect(table["name"], str, f"{where}.name")
    if not name.strip():
        raise ConfigError(f"{where}.name: must not be empty")
    source_lang = _lang(table["source_lang"], f"{where}.source_lang: ")
    target_lang = _lang(table["target_lang"], f"{where}.target_lang: ")
    reference = table.get("reference")
    split_units = _expect(table.get("split_units", False), bool, f"{where}.split_units")
    if split_units and "source" in table:
        raise ConfigError(f"{where}.split_units: is for bilingual files (a pair with no source)")
    return PairConfig(
        name=name,
        source=_path(table["source"], base, f"{where}.source") if "source" in table else None,
        source_lang=source_lang,
        target_lang=target_lang,
        systems=tuple(
            (sys_name, _delivery(value, base, f"{where}.systems.{sys_name}"))
            for sys_name, value in systems.items()
        ),
        reference=_reference_paths(reference, base, f"{where}.reference"),
        aligned=_expect(table.get("aligned", False), bool, f"{where}.aligned"),
        split_units=split_units,
    )


def _reference_paths(value: Any, base: Path, where: str) -> tuple[Path, ...]:
    """A pair's ``reference``: a path, or a list of paths (several references)."""
    if value is None:
        return ()
    if isinstance(value, list):
        if not value:
            raise ConfigError(f"{where}: give a path or a list of paths, not []")
        return tuple(_path(v, base, f"{where}[{i}]") for i, v in enumerate(value))
    return (_path(value, base, where),)


def _tables(data: Mapping[str, Any], where: str, base: Path) -> tuple[dict, dict, dict]:
    from mt_eval.align import align
    from mt_eval.align.aligner import check_settings as check_align_settings
    from mt_eval.flags import FlagSettings
    from mt_eval.metrics import build_metric, known_metrics, metric_options

    align_kw = _expect(data.get("align", {}), dict, f"{where}: [align]")
    check_keys(align_kw, align, f"{where}: [align]")
    if "seed" in align_kw:  # the aligner gets the run's seed
        raise ConfigError(f"{where}: [align]: seed is set at the top level, not in [align]")
    try:
        check_align_settings(**align_kw)  # bad values surface now, naming the table
    except ConfigError as exc:
        raise ConfigError(f"{where}: [align]: {exc}") from None
    flags_kw = _expect(data.get("flags", {}), dict, f"{where}: [flags]")
    check_keys(flags_kw, FlagSettings, f"{where}: [flags]")
    try:
        FlagSettings(**flags_kw)  # bad values surface now, naming the table
    except (ConfigError, TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: [flags]: {exc}") from None
    metrics_kw = {}
    for name in known_metrics():
        if name in data:
            kwargs = _expect(data[name], dict, f"{where}: [{name}]")
            if name == "comet":
                kwargs = _comet_paths(kwargs, base)
            check_keys(kwargs, metric_options(name), f"{where}: [{name}]")
            try:
                build_metric(name, **kwargs)
            except ConfigError as exc:
                raise ConfigError(f"{where}: [{name}]: {exc}") from None
            metrics_kw[name] = kwargs
    return align_kw, flags_kw, metrics_kw


def _gates(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    from mt_eval.regress.gates import Gates

    table = _expect(data.get("gates", {}), dict, f"{where}: [gates]")
    check_keys(table, Gates, f"{where}: [gates]")
    try:
        Gates(**table)  # bad values surface now, naming the table
    except ConfigError as exc:
        raise ConfigError(f"{where}: [gates]: {exc}") from None
    return dict(table)


def _comet_paths(table: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """COMET model paths made absolute (relative to ``base``); hub ids kept as given."""
    from mt_eval.metrics.comet_loading import local_model_path

    return {
        k: local_model_path(v, base)
        if k in ("comet_model", "comet_qe_model") and isinstance(v, str)
        else v
        for k, v in table.items()
    }


def with_comet_options(
    config: RunConfig, model: str | None = None, off: bool = False, **options: Any
) -> RunConfig:
    """Apply the command line's COMET options to a resolved run.

    Args:
        config: The run.
        model: One model for every pair (``--comet-model``): sets both
            ``comet_model`` and ``comet_qe_model``; a path is taken from the
            current directory.
        off: Leave COMET out of the run (``--no-comet``).
        **options: Other ``[comet]`` keys given on the command line (``None`` = not given).

    Raises:
        ConfigError: An option is invalid.
    """
    given = {k: v for k, v in options.items() if v is not None}
    if off:
        if model is not None or given:
            raise ConfigError("give --no-comet or COMET options, not both")
        metrics = tuple(m for m in config.settings.metrics if m != "comet")
        return dataclasses.replace(
            config, settings=dataclasses.replace(config.settings, metrics=metrics)
        )
    if model is not None:
        given.update(_comet_paths({"comet_model": model, "comet_qe_model": model}, Path.cwd()))
    if not given:
        return config
    table = {**config.metrics.get("comet", {}), **given}
    from mt_eval.metrics import build_metric

    try:
        build_metric("comet", **table)
    except ConfigError as exc:
        raise ConfigError(f"command line: {exc}") from None
    return dataclasses.replace(config, metrics={**config.metrics, "comet": table})


def _top_tables() -> set[str]:
    from mt_eval.metrics import known_metrics

    return {"pairs", "manifest", "align", "flags", "gates", *known_metrics()}


def load_config(path: str | Path, overrides: Mapping[str, Any] | None = None) -> RunConfig:
    """Read and validate a TOML run configuration.

    Args:
        path: The TOML file.
        overrides: Top-level settings given on the command line; they win over the file.

    Raises:
        ConfigError: The file is missing, malformed, or has an unknown or invalid key.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from None
    where = str(path)
    top = {k: v for k, v in data.items() if k not in _top_tables()}
    settings = _settings({**top, **(overrides or {})}, where)
    pairs_raw = _expect(data.get("pairs", []), list, f"{where}: pairs")
    base = path.parent
    pairs = tuple(_pair(t, base, f"{where}: pairs[{i}]") for i, t in enumerate(pairs_raw))
    if "manifest" in data:
        from mt_eval.batch import read_manifest

        manifest = _path(data["manifest"], base, f"{where}: manifest")
        pairs += read_manifest(manifest)
    if not pairs:
        raise ConfigError(f"{where}: no [[pairs]] or manifest to evaluate")
    names = [p.name for p in pairs]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{where}: pair name {name!r} is used twice")
    align_kw, flags_kw, metrics_kw = _tables(data, where, base)
    gates = _gates(data, where)
    return RunConfig(pairs, settings, align_kw, flags_kw, metrics_kw, path=path, gates=gates)


def quick_config(
    *,
    source: str | Path | None,
    source_lang: str | None,
    target: str | Path,
    target_lang: str | None,
    reference: str | Path | tuple[str | Path, ...] | None = None,
    system: str | None = None,
    aligned: bool = False,
    split_units: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> RunConfig:
    """Build a one-pair run from command-line options (no config file).

    The pair is named after the source file's name without its last suffix, the
    system after ``system`` or, likewise, the target file's name. Without a
    source, the target must be a bilingual file (XLIFF, TMX, PO, or a table with a
    source column): it is the pair
    by itself, named after it, and languages not given are those it declares.

    Raises:
        ConfigError: A language code or setting is invalid, or a language is
            neither given nor declared.
        InputError: No source and the target is no bilingual file.
    """
    target = Path(target)
    delivery = Delivery(target)
    if source is None:
        from mt_eval.bilingual import file_languages

        # a table declares no language
        declared_src, declared_tgt = ("", "") if delivery.table else file_languages(target)
        source_lang = source_lang or declared_src
        target_lang = target_lang or declared_tgt
        for option, value in (("--source-lang", source_lang), ("--target-lang", target_lang)):
            if not value:
                raise ConfigError(f"{target}: declares no language; give {option}")
    elif not (source_lang and target_lang):
        raise ConfigError("give --source-lang and --target-lang")
    src_lang = _lang(source_lang, "--source-lang: ")
    tgt_lang = _lang(target_lang, "--target-lang: ")
    named = Path(source) if source is not None else target
    pair = PairConfig(
        name=named.stem or "pair",
        source=Path(source) if source is not None else None,
        source_lang=src_lang,
        target_lang=tgt_lang,
        systems=((system or target.stem or "system", delivery),),
        reference=() if not reference else reference,
        aligned=aligned,
        split_units=split_units,
    )
    return RunConfig((pair,), _settings(dict(overrides or {}), "command line"))


def batch_config(
    pairs: tuple[PairConfig, ...], overrides: Mapping[str, Any] | None = None
) -> RunConfig:
    """A run of the pairs of a folder or manifest given on the command line."""
    names = [p.name for p in pairs]
    if len(set(names)) < len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise ConfigError(f"pair name {dup!r} is used twice")
    return RunConfig(pairs, run_settings(overrides))


def run_settings(overrides: Mapping[str, Any] | None = None) -> RunSettings:
    """Run settings from command-line overrides alone (defaults for the rest).

    Raises:
        ConfigError: An unknown key or a bad value.
    """
    return _settings(dict(overrides or {}), "command line")
