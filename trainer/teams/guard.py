"""Who may do what to a team, checked in the core before anything is written.

* Creating a team needs the facilitator role (or maintainer).
* Leading a team — its dashboard, members, invites, exam date, assignments — needs the
  facilitator role *and* being one of that team's facilitators; a maintainer may lead any team.
  A facilitator of one team sees nothing of another's.
* A learner sees their own data and, when the team shares it, the team's anonymous aggregate.

In local mode (no sign-in, ``actor`` None) anyone may do anything, as the sidebar says: the
teams page adds that membership is not protected there.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from trainer.access.permissions import LOCAL, AccessDenied, Actor, own_profile_id
from trainer.access.roles import Role
from trainer.store.tables import Profile, TeamMember, table_of

PROFILES = table_of(Profile)
MEMBERS = table_of(TeamMember)

NOT_YOUR_TEAM = "Only this team's facilitators can see its dashboard or change it."
NOT_A_MEMBER = "You are not a member of this team."


def require_create(actor: Actor | None) -> None:
    actor = actor or LOCAL
    if not actor.local and not actor.role.includes(Role.FACILITATOR):
        raise AccessDenied(
            f"Creating a team needs the facilitator role; you are signed in as a "
            f"{actor.role.label.lower()}. Ask whoever runs this trainer if you need it."
        )


def may_lead(conn: Connection, actor: Actor | None, team_id: int) -> bool:
    actor = actor or LOCAL
    if actor.local or actor.role.includes(Role.MAINTAINER):
        return True
    if not actor.role.includes(Role.FACILITATOR):
        return False
    pid = own_profile_id(conn, actor)
    if pid is None:
        return False
    row = conn.execute(
        select(MEMBERS.c.facilitator).where(MEMBERS.c.team_id == team_id, MEMBERS.c.profile_id == pid)
    ).first()
    return bool(row is not None and row.facilitator)


def require_lead(conn: Connection, actor: Actor | None, team_id: int) -> None:
    """Refuse unless the actor leads this team (see the module docstring)."""
    if not may_lead(conn, actor, team_id):
        raise AccessDenied(NOT_YOUR_TEAM)


def require_member(conn: Connection, actor: Actor | None, team_id: int, profile_id: int) -> None:
    """Refuse unless ``profile_id`` is the actor's own profile and a member of the team (or the
    actor leads it)."""
    if may_lead(conn, actor, team_id):
        return
    actor = actor or LOCAL
    if own_profile_id(conn, actor) != profile_id:
        raise AccessDenied(NOT_A_MEMBER)
    row = conn.execute(
        select(MEMBERS.c.id).where(MEMBERS.c.team_id == team_id, MEMBERS.c.profile_id == profile_id)
    ).first()
    if row is None:
        raise AccessDenied(NOT_A_MEMBER)
