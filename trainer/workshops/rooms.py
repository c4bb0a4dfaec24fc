"""Creating a room, finding it by its join code, joining it, and reading where it is now.

The host creates a room in the lobby and gets a join code to show on screen plus a host secret
(shown once, stored hashed). Participants join with the code and a display name, unique within
the room, and get a seat token to come back after a reload: a one-time token, swapped at each
use (:func:`rejoin`). Typed join codes are rate-limited per browser session and client address
(:mod:`trainer.workshops.throttle`), and a browser session holds one seat per room unless the
host allows more. Pages poll :func:`room_state`.

**With sign-in on** (an ``actor`` that is not local) the room records its host's profile, and
the host chooses whether guests (people not signed in) may join. A signed-in participant's seat
is bound to their own profile: one seat per profile per room, given back on any device they
sign in on, and their answers go to that profile (:mod:`trainer.workshops.answers`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

from sqlalchemy import func, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from trainer.access.permissions import Action, Actor, own_profile_id, require
from trainer.content.model import Bank, Question
from trainer.content.snapshot import QuestionSnapshot, snapshots_to_data
from trainer.store.statements import locked, writing
from trainer.store.types import utcnow
from trainer.study import accounts
from trainer.workshops import live, naming, throttle
from trainer.workshops.access import (
    ANSWERS,
    PARTICIPANTS,
    ROOMS,
    AnyRow,
    check_host,
    check_host_actor,
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
    GuestsNotAllowed,
    NameTaken,
    NotAParticipant,
    RoomFull,
    RoomNotFound,
    SeatLimit,
    WorkshopError,
)
from trainer.workshops.model import (
    MAX_PARTICIPANTS,
    MAX_QUESTIONS,
    MAX_TEAMS,
    SEAT_TOKEN_TTL,
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
from trainer.workshops.throttle import Visitor

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
    seats_per_browser: int = 1,
    actor: Actor | None = None,
    allow_guests: bool | None = None,
) -> tuple[RoomInfo, str]:
    """Create a room in the lobby; returns it with the host secret (shown once, stored hashed).

    ``seats_per_browser`` above 1 lets several people take turns on one device. With sign-in on,
    only a facilitator (or maintainer) may host (``actor``; None is local mode), the room is
    theirs (:func:`~trainer.workshops.access.check_host_actor`), and guests may join only when
    ``allow_guests`` says so (by default: in local mode everyone joins as a guest; with sign-in
    on, nobody does)."""
    require(actor, Action.HOST_WORKSHOP)
    host_profile_id = _own_profile_id(engine, actor)
    guests = (actor is None or actor.local) if allow_guests is None else bool(allow_guests)
    if not 1 <= int(seats_per_browser) <= MAX_PARTICIPANTS:
        raise WorkshopError(f"Seats per browser must be between 1 and {MAX_PARTICIPANTS}.")
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
    title = " ".join((title or "").split())
    if len(title) > TITLE_MAX:  # refused, not trimmed: the host sees what the room will show
        raise WorkshopError(
            f"A room title can be at most {TITLE_MAX} characters; this one has {len(title)}. "
            "Shorten it and try again."
        )
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
                            seats_per_browser=int(seats_per_browser),
                            created_at=created,
                            host_profile_id=host_profile_id,
                            allow_guests=guests,
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


def _not_found(code: str) -> RoomNotFound:
    """One answer for a code never used and a finished room's code: no oracle for a guesser."""
    return RoomNotFound(
        f"No open room has the code {naming.display_code(code)}. Check the code on the host's screen."
    )


def _open_room_row(conn: Connection, code: str, lock: bool = False) -> AnyRow | None:
    """The open room with this (normalised, non-empty) code; with ``lock`` its row stays locked
    until the transaction ends (see :func:`trainer.store.statements.locked`)."""
    query = select(ROOMS).where(ROOMS.c.open_code == code)
    return conn.execute(locked(query) if lock else query).first()


def _lookup(
    conn: Connection, code: str, visitor: Visitor | None, now: datetime, lock: bool = False
) -> AnyRow | None:
    """The open room for a typed code, rate-limited for ``visitor``: refused while they are over
    the limit; a wrong code is counted (the caller commits, then raises :func:`_not_found`)."""
    if visitor is not None:
        throttle.check(conn, visitor, now)
    row = _open_room_row(conn, code, lock)
    if row is None and visitor is not None:
        throttle.record_wrong_code(conn, visitor, now)
    return row


def _typed_code(code: str | None) -> str:
    typed = naming.normalise_code(code)
    if not typed:
        raise RoomNotFound("Enter the join code shown on the host's screen.")
    return typed


def find_room(
    engine: Engine, code: str, visitor: Visitor | None = None, now: datetime | None = None
) -> RoomInfo:
    """The open room with this join code. Pages pass the ``visitor`` so guessing is rate-limited
    (:mod:`trainer.workshops.throttle`); without one (tests, benchmarks) nothing is counted."""
    typed = _typed_code(code)
    with writing(engine) as conn:
        row = _lookup(conn, typed, visitor, clock(conn, now))
    if row is None:
        raise _not_found(typed)
    return room_info(row)


def host_room(engine: Engine, code: str, secret: str | None, actor: Actor | None = None) -> RoomInfo:
    """The room a host's secret opens, finished rooms included.

    A code is unique only among open rooms, so every room that ever had it is checked against
    the secret. An unknown code and a wrong secret get the same
    :class:`~trainer.workshops.errors.HostOnly`, so this tells a guesser nothing about codes.
    With sign-in on, the secret alone is not enough: the actor must be allowed to host, and be
    the room's host or a maintainer."""
    require(actor, Action.HOST_WORKSHOP)
    code = naming.normalise_code(code)
    with engine.connect() as conn:
        rows = conn.execute(select(ROOMS).where(ROOMS.c.code == code).order_by(ROOMS.c.id.desc())).all()
        matching = [row for row in rows if secret_matches(row, secret)]
        if not matching:
            check_host(rows[0] if rows else None, None)  # raises HostOnly
        check_host_actor(conn, matching[0], actor)
    return room_info(matching[0])


def _own_profile_id(engine: Engine, actor: Actor | None) -> int | None:
    """The signed-in actor's profile id (made now if this is their first visit); None for local
    mode or a guest."""
    if actor is None or actor.identity is None:
        return None
    profile = accounts.profile_for_identity(engine, actor.identity)
    assert profile.id is not None  # a stored profile always has its id
    return profile.id


# -- joining -------------------------------------------------------------------------------------------


def join(
    engine: Engine,
    code: str,
    name: str,
    team: str | None = None,
    now: datetime | None = None,
    *,
    visitor: Visitor | None = None,
    actor: Actor | None = None,
) -> tuple[Participant, str]:
    """Join an open room; returns the participant and a seat token (a one-time rejoin link).

    Late joiners are welcome at any moment before the end. With teams, ``team=None`` puts the
    participant in the team with the fewest members.

    Counting the participants (for the cap and the team sizes) and adding one is one
    read-check-write: the room's row is locked first (and SQLite's write lock held), so joins
    to one room take turns and the cap holds however many servers join at once. The display
    name's uniqueness is the database's constraint.

    With a ``visitor`` (the pages always pass one) the code is rate-limited, and the browser
    session holds at most the room's ``seats_per_browser`` seats: with the usual one, joining
    again gives back the seat it already holds (under its first name); beyond a larger limit
    it raises :class:`~trainer.workshops.errors.SeatLimit`.

    With sign-in on (``actor``), a signed-in person's seat is their profile's: joining again,
    from any device, gives back that seat (under its first name). A guest (``GUEST``) gets in
    only when the host allows guests (:class:`~trainer.workshops.errors.GuestsNotAllowed`)."""
    profile_id = _own_profile_id(engine, actor)
    guest = actor is not None and actor.guest
    name = naming.clean_display_name(name)
    key = naming.name_key(name)
    typed = _typed_code(code)
    seat = secrets.token_urlsafe(18)
    try:
        with writing(engine) as conn:
            when = clock(conn, now)
            row = _lookup(conn, typed, visitor, when, lock=True)
            if row is None:
                joined = None
            elif guest and not row.allow_guests:
                raise GuestsNotAllowed(GUESTS_NOT_ALLOWED)
            elif profile_id is not None:
                joined = _profile_seat(conn, row, profile_id, visitor, seat, when) or _new_seat(
                    conn, row, name, key, team, visitor, seat, when, profile_id
                )
            else:
                joined = _held_seat(conn, row, visitor, seat, when) or _new_seat(
                    conn, row, name, key, team, visitor, seat, when
                )
    except IntegrityError:
        raise NameTaken(
            f"Someone in this room is already called {name!r}. Please choose another display name."
        ) from None
    if joined is None:
        raise _not_found(typed)
    live.forget(engine, joined.room_id)  # the head count on this server's pages
    return joined, seat


GUESTS_NOT_ALLOWED = "This room is for signed-in participants: sign in first, then join with the code."


def _profile_seat(
    conn: Connection, room: AnyRow, profile_id: int, visitor: Visitor | None, seat: str, when: datetime
) -> Participant | None:
    """The seat this profile already has in the room, given back with a new token (and moved to
    this browser session); None when it has none yet."""
    held = conn.execute(
        select(PARTICIPANTS).where(PARTICIPANTS.c.room_id == room.id, PARTICIPANTS.c.profile_id == profile_id)
    ).first()
    if held is None:
        return None
    values: dict[str, Any] = {"seat_hash": token_hash(seat), "seat_issued_at": when}
    if visitor is not None:
        values["holder_hash"] = visitor.holder
    conn.execute(update(PARTICIPANTS).where(PARTICIPANTS.c.id == held.id).values(**values))
    return participant_info(held, room.code)


def _held_seat(
    conn: Connection, room: AnyRow, visitor: Visitor | None, seat: str, when: datetime
) -> Participant | None:
    """The seat this browser session already holds, given back with a new token, when it holds
    as many as the room allows and that is one; None when it may take another."""
    if visitor is None:
        return None
    held = conn.execute(
        select(PARTICIPANTS)
        .where(PARTICIPANTS.c.room_id == room.id, PARTICIPANTS.c.holder_hash == visitor.holder)
        .order_by(PARTICIPANTS.c.id)
    ).all()
    if len(held) < room.seats_per_browser:
        return None
    if room.seats_per_browser > 1:
        raise SeatLimit(
            f"This browser already holds {len(held)} seats in this room, as many as the host allows."
        )
    conn.execute(
        update(PARTICIPANTS)
        .where(PARTICIPANTS.c.id == held[0].id)
        .values(seat_hash=token_hash(seat), seat_issued_at=when)
    )
    return participant_info(held[0], room.code)


def _new_seat(
    conn: Connection,
    row: AnyRow,
    name: str,
    key: str,
    team: str | None,
    visitor: Visitor | None,
    seat: str,
    when: datetime,
    profile_id: int | None = None,
) -> Participant:
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
                holder_hash=visitor.holder if visitor else None,
                seat_issued_at=when,
                joined_at=when,
                profile_id=profile_id,
            )
        )
    )
    return Participant(id=pid, room_id=row.id, code=row.code, name=name, team=team, profile_id=profile_id)


def rejoin(
    engine: Engine,
    code: str,
    seat: str | None,
    visitor: Visitor | None = None,
    now: datetime | None = None,
    *,
    actor: Actor | None = None,
) -> tuple[Participant, str]:
    """The participant holding this seat token in the room with this code (also after the end),
    with a new token: a token works once (a reload swaps it), and not after ``SEAT_TOKEN_TTL``,
    so a link seen in a proxy log or a browser history is dead. The seat moves to ``visitor``'s
    browser session. With sign-in on, a signed-in participant's seat opens only for them."""
    if not seat:
        raise NotAParticipant("Join the room with its code and a display name.")
    gone = NotAParticipant("That seat link was already used or has expired; join again with your name.")
    fresh = secrets.token_urlsafe(18)
    with writing(engine) as conn:
        when = clock(conn, now)
        query = select(PARTICIPANTS).where(PARTICIPANTS.c.seat_hash == token_hash(seat))
        row = conn.execute(locked(query)).first()
        if row is None:
            raise gone
        room_code = conn.execute(select(ROOMS.c.code).where(ROOMS.c.id == row.room_id)).scalar_one()
        issued = row.seat_issued_at or row.joined_at
        if room_code != naming.normalise_code(code) or when > issued + SEAT_TOKEN_TTL:
            raise gone
        if row.profile_id is not None and not (actor is None or actor.local):
            if own_profile_id(conn, actor) != row.profile_id:
                raise NotAParticipant("That seat belongs to someone else; join with your own name.")
        values: dict[str, Any] = {"seat_hash": token_hash(fresh), "seat_issued_at": when}
        if visitor is not None:
            values["holder_hash"] = visitor.holder
        conn.execute(update(PARTICIPANTS).where(PARTICIPANTS.c.id == row.id).values(**values))
    return participant_info(row, room_code), fresh


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
