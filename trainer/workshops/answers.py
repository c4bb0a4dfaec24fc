"""Submitting an answer: once per question, only while it is open, timed on the server.

The rules, enforced here and in the database rather than in the pages:

* an answer is accepted once per question — a UNIQUE (participant_id, question_index)
  constraint, so two concurrent submissions cannot both land;
* only while that question is open and before its deadline (plus ``LATE_GRACE`` for the
  network);
* only if the room is still at the same revision as when it was checked (one conditional
  INSERT), so a reveal or pause racing an answer cannot let a late one in.

An answer's time is measured from when the server first drew the question for the seat (bounded
by the room row's ``opened_at`` and ``deadline``; :mod:`trainer.workshops.live`), never from
anything the browser says. Whether it is correct is the shared all-or-nothing rule
(:func:`trainer.content.selection.is_correct`); its points are :func:`~trainer.workshops.scoring.points_for`.

**A signed-in participant's answer is theirs.** Their seat is bound to their profile
(:func:`trainer.workshops.rooms.join`), the answer row keeps the bank's question id, and in the
same transaction the answer is recorded in their spaced repetition exactly as Study records a
scenario question (:meth:`trainer.study.queue.Study.record_question`): Good for each linked card
already started if right, Again if wrong, logged as a question attempt; cards never started are
left alone (the results page offers to bring them forward). So a workshop counts in Progress, in
team assignments and on the Profile page's list of workshops. A guest's answers belong to the
room only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, exists, literal, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from trainer.content.selection import is_correct
from trainer.content.snapshot import QuestionSnapshot
from trainer.store.tables import Profile, table_of
from trainer.store.types import utcnow
from trainer.study.queue import Study
from trainer.workshops import live
from trainer.workshops.access import (
    ANSWERS,
    PARTICIPANTS,
    ROOMS,
    AnyRow,
    clock,
    database_clock,
    load_room_questions,
)
from trainer.workshops.errors import (
    AlreadyAnswered,
    AnswerRejected,
    InvalidAnswer,
    NotAParticipant,
    QuestionClosed,
    TooLate,
)
from trainer.workshops.model import LATE_GRACE, Receipt, RoomPhase
from trainer.workshops.scoring import points_for

PROFILES = table_of(Profile)


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


def _closed_reason(row: AnyRow, index: int, now: datetime) -> AnswerRejected:
    phase = RoomPhase(row.phase)
    if phase is RoomPhase.FINISHED:
        return QuestionClosed("The workshop has ended: no more answers.")
    if row.current != index or phase in (RoomPhase.LOBBY, RoomPhase.REVEALED):
        return QuestionClosed("This question is closed: answers are no longer taken.")
    if phase is RoomPhase.PAUSED:
        return QuestionClosed("The host paused the question: answer when it resumes.")
    if now > row.deadline + LATE_GRACE:
        return TooLate("Time is up: the answer arrived after the timer ran out.")
    return QuestionClosed("The question changed while you answered; look again.")


def timed_from(row: AnyRow, shown_at: datetime | None) -> datetime:
    """Where an answer's time starts: when the seat was shown the question, but never before
    the question opened nor after its deadline (the page's shown time is the server's, and
    bounded all the same)."""
    if shown_at is None:
        return row.opened_at
    return min(max(shown_at, row.opened_at), row.deadline)


def _record_in_study(
    engine: Engine,
    conn: Connection,
    profile_id: int,
    question: QuestionSnapshot,
    correct: bool,
    when: datetime,
    elapsed_ms: int,
) -> None:
    """Record the answer in the participant's own study, in the answer's transaction (see the
    module docstring). The seat was bound to this profile by the core, so no check is due here."""
    row = conn.execute(select(PROFILES).where(PROFILES.c.id == profile_id)).first()
    if row is None or not question.cards:
        return
    study = Study(engine, Profile(**row._mapping))
    study.record_question(conn, question.id, question.cards, correct, when, elapsed_ms)


_ANSWER_CONTEXT = (
    select(
        ROOMS.c.id,
        ROOMS.c.phase,
        ROOMS.c.current,
        ROOMS.c.opened_at,
        ROOMS.c.deadline,
        ROOMS.c.seconds,
        ROOMS.c.scoring,
        ROOMS.c.questions,
        ROOMS.c.revision,
        PARTICIPANTS.c.profile_id,
    )
    .join(PARTICIPANTS, PARTICIPANTS.c.room_id == ROOMS.c.id)
    .where(PARTICIPANTS.c.id == bindparam("pid"))
)


def submit_answer(
    engine: Engine,
    participant_id: int,
    question_index: int,
    chosen: Iterable[int],
    now: datetime | None = None,
    shown_at: datetime | None = None,
) -> Receipt:
    """Record a participant's answer to the open question, once.

    The time is measured on the server from ``shown_at``, when the server first drew the question
    for this seat (:func:`trainer.workshops.live.mark_shown`), kept between the question's opening
    and its deadline; without it, from the room's ``opened_at``. Rejected (with a message
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
                    query = query.add_columns(database_clock().label("db_now")).with_for_update(
                        read=True, of=ROOMS
                    )
                row = conn.execute(query, {"pid": participant_id}).first()
                if row is None:
                    raise NotAParticipant("You are not in this room; join it with the code first.")
                when: datetime = (
                    now
                    if now is not None
                    else (row.db_now if conn.dialect.name == "postgresql" else utcnow())
                )
                if (
                    row.phase != RoomPhase.QUESTION_OPEN.value
                    or row.current != question_index
                    or when > row.deadline + LATE_GRACE
                ):
                    raise _closed_reason(row, question_index, when)
                question = load_room_questions(row.questions)[question_index]
                picked = _validate_choice(question, chosen)
                elapsed_ms = max(0, int((when - timed_from(row, shown_at)).total_seconds() * 1000))
                correct = is_correct(picked, question.answer)
                points = points_for(correct, elapsed_ms / 1000, row.seconds, row.scoring)
                values = {
                    "room_id": row.id,
                    "participant_id": participant_id,
                    "question_index": question_index,
                    "chosen": list(picked),
                    "correct": correct,
                    "elapsed_ms": elapsed_ms,
                    "points": points,
                    "answered_at": when,
                    "question_id": question.id,
                }
                # One statement: written only if the room is still where it was checked.
                still_open = exists().where(
                    ROOMS.c.id == row.id,
                    ROOMS.c.revision == row.revision,
                    ROOMS.c.phase == RoomPhase.QUESTION_OPEN.value,
                )
                source = select(
                    *[literal(v, type_=ANSWERS.c[k].type).label(k) for k, v in values.items()]
                ).where(still_open)
                written = conn.execute(ANSWERS.insert().from_select(list(values), source)).rowcount
                if written and row.profile_id is not None:
                    _record_in_study(engine, conn, row.profile_id, question, correct, when, elapsed_ms)
        except IntegrityError:
            raise AlreadyAnswered(
                "Your answer to this question is already in: one answer per question."
            ) from None
        if written:
            live.forget(engine, row.id)  # the answer count on this server's host console
            return Receipt(question_index, correct, points, elapsed_ms)
    with engine.connect() as conn:
        row = conn.execute(_ANSWER_CONTEXT, {"pid": participant_id}).first()
        assert row is not None  # the participant was there a moment ago; rows are never deleted
        raise _closed_reason(row, question_index, clock(conn, now))
