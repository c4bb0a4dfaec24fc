"""Permission checks the core actions call, so a refusal never depends on a hidden button.

An :class:`Actor` is whoever asks: a signed-in person with their role, or :data:`LOCAL` — the
trainer running without sign-in (one person on their own machine, the command line, tests),
where anyone who can reach it may do anything, as the sidebar says. Core functions take
``actor=None`` to mean :data:`LOCAL`; the UI always passes the signed-in actor when sign-in is on.

Refusals raise :class:`AccessDenied` before anything is written; its message is one plain line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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

    @property
    def local(self) -> bool:
        return self.identity is None

    def may(self, action: Action) -> bool:
        return self.local or self.role.includes(action.role)


# Without sign-in there is nobody to tell apart: every action is allowed (see the module docstring).
LOCAL = Actor(role=Role.MAINTAINER)


def require(actor: Actor | None, action: Action) -> None:
    """Refuse ``action`` unless the actor's role includes it."""
    actor = actor or LOCAL
    if not actor.may(action):
        raise AccessDenied(
            f"{action.label} needs the {action.role.label.lower()} role; you are signed in as a "
            f"{actor.role.label.lower()}. Ask whoever runs this trainer if you need it."
        )


NOT_YOURS = "That profile belongs to someone else; you can only use your own."


def require_profile(engine: Engine | Connection, actor: Actor | None, profile_id: int) -> None:
    """Refuse unless the actor may read and change this profile's data.

    With sign-in on, a person uses only the profile bound to their identity; a profile made in
    local mode (bound to nobody) is nobody's to use until an operator binds it.
    """
    actor = actor or LOCAL
    if actor.identity is None:
        return
    query = select(_PROFILES.c.signin_subject).where(_PROFILES.c.id == profile_id)
    if isinstance(engine, Connection):
        row = engine.execute(query).first()
    else:
        with engine.connect() as conn:
            row = conn.execute(query).first()
    if row is None or row.signin_subject != actor.identity.key:
        raise AccessDenied(NOT_YOURS)
