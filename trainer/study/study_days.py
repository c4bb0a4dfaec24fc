"""A profile's study calendar: load balancing on or off, easy days, a vacation.

The rules are in ``trainer.study.load_balance``; this module stores them (``profile.calendar``)
and, when a vacation is set, moves the cards already due inside it, in one transaction: each goes
before the vacation when it keeps half its interval, otherwise to the lightest of the days after
it, so the backlog is spread and no day gets a pile. From then on the scheduler keeps new due
days out of the vacation. Pages call :func:`set_calendar` (the settings form) and show
:class:`VacationMove` (what the vacation changed).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.store.enums import StudyQueue
from trainer.store.statements import writing
from trainer.store.tables import Profile, table_of
from trainer.store.types import utcnow
from trainer.study import statements as sql
from trainer.study.due_load import day_begins
from trainer.study.load_balance import (
    Vacation,
    calendar_from_json,
    check_easy_days,
    check_vacation,
    spread_out_of_vacation,
)
from trainer.study.profiles import ProfileError, get_profile
from trainer.study.queue import settings_for
from trainer.study.scheduling import study_date

PROFILES = table_of(Profile)
KEEP = object()  # "leave this setting as it is"


@dataclass(frozen=True)
class VacationMove:
    """What setting a vacation did to cards already due inside it."""

    before: int  # cards brought before the vacation
    after: int  # cards spread over the days after it
    busiest_day_after: int  # the most cards (moved or not) due on one day after it

    def describe(self) -> str:
        if not self.before and not self.after:
            return "No card was due during the vacation."
        return (
            f"{self.before} card(s) moved before the vacation and {self.after} spread over the days "
            f"after it (at most {self.busiest_day_after} due on one of those days)."
        )


def set_calendar(
    engine: Engine,
    profile_id: int,
    *,
    load_balancing: bool | object = KEEP,
    easy_days: Sequence[int] | object = KEEP,
    vacation: tuple[date, date] | None | object = KEEP,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> VacationMove:
    """Change the calendar settings given (others are kept); ``vacation=None`` clears it.

    Setting a vacation moves the cards due in it (see the module docstring) in the same
    transaction. Bad values raise ProfileError with a sentence for the page.
    """
    require_profile(engine, actor, profile_id)
    now = now or utcnow()
    profile = get_profile(engine, profile_id)
    if profile is None:
        raise ProfileError("That profile no longer exists.")
    data: dict[str, Any] = dict(profile.calendar or {})
    try:
        if load_balancing is not KEEP:
            data["load_balancing"] = bool(load_balancing)
        if easy_days is not KEEP:
            data["easy_days"] = list(check_easy_days(easy_days))  # type: ignore[arg-type]
        if vacation is None:
            data.pop("vacation", None)
        elif vacation is not KEEP:
            days_off = cast(tuple[date, date], vacation)
            checked = check_vacation(days_off[0], days_off[1])
            data["vacation"] = [checked.start.isoformat(), checked.end.isoformat()]
    except (ValueError, TypeError) as exc:
        raise ProfileError(str(exc)) from None
    profile.calendar = data or None
    settings = settings_for(profile)
    with writing(engine) as conn:
        conn.execute(update(PROFILES).where(PROFILES.c.id == profile_id).values(calendar=profile.calendar))
        if settings.vacation is None or vacation is KEEP:
            return VacationMove(0, 0, 0)
        return _move_out(conn, profile_id, settings, settings.vacation, now)


def _move_out(conn: Any, profile_id: int, settings: Any, vacation: Vacation, now: datetime) -> VacationMove:
    start, end = day_begins(vacation.start, settings), day_begins(vacation.end + timedelta(days=1), settings)
    cards = sql.CARDS
    rows = conn.execute(
        select(cards.c.id, cards.c.card_id, cards.c.due, cards.c.last_review).where(
            cards.c.profile_id == profile_id,
            cards.c.queue == StudyQueue.REVIEW,
            cards.c.due >= start,
            cards.c.due < end,
        )
    ).all()
    today = study_date(now, settings)
    last_after = vacation.end + timedelta(days=vacation.spread_days)
    around = conn.execute(
        select(cards.c.due).where(
            cards.c.profile_id == profile_id,
            cards.c.queue == StudyQueue.REVIEW,
            cards.c.due >= day_begins(today, settings),
            cards.c.due < day_begins(last_after + timedelta(days=1), settings),
        )
    ).scalars()
    counts = Counter(study_date(due, settings) for due in around)
    for row in rows:
        counts[study_date(row.due, settings)] -= 1
    moving = [
        (row.card_id, study_date(row.due, settings), study_date(row.last_review or now, settings))
        for row in rows
    ]
    days = spread_out_of_vacation(moving, today, vacation, counts, settings.easy_days)
    by_card = {row.card_id: row for row in rows}
    for card_id, day in days.items():
        row = by_card[card_id]
        shift = (day - study_date(row.due, settings)).days
        conn.execute(update(cards).where(cards.c.id == row.id).values(due=row.due + timedelta(days=shift)))
        counts[day] += 1
    after_days = [vacation.end + timedelta(days=k) for k in range(1, vacation.spread_days + 1)]
    return VacationMove(
        before=sum(1 for d in days.values() if d < vacation.start),
        after=sum(1 for d in days.values() if d > vacation.end),
        busiest_day_after=max((counts[d] for d in after_days), default=0),
    )


def calendar_of(profile: Profile) -> dict[str, Any]:
    """The calendar as the settings page shows it: load_balancing, easy_days, vacation."""
    values = calendar_from_json(profile.calendar)
    vacation = values.get("vacation")
    return {
        "load_balancing": values.get("load_balancing", True),
        "easy_days": values.get("easy_days", (100,) * 7),
        "vacation": (vacation.start, vacation.end) if isinstance(vacation, Vacation) else None,
    }
