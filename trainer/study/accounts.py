"""Profiles of signed-in people: one per identity, made at their first sign-in.

The profile is found by ``signin_subject`` (the identity's issuer and subject), never by name,
so a new name at the provider or two people called "Ana Silva" change nothing about whose
progress is whose. Its name starts as the provider's name; when that name is taken (another
person, or a local profile) a number is added, because names are unique ignoring case.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from trainer.access.identity import Identity
from trainer.store.statements import writing
from trainer.store.tables import Profile, table_of
from trainer.study.profiles import MAX_NAME, ProfileError, clean_name, get_profile
from trainer.study.scheduling import Settings

_PROFILES = table_of(Profile)


def bound_profile(engine: Engine, identity: Identity) -> Profile | None:
    """The profile bound to this person, if they signed in before."""
    with engine.connect() as conn:
        pid = conn.execute(
            select(_PROFILES.c.id).where(_PROFILES.c.signin_subject == identity.key)
        ).scalar_one_or_none()
    return None if pid is None else get_profile(engine, int(pid))


def _base_name(identity: Identity) -> str:
    try:
        return clean_name(identity.display_name[:MAX_NAME])
    except ProfileError:  # e.g. a name made only of control characters
        return "Signed-in user"


def _free_name(conn: Connection, base: str) -> str:
    taken = {name.casefold() for name in conn.execute(select(_PROFILES.c.name)).scalars()}
    if base.casefold() not in taken:
        return base
    number = 2
    while True:
        suffix = f" ({number})"
        candidate = base[: MAX_NAME - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in taken:
            return candidate
        number += 1


def profile_for_identity(engine: Engine, identity: Identity, timezone: str = "UTC") -> Profile:
    """The person's profile, made on their first sign-in (two tabs signing in at once make one)."""
    existing = bound_profile(engine, identity)
    if existing is not None:
        return existing
    Settings(timezone=timezone)  # validate the zone before writing anything
    try:
        with writing(engine) as conn:
            if conn.dialect.name == "postgresql":  # the same lock as profile names take
                conn.exec_driver_sql("LOCK TABLE profile IN SHARE ROW EXCLUSIVE MODE")
            name = _free_name(conn, _base_name(identity))
            values = Profile(name=name, timezone=timezone, signin_subject=identity.key).model_dump(
                exclude={"id"}
            )
            conn.execute(_PROFILES.insert().values(**values))
    except IntegrityError:  # the other tab's first sign-in won: use its profile
        pass
    profile = bound_profile(engine, identity)
    if profile is None:
        raise ProfileError("Your profile could not be created; try signing in again.")
    return profile
