"""The learner's review cards due per study day, read from the store: load balancing's input.

The scheduler (``trainer.study.scheduling``) asks for the days of one card's fuzz range only, so
this is one range query on the ``(profile_id, queue, due)`` index per answer or preview, read in
the caller's connection: inside an answer's transaction the counts are those the answer is
written against. The card being answered is left out, so its own current due day does not make
that day look busier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.engine import Connection

from trainer.store.enums import StudyQueue
from trainer.study import statements as sql
from trainer.study.scheduling import Settings, study_date

DUE_IN_RANGE = select(sql.CARDS.c.due).where(
    sql.CARDS.c.profile_id == bindparam("pid"),
    sql.CARDS.c.queue == StudyQueue.REVIEW,
    sql.CARDS.c.due >= bindparam("start"),
    sql.CARDS.c.due < bindparam("end"),
    sql.CARDS.c.card_id != bindparam("exclude"),
)


def day_begins(day: date, settings: Settings) -> datetime:
    """The moment (UTC) the study day ``day`` begins in the learner's zone."""
    return datetime.combine(day, time(settings.day_starts_at), tzinfo=settings.zone).astimezone(UTC)


class StoreLoad:
    """A :class:`trainer.study.load_balance.DueLoad` over one profile's card rows."""

    def __init__(self, conn: Connection, profile_id: int | None, settings: Settings, exclude: str = ""):
        self.conn = conn
        self.profile_id = profile_id
        self.settings = settings
        self.exclude = exclude
        self._cache: dict[tuple[date, date], Mapping[date, int]] = {}

    def due_counts(self, first: date, last: date) -> Mapping[date, int]:
        key = (first, last)
        if key not in self._cache:
            dues = self.conn.execute(
                DUE_IN_RANGE,
                {
                    "pid": self.profile_id,
                    "start": day_begins(first, self.settings),
                    "end": day_begins(last + timedelta(days=1), self.settings),
                    "exclude": self.exclude,
                },
            ).scalars()
            self._cache[key] = Counter(study_date(due, self.settings) for due in dues)
        return self._cache[key]
