"""Permission checks the core actions call, so a refusal never depends on a hidden button.

An :class:`Actor` is whoever asks: a signed-in person with their role; :data:`LOCAL` — the
trainer running without sign-in (one person on their own machine, the command line, tests),
where anyone who can reach it may do anything, as the sidebar says; or :data:`GUEST` — someone
not signed in on a deployment with sign-in, let in only to join a workshop whose host allows
guests, who may use no profile at all. Core functions take ``actor=None`` to mean :data:`LOCAL`;
the UI always passes the signed-in actor (or the guest) when sign-in is on.

Refusals raise :class:`AccessDenied` before anything is written; its message is one plain line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from trainer.access.identity import Identity
from trainer.access.roles import Role
from trainer.store.tables import Profile, table_of

_PROFILES = table_of(Profile)


class AccessDenied(PermissionError):
    """The signed-in person may not do this; the message says so in one plain line."""


class Action(StrEnum):
    """What needs more than the learner role."""

    HOST_WORKSHOP = "host_workshop"
    READ_REPORTS = "read_reports"
    RESOLVE_REPORTS = "resolve_reports"

    @property
    def label(self) -> str:
        return {
            "host_workshop": "Hosting a workshop",
            "read_reports": "Reading question reports",
            "resolve_reports": "Resolving question reports",
        }[self.value]

    @property
    def role(self) -> Role:
        """The least role that may do it."""
        return Role.FACILITATOR if self is Action.HOST_WORKSHOP else Role.MAINTAINER


@dataclass(frozen=True)
class Actor:
    """Who asks for an action: a signed-in identity and role, or nobody in particular (local)."""

    role: Role
    identity: Identity | None = None
    # Sign-in is on and this visitor is not signed in (a workshop guest): never local.
    guest: bool = False

    @property
    def local(self) -> bool:
        return self.identity is None and not self.guest

    def may(self, action: Action) -> bool:
        return self.local or self.role.includes(action.role)


# Without sign-in there is nobody to tell apart: every action is allowed (see the module docstring).
LOCAL = Actor(role=Role.MAINTAINER)
# Not signed in on a deployment with sign-in: a learner who owns no profile.
GUEST = Actor(role=Role.LEARNER, guest=True)


def require(actor: Actor | None, action: Action) -> None:
    """Refuse ``action`` unless the actor's role includes it."""
    actor = actor or LOCAL
    if not actor.may(action):
        raise AccessDenied(
            f"{action.label} needs the {action.role.label.lower()} role; you are signed in as a "
            f"{actor.role.label.lower()}. Ask whoever runs this trainer if you need it."
        )


NOT_YOURS = "That profile belongs to someone else; you can only use your own."
NO_PROFILE = "Sign in to keep progress: a guest has no profile."


def _first(engine: Engine | Connection, query: Any) -> Any:
    if isinstance(engine, Connection):
        return engine.execute(query).first()
    with engine.connect() as conn:
        return conn.execute(query).first()


def require_profile(engine: Engine | Connection, actor: Actor | None, profile_id: int) -> None:
    """Refuse unless the actor may read and change this profile's data.

    With sign-in on, a person uses only the profile bound to their identity; a profile made in
    local mode (bound to nobody) is nobody's to use until it is claimed (trainer.access.claims).
    A guest uses none.
    """
    actor = actor or LOCAL
    if actor.local:
        return
    if actor.identity is None:
        raise AccessDenied(NO_PROFILE)
    row = _first(engine, select(_PROFILES.c.signin_subject).where(_PROFILES.c.id == profile_id))
    if row is None or row.signin_subject != actor.identity.key:
        raise AccessDenied(NOT_YOURS)


def own_profile_id(engine: Engine | Connection, actor: Actor | None) -> int | None:
    """The id of the profile bound to the signed-in actor; None for local mode, a guest, or a
    person whose profile is not made yet (the pages make it at their first sign-in)."""
    if actor is None or actor.identity is None:
        return None
    row = _first(engine, select(_PROFILES.c.id).where(_PROFILES.c.signin_subject == actor.identity.key))
    return None if row is None else int(row.id)
