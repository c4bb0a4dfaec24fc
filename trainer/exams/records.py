"""An attempt as the page sees it: read-only records built by the store (``trainer.exams.attempts``).

They live apart from the store so that readiness, the charts and the page can use them without
depending on the database code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from trainer.content.selection import is_correct
from trainer.content.snapshot import QuestionSnapshot
from trainer.exams.rules import AttemptStatus, ExamMode, ExamSpec, describe
from trainer.exams.scoring import ExamQuestionResult, ExamResult, passed
from trainer.store.types import utcnow


@dataclass(frozen=True)
class AnswerState:
    """The learner's answer to one question of an attempt, as saved so far."""

    position: int
    question_id: str
    chosen: tuple[int, ...] = ()
    flagged: bool = False
    locked: bool = False
    answered_at: datetime | None = None
    time_ms: int = 0

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class Attempt:
    """One attempt with its frozen questions and every answer, open or finished."""

    id: int
    profile_id: int
    spec: ExamSpec
    seed: int
    started_at: datetime
    deadline: datetime | None
    submitted_at: datetime | None
    status: AttemptStatus
    position: int
    questions: tuple[QuestionSnapshot, ...]
    answers: tuple[AnswerState, ...]
    cards_marked: int | None = None

    @property
    def mode(self) -> ExamMode:
        return self.spec.mode

    @property
    def label(self) -> str:
        return describe(self.spec)

    @property
    def is_open(self) -> bool:
        return self.status is AttemptStatus.IN_PROGRESS

    def remaining(self, now: datetime | None = None) -> timedelta | None:
        if self.deadline is None:
            return None
        return max(timedelta(0), self.deadline - (now or utcnow()))

    def elapsed(self, now: datetime | None = None) -> timedelta:
        end = self.submitted_at or now or utcnow()
        if self.deadline is not None:
            end = min(end, self.deadline)
        return max(timedelta(0), end - self.started_at)

    @property
    def unanswered(self) -> list[int]:
        return [a.position for a in self.answers if not a.answered]

    @property
    def incomplete(self) -> list[int]:
        """Multiple-response questions with fewer options chosen than asked for."""
        return [
            a.position
            for a, q in zip(self.answers, self.questions, strict=False)
            if a.answered and q.multiple and len(a.chosen) < q.choose
        ]

    @property
    def flagged(self) -> list[int]:
        return [a.position for a in self.answers if a.flagged]

    def result(self, now: datetime | None = None) -> ExamResult:
        items = tuple(
            ExamQuestionResult(a.position, q, a.chosen, is_correct(a.chosen, q.answer), a.flagged, a.time_ms)
            for q, a in zip(self.questions, self.answers, strict=False)
        )
        return ExamResult(items, self.elapsed(now))


@dataclass(frozen=True)
class HistoryEntry:
    """A finished attempt, from the columns filled at submission (no snapshot needed)."""

    id: int
    spec: ExamSpec
    started_at: datetime
    submitted_at: datetime
    deadline: datetime | None
    status: AttemptStatus
    correct: int
    total: int
    scaled: int
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def raw(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return passed(self.scaled)

    @property
    def elapsed(self) -> timedelta:
        end = min(self.submitted_at, self.deadline) if self.deadline else self.submitted_at
        return max(timedelta(0), end - self.started_at)

    @property
    def label(self) -> str:
        return describe(self.spec)
