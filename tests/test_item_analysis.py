"""Item analysis against numbers computed by hand (see the comments for the arithmetic)."""

from __future__ import annotations

import math

import pytest

from trainer.workshops.item_analysis import (
    Response,
    analyse,
    difficulty,
    flags_for,
    halves,
    point_biserial,
    pstdev,
)

# Five people, three items (key: option 1 for every item).
#            item 0  item 1  item 2   total
#   A        right   right   right      3
#   B        right   right   wrong      2
#   C        right   wrong   wrong      1
#   D        wrong   wrong   right      1
#   E        wrong   wrong   wrong      0
# Totals 3 2 1 1 0: mean 1.4, squared deviations 2.56 .36 .16 .16 1.96 = 5.2, S_t = sqrt(1.04).
TABLE = {
    "A": (1, 1, 1),
    "B": (1, 1, 0),
    "C": (1, 0, 0),
    "D": (0, 0, 1),
    "E": (0, 0, 0),
}
# Wrong answers pick option 2 (C), except E's on items 0 and 2 (option 3, D).
WRONG_CHOICE = {("E", 0): 3, ("E", 2): 3}


def responses() -> list[Response]:
    out = []
    for person, row in TABLE.items():
        for item, right in enumerate(row):
            chosen = (1,) if right else (WRONG_CHOICE.get((person, item), 2),)
            out.append(Response(person, item, chosen, bool(right)))
    return out


S_T = math.sqrt(1.04)


def test_population_sd_and_difficulty():
    assert pstdev([3, 2, 1, 1, 0]) == pytest.approx(S_T)
    assert difficulty([True, True, True, False, False]) == pytest.approx(0.6)
    assert difficulty([]) is None


def test_point_biserial_by_hand():
    totals = [3, 2, 1, 1, 0]
    # Item 0: right A B C (M_p = 2), wrong D E (M_q = 0.5), p = .6:
    # (2 - 0.5) / 1.0198039 * sqrt(.6 * .4) = 1.4708710 * 0.4898979 = 0.7205767
    assert point_biserial([1, 1, 1, 0, 0], totals) == pytest.approx(0.7205767, abs=1e-6)
    # Item 1: right A B (M_p = 2.5), wrong C D E (M_q = 2/3), p = .4: 0.8807048
    assert point_biserial([1, 1, 0, 0, 0], totals) == pytest.approx(0.8807048, abs=1e-6)
    # Item 2: right A D (M_p = 2), wrong B C E (M_q = 1), p = .4: 0.4803845
    assert point_biserial([1, 0, 0, 1, 0], totals) == pytest.approx(0.4803845, abs=1e-6)


def test_point_biserial_is_undefined_where_it_should_be():
    assert point_biserial([1, 1, 1], [3, 2, 1]) is None  # p = 1
    assert point_biserial([0, 0, 0], [3, 2, 1]) is None  # p = 0
    assert point_biserial([1, 0], [1, 1]) is None  # S_t = 0
    assert point_biserial([1], [1]) is None  # one person
    assert point_biserial([], []) is None
    with pytest.raises(ValueError):
        point_biserial([1, 0], [1])


def test_negative_discrimination_flags_the_key():
    # Totals 2 2 1 0; the item is right only for the person with total 1:
    # M_p = 1, M_q = (2 + 2 + 0) / 3 = 4/3, S_t = sqrt(.6875) = 0.8291562, p = .25:
    # (1 - 4/3) / 0.8291562 * sqrt(.25 * .75) = -0.1740777
    rows = {"P1": (1, 1, 0), "P2": (1, 1, 0), "P3": (0, 0, 1), "P4": (0, 0, 0)}
    data = [
        Response(p, i, (1,) if r else (0,), bool(r)) for p, row in rows.items() for i, r in enumerate(row)
    ]
    stats = analyse(data, [0, 1, 2], {0: 4, 1: 4, 2: 4}, {0: (1,), 1: (1,), 2: (1,)})
    item = stats[2]
    assert item.p == pytest.approx(0.25)
    assert item.r_pb == pytest.approx(-0.1740777, abs=1e-6)
    assert "check_key" in item.flag_codes and "too_hard" in item.flag_codes
    assert "small_n" in item.flag_codes  # N = 4
    assert any("check the key" in f.message for f in item.flags)


def test_halves_split_by_total_with_the_middle_left_out():
    top, bottom = halves({"A": 3, "B": 2, "C": 1, "D": 1, "E": 0})
    assert top == {"A", "B"} and bottom == {"D", "E"}  # C (the middle of five) in neither
    assert halves({"A": 1}) == (set(), set())
    assert halves({}) == (set(), set())
    top, bottom = halves({"x": 1, "y": 1, "z": 1, "w": 1})  # ties: split by name, stably
    assert top == {"w", "x"} and bottom == {"y", "z"}


def test_analyse_gives_difficulty_discrimination_distractors_and_n():
    stats = analyse(responses(), [0, 1, 2], {0: 4, 1: 4, 2: 4}, {0: (1,), 1: (1,), 2: (1,)})
    first = stats[0]
    assert (first.n, first.correct) == (5, 3)
    assert first.p == pytest.approx(0.6)
    assert first.r_pb == pytest.approx(0.7205767, abs=1e-6)
    assert (first.n_top, first.n_bottom) == (2, 2)
    by_option = {o.index: (o.is_key, o.chosen, o.top, o.bottom) for o in first.options}
    # Key B: A, B (top) and C (middle). D (bottom) chose C, E (bottom) chose D.
    assert by_option == {0: (False, 0, 0, 0), 1: (True, 3, 2, 0), 2: (False, 1, 0, 1), 3: (False, 1, 0, 1)}
    assert first.options[1].share(first.n) == pytest.approx(0.6)
    assert "distractor_attracts_top" not in first.flag_codes
    # Item 2: B (top half) chose C, nobody of the bottom half did (D right, E chose D):
    # a wrong option that attracts the top half.
    third = {o.index: (o.top, o.bottom) for o in stats[2].options}
    assert third[2] == (1, 0) and third[3] == (0, 1)
    assert "distractor_attracts_top" in stats[2].flag_codes
    assert any("Option C" in f.message for f in stats[2].flags)
    assert [s.p for s in stats] == pytest.approx([0.6, 0.4, 0.4])


def test_an_item_nobody_answered_has_no_figures():
    stats = analyse(responses(), [0, 7], {7: 4})
    empty = stats[1]
    assert (empty.n, empty.p, empty.r_pb) == (0, None, None)
    assert len(empty.options) == 4 and empty.flags == ()


@pytest.mark.parametrize(
    "p, codes",
    [
        (0.80, {"too_easy"}),
        (0.79, set()),
        (0.30, set()),
        (0.29, {"too_hard"}),
        (None, set()),
    ],
)
def test_difficulty_flags_use_the_useful_range(p, codes):
    assert {f.code for f in flags_for(p, 0.4, 40)} == codes


def test_small_groups_are_flagged_but_not_as_a_problem():
    flags = flags_for(0.5, 0.4, 9)
    assert [f.code for f in flags] == ["small_n"]
    assert not flags[0].warning
    assert flags_for(0.5, 0.4, 10) == ()
    assert "1 answer:" in flags_for(1.0, None, 1)[-1].message
