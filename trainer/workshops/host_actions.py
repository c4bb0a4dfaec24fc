"""The host's actions: start, reveal, next, pause, resume and end a room.

Only the host secret can do any of them, and with sign-in on only in the hands of the room's
host or a maintainer (``actor``; :func:`trainer.workshops.access.check_host_actor`): a secret
that was passed on or replayed is refused before anything is written. Each is one transaction
that checks the secret (and the actor), lets
the action decide the room's new values from its current row (or refuse with
:class:`~trainer.workshops.errors.WrongPhase`), and writes them only if nobody changed the room
meanwhile: every action bumps the room's ``revision``, so two host tabs clicking at once get one
success and one :class:`~trainer.workshops.errors.Conflict`, and an answer racing an action is
written only if the room is still at the revision it was checked at
(:func:`trainer.workshops.answers.submit_answer`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine

from trainer.access.permissions import Actor
from trainer.workshops import live
from trainer.workshops.access import PARTICIPANTS, ROOMS, AnyRow, clock, load_room_questions, room_row
from trainer.workshops.errors import Conflict, WrongPhase
from trainer.workshops.model import RoomInfo, RoomPhase
from trainer.workshops.rooms import get_room

# Decides a host action's new column values from the room's row, the time and the connection.
Change = Callable[[AnyRow, datetime, Connection], dict[str, Any]]


def _host_action(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None,
    change: Change,
    actor: Actor | None,
) -> RoomInfo:
    """Check the secret and the actor, let ``change(row, now, conn)`` decide the new values (or
    raise WrongPhase), and write them only if nobody changed the room meanwhile."""
    with engine.begin() as conn:
        row = room_row(conn, room_id, secret, host=True, actor=actor)
        values = change(row, clock(conn, now), conn)
        values["revision"] = row.revision + 1
        done = conn.execute(
            update(ROOMS).where(ROOMS.c.id == room_id, ROOMS.c.revision == row.revision).values(**values)
        ).rowcount
        if not done:
            raise Conflict("The room changed at the same moment (another host tab?). Look again and retry.")
    live.forget(engine, room_id)  # this server's pages see the change at their next poll
    return get_room(engine, room_id)


def _open_question(row: AnyRow, index: int, now: datetime) -> dict[str, Any]:
    return {
        "phase": RoomPhase.QUESTION_OPEN.value,
        "current": index,
        "opened_at": now,
        "deadline": now + timedelta(seconds=row.seconds),
        "paused_at": None,
    }


def _finish_values(now: datetime) -> dict[str, Any]:
    return {"phase": RoomPhase.FINISHED.value, "open_code": None, "finished_at": now, "paused_at": None}


def start(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """Open the first question."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase != RoomPhase.LOBBY.value:
            raise WrongPhase("The room has already started.")
        joined = conn.execute(
            select(func.count()).select_from(PARTICIPANTS).where(PARTICIPANTS.c.room_id == row.id)
        ).scalar_one()
        if not joined:
            raise WrongPhase("Nobody has joined yet: wait for at least one participant.")
        return {**_open_question(row, 0, now), "started_at": now}

    return _host_action(engine, room_id, secret, now, change, actor)


def reveal(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """Close the current question and show the answer, the distribution and the leaderboard."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase not in (RoomPhase.QUESTION_OPEN.value, RoomPhase.PAUSED.value):
            raise WrongPhase("There is no open question to reveal.")
        return {"phase": RoomPhase.REVEALED.value, "paused_at": None}

    return _host_action(engine, room_id, secret, now, change, actor)


def next_question(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """After a reveal: open the next question, or finish after the last one."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase != RoomPhase.REVEALED.value:
            raise WrongPhase(
                "Reveal the answer before moving on."
                if row.phase in (RoomPhase.QUESTION_OPEN.value, RoomPhase.PAUSED.value)
                else "There is no next question now."
            )
        total = len(load_room_questions(row.questions))
        if row.current + 1 >= total:
            return _finish_values(now)
        return _open_question(row, row.current + 1, now)

    return _host_action(engine, room_id, secret, now, change, actor)


def pause(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """Stop the clock of the open question; no answers are taken while paused."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase != RoomPhase.QUESTION_OPEN.value:
            raise WrongPhase("Only an open question can be paused.")
        if now >= row.deadline:
            raise WrongPhase("Time is already up: reveal the answer instead.")
        return {"phase": RoomPhase.PAUSED.value, "paused_at": now}

    return _host_action(engine, room_id, secret, now, change, actor)


def resume(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """Restart the clock: the time left is what was left at the pause; answer times (and so
    speed points) do not count the pause."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase != RoomPhase.PAUSED.value:
            raise WrongPhase("The room is not paused.")
        shift = max(timedelta(0), now - row.paused_at)
        return {
            "phase": RoomPhase.QUESTION_OPEN.value,
            "paused_at": None,
            "opened_at": row.opened_at + shift,
            "deadline": row.deadline + shift,
        }

    return _host_action(engine, room_id, secret, now, change, actor)


def end(
    engine: Engine,
    room_id: int,
    secret: str | None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> RoomInfo:
    """Finish the room now: the podium and results are shown; the join code is freed."""

    def change(row: AnyRow, now: datetime, conn: Connection) -> dict[str, Any]:
        if row.phase == RoomPhase.FINISHED.value:
            raise WrongPhase("The room has already ended.")
        return _finish_values(now)

    return _host_action(engine, room_id, secret, now, change, actor)
