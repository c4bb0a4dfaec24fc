"""Every table of the store: profiles and study (cards, reviews), exams, workshops.

Card memory rows are keyed by the card's YAML id and are never deleted: a card removed from
the YAML is marked ``retired`` and keeps its history; when it comes back it picks up where it was.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from trainer.store.types import utcnow


class Profile(SQLModel, table=True):
    """A learner. Each profile's progress and settings are its own."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=60)
    created_at: datetime = Field(default_factory=utcnow)
    # Scheduling settings (see trainer.scheduling.Settings for meanings and defaults).
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: str = "1m 10m"
    relearning_steps: str = "10m"
    leech_threshold: int = 8
    leech_action: str = "suspend"  # "suspend" or "tag"
    day_starts_at: int = 4  # hour, local time
    timezone: str = "UTC"


class CardState(SQLModel, table=True):
    """One profile's memory of one card: the FSRS state plus what Anki users expect around it."""

    __table_args__ = (
        UniqueConstraint("profile_id", "card_id", name="uq_cardstate_profile_card"),
        Index("ix_cardstate_queue", "profile_id", "queue", "due"),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    card_id: str = Field(max_length=120)
    topic: str = Field(default="", max_length=60)
    # "new", "learning", "review", "relearning": the FSRS state with a New state in front.
    state: str = "new"
    # Where the card sits for the study queue: "new", "learn" (intraday steps), "review",
    # "suspended", "retired" (no longer in the YAML). Derived from state/flags, kept as a
    # column so the next card is one indexed query.
    queue: str = "new"
    position: int = 0  # introduction order of new cards
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = None
    last_review: datetime | None = None
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False
    buried_until: datetime | None = None
    retired: bool = False


class ReviewLog(SQLModel, table=True):
    """Append-only: one row per answer. Nothing here is ever updated or deleted."""

    __table_args__ = (Index("ix_reviewlog_profile_time", "profile_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    card_id: str = Field(max_length=120, index=True)
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: datetime = Field(default_factory=utcnow)
    duration_ms: int | None = None
    # "review" changes the schedule; "cram" is practice ahead and does not; "question" is a
    # review recorded through a scenario question.
    kind: str = "review"
    state_before: str = "new"
    state_after: str = "new"
    due_after: datetime | None = None
    stability_after: float | None = None
    difficulty_after: float | None = None
    interval_days: float | None = None
    question_id: str | None = Field(default=None, max_length=120)  # for kind == "question"


# -- exams -------------------------------------------------------------------------------------
# Mock exams (see trainer.exams). An attempt keeps a JSON snapshot of its questions as they were
# at the start, so a result can be reviewed after the content changes or a question is removed.
# JSON is stored as text for portability (SQLite and PostgreSQL alike).


class ExamAttempt(SQLModel, table=True):
    """One sitting of a mock exam, review session or drill."""

    __table_args__ = (Index("ix_examattempt_profile_status", "profile_id", "status", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    mode: str = Field(max_length=20)  # "timed", "review", "drill"
    kind: str = Field(max_length=20)  # "full", "short", "review", "domain", "topic", "concept", "missed"
    spec: str = Field(sa_type=Text)  # JSON of trainer.exams.ExamSpec
    seed: int
    started_at: datetime = Field(default_factory=utcnow)
    deadline: datetime | None = None  # started_at + time limit; None when untimed
    submitted_at: datetime | None = None
    # "in_progress", "submitted", "timed_out" (submitted automatically at the deadline), "abandoned"
    status: str = Field(default="in_progress", max_length=20)
    position: int = 0  # the question on screen, so a resumed exam opens where it was
    questions: str = Field(sa_type=Text)  # JSON snapshot: stems, options, keys, explanations...
    # Filled in at submission, so the history needs no snapshot.
    correct: int | None = None
    total: int = 0
    scaled: int | None = None
    summary: str | None = Field(default=None, sa_type=Text)  # JSON: per topic/domain, right/wrong ids
    cards_marked: int | None = None  # cards moved up in the study queue after submission


class ExamAnswer(SQLModel, table=True):
    """The learner's answer to one question of an attempt; one row per position, made at start."""

    __table_args__ = (UniqueConstraint("attempt_id", "position", name="uq_examanswer_attempt_position"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="examattempt.id", index=True)
    position: int
    question_id: str = Field(max_length=120)
    chosen: str = "[]"  # JSON list of option indexes, in the order shown in this attempt
    flagged: bool = False
    locked: bool = False  # review and drill modes: checked, feedback shown, no more changes
    correct: bool | None = None
    answered_at: datetime | None = None
    time_ms: int = 0  # time spent looking at the question, over all visits


class QuestionReport(SQLModel, table=True):
    """'Report a problem with this question': kept for whoever maintains the content."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: str = Field(max_length=120, index=True)
    profile_id: int | None = Field(default=None, foreign_key="profile.id")
    attempt_id: int | None = Field(default=None, foreign_key="examattempt.id")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


# -- workshops ---------------------------------------------------------------------------------
# Live quiz rooms (see trainer.workshops). Every bit of a room's state is a row here, none in
# process memory, so participants on different Streamlit servers share one room. A room keeps a
# JSON snapshot of its questions, so its report survives content changes.


class Room(SQLModel, table=True):
    """One live quiz: its questions, settings and where it is now (phase, current question)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, index=True)  # the join code, kept after the room ends
    # The join code while the room is not finished, NULL afterwards: unique among open rooms.
    open_code: str | None = Field(default=None, max_length=12, unique=True)
    title: str = Field(default="", max_length=120)
    host_secret_hash: str = Field(max_length=64)  # sha256 hex of the host secret, never the secret
    source: str = Field(default="{}", sa_type=Text)  # JSON: what the questions were drawn from
    scoring: str = Field(default="speed", max_length=20)  # "speed" or "accuracy"
    seconds: int = 20  # timer per question
    teams: str = Field(default="[]", sa_type=Text)  # JSON list of team names; empty: no teams
    questions: str = Field(sa_type=Text)  # JSON snapshot of the questions
    # "lobby", "question_open", "paused", "revealed", "finished"
    phase: str = Field(default="lobby", max_length=20)
    current: int = -1  # index of the question on screen; -1 in the lobby
    opened_at: datetime | None = None  # when the current question opened (shifted by pauses)
    deadline: datetime | None = None  # opened_at + timer (shifted by pauses)
    paused_at: datetime | None = None
    revision: int = 0  # bumped by every host action
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None


class RoomParticipant(SQLModel, table=True):
    """Someone in a room. The display name is unique within the room, ignoring case and spaces."""

    __table_args__ = (UniqueConstraint("room_id", "name_key", name="uq_roomparticipant_room_name"),)

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", index=True)
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=40)  # casefolded name, for the unique constraint
    team: str | None = Field(default=None, max_length=40)
    seat_hash: str = Field(max_length=64, index=True)  # sha256 hex of the rejoin token
    joined_at: datetime = Field(default_factory=utcnow)


class RoomAnswer(SQLModel, table=True):
    """One participant's answer to one question; the unique constraint makes it once only."""

    __table_args__ = (
        UniqueConstraint("participant_id", "question_index", name="uq_roomanswer_participant_question"),
        Index("ix_roomanswer_room_question", "room_id", "question_index"),
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id")
    participant_id: int = Field(foreign_key="roomparticipant.id")
    question_index: int
    chosen: str = "[]"  # JSON list of option indexes
    correct: bool = False
    elapsed_ms: int = 0  # from the question opening (database clock) to the answer
    points: int = 0
    answered_at: datetime = Field(default_factory=utcnow)
