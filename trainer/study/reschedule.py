"""Postpone and advance a set of cards, with the retention cost shown before anything changes.

Anki's FSRS tools offer both: *postpone* pushes reviews later (a backlog after time off, a busy
week), at the price of lower recall when the cards come back; *advance* brings reviews earlier
(before an exam, before time off), at the price of reviewing while recall is still high, which
strengthens memory less per review. Both are planned first (:func:`plan_shift`): FSRS predicts
each card's recall at the moment it would be reviewed, before and after, and the plan reports the
change; nothing is written until :func:`apply_shift` is called with that plan. A card answered
between the plan and the apply is left alone (its due moved since) and counted.

Cards are chosen by topic, by concept (from the bank's cards) or all overdue ones
(:func:`select_cards`); only cards in review move (learning steps are minutes, new cards have no
due day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.content.model import Bank
from trainer.store.enums import StudyQueue
from trainer.store.statements import writing
from trainer.store.types import utcnow
from trainer.study import statements as sql
from trainer.study.queue import memory_of
from trainer.study.scheduling import Scheduler, Settings

MAX_SHIFT_DAYS = 365


class ShiftError(ValueError):
    """A postpone or advance that cannot be planned; the message says why."""


class Shift(StrEnum):
    POSTPONE = "postpone"
    ADVANCE = "advance"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class CardShift:
    card_id: str
    due_before: datetime
    due_after: datetime
    recall_before: float  # predicted recall when it would be reviewed, unchanged
    recall_after: float  # ... and after the shift


@dataclass(frozen=True)
class ShiftPlan:
    """What a postpone or advance would do; apply it with :func:`apply_shift`."""

    shift: Shift
    days: int
    changes: tuple[CardShift, ...]
    skipped: int  # chosen but not in review (new, learning, suspended), or overdue for advance

    @property
    def mean_recall_before(self) -> float:
        return sum(c.recall_before for c in self.changes) / len(self.changes) if self.changes else 0.0

    @property
    def mean_recall_after(self) -> float:
        return sum(c.recall_after for c in self.changes) / len(self.changes) if self.changes else 0.0

    @property
    def recall_change(self) -> float:
        """Mean change of predicted recall at review (negative: postponing costs memory)."""
        return self.mean_recall_after - self.mean_recall_before

    def describe(self) -> str:
        if not self.changes:
            return f"No card to {self.shift.value}: none of the chosen cards is in review."
        verb = "Postponing" if self.shift is Shift.POSTPONE else "Advancing"
        text = (
            f"{verb} {len(self.changes)} card(s) by {self.days} day(s) changes predicted recall at "
            f"review from {self.mean_recall_before:.1%} to {self.mean_recall_after:.1%} "
            f"({self.recall_change * 100:+.1f} points)."
        )
        if self.shift is Shift.ADVANCE:
            text += " Reviews while recall is high strengthen memory less, so they count for less."
        return text + (f" {self.skipped} chosen card(s) are not in review and stay." if self.skipped else "")

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "shift": self.shift.value,
            "days": self.days,
            "cards": len(self.changes),
            "skipped": self.skipped,
            "mean_recall_before": round(self.mean_recall_before, 4),
            "mean_recall_after": round(self.mean_recall_after, 4),
            "recall_change": round(self.recall_change, 4),
        }


def select_cards(
    engine: Engine,
    profile_id: int,
    *,
    topic: str | None = None,
    concept: str | None = None,
    bank: Bank | None = None,
    overdue: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Card ids in review chosen by topic, concept (needs ``bank``) and/or being overdue."""
    now = now or utcnow()
    cards = sql.CARDS
    query = select(cards.c.card_id).where(
        cards.c.profile_id == profile_id, cards.c.queue == StudyQueue.REVIEW
    )
    if topic:
        query = query.where(cards.c.topic == topic)
    if concept:
        if bank is None:
            raise ShiftError("choosing cards by concept needs the content bank")
        ids = [c.id for c in bank.cards.values() if concept in c.concepts]
        if not ids:
            raise ShiftError(f"no card teaches the concept {concept!r}")
        query = query.where(cards.c.card_id.in_(ids))
    if overdue:
        query = query.where(cards.c.due <= now)
    with engine.connect() as conn:
        return list(conn.execute(query.order_by(cards.c.card_id)).scalars())


def plan_shift(
    engine: Engine,
    profile_id: int,
    settings: Settings,
    card_ids: Iterable[str],
    shift: Shift,
    days: int,
    now: datetime | None = None,
) -> ShiftPlan:
    """Plan moving the cards ``days`` later (postpone) or earlier (advance; never before now)."""
    if not 1 <= days <= MAX_SHIFT_DAYS:
        raise ShiftError(f"days: give a number between 1 and {MAX_SHIFT_DAYS}")
    now = now or utcnow()
    scheduler = Scheduler(settings)
    ids = sorted(set(card_ids))
    with engine.connect() as conn:
        rows = conn.execute(
            select(sql.CARDS).where(sql.CARDS.c.profile_id == profile_id, sql.CARDS.c.card_id.in_(ids))
        ).all()
    changes = []
    for row in rows:
        memory = memory_of(row)
        if row.queue != StudyQueue.REVIEW or memory.due is None:
            continue
        reviewed_at = max(memory.due, now)  # an overdue card would be reviewed now
        if shift is Shift.POSTPONE:
            new_due = reviewed_at + timedelta(days=days)
        else:
            if memory.due <= now:
                continue  # already due: nothing to advance
            new_due = max(now, memory.due - timedelta(days=days))
        changes.append(
            CardShift(
                card_id=memory.card_id,
                due_before=memory.due,
                due_after=new_due,
                recall_before=scheduler.retrievability(memory, reviewed_at),
                recall_after=scheduler.retrievability(memory, new_due),
            )
        )
    return ShiftPlan(shift, days, tuple(changes), skipped=len(ids) - len(changes))


def apply_shift(engine: Engine, profile_id: int, plan: ShiftPlan, actor: Actor | None = None) -> int:
    """Write a plan's new due moments in one transaction; returns how many cards moved. A card
    whose due changed since the plan (answered meanwhile) is left as it is."""
    require_profile(engine, actor, profile_id)
    moved = 0
    cards = sql.CARDS
    with writing(engine) as conn:
        for change in plan.changes:
            moved += conn.execute(
                update(cards)
                .where(
                    cards.c.profile_id == profile_id,
                    cards.c.card_id == change.card_id,
                    cards.c.due == change.due_before,
                    cards.c.queue == StudyQueue.REVIEW,
                )
                .values(due=change.due_after)
            ).rowcount
    return moved
