"""Creating a room, finding it by its join code, joining it, and reading where it is now.

The host creates a room in the lobby and gets a join code to show on screen plus a host secret
(shown once, stored hashed). Participants join with the code and a display name, unique within
the room, and get a seat token to come back after a reload. Pages poll :func:`room_state`.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from trainer.content.model import Bank, Question
from trainer.content.snapshot import QuestionSnapshot, snapshots_to_data
from trainer.store.statements import locked, writing
from trainer.store.types import utcnow
from trainer.workshops import naming
from trainer.workshops.access import (
    ANSWERS,
    PARTICIPANTS,
    ROOMS,
    AnyRow,
    check_host,
    clock,
    database_clock,
    inserted_id,
    participant_info,
    room_info,
    room_row,
    secret_matches,
    token_hash,
)
from trainer.workshops.errors import (
    NameTaken,
    NotAParticipant,
    RoomEnded,
    RoomFull,
    RoomNotFound,
    WorkshopError,
)
from trainer.workshops.model import (
    MAX_PARTICIPANTS,
    MAX_QUESTIONS,
    MAX_TEAMS,
    TIMER_MAX,
    TIMER_MIN,
    TITLE_MAX,
    MyAnswer,
    Participant,
    RoomInfo,
    RoomPhase,
    RoomState,
)
from trainer.workshops.scoring import Scoring
from trainer.workshops.sources import Source

# -- creating a room ----------------------------------------------------------------------------------


def create_room(
    engine: Engine,
    questions: Sequence[Question | QuestionSnapshot],
    *,
    seconds: int = 20,
    scoring: Scoring | str = Scoring.SPEED,
    teams: Sequence[str] = (),
    title: str = "",
    source: Source | None = None,
    bank: Bank | None = None,
    now: datetime | None = None,
) -> tuple[RoomInfo, str]:
    """Create a room in the lobby; returns it with the host secret (shown once, stored hashed)."""
    if not questions:
        raise WorkshopError("Choose at least one question.")
    if len(questions) > MAX_QUESTIONS:
        raise WorkshopError(f"A room can have at most {MAX_QUESTIONS} questions.")
    if not TIMER_MIN <= int(seconds) <= TIMER_MAX:
        raise WorkshopError(f"The timer must be between {TIMER_MIN} and {TIMER_MAX} seconds.")
    try:
        scoring = Scoring(scoring)
    except ValueError:
        raise WorkshopError("Scoring must be 'speed' or 'accuracy'.") from None
    team_names: list[str] = []
    for team in teams:
        team = naming.clean_display_name(team, naming.TEAM_MAX, "team name")
        if naming.name_key(team) in {naming.name_key(t) for t in team_names}:
            raise WorkshopError(f"Two teams are called {team!r}: give each team its own name.")
        team_names.append(team)
    if len(team_names) == 1:
        raise WorkshopError("Team play needs at least two teams (or none).")
    if len(team_names) > MAX_TEAMS:
        raise WorkshopError(f"At most {MAX_TEAMS} teams.")
    snapshot = [
        q
        if isinstance(q, QuestionSnapshot)
        else QuestionSnapshot.from_question(q, bank.topic_title(q.topic) if bank else q.topic)
        for q in questions
    ]
    title = " ".join((title or "").split())[:TITLE_MAX]
    source_data = {**asdict(source), "label": source.label(bank)} if source else {}
    secret = secrets.token_urlsafe(32)
    for _ in range(20):
        # Looked up on the module at each call, so tests can force a clash of codes.
        code = naming.new_join_code()
        try:
            with engine.begin() as conn:
                created = clock(conn, now)
                room_id = inserted_id(
                    conn.execute(
                        ROOMS.insert().values(
                            code=code,
                            open_code=code,
                            title=title,
                            host_secret_hash=token_hash(secret),
                            source=source_data,
                            scoring=scoring.value,
                            seconds=int(seconds),
                            teams=team_names,
                            questions=snapshots_to_data(snapshot),
                            phase=RoomPhase.LOBBY.value,
                            current=-1,
                            revision=0,
                            created_at=created,
                        )
                    )
                )
        except IntegrityError:
            continue  # the code is in use by an open room: draw another
        return get_room(engine, room_id), secret
    raise WorkshopError("Could not find a free join code; try again.")  # pragma: no cover


# -- finding a room -------------------------------------------------------------------------------------


def get_room(engine: Engine, room_id: int) -> RoomInfo:
    with engine.connect() as conn:
        return room_info(room_row(conn, room_id))


def _open_room_row(conn: Connection, code: str, lock: bool = False) -> AnyRow:
    """The open room with this code; with ``lock`` its row stays locked until the transaction
    ends (see :func:`trainer.store.statements.locked`)."""
    code = naming.normalise_code(code)
    if not code:
        raise RoomNotFound("Enter the join code shown on the host's screen.")
    query = select(ROOMS).where(ROOMS.c.open_code == code)
    row = conn.execute(locked(query) if lock else query).first()
    if row is not None:
        return row
    if conn.execute(select(ROOMS.c.id).where(ROOMS.c.code == code).limit(1)).first():
        raise RoomEnded(f"The workshop with code {code} has ended.")
    raise RoomNotFound(f"No open room has the code {code}. Check the code on the host's screen.")


def find_room(engine: Engine, code: str) -> RoomInfo:
    """The open room with this join code."""
    with engine.connect() as conn:
        return room_info(_open_room_row(conn, code))


def host_room(engine: Engine, code: str, secret: str | None) -> RoomInfo:
    """The room a host link points at (``?room=CODE&secret=...``), finished rooms included.

    A code is unique only among open rooms, so every room that ever had it is checked against
    the secret; a missing or tampered secret raises :class:`~trainer.workshops.errors.HostOnly`."""
    code = naming.normalise_code(code)
    with engine.connect() as conn:
        rows = conn.execute(select(ROOMS).where(ROOMS.c.code == code).order_by(ROOMS.c.id.desc())).all()
    if not rows:
        raise RoomNotFound(f"No room has the code {code or '(none)'}.")
    matching = [row for row in rows if secret_matches(row, secret)]
    if not matching:
        check_host(rows[0], None)
    return room_info(matching[0])


# -- joining -------------------------------------------------------------------------------------------


def join(
    engine: Engine, code: str, name: str, team: str | None = None, now: datetime | None = None
) -> tuple[Participant, str]:
    """Join an open room; returns the participant and a seat token (to rejoin after a reload).

    Late joiners are welcome at any moment before the end. With teams, ``team=None`` puts the
    participant in the team with the fewest members.

    Counting the participants (for the cap and the team sizes) and adding one is one
    read-check-write: the room's row is locked first (and SQLite's write lock held), so joins
    to one room take turns and the cap holds however many servers join at once. The display
    name's uniqueness is the database's constraint."""
    name = naming.clean_display_name(name)
    key = naming.name_key(name)
    seat = secrets.token_urlsafe(18)
    try:
        with writing(engine) as conn:
            row = _open_room_row(conn, code, lock=True)
            count = conn.execute(
                select(func.count()).select_from(PARTICIPANTS).where(PARTICIPANTS.c.room_id == row.id)
            ).scalar_one()
            if count >= MAX_PARTICIPANTS:
                raise RoomFull(f"This room is full ({MAX_PARTICIPANTS} participants).")
            teams: list[str] = list(row.teams or ())
            if teams:
                if team:
                    by_key = {naming.name_key(t): t for t in teams}
                    if naming.name_key(team) not in by_key:
                        raise WorkshopError(
                            f"There is no team {team!r} in this room; choose one of {', '.join(teams)}."
                        )
                    team = by_key[naming.name_key(team)]
                else:
                    sizes: dict[str | None, int] = dict(
                        conn.execute(
                            select(PARTICIPANTS.c.team, func.count())
                            .where(PARTICIPANTS.c.room_id == row.id)
                            .group_by(PARTICIPANTS.c.team)
                        ).all()
                    )
                    team = min(teams, key=lambda t: (sizes.get(t, 0), teams.index(t)))
            else:
                team = None
            pid = inserted_id(
                conn.execute(
                    PARTICIPANTS.insert().values(
                        room_id=row.id,
                        name=name,
                        name_key=key,
                        team=team,
                        seat_hash=token_hash(seat),
                        joined_at=clock(conn, now),
                    )
                )
            )
    except IntegrityError:
        raise NameTaken(
            f"Someone in this room is already called {name!r}. Please choose another display name."
        ) from None
    return Participant(id=pid, room_id=row.id, code=row.code, name=name, team=team), seat


def rejoin(engine: Engine, code: str, seat: str | None) -> Participant:
    """The participant holding this seat token in the room with this code (also after the end)."""
    if not seat:
        raise NotAParticipant("Join the room with its code and a display name.")
    with engine.connect() as conn:
        row = conn.execute(
            select(PARTICIPANTS, ROOMS.c.code)
            .join(ROOMS, ROOMS.c.id == PARTICIPANTS.c.room_id)
            .where(PARTICIPANTS.c.seat_hash == token_hash(seat))
        ).first()
    if row is None or row.code != naming.normalise_code(code):
        raise NotAParticipant("That seat is not in this room any more; join again with your name.")
    return participant_info(row, row.code)


def participants(engine: Engine, room_id: int) -> list[Participant]:
    with engine.connect() as conn:
        code = conn.execute(select(ROOMS.c.code).where(ROOMS.c.id == room_id)).scalar_one()
        rows = conn.execute(
            select(PARTICIPANTS)
            .where(PARTICIPANTS.c.room_id == room_id)
            .order_by(PARTICIPANTS.c.joined_at, PARTICIPANTS.c.id)
        ).all()
    return [participant_info(r, code) for r in rows]


# -- reading a room -------------------------------------------------------------------------------------


def room_state(
    engine: Engine, room_id: int, participant_id: int | None = None, now: datetime | None = None
) -> RoomState:
    """Everything a polling page needs, in one query: the room, how many joined, how many
    answered the current question, and (for a participant) their own answer to it."""
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
    columns: list[Any] = [ROOMS, joined.label("n_joined"), answered.label("n_answered")]
    with engine.connect() as conn:
        if now is None and conn.dialect.name == "postgresql":
            columns.append(database_clock().label("db_now"))
        row = conn.execute(select(*columns).where(ROOMS.c.id == room_id)).first()
        if row is None:
            raise RoomNotFound("That room does not exist.")
        mine = None
        if participant_id is not None and row.current >= 0:
            a = conn.execute(
                select(ANSWERS).where(
                    ANSWERS.c.participant_id == participant_id, ANSWERS.c.question_index == row.current
                )
            ).first()
            if a is not None:
                mine = MyAnswer(a.question_index, tuple(a.chosen), a.correct, a.points, a.elapsed_ms)
    when = now if now is not None else getattr(row, "db_now", None) or utcnow()
    return RoomState(
        room=room_info(row),
        now=cast(datetime, when),
        participants=row.n_joined,
        answered=row.n_answered,
        mine=mine,
    )
