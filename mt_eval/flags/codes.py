"""Placeholders and codes a translation must keep: ``placeholder_mismatch``, ``tag_mismatch``.

* Placeholders are found in the text of both sides: printf (``%s``, ``%d``,
  ``%1$@``, ``%@``, ``%.2f``), .NET and ICU arguments (``{0}``, ``{name}``),
  Mustache and Angular (``{{name}}``, ``{{ count }}``), HTML entities (``&amp;``,
  ``&#169;``) and a literal backslash-n. Each must appear in the translation as often
  as in the source (order may change: languages reorder arguments).
* Inline codes (:class:`mt_eval.bilingual.codes.Code`) of a bilingual unit are
  compared by kind and content (a native code, ``<ph>&lt;br/&gt;</ph>``) or id (a span,
  an empty code): a code missing or added is a mismatch, and so is one
  whose nesting changed (in the source ``<x id="2">`` sits inside ``<g id="1">``,
  in the translation outside it). A mere reordering that keeps the nesting is
  fine.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

_PLACEHOLDER = re.compile(
    r"\{\{\s*[\w.$-]+\s*\}\}"  # Mustache, Angular interpolation
    r"|\{\d+\}|\{[A-Za-z_][\w.]*\}"  # .NET / ICU arguments
    r"|%(?:\d+\$)?[-+0#]?\d*(?:\.\d+)?(?:ll|l|h)?[@sdifuxXoeEgGc]"  # printf, Cocoa %@
    r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});"  # HTML entities
    r"|\\n"  # a literal backslash-n
)


def placeholders(text: str) -> Counter[str]:
    """The placeholders of a text with their counts (Mustache spacing normalised)."""
    found = Counter()
    for match in _PLACEHOLDER.finditer(text):
        token = match.group()
        if token.startswith("{{"):
            token = "{{" + token[2:-2].strip() + "}}"
        found[token] += 1
    return found


def placeholder_problems(src: str, tgt: str) -> str:
    """A note naming the placeholders the translation lost or added; ``""`` when none.

    Only when the source has a placeholder or the translation gains one that is
    not plain text in its language (an HTML entity or ``%s`` the source lacks).
    """
    want, got = placeholders(src), placeholders(tgt)
    if want == got:
        return ""
    lost = [f"{p}" + (f" ×{n}" if n > 1 else "") for p, n in (want - got).items()]
    extra = [f"{p}" + (f" ×{n}" if n > 1 else "") for p, n in (got - want).items()]
    parts = []
    if lost:
        parts.append(f"{', '.join(lost)} in source, not in translation")
    if extra:
        parts.append(f"{', '.join(extra)} in translation, not in source")
    return "; ".join(parts)


def tag_problems(src_codes: Sequence, tgt_codes: Sequence) -> str:
    """A note naming inline codes lost, added or moved out of their nesting; ``""`` when none."""
    if not src_codes and not tgt_codes:
        return ""

    def key(code: Any) -> tuple[str, str]:
        # a native code is known by what it holds (TMX numbers its codes by position,
        # so one lost code renumbers the rest); a span or an empty code by its id
        if code.kind == "ut":  # TMX's unknown tags: their content differs by language
            return (code.kind, "")
        return (code.kind, code.text) if code.text else (code.kind, code.id)

    def keyed(codes: Sequence) -> Counter:
        return Counter(key(c) for c in codes)

    want, got = keyed(src_codes), keyed(tgt_codes)
    labels = {
        key(c): (f"<{c.kind}> {c.text}" if c.text else c.label()) for c in [*src_codes, *tgt_codes]
    }
    parts = []
    if lost := want - got:
        parts.append(f"{', '.join(labels[k] for k in lost)} in source, not in translation")
    if extra := got - want:
        parts.append(f"{', '.join(labels[k] for k in extra)} in translation, not in source")
    parents_src = {key(c): c.parent for c in src_codes}
    parents_tgt = {key(c): c.parent for c in tgt_codes}
    moved = [k for k in parents_src if k in parents_tgt and parents_src[k] != parents_tgt[k]]
    for key in moved:
        where = parents_src[key]
        parts.append(
            f"{labels[key]} is "
            + (f'inside <… id="{where}">' if where else "outside any other code")
            + " in the source, "
            + (
                f'inside <… id="{parents_tgt[key]}">'
                if parents_tgt[key]
                else "outside any other code"
            )
            + " in the translation"
        )
    return "; ".join(parts)
