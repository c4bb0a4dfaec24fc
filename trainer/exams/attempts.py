"""The exam store: one profile's attempts in the database, from the draw to the follow-up.

Everything about an attempt lives in the database from the first second: the question set is
drawn once (seeded) and stored as a JSON snapshot (stems, options in the order shown, keys,
explanations, references), so an attempt survives a refresh, a closed tab or a server restart,
and its result can still be reviewed after the content changed or a question was removed.
Every answer is written at once. The time limit is counted from ``started_at``: an attempt past
its deadline is submitted automatically the next time it is touched, and answers given after
the deadline are refused.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import exists, select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.exc import IntegrityError

from trainer.access.permissions import Actor, require_profile
from trainer.content.model import Bank
from trainer.content.selection import is_correct
from trainer.content.snapshot import snapshots_from_data, snapshots_to_data
from trainer.exams.assembly import assemble
from trainer.exams.records import AnswerState, Attempt, HistoryEntry
from trainer.exams.rules import (
    MAX_VISIT_MS,
    MIN_SCALED,
    AttemptStatus,
    ExamClosed,
    ExamError,
    ExamForbidden,
    ExamNotFound,
    ExamSpec,
)
from trainer.store.tables import ExamAnswer, ExamAttempt
from trainer.store.types import utcnow

_ATT = ExamAttempt.__table__  # type: ignore[attr-defined]  # SQLModel sets it at class creation
_ANS = ExamAnswer.__table__  # type: ignore[attr-defined]
MAX_ATTEMPT_ID = 2**31 - 1  # the id column is a 32-bit INTEGER on PostgreSQL

# Given the connection and the attempt row, the columns to set on one answer row (none: no change).
ValuesFor = Callable[[Connection, Row[Any]], dict[str, Any]]


IN_PROGRESS_ALREADY = (
    "You already have an exam in progress: resume it, or abandon it before starting another."
)


class MarksForReview(Protocol):
    """``Study.mark_for_review``: moves cards up in one profile's study queue, in the caller's
    transaction when given one."""

    def __call__(
        self, card_ids: Sequence[str], now: datetime | None = None, *, conn: Connection | None = None
    ) -> int: ...


def _chosen(value: list[int] | None) -> tuple[int, ...]:
    try:
        return tuple(sorted(int(i) for i in value or ()))
    except (TypeError, ValueError):
        return ()


class Exams:
    """One profile's exam attempts.

    With sign-in on, ``actor`` must be the profile's owner (refused here, before any read);
    ``load`` then refuses attempts of other profiles, so an ``?attempt=`` link opens only one's own."""

    def __init__(self, engine: Engine, profile_id: int, actor: Actor | None = None) -> None:
        require_profile(engine, actor, profile_id)
        self.engine = engine
        self.profile_id = profile_id

    # -- starting -------------------------------------------------------------------------------

    def start(
        self, bank: Bank, spec: ExamSpec, seed: int | None = None, now: datetime | None = None
    ) -> Attempt:
        """Draw and store a new attempt. Only one attempt may be in progress per profile.

        The check below gives the plain message; the database's partial unique index settles two
        requests racing past it (the second gets the same message, never a second attempt).
        """
        now = now or utcnow()
        if self.current(now) is not None:
            raise ExamError(IN_PROGRESS_ALREADY)
        if spec.length < 1:
            raise ExamError("An exam needs at least one question.")
        seed = secrets.randbits(31) if seed is None else int(seed)
        questions = assemble(bank, spec, seed)
        if not questions:
            raise ExamError("No question in the bank matches this choice; pick another one.")
        limit = spec.limit_for(len(questions))
        try:
            with self.engine.begin() as conn:
                inserted = conn.execute(
                    _ATT.insert().values(
                        profile_id=self.profile_id,
                        mode=spec.mode,
                        kind=spec.kind,
                        spec=spec.to_data(),
                        seed=seed,
                        started_at=now,
                        deadline=now + limit if limit else None,
                        status=AttemptStatus.IN_PROGRESS,
                        position=0,
                        questions=snapshots_to_data(questions),
                        total=len(questions),
                    )
                ).inserted_primary_key
                assert inserted is not None  # an INSERT always returns its key
                attempt_id = int(inserted[0])
                conn.execute(
                    _ANS.insert(),
                    [
                        {
                            "attempt_id": attempt_id,
                            "position": i,
                            "question_id": q.id,
                            "chosen": [],
                            "flagged": False,
                            "locked": False,
                            "time_ms": 0,
                        }
                        for i, q in enumerate(questions)
                    ],
                )
        except IntegrityError:
            if self.current(now) is not None:  # another request started one meanwhile
                raise ExamError(IN_PROGRESS_ALREADY) from None
            raise
        return self.load(attempt_id, now)

    # -- reading --------------------------------------------------------------------------------

    def _row(self, conn: Connection, attempt_id: int) -> Row[Any]:
        # Ids are 32-bit database integers: a larger number from a link cannot name an attempt,
        # and sending it would fail in the driver (OverflowError on SQLite, DataError on PostgreSQL).
        if not 0 < attempt_id <= MAX_ATTEMPT_ID:
            raise ExamNotFound("This link does not name an exam attempt.")
        row = conn.execute(select(_ATT).where(_ATT.c.id == attempt_id)).first()
        if row is None:
            raise ExamNotFound(f"There is no exam attempt number {attempt_id}.")
        if row.profile_id != self.profile_id:
            raise ExamForbidden(
                f"Exam attempt {attempt_id} belongs to another profile; it cannot be opened from this one."
            )
        return row

    def _attempt(self, conn: Connection, row: Row[Any]) -> Attempt:
        answers = conn.execute(
            select(_ANS).where(_ANS.c.attempt_id == row.id).order_by(_ANS.c.position)
        ).all()
        return Attempt(
            id=row.id,
            profile_id=row.profile_id,
            spec=ExamSpec.from_data(row.spec),
            seed=row.seed,
            started_at=row.started_at,
            deadline=row.deadline,
            submitted_at=row.submitted_at,
            status=AttemptStatus(row.status),
            position=row.position,
            questions=snapshots_from_data(row.questions),
            answers=tuple(
                AnswerState(
                    a.position,
                    a.question_id,
                    _chosen(a.chosen),
                    a.flagged,
                    a.locked,
                    a.answered_at,
                    a.time_ms or 0,
                )
                for a in answers
            ),
            cards_marked=row.cards_marked,
        )

    def load(self, attempt_id: int, now: datetime | None = None) -> Attempt:
        """The attempt, submitted first if its time ran out. Raises ExamNotFound/ExamForbidden."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if self._overdue(row, now):
                self._finish(conn, row, row.deadline, AttemptStatus.TIMED_OUT)
                row = self._row(conn, attempt_id)
            return self._attempt(conn, row)

    @staticmethod
    def _overdue(row: Row[Any], now: datetime) -> bool:
        return (
            row.status == AttemptStatus.IN_PROGRESS.value and row.deadline is not None and now >= row.deadline
        )

    def expire_overdue(self, now: datetime | None = None) -> list[int]:
        """Submit every attempt of this profile whose time ran out; return their ids."""
        now = now or utcnow()
        expired: list[int] = []
        with self.engine.begin() as conn:
            rows = conn.execute(
                select(_ATT).where(
                    _ATT.c.profile_id == self.profile_id,
                    _ATT.c.status == AttemptStatus.IN_PROGRESS.value,
                    _ATT.c.deadline.is_not(None),
                    _ATT.c.deadline <= now,
                )
            ).all()
            for row in rows:
                if self._finish(conn, row, row.deadline, AttemptStatus.TIMED_OUT):
                    expired.append(row.id)
        return expired

    def current(self, now: datetime | None = None) -> Attempt | None:
        """The attempt in progress, if any (after submitting those whose time ran out)."""
        self.expire_overdue(now)
        with self.engine.connect() as conn:
            row = conn.execute(
                select(_ATT)
                .where(
                    _ATT.c.profile_id == self.profile_id,
                    _ATT.c.status == AttemptStatus.IN_PROGRESS.value,
                )
                .order_by(_ATT.c.started_at.desc())
                .limit(1)
            ).first()
            return self._attempt(conn, row) if row else None

    def history(self) -> list[HistoryEntry]:
        """Finished attempts, oldest first."""
        cols = [
            _ATT.c.id,
            _ATT.c.spec,
            _ATT.c.started_at,
            _ATT.c.submitted_at,
            _ATT.c.deadline,
            _ATT.c.status,
            _ATT.c.correct,
            _ATT.c.total,
            _ATT.c.scaled,
            _ATT.c.summary,
        ]
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(*cols)
                .where(
                    _ATT.c.profile_id == self.profile_id,
                    _ATT.c.status.in_((AttemptStatus.SUBMITTED.value, AttemptStatus.TIMED_OUT.value)),
                )
                .order_by(_ATT.c.submitted_at, _ATT.c.id)
            ).all()
        return [
            HistoryEntry(
                r.id,
                ExamSpec.from_data(r.spec),
                r.started_at,
                r.submitted_at,
                r.deadline,
                AttemptStatus(r.status),
                r.correct or 0,
                r.total,
                r.scaled or MIN_SCALED,
                r.summary or {},
            )
            for r in rows
        ]

    # -- answering ------------------------------------------------------------------------------

    def _open_row(
        self, conn: Connection, attempt_id: int, now: datetime
    ) -> tuple[Row[Any] | None, str | None]:
        """The attempt row if answers may still change it; else finish it if due and raise."""
        row = self._row(conn, attempt_id)
        if self._overdue(row, now):
            self._finish(conn, row, row.deadline, AttemptStatus.TIMED_OUT)
            return None, (
                "Time is up: the exam was submitted automatically at the deadline. "
                "Answers given after it are not counted."
            )
        if row.status != AttemptStatus.IN_PROGRESS.value:
            return None, "This exam has already been submitted; answers can no longer change."
        return row, None

    def _write(self, attempt_id: int, position: int, now: datetime, values_for: ValuesFor) -> None:
        """Run one change to an answer row in a transaction, refusing closed attempts."""
        message = None
        with self.engine.begin() as conn:
            row, message = self._open_row(conn, attempt_id, now)
            if row is not None:
                if not 0 <= position < row.total:
                    raise ExamError(f"This exam has no question {position + 1}.")
                values = values_for(conn, row)
                if values:
                    still_open = exists().where(
                        _ATT.c.id == attempt_id, _ATT.c.status == AttemptStatus.IN_PROGRESS.value
                    )
                    conn.execute(
                        update(_ANS)
                        .where(
                            _ANS.c.attempt_id == attempt_id,
                            _ANS.c.position == position,
                            still_open,
                        )
                        .values(**values)
                    )
        if message:
            raise ExamClosed(message)

    def answer(
        self,
        attempt_id: int,
        position: int,
        chosen: Iterable[int],
        now: datetime | None = None,
        time_ms: int = 0,
        lock: bool = False,
    ) -> None:
        """Save the options chosen for a question (indexes as shown). ``lock`` (review and drill
        modes) checks the answer: it is then final. Raises ExamClosed after the deadline."""
        now = now or utcnow()
        picked = sorted({int(i) for i in chosen})

        def values(conn: Connection, row: Row[Any]) -> dict[str, Any]:
            q = snapshots_from_data(row.questions)[position]
            if any(not 0 <= i < len(q.options) for i in picked):
                raise ExamError("That option does not exist for this question.")
            if not q.multiple and len(picked) > 1:
                raise ExamError("This question has one correct answer: choose one option.")
            if lock and not picked:
                raise ExamError("Choose an answer before checking it.")
            current = conn.execute(
                select(_ANS.c.locked, _ANS.c.time_ms).where(
                    _ANS.c.attempt_id == row.id, _ANS.c.position == position
                )
            ).one()
            if current.locked:
                raise ExamError("This answer was already checked and cannot change.")
            return {
                "chosen": picked,
                "correct": is_correct(picked, q.answer),
                "answered_at": now if picked else None,
                "locked": lock,
                "time_ms": (current.time_ms or 0) + _visit_ms(time_ms),
            }

        self._write(attempt_id, position, now, values)

    def flag(self, attempt_id: int, position: int, flagged: bool, now: datetime | None = None) -> None:
        self._write(attempt_id, position, now or utcnow(), lambda conn, row: {"flagged": bool(flagged)})

    def add_time(self, attempt_id: int, position: int, ms: int, now: datetime | None = None) -> None:
        """Add the time of one visit to a question (capped). Silently ignored once closed."""
        ms = _visit_ms(ms)
        if not ms:
            return
        try:
            self._write(
                attempt_id, position, now or utcnow(), lambda conn, row: {"time_ms": _ANS.c.time_ms + ms}
            )
        except ExamClosed:
            pass

    def goto(self, attempt_id: int, position: int) -> None:
        """Remember the question on screen, so a resumed attempt opens there."""
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if 0 <= position < row.total and row.status == AttemptStatus.IN_PROGRESS.value:
                conn.execute(update(_ATT).where(_ATT.c.id == attempt_id).values(position=position))

    # -- finishing ------------------------------------------------------------------------------

    def _finish(self, conn: Connection, row: Row[Any], when: datetime, status: AttemptStatus) -> bool:
        """Score and close an attempt in the caller's transaction; False if already closed."""
        attempt = self._attempt(conn, row)
        attempt = replace(attempt, submitted_at=when)
        result = attempt.result(when)
        done = conn.execute(
            update(_ATT)
            .where(
                _ATT.c.id == row.id,
                _ATT.c.status == AttemptStatus.IN_PROGRESS.value,
            )
            .values(
                status=status.value,
                submitted_at=when,
                correct=result.correct,
                total=result.total,
                scaled=result.scaled,
                summary=result.summary(),
            )
        ).rowcount
        return bool(done)

    def submit(self, attempt_id: int, now: datetime | None = None) -> Attempt:
        """Submit the attempt (idempotent). Past the deadline it counts as timed out, with the
        deadline as its submission time."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if row.status == AttemptStatus.ABANDONED.value:
                raise ExamClosed("This exam was abandoned; it has no result.")
            if row.status == AttemptStatus.IN_PROGRESS.value:
                if self._overdue(row, now):
                    self._finish(conn, row, row.deadline, AttemptStatus.TIMED_OUT)
                else:
                    self._finish(conn, row, now, AttemptStatus.SUBMITTED)
        return self.load(attempt_id, now)

    def abandon(self, attempt_id: int, now: datetime | None = None) -> None:
        """Give up an attempt in progress: it is kept but has no result and no history entry."""
        with self.engine.begin() as conn:
            row = self._row(conn, attempt_id)
            if self._overdue(row, now or utcnow()):
                self._finish(conn, row, row.deadline, AttemptStatus.TIMED_OUT)
                return
            conn.execute(
                update(_ATT)
                .where(
                    _ATT.c.id == attempt_id,
                    _ATT.c.status == AttemptStatus.IN_PROGRESS.value,
                )
                .values(status=AttemptStatus.ABANDONED.value, submitted_at=now or utcnow())
            )

    # -- spaced repetition follow-up ------------------------------------------------------------

    def unmarked(self) -> list[int]:
        """Finished attempts whose wrong answers have not yet been sent to spaced repetition."""
        with self.engine.connect() as conn:
            return list(
                conn.execute(
                    select(_ATT.c.id).where(
                        _ATT.c.profile_id == self.profile_id,
                        _ATT.c.status.in_((AttemptStatus.SUBMITTED.value, AttemptStatus.TIMED_OUT.value)),
                        _ATT.c.cards_marked.is_(None),
                    )
                ).scalars()
            )

    def follow_up(self, attempt_id: int, mark_for_review: MarksForReview) -> int | None:
        """Send the cards of wrong answers to spaced repetition once: ``mark_for_review`` is
        ``Study.mark_for_review``. Returns how many cards moved, or None if already done.

        One transaction: claiming the attempt, moving the cards and recording how many moved
        happen together or not at all, and a second tab racing this one finds it claimed.
        """
        with self.engine.begin() as conn:
            claimed = conn.execute(
                update(_ATT)
                .where(
                    _ATT.c.id == attempt_id,
                    _ATT.c.profile_id == self.profile_id,
                    _ATT.c.status.in_((AttemptStatus.SUBMITTED, AttemptStatus.TIMED_OUT)),
                    _ATT.c.cards_marked.is_(None),
                )
                .values(cards_marked=0)
            ).rowcount
            if not claimed:
                return None
            cards = self._attempt(conn, self._row(conn, attempt_id)).result().wrong_cards
            moved = mark_for_review(cards, conn=conn) if cards else 0
            conn.execute(update(_ATT).where(_ATT.c.id == attempt_id).values(cards_marked=moved))
        return moved


def _visit_ms(ms: int | float | None) -> int:
    return int(min(max(ms or 0, 0), MAX_VISIT_MS))
