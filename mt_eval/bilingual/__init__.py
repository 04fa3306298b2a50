"""Bilingual files as vendors deliver them: formats recognised by content, read unit by unit.

:func:`sniff` names a file's format from its first bytes, whatever its suffix
(``.sdlxliff``, ``.mqxliff``, ``.mxliff`` and ``.xlf2`` are XLIFF; an ``.xml``
holding TMX is TMX). An XML file of a dialect mt-eval does not read is an input
error naming its root element, never plain text. :func:`read_bilingual` returns
its units (:class:`mt_eval.model.Unit`) and the languages it declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mt_eval.errors import InputError
from mt_eval.model import Unit

BILINGUAL = ("xliff", "xliff2", "tmx", "po")
"""Formats that hold both sides of every unit."""

_ROOT = re.compile(rb"<(?![?!])([\w.-]+:)?([\w.-]+)([^>]*)>", re.S)
_VERSION = re.compile(rb"""\bversion\s*=\s*["']([^"']+)["']""")


@dataclass(frozen=True)
class Bilingual:
    """A bilingual file read.

    Attributes:
        path: The file.
        format: ``xliff`` (1.x), ``xliff2``, ``tmx`` or ``po``.
        units: Its units, in file order.
        source_lang: The source language it declares (``""``: none).
        target_lang: The target language it declares (``""``: none).
    """

    path: Path
    format: str
    units: tuple[Unit, ...]
    source_lang: str = ""
    target_lang: str = ""


def sniff(path: Path, head: bytes) -> str:
    """The format of a file from its first bytes: one of :data:`BILINGUAL`, or ``""``.

    Args:
        path: The file (named in errors; its suffix decides only for PO).
        head: Its first few kilobytes.

    Raises:
        InputError: An XML file whose root element is no format mt-eval reads.
    """
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"<"):
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", text, flags=re.S)
        match = _ROOT.search(body)
        if match is None:
            return ""
        name = match.group(2).decode("ascii", "replace")
        version = _VERSION.search(match.group(3))
        if name == "xliff":
            number = version.group(1).decode() if version else "1.2"
            if number.startswith("1."):
                return "xliff"
            if number.startswith("2."):
                return "xliff2"
            raise InputError(f"{path}: XLIFF version {number} is not read (1.x and 2.x are)")
        if name == "tmx":
            return "tmx"
        if name in ("html", "HTML"):
            return ""  # a web page: read as a document and cleaned
        raise InputError(
            f"{path}: an XML file whose root element <{name}> is no format mt-eval reads "
            "(XLIFF 1.2, XLIFF 2.x, TMX)"
        )
    if path.suffix.lower() in (".po", ".pot") or re.search(rb'(?m)^msgid\s+"', text[:4096]):
        return "po"
    return ""


def read_bilingual(path: Path, fmt: str, source_lang: str, target_lang: str) -> Bilingual:
    """Read a bilingual file of a sniffed format.

    Args:
        path: The file.
        fmt: Its format (:func:`sniff`).
        source_lang: The pair's source language (picks TMX variants; may be ``""``
            to use what the file declares).
        target_lang: The pair's target language (likewise).

    Raises:
        InputError: Unreadable or malformed, naming the file and line.
    """
    from mt_eval.bilingual import xml_units
    from mt_eval.documents import read_bytes

    data = read_bytes(path)
    if fmt == "po":
        from mt_eval.bilingual.po import po_units

        return Bilingual(path, fmt, tuple(po_units(path, data)), source_lang, target_lang)
    root = xml_units.parse(path, data)
    declared_src, declared_tgt = xml_units.declared_languages(root)
    if fmt == "xliff":
        units = tuple(xml_units.xliff1_units(root))
    elif fmt == "xliff2":
        units = tuple(xml_units.xliff2_units(root))
    else:
        src = source_lang or declared_src
        langs = xml_units.tmx_languages(root)
        if not src and len(langs) == 2:
            src = langs[0]
        tgt = target_lang or _other(langs, src)
        if not (src and tgt):
            raise InputError(
                f"{path}: give the source and target languages; the file holds "
                f"{', '.join(langs) or 'no language'}"
            )
        units = tuple(xml_units.tmx_units(root, src, tgt))
        declared_tgt = tgt if not target_lang else ""
    return Bilingual(path, fmt, units, declared_src, declared_tgt)


def _other(langs: list[str], src: str) -> str:
    """The one language of ``langs`` that is not ``src`` (by canonical code), or ``""``."""
    from mt_eval.languages import same_language

    others = [code for code in langs if not same_language(code, src)] if src else []
    return others[0] if len(others) == 1 else ""


def file_languages(path: Path) -> tuple[str, str]:
    """``(source, target)`` languages a bilingual file declares (``""`` where it does not).

    Raises:
        InputError: The file is unreadable, or no bilingual file (naming it).
    """
    from mt_eval.documents import read_bytes

    data = read_bytes(path)
    fmt = sniff(path, data[:8192])
    if not fmt:
        raise InputError(
            f"{path}: not a bilingual file (XLIFF, TMX, PO); give --source for a translation"
        )
    if fmt == "po":
        return "", ""
    read = read_bilingual(path, fmt, "", "")
    return read.source_lang, read.target_lang
