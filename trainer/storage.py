"""The store: profiles, per-card memory state and an append-only review log.

SQLite at ``data/trainer.db`` by default, any SQLAlchemy URL through ``TRAINER_DATABASE_URL``.
One engine per process (``get_engine`` caches it). SQLite runs in WAL mode with a busy timeout
so that many browser sessions can write at once without "database is locked" errors.

Card memory rows are keyed by the card's YAML id and are never deleted: a card removed from
the YAML is marked ``retired`` and keeps its history; when it comes back it picks up where it was.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Index, UniqueConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Field, Session, SQLModel, create_engine

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_URL = f"sqlite:///{DATA_DIR / 'trainer.db'}"
SQLITE_BUSY_TIMEOUT_MS = 15_000


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """Datetimes from the database as timezone-aware UTC, whatever the backend returned."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


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


def database_url() -> str:
    return os.environ.get("TRAINER_DATABASE_URL", "").strip() or DEFAULT_URL


def make_engine(url: str | None = None) -> Engine:
    """Create an engine and its tables. Prefer ``get_engine`` for the process-wide one."""
    url = url or database_url()
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            path = url.split("///", 1)[-1]
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    SQLModel.metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The one engine per process for a URL."""
    url = url or database_url()
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
