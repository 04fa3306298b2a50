"""Flags that fire alike for most systems of a pair: a property of the source.

A judgement flag (``mistranslation``, ``entity_mismatch``, ``number_mismatch``)
that most systems get on the same source sentences says more about the source
(a hard line, an idiom, a unit the translators convert) than about any one
translation: on human-judged WMT output, 38 of 47 ``mistranslation`` flags sat on
4 source lines, flagged for most of 13 systems alike. Such a flag is kept, so that
a reviewer still sees it, but its severity becomes ``minor`` and its note says how
many systems share it. ``dropped``, ``added``, ``duplicate`` and ``untranslated``
are never changed: a sentence every vendor leaves out is still missing.

It takes at least :data:`MIN_SYSTEMS` systems, and more than half of them, to call
a flag a property of the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from mt_eval.model import Flag, Link

SOURCE_KINDS = frozenset({"mistranslation", "entity_mismatch", "number_mismatch"})
"""Kinds a hard source can draw for every system."""

MIN_SYSTEMS = 3
"""Fewest systems of a pair for the rule to apply."""


def shared_by_systems(
    systems: Sequence[tuple[Sequence[Link], Sequence[tuple[Flag, ...]]]],
) -> list[list[tuple[Flag, ...]]]:
    """Each system's flags, with those most systems share on a source marked as such.

    Args:
        systems: Per system of one pair, its links and their flags (in link order).

    Returns:
        Per system, per link, the flags; a shared judgement flag has severity
        ``minor`` and a note ending in ``flagged alike for K of N systems: ...``.
    """
    count = len(systems)
    out = [list(flags) for _, flags in systems]
    if count < MIN_SYSTEMS:
        return out
    flagged: dict[str, list[set[int]]] = {
        kind: [
            {
                i
                for link, fl in zip(links, flags, strict=True)
                if any(f.kind == kind for f in fl)
                for i in link.src
            }
            for links, flags in systems
        ]
        for kind in SOURCE_KINDS
    }
    for s, (links, flags) in enumerate(systems):
        for n, (link, fl) in enumerate(zip(links, flags, strict=True)):
            if not link.src or not any(f.kind in SOURCE_KINDS for f in fl):
                continue
            changed = []
            for flag in fl:
                if flag.kind in SOURCE_KINDS:
                    alike = sum(bool(set(link.src) & ids) for ids in flagged[flag.kind])
                    if 2 * alike > count:
                        note = (
                            f"{flag.note}; flagged alike for {alike} of {count} systems: likely "
                            "the source is hard here, not this translation"
                        )
                        flag = replace(flag, note=note, severity="minor")
                changed.append(flag)
            out[s][n] = tuple(changed)
    return out
