"""Undo in the core (trainer.study.undo): a rating, a bury and a suspend taken back exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from trainer.content.graph import introduction_order
from trainer.store.tables import ReviewLog, table_of
from trainer.study import undo
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating
from trainer.study.statements import CARD_ROW

NOW = datetime(2026, 11, 26, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture
def study(engine, small_bank) -> Study:
    study = Study(engine, create_profile(engine, "Ana"))
    study.sync(small_bank, introduction_order(small_bank))
    return study


def row(study: Study, card_id: str) -> dict:
    with study.engine.connect() as conn:
        return dict(conn.execute(CARD_ROW, {"pid": study.profile.id, "cid": card_id}).one()._mapping)


def log_count(study: Study) -> int:
    with study.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table_of(ReviewLog))).scalar_one()


def test_undo_a_rating_restores_the_card_and_drops_its_log_row(study):
    card = study.next_card(NOW).card_id
    study.answer(card, Rating.GOOD, NOW)  # a learning step first, so "before" is not a new card
    original = row(study, card)
    later = NOW + timedelta(minutes=11)
    action = undo.before(study.engine, study.profile.id, card, reviewed_at=later)
    study.answer(card, Rating.AGAIN, later)
    assert log_count(study) == 2 and row(study, card) != original
    undo.undo(study.engine, action)
    assert row(study, card) == original
    assert log_count(study) == 1
    with pytest.raises(undo.UndoError, match="already undone|answered again"):
        undo.undo(study.engine, action)
    # The queue counts read the log again: the undone answer no longer counts today.
    assert Study(study.engine, study.profile).done_today(later) == (1, 0)


def test_undo_refuses_when_the_card_was_answered_again_since(study):
    card = study.next_card(NOW).card_id
    action = undo.before(study.engine, study.profile.id, card, reviewed_at=NOW)
    study.answer(card, Rating.GOOD, NOW)
    study.answer(card, Rating.GOOD, NOW + timedelta(minutes=1))  # e.g. another tab
    with pytest.raises(undo.UndoError, match="answered again"):
        undo.undo(study.engine, action)
    assert log_count(study) == 2


def test_undo_bury_and_suspend(study):
    card = study.next_card(NOW).card_id
    original = row(study, card)
    action = undo.before(study.engine, study.profile.id, card)
    study.bury(card, NOW)
    assert study.next_card(NOW).card_id != card
    undo.undo(study.engine, action)
    assert row(study, card) == original and study.next_card(NOW).card_id == card
    action = undo.before(study.engine, study.profile.id, card)
    study.set_suspended(card, True)
    undo.undo(study.engine, action)
    assert row(study, card) == original
