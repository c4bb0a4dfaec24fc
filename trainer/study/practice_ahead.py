"""Practice ahead: drill the weakest cards without changing their schedule.

A learner who has done the day's cards, or wants to go over a topic before a workshop, can
practise ahead as Anki's custom study does. The answers are logged (kind ``cram``) so statistics
see the effort, but no card's memory or due date moves: the schedule stays the one FSRS chose.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from trainer.store.enums import MemoryState, ReviewKind, StudyQueue
from trainer.store.types import utcnow
from trainer.study import statements as sql
from trainer.study.queue import Study, memory_of
from trainer.study.scheduling import Rating

NEVER_SEEN = 2.0  # sorts after every predicted recall (at most 1.0): never-seen cards come last


def weakest_first(
    study: Study, card_ids: list[str] | None = None, now: datetime | None = None, limit: int = 50
) -> list[str]:
    """Cards to practise ahead (all, or those of ``card_ids``), lowest predicted recall first."""
    now = now or utcnow()
    with study.engine.connect() as conn:
        query = select(sql.CARDS).where(
            sql.CARDS.c.profile_id == study.profile.id, sql.CARDS.c.queue != StudyQueue.RETIRED
        )
        if card_ids is not None:
            query = query.where(sql.CARDS.c.card_id.in_(card_ids))
        rows = conn.execute(query).all()
    scored = []
    for row in rows:
        memory = memory_of(row)
        recall = (
            study.scheduler.retrievability(memory, now) if memory.state != MemoryState.NEW else NEVER_SEEN
        )
        scored.append((recall, row.position, row.card_id))
    scored.sort()
    return [card_id for _, _, card_id in scored[:limit]]


def record_practice(
    study: Study, card_id: str, rating: Rating, now: datetime | None = None, duration_ms: int | None = None
) -> None:
    """Log a practice answer for statistics; the card's schedule is left untouched."""
    memory = study.memory(card_id)
    with study.engine.begin() as conn:
        conn.execute(
            sql.LOG.insert().values(
                profile_id=study.profile.id,
                card_id=card_id,
                rating=int(Rating(rating)),
                reviewed_at=now or utcnow(),
                duration_ms=duration_ms,
                kind=ReviewKind.CRAM,
                state_before=memory.state,
                state_after=memory.state,
                due_after=memory.due,
                stability_after=memory.stability,
                difficulty_after=memory.difficulty,
            )
        )
