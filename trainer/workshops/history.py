"""A profile's workshops: the rooms a signed-in person took part in, with their score and place.

A seat is a profile's when its participant joined signed in (``roomparticipant.profile_id``,
:func:`trainer.workshops.rooms.join`); guests' seats belong to no profile and appear nowhere
here. The Profile page lists these, so a person sees their workshops beside their study history
(the answers themselves were recorded in their study as they were given,
:mod:`trainer.workshops.answers`). Only the profile's owner may read it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.workshops.access import ANSWERS, PARTICIPANTS, ROOMS, load_room_questions
from trainer.workshops.model import RoomPhase

# The Profile page lists the most recent ones; a learner rarely has more.
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class WorkshopTaken:
    """One room the profile took part in, as it stands (or ended)."""

    room_id: int
    code: str
    title: str
    name: str  # the display name the person used in the room
    joined_at: datetime
    finished_at: datetime | None
    phase: RoomPhase
    asked: int  # questions put to the room so far
    answered: int
    correct: int
    points: int
    rank: int  # 1 = first; ties share a rank, as on the leaderboard
    participants: int

    @property
    def finished(self) -> bool:
        return self.phase is RoomPhase.FINISHED


def profile_workshops(
    engine: Engine, profile_id: int, actor: Actor | None = None, limit: int = HISTORY_LIMIT
) -> list[WorkshopTaken]:
    """The profile's workshops, newest first (two queries, whatever the number of rooms)."""
    require_profile(engine, actor, profile_id)
    with engine.connect() as conn:
        seats = conn.execute(
            select(
                PARTICIPANTS.c.id,
                PARTICIPANTS.c.name,
                PARTICIPANTS.c.joined_at,
                ROOMS.c.id.label("room_id"),
                ROOMS.c.code,
                ROOMS.c.title,
                ROOMS.c.phase,
                ROOMS.c.current,
                ROOMS.c.questions,
                ROOMS.c.finished_at,
            )
            .join(ROOMS, ROOMS.c.id == PARTICIPANTS.c.room_id)
            .where(PARTICIPANTS.c.profile_id == profile_id)
            .order_by(PARTICIPANTS.c.joined_at.desc(), PARTICIPANTS.c.id.desc())
            .limit(limit)
        ).all()
        if not seats:
            return []
        # Every participant's points in those rooms, for the place (as the leaderboard ranks).
        totals = conn.execute(
            select(
                PARTICIPANTS.c.room_id,
                PARTICIPANTS.c.id,
                func.coalesce(func.sum(ANSWERS.c.points), 0).label("points"),
                func.coalesce(func.sum(case((ANSWERS.c.correct, 1), else_=0)), 0).label("correct"),
                func.count(ANSWERS.c.id).label("answered"),
            )
            .select_from(PARTICIPANTS.outerjoin(ANSWERS, ANSWERS.c.participant_id == PARTICIPANTS.c.id))
            .where(PARTICIPANTS.c.room_id.in_([s.room_id for s in seats]))
            .group_by(PARTICIPANTS.c.room_id, PARTICIPANTS.c.id)
        ).all()
    points: dict[int, list[int]] = defaultdict(list)
    mine = {}
    for t in totals:
        points[t.room_id].append(int(t.points))
        mine[t.id] = t
    result = []
    for s in seats:
        own = mine[s.id]
        total = len(load_room_questions(s.questions))
        result.append(
            WorkshopTaken(
                room_id=s.room_id,
                code=s.code,
                title=s.title,
                name=s.name,
                joined_at=s.joined_at,
                finished_at=s.finished_at,
                phase=RoomPhase(s.phase),
                asked=max(0, min(s.current + 1, total)),
                answered=int(own.answered),
                correct=int(own.correct),
                points=int(own.points),
                rank=1 + sum(1 for p in points[s.room_id] if p > int(own.points)),
                participants=len(points[s.room_id]),
            )
        )
    return result
