"""A profile's exam date: setting and clearing it, and today's new-card pace from the store.

The rules themselves are pure functions in :mod:`trainer.study.exam_date`; this module reads
what they need (new cards left, the date) and writes the profile's exam settings. Clearing the
date changes nothing else: memory states are FSRS's throughout, so the schedule simply goes on
without the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.store.enums import StudyQueue
from trainer.store.tables import CardState, Profile, table_of
from trainer.study.exam_date import NewCardPace, new_card_pace
from trainer.study.scheduling import Settings, study_date

_CS = table_of(CardState)
_PROFILE = table_of(Profile)
# An exam more than two years away is almost certainly a typing mistake in the year.
MAX_DAYS_AHEAD = 730


class ExamDateError(ValueError):
    """An exam date or limit that cannot be used; the message says what to enter instead."""


@dataclass(frozen=True)
class ExamPlan:
    """What the page shows about the exam date: days left and the new-card pace."""

    exam_date: date
    days_left: int  # study days before the exam day, today included
    pace: NewCardPace
    maximum_per_day: int

    @property
    def passed(self) -> bool:
        return self.days_left <= 0

    def explain(self) -> str:
        if self.passed:
            return "The exam date has passed: the schedule is back to normal."
        return self.pace.explain(self.maximum_per_day)


def set_exam_date(
    engine: Engine,
    profile_id: int,
    exam_date: date | None,
    max_new_per_day: int | None = None,
    today: date | None = None,
    actor: Actor | None = None,
) -> None:
    """Set (or with None, clear) the profile's exam date and, optionally, the new-card maximum.
    With sign-in on, one's own profile only (``actor``; None is local mode or the trainer itself,
    e.g. a team's exam date copied to its members)."""
    require_profile(engine, actor, profile_id)
    values: dict[str, object] = {"exam_date": exam_date}
    if exam_date is not None and today is not None:
        if exam_date <= today:
            raise ExamDateError("Choose an exam date after today.")
        if (exam_date - today).days > MAX_DAYS_AHEAD:
            raise ExamDateError(f"Choose an exam date within {MAX_DAYS_AHEAD // 365} years.")
    if max_new_per_day is not None:
        if not 1 <= int(max_new_per_day) <= 9999:
            raise ExamDateError("The most new cards a day must be between 1 and 9999.")
        values["exam_max_new_per_day"] = int(max_new_per_day)
    with engine.begin() as conn:
        changed = conn.execute(update(_PROFILE).where(_PROFILE.c.id == profile_id).values(**values)).rowcount
    if not changed:
        raise ExamDateError("That profile no longer exists.")


def new_cards_left(engine: Engine, profile_id: int) -> int:
    """New cards not introduced yet (suspended and retired ones do not count)."""
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(_CS.c.profile_id == profile_id, _CS.c.queue == StudyQueue.NEW)
            ).scalar_one()
        )


def todays_pace(
    engine: Engine, profile_id: int, settings: Settings, now: datetime, new_done_today: int
) -> NewCardPace | None:
    """Today's new-card pace toward the exam, or None without an exam date.

    The cards introduced today are added back so that the limit is the same all day.
    """
    if settings.exam_date is None:
        return None
    new_left = new_cards_left(engine, profile_id) + new_done_today
    return new_card_pace(
        new_left,
        study_date(now, settings),
        settings.exam_date,
        settings.new_per_day,
        settings.exam_max_new_per_day,
    )


def exam_plan(
    engine: Engine,
    profile_id: int,
    settings: Settings,
    now: datetime,
    new_done_today: int,
    actor: Actor | None = None,
) -> ExamPlan | None:
    """The page's summary of the exam date, or None without one. With sign-in on, one's own
    profile only."""
    require_profile(engine, actor, profile_id)
    pace = todays_pace(engine, profile_id, settings, now, new_done_today)
    if pace is None or settings.exam_date is None:
        return None
    days_left = (settings.exam_date - study_date(now, settings)).days
    return ExamPlan(settings.exam_date, days_left, pace, settings.exam_max_new_per_day)
