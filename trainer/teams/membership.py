"""Making a team and changing who is in it: members, e-mail invites, the join link, the exam date.

**Invites.** A facilitator invites people by e-mail address. Nothing is sent: the invite waits
until someone signs in with that address *verified by the provider* (an unverified address is
whatever the user typed), and :func:`accept_invites` then adds them. **Join link.** A random token
shown once to the facilitator (the team keeps only its sha256), working for
:data:`JOIN_LINK_DAYS` days or until a new link replaces it; whoever opens it while signed in
joins as a learner. **Local mode** has no identities: the facilitator adds profiles by name.

**The team's exam date** becomes each member's exam date unless they chose their own: setting it
changes the members whose date is empty or still the team's previous date, and a member joining
later without a date of their own gets it. A member who set another date keeps theirs, and a
member may change or clear theirs afterwards on the Exam plan page as usual.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection, Engine

from trainer.access.identity import Identity
from trainer.access.permissions import LOCAL, AccessDenied, Actor, own_profile_id, require_profile
from trainer.access.roles import Role
from trainer.store.statements import insert_missing, writing
from trainer.store.tables import Team, TeamInvite, table_of
from trainer.store.types import utcnow
from trainer.study.exam_plan import MAX_DAYS_AHEAD
from trainer.teams.guard import MEMBERS, PROFILES, require_create, require_lead
from trainer.teams.model import Invite, Member, TeamError, TeamInfo

TEAMS = table_of(Team)
INVITES = table_of(TeamInvite)

NAME_MAX = 80
JOIN_LINK_DAYS = 14
MAX_INVITES = 500
# Enough to catch a typing mistake; the provider decides what an address really is.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _team_info(row: Any) -> TeamInfo:
    return TeamInfo(
        id=int(row.id),
        name=row.name,
        exam_date=row.exam_date,
        share_aggregate=bool(row.share_aggregate),
        created_at=row.created_at,
        join_link_expires=row.join_token_expires if row.join_token_hash else None,
    )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TeamError("Enter a name for the team.")
    if len(name) > NAME_MAX:
        raise TeamError(f"A team name can be at most {NAME_MAX} characters; this one has {len(name)}.")
    if any(ord(ch) < 32 for ch in name):
        raise TeamError("A team name cannot contain control characters.")
    return name


def _add_member(conn: Connection, team_id: int, profile_id: int, facilitator: bool, now: datetime) -> bool:
    """Add a profile (once); give it the team's exam date if it has none. True if it is new."""
    existing = conn.execute(
        select(MEMBERS.c.id).where(MEMBERS.c.team_id == team_id, MEMBERS.c.profile_id == profile_id)
    ).first()
    if existing is not None:
        if facilitator:
            conn.execute(update(MEMBERS).where(MEMBERS.c.id == existing.id).values(facilitator=True))
        return False
    insert_missing(
        conn,
        MEMBERS,
        [{"team_id": team_id, "profile_id": profile_id, "facilitator": facilitator, "joined_at": now}],
        ("team_id", "profile_id"),
    )
    exam = conn.execute(select(TEAMS.c.exam_date).where(TEAMS.c.id == team_id)).scalar_one_or_none()
    if exam is not None and not facilitator:
        conn.execute(
            update(PROFILES)
            .where(PROFILES.c.id == profile_id, PROFILES.c.exam_date.is_(None))
            .values(exam_date=exam)
        )
    return True


def create_team(
    engine: Engine, name: str, actor: Actor | None = None, leader_profile_id: int | None = None
) -> TeamInfo:
    """Create a team led by the actor (signed in: their own profile; local: ``leader_profile_id``)."""
    require_create(actor)
    name = _clean_name(name)
    now = utcnow()
    with writing(engine) as conn:
        leader = own_profile_id(conn, actor) if actor and not actor.local else leader_profile_id
        if actor and not actor.local and leader is None:
            raise TeamError("Open Study once so your profile exists, then create the team.")
        team_id = conn.execute(
            TEAMS.insert().values(name=name, created_at=now, share_aggregate=True)
        ).inserted_primary_key[0]  # type: ignore[index]
        if leader is not None:
            _add_member(conn, int(team_id), int(leader), True, now)
    return get_team(engine, int(team_id))


def get_team(engine: Engine, team_id: int) -> TeamInfo:
    with engine.connect() as conn:
        row = conn.execute(select(TEAMS).where(TEAMS.c.id == team_id)).first()
    if row is None:
        raise TeamError("That team no longer exists.")
    return _team_info(row)


def teams_for(engine: Engine, actor: Actor | None, profile_id: int | None) -> list[tuple[TeamInfo, bool]]:
    """The teams this person sees, each with whether they lead it: every team for a maintainer
    and in local mode; otherwise the teams their profile is in."""
    actor = actor or LOCAL
    with engine.connect() as conn:
        led: set[int] = set()
        mine: set[int] = set()
        if profile_id is not None:
            for row in conn.execute(
                select(MEMBERS.c.team_id, MEMBERS.c.facilitator).where(MEMBERS.c.profile_id == profile_id)
            ):
                mine.add(int(row.team_id))
                if row.facilitator and (actor.local or actor.role.includes(Role.FACILITATOR)):
                    led.add(int(row.team_id))
        everything = actor.local or actor.role.includes(Role.MAINTAINER)
        query = select(TEAMS).order_by(TEAMS.c.name, TEAMS.c.id)
        if not everything:
            query = query.where(TEAMS.c.id.in_(mine or {-1}))
        rows = conn.execute(query).all()
    return [(_team_info(r), everything or int(r.id) in led) for r in rows]


def members(engine: Engine, actor: Actor | None, team_id: int) -> list[Member]:
    """The team's members, facilitators first (leading the team only)."""
    with engine.connect() as conn:
        require_lead(conn, actor, team_id)
        rows = conn.execute(
            select(MEMBERS.c.profile_id, MEMBERS.c.facilitator, PROFILES.c.name, PROFILES.c.exam_date)
            .join(PROFILES, PROFILES.c.id == MEMBERS.c.profile_id)
            .where(MEMBERS.c.team_id == team_id)
            .order_by(MEMBERS.c.facilitator.desc(), PROFILES.c.name)
        ).all()
    return [Member(int(r.profile_id), r.name, bool(r.facilitator), r.exam_date) for r in rows]


def add_members(engine: Engine, actor: Actor | None, team_id: int, profile_ids: Iterable[int]) -> int:
    """Add profiles as learners (local mode's way in; signed in, people join by invite or link)."""
    actor = actor or LOCAL
    if not actor.local:
        raise AccessDenied("With sign-in on, people join by invitation or the join link.")
    now = utcnow()
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        return sum(_add_member(conn, team_id, int(pid), False, now) for pid in profile_ids)


def remove_member(engine: Engine, actor: Actor | None, team_id: int, profile_id: int) -> None:
    """Take a profile out of the team; its own study data stays as it is."""
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        if own_profile_id(conn, actor) == profile_id:
            raise TeamError("You cannot remove yourself from a team you lead.")
        conn.execute(delete(MEMBERS).where(MEMBERS.c.team_id == team_id, MEMBERS.c.profile_id == profile_id))


def parse_emails(text: str) -> list[str]:
    """Addresses separated by commas, semicolons, spaces or lines; casefolded, without repeats."""
    found: list[str] = []
    for part in re.split(r"[\s,;]+", text or ""):
        part = part.strip().strip("<>").casefold()
        if not part:
            continue
        if not _EMAIL.match(part) or len(part) > 254:
            raise TeamError(f"“{part[:60]}” is not an e-mail address; fix it and try again.")
        if part not in found:
            found.append(part)
    if not found:
        raise TeamError("Enter at least one e-mail address.")
    if len(found) > MAX_INVITES:
        raise TeamError(f"At most {MAX_INVITES} addresses at once.")
    return found


def invite(engine: Engine, actor: Actor | None, team_id: int, emails: str | Sequence[str]) -> list[str]:
    """Invite addresses (kept until someone signs in with one, verified); returns them."""
    addresses = parse_emails(emails if isinstance(emails, str) else " ".join(emails))
    now = utcnow()
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        insert_missing(
            conn,
            INVITES,
            [{"team_id": team_id, "email": e, "created_at": now} for e in addresses],
            ("team_id", "email"),
        )
    return addresses


def invites(engine: Engine, actor: Actor | None, team_id: int) -> list[Invite]:
    with engine.connect() as conn:
        require_lead(conn, actor, team_id)
        rows = conn.execute(
            select(INVITES)
            .where(INVITES.c.team_id == team_id)
            .order_by(INVITES.c.accepted_at.is_not(None), INVITES.c.email)
        ).all()
    return [Invite(r.email, r.created_at, r.accepted_at) for r in rows]


def accept_invites(engine: Engine, identity: Identity, profile_id: int) -> list[str]:
    """Join the teams that invited this person's verified address; returns their names."""
    if not identity.email_verified or "@" not in identity.email:
        return []
    email = identity.email.casefold()
    with engine.connect() as conn:
        waiting = conn.execute(
            select(INVITES.c.id).where(INVITES.c.email == email, INVITES.c.accepted_at.is_(None))
        ).first()
    if waiting is None:  # the usual case, on every page load: one small read
        return []
    now = utcnow()
    joined: list[str] = []
    with writing(engine) as conn:
        rows = conn.execute(
            select(INVITES.c.id, INVITES.c.team_id, TEAMS.c.name)
            .join(TEAMS, TEAMS.c.id == INVITES.c.team_id)
            .where(INVITES.c.email == email, INVITES.c.accepted_at.is_(None))
        ).all()
        for row in rows:
            if _add_member(conn, int(row.team_id), profile_id, False, now):
                joined.append(row.name)
            conn.execute(update(INVITES).where(INVITES.c.id == row.id).values(accepted_at=now))
    return joined


def new_join_link(engine: Engine, actor: Actor | None, team_id: int, now: datetime | None = None) -> str:
    """A new join token (the old one stops working); shown once, only its hash is stored."""
    now = now or utcnow()
    token = secrets.token_urlsafe(18)
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        conn.execute(
            update(TEAMS)
            .where(TEAMS.c.id == team_id)
            .values(join_token_hash=_hash(token), join_token_expires=now + timedelta(days=JOIN_LINK_DAYS))
        )
    return token


def stop_join_link(engine: Engine, actor: Actor | None, team_id: int) -> None:
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        conn.execute(
            update(TEAMS).where(TEAMS.c.id == team_id).values(join_token_hash=None, join_token_expires=None)
        )


BAD_LINK = "This join link is not valid any more; ask your facilitator for a new one."


def join_with_link(
    engine: Engine, token: str, profile_id: int, actor: Actor | None = None, now: datetime | None = None
) -> TeamInfo:
    """Join the team whose link this is, as a learner, with one's own profile."""
    now = now or utcnow()
    require_profile(engine, actor, profile_id)
    token = (token or "").strip()
    if not token or len(token) > 100:
        raise TeamError(BAD_LINK)
    with writing(engine) as conn:
        row = conn.execute(select(TEAMS).where(TEAMS.c.join_token_hash == _hash(token))).first()
        if row is None or row.join_token_expires is None or row.join_token_expires <= now:
            raise TeamError(BAD_LINK)
        _add_member(conn, int(row.id), profile_id, False, now)
    return _team_info(row)


def set_exam_date(
    engine: Engine, actor: Actor | None, team_id: int, exam_date: date | None, today: date
) -> int:
    """Set (or with None, clear) the team's exam date; returns how many members' dates followed.

    Members whose own date is empty or still the team's previous date follow; others keep theirs.
    """
    if exam_date is not None:
        if exam_date <= today:
            raise TeamError("Choose an exam date after today.")
        if (exam_date - today).days > MAX_DAYS_AHEAD:
            raise TeamError(f"Choose an exam date within {MAX_DAYS_AHEAD // 365} years.")
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        old = conn.execute(select(TEAMS.c.exam_date).where(TEAMS.c.id == team_id)).first()
        if old is None:
            raise TeamError("That team no longer exists.")
        conn.execute(update(TEAMS).where(TEAMS.c.id == team_id).values(exam_date=exam_date))
        following = or_(PROFILES.c.exam_date.is_(None), PROFILES.c.exam_date == old.exam_date)
        learners = select(MEMBERS.c.profile_id).where(MEMBERS.c.team_id == team_id, ~MEMBERS.c.facilitator)
        return int(
            conn.execute(
                update(PROFILES).where(PROFILES.c.id.in_(learners), following).values(exam_date=exam_date)
            ).rowcount
        )


def set_share_aggregate(engine: Engine, actor: Actor | None, team_id: int, share: bool) -> None:
    with writing(engine) as conn:
        require_lead(conn, actor, team_id)
        conn.execute(update(TEAMS).where(TEAMS.c.id == team_id).values(share_aggregate=bool(share)))


def member_teams(engine: Engine, profile_id: int) -> list[TeamInfo]:
    """The teams a profile is a learner in (its own view: assignments, the aggregate)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(TEAMS)
            .join(MEMBERS, MEMBERS.c.team_id == TEAMS.c.id)
            .where(MEMBERS.c.profile_id == profile_id)
            .order_by(TEAMS.c.name)
        ).all()
    return [_team_info(r) for r in rows]
