"""Team workshops: live quiz rooms on a shared database, Kahoot-style.

A facilitator (the *host*) creates a room from a topic, a concept, an exam domain or a hand-picked
list of questions, and gets a short join code to show on screen plus a host secret. Participants
join with the code and a display name and answer on their own device; the host paces the
questions (start, reveal, next, pause/resume, end). After each question everyone sees the
distribution of answers, the key with its explanation and the leaderboard; at the end the podium
and their own results, which they can add to their profile's spaced repetition. Afterwards the
host gets an item analysis of the room (``trainer.item_analysis``) and a CSV of every answer.

**One database, many servers.** Every bit of a room's state is a row in the database (tables
``Room``, ``RoomParticipant``, ``RoomAnswer`` in ``trainer.storage``), none in process memory,
so participants on different Streamlit servers share one room. Pages poll :func:`room_state`.

**Time** is the database's on PostgreSQL (``clock_timestamp()``, so app servers with skewed
clocks still time answers fairly) and this process's UTC clock on SQLite (one machine). Every
function takes ``now=`` so tests can control it. An answer's time is measured from the room
row's ``opened_at``, never from anything the browser says.

**Rules** enforced here, not in the pages:

* only the host secret can start, advance, reveal, pause, resume or end a room (the secret is
  ``secrets.token_urlsafe``, stored only as a SHA-256 hash, compared with ``hmac.compare_digest``);
* a display name is unique within a room (ignoring case and spacing), at most ``NAME_MAX`` long;
* an answer is accepted once per question — a UNIQUE (participant_id, question_index) constraint,
  so two concurrent submissions cannot both land — and only while that question is open and
  before its deadline (plus ``LATE_GRACE`` for the network);
* an answer is written only if the room is still at the same revision as when it was checked
  (one conditional INSERT), so a reveal or pause racing an answer cannot let a late one in.

Scoring: *speed* (Kahoot's ``round(1000 × (1 − (t/T)/2))`` for a correct answer, the full 1000
under half a second) or *accuracy* (1000 for every correct answer). Multiple-response questions
are all-or-nothing. Team score: the average of its members' points, as Kahoot does.

This module never imports Streamlit; the pages are ``trainer/ui/workshop.py`` (participants)
and ``trainer/ui/workshop_host.py`` (the host console).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import random
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import lru_cache

from sqlalchemy import bindparam, case, exists, func, literal, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from trainer.content.model import Bank, Domain, Question
from trainer.content.snapshot import (
    LETTERS,
    QuestionSnapshot,
    dump_snapshots,
    load_snapshots,
)
from trainer.store.tables import Room, RoomAnswer, RoomParticipant
from trainer.store.types import as_utc, utcnow
from trainer.workshops import item_analysis

_ROOM = Room.__table__
_PART = RoomParticipant.__table__
_ANS = RoomAnswer.__table__

# Join codes avoid look-alikes (I/1/L, O/0) so they can be read off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 5
NAME_MAX = 24
TEAM_MAX = 24
MAX_TEAMS = 8
MAX_QUESTIONS = 50
MAX_PARTICIPANTS = 500
TIMER_MIN, TIMER_MAX = 5, 600
TITLE_MAX = 120
# Answers arriving this long after the deadline still count: the time it takes a phone's
# request to reach the server. The countdown on screen closes at the deadline itself.
LATE_GRACE = timedelta(milliseconds=500)
MAX_POINTS = 1000
FULL_POINTS_WITHIN = 0.5  # seconds: Kahoot gives the full 1000 to answers faster than this


class RoomPhase(str, Enum):
    LOBBY = "lobby"
    QUESTION_OPEN = "question_open"
    PAUSED = "paused"
    REVEALED = "revealed"
    FINISHED = "finished"

    @property
    def title(self) -> str:
        return {"lobby": "Lobby", "question_open": "Question open", "paused": "Paused",
                "revealed": "Answer shown", "finished": "Finished"}[self.value]


class Scoring(str, Enum):
    SPEED = "speed"
    ACCURACY = "accuracy"

    @property
    def title(self) -> str:
        return {"speed": "Speed-weighted (500–1000 per correct answer)",
                "accuracy": "Accuracy only (1000 per correct answer)"}[self.value]


# -- errors: every message is meant for the person on the other side of the screen ----------------


class WorkshopError(ValueError):
    """Something that cannot be done; the message says why, in plain words."""


class RoomNotFound(WorkshopError):
    pass


class RoomEnded(WorkshopError):
    pass


class HostOnly(WorkshopError):
    """The action needs the host secret, and what was given is missing, wrong or tampered with."""


class InvalidName(WorkshopError):
    pass


class NameTaken(InvalidName):
    pass


class RoomFull(WorkshopError):
    pass


class NotAParticipant(WorkshopError):
    pass


class WrongPhase(WorkshopError):
    """A host action that does not fit where the room is (e.g. 'next' before 'reveal')."""


class Conflict(WorkshopError):
    """Someone else changed the room at the same moment (e.g. two host tabs)."""


class AnswerRejected(WorkshopError):
    pass


class AlreadyAnswered(AnswerRejected):
    pass


class QuestionClosed(AnswerRejected):
    pass


class TooLate(QuestionClosed):
    pass


class InvalidAnswer(AnswerRejected):
    pass


# -- the question snapshot ------------------------------------------------------------------------


@lru_cache(maxsize=128)
def _load_questions(text: str) -> tuple[QuestionSnapshot, ...]:
    """Parse a room's snapshot. Snapshots never change, so parsing is cached by their text."""
    return tuple(load_snapshots(text))


# -- choosing the questions -------------------------------------------------------------------------

SOURCE_KINDS = ("topic", "concept", "domain", "questions")


@dataclass(frozen=True)
class Source:
    """Where a room's questions come from: a topic, a concept, an exam domain or a list of ids."""

    kind: str
    value: str = ""
    question_ids: tuple[str, ...] = ()

    def label(self, bank: Bank | None = None) -> str:
        if self.kind == "questions":
            return f"{len(self.question_ids)} hand-picked questions"
        if self.kind == "topic":
            return f"Topic · {bank.topic_title(self.value) if bank else self.value}"
        if self.kind == "concept":
            name = bank.concepts[self.value].name if bank and self.value in bank.concepts else self.value
            return f"Concept · {name}"
        try:
            return f"Exam domain · {Domain(self.value).title}"
        except ValueError:
            return f"Exam domain · {self.value}"


def candidates(bank: Bank, source: Source) -> list[Question]:
    """The questions a room from this source may use: sorted by id, hand-picked ones in order."""
    if source.kind not in SOURCE_KINDS:
        raise WorkshopError(f"Unknown question source {source.kind!r}; use one of {', '.join(SOURCE_KINDS)}.")
    if source.kind == "questions":
        missing = [q for q in source.question_ids if q not in bank.questions]
        if missing:
            raise WorkshopError(f"Unknown question id(s): {', '.join(missing)}.")
        return [bank.questions[q] for q in dict.fromkeys(source.question_ids)]
    pool = sorted(bank.questions.values(), key=lambda q: q.id)
    if source.kind == "topic":
        return [q for q in pool if q.topic == source.value]
    if source.kind == "concept":
        return [q for q in pool if source.value in q.concepts]
    return [q for q in pool if q.domain.value == source.value]


def select_questions(bank: Bank, source: Source, count: int, seed: int | None = None) -> list[Question]:
    """Up to ``count`` questions from the source: a seeded random sample, in random order;
    hand-picked questions are all kept, in the order they were picked."""
    pool = candidates(bank, source)
    if not pool:
        raise WorkshopError(f"No questions in {source.label(bank)}: choose another source.")
    if source.kind == "questions":
        return pool[:MAX_QUESTIONS]
    count = max(1, min(count, len(pool), MAX_QUESTIONS))
    return random.Random(seed).sample(pool, count)


# -- rooms, participants, answers as the pages see them -------------------------------------------


@dataclass(frozen=True)
class RoomInfo:
    id: int
    code: str
    title: str
    scoring: Scoring
    seconds: int
    teams: tuple[str, ...]
    questions: tuple[QuestionSnapshot, ...]
    phase: RoomPhase
    current: int
    opened_at: datetime | None
    deadline: datetime | None
    paused_at: datetime | None
    revision: int
    source: dict
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def question(self) -> QuestionSnapshot | None:
        """The question on screen (open, paused or revealed); None in the lobby."""
        if 0 <= self.current < len(self.questions):
            return self.questions[self.current]
        return None

    @property
    def is_last(self) -> bool:
        return self.current >= len(self.questions) - 1


def _room_info(row) -> RoomInfo:
    return RoomInfo(
        id=row.id, code=row.code, title=row.title, scoring=Scoring(row.scoring),
        seconds=row.seconds, teams=tuple(json.loads(row.teams or "[]")),
        questions=_load_questions(row.questions), phase=RoomPhase(row.phase), current=row.current,
        opened_at=as_utc(row.opened_at), deadline=as_utc(row.deadline),
        paused_at=as_utc(row.paused_at), revision=row.revision,
        source=json.loads(row.source or "{}"), created_at=as_utc(row.created_at),
        started_at=as_utc(row.started_at), finished_at=as_utc(row.finished_at),
    )


@dataclass(frozen=True)
class Participant:
    id: int
    room_id: int
    code: str
    name: str
    team: str | None


@dataclass(frozen=True)
class MyAnswer:
    question_index: int
    chosen: tuple[int, ...]
    correct: bool
    points: int
    elapsed_ms: int


@dataclass(frozen=True)
class RoomState:
    """What a page needs to draw a room at one moment; one database round trip."""

    room: RoomInfo
    now: datetime
    participants: int
    answered: int  # answers to the current question so far
    mine: MyAnswer | None = None  # the polling participant's answer to the current question

    @property
    def phase(self) -> RoomPhase:
        return self.room.phase

    @property
    def question(self) -> QuestionSnapshot | None:
        return self.room.question

    @property
    def remaining(self) -> timedelta | None:
        """Time left on the current question: frozen while paused, never negative."""
        room = self.room
        if room.deadline is None:
            return None
        if room.phase is RoomPhase.PAUSED and room.paused_at:
            return max(timedelta(0), room.deadline - room.paused_at)
        if room.phase is RoomPhase.QUESTION_OPEN:
            return max(timedelta(0), room.deadline - self.now)
        return None

    @property
    def time_up(self) -> bool:
        room = self.room
        return (room.phase is RoomPhase.QUESTION_OPEN and room.deadline is not None
                and self.now >= room.deadline)

    @property
    def should_reveal(self) -> bool:
        """Open, and either the time (with its grace) is up or everyone has answered: the host
        console reveals then by itself."""
        room = self.room
        if room.phase is not RoomPhase.QUESTION_OPEN or room.deadline is None:
            return False
        everyone = self.participants > 0 and self.answered >= self.participants
        return everyone or self.now > room.deadline + LATE_GRACE


@dataclass(frozen=True)
class Receipt:
    """What ``submit_answer`` stored (the page shows only 'answer received' until the reveal)."""

    question_index: int
    correct: bool
    points: int
    elapsed_ms: int


@dataclass(frozen=True)
class Standing:
    rank: int
    participant_id: int
    name: str
    team: str | None
    points: int
    correct: int
    answered: int


@dataclass(frozen=True)
class TeamScore:
    rank: int
    team: str
    members: int
    points: float  # the average of the members' points
    total: int


@dataclass(frozen=True)
class Distribution:
    """How the answers to one question spread over its options."""

    question_index: int
    counts: tuple[int, ...]  # per option (a multiple-response answer counts in each option)
    answers: int
    correct: int

    @property
    def share_correct(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class QuestionResult:
    index: int
    question: QuestionSnapshot
    chosen: tuple[int, ...] | None  # None: not answered
    correct: bool
    points: int
    elapsed_ms: int | None


# -- helpers ----------------------------------------------------------------------------------------


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _secret_ok(row, secret: str | None) -> bool:
    if not secret or not isinstance(secret, str):
        return False
    return hmac.compare_digest(_hash(secret), row.host_secret_hash)


def _check_host(row, secret: str | None) -> None:
    if not _secret_ok(row, secret):
        raise HostOnly("Only the host link of this room can do that: the host secret is missing "
                       "or does not match. Open the room from the link you got when you created it.")


def _now(conn: Connection, now: datetime | None) -> datetime:
    """The time to use: ``now`` when given (tests), else the database's clock on PostgreSQL (one
    clock for every app server), else this process's UTC clock (SQLite lives on one machine)."""
    if now is not None:
        return as_utc(now)
    if conn.dialect.name == "postgresql":
        return as_utc(conn.execute(select(func.clock_timestamp())).scalar_one())
    return utcnow()


def normalise_code(code: str | None) -> str:
    """What people type, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\t")


def clean_name(name: str | None, limit: int = NAME_MAX, what: str = "display name") -> str:
    """A display name: printable, spaces collapsed, at most ``limit`` characters."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")  # no control chars
    text = " ".join(text.split())
    if not text:
        raise InvalidName(f"Enter a {what}.")
    if len(text) > limit:
        raise InvalidName(f"A {what} can be at most {limit} characters (yours has {len(text)}).")
    return text


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def points_for(correct: bool, elapsed_s: float, seconds: int, scoring: Scoring | str) -> int:
    """Points for one answer: Kahoot's formula for speed scoring, 1000 for accuracy scoring."""
    if not correct:
        return 0
    if Scoring(scoring) is Scoring.ACCURACY:
        return MAX_POINTS
    t = min(max(elapsed_s, 0.0), float(seconds))
    if t < FULL_POINTS_WITHIN:
        return MAX_POINTS
    return int(MAX_POINTS * (1 - (t / seconds) / 2) + 0.5)  # round half up


def is_correct(chosen: Iterable[int], key: Iterable[int]) -> bool:
    return set(chosen) == set(key)


# -- creating a room and joining it ----------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def create_room(engine: Engine, questions: Sequence[Question | QuestionSnapshot], *, seconds: int = 20,
                scoring: Scoring | str = Scoring.SPEED, teams: Sequence[str] = (), title: str = "",
                source: Source | None = None, bank: Bank | None = None,
                now: datetime | None = None) -> tuple[RoomInfo, str]:
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
        team = clean_name(team, TEAM_MAX, "team name")
        if name_key(team) in {name_key(t) for t in team_names}:
            raise WorkshopError(f"Two teams are called {team!r}: give each team its own name.")
        team_names.append(team)
    if len(team_names) == 1:
        raise WorkshopError("Team play needs at least two teams (or none).")
    if len(team_names) > MAX_TEAMS:
        raise WorkshopError(f"At most {MAX_TEAMS} teams.")
    snapshot = [q if isinstance(q, QuestionSnapshot) else
                QuestionSnapshot.from_question(q, bank.topic_title(q.topic) if bank else q.topic)
                for q in questions]
    title = " ".join((title or "").split())[:TITLE_MAX]
    source_json = json.dumps({**asdict(source), "label": source.label(bank)} if source else {})
    secret = secrets.token_urlsafe(32)
    for _ in range(20):
        code = _new_code()
        try:
            with engine.begin() as conn:
                created = _now(conn, now)
                room_id = conn.execute(_ROOM.insert().values(
                    code=code, open_code=code, title=title, host_secret_hash=_hash(secret),
                    source=source_json, scoring=scoring.value, seconds=int(seconds),
                    teams=json.dumps(team_names), questions=dump_snapshots(snapshot),
                    phase=RoomPhase.LOBBY.value, current=-1, revision=0, created_at=created,
                )).inserted_primary_key[0]
        except IntegrityError:
            continue  # the code is in use by an open room: draw another
        return get_room(engine, room_id), secret
    raise WorkshopError("Could not find a free join code; try again.")  # pragma: no cover


def _room_row(conn: Connection, room_id: int, secret: str | None = None, host: bool = False):
    """The room's row; with ``host=True`` only for the holder of the host secret."""
    row = conn.execute(select(_ROOM).where(_ROOM.c.id == room_id)).first()
    if row is None:
        raise RoomNotFound("That room does not exist.")
    if host:
        _check_host(row, secret)
    return row


def get_room(engine: Engine, room_id: int) -> RoomInfo:
    with engine.connect() as conn:
        return _room_info(_room_row(conn, room_id))


def _open_room_row(conn: Connection, code: str):
    code = normalise_code(code)
    if not code:
        raise RoomNotFound("Enter the join code shown on the host's screen.")
    row = conn.execute(select(_ROOM).where(_ROOM.c.open_code == code)).first()
    if row is not None:
        return row
    if conn.execute(select(_ROOM.c.id).where(_ROOM.c.code == code).limit(1)).first():
        raise RoomEnded(f"The workshop with code {code} has ended.")
    raise RoomNotFound(f"No open room has the code {code}. Check the code on the host's screen.")


def find_room(engine: Engine, code: str) -> RoomInfo:
    """The open room with this join code."""
    with engine.connect() as conn:
        return _room_info(_open_room_row(conn, code))


def host_room(engine: Engine, code: str, secret: str | None) -> RoomInfo:
    """The room a host link points at (``?room=CODE&secret=...``), finished rooms included.

    A code is unique only among open rooms, so every room that ever had it is checked against
    the secret; a missing or tampered secret raises :class:`HostOnly`."""
    code = normalise_code(code)
    with engine.connect() as conn:
        rows = conn.execute(select(_ROOM).where(_ROOM.c.code == code)
                            .order_by(_ROOM.c.id.desc())).all()
    if not rows:
        raise RoomNotFound(f"No room has the code {code or '(none)'}.")
    matching = [row for row in rows if _secret_ok(row, secret)]
    if not matching:
        _check_host(rows[0], None)
    return _room_info(matching[0])


def _participant(row, code: str) -> Participant:
    return Participant(id=row.id, room_id=row.room_id, code=code, name=row.name, team=row.team)


def join(engine: Engine, code: str, name: str, team: str | None = None,
         now: datetime | None = None) -> tuple[Participant, str]:
    """Join an open room; returns the participant and a seat token (to rejoin after a reload).

    Late joiners are welcome at any moment before the end. With teams, ``team=None`` puts the
    participant in the team with the fewest members."""
    name = clean_name(name)
    key = name_key(name)
    seat = secrets.token_urlsafe(18)
    try:
        with engine.begin() as conn:
            row = _open_room_row(conn, code)
            count = conn.execute(select(func.count()).select_from(_PART)
                                 .where(_PART.c.room_id == row.id)).scalar_one()
            if count >= MAX_PARTICIPANTS:
                raise RoomFull(f"This room is full ({MAX_PARTICIPANTS} participants).")
            teams = json.loads(row.teams or "[]")
            if teams:
                if team:
                    by_key = {name_key(t): t for t in teams}
                    if name_key(team) not in by_key:
                        raise WorkshopError(f"There is no team {team!r} in this room; choose one of "
                                            f"{', '.join(teams)}.")
                    team = by_key[name_key(team)]
                else:
                    sizes = dict(conn.execute(select(_PART.c.team, func.count())
                                              .where(_PART.c.room_id == row.id)
                                              .group_by(_PART.c.team)).all())
                    team = min(teams, key=lambda t: (sizes.get(t, 0), teams.index(t)))
            else:
                team = None
            pid = conn.execute(_PART.insert().values(
                room_id=row.id, name=name, name_key=key, team=team, seat_hash=_hash(seat),
                joined_at=_now(conn, now),
            )).inserted_primary_key[0]
    except IntegrityError:
        raise NameTaken(f"Someone in this room is already called {name!r}. "
                        "Please choose another display name.") from None
    return Participant(id=pid, room_id=row.id, code=row.code, name=name, team=team), seat


def rejoin(engine: Engine, code: str, seat: str | None) -> Participant:
    """The participant holding this seat token in the room with this code (also after the end)."""
    if not seat:
        raise NotAParticipant("Join the room with its code and a display name.")
    with engine.connect() as conn:
        row = conn.execute(
            select(_PART, _ROOM.c.code).join(_ROOM, _ROOM.c.id == _PART.c.room_id)
            .where(_PART.c.seat_hash == _hash(seat))).first()
    if row is None or row.code != normalise_code(code):
        raise NotAParticipant("That seat is not in this room any more; join again with your name.")
    return _participant(row, row.code)


def participants(engine: Engine, room_id: int) -> list[Participant]:
    with engine.connect() as conn:
        code = conn.execute(select(_ROOM.c.code).where(_ROOM.c.id == room_id)).scalar_one()
        rows = conn.execute(select(_PART).where(_PART.c.room_id == room_id)
                            .order_by(_PART.c.joined_at, _PART.c.id)).all()
    return [_participant(r, code) for r in rows]


# -- host actions -------------------------------------------------------------------------------------


def _host_action(engine: Engine, room_id: int, secret: str | None, now: datetime | None,
                 change) -> RoomInfo:
    """Check the secret, let ``change(row, now, conn)`` decide the new values (or raise
    WrongPhase), and write them only if nobody changed the room meanwhile."""
    with engine.begin() as conn:
        row = _room_row(conn, room_id, secret, host=True)
        values = change(row, _now(conn, now), conn)
        values["revision"] = row.revision + 1
        done = conn.execute(update(_ROOM).where(
            _ROOM.c.id == room_id, _ROOM.c.revision == row.revision).values(**values)).rowcount
        if not done:
            raise Conflict("The room changed at the same moment (another host tab?). Look again and retry.")
    return get_room(engine, room_id)


def _open_question(row, index: int, now: datetime) -> dict:
    return {"phase": RoomPhase.QUESTION_OPEN.value, "current": index, "opened_at": now,
            "deadline": now + timedelta(seconds=row.seconds), "paused_at": None}


def start(engine: Engine, room_id: int, secret: str | None, now: datetime | None = None) -> RoomInfo:
    """Open the first question."""
    def change(row, now, conn):
        if row.phase != RoomPhase.LOBBY.value:
            raise WrongPhase("The room has already started.")
        joined = conn.execute(select(func.count()).select_from(_PART)
                              .where(_PART.c.room_id == row.id)).scalar_one()
        if not joined:
            raise WrongPhase("Nobody has joined yet: wait for at least one participant.")
        return {**_open_question(row, 0, now), "started_at": now}
    return _host_action(engine, room_id, secret, now, change)


def reveal(engine: Engine, room_id: int, secret: str | None, now: datetime | None = None) -> RoomInfo:
    """Close the current question and show the answer, the distribution and the leaderboard."""
    def change(row, now, conn):
        if row.phase not in (RoomPhase.QUESTION_OPEN.value, RoomPhase.PAUSED.value):
            raise WrongPhase("There is no open question to reveal.")
        return {"phase": RoomPhase.REVEALED.value, "paused_at": None}
    return _host_action(engine, room_id, secret, now, change)


def next_question(engine: Engine, room_id: int, secret: str | None,
                  now: datetime | None = None) -> RoomInfo:
    """After a reveal: open the next question, or finish after the last one."""
    def change(row, now, conn):
        if row.phase != RoomPhase.REVEALED.value:
            raise WrongPhase("Reveal the answer before moving on." if row.phase in (
                RoomPhase.QUESTION_OPEN.value, RoomPhase.PAUSED.value)
                else "There is no next question now.")
        total = len(_load_questions(row.questions))
        if row.current + 1 >= total:
            return _finish_values(now)
        return _open_question(row, row.current + 1, now)
    return _host_action(engine, room_id, secret, now, change)


def pause(engine: Engine, room_id: int, secret: str | None, now: datetime | None = None) -> RoomInfo:
    """Stop the clock of the open question; no answers are taken while paused."""
    def change(row, now, conn):
        if row.phase != RoomPhase.QUESTION_OPEN.value:
            raise WrongPhase("Only an open question can be paused.")
        if now >= as_utc(row.deadline):
            raise WrongPhase("Time is already up: reveal the answer instead.")
        return {"phase": RoomPhase.PAUSED.value, "paused_at": now}
    return _host_action(engine, room_id, secret, now, change)


def resume(engine: Engine, room_id: int, secret: str | None, now: datetime | None = None) -> RoomInfo:
    """Restart the clock: the time left is what was left at the pause; answer times (and so
    speed points) do not count the pause."""
    def change(row, now, conn):
        if row.phase != RoomPhase.PAUSED.value:
            raise WrongPhase("The room is not paused.")
        shift = max(timedelta(0), now - as_utc(row.paused_at))
        return {"phase": RoomPhase.QUESTION_OPEN.value, "paused_at": None,
                "opened_at": as_utc(row.opened_at) + shift, "deadline": as_utc(row.deadline) + shift}
    return _host_action(engine, room_id, secret, now, change)


def _finish_values(now: datetime) -> dict:
    return {"phase": RoomPhase.FINISHED.value, "open_code": None, "finished_at": now,
            "paused_at": None}


def end(engine: Engine, room_id: int, secret: str | None, now: datetime | None = None) -> RoomInfo:
    """Finish the room now: the podium and results are shown; the join code is freed."""
    def change(row, now, conn):
        if row.phase == RoomPhase.FINISHED.value:
            raise WrongPhase("The room has already ended.")
        return _finish_values(now)
    return _host_action(engine, room_id, secret, now, change)


# -- answering ----------------------------------------------------------------------------------------


def _validate_choice(question: QuestionSnapshot, chosen: Iterable[int]) -> tuple[int, ...]:
    try:
        picked = tuple(sorted({int(i) for i in chosen}))
    except (TypeError, ValueError):
        raise InvalidAnswer("That is not one of the options.") from None
    if any(not 0 <= i < len(question.options) for i in picked):
        raise InvalidAnswer("That is not one of the options.")
    if not picked:
        raise InvalidAnswer("Choose an option first.")
    if question.type == "single" and len(picked) != 1:
        raise InvalidAnswer("Choose one option.")
    if question.type != "single" and len(picked) != question.choose:
        raise InvalidAnswer(f"Choose {question.choose} options (you chose {len(picked)}).")
    return picked


def _closed_reason(row, index: int, now: datetime) -> AnswerRejected:
    phase = RoomPhase(row.phase)
    if phase is RoomPhase.FINISHED:
        return QuestionClosed("The workshop has ended: no more answers.")
    if row.current != index or phase in (RoomPhase.LOBBY, RoomPhase.REVEALED):
        return QuestionClosed("This question is closed: answers are no longer taken.")
    if phase is RoomPhase.PAUSED:
        return QuestionClosed("The host paused the question: answer when it resumes.")
    if now > as_utc(row.deadline) + LATE_GRACE:
        return TooLate("Time is up: the answer arrived after the timer ran out.")
    return QuestionClosed("The question changed while you answered; look again.")


_ANSWER_CONTEXT = (
    select(_ROOM.c.id, _ROOM.c.phase, _ROOM.c.current, _ROOM.c.opened_at, _ROOM.c.deadline,
           _ROOM.c.seconds, _ROOM.c.scoring, _ROOM.c.questions, _ROOM.c.revision)
    .join(_PART, _PART.c.room_id == _ROOM.c.id)
    .where(_PART.c.id == bindparam("pid"))
)


def submit_answer(engine: Engine, participant_id: int, question_index: int, chosen: Iterable[int],
                  now: datetime | None = None) -> Receipt:
    """Record a participant's answer to the open question, once.

    The time is measured on the server from the room's ``opened_at``. Rejected (with a message
    for the participant) when the question is not open, after the deadline, a second time, or
    when the choice does not fit the question."""
    chosen = list(chosen)
    for _ in range(3):  # retried only when the room changed between the check and the write
        try:
            with engine.begin() as conn:
                query = _ANSWER_CONTEXT
                if conn.dialect.name == "postgresql":
                    # Host actions (UPDATE room) wait until answers in flight are written; the
                    # database's clock comes with the same round trip.
                    query = query.add_columns(func.clock_timestamp().label("db_now")) \
                        .with_for_update(read=True, of=_ROOM)
                row = conn.execute(query, {"pid": participant_id}).first()
                if row is None:
                    raise NotAParticipant("You are not in this room; join it with the code first.")
                when = as_utc(now) if now is not None else (
                    as_utc(row.db_now) if conn.dialect.name == "postgresql" else utcnow())
                if (row.phase != RoomPhase.QUESTION_OPEN.value or row.current != question_index
                        or when > as_utc(row.deadline) + LATE_GRACE):
                    raise _closed_reason(row, question_index, when)
                question = _load_questions(row.questions)[question_index]
                picked = _validate_choice(question, chosen)
                elapsed_ms = max(0, int((when - as_utc(row.opened_at)).total_seconds() * 1000))
                correct = is_correct(picked, question.answer)
                points = points_for(correct, elapsed_ms / 1000, row.seconds, row.scoring)
                values = {
                    "room_id": row.id, "participant_id": participant_id,
                    "question_index": question_index, "chosen": json.dumps(list(picked)),
                    "correct": correct, "elapsed_ms": elapsed_ms, "points": points,
                    "answered_at": when,
                }
                # One statement: written only if the room is still where it was checked.
                still_open = exists().where(
                    _ROOM.c.id == row.id, _ROOM.c.revision == row.revision,
                    _ROOM.c.phase == RoomPhase.QUESTION_OPEN.value)
                source = select(*[literal(v, type_=_ANS.c[k].type).label(k)
                                  for k, v in values.items()]).where(still_open)
                written = conn.execute(_ANS.insert().from_select(list(values), source)).rowcount
        except IntegrityError:
            raise AlreadyAnswered("Your answer to this question is already in: "
                                  "one answer per question.") from None
        if written:
            return Receipt(question_index, correct, points, elapsed_ms)
    with engine.connect() as conn:
        row = conn.execute(_ANSWER_CONTEXT, {"pid": participant_id}).first()
        raise _closed_reason(row, question_index, _now(conn, now))


# -- reading a room ------------------------------------------------------------------------------------


def room_state(engine: Engine, room_id: int, participant_id: int | None = None,
               now: datetime | None = None) -> RoomState:
    """Everything a polling page needs, in one query: the room, how many joined, how many
    answered the current question, and (for a participant) their own answer to it."""
    joined = (select(func.count()).select_from(_PART).where(_PART.c.room_id == _ROOM.c.id)
              .scalar_subquery())
    answered = (select(func.count()).select_from(_ANS)
                .where(_ANS.c.room_id == _ROOM.c.id, _ANS.c.question_index == _ROOM.c.current)
                .scalar_subquery())
    columns = [_ROOM, joined.label("n_joined"), answered.label("n_answered")]
    with engine.connect() as conn:
        if now is None and conn.dialect.name == "postgresql":
            columns.append(func.clock_timestamp().label("db_now"))
        row = conn.execute(select(*columns).where(_ROOM.c.id == room_id)).first()
        if row is None:
            raise RoomNotFound("That room does not exist.")
        mine = None
        if participant_id is not None and row.current >= 0:
            a = conn.execute(select(_ANS).where(_ANS.c.participant_id == participant_id,
                                                _ANS.c.question_index == row.current)).first()
            if a is not None:
                mine = MyAnswer(a.question_index, tuple(json.loads(a.chosen)), a.correct,
                                a.points, a.elapsed_ms)
    when = as_utc(now) if now is not None else as_utc(getattr(row, "db_now", None)) or utcnow()
    return RoomState(room=_room_info(row), now=when, participants=row.n_joined,
                     answered=row.n_answered, mine=mine)


def leaderboard(engine: Engine, room_id: int) -> list[Standing]:
    """Everyone in the room by points (ties share a rank: 1, 2, 2, 4)."""
    points = func.coalesce(func.sum(_ANS.c.points), 0)
    correct = func.coalesce(func.sum(case((_ANS.c.correct, 1), else_=0)), 0)
    query = (select(_PART.c.id, _PART.c.name, _PART.c.name_key, _PART.c.team,
                    points.label("points"), correct.label("correct"),
                    func.count(_ANS.c.id).label("answered"))
             .select_from(_PART.outerjoin(_ANS, _ANS.c.participant_id == _PART.c.id))
             .where(_PART.c.room_id == room_id)
             .group_by(_PART.c.id, _PART.c.name, _PART.c.name_key, _PART.c.team)
             .order_by(points.desc(), _PART.c.name_key))
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    standings, rank = [], 0
    for i, r in enumerate(rows):
        if i == 0 or int(r.points) != standings[-1].points:
            rank = i + 1
        standings.append(Standing(rank, r.id, r.name, r.team, int(r.points), int(r.correct),
                                  int(r.answered)))
    return standings


def team_scores(engine: Engine, room_id: int, standings: Sequence[Standing] | None = None) -> list[TeamScore]:
    """Each team's score: the average of its members' points (Kahoot's team mode)."""
    room = get_room(engine, room_id)
    standings = leaderboard(engine, room_id) if standings is None else standings
    members: dict[str, list[int]] = {t: [] for t in room.teams}
    for s in standings:
        if s.team in members:
            members[s.team].append(s.points)
    scored = sorted(((t, pts) for t, pts in members.items() if pts),
                    key=lambda tp: (-sum(tp[1]) / len(tp[1]), room.teams.index(tp[0])))
    result: list[TeamScore] = []
    for i, (team, pts) in enumerate(scored):
        avg = sum(pts) / len(pts)
        rank = result[-1].rank if result and abs(result[-1].points - avg) < 1e-9 else i + 1
        result.append(TeamScore(rank, team, len(pts), avg, sum(pts)))
    return result


def distribution(engine: Engine, room_id: int, question_index: int) -> Distribution:
    """How the answers to one question spread over the options."""
    room = get_room(engine, room_id)
    question = room.questions[question_index]
    with engine.connect() as conn:
        rows = conn.execute(select(_ANS.c.chosen, _ANS.c.correct).where(
            _ANS.c.room_id == room_id, _ANS.c.question_index == question_index)).all()
    counts = [0] * len(question.options)
    for r in rows:
        for i in json.loads(r.chosen):
            if 0 <= i < len(counts):
                counts[i] += 1
    return Distribution(question_index, tuple(counts), len(rows), sum(1 for r in rows if r.correct))


def my_results(engine: Engine, participant_id: int) -> list[QuestionResult]:
    """A participant's answer to every question of the room (None where they did not answer)."""
    with engine.connect() as conn:
        room_id = conn.execute(select(_PART.c.room_id).where(_PART.c.id == participant_id)).scalar()
        if room_id is None:
            raise NotAParticipant("You are not in this room.")
        answers = {a.question_index: a for a in conn.execute(
            select(_ANS).where(_ANS.c.participant_id == participant_id)).all()}
    room = get_room(engine, room_id)
    results = []
    for i, q in enumerate(room.questions):
        a = answers.get(i)
        results.append(QuestionResult(
            i, q, tuple(json.loads(a.chosen)) if a else None, bool(a and a.correct),
            a.points if a else 0, a.elapsed_ms if a else None))
    return results


def mistake_cards(results: Sequence[QuestionResult]) -> list[str]:
    """The cards behind the questions answered wrong, without repeats."""
    return list(dict.fromkeys(c for r in results if r.chosen is not None and not r.correct
                              for c in r.question.cards))


def add_mistakes_to_study(engine: Engine, participant_id: int, study, now: datetime | None = None) -> int:
    """Bring forward, in ``study`` (a :class:`trainer.study.Study`), the cards behind the
    questions this participant got wrong. Returns how many cards moved."""
    return study.mark_for_review(mistake_cards(my_results(engine, participant_id)), now=now)


# -- the facilitator's report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionAnalysis:
    index: int
    question: QuestionSnapshot
    stats: item_analysis.ItemStats


@dataclass(frozen=True)
class RoomReport:
    room: RoomInfo
    participants: int  # joined
    respondents: int  # answered at least once
    answers: int
    items: tuple[QuestionAnalysis, ...]

    @property
    def flagged(self) -> list[QuestionAnalysis]:
        return [i for i in self.items if any(f.warning for f in i.stats.flags)]


def _answer_rows(conn: Connection, room_id: int):
    return conn.execute(
        select(_ANS, _PART.c.name, _PART.c.team).join(_PART, _PART.c.id == _ANS.c.participant_id)
        .where(_ANS.c.room_id == room_id).order_by(_ANS.c.question_index, _ANS.c.answered_at,
                                                   _ANS.c.id)).all()


def report(engine: Engine, room_id: int, secret: str | None) -> RoomReport:
    """Item analysis of every question of the room (host only)."""
    with engine.connect() as conn:
        row = _room_row(conn, room_id, secret, host=True)
        rows = _answer_rows(conn, room_id)
        joined = conn.execute(select(func.count()).select_from(_PART)
                              .where(_PART.c.room_id == room_id)).scalar_one()
    room = _room_info(row)
    responses = [item_analysis.Response(r.participant_id, r.question_index,
                                        tuple(json.loads(r.chosen)), bool(r.correct)) for r in rows]
    items = range(room.total)
    stats = item_analysis.analyse(
        responses, list(items),
        option_counts={i: len(q.options) for i, q in enumerate(room.questions)},
        keys={i: q.answer for i, q in enumerate(room.questions)})
    return RoomReport(room, joined, len({r.person for r in responses}), len(responses),
                      tuple(QuestionAnalysis(i, room.questions[i], s) for i, s in zip(items, stats)))


CSV_COLUMNS = ["room", "question", "question_id", "participant", "team", "chosen", "correct",
               "time_s", "points", "answered_at"]


def _csv_safe(text: str | None) -> str:
    """Names are typed by participants: keep spreadsheets from reading them as formulas."""
    text = text or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def answers_csv(engine: Engine, room_id: int, secret: str | None) -> str:
    """Every answer of the room, one row each (host only)."""
    with engine.connect() as conn:
        row = _room_row(conn, room_id, secret, host=True)
        rows = _answer_rows(conn, room_id)
    questions = _load_questions(row.questions)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        chosen = "".join(LETTERS[i] for i in json.loads(r.chosen))
        writer.writerow([row.code, r.question_index + 1, questions[r.question_index].id,
                         _csv_safe(r.name), _csv_safe(r.team), chosen, "yes" if r.correct else "no",
                         f"{r.elapsed_ms / 1000:.3f}", r.points, as_utc(r.answered_at).isoformat()])
    return out.getvalue()
