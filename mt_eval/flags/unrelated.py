"""Links and paragraphs no closer than unrelated text: the ``mistranslation`` tests.

* :func:`similarity_outliers`: a link whose score is a strong low outlier of its
  document's (line-aligned input, COMET, chrF against a reference), by the robust
  z-score of :func:`robust_spread`.
* :func:`far_reason`: a link whose similarity margin over its document's unrelated
  pairs (:mod:`mt_eval.flags.margin`) or whose aligner cost says it is no closer
  than unrelated text; :func:`merged_note` says what such a merged link lost or gained.
* :func:`carried_next_door`: such a link one of whose sides a neighbouring link
  already carries is an addition or an omission, not a mistranslation.
* :func:`far_paragraphs`: paragraph pairs no closer than the document's other ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from mt_eval.flags.coverage import Embed, joined_gain
from mt_eval.flags.margin import candidate_margins, document_margins, paragraph_groups
from mt_eval.flags.settings import FlagSettings
from mt_eval.model import Link, Sentence


def sentence_ids(indices: Sequence[int]) -> str:
    """How notes name sentences (1-based): ``sentence 3`` or ``sentences 3-5``."""
    first, last = indices[0] + 1, indices[-1] + 1
    return f"sentence {first}" if first == last else f"sentences {first}-{last}"


def robust_spread(values: np.ndarray) -> tuple[float, float]:
    """``(median, spread)`` of scores; a score's robust z is ``(s - median) / spread``.

    The spread is 1.4826 times the MAD, or 1.2533 times the mean absolute deviation
    when the MAD is 0 (0 when that is 0 too).
    """
    median = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - median)))
    if spread == 0.0:
        spread = 1.2533 * float(np.mean(np.abs(values - median)))
    return median, spread


def similarity_outliers(
    similarity: Sequence[float | None],
    settings: FlagSettings,
    *,
    label: str = "similarity in meaning to the source",
) -> tuple[dict[int, str], str]:
    """Links whose similarity is a strong low outlier of the document's.

    A link is an outlier when its robust z-score ``(s - median) / (1.4826 * MAD)``
    is at most ``mistranslation_max_z`` and ``s`` is at most the document's
    ``mistranslation_percentile``-th percentile. With a MAD of zero the mean absolute
    deviation (times 1.2533) stands in; when that is zero too, nothing is an outlier.

    Args:
        similarity: One score per link; ``None`` (or NaN) for links not scored.
        settings: Thresholds.
        label: What the scores are, as a note names them (``COMET quality score``).

    Returns:
        ``({link index: note}, reason)``; the reason is ``""`` unless the check did not run.
        A note gives the score, its rank among the document's scored links and the
        document's median: ``similarity in meaning to the source 0.41, the lowest of
        the 12 scored rows of this document (typical: 0.79)``.
    """
    scored = {i: float(s) for i, s in enumerate(similarity) if s is not None and math.isfinite(s)}
    if len(scored) < settings.mistranslation_min_links:
        need = settings.mistranslation_min_links
        return {}, f"not checked ({len(scored)} scored links, need {need})"
    values = np.fromiter(scored.values(), dtype=float)
    median, spread = robust_spread(values)
    if spread == 0.0:
        return {}, ""
    cut = float(np.percentile(values, settings.mistranslation_percentile))
    notes = {
        i: _outlier_note(label, s, int(np.count_nonzero(values <= s)), len(values), median)
        for i, s in scored.items()
        if (s - median) / spread <= settings.mistranslation_max_z and s <= cut
    }
    return notes, ""


def _outlier_note(label: str, score: float, rank: int, count: int, median: float) -> str:
    """``LABEL 0.41, the lowest of the 12 scored rows of this document (typical: 0.79)``."""
    where = "the lowest" if rank == 1 else f"among the {rank} lowest"
    return (
        f"{label} {score:.2f}, {where} of the {count} scored rows of this document "
        f"(typical: {median:.2f})"
    )


def far_reason(cost: float, margin: float | None, settings: FlagSettings) -> str:
    """Why a link is no closer than unrelated text, or ``""`` when it is closer.

    Either its similarity margin over the document's unrelated pairs is at most
    ``mistranslation_max_margin`` (see :mod:`mt_eval.flags.margin`), or its aligner
    cost is at least ``mistranslation_max_align_cost``. The reason says what its
    number means, for a reader who knows neither scale: ``closeness 0.8 on a scale
    where unrelated sentences of this document score about 0 and faithful
    translations about 5``, ``alignment cost 0.12, where a close translation costs
    about -1 and an unrelated sentence about 0``.
    """
    if margin is not None and margin <= settings.mistranslation_max_margin:
        return (
            f"closeness {_tenths(margin)} on a scale where unrelated sentences of this "
            "document score about 0 and faithful translations about 5"
        )
    if cost >= settings.mistranslation_max_align_cost:
        return (
            f"alignment cost {cost:.2f}, where a close translation costs about -1 "
            "and an unrelated sentence about 0"
        )
    return ""


def _tenths(value: float) -> str:
    """``value`` to one decimal, without the ``-0.0`` a reader would puzzle over."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def far_note(why: str) -> str:
    """The ``mistranslation`` note of a link no closer than unrelated text (``why``: by what)."""
    return f"no closer in meaning to its source than an unrelated sentence ({why})"


def merged_note(link: Link, why: str) -> str:
    """Note for a merged link no closer than an unrelated pair (``why`` says by what).

    The aligner merges sentences when that lowers the cost; a merged bead that is still
    no closer than unrelated text holds a sentence with no counterpart on its larger
    side (a drop or an insertion absorbed into a neighbour), not a wrong translation.
    """
    if len(link.src) > len(link.tgt):
        return (
            f"partial omission: source {sentence_ids(link.src)} share one row with a "
            f"translation no closer in meaning to them than an unrelated sentence ({why}); "
            "part of this source is likely left untranslated"
        )
    return (
        f"partial addition: translation {sentence_ids(link.tgt)} share one row with a "
        f"source no closer in meaning to them than an unrelated sentence ({why}); "
        "part of this translation likely has no source"
    )


def carried_next_door(
    n: int,
    links: Sequence[Link],
    joined: Sequence[tuple[str, str]],
    far: dict[int, str],
    embed: Embed,
) -> tuple[str, str] | None:
    """``("omission" | "addition", note)`` when a neighbouring link carries one side of link ``n``.

    Link ``n`` is no closer than unrelated text. If joining its source to the source of
    the previous or next link (one with both sides, not itself far) does not lower that
    link's similarity, the neighbour's translation already carries it, so link ``n``'s
    translation has no source: an addition the aligner paired with a source translated
    next door. Likewise, a translation the neighbour's source carries leaves link ``n``'s
    source without translation: an omission. The larger gain decides; ``None`` when
    both are negative (a wrong translation in place: ``mistranslation``).
    """
    best: tuple[float, str, str] | None = None
    for m, where in ((n - 1, "previous"), (n + 1, "next")):
        if not 0 <= m < len(links) or m in far or not (links[m].src and links[m].tgt):
            continue
        src_m, tgt_m = joined[m]
        src_n, tgt_n = joined[n]
        for side, own, extra, other in (
            ("source", src_m, src_n, tgt_m),
            ("translation", tgt_m, tgt_n, src_m),
        ):
            gain = joined_gain(embed, own, extra, other, extra_first=m > n)
            if gain >= 0 and (best is None or gain > best[0]):
                best = (gain, side, where)
    if best is None:
        return None
    gain, side, where = best
    link = links[n]
    src, tgt = sentence_ids(link.src), sentence_ids(link.tgt)
    change = f"changes that row's similarity in meaning by {gain:+.2f}"
    if side == "source":
        return "addition", (
            f"translation {tgt} has no source here: source {src} is already translated in "
            f"the {where} row (adding it to that row's source {change})"
        )
    return "omission", (
        f"source {src} has no translation here: translation {tgt} belongs to the {where} "
        f"row's source (adding it to that row's translation {change})"
    )


def far_paragraphs(
    links: Sequence[Link],
    src: Sequence[Sentence],
    tgt: Sequence[Sentence],
    embed: Embed,
    seed: int,
    settings: FlagSettings,
    second: Embed | None = None,
) -> list[tuple[list[int], str, bool]]:
    """``(link indices, reason, by second model)`` per paragraph pair no closer than others.

    Paragraph pairs (:func:`~mt_eval.flags.margin.paragraph_groups`) are compared with
    each other as links are: a pair whose margin is at most ``mistranslation_max_margin``
    is a paragraph replaced by another text's translation, whatever its links look
    like one by one. With ``second``, a pair whose margin lies above that but at most
    ``mistranslation_unsure_margin`` is scored by the second model too
    (:func:`~mt_eval.flags.margin.candidate_margins`), and is far when that margin is
    at most ``mistranslation_max_margin``: the third item is then True.
    """
    groups = paragraph_groups(links, src, tgt)
    texts = [
        (
            " ".join(src[i].text for n in group for i in links[n].src),
            " ".join(tgt[i].text for n in group for i in links[n].tgt),
        )
        for group in groups
    ]
    least = settings.mistranslation_min_links
    margins = document_margins(embed, texts, seed=seed, min_links=least)
    high = settings.mistranslation_max_margin
    unsure = [
        n
        for n, margin in enumerate(margins)
        if margin is not None and high < margin <= settings.mistranslation_unsure_margin
    ]
    seconds: dict[int, float] = {}
    if second is not None and unsure:
        seconds = candidate_margins(second, texts, unsure, seed=seed, min_links=least)
    out = []
    for n, (group, margin) in enumerate(zip(groups, margins, strict=True)):
        if margin is not None and margin <= high:
            closeness, by_second = f"closeness {_tenths(margin)}", False
        elif n in seconds and seconds[n] <= high:
            closeness = (
                f"closeness {_tenths(seconds[n])} by a second model, {_tenths(margin)} by the "
                "first, which was unsure"
            )
            by_second = True
        else:
            continue
        why = (
            "its paragraph as a whole is no closer in meaning to the source paragraph than "
            f"an unrelated paragraph ({closeness} on a scale where unrelated "
            "paragraphs of this document score about 0)"
        )
        out.append((group, why, by_second))
    return out
