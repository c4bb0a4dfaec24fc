"""Scenario questions mixed into daily reviews: they review their linked cards."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.conftest import card_yaml
from tests.test_content import question
from trainer.content.graph import introduction_order
from trainer.content.loader import load_bank
from trainer.store.tables import ReviewLog
from trainer.study.profiles import create_profile, update_settings
from trainer.study.queue import Study
from trainer.study.scenario_questions import QUESTION_EVERY, question_for, question_turn
from trainer.study.scheduling import Rating

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def bank_with_question(write_content):
    write_content("cards.yaml", "cards:\n" + card_yaml("a1") + card_yaml("a2") + card_yaml("a3"))
    write_content("q.yaml", question(answer="2", cards="a1, a2"))
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    return bank


def studied(engine, bank, *card_ids) -> Study:
    profile = create_profile(engine, "Ana")
    profile = update_settings(engine, profile.id, new_per_day=50)
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    for card_id in card_ids:
        study.answer(card_id, Rating.EASY, NOW)
    return study


def test_question_only_when_all_linked_cards_started(engine, bank_with_question):
    study = studied(engine, bank_with_question, "a1")
    assert question_for(study, bank_with_question, "a1", NOW) is None
    study.answer("a2", Rating.EASY, NOW)
    assert question_for(study, bank_with_question, "a1", NOW).id == "q1"
    assert question_for(study, bank_with_question, "a3", NOW) is None  # no question links a3


def test_right_answer_reviews_linked_cards_good_wrong_again(engine, bank_with_question):
    study = studied(engine, bank_with_question, "a1", "a2")
    later = NOW + timedelta(days=30)
    q = bank_with_question.questions["q1"]
    assert study.answer_question(q, [2], later) is True
    with engine.connect() as conn:
        rows = conn.execute(select(ReviewLog.__table__).where(ReviewLog.__table__.c.kind == "question")).all()
    assert {(r.card_id, r.rating, r.question_id) for r in rows} == {("a1", 3, "q1"), ("a2", 3, "q1")}
    # The question now rests for a week.
    assert question_for(study, bank_with_question, "a1", later + timedelta(days=1)) is None
    much_later = later + timedelta(days=8)
    assert study.answer_question(q, [0], much_later) is False
    assert study.memory("a1").lapses == 1 and study.memory("a2").lapses == 1


def test_every_third_review_is_a_question_turn(engine, bank_with_question):
    study = studied(engine, bank_with_question, "a1", "a2", "a3")
    later = NOW + timedelta(days=60)
    turns = []
    for card_id in ("a1", "a2", "a3"):
        turns.append(question_turn(study, later))
        study.answer(card_id, Rating.GOOD, later)
    assert turns == [(i + 1) % QUESTION_EVERY == 0 for i in range(3)]
