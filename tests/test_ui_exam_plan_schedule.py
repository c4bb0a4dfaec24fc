"""The Exam plan page's Schedule section through AppTest (issue 14): easy days and load balancing
saved to the profile's calendar, a vacation set (the cards due in it moved out, and said so) and
removed, and a postpone or advance planned with its recall cost first and applied only on
confirmation (then exactly that plan)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.content.graph import introduction_order
from trainer.store.engine import get_engine
from trainer.store.tables import CardState
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile, get_profile
from trainer.study.queue import Study
from trainer.study.reschedule import Shift
from trainer.study.scheduling import Rating, Settings, study_date
from trainer.study.study_days import calendar_of

APP = str(ROOT / "app.py")
PAGE = "trainer/ui/exam_plan.py"
CARDS = CardState.__table__


@pytest.fixture
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def today() -> date:
    return study_date(utcnow(), Settings())


def studied(url: str, bank) -> int:
    """A profile whose six cards are in review, due 8, 9, ... 13 days from today at noon."""
    engine = get_engine(url)
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    for i, card_id in enumerate(sorted(bank.cards)):
        study.answer(card_id, Rating.EASY, utcnow() - timedelta(days=3))
        due = datetime.combine(today() + timedelta(days=8 + i), datetime.min.time(), UTC) + timedelta(
            hours=12
        )
        with engine.begin() as conn:
            conn.execute(
                update(CARDS)
                .where(CARDS.c.profile_id == profile.id, CARDS.c.card_id == card_id)
                .values(due=due, stability=15.0)
            )
    assert profile.id is not None
    return profile.id


def dues(url: str, pid: int) -> dict[str, datetime]:
    with get_engine(url).connect() as conn:
        rows = conn.execute(select(CARDS.c.card_id, CARDS.c.due).where(CARDS.c.profile_id == pid)).all()
    return {r.card_id: r.due for r in rows}


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def calendar(url: str, pid: int) -> dict:
    profile = get_profile(get_engine(url), pid)
    assert profile is not None
    return calendar_of(profile)


def test_easy_days_and_load_balancing_are_saved(isolated):
    pid = create_profile(get_engine(isolated), "Ana").id
    at = open_page()
    assert at.segmented_control(key="schedule_day_saturday").value == 100
    at.toggle(key="schedule_load_balancing").set_value(False)
    at.segmented_control(key="schedule_day_saturday").set_value(50)
    at.segmented_control(key="schedule_day_sunday").set_value(0)
    at.button(key="FormSubmitter:schedule_days_form-Save easy days").click().run()
    assert not at.exception, at.exception
    saved = calendar(isolated, pid)
    assert saved["load_balancing"] is False
    assert saved["easy_days"] == (100, 100, 100, 100, 100, 50, 0)
    assert at.segmented_control(key="schedule_day_sunday").value == 0  # shown as stored


def test_a_vacation_moves_the_cards_due_in_it_and_can_be_removed(isolated, small_bank):
    pid = studied(isolated, small_bank)
    first, last = today() + timedelta(days=9), today() + timedelta(days=11)
    at = open_page()
    at.date_input(key="schedule_vacation_days").set_value((first, last))
    at.button(key="FormSubmitter:schedule_vacation_form-Set vacation").click().run()
    assert not at.exception, at.exception
    assert calendar(isolated, pid)["vacation"] == (first, last)
    days = [study_date(due, Settings()) for due in dues(isolated, pid).values()]
    assert not [d for d in days if first <= d <= last]  # three cards were due in it
    assert any(
        s.value.startswith("Vacation set.") and "moved before the vacation" in s.value for s in at.success
    )
    assert any("no reviews are due on those days" in i.value for i in at.info)
    at.button(key="schedule_vacation_remove").click().run()
    assert not at.exception, at.exception
    assert calendar(isolated, pid)["vacation"] is None


def test_a_vacation_needs_both_days(isolated):
    pid = create_profile(get_engine(isolated), "Ana").id
    at = open_page()
    at.date_input(key="schedule_vacation_days").set_value((today() + timedelta(days=3),))
    at.button(key="FormSubmitter:schedule_vacation_form-Set vacation").click().run()
    assert any("first and last day" in e.value for e in at.error)
    assert calendar(isolated, pid)["vacation"] is None


def test_postpone_shows_the_cost_first_and_moves_only_on_confirm(isolated, small_bank):
    pid = studied(isolated, small_bank)
    before = dues(isolated, pid)
    at = open_page()
    at.selectbox(key="schedule_shift_cards").set_value("topic:alpha")
    at.number_input(key="schedule_shift_days").set_value(5)
    at.button(key="FormSubmitter:schedule_shift_form-Show the cost").click().run()
    assert not at.exception, at.exception
    cost = next(w.value for w in at.warning if w.value.startswith("Postponing 3 card(s) by 5 day(s)"))
    assert "changes predicted recall at review from" in cost
    assert dues(isolated, pid) == before  # nothing moved yet
    at.button(key="schedule_shift_confirm").click().run()
    assert not at.exception, at.exception
    after = dues(isolated, pid)
    for card_id in ("a1", "a2", "a3"):
        assert after[card_id] - before[card_id] == timedelta(days=5)
    for card_id in ("b1", "b2", "b3"):
        assert after[card_id] == before[card_id]
    assert not [b for b in at.button if b.key == "schedule_shift_confirm"]  # the plan is done


def test_advance_can_be_cancelled(isolated, small_bank):
    pid = studied(isolated, small_bank)
    before = dues(isolated, pid)
    at = open_page()
    at.selectbox(key="schedule_shift_cards").set_value("topic:beta")
    at.segmented_control(key="schedule_shift_kind").set_value(Shift.ADVANCE)
    at.number_input(key="schedule_shift_days").set_value(3)
    at.button(key="FormSubmitter:schedule_shift_form-Show the cost").click().run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("Advancing 3 card(s) by 3 day(s)") for i in at.info)
    assert at.button(key="schedule_shift_confirm").label == "Advance 3 card(s)"
    at.button(key="schedule_shift_cancel").click().run()
    assert dues(isolated, pid) == before
    assert not [b for b in at.button if b.key == "schedule_shift_confirm"]
