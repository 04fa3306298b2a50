"""How a sentence ends, as evidence for where a link ends.

A translation usually keeps the sentence's closing: a statement ends in ``.``,
``!`` or ``?`` on both sides, while a line ending in ``:``, ``;``, ``,`` or a dash
goes on in the next one (a list, a quote, a heading such as ``Literatur :``). A
link whose last source sentence closes while its last target sentence goes on,
or the other way round, pays ``punctuation_weight``; lines ending otherwise
(no punctuation: titles, captions) pay nothing. Closing quotes and brackets are
looked through.

Measured on the development data (``python benchmarks/align_dev.py``, ``use``,
``--set punctuation_weight=0`` against the default 0.1): strict F1 0.892 -> 0.894
on Text+Berg, 0.941 -> 0.950 on ParIce (0.2: 0.891 and 0.941).

A line that goes on is also never cheap to leave unaligned (the aligner's
``continued_skip``): it is the start of a longer sentence, not a title. Measured the
same way (``--set continued_skip=0`` against the default 0.5): strict F1 0.894 ->
0.897 on Text+Berg, 0.950 -> 0.955 on ParIce (0.3: 0.895 and 0.957; 0.7: 0.894 and
0.955).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

CLOSES, GOES_ON, OTHER = 0, 1, 2
_CLOSING = ".!?…。！？"
_GOING_ON = ":;,-–—"
_LOOK_THROUGH = " )]»\"'”’"


def end_classes(sentences: Sequence[str]) -> np.ndarray:
    """:data:`CLOSES`, :data:`GOES_ON` or :data:`OTHER` for each sentence."""
    out = np.full(len(sentences), OTHER, dtype=np.int8)
    for k, text in enumerate(sentences):
        text = text.rstrip(_LOOK_THROUGH)
        if text and text[-1] in _CLOSING:
            out[k] = CLOSES
        elif text and text[-1] in _GOING_ON:
            out[k] = GOES_ON
    return out


def end_mismatch(x: int, ys: np.ndarray) -> np.ndarray:
    """1.0 where one side closes and the other goes on, else 0.0."""
    if x == OTHER:
        return np.zeros(len(ys))
    return (ys == (GOES_ON if x == CLOSES else CLOSES)).astype(np.float64)
