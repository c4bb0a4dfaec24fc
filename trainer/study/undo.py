"""Undo the last study action: a rating, a bury or a suspend, as Anki's Ctrl+Z does.

Before the action the card's row is read (:func:`before`); undoing writes those values back
and, for a rating, deletes the review-log row the rating added, in one transaction. The review
log is otherwise append-only: an undone rating is one the learner takes back seconds later, and
keeping it would count a review that no longer shaped the schedule.

Undo refuses, in words, when the card changed since (answered again in another tab, or the
rating already undone): writing the old row back then would erase an answer that still counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.store.enums import ReviewKind
from trainer.store.statements import writing
from trainer.study import statements as sql

RESTORED = sql.MEMORY_COLUMNS


class UndoError(ValueError):
    """Nothing to undo any more; the message says why."""


@dataclass(frozen=True)
class Undoable:
    """One action that can be taken back: the card's row before it, and for a rating the time
    of the answer, which finds its review-log row and tells whether the card changed since."""

    profile_id: int
    card_id: str
    before: dict[str, Any]
    reviewed_at: datetime | None = None  # None: a bury or a suspend (no log row)


def before(
    engine: Engine,
    profile_id: int,
    card_id: str,
    reviewed_at: datetime | None = None,
    actor: Actor | None = None,
) -> Undoable:
    """The card's row now, to be restored if the action about to happen is undone. With sign-in
    on, one's own profile only (``undo`` checks again: the action is only data)."""
    require_profile(engine, actor, profile_id)
    with engine.connect() as conn:
        row = conn.execute(sql.CARD_ROW, {"pid": profile_id, "cid": card_id}).first()
    if row is None:
        raise UndoError("That card is not in this profile's collection.")
    values = row._mapping
    return Undoable(profile_id, card_id, {name: values[name] for name in RESTORED}, reviewed_at)


def undo(engine: Engine, action: Undoable, actor: Actor | None = None) -> None:
    """Put the card back as it was before ``action`` and drop the rating's log row, together.
    With sign-in on, one's own profile only."""
    require_profile(engine, actor, action.profile_id)
    with writing(engine) as conn:
        row = conn.execute(sql.CARD_ROW_LOCKED, {"pid": action.profile_id, "cid": action.card_id}).first()
        if row is None:
            raise UndoError("That card is not in this profile's collection.")
        # The card's last answer must still be the one being undone (or, for a bury or a
        # suspend, the one it had before): otherwise a later answer would be erased.
        expected = action.reviewed_at or action.before["last_review"]
        if row.last_review != expected:
            raise UndoError("This card was answered again since, so there is nothing to undo.")
        if action.reviewed_at is not None:
            log_id = conn.execute(
                select(sql.LOG.c.id)
                .where(
                    sql.LOG.c.profile_id == action.profile_id,
                    sql.LOG.c.card_id == action.card_id,
                    sql.LOG.c.reviewed_at == action.reviewed_at,
                    sql.LOG.c.kind == ReviewKind.REVIEW,
                )
                .order_by(sql.LOG.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if log_id is None:
                raise UndoError("That answer was already undone.")
            conn.execute(delete(sql.LOG).where(sql.LOG.c.id == log_id))
        values = dict(action.before)
        if "version" in sql.CARDS.c:  # optimistic concurrency: a restore is a change like any other
            values["version"] = row.version + 1
        conn.execute(update(sql.CARDS).where(sql.CARDS.c.id == row.id).values(**values))
