"""The study loop's SQL, built once.

Building a SQLAlchemy statement costs several times more than executing a prepared one, and the
study loop runs these on every card, so they are module constants. ``SAVE_MEMORY`` carries the
guard that keeps two answers to one card from overwriting each other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, or_, select, update

from trainer.store.enums import ReviewKind, StudyQueue
from trainer.store.tables import CardState, ReviewLog, table_of

CARDS = table_of(CardState)
LOG = table_of(ReviewLog)
# How many candidates to look at when choosing a card from a different topic.
INTERLEAVE_WINDOW = 12

CARD_ROW = select(CARDS).where(CARDS.c.profile_id == bindparam("pid"), CARDS.c.card_id == bindparam("cid"))
DONE_TODAY = (
    select(LOG.c.state_before, func.count())
    .where(
        LOG.c.profile_id == bindparam("pid"),
        LOG.c.reviewed_at >= bindparam("start"),
        LOG.c.kind != ReviewKind.CRAM,
    )
    .group_by(LOG.c.state_before)
)


def queue_query(queue: StudyQueue, due_bound: bool, order: Any, limit: int) -> Any:
    query = select(CARDS).where(
        CARDS.c.profile_id == bindparam("pid"),
        CARDS.c.queue == queue,
        or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until <= bindparam("now")),
        CARDS.c.card_id != bindparam("exclude"),
    )
    if due_bound:
        query = query.where(CARDS.c.due <= bindparam("due_before"))
    return query.order_by(order).limit(limit)


PICK = {
    StudyQueue.LEARN: queue_query(StudyQueue.LEARN, True, CARDS.c.due, 1),
    StudyQueue.REVIEW: queue_query(StudyQueue.REVIEW, True, CARDS.c.due, INTERLEAVE_WINDOW),
    StudyQueue.NEW: queue_query(StudyQueue.NEW, False, CARDS.c.position, INTERLEAVE_WINDOW),
}
COUNT = {
    queue: select(func.count()).select_from(
        queue_query(queue, queue is not StudyQueue.NEW, CARDS.c.id, 1_000_000).subquery()
    )
    for queue in (StudyQueue.LEARN, StudyQueue.REVIEW, StudyQueue.NEW)
}
# Written only if the row still has the repetitions the answer was computed from: every answer
# adds one, so a concurrent answer that got there first makes this update change nothing.
SAVE_MEMORY = (
    update(CARDS)
    .where(CARDS.c.id == bindparam("row_id"), CARDS.c.reps == bindparam("reps_before"))
    .values(
        {
            name: bindparam(f"v_{name}")
            for name in (
                "state",
                "queue",
                "step",
                "stability",
                "difficulty",
                "due",
                "last_review",
                "reps",
                "lapses",
                "leech",
                "suspended",
                "buried_until",
            )
        }
    )
)
ADD_LOG = LOG.insert()
