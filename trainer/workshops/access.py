"""Reading room rows: the tables, the clock, the host secret, and rows turned into records.

Every bit of a room's state is a row in the database (tables ``Room``, ``RoomParticipant`` and
``RoomAnswer`` in :mod:`trainer.store.tables`), none in process memory, so participants on
different Streamlit servers share one room. The modules that read or change rooms share the
helpers here, so a row is read, timed and checked the same way everywhere.

**Time** is the database's on PostgreSQL (``clock_timestamp()``, so app servers with skewed
clocks still time answers fairly) and this process's UTC clock on SQLite (one machine). Every
public function of the package takes ``now=`` so tests can control it.

**The host secret** is ``secrets.token_urlsafe``, stored only as a SHA-256 hash and compared
with ``hmac.compare_digest``. With sign-in on it is not enough on its own: the signed-in actor
must also be the room's host, or a maintainer (:func:`check_host_actor`), so a secret or host
link that was passed on, or seen in a screen share, opens nothing for anyone else.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import ColumnElement, CursorResult, Row, Table, func, select
from sqlalchemy.engine import Connection

from trainer.access.permissions import LOCAL, Action, Actor, own_profile_id, require
from trainer.access.roles import Role
from trainer.content.snapshot import QuestionSnapshot, snapshots_from_data
from trainer.store.tables import Room, RoomAnswer, RoomParticipant
from trainer.store.types import UTCDateTime, utcnow
from trainer.workshops.errors import HostOnly, NotTheHost, RoomNotFound
from trainer.workshops.model import Participant, RoomInfo, RoomPhase
from trainer.workshops.scoring import Scoring

# A result row of any shape: rows are read by column name, so their column types do not matter.
AnyRow: TypeAlias = "Row[*tuple[Any, ...]]"

ROOMS: Table = Room.__table__  # type: ignore[attr-defined]  # SQLModel sets it at class creation
PARTICIPANTS: Table = RoomParticipant.__table__  # type: ignore[attr-defined]
ANSWERS: Table = RoomAnswer.__table__  # type: ignore[attr-defined]


def load_room_questions(data: Sequence[dict[str, Any]]) -> tuple[QuestionSnapshot, ...]:
    """A room's question snapshots, from its JSON ``questions`` column."""
    return snapshots_from_data(data)


def room_info(row: AnyRow) -> RoomInfo:
    return RoomInfo(
        id=row.id,
        code=row.code,
        title=row.title,
        scoring=Scoring(row.scoring),
        seconds=row.seconds,
        teams=tuple(row.teams or ()),
        questions=load_room_questions(row.questions),
        phase=RoomPhase(row.phase),
        current=row.current,
        opened_at=row.opened_at,
        deadline=row.deadline,
        paused_at=row.paused_at,
        revision=row.revision,
        source=row.source or {},
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        allow_guests=bool(row.allow_guests),
        host_profile_id=row.host_profile_id,
    )


def participant_info(row: AnyRow, code: str) -> Participant:
    return Participant(
        id=row.id, room_id=row.room_id, code=code, name=row.name, team=row.team, profile_id=row.profile_id
    )


def inserted_id(result: CursorResult[Any]) -> int:
    """The primary key of the row a single-row INSERT just wrote."""
    key = result.inserted_primary_key
    assert key is not None  # a plain INSERT ... VALUES always reports its key
    return int(key[0])


def token_hash(token: str) -> str:
    """How a host secret or a seat token is stored: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def secret_matches(row: AnyRow | None, secret: str | None) -> bool:
    if row is None or not secret or not isinstance(secret, str):
        return False
    return hmac.compare_digest(token_hash(secret), row.host_secret_hash)


def check_host(row: AnyRow | None, secret: str | None) -> None:
    """Refuse unless ``secret`` is the room's; no room at all gets the same refusal."""
    if not secret_matches(row, secret):
        raise HostOnly(
            "Only the host link of this room can do that: the host secret is missing "
            "or does not match. Open the room from the link you got when you created it."
        )


NOT_THE_HOST = (
    "This room belongs to another host: only the facilitator who created it (or a maintainer) "
    "can run it, even with its host link. Create your own room to host."
)


def check_host_actor(conn: Connection, row: AnyRow, actor: Actor | None) -> None:
    """With sign-in on, refuse unless the actor may host and is this room's host or a maintainer.

    Local mode (``actor`` None) has nobody to tell apart: the secret alone decides, as before.
    """
    actor = actor or LOCAL
    if actor.local:
        return
    require(actor, Action.HOST_WORKSHOP)
    if actor.role.includes(Role.MAINTAINER):
        return
    if row.host_profile_id is None or row.host_profile_id != own_profile_id(conn, actor):
        raise NotTheHost(NOT_THE_HOST)


def clock(conn: Connection, now: datetime | None) -> datetime:
    """The time to use: ``now`` when given (tests), else the database's clock on PostgreSQL (one
    clock for every app server), else this process's UTC clock (SQLite lives on one machine)."""
    if now is not None:
        return now
    if conn.dialect.name == "postgresql":
        return conn.execute(select(database_clock())).scalar_one()
    return utcnow()


def database_clock() -> ColumnElement[datetime]:
    """PostgreSQL's ``clock_timestamp()``, read back as a UTC datetime like every timestamp."""
    return func.clock_timestamp(type_=UTCDateTime())


def room_row(
    conn: Connection,
    room_id: int,
    secret: str | None = None,
    host: bool = False,
    actor: Actor | None = None,
) -> AnyRow:
    """The room's row; with ``host=True`` only for the holder of the host secret who is also,
    with sign-in on, its host (see :func:`check_host_actor`)."""
    row = conn.execute(select(ROOMS).where(ROOMS.c.id == room_id)).first()
    if row is None:
        raise RoomNotFound("That room does not exist.")
    if host:
        check_host(row, secret)
        check_host_actor(conn, row, actor)
    return row
