"""The study loop's SQL, built once.

Building a SQLAlchemy statement costs several times more than executing a prepared one, and the
study loop runs these on every card, so they are module constants. An answer reads its card
with ``CARD_ROW_LOCKED`` inside a :func:`trainer.store.statements.writing` transaction, which keeps
two answers to one card from overwriting each other.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, func, or_, select, union_all, update

from trainer.store.enums import ReviewKind, StudyQueue
from trainer.store.statements import locked
from trainer.store.tables import CardState, ReviewLog, table_of
from trainer.study.hot_sql import HotStatement

CARDS = table_of(CardState)
LOG = table_of(ReviewLog)
# How many candidates to look at when choosing a card from a different topic.
INTERLEAVE_WINDOW = 12

CARD_ROW = select(CARDS).where(CARDS.c.profile_id == bindparam("pid"), CARDS.c.card_id == bindparam("cid"))
CARD_ROW_LOCKED = locked(CARD_ROW)
DONE_TODAY = (
    select(LOG.c.state_before, func.count())
    .where(
        LOG.c.profile_id == bindparam("pid"),
        LOG.c.reviewed_at >= bindparam("start"),
        LOG.c.kind != ReviewKind.CRAM,
    )
    .group_by(LOG.c.state_before)
)


# What the queue needs to show a card and to interleave topics (trainer.study.queue.QueuedCard):
# reading the whole row would convert a dozen columns of every candidate for nothing.
QUEUED = (CARDS.c.card_id, CARDS.c.topic, CARDS.c.queue)


def queue_query(queue: StudyQueue, due_bound: str | None, order: Any, limit: int) -> Any:
    """Cards of one queue, not buried, due by the parameter ``due_bound`` names (if any)."""
    query = select(*QUEUED).where(
        CARDS.c.profile_id == bindparam("pid"),
        CARDS.c.queue == queue,
        or_(CARDS.c.buried_until.is_(None), CARDS.c.buried_until <= bindparam("now")),
        CARDS.c.card_id != bindparam("exclude"),
    )
    if due_bound:
        query = query.where(CARDS.c.due <= bindparam(due_bound))
    return query.order_by(order).limit(limit)


PICK = {
    StudyQueue.LEARN: queue_query(StudyQueue.LEARN, "due_before", CARDS.c.due, 1),
    StudyQueue.REVIEW: queue_query(StudyQueue.REVIEW, "due_before", CARDS.c.due, INTERLEAVE_WINDOW),
    StudyQueue.NEW: queue_query(StudyQueue.NEW, None, CARDS.c.position, INTERLEAVE_WINDOW),
}
# The learning card due now and the reviews due today, in one round trip: the queue needs both
# for nearly every card it picks (the rows' ``queue`` tells them apart).
PICK_DUE = union_all(
    select(queue_query(StudyQueue.LEARN, "now", CARDS.c.due, 1).subquery()),
    select(PICK[StudyQueue.REVIEW].subquery()),
)
COUNT = {
    queue: select(func.count()).select_from(
        queue_query(
            queue, None if queue is StudyQueue.NEW else "due_before", CARDS.c.id, 1_000_000
        ).subquery()
    )
    for queue in (StudyQueue.LEARN, StudyQueue.REVIEW, StudyQueue.NEW)
}
# The card's row was read with CARD_ROW_LOCKED in the same transaction, so it is still the one the
# answer was computed from.
# What a rating, a bury or a suspend can change on a card's row (an undo restores the same).
MEMORY_COLUMNS = (
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
SAVE_MEMORY = (
    update(CARDS)
    .where(CARDS.c.id == bindparam("row_id"))
    .values({name: bindparam(f"v_{name}") for name in MEMORY_COLUMNS})
)
ADD_LOG = LOG.insert()
# A log row as an answer writes it: every column but the id, each a parameter of that name.
ADD_LOG_ROW = LOG.insert().values({c.name: bindparam(c.name) for c in LOG.columns if c.name != "id"}).inline()

# The rating and next-card path on the driver's cursor (trainer.study.hot_sql).
HOT_CARD_ROW_LOCKED = HotStatement(CARD_ROW_LOCKED)
HOT_SAVE_MEMORY = HotStatement(SAVE_MEMORY)
HOT_ADD_LOG = HotStatement(ADD_LOG_ROW)
HOT_PICK_DUE = HotStatement(PICK_DUE)
