"""The workshop figures (trainer.charts.workshops) that every page of a room draws."""

from __future__ import annotations

from trainer.charts.workshops import leaderboard_chart
from trainer.workshops.model import Standing


def standing(rank: int, pid: int, name: str, points: int) -> Standing:
    return Standing(rank, pid, name, None, points, correct=int(points > 0), answered=1)


def test_a_board_where_nobody_scored_says_so_and_shows_the_zeros():
    # After a first question nobody got right the board was three labels and no bars.
    fig = leaderboard_chart([standing(1, 1, "Ana", 0), standing(1, 2, "Ben", 0)])
    assert fig.layout.title.text == "Leaderboard: no points yet"
    assert list(fig.data[0].text) == ["0", "0"] and fig.data[0].textposition == "outside"


def test_a_board_with_points_is_the_plain_leaderboard():
    fig = leaderboard_chart([standing(1, 1, "Ana", 986), standing(2, 2, "Ben", 0)], highlight=2)
    assert fig.layout.title.text == "Leaderboard"
    assert list(fig.data[0].y) == ["1. Ana", "2. Ben"]
    assert fig.data[0].marker.color[1] == "#7c3aed"  # the participant's own row is marked
