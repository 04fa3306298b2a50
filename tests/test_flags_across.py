"""A judgement flag most systems share on one source line is a property of the source."""

from __future__ import annotations

from mt_eval.flags.across import shared_by_systems
from mt_eval.model import Flag, Link

LINKS = (Link((0,), (0,)), Link((1,), (1,)), Link((2,), ()))
HARD = Flag("mistranslation", "similarity 0.8 standard deviations above unrelated pairs")
LOST = Flag("dropped", "source sentence 3 has no translation")


def system(*flags: tuple[Flag, ...]) -> tuple[tuple[Link, ...], tuple[tuple[Flag, ...], ...]]:
    return LINKS, flags


def test_a_flag_most_systems_share_becomes_minor_and_says_so() -> None:
    systems = [
        system((), (HARD,), (LOST,)),
        system((), (HARD,), (LOST,)),
        system((), (), (LOST,)),
    ]
    out = shared_by_systems(systems)
    first = out[0][1][0]
    assert first.kind == "mistranslation" and first.severity == "minor"
    assert first.note.endswith(
        "flagged alike for 2 of 3 systems: likely the source is hard here, not this translation"
    )
    # A sentence every vendor leaves out is still missing: drops are never changed.
    assert [out[s][2] for s in range(3)] == [(LOST,)] * 3
    assert out[2][1] == ()


def test_a_flag_of_one_system_in_three_stays_as_it_was() -> None:
    systems = [system((), (HARD,), ()), system((), (), ()), system((), (), ())]
    assert shared_by_systems(systems)[0][1] == (HARD,)


def test_two_systems_are_too_few_to_call_anything_a_property_of_the_source() -> None:
    systems = [system((), (HARD,), ()), system((), (HARD,), ())]
    assert shared_by_systems(systems)[0][1] == (HARD,)
