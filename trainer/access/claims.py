"""Claiming a local profile: keeping the history people built before sign-in was turned on.

A deployment that ran in local mode has profiles chosen by name and bound to nobody
(``profile.signin_subject`` NULL). Once sign-in is on, nobody may use them
(:func:`trainer.access.permissions.require_profile`), and each person gets a new, empty profile at
their first sign-in. A person may **claim** one unbound local profile, once, so their reviews,
exam attempts and settings follow them:

* the operator decides who may claim what (:class:`ClaimMode`, ``[trainer] claim_profiles``):
  ``reserved`` (the default) — only a profile the operator set aside for the person's verified
  e-mail address (``trainer profile reserve NAME EMAIL``); ``by-name`` — any unbound profile whose
  exact name the person types (for a small team that trusts itself: a name is no secret);
  ``off`` — nobody;
* a profile reserved for one address can be claimed by nobody else, whatever the mode;
* the person's own signed-in profile must have no history yet (reviews, exam attempts, workshop
  seats), and they must not have claimed one before: a claim never merges two histories, so it
  is "once" and never destroys anything. Whoever already studied under sign-in keeps that
  profile; the operator can reserve the old one for another address, or leave it.

The claim is one transaction: the empty profile's team memberships and question reports move to
the claimed one, the empty profile is deleted, and the claimed one is bound to the person
(``claimed_at`` set, the reservation cleared). Every refusal is :class:`ClaimError` with one plain
line, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, exists, func, or_, select, update
from sqlalchemy.engine import Connection, Engine

from trainer.access.permissions import Actor
from trainer.store.statements import writing
from trainer.store.tables import (
    CardState,
    ExamAttempt,
    ParameterSet,
    Profile,
    QuestionReport,
    ReviewLog,
    RoomParticipant,
    TeamMember,
    table_of,
)
from trainer.store.types import utcnow

PROFILES = table_of(Profile)
_LOG = table_of(ReviewLog)
_ATTEMPTS = table_of(ExamAttempt)
_SEATS = table_of(RoomParticipant)
_MEMBERS = table_of(TeamMember)
_REPORTS = table_of(QuestionReport)
_CARDS = table_of(CardState)
_PARAMETERS = table_of(ParameterSet)
EMAIL_MAX = 254


class ClaimError(ValueError):
    """A claim or a reservation that cannot be made; the message says why, in one line."""


class ClaimMode(StrEnum):
    """What the operator allows (``[trainer] claim_profiles`` in secrets.toml)."""

    OFF = "off"
    RESERVED = "reserved"
    BY_NAME = "by-name"

    @classmethod
    def parse(cls, value: object) -> ClaimMode:
        if value is None or value == "":
            return cls.RESERVED
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            raise ClaimError(
                f"claim_profiles must be one of {', '.join(m.value for m in cls)}; it is {value!r}."
            ) from None


@dataclass(frozen=True)
class LocalProfile:
    """An unbound profile, as the Profile page and ``trainer profile list`` show it."""

    id: int
    name: str
    reviews: int
    exams: int
    reserved_for: str | None  # the verified e-mail it is set aside for


def _norm_email(email: str) -> str:
    email = " ".join((email or "").split()).casefold()
    if "@" not in email or len(email) > EMAIL_MAX or " " in email:
        raise ClaimError(f"{email or 'That'!r} is not an e-mail address.")
    return email


def unbound_profiles(engine: Engine) -> list[LocalProfile]:
    """Every profile made in local mode (bound to nobody), by name, with how much it holds."""
    reviews = select(func.count()).where(_LOG.c.profile_id == PROFILES.c.id).scalar_subquery()
    exams = select(func.count()).where(_ATTEMPTS.c.profile_id == PROFILES.c.id).scalar_subquery()
    with engine.connect() as conn:
        rows = conn.execute(
            select(PROFILES.c.id, PROFILES.c.name, reviews, exams, PROFILES.c.claim_email)
            .where(PROFILES.c.signin_subject.is_(None))
            .order_by(PROFILES.c.name)
        ).all()
    return [LocalProfile(int(r[0]), r[1], int(r[2]), int(r[3]), r[4]) for r in rows]


def reserve(engine: Engine, name: str, email: str | None) -> LocalProfile:
    """Set an unbound profile aside for whoever signs in with ``email`` verified (None: clear the
    reservation). For the operator (``trainer profile reserve``), who decides whose history is whose."""
    address = None if email is None else _norm_email(email)
    key = " ".join((name or "").split()).casefold()
    with writing(engine) as conn:
        row = _by_name(conn, key)
        if row is None:
            raise ClaimError(f"No profile is called {name!r}; `trainer profile list` shows them.")
        if row.signin_subject is not None:
            raise ClaimError(f"{row.name!r} already belongs to a signed-in person; it cannot be reserved.")
        conn.execute(update(PROFILES).where(PROFILES.c.id == row.id).values(claim_email=address))
    (found,) = [p for p in unbound_profiles(engine) if p.id == row.id]
    return found


def _by_name(conn: Connection, key: str) -> Any:
    """The profile whose name is ``key`` ignoring case and spacing (as names are unique: see
    trainer.study.profiles), or None. Compared in Python: casefold is not SQL's lower()."""
    rows = conn.execute(
        select(PROFILES.c.id, PROFILES.c.name, PROFILES.c.signin_subject, PROFILES.c.claim_email)
    ).all()
    return next((r for r in rows if r.name.casefold() == key), None)


def _has_history(conn: Connection, profile_id: int) -> bool:
    return bool(
        conn.execute(
            select(
                or_(
                    exists().where(_LOG.c.profile_id == profile_id),
                    exists().where(_ATTEMPTS.c.profile_id == profile_id),
                    exists().where(_SEATS.c.profile_id == profile_id),
                )
            )
        ).scalar()
    )


def _verified_email(actor: Actor) -> str | None:
    identity = actor.identity
    if identity is None or not identity.email_verified or "@" not in identity.email:
        return None
    return identity.email.casefold()


def reserved_for(engine: Engine, actor: Actor | None) -> LocalProfile | None:
    """The unbound profile the operator set aside for this person's verified e-mail, if any."""
    email = None if actor is None else _verified_email(actor)
    if email is None:
        return None
    return next((p for p in unbound_profiles(engine) if p.reserved_for == email), None)


def may_claim(engine: Engine, actor: Actor | None) -> bool:
    """Whether the person could claim a profile now: signed in, their own profile (if made) has
    no history and was not claimed, and there is at least one unbound profile."""
    if actor is None or actor.identity is None:
        return False
    with engine.connect() as conn:
        own = conn.execute(
            select(PROFILES.c.id, PROFILES.c.claimed_at).where(
                PROFILES.c.signin_subject == actor.identity.key
            )
        ).first()
        if own is not None and (own.claimed_at is not None or _has_history(conn, own.id)):
            return False
        return bool(conn.execute(select(exists().where(PROFILES.c.signin_subject.is_(None)))).scalar())


def claim(
    engine: Engine, actor: Actor | None, name: str, mode: ClaimMode, now: datetime | None = None
) -> int:
    """Bind the unbound profile called ``name`` to the signed-in actor (see the module docstring);
    returns its id. Refused (ClaimError, nothing changed) unless every rule holds."""
    if actor is None or actor.identity is None:
        raise ClaimError("Sign in first: a profile is claimed by a signed-in person.")
    if mode is ClaimMode.OFF:
        raise ClaimError("Claiming profiles from before sign-in is turned off on this trainer.")
    identity = actor.identity
    email = _verified_email(actor)
    key = " ".join((name or "").split()).casefold()
    if not key:
        raise ClaimError("Type the name of the profile you used before sign-in.")
    with writing(engine) as conn:
        if conn.dialect.name == "postgresql":  # the lock profile names and first sign-ins take
            conn.exec_driver_sql("LOCK TABLE profile IN SHARE ROW EXCLUSIVE MODE")
        target = _by_name(conn, key)
        if mode is ClaimMode.RESERVED:
            claimable = email is not None and target is not None and target.claim_email == email
            refusal = (
                f"No profile from before sign-in called {name.strip()!r} is set aside for your "
                "e-mail address; ask the operator to run `trainer profile reserve`."
            )
        else:  # by name: any unbound profile, unless it is set aside for someone else
            claimable = target is not None and target.claim_email in (None, email)
            refusal = f"There is no profile from before sign-in called {name.strip()!r} for you to claim."
        # The same words for "no such profile" and "someone else's": a name is no proof.
        if not claimable or target.signin_subject is not None:
            raise ClaimError(refusal)
        own = conn.execute(
            select(PROFILES.c.id, PROFILES.c.claimed_at).where(PROFILES.c.signin_subject == identity.key)
        ).first()
        if own is not None:
            if own.claimed_at is not None:
                raise ClaimError(
                    "You already claimed a profile from before sign-in; a person claims one, once."
                )
            if _has_history(conn, own.id):
                raise ClaimError(
                    "Your signed-in profile already has progress of its own, and a claim never merges "
                    "two histories. Ask the operator if the old one matters."
                )
            _hand_over(conn, own.id, target.id)
        conn.execute(
            update(PROFILES)
            .where(PROFILES.c.id == target.id)
            .values(signin_subject=identity.key, claimed_at=now or utcnow(), claim_email=None)
        )
    return int(target.id)


def _hand_over(conn: Connection, empty_id: int, target_id: int) -> None:
    """Move what an empty profile holds that is not history (team memberships, question reports)
    to the claimed profile, then delete the empty one (its card rows go with it)."""
    theirs = set(conn.execute(select(_MEMBERS.c.team_id).where(_MEMBERS.c.profile_id == target_id)).scalars())
    conn.execute(
        update(_MEMBERS)
        .where(_MEMBERS.c.profile_id == empty_id, _MEMBERS.c.team_id.not_in(theirs or {-1}))
        .values(profile_id=target_id)
    )
    conn.execute(update(_REPORTS).where(_REPORTS.c.profile_id == empty_id).values(profile_id=target_id))
    for table in (_CARDS, _PARAMETERS, _MEMBERS):
        conn.execute(delete(table).where(table.c.profile_id == empty_id))
    conn.execute(delete(PROFILES).where(PROFILES.c.id == empty_id))
