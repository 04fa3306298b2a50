"""The ``mt-eval`` command line: a thin click layer over the library.

Commands: ``run`` (evaluate a config or one quick-mode pair), ``compare`` (a
baseline and a current results folder), ``align`` (print one alignment).

Exit codes: 0 done; 1 a failed quality gate (``run``) or a significant regression
(``compare``); 2 bad input, bad config or bad usage (one-line message on stderr, no
traceback, no output folder written);
130 interrupted by Ctrl-C, 143 by SIGTERM (one line; results are only ever renamed
into place when complete, so nothing partial is left). Every error is one line on
stderr: control characters in a message (a newline in a file name) are escaped.
Data goes to stdout or files; progress and logs go to stderr. Heavy modules
(models, numpy-backed stages) are imported inside the commands, so ``--help``
stays fast.
"""

from __future__ import annotations

import logging
import signal
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from mt_eval import __version__
from mt_eval.errors import MtEvalError
from mt_eval.regress.defaults import (
    ALPHA,
    AR_TRIALS,
    BOOTSTRAP_SAMPLES,
    DEFAULT_MIN_EFFECT,
    FAIL_ON,
)

EXIT_FAILED = 1  # a gate failed (run) or a system regressed (compare)
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
log = logging.getLogger("mt_eval")


def one_line(text: str) -> str:
    """``text`` with line breaks and other control characters escaped, as one line."""
    return "".join(
        ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def _fail(exc: Exception) -> NoReturn:
    click.echo(f"mt-eval: error: {one_line(str(exc))}", err=True)
    sys.exit(EXIT_USAGE)


class Terminated(BaseException):
    """SIGTERM, raised where the process is so that clean-up code runs (like Ctrl-C)."""


class Interrupted(BaseException):
    """Ctrl-C inside a command (click would print a blank line and "Aborted!")."""


def _on_sigterm(signum: int, frame: object) -> NoReturn:
    raise Terminated


class _Group(click.Group):
    """The command group, run so that every failure is one stderr line and an exit code.

    Click's standalone mode prints usage errors over four lines and turns Ctrl-C into
    "Aborted!" with exit 1 (which CI reads as a failed gate); this runs click in
    non-standalone mode and maps the outcomes itself: usage errors exit 2, Ctrl-C
    130, SIGTERM 143.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted from None

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        previous = None
        try:
            previous = signal.signal(signal.SIGTERM, _on_sigterm)
        except ValueError:  # not the main thread: leave SIGTERM as it is
            pass
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.Abort:  # Ctrl-C inside a prompt or before a command
            code = _interrupted(EXIT_INTERRUPTED)
        except (KeyboardInterrupt, Interrupted):
            code = _interrupted(EXIT_INTERRUPTED)
        except Terminated:
            code = _interrupted(EXIT_TERMINATED)
        except click.ClickException as exc:
            hint = ""
            if isinstance(exc, click.UsageError) and exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            click.echo(f"mt-eval: error: {one_line(exc.format_message())}{hint}", err=True)
            code = EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
        code = 0 if code is None else code
        if not standalone_mode:
            return code
        sys.exit(code)


def _interrupted(code: int) -> int:
    what = "interrupted" if code == EXIT_INTERRUPTED else "terminated"
    click.echo(f"mt-eval: {what}; no partial results were left", err=True)
    return code


def _log_option(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """-v/-q given after the subcommand: the same as before it."""
    if not value:
        return
    root = ctx.find_root()
    state = root.meta.setdefault("mt_eval.log", {"verbose": 0, "quiet": False})
    state["verbose" if param.name == "verbose" else "quiet"] = value
    _setup_logging(state["verbose"], state["quiet"])


def _log_options(command: Any) -> Any:
    """Add -v/--verbose and -q/--quiet to a subcommand (they also work before it)."""
    for decorator in (
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            expose_value=False,
            callback=_log_option,
            help="Only warnings and errors on stderr.",
        ),
        click.option(
            "-v",
            "--verbose",
            count=True,
            expose_value=False,
            callback=_log_option,
            help="More progress detail on stderr.",
        ),
    ):
        command = decorator(command)
    return command


class _Formatter(logging.Formatter):
    """``mt-eval: message`` for progress, ``mt-eval: warning: message`` above INFO."""

    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno <= logging.INFO else f"{record.levelname.lower()}: "
        return f"mt-eval: {level}{record.getMessage()}"


def _quiet() -> bool:
    """Whether -q was given (before or after the subcommand)."""
    ctx = click.get_current_context()
    return bool(ctx.find_root().meta.get("mt_eval.log", {}).get("quiet"))


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    root = logging.getLogger("mt_eval")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mt-eval")
@click.option("-v", "--verbose", count=True, help="More progress detail on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors on stderr.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Evaluate machine translations: clean, split, align, score, flag, report.

    Run `mt-eval run configs/seeds.toml` for the seed job, or `mt-eval run --help`.
    """
    ctx.meta["mt_eval.log"] = {"verbose": verbose, "quiet": quiet}
    _setup_logging(verbose, quiet)


def _cache_dir(cache_dir: str | None, no_cache: bool) -> str | None:
    """The ``cache_dir`` that --cache-dir / --no-cache ask for: ``""`` is off, None not given."""
    if no_cache and cache_dir is not None:
        _fail(click.UsageError("give --cache-dir or --no-cache, not both"))
    return "" if no_cache else cache_dir


def _inputs(cfg: Any) -> list[Path]:
    """Every file a run reads: its config and each pair's documents and deliveries."""
    paths = [cfg.path] if cfg.path else []
    for pair in cfg.pairs:
        paths += [pair.source] if pair.source else []
        paths += [d.path for _, d in pair.systems]
        paths += list(pair.reference)
    return paths


def _batch_config(
    given: dict[str, Any], quick: dict[str, Any], overrides: dict, pair_by: str
) -> tuple[Any, Any]:
    """The run of a folder pair (--source-dir, --target-dir) or of a --manifest.

    Returns:
        The run, and with ``pair_by == "content"`` the :class:`~mt_eval.pairing.Pairing`
        (else ``None``).
    """
    from mt_eval.batch import folder_pairs, read_manifest
    from mt_eval.config import batch_config

    aligned = bool(quick.pop("aligned", False))
    if "manifest" in given:
        if len(given) > 1 or quick:
            other = next(iter({**quick, **given}.keys() - {"manifest"}))
            raise click.UsageError(f"give --manifest or --{other.replace('_', '-')}, not both")
        if pair_by != "name":
            raise click.UsageError("--pair-by is for folder mode (--source-dir), not --manifest")
        return batch_config(read_manifest(given["manifest"], aligned), overrides), None
    need = ("source_dir", "target_dir")
    langs = ("source_lang", "target_lang")
    missing = [k for k in (*need, *langs) if k not in given and k not in quick]
    if missing:
        names = ", ".join("--" + k.replace("_", "-") for k in missing)
        raise click.UsageError(f"folder mode needs {names}")
    extra = set(quick) - {*langs, "system"}
    if extra:
        raise click.UsageError(f"give --{min(extra).replace('_', '-')} or --source-dir, not both")
    args = (given["source_dir"], given["target_dir"], quick["source_lang"], quick["target_lang"])
    options = {
        "reference_dir": given.get("reference_dir"),
        "system": quick.get("system"),
        "aligned": aligned,
    }
    if pair_by == "content":
        from mt_eval.batch import content_pairs
        from mt_eval.config import run_settings

        pairs, pairing = content_pairs(*args, run_settings(overrides), **options)
        return batch_config(pairs, overrides), pairing
    return batch_config(folder_pairs(*args, **options), overrides), None


def _default_out(stem: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = Path("results") / f"{stem}-{stamp}"
    n = 2
    while out.exists():
        out = Path("results") / f"{stem}-{stamp}-{n}"
        n += 1
    return out


@cli.command()
@_log_options
@click.argument("config", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
@click.option("--force", is_flag=True, help="Replace an output folder that holds results.")
@click.option(
    "--source",
    type=click.Path(path_type=Path),
    help="Quick mode: source document (none for an XLIFF, TMX, PO or bilingual table --target).",
)
@click.option("--source-lang", help="Quick mode: source language code (e.g. en).")
@click.option("--target", type=click.Path(path_type=Path), help="Quick mode: translation.")
@click.option("--target-lang", help="Quick mode: translation language code (e.g. id).")
@click.option(
    "--reference",
    type=click.Path(path_type=Path),
    multiple=True,
    help="Quick mode: reference translation; repeat it for several references.",
)
@click.option("--system", help="Quick mode: system name (default: the target file's name).")
@click.option(
    "--aligned", is_flag=True, help="Quick mode: inputs are line-aligned (line i = link i)."
)
@click.option(
    "--split-units",
    is_flag=True,
    help="Quick mode, bilingual --target: split each unit into sentences and align them "
    "within the unit (default: one link per unit).",
)
@click.option(
    "--source-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder mode: source documents, matched by name with --target-dir.",
)
@click.option(
    "--target-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder mode: translations (NAME[.LANG].EXT pairs with the source NAME).",
)
@click.option(
    "--reference-dir",
    type=click.Path(path_type=Path, file_okay=False),
    multiple=True,
    help="Folder mode: references, matched by name; repeat for several references.",
)
@click.option(
    "--pair-by",
    type=click.Choice(["name", "content"]),
    default="name",
    show_default=True,
    help="Folder mode: match files by name, or find which target renders which source "
    "from the texts (writes pairing.csv).",
)
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, dir_okay=False),
    help="CSV/TSV of pair, source, source_lang, system, target, target_lang[, reference].",
)
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes (default 1).")
@click.option("--executor", type=click.Choice(["local", "ray"]), help="Run workers here or on Ray.")
@click.option("--ray-address", help="Ray cluster to join (default: start a local one).")
@click.option("--embedder", help="Embedding model: use, e5 or sbert:NAME_OR_PATH.")
@click.option("--seed", type=int, help="Seed for every random choice.")
@click.option("--threads", type=click.IntRange(min=1), help="CPU threads for models.")
@click.option(
    "--cache-dir", help="Cache of embeddings and model scores (default: ~/.cache/mt-eval)."
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk cache.")
@click.option(
    "--comet-model",
    metavar="NAME_OR_PATH",
    help="The one COMET model for every pair: hub id, .ckpt file, or folder holding "
    "checkpoints/model.ckpt (default: Unbabel/wmt22-comet-da with a reference, "
    "Unbabel/wmt20-comet-qe-da without).",
)
@click.option("--comet-batch-size", type=click.IntRange(min=1), help="COMET batch size (16).")
@click.option("--gpus", type=click.IntRange(0, 1), help="GPUs for COMET: 0 (CPU) or 1.")
@click.option("--no-comet", is_flag=True, help="Do not compute COMET.")
def run(config: Path | None, out: Path | None, force: bool, **opts: Any) -> None:
    """Evaluate the pairs of CONFIG (TOML), or one pair given by the quick-mode options.

    Writes segments.csv, documents.csv, systems.csv, removed.csv, stats.jsonl and
    run.json (and pairing.csv with --pair-by content) to --out (default: a new
    folder under results/) and prints that folder on stdout. Without --source, a
    bilingual --target (XLIFF, TMX, PO, a table with a source column) is the
    pair, one unit per row. Exits 1
    when a system fails a [gates] threshold of CONFIG.
    """
    from mt_eval.config import load_config, quick_config, with_comet_options
    from mt_eval.outdir import check_out_dir, write_files
    from mt_eval.pairing import COLUMNS as PAIRING_COLUMNS
    from mt_eval.pairing import FILE_NAME as PAIRING_FILE
    from mt_eval.pipeline import run as run_pipeline
    from mt_eval.report import csv_bytes, render

    opts["reference"] = opts.pop("reference") or None  # a tuple: every --reference, in order
    cache_dir = _cache_dir(opts.pop("cache_dir"), opts.pop("no_cache"))
    comet = {
        "model": opts.pop("comet_model"),
        "off": opts.pop("no_comet"),
        "batch_size": opts.pop("comet_batch_size"),
        "gpus": opts.pop("gpus"),
    }
    keys = ("embedder", "seed", "threads", "jobs", "executor", "ray_address")
    overrides = {k: v for k in keys if (v := opts.pop(k)) is not None}
    batch = {k: opts.pop(k) for k in ("source_dir", "target_dir", "reference_dir", "manifest")}
    batch["reference_dir"] = batch["reference_dir"] or None  # a tuple: every --reference-dir
    pair_by = opts.pop("pair_by")
    pairing = None
    if cache_dir is not None:
        overrides["cache_dir"] = cache_dir
    quick = {k: v for k, v in opts.items() if v not in (None, False)}
    given = {k: v for k, v in batch.items() if v is not None}
    try:
        if config and (quick or given):
            first = next(iter({**quick, **given}))
            raise click.UsageError(f"give CONFIG or --{first.replace('_', '-')}, not both")
        if pair_by != "name" and not given:
            raise click.UsageError("--pair-by is for folder mode (--source-dir, --target-dir)")
        if given:
            cfg, pairing = _batch_config(given, quick, overrides, pair_by)
            stem = "batch"
        elif config:
            cfg = load_config(config, overrides)
            stem = config.stem
        else:
            # a bilingual --target (XLIFF, TMX, PO, a table) is a pair by itself: no --source
            bilingual = "target" in quick and "source" not in quick
            needed = (
                ("target",) if bilingual else ("source", "source_lang", "target", "target_lang")
            )
            missing = [k for k in needed if k not in quick]
            if missing:
                names = ", ".join("--" + k.replace("_", "-") for k in missing)
                raise click.UsageError(
                    f"give CONFIG, or quick-mode options (missing {names}; "
                    "--target alone for an XLIFF, TMX, PO file or bilingual table)"
                )
            quick.setdefault("source", None)
            quick.setdefault("source_lang", None)
            quick.setdefault("target_lang", None)
            cfg = quick_config(**quick, overrides=overrides)
            stem = cfg.pairs[0].name
        cfg = with_comet_options(cfg, **comet)
        out = out or _default_out(stem)
        check_out_dir(out, force, keep=_inputs(cfg))
        result = run_pipeline(cfg, progress=not _quiet())
        files = render(
            result.links,
            result.documents,
            result.removals,
            result.metadata,
            result.systems,
            result.statistics,
            cache_dir=cfg.settings.cache_dir,
            jobs=cfg.settings.jobs,
        )
        if pairing is not None:
            files[PAIRING_FILE] = csv_bytes(PAIRING_COLUMNS, (d.row() for d in pairing.decisions))
        write_files(out, files, force, keep=_inputs(cfg))
    except MtEvalError as exc:
        _fail(exc)
    for doc in result.documents:
        log.info(
            "%s / %s: %d links, %d dropped, %d added, %d flagged",
            doc.pair,
            doc.system,
            doc.links,
            doc.dropped,
            doc.added,
            doc.flagged,
        )
    click.echo(str(out))
    if result.failed_gates:
        for gate in result.failed_gates:
            click.echo(f"mt-eval: gate failed: {gate.describe()}", err=True)
        sys.exit(EXIT_FAILED)


def _min_effects(values: tuple[str, ...]) -> dict[str, float]:
    out = dict(DEFAULT_MIN_EFFECT)
    for value in values:
        name, sep, number = value.partition("=")
        try:
            if not sep or name not in out:
                raise ValueError
            out[name] = float(number)
        except ValueError:
            raise click.UsageError(
                f"--min-effect {value!r}: give METRIC=NUMBER, METRIC one of {', '.join(out)}"
            ) from None
    return out


@cli.command()
@_log_options
@click.argument("baseline", type=click.Path(path_type=Path, file_okay=False))
@click.argument("current", type=click.Path(path_type=Path, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="Output folder.")
@click.option("--force", is_flag=True, help="Replace an output folder that holds results.")
@click.option(
    "--alpha",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=ALPHA,
    show_default=True,
)
@click.option(
    "--test",
    type=click.Choice(["ar", "bs"]),
    default="ar",
    show_default=True,
    help="Deciding test: approximate randomization or paired bootstrap (both are reported).",
)
@click.option(
    "--min-effect",
    multiple=True,
    metavar="METRIC=NUMBER",
    help="Least score change that counts (default "
    + " ".join(f"{k}={v:g}" for k, v in DEFAULT_MIN_EFFECT.items())
    + ").",
)
@click.option("--seed", type=int, help="Seed of the tests (default: the current run's seed).")
@click.option(
    "--bootstrap-samples", type=click.IntRange(min=1), default=BOOTSTRAP_SAMPLES, show_default=True
)
@click.option("--ar-trials", type=click.IntRange(min=1), default=AR_TRIALS, show_default=True)
@click.option(
    "--fail-on",
    default=",".join(FAIL_ON),
    show_default=True,
    metavar="COUNTS",
    help="Comma-separated counts whose rise fails: dropped, added, flagged, critical, major "
    "(critical/major: links whose worst flag has that severity); empty for none.",
)
def compare(
    baseline: Path,
    current: Path,
    out: Path | None,
    force: bool,
    alpha: float,
    test: str,
    min_effect: tuple[str, ...],
    seed: int | None,
    bootstrap_samples: int,
    ar_trials: int,
    fail_on: str,
) -> None:
    """Compare the results folders BASELINE and CURRENT of two `mt-eval run`s.

    Writes changes.csv (per matched link, most damaged first), summary.csv (per
    system and metric, with paired bootstrap and approximate randomization
    p-values) and compare.json to --out, and prints that folder. Exits 1 when a
    system got significantly worse or gained links of a --fail-on count (by default
    dropped, added, critical or major ones; the message names the new links).
    """
    from mt_eval.outdir import check_out_dir, write_files
    from mt_eval.regress import compare_report
    from mt_eval.regress.compare import Settings, load_results
    from mt_eval.regress.compare import compare as compare_runs

    try:
        effects = _min_effects(min_effect)
        out = out or _default_out("compare")
        check_out_dir(out, force, keep=(baseline, current))
        base, cur = load_results(baseline), load_results(current)
        settings = Settings(
            alpha=alpha,
            test=test,
            min_effect=effects,
            seed=cur.seed if seed is None else seed,
            bootstrap_samples=bootstrap_samples,
            ar_trials=ar_trials,
            fail_on=tuple(c.strip() for c in fail_on.split(",") if c.strip()),
        )
        result = compare_runs(base, cur, settings)
        files = compare_report.render(result, base, cur, settings)
        write_files(out, files, force, keep=(baseline, current))
    except (MtEvalError, click.UsageError) as exc:
        _fail(exc)
    for warning in result.warnings:
        log.warning("%s", warning)
    click.echo(str(out))
    if result.failures:
        for change in result.failures:
            click.echo(f"mt-eval: regression: {change.describe()}", err=True)
        sys.exit(EXIT_FAILED)
    log.info("no system regressed")


@cli.command("align")
@_log_options
@click.argument("src", type=click.Path(path_type=Path))
@click.argument("tgt", type=click.Path(path_type=Path))
@click.option("--src-lang", required=True, help="Source language code.")
@click.option("--tgt-lang", required=True, help="Target language code.")
@click.option(
    "--presegmented", is_flag=True, help="One sentence per line as given (no cleaning/splitting)."
)
@click.option("--embedder", default="use", show_default=True, help="use, e5 or sbert:NAME_OR_PATH.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for random choices.")
@click.option("--threads", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--cache-dir", help="Cache of embeddings (default: ~/.cache/mt-eval).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the on-disk cache.")
def align_cmd(
    src: Path,
    tgt: Path,
    src_lang: str,
    tgt_lang: str,
    presegmented: bool,
    embedder: str,
    seed: int,
    threads: int,
    cache_dir: str | None,
    no_cache: bool,
) -> None:
    """Align SRC to TGT and print one link per line as `[i, j]:[k]` (0-based)."""
    from mt_eval.align import align, format_beads
    from mt_eval.cache import DEFAULT_CACHE_DIR, open_cache
    from mt_eval.embed import get_embedder
    from mt_eval.languages import normalize_lang
    from mt_eval.pipeline import load_text

    chosen = _cache_dir(cache_dir, no_cache)
    try:
        langs = (
            normalize_lang(src_lang, where="--src-lang: "),
            normalize_lang(tgt_lang, where="--tgt-lang: "),
        )
        sides = [
            [s.text for s in load_text(path, lang, presegmented).sentences]
            for path, lang in zip((src, tgt), langs, strict=True)
        ]
        cache = open_cache(DEFAULT_CACHE_DIR if chosen is None else chosen)
        try:
            model = get_embedder(embedder, threads=threads, cache=cache)
            links = align(sides[0], sides[1], model, seed=seed)
        finally:  # as run() does: the connection is not left open for library callers
            if cache is not None:
                cache.close()
    except MtEvalError as exc:
        _fail(exc)
    click.echo(format_beads(links), nl=False)


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="mt-eval")
