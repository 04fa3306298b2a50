"""The output folder: written atomically, replaced only when mt-eval wrote it.

A results folder is written to a temporary folder beside it (``.NAME.tmp-PID-*``)
and renamed into place, so no reader ever sees half of it. ``force`` replaces an
existing folder only when it is one mt-eval wrote: it holds ``run.json`` or
``compare.json`` carrying mt-eval's format key, and nothing but plain files. Any
other folder (one holding the inputs, a baseline being compared, the current
folder) is refused. A replacement moves the old folder aside (``.NAME.old-PID``),
renames the new one in, and puts the old one back if that fails. An interrupt
(Ctrl-C, SIGTERM raised as an exception) removes the temporary folder before it
propagates; what a ``kill -9`` leaves is cleaned up by the next write beside it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from mt_eval.errors import OutputError

RUN_FORMAT = "mt-eval-run/1"
COMPARE_FORMAT = "mt-eval-compare/1"
MARKERS = {"run.json": RUN_FORMAT, "compare.json": COMPARE_FORMAT}
"""Marker file of each kind of results folder, and the format key it carries."""


def _wrote_it(path: Path) -> bool:
    """Whether the file ``path`` is a marker mt-eval wrote (format key, or an older run's)."""
    try:
        meta = json.loads(path.read_bytes()[:10_000_000])
    except (OSError, ValueError):
        return False
    if not isinstance(meta, dict):
        return False
    return meta.get("format") == MARKERS.get(path.name) or (
        "format" not in meta and isinstance(meta.get("mt_eval_version"), str)
    )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_out_dir(out: Path, force: bool, keep: Iterable[Path] = ()) -> None:
    """Fail early when ``out`` cannot receive results.

    Args:
        out: The output folder.
        force: Replace an existing results folder that mt-eval wrote.
        keep: Paths that must survive (inputs, a baseline): ``out`` may not hold them.

    Raises:
        OutputError: ``out`` is a file, the current folder or one above it, holds a
            path of ``keep``, or is a non-empty folder that is not mt-eval's results
            (or is, and ``force`` is false).
    """
    if not out.name or out.name in (".", ".."):
        raise OutputError(f"{str(out) or repr('')}: give a new folder for the results")
    where = out.resolve()
    if _inside(Path.cwd().resolve(), where):
        raise OutputError(f"{out}: is the current folder or above it; give a new folder")
    for path in keep:
        if _inside(Path(path).resolve(), where):
            raise OutputError(f"{out}: holds {path}, an input of this run; give another folder")
    if not out.exists() and not out.is_symlink():
        return
    if out.is_symlink() or not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder")
    entries = list(out.iterdir())
    if not entries:
        return
    markers = [out / name for name in MARKERS if (out / name).is_file()]
    if not any(_wrote_it(m) for m in markers):
        raise OutputError(
            f"{out}: folder holds files that mt-eval did not write; give a new or empty folder"
        )
    foreign = sorted(p.name for p in entries if p.is_symlink() or not p.is_file())
    if foreign:
        raise OutputError(
            f"{out}: holds {foreign[0]!r}, which mt-eval does not write; not replacing it"
        )
    if not force:
        raise OutputError(f"{out}: folder already holds results; pass --force to replace them")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _pid(name: str, tag: str) -> int | None:
    rest = name.partition(tag)[2]
    head = rest.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def clean_leftovers(out: Path) -> None:
    """Remove what a killed writer of ``out`` left beside it; restore lost old results.

    ``.NAME.tmp-PID-*`` folders of processes no longer running are removed. A
    ``.NAME.old-PID`` folder is put back as ``out`` when ``out`` is missing (the
    kill fell between the two renames) and removed otherwise.
    """
    parent = out.parent if out.parent.exists() else None
    if parent is None:
        return
    for tag in (".tmp-", ".old-"):
        for path in sorted(parent.glob(f".{out.name}{tag}*")):
            pid = _pid(path.name, f".{out.name}{tag}")
            if pid is None or _alive(pid) and pid != os.getpid():
                continue
            if tag == ".old-" and not out.exists():
                with contextlib.suppress(OSError):
                    path.rename(out)
                    continue
            shutil.rmtree(path, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_files(
    out: Path, files: Mapping[str, bytes], force: bool = False, keep: Iterable[Path] = ()
) -> Path:
    """Write ``files`` (name to bytes) into the folder ``out`` atomically.

    Raises:
        OutputError: The folder cannot be written, or :func:`check_out_dir` refuses it.
    """
    keep = tuple(keep)
    check_out_dir(out, force, keep)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        check_out_dir(out, force, keep)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-{os.getpid()}-", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot create output folder ({exc.strerror or exc})") from None
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    moved = False
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        tmp.chmod(0o777 & ~_umask())
        if out.exists():
            out.rename(old)
            moved = True
        tmp.rename(out)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if moved and not out.exists():
            with contextlib.suppress(OSError):
                old.rename(out)
        if isinstance(exc, OSError):
            raise OutputError(
                f"{out}: cannot write results ({exc.strerror or exc}); nothing was replaced"
            ) from None
        raise
    if moved:
        shutil.rmtree(old, ignore_errors=True)
    return out
