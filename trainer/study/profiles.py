"""Profiles: each learner's name and settings. Progress belongs to a profile.

Names are how people find their profile in a list, so two names that differ only in case or
spacing ("Ana" and " ANA ") cannot both exist. The check runs inside the write's transaction
with the profile table locked against other writers (SQLite's write lock; a table lock on
PostgreSQL), so two people creating "Ana" and "ana" at the same moment cannot both succeed.
The unique index on ``name`` stays as the last line of defence for exact duplicates.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, delete, func, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from trainer.access.permissions import Actor, require_profile
from trainer.store.engine import session
from trainer.store.statements import writing
from trainer.store.tables import (
    CardState,
    ExamAnswer,
    ExamAttempt,
    Profile,
    QuestionReport,
    ReviewLog,
    table_of,
)
from trainer.study.scheduling import Settings, SettingsError, format_steps, parse_steps

MAX_NAME = 60


class ProfileError(ValueError):
    """A profile name or setting that cannot be used; the message says how to fix it."""


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    # PostgreSQL text cannot hold NUL, and no other control character belongs in a name: refuse
    # them here, in words, rather than as a driver error at the INSERT.
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ProfileError("A profile name cannot contain control characters; type it again.")
    if not name:
        raise ProfileError("Enter a name for the profile.")
    if len(name) > MAX_NAME:
        raise ProfileError(
            f"A profile name can be at most {MAX_NAME} characters; this one has {len(name)}. "
            "Shorten it and try again."
        )
    return name


def name_key(name: str) -> str:
    """What two names must not share: the name ignoring case (and, via clean_name, spacing)."""
    return clean_name(name).casefold()


@dataclass(frozen=True)
class ProfileData:
    """What deleting a profile would lose, counted so the confirmation can say it."""

    cards_studied: int
    reviews: int
    exams: int


def list_profiles(engine: Engine) -> list[Profile]:
    with session(engine) as db:
        return list(db.exec(select(Profile).order_by(Profile.name)))


def get_profile(engine: Engine, profile_id: int) -> Profile | None:
    with session(engine) as db:
        return db.get(Profile, profile_id)


def find_profile(engine: Engine, name: str) -> Profile | None:
    """The profile with this name, ignoring case and spacing."""
    key = name_key(name)
    return next((p for p in list_profiles(engine) if p.name.casefold() == key), None)


PROFILES = table_of(Profile)


def _lock_names(conn: Connection) -> None:
    """Keep other name changes out until this transaction ends (see the module docstring)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("LOCK TABLE profile IN SHARE ROW EXCLUSIVE MODE")


def _refuse_taken(conn: Connection, name: str, except_id: int | None = None) -> None:
    key = name.casefold()
    for pid, existing in conn.execute(select(PROFILES.c.id, PROFILES.c.name)).all():
        if pid != except_id and existing.casefold() == key:
            raise ProfileError(f"A profile named “{existing}” already exists; choose it from the list.")


def create_profile(engine: Engine, name: str, timezone: str = "UTC") -> Profile:
    """Create a profile; a name already taken, in any case, is an error."""
    name = clean_name(name)
    Settings(timezone=timezone)  # validate the zone before writing anything
    try:
        with writing(engine) as conn:
            _lock_names(conn)
            _refuse_taken(conn, name)
            # The model fills in the default settings and created_at (they are not server defaults).
            values = Profile(name=name, timezone=timezone).model_dump(exclude={"id"})
            inserted = conn.execute(PROFILES.insert().values(**values)).inserted_primary_key
            assert inserted is not None
            pid = int(inserted[0])
    except IntegrityError:
        raise ProfileError(f"A profile named “{name}” already exists; choose it from the list.") from None
    profile = get_profile(engine, pid)
    assert profile is not None
    return profile


def rename_profile(engine: Engine, profile_id: int, name: str, actor: Actor | None = None) -> Profile:
    """Give a profile a new name; its progress stays with it. With sign-in on, one's own only."""
    require_profile(engine, actor, profile_id)
    name = clean_name(name)
    try:
        with writing(engine) as conn:
            _lock_names(conn)
            _refuse_taken(conn, name, except_id=profile_id)
            changed = conn.execute(update(PROFILES).where(PROFILES.c.id == profile_id).values(name=name))
            if changed.rowcount == 0:
                raise ProfileError("That profile no longer exists.")
    except IntegrityError:
        raise ProfileError(f"A profile named “{name}” already exists; choose it from the list.") from None
    profile = get_profile(engine, profile_id)
    assert profile is not None
    return profile


def profile_data(engine: Engine, profile_id: int) -> ProfileData:
    """How much progress a profile holds (for the delete confirmation)."""
    cards, log, attempts = table_of(CardState), table_of(ReviewLog), table_of(ExamAttempt)
    with engine.connect() as conn:

        def count(query: Select[Any]) -> int:
            return int(conn.execute(query).scalar_one())

        return ProfileData(
            cards_studied=count(
                select(func.count())
                .select_from(cards)
                .where(cards.c.profile_id == profile_id, cards.c.reps > 0)
            ),
            reviews=count(select(func.count()).select_from(log).where(log.c.profile_id == profile_id)),
            exams=count(
                select(func.count()).select_from(attempts).where(attempts.c.profile_id == profile_id)
            ),
        )


def delete_profile(engine: Engine, profile_id: int, actor: Actor | None = None) -> None:
    """Delete a profile with its cards' memory, its review history and its exam attempts, in one
    transaction. Question reports it sent stay for the maintainers, no longer naming it.
    With sign-in on, one's own only."""
    require_profile(engine, actor, profile_id)
    cards, log, attempts = table_of(CardState), table_of(ReviewLog), table_of(ExamAttempt)
    answers, reports = table_of(ExamAnswer), table_of(QuestionReport)
    with writing(engine) as conn:
        own_attempts = select(attempts.c.id).where(attempts.c.profile_id == profile_id)
        conn.execute(
            update(reports)
            .where((reports.c.profile_id == profile_id) | reports.c.attempt_id.in_(own_attempts))
            .values(profile_id=None, attempt_id=None)
        )
        conn.execute(delete(answers).where(answers.c.attempt_id.in_(own_attempts)))
        conn.execute(delete(attempts).where(attempts.c.profile_id == profile_id))
        conn.execute(delete(log).where(log.c.profile_id == profile_id))
        conn.execute(delete(cards).where(cards.c.profile_id == profile_id))
        if conn.execute(delete(PROFILES).where(PROFILES.c.id == profile_id)).rowcount == 0:
            raise ProfileError("That profile no longer exists.")


def get_or_create_profile(engine: Engine, name: str, timezone: str = "UTC") -> Profile:
    return find_profile(engine, name) or create_profile(engine, name, timezone)


def update_settings(engine: Engine, profile_id: int, actor: Actor | None = None, **values) -> Profile:
    """Validate and store new settings. Steps are given as text, e.g. '1m 10m'. With sign-in on,
    one's own only."""
    require_profile(engine, actor, profile_id)
    with session(engine) as db:
        profile = db.get(Profile, profile_id)
        if profile is None:
            raise ProfileError("That profile no longer exists.")
        merged = {**profile.model_dump(), **values}
        try:
            Settings(
                new_per_day=int(merged["new_per_day"]),
                reviews_per_day=int(merged["reviews_per_day"]),
                desired_retention=float(merged["desired_retention"]),
                learning_steps=parse_steps(merged["learning_steps"], "learning steps"),
                relearning_steps=parse_steps(merged["relearning_steps"], "relearning steps"),
                leech_threshold=int(merged["leech_threshold"]),
                leech_action=merged["leech_action"],
                day_starts_at=int(merged["day_starts_at"]),
                timezone=merged["timezone"],
            )
        except (SettingsError, ValueError, TypeError) as exc:
            raise ProfileError(str(exc)) from None
        if not parse_steps(merged["learning_steps"]):
            raise ProfileError("learning steps: enter at least one step, e.g. '1m 10m'")
        for key, value in values.items():
            if key in ("learning_steps", "relearning_steps"):
                value = format_steps(parse_steps(value))
            setattr(profile, key, value)
        db.add(profile)
        db.commit()
        db.refresh(profile)
        return profile
