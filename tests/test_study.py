"""The study queue and the store: limits, order, interleaving, transactions, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from trainer.content.graph import introduction_order
from trainer.content.loader import load_bank
from trainer.store.engine import make_engine
from trainer.store.tables import CardState, ReviewLog
from trainer.study.practice_ahead import record_practice, weakest_first
from trainer.study.profiles import ProfileError, create_profile, update_settings
from trainer.study.queue import Study, StudyError
from trainer.study.scheduling import Rating

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def make_study(engine, bank, name="Ana", **settings) -> Study:
    profile = create_profile(engine, name)
    if settings:
        profile = update_settings(engine, profile.id, **settings)
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    return study


def log_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ReviewLog.__table__)).scalar_one()


def test_introduction_order_respects_prerequisites_and_interleaves(small_bank):
    order = introduction_order(small_bank)
    assert order.index("a1") < order.index("b1")  # b1's concept requires a1's concept
    topics = [small_bank.cards[c].topic for c in order]
    switches = sum(1 for x, y in zip(topics, topics[1:], strict=False) if x != y)
    assert switches >= 3  # topics alternate rather than coming in blocks


def test_new_cards_limited_per_day_then_next_day(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=2)
    assert study.counts(NOW).new == 2
    seen = []
    for _ in range(2):
        card = study.next_card(NOW)
        seen.append(card.card_id)
        study.answer(card.card_id, Rating.EASY, NOW)  # straight to review, leaves the learn queue
    assert study.next_card(NOW) is None
    assert study.counts(NOW).new == 0
    tomorrow = NOW + timedelta(days=1)
    assert study.next_card(tomorrow).card_id not in seen
    assert study.counts(tomorrow).new == 2


def test_learning_card_comes_back_after_its_step(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=1)
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.GOOD, NOW)  # learning, due in 10 minutes
    assert study.counts(NOW).learning == 1
    # Nothing else is due; Anki shows learning cards up to 20 minutes early.
    assert study.next_card(NOW).card_id == card.card_id
    study.answer(card.card_id, Rating.GOOD, NOW + timedelta(minutes=10))
    assert study.memory(card.card_id).state == "review"


def test_reviews_limit_and_due_order(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=10, reviews_per_day=2)
    for _ in range(6):
        card = study.next_card(NOW)
        study.answer(card.card_id, Rating.EASY, NOW)
    later = NOW + timedelta(days=60)
    assert study.counts(later).review == 2
    for _ in range(2):
        card = study.next_card(later)
        assert card.queue == "review"
        study.answer(card.card_id, Rating.GOOD, later)
    assert study.next_card(later) is None


def test_interleaving_prefers_another_topic(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=10)
    last = None
    topics = []
    for _ in range(4):
        card = study.next_card(NOW, last_topic=last)
        topics.append(card.topic)
        study.answer(card.card_id, Rating.EASY, NOW)
        last = card.topic
    assert all(x != y for x, y in zip(topics, topics[1:], strict=False))


def test_answer_is_one_transaction(engine, small_bank, monkeypatch):
    """If writing the log row fails, the memory update is rolled back with it."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from trainer.study import statements as study_sql

    study = make_study(engine, small_bank)
    card = study.next_card(NOW)
    before = study.memory(card.card_id)
    broken = study_sql.HotStatement(text("INSERT INTO no_such_table VALUES (1)"))
    monkeypatch.setattr(study_sql, "HOT_ADD_LOG", broken)  # the log row an answer writes
    with pytest.raises(DBAPIError):
        study.answer(card.card_id, Rating.GOOD, NOW)
    monkeypatch.undo()
    assert study.memory(card.card_id) == before  # the state update was rolled back
    assert log_count(engine) == 0
    study.answer(card.card_id, Rating.GOOD, NOW)
    assert log_count(engine) == 1 and study.memory(card.card_id).reps == 1


def test_bury_and_suspend(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=10)
    card = study.next_card(NOW)
    study.bury(card.card_id, NOW)
    assert study.next_card(NOW).card_id != card.card_id
    assert study.next_card(NOW + timedelta(days=1), exclude=None) is not None
    other = study.next_card(NOW)
    study.set_suspended(other.card_id, True)
    ids = set()
    for _ in range(10):
        nxt = study.next_card(NOW)
        if nxt is None:
            break
        ids.add(nxt.card_id)
        study.answer(nxt.card_id, Rating.EASY, NOW)
    assert card.card_id not in ids and other.card_id not in ids
    study.set_suspended(other.card_id, False)
    assert study.memory(other.card_id).suspended is False
    with pytest.raises(StudyError):
        study.bury("no-such-card", NOW)


def test_cram_does_not_touch_the_schedule(engine, small_bank):
    study = make_study(engine, small_bank)
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.EASY, NOW)
    before = study.memory(card.card_id)
    queue = weakest_first(study, now=NOW)
    assert queue[0] == card.card_id  # the only studied card comes first, never-seen after
    record_practice(study, card.card_id, Rating.AGAIN, NOW)
    assert study.memory(card.card_id) == before
    assert study.counts(NOW).new == study.counts(NOW).new  # cram is not counted as new
    assert study.done_today(NOW) == (1, 0)


def test_removed_card_keeps_history_and_comes_back(engine, small_bank, write_content):
    study = make_study(engine, small_bank)
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.EASY, NOW)
    remembered = study.memory(card.card_id)
    smaller = load_bank([write_content.root])
    del smaller.cards[card.card_id]
    study.sync(smaller, introduction_order(smaller))
    with engine.connect() as conn:
        row = conn.execute(
            select(CardState.__table__).where(CardState.__table__.c.card_id == card.card_id)
        ).one()
    assert row.retired and row.queue == "retired"
    assert all(study.next_card(NOW + timedelta(days=400)).card_id != card.card_id for _ in range(3))
    study.sync(small_bank, introduction_order(small_bank))
    assert study.memory(card.card_id) == remembered
    assert log_count(engine) == 1


def test_schedule_survives_restart(tmp_path, small_bank):
    url = f"sqlite:///{tmp_path / 'trainer.db'}"
    study = make_study(make_engine(url), small_bank)
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.GOOD, NOW)
    # A new engine is what a restarted server gets.
    engine = make_engine(url)
    from trainer.study.profiles import find_profile

    again = Study(engine, find_profile(engine, "Ana"))
    assert again.memory(card.card_id).state == "learning"
    assert again.counts(NOW).learning == 1
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_profiles_are_separate_and_names_unique(engine, small_bank):
    ana = make_study(engine, small_bank, "Ana")
    ben = make_study(engine, small_bank, "Ben")
    card = ana.next_card(NOW)
    ana.answer(card.card_id, Rating.EASY, NOW)
    assert ben.memory(card.card_id).state == "new"
    with pytest.raises(ProfileError, match="already exists"):
        create_profile(engine, "Ana")
    with pytest.raises(ProfileError, match="at most"):
        create_profile(engine, "x" * 61)
    with pytest.raises(ProfileError, match="learning steps"):
        update_settings(engine, ana.profile.id, learning_steps="soon")


def test_next_due_at_for_empty_state(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=1)
    card = study.next_card(NOW)
    study.answer(card.card_id, Rating.EASY, NOW)
    assert study.next_card(NOW) is None
    due = study.next_due_at(NOW)
    # New cards come back at the next 4 AM, before the reviewed card's first interval.
    assert due == datetime(2026, 11, 27, 4, 0, tzinfo=UTC)


def test_mark_for_review_brings_cards_forward(engine, small_bank):
    study = make_study(engine, small_bank, new_per_day=10)
    first = study.next_card(NOW)
    study.answer(first.card_id, Rating.EASY, NOW)  # now due in days
    untouched = introduction_order(small_bank)[-1]
    moved = study.mark_for_review([first.card_id, untouched], NOW)
    assert moved == 2
    study.sync(small_bank, introduction_order(small_bank))  # a later session keeps the move
    assert study.next_card(NOW).card_id == first.card_id  # due now, reviews come first
    study.answer(first.card_id, Rating.GOOD, NOW)
    assert study.next_card(NOW).card_id == untouched  # front of the new queue
