"""Units of a gettext PO file, read with translate-toolkit (``mt-eval[deliveries]``).

The id is ``msgctxt`` and ``msgid`` joined by ``|`` (or ``msgid`` alone); a fuzzy
entry has state ``fuzzy``; translator and extracted comments are its notes.
Plural forms are joined by `` | ``. The header entry is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mt_eval.errors import InputError
from mt_eval.model import Unit


def _text(value: object) -> str:
    if value is None:
        return ""
    strings = getattr(value, "strings", None)
    if strings is not None:
        return " | ".join(str(s) for s in strings)
    return str(value)


def po_units(path: Path, data: bytes) -> Iterator[Unit]:
    """The units of a PO file.

    Raises:
        InputError: translate-toolkit is missing, or the file is not PO.
    """
    try:
        from translate.storage import pypo
    except ImportError:
        raise InputError(
            f'{path}: reading PO needs translate-toolkit (pip install "mt-eval[deliveries]")'
        ) from None
    try:
        store = pypo.pofile.parsestring(data)
    except Exception as exc:  # noqa: BLE001 - the parser raises its own errors
        raise InputError(f"{path}: not a valid PO file ({exc})") from None
    lines = _entry_lines(data)
    for n, unit in enumerate(u for u in store.units if not u.isheader()):
        source, target = _text(unit.source), _text(unit.target)
        context = unit.getcontext() or ""
        ident = f"{context}|{source}" if context else source
        notes = tuple(
            " ".join(t.split())
            for t in (unit.getnotes("translator"), unit.getnotes("developer"))
            if t and t.strip()
        )
        yield Unit(
            ident,
            " ".join(source.split()),
            " ".join(target.split()),
            lines[n] if n < len(lines) else 0,
            "",
            "fuzzy" if unit.isfuzzy() else ("translated" if target else ""),
            notes,
        )


def _entry_lines(data: bytes) -> list[int]:
    """1-based line of each entry's ``msgid`` (header entry excluded)."""
    out = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if line.startswith("msgid "):
            out.append(number)
    return out[1:] if out and data.find(b'msgid ""') == data.find(b"msgid ") else out
