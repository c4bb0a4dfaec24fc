"""Points for one answer in a workshop room.

Two rules, chosen by the host when the room is created:

* *speed* — Kahoot's ``round(1000 × (1 − (t/T)/2))`` for a correct answer, where ``t`` is the
  time taken and ``T`` the timer: 1000 for an instant answer, 500 at the buzzer, and the full
  1000 under half a second (nobody reads a question faster, so the very fastest are not split
  by network jitter);
* *accuracy* — 1000 for every correct answer, however long it took.

A wrong answer scores 0 under both. Whether an answer is correct (all-or-nothing for
multiple-response questions) is :func:`trainer.content.selection.is_correct`, the same rule as
in exams and study. A team's score is the average of its members' points, as Kahoot does
(:func:`trainer.workshops.results.team_scores`).
"""

from __future__ import annotations

# The scoring rule is a column of the room table, so it is the store's enum.
from trainer.store.enums import Scoring as Scoring

MAX_POINTS = 1000
FULL_POINTS_WITHIN = 0.5  # seconds: Kahoot gives the full 1000 to answers faster than this


def points_for(correct: bool, elapsed_s: float, seconds: int, scoring: Scoring | str) -> int:
    """Points for one answer: Kahoot's formula for speed scoring, 1000 for accuracy scoring."""
    if not correct:
        return 0
    if Scoring(scoring) is Scoring.ACCURACY:
        return MAX_POINTS
    t = min(max(elapsed_s, 0.0), float(seconds))
    if t < FULL_POINTS_WITHIN:
        return MAX_POINTS
    return int(MAX_POINTS * (1 - (t / seconds) / 2) + 0.5)  # round half up
