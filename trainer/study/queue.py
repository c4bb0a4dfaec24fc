"""A learner's study queue: which card comes next, and recording an answer.

This joins the content bank, the scheduler and the store. The queue follows Anki's order:
learning cards whose step is due, then reviews due today (up to the daily review limit), then
new cards in introduction order (up to the daily new limit), then learning cards up to 20
minutes early. Reviews and new cards are interleaved across topics: the next card prefers a
topic different from the one just studied.

Every answer is one transaction: the card's memory row and its review-log row are written
together or not at all. Two answers to one card at the same moment (two tabs, two devices, two
people on one profile) both count: the answer reads the card's row under a lock
(:func:`trainer.store.statements.writing`), so the second waits for the first and is computed
from the row the first wrote. Nothing is retried and nothing is refused; the wait is one
answer's transaction, about a millisecond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.engine import Connection, Engine

from trainer.access.permissions import Actor, require_profile
from trainer.content.model import Bank, Question
from trainer.content.selection import is_correct
from trainer.store.engine import session
from trainer.store.enums import MemoryState, ReviewKind, StudyQueue
from trainer.store.statements import insert_missing, writing
from trainer.store.tables import CardState, Profile
from trainer.store.types import utcnow
from trainer.study import statements as sql
from trainer.study.due_load import DueCalendar
from trainer.study.exam_plan import todays_pace
from trainer.study.hot_sql import read_card
from trainer.study.load_balance import calendar_from_json
from trainer.study.scheduling import (
    Memory,
    Outcome,
    Rating,
    Scheduler,
    Settings,
    day_start,
    next_day_start,
    parse_steps,
)


class StudyError(ValueError):
    """An action that cannot be done (unknown profile or card); the message says why."""


@dataclass(frozen=True)
class QueuedCard:
    """The card the queue chose: enough to show it and to interleave topics."""

    card_id: str
    topic: str
    queue: StudyQueue


@dataclass(frozen=True)
class Counts:
    """What is left today, as Anki shows above the card: new, learning, to review."""

    new: int
    learning: int
    review: int


def settings_for(profile: Profile) -> Settings:
    return Settings(
        new_per_day=profile.new_per_day,
        reviews_per_day=profile.reviews_per_day,
        desired_retention=profile.desired_retention,
        learning_steps=parse_steps(profile.learning_steps, "learning steps"),
        relearning_steps=parse_steps(profile.relearning_steps, "relearning steps"),
        leech_threshold=profile.leech_threshold,
        leech_action=profile.leech_action,
        day_starts_at=profile.day_starts_at,
        timezone=profile.timezone,
        exam_date=profile.exam_date,
        exam_max_new_per_day=profile.exam_max_new_per_day,
        parameters=tuple(profile.fsrs_parameters) if profile.fsrs_parameters else None,
        **calendar_from_json(profile.calendar),  # type: ignore[arg-type]
    )


def memory_of(row: Row[Any]) -> Memory:
    return Memory(
        card_id=row.card_id,
        state=MemoryState(row.state),
        step=row.step,
        stability=row.stability,
        difficulty=row.difficulty,
        due=row.due,
        last_review=row.last_review,
        reps=row.reps,
        lapses=row.lapses,
        leech=row.leech,
        suspended=row.suspended,
    )


def _other_topic(rows: Sequence[Sequence[Any]], last_topic: str | None) -> Sequence[Any] | None:
    """The first candidate (card_id, topic, queue) of a topic other than the last card's, else
    the first one."""
    for row in rows:
        if row[1] != last_topic:
            return row
    return rows[0] if rows else None


def _review_due(row: Row[Any]) -> datetime | None:
    """When a card row is due, if it is in the review queue (what load balancing counts)."""
    return row.due if row.queue == StudyQueue.REVIEW else None


def _queue_for(memory: Memory, retired: bool = False) -> StudyQueue:
    if retired:
        return StudyQueue.RETIRED
    if memory.suspended:
        return StudyQueue.SUSPENDED
    if memory.state == MemoryState.NEW:
        return StudyQueue.NEW
    if memory.state in (MemoryState.LEARNING, MemoryState.RELEARNING):
        return StudyQueue.LEARN
    return StudyQueue.REVIEW


class Study:
    """One profile's study queue over one bank."""

    def __init__(self, engine: Engine, profile: Profile, actor: Actor | None = None):
        # With sign-in on, only the profile's owner may study with it (None: local mode).
        if profile.id is not None:
            require_profile(engine, actor, profile.id)
        self.engine = engine
        self.profile = profile
        self.settings = settings_for(profile)
        self.scheduler = Scheduler(self.settings)
        self._today: tuple[datetime, int, int] | None = None  # (day start, new done, reviews done)
        self._new_limit: tuple[datetime, int] | None = None  # (day start, today's new-card limit)
        # Review cards due per day for load balancing, read once per day and kept up to date by
        # this Study's answers (trainer.study.due_load).
        self.calendar = DueCalendar(profile.id, self.settings)
        self._day: tuple[datetime, datetime] | None = None  # the study day's start and the next one's

    def _day_bounds(self, now: datetime) -> tuple[datetime, datetime]:
        """When the study day holding ``now`` starts and the next one does (worked out once a day:
        the queue asks on every card)."""
        if self._day is None or not self._day[0] <= now < self._day[1]:
            self._day = (day_start(now, self.settings), next_day_start(now, self.settings))
        return self._day

    # -- keeping the store in step with the content -------------------------------

    def sync(self, bank: Bank, order: list[str]) -> None:
        """Add rows for new cards, retire rows of cards gone from the YAML, restore returners.

        ``order`` is the introduction order of card ids (see ``trainer.content.graph``).
        History is never deleted; a returning card keeps its memory. Two first sessions of one
        profile syncing at once both succeed: rows another session added meanwhile are skipped.
        """
        position = {card_id: i for i, card_id in enumerate(order)}
        pid = self.profile.id
        self.calendar.forget()  # retired and returning cards leave or join the review queue
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(
                    sql.CARDS.c.card_id, sql.CARDS.c.retired, sql.CARDS.c.position, sql.CARDS.c.topic
                ).where(sql.CARDS.c.profile_id == pid)
            ).all()
            known = {r.card_id: r for r in rows}
            missing = [cid for cid in order if cid not in known]
            insert_missing(
                conn,
                sql.CARDS,
                [
                    {
                        "profile_id": pid,
                        "card_id": cid,
                        "topic": bank.cards[cid].topic,
                        "state": MemoryState.NEW,
                        "queue": StudyQueue.NEW,
                        "position": position[cid],
                        "reps": 0,
                        "lapses": 0,
                        "suspended": False,
                        "leech": False,
                        "retired": False,
                    }
                    for cid in missing
                ],
                unique=("profile_id", "card_id"),
            )
            for cid, row in known.items():
                in_bank = cid in bank.cards
                changes: dict[str, Any] = {}
                if in_bank and row.retired:
                    changes["retired"] = False
                elif not in_bank and not row.retired:
                    changes["retired"] = True
                    changes["queue"] = StudyQueue.RETIRED
                # Negative positions were brought forward by mark_for_review: keep them.
                if in_bank and row.position >= 0 and row.position != position[cid]:
                    changes["position"] = position[cid]
                if in_bank and row.topic != bank.cards[cid].topic:
                    changes["topic"] = bank.cards[cid].topic
                if changes:
                    if changes.get("retired") is False:
                        full = conn.execute(
                            select(sql.CARDS).where(sql.CARDS.c.profile_id == pid, sql.CARDS.c.card_id == cid)
                        ).one()
                        changes["queue"] = _queue_for(memory_of(full))
                    conn.execute(
                        update(sql.CARDS)
                        .where(sql.CARDS.c.profile_id == pid, sql.CARDS.c.card_id == cid)
                        .values(**changes)
                    )

    # -- the queue -------------------------------------------------------------------

    def done_today(self, now: datetime) -> tuple[int, int]:
        """(new cards introduced, reviews answered) since the study day began.

        Read from the log once per study day and then kept up to date by ``answer``, as Anki
        keeps its counts in memory. Pages build a fresh Study on every rerun, so answers given
        in another browser tab are picked up on the next rerun.
        """
        start = self._day_bounds(now)[0]
        if self._today is None or self._today[0] != start:
            with self.engine.connect() as conn:
                rows = conn.execute(sql.DONE_TODAY, {"pid": self.profile.id, "start": start}).all()
            counts: dict[str, int] = dict(rows)
            self._today = (start, counts.get(MemoryState.NEW, 0), counts.get(MemoryState.REVIEW, 0))
        return self._today[1], self._today[2]

    def new_limit(self, now: datetime) -> int:
        """Today's new-card limit: the usual one, or with an exam date the pace toward it
        (trainer.study.exam_date), worked out once per study day."""
        if self.settings.exam_date is None:
            return self.settings.new_per_day
        start = self._day_bounds(now)[0]
        if self._new_limit is None or self._new_limit[0] != start:
            assert self.profile.id is not None  # a profile read from the store
            pace = todays_pace(self.engine, self.profile.id, self.settings, now, self.done_today(now)[0])
            self._new_limit = (start, pace.per_day if pace else self.settings.new_per_day)
        return self._new_limit[1]

    def _count_answer(self, state_before: MemoryState, now: datetime) -> None:
        """Keep today's counts current after an answer was committed."""
        if self._today is not None and self._today[0] <= now:
            start, new_done, reviews_done = self._today
            if state_before == MemoryState.NEW:
                new_done += 1
            elif state_before == MemoryState.REVIEW:
                reviews_done += 1
            self._today = (start, new_done, reviews_done)

    def _params(self, now: datetime, exclude: str | None = None) -> dict[str, Any]:
        return {
            "pid": self.profile.id,
            "now": now,
            "exclude": exclude or "",
            "due_before": self._day_bounds(now)[1],
        }

    def counts(self, now: datetime | None = None) -> Counts:
        now = now or utcnow()
        new_done, reviews_done = self.done_today(now)
        new_limit = self.new_limit(now)
        params = self._params(now)
        with self.engine.connect() as conn:
            available = {
                queue: conn.execute(query, params).scalar_one() for queue, query in sql.COUNT.items()
            }
        return Counts(
            new=max(0, min(available[StudyQueue.NEW], new_limit - new_done)),
            learning=available[StudyQueue.LEARN],
            review=max(0, min(available[StudyQueue.REVIEW], self.settings.reviews_per_day - reviews_done)),
        )

    def next_card(
        self, now: datetime | None = None, last_topic: str | None = None, exclude: str | None = None
    ) -> QueuedCard | None:
        """The card to show now, or None when nothing is left for today."""
        now = now or utcnow()
        new_done, reviews_done = self.done_today(now)
        new_limit = self.new_limit(now)
        params = self._params(now, exclude)
        with self.engine.connect() as conn:

            def pick(queue: StudyQueue, **overrides: Any) -> Sequence[Any] | None:
                return _other_topic(conn.execute(sql.PICK[queue], {**params, **overrides}).all(), last_topic)

            learn: list[Sequence[Any]] = []
            review: list[Sequence[Any]] = []
            for candidate in sql.HOT_PICK_DUE.execute(conn, params).fetchall():  # (card_id, topic, queue)
                (learn if candidate[2] == StudyQueue.LEARN else review).append(candidate)
            row = _other_topic(learn, last_topic)
            if row is None and reviews_done < self.settings.reviews_per_day:
                row = _other_topic(review, last_topic)
            if row is None and new_done < new_limit:
                row = pick(StudyQueue.NEW)
            if row is None:
                row = pick(StudyQueue.LEARN, due_before=now + self.settings.learn_ahead)
        if row is None:
            return None
        return QueuedCard(card_id=row[0], topic=row[1], queue=StudyQueue(row[2]))

    def next_due_at(self, now: datetime | None = None) -> datetime | None:
        """When the next card becomes due (for the "done for today" message)."""
        now = now or utcnow()
        with self.engine.connect() as conn:
            due = conn.execute(
                select(func.min(sql.CARDS.c.due)).where(
                    sql.CARDS.c.profile_id == self.profile.id,
                    sql.CARDS.c.queue.in_((StudyQueue.LEARN, StudyQueue.REVIEW)),
                    sql.CARDS.c.due > now,
                )
            ).scalar_one_or_none()
            new_left = conn.execute(
                select(func.count())
                .select_from(sql.CARDS)
                .where(sql.CARDS.c.profile_id == self.profile.id, sql.CARDS.c.queue == StudyQueue.NEW)
            ).scalar_one()
        candidates: list[datetime] = [due] if due else []
        if new_left and self.new_limit(now) > 0:
            candidates.append(next_day_start(now, self.settings))
        return min(candidates) if candidates else None

    # -- answering ----------------------------------------------------------------------

    def memory(self, card_id: str) -> Memory:
        with self.engine.connect() as conn:
            row = conn.execute(sql.CARD_ROW, {"pid": self.profile.id, "cid": card_id}).first()
        if row is None:
            raise StudyError(f"card {card_id!r} is not in this profile's collection")
        return memory_of(row)

    def preview(self, card_id: str, now: datetime | None = None) -> dict[Rating, Outcome]:
        # The same due-per-day counts the answer reads (due_load.DueCalendar): the intervals
        # shown are the ones applied.
        with self.engine.connect() as conn:
            row = conn.execute(sql.CARD_ROW, {"pid": self.profile.id, "cid": card_id}).first()
            if row is None:
                raise StudyError(f"card {card_id!r} is not in this profile's collection")
            load = self.calendar.without(conn, _review_due(row))
            return self.scheduler.preview(memory_of(row), now or utcnow(), load)

    def answer(
        self,
        card_id: str,
        rating: Rating,
        now: datetime | None = None,
        duration_ms: int | None = None,
        kind: ReviewKind = ReviewKind.REVIEW,
    ) -> Outcome:
        """Record an answer: memory row and log row in one transaction."""
        now = now or utcnow()
        try:
            with writing(self.engine) as conn:
                before, outcome = self._record(conn, card_id, Rating(rating), now, duration_ms, kind)
        except BaseException:
            self.calendar.forget()  # it may count the answer that was rolled back
            raise
        self._count_answer(before, now)
        return outcome

    def _record(
        self,
        conn: Connection,
        card_id: str,
        rating: Rating,
        now: datetime,
        duration_ms: int | None,
        kind: ReviewKind,
        question_id: str | None = None,
    ) -> tuple[MemoryState, Outcome]:
        """Write one answer in the caller's transaction (a :func:`writing` one); returns the state
        before and the outcome. The card's row is read locked, so no other answer to it can land
        between this read and this write. The three statements run on the driver's cursor
        (trainer.study.hot_sql): they are most of the time a rating takes."""
        row = read_card(sql.HOT_CARD_ROW_LOCKED, conn, {"pid": self.profile.id, "cid": card_id})
        if row is None:
            raise StudyError(f"card {card_id!r} is not in this profile's collection")
        before = row.memory
        old_due = row.due if row.queue == StudyQueue.REVIEW else None
        outcome = self.scheduler.review(before, rating, now, self.calendar.without(conn, old_due))
        after = outcome.memory
        queue = _queue_for(after, row.retired)
        sql.HOT_SAVE_MEMORY.execute(
            conn,
            {
                "row_id": row.id,
                "v_state": after.state,
                "v_queue": queue,
                "v_step": after.step,
                "v_stability": after.stability,
                "v_difficulty": after.difficulty,
                "v_due": after.due,
                "v_last_review": after.last_review,
                "v_reps": after.reps,
                "v_lapses": after.lapses,
                "v_leech": after.leech,
                "v_suspended": after.suspended,
                "v_buried_until": None,
            },
        )
        sql.HOT_ADD_LOG.execute(
            conn,
            {
                "profile_id": self.profile.id,
                "card_id": card_id,
                "rating": int(rating),
                "reviewed_at": now,
                "duration_ms": duration_ms,
                "kind": kind,
                "state_before": before.state,
                "state_after": after.state,
                "due_after": after.due,
                "stability_after": after.stability,
                "difficulty_after": after.difficulty,
                "interval_days": outcome.interval.total_seconds() / 86400,
                "question_id": question_id,
            },
        )
        self.calendar.moved(old_due, after.due if queue == StudyQueue.REVIEW else None)
        return before.state, outcome

    # -- scenario questions in daily study (which one: trainer.study.scenario_questions) --

    def answer_question(
        self,
        question: Question,
        chosen: set[int] | list[int],
        now: datetime | None = None,
        duration_ms: int | None = None,
    ) -> bool:
        """Record a scenario question: Good for each linked card if right, Again if wrong.

        All the linked cards are written in one transaction. Cards not started, suspended or
        retired are left alone. Returns whether the answer was right. The cards are locked in
        the order of their ids, so two such answers sharing cards wait for each other rather
        than deadlock.
        """
        now = now or utcnow()
        correct = is_correct(chosen, question.answer)
        with writing(self.engine) as conn:
            states = self.record_question(conn, question.id, question.cards, correct, now, duration_ms)
        for state in states:
            self._count_answer(state, now)
        return correct

    def record_question(
        self,
        conn: Connection,
        question_id: str,
        cards: Iterable[str],
        correct: bool,
        now: datetime,
        duration_ms: int | None = None,
    ) -> list[MemoryState]:
        """:meth:`answer_question`'s writes in the caller's transaction (a :func:`writing` one):
        a workshop answer is recorded in its participant's study in the transaction that stores
        it (trainer.workshops.answers). Returns the linked cards' states before."""
        rating = Rating.GOOD if correct else Rating.AGAIN
        rows = (
            conn.execute(
                select(sql.CARDS.c.card_id)
                .where(
                    sql.CARDS.c.profile_id == self.profile.id,
                    sql.CARDS.c.card_id.in_(list(cards)),
                    sql.CARDS.c.state != MemoryState.NEW,
                    sql.CARDS.c.queue.in_((StudyQueue.REVIEW, StudyQueue.LEARN)),
                )
                .order_by(sql.CARDS.c.card_id)
            )
            .scalars()
            .all()
        )
        return [
            self._record(conn, card_id, rating, now, duration_ms, ReviewKind.QUESTION, question_id)[0]
            for card_id in rows
        ]

    def mark_for_review(
        self, card_ids: Sequence[str], now: datetime | None = None, *, conn: Connection | None = None
    ) -> int:
        """Bring cards forward after a mistake elsewhere (an exam, a workshop): cards already
        studied become due now; cards never studied move to the front of the new queue.
        Suspended and retired cards are left alone. Returns how many cards moved.

        With ``conn`` it runs in the caller's transaction (an exam's follow-up is one).
        """
        now = now or utcnow()
        if not card_ids:
            return 0
        if conn is None:
            with self.engine.begin() as own:
                return self._mark_for_review(own, card_ids, now)
        return self._mark_for_review(conn, card_ids, now)

    def _mark_for_review(self, conn: Connection, card_ids: Sequence[str], now: datetime) -> int:
        self.calendar.forget()  # due days change outside the answers it keeps count of
        base = [sql.CARDS.c.profile_id == self.profile.id, sql.CARDS.c.card_id.in_(list(card_ids))]
        due = conn.execute(
            update(sql.CARDS)
            .where(
                *base,
                sql.CARDS.c.queue.in_((StudyQueue.REVIEW, StudyQueue.LEARN)),
                sql.CARDS.c.due > now,
            )
            .values(due=now, buried_until=None)
        ).rowcount
        first = (
            conn.execute(
                select(func.min(sql.CARDS.c.position)).where(sql.CARDS.c.profile_id == self.profile.id)
            ).scalar_one_or_none()
            or 0
        )
        fresh = conn.execute(
            update(sql.CARDS)
            .where(*base, sql.CARDS.c.queue == StudyQueue.NEW)
            .values(position=first - 1, buried_until=None)
        ).rowcount
        return due + fresh

    # -- suspend and bury ------------------------------------------------------------------

    def set_suspended(self, card_id: str, suspended: bool) -> None:
        """The queue follows from the card's state, so it is read and written under the lock
        (an answer landing in between would otherwise put the card back in a stale queue)."""
        self.calendar.forget()  # a suspended card leaves the review queue, an unsuspended one joins
        with writing(self.engine) as conn:
            row = conn.execute(sql.CARD_ROW_LOCKED, {"pid": self.profile.id, "cid": card_id}).first()
            if row is None:
                raise StudyError(f"card {card_id!r} is not in this profile's collection")
            memory = memory_of(row)
            queue = _queue_for(Memory(**{**memory.__dict__, "suspended": suspended}))
            conn.execute(
                update(sql.CARDS).where(sql.CARDS.c.id == row.id).values(suspended=suspended, queue=queue)
            )

    def bury(self, card_id: str, now: datetime | None = None) -> None:
        """Hide the card until the next study day starts."""
        self._update(card_id, buried_until=next_day_start(now or utcnow(), self.settings))

    def _update(self, card_id: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            result = conn.execute(
                update(sql.CARDS)
                .where(sql.CARDS.c.profile_id == self.profile.id, sql.CARDS.c.card_id == card_id)
                .values(**values)
            )
            if result.rowcount == 0:
                raise StudyError(f"card {card_id!r} is not in this profile's collection")


def suspended_or_leech(engine: Engine, profile_id: int) -> list[CardState]:
    """The profile's suspended cards and leeches (for the Profile page)."""
    with session(engine) as db:
        query = select(CardState).where(
            sql.CARDS.c.profile_id == profile_id,
            or_(sql.CARDS.c.suspended.is_(True), sql.CARDS.c.leech.is_(True)),
        )
        return list(db.scalars(query))
