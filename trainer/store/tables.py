"""Every table of the store: profiles and study (cards, reviews), exams, workshops.

The schema itself is made and changed by the migrations (``trainer.store.migrate``); these
models must match the newest revision, which a test checks with Alembic's comparison.
Timestamps, JSON and enum columns use the types of ``trainer.store.types``.

Card memory rows are keyed by the card's YAML id and are never deleted: a card removed from
the YAML is marked ``retired`` and keeps its history; when it comes back it picks up where it was.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Date, Index, Table, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from trainer.store.enums import (
    AttemptStatus,
    ExamKind,
    ExamMode,
    MemoryState,
    ReviewKind,
    RoomPhase,
    Scoring,
    StudyQueue,
)
from trainer.store.types import UTCDateTime, enum_column, json_column, utcnow

# The one exam attempt a profile may have in progress (a partial unique index).
ONE_IN_PROGRESS = text("status = 'in_progress'")


class Profile(SQLModel, table=True):
    """A learner. Each profile's progress and settings are its own."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=60)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # Scheduling settings (see trainer.study.scheduling.Settings for meanings and defaults).
    new_per_day: int = 20
    reviews_per_day: int = 200
    desired_retention: float = 0.9
    learning_steps: str = "1m 10m"
    relearning_steps: str = "10m"
    leech_threshold: int = 8
    leech_action: str = "suspend"  # "suspend" or "tag"
    day_starts_at: int = 4  # hour, local time
    timezone: str = "UTC"
    # Studying toward an exam (trainer.study.exam_date): the date, or NULL for none, and the most
    # new cards a day the pace may rise to.
    exam_date: date | None = Field(default=None, sa_type=Date)
    exam_max_new_per_day: int = Field(default=50, sa_column_kwargs={"server_default": text("50")})
    # FSRS parameters fitted to this learner's reviews (the adopted ParameterSet); NULL: defaults.
    fsrs_parameters: list[float] | None = Field(default=None, sa_type=json_column())
    # With sign-in on, the person this profile belongs to: "<issuer> <subject>" of their OpenID
    # Connect identity (trainer.access.identity); NULL for a profile made in local mode.
    signin_subject: str | None = Field(default=None, sa_type=Text, unique=True)
    # Load balancing, easy days and a vacation (trainer.study.load_balance.calendar_from_json);
    # NULL: Anki's defaults.
    calendar: dict[str, Any] | None = Field(default=None, sa_type=json_column())
    # A local profile an operator set aside for whoever signs in with this verified e-mail
    # (casefolded; ``trainer profile reserve``), and when a signed-in person claimed it
    # (trainer.access.claims): a person claims one local profile, once.
    claim_email: str | None = Field(default=None, max_length=254)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
    state: MemoryState = Field(
        default=MemoryState.NEW, sa_type=enum_column(MemoryState, "ck_cardstate_state")
    )
    queue: StudyQueue = Field(default=StudyQueue.NEW, sa_type=enum_column(StudyQueue, "ck_cardstate_queue"))
    position: int = 0  # introduction order of new cards
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_review: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reps: int = 0
    lapses: int = 0
    suspended: bool = False
    leech: bool = False
    buried_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    retired: bool = False


class ReviewLog(SQLModel, table=True):
    """One row per answer, never updated. Rows go only with an undo of that very answer
    (trainer.study.undo) or with their profile when it is deleted."""

    __table_args__ = (Index("ix_reviewlog_profile_time", "profile_id", "reviewed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    card_id: str = Field(max_length=120, index=True)
    rating: int  # 1 Again, 2 Hard, 3 Good, 4 Easy
    reviewed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    duration_ms: int | None = None
    kind: ReviewKind = Field(default=ReviewKind.REVIEW, sa_type=enum_column(ReviewKind, "ck_reviewlog_kind"))
    state_before: MemoryState = Field(
        default=MemoryState.NEW, sa_type=enum_column(MemoryState, "ck_reviewlog_state_before")
    )
    state_after: MemoryState = Field(
        default=MemoryState.NEW, sa_type=enum_column(MemoryState, "ck_reviewlog_state_after")
    )
    due_after: datetime | None = Field(default=None, sa_type=UTCDateTime)
    stability_after: float | None = None
    difficulty_after: float | None = None
    interval_days: float | None = None
    question_id: str | None = Field(default=None, max_length=120)  # for kind == "question"


class ParameterSet(SQLModel, table=True):
    """One optimisation of a profile's FSRS parameters (trainer.study.optimizer), adopted or not.

    Kept so a learner can see how their parameters changed and why one set was not adopted. The
    scores are on the reviews the optimiser did not see (a time-series split).
    """

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    parameters: list[float] = Field(sa_type=json_column())
    reviews: int  # review-log rows the set was fitted from
    log_loss: float | None = None  # of these parameters, on unseen reviews
    rmse_bins: float | None = None
    previous_log_loss: float | None = None  # of the parameters in use then, on the same reviews
    previous_rmse_bins: float | None = None
    adopted: bool = False


# -- exams -------------------------------------------------------------------------------------
# Mock exams (see trainer.exams). An attempt keeps a JSON snapshot of its questions as they were
# at the start, so a result can be reviewed after the content changes or a question is removed.


class ExamAttempt(SQLModel, table=True):
    """One sitting of a mock exam, review session or drill."""

    __table_args__ = (
        Index("ix_examattempt_profile_status", "profile_id", "status", "started_at"),
        # Two requests starting an exam at once: the database lets exactly one in.
        Index(
            "uq_examattempt_one_in_progress",
            "profile_id",
            unique=True,
            sqlite_where=ONE_IN_PROGRESS,
            postgresql_where=ONE_IN_PROGRESS,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    profile_id: int = Field(foreign_key="profile.id")
    mode: ExamMode = Field(sa_type=enum_column(ExamMode, "ck_examattempt_mode"))
    kind: ExamKind = Field(sa_type=enum_column(ExamKind, "ck_examattempt_kind"))
    spec: dict[str, Any] = Field(sa_type=json_column())  # trainer.exams.rules.ExamSpec as data
    seed: int
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)  # None when untimed
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    status: AttemptStatus = Field(
        default=AttemptStatus.IN_PROGRESS, sa_type=enum_column(AttemptStatus, "ck_examattempt_status")
    )
    position: int = 0  # the question on screen, so a resumed exam opens where it was
    # The question snapshots (trainer.content.snapshot): stems, options, keys, explanations...
    questions: list[dict[str, Any]] = Field(sa_type=json_column())
    # Filled in at submission, so the history needs no snapshot.
    correct: int | None = None
    total: int = 0
    scaled: int | None = None
    summary: dict[str, Any] | None = Field(default=None, sa_type=json_column())  # per topic/domain
    cards_marked: int | None = None  # cards moved up in the study queue after submission


class ExamAnswer(SQLModel, table=True):
    """The learner's answer to one question of an attempt; one row per position, made at start."""

    __table_args__ = (UniqueConstraint("attempt_id", "position", name="uq_examanswer_attempt_position"),)

    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="examattempt.id", index=True)
    position: int
    question_id: str = Field(max_length=120)
    # Option indexes, in the order shown in this attempt.
    chosen: list[int] = Field(default_factory=list, sa_type=json_column())
    flagged: bool = False
    locked: bool = False  # review and drill modes: checked, feedback shown, no more changes
    correct: bool | None = None
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    time_ms: int = 0  # time spent looking at the question, over all visits


class QuestionReport(SQLModel, table=True):
    """'Report a problem with this question': kept for whoever maintains the content."""

    id: int | None = Field(default=None, primary_key=True)
    question_id: str = Field(max_length=120, index=True)
    profile_id: int | None = Field(default=None, foreign_key="profile.id")
    attempt_id: int | None = Field(default=None, foreign_key="examattempt.id")
    text: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


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
    # What the questions were drawn from (trainer.workshops.sources.Source, with its label).
    source: dict[str, Any] = Field(default_factory=dict, sa_type=json_column())
    scoring: Scoring = Field(default=Scoring.SPEED, sa_type=enum_column(Scoring, "ck_room_scoring"))
    seconds: int = 20  # timer per question
    teams: list[str] = Field(default_factory=list, sa_type=json_column())  # empty: no teams
    questions: list[dict[str, Any]] = Field(sa_type=json_column())  # the question snapshots
    phase: RoomPhase = Field(default=RoomPhase.LOBBY, sa_type=enum_column(RoomPhase, "ck_room_phase"))
    current: int = -1  # index of the question on screen; -1 in the lobby
    # When the current question opened and closes (both shifted by pauses).
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revision: int = 0  # bumped by every host action
    # Seats one browser session may hold: 1 unless the host allows more (shared devices).
    seats_per_browser: int = Field(default=1, sa_column_kwargs={"server_default": text("1")})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # With sign-in on, the profile of the facilitator who created the room: host actions need
    # their identity as well as the host secret (a maintainer may step in). NULL: local mode.
    host_profile_id: int | None = Field(default=None, foreign_key="profile.id", ondelete="SET NULL")
    # Whether people who are not signed in may join with a code and a display name (with
    # sign-in on; in local mode everyone joins that way).
    allow_guests: bool = Field(default=True, sa_column_kwargs={"server_default": text("true")})


class RoomParticipant(SQLModel, table=True):
    """Someone in a room. The display name is unique within the room, ignoring case and spaces."""

    __table_args__ = (
        UniqueConstraint("room_id", "name_key", name="uq_roomparticipant_room_name"),
        UniqueConstraint("room_id", "profile_id", name="uq_roomparticipant_room_profile"),
        Index("ix_roomparticipant_room_holder", "room_id", "holder_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", index=True)
    name: str = Field(max_length=40)
    name_key: str = Field(max_length=40)  # casefolded name, for the unique constraint
    team: str | None = Field(default=None, max_length=40)
    seat_hash: str = Field(max_length=64, index=True)  # sha256 hex of the rejoin token
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The browser session holding the seat (sha256 hex of its key); NULL for seats from before
    # revision 0005. The rejoin token changes at every use; it expires some time after issue.
    holder_hash: str | None = Field(default=None, max_length=64)
    seat_issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A signed-in participant's own profile: their answers are theirs (trainer.workshops.answers
    # records them in its study too) and their seat follows them to another device. NULL: a guest,
    # or local mode. One seat per profile per room; the profile's deletion leaves the seat anonymous.
    profile_id: int | None = Field(default=None, foreign_key="profile.id", ondelete="SET NULL", index=True)


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
    chosen: list[int] = Field(default_factory=list, sa_type=json_column())  # option indexes
    correct: bool = False
    elapsed_ms: int = 0  # from the question opening (database clock) to the answer
    points: int = 0
    answered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The question's id in the bank (from the room's snapshot), so a profile's workshop answers
    # count with its other question attempts; NULL for answers before revision 0010.
    question_id: str | None = Field(default=None, max_length=120)


class HostLink(SQLModel, table=True):
    """A one-time host link: its token's hash and the room's host secret sealed with the token
    (see trainer.workshops.links), so the secret itself is never in a URL. Deleted when used."""

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(foreign_key="room.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    sealed_secret: str = Field(max_length=64)  # hex of the secret's bytes XOR a key from the token
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class JoinAttempt(SQLModel, table=True):
    """A wrong join code, kept for the rate limit's window (trainer.workshops.throttle); ``who``
    is the sha256 hex of the browser session or the client address, never the address."""

    __table_args__ = (Index("ix_joinattempt_who_time", "who", "attempted_at"),)

    id: int | None = Field(default=None, primary_key=True)
    who: str = Field(max_length=64)
    attempted_at: datetime = Field(sa_type=UTCDateTime, index=True)


# -- teams -------------------------------------------------------------------------------------
# Cohorts a facilitator leads (see trainer.teams): members, pending e-mail invites, a join link
# (only its hash is kept) and assignments. A team's exam date is copied into each member's own
# exam date unless they chose another (trainer.teams.membership).


class Team(SQLModel, table=True):
    """A cohort: its name, optional exam date and join link."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    exam_date: date | None = Field(default=None, sa_type=Date)
    # Whether learners may see the team's anonymous aggregate (never another member's numbers).
    share_aggregate: bool = True
    # sha256 hex of the join link's token (the token itself is shown once), and when it stops working.
    join_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    join_token_expires: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TeamMember(SQLModel, table=True):
    """A profile in a team: a learner, or one of the team's facilitators."""

    __table_args__ = (UniqueConstraint("team_id", "profile_id", name="uq_teammember_team_profile"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    # Deleting a profile takes its memberships with it.
    profile_id: int = Field(foreign_key="profile.id", index=True, ondelete="CASCADE")
    facilitator: bool = False
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamInvite(SQLModel, table=True):
    """An invitation by e-mail, accepted when someone signs in with that verified address."""

    __table_args__ = (UniqueConstraint("team_id", "email", name="uq_teaminvite_team_email"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    email: str = Field(max_length=254, index=True)  # casefolded
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Assignment(SQLModel, table=True):
    """Cards or questions a team is asked to do by a due date (trainer.teams.assignments)."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True)
    title: str = Field(max_length=120)
    kind: str = Field(max_length=20)  # "cards" or "questions"
    item_ids: list[str] = Field(default_factory=list, sa_type=json_column())
    source: dict[str, Any] = Field(default_factory=dict, sa_type=json_column())  # how they were chosen
    due_date: date = Field(sa_type=Date)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for SQL written with SQLAlchemy Core (SQLModel sets ``__table__``
    when the class is made; type checkers do not see it)."""
    return cast(Table, getattr(model, "__table__"))  # noqa: B009 - see the docstring
