"""The learner's review cards due per study day, read from the store: load balancing's input.

The scheduler (``trainer.study.scheduling``) asks for the days of one card's fuzz range. A
:class:`DueCalendar` belongs to one :class:`trainer.study.queue.Study` and answers from memory:
a day is counted in the database the first time it is asked for (one grouped query on the
``(profile_id, queue, due)`` index per run of missing days, counting in SQL rather than reading
every due moment into Python), and the Study's own answers move their card from its old day to
its new one. That is how Anki's load balancer works too (its counts are read when the queue is
built and kept up to date by each answer): recording a rating does not read hundreds of rows.

Pages build a fresh Study on every rerun, so a page's counts are at most one rerun old; answers
given meanwhile in another tab or on another device are in the next rerun's counts. A preview and
the answer after it are given the same counts when they share a Study, and equal counts when
nothing changed in between, so the interval a button shows is the interval it applies.

The card being answered is left out (:meth:`DueCalendar.without`), so its own current due day
does not make that day look busier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Integer, Select, bindparam, cast, extract, func, select
from sqlalchemy.engine import Connection

from trainer.store.enums import StudyQueue
from trainer.study import statements as sql
from trainer.study.scheduling import Settings, study_date

_DAY = timedelta(days=1)
_START_S = bindparam("start_s", type_=Integer)
# Whole days since ``start_s`` (seconds since the epoch), in each database's own arithmetic. A
# day here is 86,400 s: runs of days are split where the learner's zone changes its offset.
# SQLite keeps a timestamp as 'YYYY-MM-DD HH:MM:SS.ffffff' and rounds fractions to milliseconds
# when it reads one, which would move 23:59:59.9999 to the next day: the whole seconds only.
_DAY_INDEX = {
    "sqlite": (cast(func.strftime("%s", func.substr(sql.CARDS.c.due, 1, 19)), Integer) - _START_S) // 86400,
    "postgresql": cast(func.floor((extract("epoch", sql.CARDS.c.due) - _START_S) / 86400), Integer),
}


def _due_per_day(day_index: ColumnElement[int]) -> Select[int, int]:
    return (
        select(day_index, func.count())
        .where(
            sql.CARDS.c.profile_id == bindparam("pid"),
            sql.CARDS.c.queue == StudyQueue.REVIEW,
            sql.CARDS.c.due >= bindparam("start"),
            sql.CARDS.c.due < bindparam("end"),
        )
        .group_by(day_index)
    )


DUE_PER_DAY = {dialect: _due_per_day(index) for dialect, index in _DAY_INDEX.items()}


def day_begins(day: date, settings: Settings) -> datetime:
    """The moment (UTC) the study day ``day`` begins in the learner's zone."""
    return datetime.combine(day, time(settings.day_starts_at), tzinfo=settings.zone).astimezone(UTC)


def _even_runs(first: date, last: date, settings: Settings) -> list[tuple[date, datetime, datetime, int]]:
    """``[first, last]`` as runs of days that are each exactly 24 hours long: (first day, when it
    begins, when the run ends, days). A day of 23 or 25 hours (summer time starts or ends) is a
    run of its own, so whole 86,400 s steps from a run's beginning always land on its days."""
    runs: list[tuple[date, datetime, datetime, int]] = []
    run: tuple[date, datetime, int] | None = None
    day, begins = first, day_begins(first, settings)
    while day <= last:
        ends = day_begins(day + _DAY, settings)
        if ends - begins == _DAY:
            run = (run[0], run[1], run[2] + 1) if run else (day, begins, 1)
        else:
            if run:
                runs.append((run[0], run[1], begins, run[2]))
                run = None
            runs.append((day, begins, ends, 1))
        day, begins = day + _DAY, ends
    if run:
        runs.append((run[0], run[1], begins, run[2]))
    return runs


class DueCalendar:
    """Review cards due per study day for one profile, as load balancing reads them (see the
    module docstring): counted in the store once per day asked for, then kept in memory."""

    def __init__(self, profile_id: int | None, settings: Settings):
        self.profile_id = profile_id
        self.settings = settings
        self._counts: Counter[date] = Counter()
        self._known: set[date] = set()

    def counts(self, conn: Connection, first: date, last: date) -> dict[date, int]:
        """Review cards due on each day from ``first`` to ``last`` (days without any: 0)."""
        days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        if not self._known.issuperset(days):
            missing = [day for day in days if day not in self._known]
            self._load(conn, missing[0], missing[-1])
        counts = self._counts
        return {day: counts[day] for day in days if counts.get(day)}

    def _load(self, conn: Connection, first: date, last: date) -> None:
        query = DUE_PER_DAY.get(conn.dialect.name)
        if query is None:  # pragma: no cover - the trainer supports SQLite and PostgreSQL
            raise NotImplementedError(f"DueCalendar does not support {conn.dialect.name}")
        for run_first, begins, ends, length in _even_runs(first, last, self.settings):
            rows = conn.execute(
                query,
                {"pid": self.profile_id, "start": begins, "end": ends, "start_s": int(begins.timestamp())},
            ).all()
            days = [run_first + timedelta(days=k) for k in range(length)]
            # Days read before keep their counts: those include this Study's own answers since.
            fresh = {day for day in days if day not in self._known}
            self._known.update(fresh)
            for index, n in rows:
                day = days[min(int(index), length - 1)]
                if day in fresh:
                    self._counts[day] += int(n)

    def day_of(self, due: datetime | None) -> date | None:
        return None if due is None else study_date(due, self.settings)

    def moved(self, old: datetime | None, new: datetime | None) -> None:
        """A review card's due moved from ``old`` to ``new`` (None: not in review before/after),
        written by the owner's own answer: keep the counts of days already read in step."""
        for due, change in ((old, -1), (new, 1)):
            day = self.day_of(due)
            if day is not None and day in self._known:
                self._counts[day] = max(0, self._counts[day] + change)

    def forget(self) -> None:
        """Read every day again next time (after a change not made through ``moved``)."""
        self._counts.clear()
        self._known.clear()

    def without(self, conn: Connection, due: datetime | None) -> CalendarLoad:
        """The counts as load balancing reads them for one card, whose own review (due at
        ``due``, None when it is not in review) is left out."""
        return CalendarLoad(self, conn, self.day_of(due))


class CalendarLoad:
    """A :class:`trainer.study.load_balance.DueLoad` over a :class:`DueCalendar`, for one card."""

    def __init__(self, calendar: DueCalendar, conn: Connection, own_day: date | None):
        self.calendar = calendar
        self.conn = conn
        self.own_day = own_day

    def due_counts(self, first: date, last: date) -> Mapping[date, int]:
        counts = self.calendar.counts(self.conn, first, last)
        if self.own_day is not None and counts.get(self.own_day, 0) > 0:
            counts[self.own_day] -= 1
        return counts
