"""What a polling page asks every second, answered once per process, and when each seat saw a question.

**The pulse.** Every participant's page polls the room about once a second. Reading the whole
room for each of them (its row with every question's JSON, the counts, their own answer) cost
tens of milliseconds of server CPU per poll, so a room of 200 needed several cores. A page only
needs to know whether anything changed since it last drew, so a poll reads a :class:`Pulse`:
the room's ``revision`` (bumped by every host action), its phase, its deadline and two counts,
from one small query. The pulse is shared by every session of this process and refreshed at most
every ``PULSE_MAX_AGE``: 200 participants on one server cost at most ten small queries a second
(under a millisecond of CPU each), not 270 big ones. The room is read in full only when the pulse
says it changed, once per process (:mod:`trainer.workshops.step_cache`).

Each server process keeps its own pulse and reads the shared database, so several servers still
share one room (each adds its own few queries a second).

**When a question showed.** Speed points count from when the question appeared on the
participant's screen, not from the host's click: a page that drew the question a second late
(a poll, a slow phone) would otherwise lose points to it. :func:`mark_shown` records, on the
server, the first time this process drew an open question for a seat; :func:`submit_answer
<trainer.workshops.answers.submit_answer>` times the answer from there, bounded by the question's
opening and its deadline (so no seat can gain more than the room's own clock allows). A page that
moves to another server (a reload behind a load balancer without sticky sessions) is timed from
the opening, the rule before this one, which never favours the participant.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from trainer.store.types import utcnow
from trainer.workshops.access import ANSWERS, PARTICIPANTS, ROOMS, database_clock
from trainer.workshops.errors import RoomNotFound
from trainer.workshops.model import LATE_GRACE, RoomPhase

# How stale a shared pulse may be. Well under the pages' poll interval, so a change reaches every
# page within one poll plus this: a host on another server adds at most 0.1 s to the 0.75 s poll
# (issue 16: the question on every screen within 1 s of the click, at p95).
PULSE_MAX_AGE = 0.1
# Seats' shown times kept per process: a room of 500 through 50 questions, with room to spare.
SHOWN_MAX = 50_000


@dataclass(frozen=True)
class Pulse:
    """Where a room is, as cheaply as it can be read: what a polling page compares with what it drew."""

    room_id: int
    revision: int
    phase: RoomPhase
    current: int
    deadline: datetime | None
    participants: int
    answered: int  # answers to the current question
    now: datetime  # the clock (the database's on PostgreSQL) when the pulse was read
    read_at: float = field(default=0.0, compare=False)  # this process's time.monotonic() then

    def clock(self) -> datetime:
        """The room's clock now: ``now`` moved on by the time since the pulse was read (a pulse
        is up to ``PULSE_MAX_AGE`` old, and a countdown drawn from it would run late)."""
        return self.now + timedelta(seconds=max(0.0, time.monotonic() - self.read_at))

    @property
    def time_up(self) -> bool:
        return (
            self.phase is RoomPhase.QUESTION_OPEN and self.deadline is not None and self.now >= self.deadline
        )

    @property
    def should_reveal(self) -> bool:
        """Open, and either the time (with its grace) is up or everyone has answered."""
        if self.phase is not RoomPhase.QUESTION_OPEN or self.deadline is None:
            return False
        everyone = self.participants > 0 and self.answered >= self.participants
        return everyone or self.now > self.deadline + LATE_GRACE

    @property
    def step(self) -> tuple[int, bool]:
        """What a participant's page is drawn for: a new step redraws it."""
        return (self.revision, self.time_up)


@dataclass
class _Entry:
    engine: Engine
    lock: threading.Lock
    pulse: Pulse | None = None
    read_at: float = 0.0


_entries: dict[tuple[int, int], _Entry] = {}
_entries_lock = threading.Lock()


def read_pulse(engine: Engine, room_id: int, now: datetime | None = None) -> Pulse:
    """The room's pulse from the database (one small query; no questions, no names)."""
    joined = (
        select(func.count())
        .select_from(PARTICIPANTS)
        .where(PARTICIPANTS.c.room_id == ROOMS.c.id)
        .scalar_subquery()
    )
    answered = (
        select(func.count())
        .select_from(ANSWERS)
        .where(ANSWERS.c.room_id == ROOMS.c.id, ANSWERS.c.question_index == ROOMS.c.current)
        .scalar_subquery()
    )
    columns: list[Any] = [
        ROOMS.c.revision,
        ROOMS.c.phase,
        ROOMS.c.current,
        ROOMS.c.deadline,
        joined.label("n_joined"),
        answered.label("n_answered"),
    ]
    with engine.connect() as conn:
        if now is None and conn.dialect.name == "postgresql":
            columns.append(database_clock().label("db_now"))
        row = conn.execute(select(*columns).where(ROOMS.c.id == room_id)).first()
    if row is None:
        raise RoomNotFound("That room does not exist.")
    when = now if now is not None else getattr(row, "db_now", None) or utcnow()
    return Pulse(
        room_id,
        row.revision,
        RoomPhase(row.phase),
        row.current,
        row.deadline,
        row.n_joined,
        row.n_answered,
        when,
        time.monotonic(),
    )


def pulse(engine: Engine, room_id: int, max_age: float = PULSE_MAX_AGE) -> Pulse:
    """The room's pulse, shared by every page of this process: read again when older than
    ``max_age`` seconds, by one caller while the others wait for it."""
    key = (id(engine), room_id)
    with _entries_lock:
        entry = _entries.get(key)
        if entry is None or entry.engine is not engine:
            entry = _entries[key] = _Entry(engine, threading.Lock())
    with entry.lock:
        if entry.pulse is None or time.monotonic() - entry.read_at > max_age:
            entry.pulse = read_pulse(engine, room_id)
            entry.read_at = time.monotonic()
        return entry.pulse


def forget(engine: Engine, room_id: int) -> None:
    """Drop the shared pulse, so the next poll reads the room again (after this process changed it)."""
    with _entries_lock:
        _entries.pop((id(engine), room_id), None)


# -- when each seat saw the question -------------------------------------------------------------------

_shown: dict[tuple[int, int, datetime], datetime] = {}
_shown_lock = threading.Lock()


def mark_shown(participant_id: int, question_index: int, opened_at: datetime, when: datetime) -> datetime:
    """The first time this seat was shown this opening of the question (``when`` if this is it).

    Keyed by the question's ``opened_at`` too, so a question is timed afresh if it is reopened."""
    key = (participant_id, question_index, opened_at)
    with _shown_lock:
        first = _shown.setdefault(key, when)
        if len(_shown) > SHOWN_MAX:
            for old in list(_shown)[: SHOWN_MAX // 10]:  # the oldest tenth
                del _shown[old]
    return first


def shown_at(participant_id: int, question_index: int, opened_at: datetime) -> datetime | None:
    with _shown_lock:
        return _shown.get((participant_id, question_index, opened_at))
