"""A workshop room as the pages see it: its limits, its phase and the records read from the database.

These records are plain frozen dataclasses built from rows by :mod:`trainer.workshops.access`;
every other module of the package (and the pages and charts) shares them, so they live here,
importing nothing from the rest of the package but the scoring rule and the item statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from trainer.content.snapshot import QuestionSnapshot

# A room's phase is a column of the room table, so it is the store's enum.
from trainer.store.enums import RoomPhase as RoomPhase
from trainer.workshops.item_analysis import ItemStats
from trainer.workshops.scoring import Scoring

# -- limits -----------------------------------------------------------------------------------------
# Sized for a team session on a projector: enough for a long workshop, small enough that a page
# listing every question or participant stays quick.

MAX_TEAMS = 8
MAX_QUESTIONS = 50
MAX_PARTICIPANTS = 500
TIMER_MIN, TIMER_MAX = 5, 600
TITLE_MAX = 120
# Answers arriving this long after the deadline still count: the time it takes a phone's
# request to reach the server. The countdown on screen closes at the deadline itself.
LATE_GRACE = timedelta(milliseconds=500)
# A rejoin token (the seat's one-time link) works once, within this long of being issued: long
# enough for a workshop day, short enough that an old link from a browser history is dead.
SEAT_TOKEN_TTL = timedelta(hours=12)


# -- rooms and participants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomInfo:
    """One room: its settings, its frozen questions and where it is now."""

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
    source: dict[str, Any]
    created_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    # With sign-in on: whether people who are not signed in may join, and the host's profile.
    allow_guests: bool = True
    host_profile_id: int | None = None

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
    def asked(self) -> int:
        """How many questions were put to the room: all of them when it ran to the end, fewer
        when the host ended it early (the unasked ones are neither answered nor missed)."""
        return max(0, min(self.current + 1, len(self.questions)))

    @property
    def is_last(self) -> bool:
        return self.current >= len(self.questions) - 1


@dataclass(frozen=True)
class Participant:
    id: int
    room_id: int
    code: str
    name: str
    team: str | None
    profile_id: int | None = None  # a signed-in participant's own profile; None for a guest


# -- answers and the room at one moment ----------------------------------------------------------------


@dataclass(frozen=True)
class MyAnswer:
    """The polling participant's own answer to the question on screen."""

    question_index: int
    chosen: tuple[int, ...]
    correct: bool
    points: int
    elapsed_ms: int


@dataclass(frozen=True)
class Receipt:
    """What ``submit_answer`` stored (the page shows only 'answer received' until the reveal)."""

    question_index: int
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
        return (
            room.phase is RoomPhase.QUESTION_OPEN and room.deadline is not None and self.now >= room.deadline
        )

    @property
    def should_reveal(self) -> bool:
        """Open, and either the time (with its grace) is up or everyone has answered: the host
        console reveals then by itself."""
        room = self.room
        if room.phase is not RoomPhase.QUESTION_OPEN or room.deadline is None:
            return False
        everyone = self.participants > 0 and self.answered >= self.participants
        return everyone or self.now > room.deadline + LATE_GRACE


# -- results -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Standing:
    """One participant's place on the leaderboard."""

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
class RoomQuestionResult:
    """One participant's outcome on one question of a room (an exam has its own record)."""

    index: int
    question: QuestionSnapshot
    chosen: tuple[int, ...] | None  # None: not answered
    correct: bool
    points: int
    elapsed_ms: int | None


# -- the facilitator's report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionAnalysis:
    index: int
    question: QuestionSnapshot
    stats: ItemStats


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
