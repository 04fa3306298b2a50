"""Translation units of XLIFF 1.2 (and SDLXLIFF, memoQ), XLIFF 2.x and TMX files.

Read with lxml, element by element, so that every unit keeps what a QA team
sends back to the vendor: its id, the line it starts on, the ``<file original>``
it belongs to, its state and its notes, and the inline codes of both sides
(:mod:`mt_eval.bilingual.codes`).

* **XLIFF 1.2** ``<trans-unit>`` (``translate="no"`` units are structure and are
  skipped). A unit with ``<seg-source>`` gives one unit per ``<mrk mtype="seg">``
  (id ``UNIT#MID``), matched to the target's ``<mrk>`` of the same ``mid``. The
  state is the target's ``state``, else memoQ's ``mq:status``, else SDL Trados's
  ``<sdl:seg conf>``, else WorldServer's ``iws:status translation_status``.
  Notes are the ``<note>`` elements.
* **XLIFF 2.x** ``<unit>``, one unit per ``<segment>`` (id ``UNIT#N`` when a unit has
  more than one); the state is the segment's ``state``; notes are ``<notes><note>``.
* **TMX 1.1-1.4** ``<tu>``: the variants in the source and the target language
  (``xml:lang``, or TMX 1.1's ``lang``), matched by canonical code; the id is
  ``tuid`` or the unit's position.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mt_eval.bilingual.codes import attr as _attr
from mt_eval.bilingual.codes import local, read_segment
from mt_eval.errors import InputError
from mt_eval.languages import same_language
from mt_eval.model import Unit

XLIFF1_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2."


def parse(path: Path, data: bytes) -> Any:
    """The document's root element (lxml), entities resolved, no network.

    Raises:
        InputError: The file is not well-formed XML (naming the line).
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise InputError(f"{path}:{line}: not well-formed XML ({exc.msg})") from None


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if local(c.tag) == name]


def _child(el: Any, name: str) -> Any | None:
    found = _children(el, name)
    return found[0] if found else None


def _notes(el: Any) -> tuple[str, ...]:
    out = []
    for note in el.iter():
        if local(note.tag) == "note":
            text = " ".join("".join(note.itertext()).split())
            if text:
                out.append(text)
    return tuple(out)


def _state_1_2(unit: Any, target: Any | None) -> str:
    if target is not None and _attr(target, "state"):
        return _attr(target, "state")
    if _attr(unit, "status"):  # memoQ mq:status
        return _attr(unit, "status")
    for el in unit.iter():
        name = local(el.tag)
        if name == "seg" and _attr(el, "conf"):  # SDL Trados sdl:seg
            return _attr(el, "conf")
        if name == "status" and _attr(el, "translation_status"):  # WorldServer iws:status
            return _attr(el, "translation_status")
    return ""


def _file_of(el: Any) -> str:
    node = el.getparent()
    while node is not None and local(node.tag) != "file":
        node = node.getparent()
    if node is None:
        return ""
    return _attr(node, "original") or _attr(node, "id")


def xliff1_units(root: Any) -> Iterator[Unit]:
    """The units of an XLIFF 1.2 document (see the module docstring)."""
    for tu in root.iter():
        if local(tu.tag) != "trans-unit" or _attr(tu, "translate") == "no":
            continue
        ident = _attr(tu, "id") or _attr(tu, "resname")
        target = _child(tu, "target")
        notes, state, original = _notes(tu), _state_1_2(tu, target), _file_of(tu)
        seg_source = _child(tu, "seg-source")
        marks = (
            [m for m in seg_source.iter() if local(m.tag) == "mrk" and _attr(m, "mtype") == "seg"]
            if seg_source is not None
            else []
        )
        if marks:
            by_mid = {}
            if target is not None:
                by_mid = {
                    _attr(m, "mid"): m
                    for m in target.iter()
                    if local(m.tag) == "mrk" and _attr(m, "mtype") == "seg"
                }
            seg_states = {
                _attr(el, "id"): _attr(el, "conf")
                for el in tu.iter()
                if local(el.tag) == "seg" and _attr(el, "id")  # SDL Trados, per segment
            }
            for mark in marks:
                mid = _attr(mark, "mid")
                src, src_codes = read_segment(mark)
                tgt, tgt_codes = read_segment(by_mid.get(mid))
                yield Unit(
                    f"{ident}#{mid}",
                    src,
                    tgt,
                    mark.sourceline or tu.sourceline or 0,
                    original,
                    seg_states.get(mid, state) if seg_states else state,
                    notes,
                    src_codes,
                    tgt_codes,
                )
            continue
        src, src_codes = read_segment(_child(tu, "source"))
        tgt, tgt_codes = read_segment(target)
        yield Unit(
            ident, src, tgt, tu.sourceline or 0, original, state, notes, src_codes, tgt_codes
        )


def xliff2_units(root: Any) -> Iterator[Unit]:
    """The units of an XLIFF 2.x document (see the module docstring)."""
    for unit in root.iter():
        if local(unit.tag) != "unit" or _attr(unit, "translate") == "no":
            continue
        ident = _attr(unit, "id")
        notes, original = _notes(unit), _file_of(unit)
        segments = _children(unit, "segment")
        for n, segment in enumerate(segments, 1):
            src, src_codes = read_segment(_child(segment, "source"))
            tgt, tgt_codes = read_segment(_child(segment, "target"))
            sid = _attr(segment, "id")
            key = ident if len(segments) == 1 else f"{ident}#{sid or n}"
            yield Unit(
                key,
                src,
                tgt,
                segment.sourceline or 0,
                original,
                _attr(segment, "state"),
                notes,
                src_codes,
                tgt_codes,
            )


def _variant(tu: Any, lang: str) -> Any | None:
    for tuv in _children(tu, "tuv"):
        # xml:lang (TMX 1.4) and lang (TMX 1.1) alike
        if same_language(_attr(tuv, "lang"), lang):
            return _child(tuv, "seg")
    return None


def tmx_units(root: Any, source_lang: str, target_lang: str) -> Iterator[Unit]:
    """The units of a TMX document in the two languages (see the module docstring)."""
    body = _child(root, "body")
    for n, tu in enumerate(_children(body, "tu") if body is not None else [], 1):
        src, src_codes = read_segment(_variant(tu, source_lang))
        tgt, tgt_codes = read_segment(_variant(tu, target_lang))
        if not (src or tgt):
            continue
        yield Unit(
            _attr(tu, "tuid") or str(n),
            src,
            tgt,
            tu.sourceline or 0,
            "",
            "",
            _notes(tu),
            src_codes,
            tgt_codes,
        )


def declared_languages(root: Any) -> tuple[str, str]:
    """``(source, target)`` languages the file declares (first ``<file>``; TMX header)."""
    name = local(root.tag)
    if name == "tmx":
        header = _child(root, "header")
        return (_attr(header, "srclang") if header is not None else ""), ""
    if _attr(root, "srcLang") or _attr(root, "trgLang"):
        return _attr(root, "srcLang"), _attr(root, "trgLang")
    for el in root.iter():
        if local(el.tag) == "file":
            return _attr(el, "source-language"), _attr(el, "target-language")
    return "", ""


def tmx_languages(root: Any) -> list[str]:
    """The languages of a TMX file's variants, in order of first use."""
    seen: dict[str, None] = {}
    for tuv in root.iter():
        if local(tuv.tag) == "tuv" and (code := _attr(tuv, "lang")):
            seen.setdefault(code, None)
    return list(seen)
