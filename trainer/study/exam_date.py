"""Studying toward an exam date: the new-card pace and the intervals that lead up to the date.

FSRS schedules for an open-ended future: a card known well gets an interval of weeks, and if
that interval ends after the exam the learner meets the card next only after they needed it. With
an exam date the scheduler keeps FSRS's memory model and changes only *when* cards are shown:

* **New-card pace.** Every card is introduced early enough to be reviewed at least twice before
  the date. New cards are introduced up to ``INTRODUCTION_LEAD_DAYS`` before the exam, so the
  pace is the new cards left divided by the days left for introducing them, never below the
  learner's usual new cards per day and never above the maximum they set for the exam. When that
  maximum is too low for the date the pace is the maximum and the plan says the date is out of
  reach (the page shows it), rather than silently leaving cards unseen.
* **Intervals before the date** (:func:`exam_due`). A card just learned or relearned is brought
  back within half the days left, so it is seen at least once more before the exam. An interval
  that would end on or after the exam day ends in the final window instead: on one of the last
  ``FINAL_WINDOW_DAYS`` study days before the exam, chosen per card (so the window's load is
  spread), never sooner than a day. A card answered inside the final window keeps its interval:
  it has just been seen there.
* **After the date** nothing applies any more: the memory state was FSRS's throughout, so the
  next interval is the normal one and nothing is lost.

The functions are pure (dates in, dates out) so the scheduler applies them in the one place that
computes a button's interval: the interval a button shows is the interval it gives.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The last study days before the exam in which every card in review is seen once more. Three
# days: recall one to three days after a review of a card with a stability of a week or more is
# above 0.9, and spreading the final look over three days keeps the busiest day bearable.
FINAL_WINDOW_DAYS = 3
# New cards stop this many days before the exam. A card introduced on day d is back within half
# the days left (rule of exam_due), then once more before or in the final window: with seven days
# left that is day d+3 and a day in the final window, so two reviews after the first day.
INTRODUCTION_LEAD_DAYS = 7
DAY = timedelta(days=1)


@dataclass(frozen=True)
class NewCardPace:
    """How many new cards a day are introduced while an exam date is set, and why."""

    per_day: int  # the limit the queue uses today
    required: int  # what the date needs, ignoring the learner's maximum
    days_for_introduction: int  # study days left (today included) to introduce new cards
    new_left: int  # new cards not yet introduced at the start of today
    reachable: bool  # False: the maximum (or too few days) leaves cards without two reviews

    def explain(self, maximum: int) -> str:
        """One sentence for the page."""
        if self.new_left == 0:
            return "Every card has been introduced."
        if self.reachable:
            return (
                f"{self.per_day} new cards a day introduces the {self.new_left} cards left in "
                f"{math.ceil(self.new_left / max(1, self.per_day))} days, in time for two reviews "
                "of each before the exam."
            )
        if self.required > maximum:
            return (
                f"The exam date needs {self.required} new cards a day and your maximum is {maximum}: "
                "raise the maximum or move the date, or some cards will not be reviewed twice."
            )
        return (
            "The exam is too close for every card to be reviewed twice: all the new cards left "
            "are offered today."
        )


def exam_start(exam_date: date, day_starts_at: int, zone: ZoneInfo) -> datetime:
    """The moment (UTC) the exam's study day begins; reviews before it count as before the exam."""
    return datetime.combine(exam_date, time(day_starts_at), tzinfo=zone).astimezone(UTC)


def new_card_pace(
    new_left: int, today: date, exam_date: date, usual_per_day: int, maximum_per_day: int
) -> NewCardPace:
    """The new-card limit for ``today`` (a study date) with the exam on ``exam_date``.

    ``new_left`` counts the new cards not introduced before today began, so the limit stays the
    same all day. Before the date the pace spreads them evenly over the days that still allow two
    reviews each; on and after the exam day the usual limit applies again.
    """
    days_left = (exam_date - today).days
    if days_left <= 0:
        return NewCardPace(usual_per_day, usual_per_day, 0, new_left, True)
    days_for_introduction = max(1, days_left - INTRODUCTION_LEAD_DAYS + 1)
    enough_time = days_left >= INTRODUCTION_LEAD_DAYS
    required = math.ceil(new_left / days_for_introduction) if new_left else 0
    if not enough_time:
        required = new_left  # every card left, today: still the best that can be done
    per_day = min(max(required, usual_per_day), max(maximum_per_day, usual_per_day))
    reachable = new_left == 0 or (enough_time and required <= per_day)
    return NewCardPace(per_day, required, days_for_introduction, new_left, reachable)


def exam_due(
    now: datetime, natural_due: datetime, exam_at: datetime, graduating: bool, card_key: str
) -> datetime:
    """The due moment of a card answered at ``now``, given FSRS's own ``natural_due``.

    ``graduating``: the card leaves learning or relearning with this answer (it was not in review
    before). ``card_key`` picks the card's day within the final window, the same for a preview and
    the answer that follows it. Intervals are whole days from ``now``, as FSRS's are.
    """
    if now >= exam_at or natural_due <= now:
        return natural_due
    days_left = (exam_at - now) / DAY
    last_day = math.ceil(days_left) - 1  # the most whole days from now that still end before it
    if last_day < 1:
        return natural_due  # the last study day before the exam: nothing more fits in
    natural_days = (natural_due - now) / DAY
    if graduating:
        # Seen once more before the exam, within half the time left.
        limit = max(1, math.floor(days_left / 2))
        if natural_days > limit:
            return now + limit * DAY
        return natural_due
    if natural_due < exam_at:
        return natural_due
    first_day = max(1, last_day - FINAL_WINDOW_DAYS + 1)
    if days_left <= FINAL_WINDOW_DAYS:
        return natural_due  # answered inside the final window: it has just been seen there
    return now + _spread(card_key, first_day, last_day) * DAY


def _spread(card_key: str, low: int, high: int) -> int:
    """A day in [low, high] fixed by the card and its review, so previews match answers."""
    digest = hashlib.blake2b(card_key.encode(), digest_size=8).digest()
    return low + int.from_bytes(digest, "big") % (high - low + 1)
