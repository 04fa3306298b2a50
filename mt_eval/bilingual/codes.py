"""Inline codes of bilingual files: clean text for metrics, codes for the QA checks.

CAT tools keep the formatting and variables of the original inside a segment as
inline elements. mt-eval reads each segment twice over:

* the **clean text** metrics and embedders see: the words of the segment, with
  the content of spanning codes kept (``<g>``, ``<pc>``, ``<mrk>``, TMX ``<hi>``)
  and every native code left out (``<x/>``, ``<ph>``, ``<bpt>``/``<ept>``, ``<it>``,
  ``<sc>``/``<ec>``, TMX ``<ut>``); a standalone code becomes a space (a tab, a
  line break), so ``Heading 1<x/>1`` is ``Heading 1 1``, not ``Heading 11``,
  unless it sits inside a word (``Hel<x/>lo``);
* the **codes**: each inline element in order, as ``Code(kind, id, parent)``,
  which :func:`mt_eval.flags.codes.tag_problems` compares between the sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SPANNING = frozenset({"g", "pc", "mrk", "hi", "sub"})
"""Elements whose content is text of the segment."""
STANDALONE = frozenset({"x", "ph", "it", "sc", "ec", "ut", "bx", "ex", "sm", "em", "cp"})
"""Elements that stand for a native code (their content, if any, is that code)."""
PAIRED = frozenset({"bpt", "ept"})
"""XLIFF 1.2 / TMX halves of a paired native code."""


@dataclass(frozen=True)
class Code:
    """One inline code of a segment.

    Attributes:
        kind: The element's local name (``g``, ``x``, ``ph``, ``bpt``, ``pc``...).
        id: Its ``id`` (``rid``/``startRef`` for a closing half; TMX ``i``/``x``), or ``""``.
        parent: The id of the spanning code it sits in, or ``""`` at the top.
        text: What it shows: ``equiv-text``/``disp``/``equiv`` or its native content.
    """

    kind: str
    id: str
    parent: str = ""
    text: str = ""

    def label(self) -> str:
        """How a note names it, e.g. ``<g id="2">`` or ``<ph id="1"> {{ count }}``."""
        ident = f' id="{self.id}"' if self.id else ""
        shown = f" {self.text}" if self.text and self.kind not in SPANNING else ""
        return f"<{self.kind}{ident}>{shown}"


def local(tag: Any) -> str:
    """An element's name without namespace; ``""`` for comments and processing instructions."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr(el: Any, *names: str) -> str:
    """The first of the attributes ``names`` the element has, namespace ignored; or ``""``."""
    for name in names:
        for key, value in el.attrib.items():
            if local(key) == name:
                return value
    return ""


def _code_id(el: Any) -> str:
    return attr(el, "id", "rid", "startRef", "i", "x", "mid")


def _shown(el: Any) -> str:
    text = attr(el, "equiv-text", "equiv", "disp", "dispStart")
    if text:
        return text
    return "".join(el.itertext()).strip()


def read_segment(el: Any | None) -> tuple[str, tuple[Code, ...]]:
    """The clean text and the codes of a ``<source>``, ``<target>``, ``<seg>`` or ``<mrk>``.

    Args:
        el: The element (lxml), or ``None`` for a missing one.

    Returns:
        ``(clean text with whitespace collapsed, codes in document order)``.
    """
    if el is None:
        return "", ()
    parts: list[str] = []
    codes: list[Code] = []

    def walk(node: Any, parent: str) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            name = local(child.tag)
            if name in SPANNING and not (name == "mrk" and attr(child, "mtype") == "seg"):
                codes.append(Code(name, _code_id(child), parent))
                walk(child, _code_id(child) or parent)
            elif name in SPANNING:  # a segment marker: its text is the segment's
                walk(child, parent)
            elif name in STANDALONE or name in PAIRED:
                codes.append(Code(name, _code_id(child), parent, _shown(child)))
                if name not in PAIRED:
                    parts.append("\x00")  # a space between two words, nothing elsewhere
            if child.tail:
                parts.append(child.tail)

    walk(el, "")
    text = "".join(parts)
    out = []
    for i, piece in enumerate(text.split("\x00")):
        if i and not (out and out[-1][-1:].isalpha() and piece[:1].isalpha()):
            out.append(" ")  # a code between words (a tab, a break) separates them
        out.append(piece)
    return " ".join("".join(out).split()), tuple(codes)
