"""The study loop's statements on the driver's cursor (trainer.study.hot_sql), on SQLite and
PostgreSQL: they read and write exactly what the same statements do through SQLAlchemy (times to
the microsecond and in UTC, enums, booleans), and a driver error arrives as SQLAlchemy's own
exception class, so the error boundary words it as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from trainer.content.graph import introduction_order
from trainer.store.enums import MemoryState, ReviewKind, StudyQueue
from trainer.store.statements import writing
from trainer.study import statements as sql
from trainer.study.hot_sql import read_card
from trainer.study.profiles import create_profile
from trainer.study.queue import Study, memory_of
from trainer.study.scheduling import Rating

NOW = datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC)


def studied(engine, bank) -> Study:
    study = Study(engine, create_profile(engine, "Ana"))
    study.sync(bank, introduction_order(bank))
    study.answer("a1", Rating.EASY, NOW - timedelta(days=3))
    study.answer("a2", Rating.AGAIN, NOW - timedelta(minutes=3))
    study.set_suspended("a2", True)
    return study


def test_the_card_row_reads_as_through_sqlalchemy(engine, small_bank):
    study = studied(engine, small_bank)
    for card_id in ("a1", "a2", "b1"):
        with engine.connect() as conn:
            slow = conn.execute(sql.CARD_ROW, {"pid": study.profile.id, "cid": card_id}).one()
            fast = read_card(sql.HOT_CARD_ROW_LOCKED, conn, {"pid": study.profile.id, "cid": card_id})
        assert fast is not None
        assert fast.memory == memory_of(slow)
        assert (fast.id, fast.card_id, fast.queue, fast.due, fast.retired) == (
            slow.id,
            slow.card_id,
            slow.queue,
            slow.due,
            slow.retired,
        )
        assert fast.due is None or fast.due.tzinfo is UTC
    with engine.connect() as conn:
        assert read_card(sql.HOT_CARD_ROW_LOCKED, conn, {"pid": study.profile.id, "cid": "nope"}) is None


def test_writes_read_back_exactly(engine, small_bank):
    study = studied(engine, small_bank)
    when = datetime(2026, 12, 1, 9, 30, 15, 654321, tzinfo=timezone(timedelta(hours=-5)))
    with writing(engine) as conn:
        row = read_card(sql.HOT_CARD_ROW_LOCKED, conn, {"pid": study.profile.id, "cid": "b1"})
        assert row is not None
        sql.HOT_SAVE_MEMORY.execute(
            conn,
            {
                "row_id": row.id,
                "v_state": MemoryState.REVIEW,
                "v_queue": StudyQueue.REVIEW,
                "v_step": None,
                "v_stability": 12.5,
                "v_difficulty": 4.25,
                "v_due": when,
                "v_last_review": NOW,
                "v_reps": 4,
                "v_lapses": 1,
                "v_leech": True,
                "v_suspended": False,
                "v_buried_until": None,
            },
        )
        sql.HOT_ADD_LOG.execute(
            conn,
            {
                "profile_id": study.profile.id,
                "card_id": "b1",
                "rating": 3,
                "reviewed_at": when,
                "duration_ms": 4200,
                "kind": ReviewKind.REVIEW,
                "state_before": MemoryState.LEARNING,
                "state_after": MemoryState.REVIEW,
                "due_after": when,
                "stability_after": 12.5,
                "difficulty_after": 4.25,
                "interval_days": 5.5,
                "question_id": None,
            },
        )
    memory = study.memory("b1")
    assert (memory.state, memory.due, memory.last_review, memory.leech, memory.reps) == (
        MemoryState.REVIEW,
        when.astimezone(UTC),
        NOW,
        True,
        4,
    )
    with engine.connect() as conn:
        log = conn.execute(select(sql.LOG).where(sql.LOG.c.card_id == "b1")).one()
    assert log.reviewed_at == when.astimezone(UTC) and log.kind == ReviewKind.REVIEW
    assert log.state_before == MemoryState.LEARNING and log.interval_days == 5.5


def test_the_due_pick_equals_sqlalchemys(engine, small_bank):
    study = studied(engine, small_bank)
    params = study._params(NOW + timedelta(days=30))
    with engine.connect() as conn:
        slow = [tuple(r) for r in conn.execute(sql.PICK_DUE, params)]
        fast = [tuple(r) for r in sql.HOT_PICK_DUE.execute(conn, params).fetchall()]
    assert fast == slow and [r[0] for r in fast] == ["a1"]  # a2 is suspended


def test_a_naive_time_is_refused_and_driver_errors_are_sqlalchemys(engine, small_bank):
    study = studied(engine, small_bank)
    with pytest.raises(ValueError, match="without a time zone"), engine.connect() as conn:
        sql.HOT_PICK_DUE.execute(conn, {**study._params(NOW), "now": datetime(2026, 1, 1)})
    values = {
        "profile_id": 999_999,  # no such profile: the foreign key refuses the row
        "card_id": "a1",
        "rating": 3,
        "reviewed_at": NOW,
        "duration_ms": None,
        "kind": ReviewKind.REVIEW,
        "state_before": MemoryState.NEW,
        "state_after": MemoryState.LEARNING,
        "due_after": NOW,
        "stability_after": None,
        "difficulty_after": None,
        "interval_days": None,
        "question_id": None,
    }
    with pytest.raises(IntegrityError), writing(engine) as conn:
        sql.HOT_ADD_LOG.execute(conn, values)
    study.answer("a1", Rating.GOOD, NOW)  # the pool's connection is still good


def test_cursor_event_listeners_still_see_every_statement_of_a_rating(engine, small_bank):
    """Tracing (or a test making the database fail) hooks SQLAlchemy's cursor events: while one
    listens, the rating's statements go through SQLAlchemy, with the same result."""
    from sqlalchemy import event

    study = studied(engine, small_bank)
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_):
        seen.append(statement.split()[0].upper())

    event.listen(engine, "before_cursor_execute", listen)
    try:
        card = study.next_card(NOW + timedelta(days=30))
        assert card is not None and card.card_id == "a1"
        outcome = study.answer("a1", Rating.GOOD, NOW + timedelta(days=30))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert {"UPDATE", "INSERT"} <= set(seen) and seen.count("SELECT") >= 2
    assert study.memory("a1") == outcome.memory
