"""What the teams package hands to pages: plain records, and the one error for bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


class TeamError(ValueError):
    """A team action that cannot be done as asked; the message says what to do instead."""


@dataclass(frozen=True)
class TeamInfo:
    id: int
    name: str
    exam_date: date | None
    share_aggregate: bool
    created_at: datetime
    join_link_expires: datetime | None  # None: no join link is active


@dataclass(frozen=True)
class Member:
    profile_id: int
    name: str
    facilitator: bool
    own_exam_date: date | None  # the member's own exam date (the team's when they did not choose)


@dataclass(frozen=True)
class Invite:
    email: str
    created_at: datetime
    accepted_at: datetime | None
