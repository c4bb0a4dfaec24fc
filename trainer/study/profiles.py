"""Profiles: each learner's name and settings. Progress belongs to a profile."""

from __future__ import annotations

import unicodedata

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from trainer.store.engine import session
from trainer.store.tables import Profile
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
        raise ProfileError(f"A profile name can be at most {MAX_NAME} characters.")
    return name


def list_profiles(engine: Engine) -> list[Profile]:
    with session(engine) as db:
        return list(db.exec(select(Profile).order_by(Profile.name)))


def get_profile(engine: Engine, profile_id: int) -> Profile | None:
    with session(engine) as db:
        return db.get(Profile, profile_id)


def find_profile(engine: Engine, name: str) -> Profile | None:
    with session(engine) as db:
        return db.exec(select(Profile).where(Profile.name == clean_name(name))).first()


def create_profile(engine: Engine, name: str, timezone: str = "UTC") -> Profile:
    """Create a profile; an existing name is an error (names are how people find theirs)."""
    name = clean_name(name)
    Settings(timezone=timezone)  # validate the zone before writing anything
    with session(engine) as db:
        profile = Profile(name=name, timezone=timezone)
        db.add(profile)
        try:
            db.commit()
        except IntegrityError:
            db.rollback()
            raise ProfileError(f"A profile named {name!r} already exists; choose it from the list.") from None
        db.refresh(profile)
        return profile


def get_or_create_profile(engine: Engine, name: str, timezone: str = "UTC") -> Profile:
    return find_profile(engine, name) or create_profile(engine, name, timezone)


def update_settings(engine: Engine, profile_id: int, **values) -> Profile:
    """Validate and store new settings. Steps are given as text, e.g. '1m 10m'."""
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
