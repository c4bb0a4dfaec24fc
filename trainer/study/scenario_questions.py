"""Scenario questions in daily study: when a due review is asked as a question, and which one.

Cards teach facts; exam questions ask to apply them. Every :data:`QUESTION_EVERY`-th due review
is asked as a scenario question that exercises the card, when one fits: enough practice in
applying what the cards teach without turning daily reviews into an exam. Answering it is
:meth:`trainer.study.queue.Study.answer_question` (it writes the linked cards' memory).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from trainer.content.model import Bank, Question
from trainer.store.enums import MemoryState
from trainer.store.types import utcnow
from trainer.study import statements as sql
from trainer.study.queue import Study

QUESTION_EVERY = 3
QUESTION_REST = timedelta(days=7)  # a question answered rests a week before it is asked again
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def question_turn(study: Study, now: datetime | None = None) -> bool:
    """Whether the next due review should be asked as a scenario question instead."""
    _, reviews_done = study.done_today(now or utcnow())
    return (reviews_done + 1) % QUESTION_EVERY == 0


def question_for(study: Study, bank: Bank, card_id: str, now: datetime | None = None) -> Question | None:
    """A question that exercises this card and has not been answered for QUESTION_REST, the one
    rested longest (never answered first).

    Only questions whose linked cards the learner has all started qualify, so a question never
    tests a concept that has not been introduced yet.
    """
    now = now or utcnow()
    candidates = [q for q in bank.questions.values() if card_id in q.cards]
    if not candidates:
        return None
    linked = {c for q in candidates for c in q.cards}
    with study.engine.connect() as conn:
        started = set(
            conn.execute(
                select(sql.CARDS.c.card_id).where(
                    sql.CARDS.c.profile_id == study.profile.id,
                    sql.CARDS.c.card_id.in_(linked),
                    sql.CARDS.c.state != MemoryState.NEW,
                )
            ).scalars()
        )
        recent: dict[str, datetime] = dict(
            conn.execute(
                select(sql.LOG.c.question_id, func.max(sql.LOG.c.reviewed_at))
                .where(
                    sql.LOG.c.profile_id == study.profile.id,
                    sql.LOG.c.question_id.in_([q.id for q in candidates]),
                )
                .group_by(sql.LOG.c.question_id)
            ).all()
        )
    rest_until = now - QUESTION_REST
    ready = [
        q for q in candidates if set(q.cards) <= started and (q.id not in recent or recent[q.id] < rest_until)
    ]
    if not ready:
        return None
    return min(ready, key=lambda q: (recent.get(q.id, _EPOCH), q.id))
