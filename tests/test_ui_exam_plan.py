"""The Exam plan page through AppTest (issue 14): exam date set and cleared, the plan's message when
the maximum makes the date unreachable, the readiness forecast, the workload planner saving the
retention picked, and "Fit my parameters" saying why it cannot fit yet."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.store.engine import get_engine
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile, get_profile, update_settings
from trainer.study.scheduling import Settings, study_date

APP = str(ROOT / "app.py")
PAGE = "trainer/ui/exam_plan.py"


@pytest.fixture
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def open_page(url: str, **settings) -> tuple[AppTest, int]:
    engine = get_engine(url)
    profile = create_profile(engine, "Ana")
    assert profile.id is not None
    if settings:
        update_settings(engine, profile.id, **settings)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at, profile.id


def today() -> object:
    return study_date(utcnow(), Settings())


def test_set_and_clear_the_exam_date(isolated):
    at, pid = open_page(isolated)
    assert any("Without an exam date" in c.value for c in at.caption)
    exam = today() + timedelta(days=30)
    at.date_input(key="exam_date").set_value(exam)
    at.number_input(key="exam_max_new").set_value(10)
    at.button(key="FormSubmitter:exam_date_form-Save exam date").click().run()
    assert not at.exception, at.exception
    profile = get_profile(get_engine(isolated), pid)
    assert profile is not None and profile.exam_date == exam and profile.exam_max_new_per_day == 10
    assert [m.label for m in at.metric][:4] == [
        "Days left",
        "New cards a day",
        "Needed a day",
        "New cards left",
    ]
    assert any("in time for two reviews" in s.value for s in at.success)
    at.button(key="exam_date_clear").click().run()
    assert not at.exception, at.exception
    profile = get_profile(get_engine(isolated), pid)
    assert profile is not None and profile.exam_date is None
    assert any("Without an exam date" in c.value for c in at.caption)


def test_saving_without_a_date_says_so(isolated):
    at, _ = open_page(isolated)
    at.button(key="FormSubmitter:exam_date_form-Save exam date").click().run()
    assert any("Choose an exam date" in e.value for e in at.error)


def test_a_maximum_too_low_for_the_date_is_said_plainly(isolated):
    # Six new cards, 8 days to go (7 of them kept for reviews): 3 a day needed, the maximum is 1.
    at, _ = open_page(isolated, new_per_day=0)
    at.date_input(key="exam_date").set_value(today() + timedelta(days=8))
    at.number_input(key="exam_max_new").set_value(1)
    at.button(key="FormSubmitter:exam_date_form-Save exam date").click().run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("needs 3 new cards a day and your maximum is 1" in w for w in warnings), warnings


def test_the_readiness_forecast_is_shown_for_exam_day(isolated):
    at, pid = open_page(isolated)
    from trainer.study.exam_plan import set_exam_date

    set_exam_date(get_engine(isolated), pid, today() + timedelta(days=20))
    at.run()
    assert not at.exception, at.exception
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # by topic, the histogram, the workload (and by concept, in an expander)
    labels = [m.label for m in at.metric]
    assert "Expected recall" in labels, labels
    assert any("on exam day" in m.value for m in at.markdown)
    assert "Cards at ≥ 0.9" in labels and "Not started" in labels
    not_started = next(m for m in at.metric if m.label == "Not started")
    assert not_started.value == "6"
    assert any("Sit a timed exam" in c.value for c in at.caption)  # the mock-exam readiness, none yet


def test_the_planner_saves_the_retention_picked(isolated):
    at, pid = open_page(isolated)
    assert not [b for b in at.button if b.key == "plan_save"]  # the pick is the current one
    at.select_slider(key="plan_retention").set_value(0.85).run()
    assert not at.exception, at.exception
    save = at.button(key="plan_save")
    assert save.label == "Use 0.85 as my desired retention"
    save.click().run()
    assert not at.exception, at.exception
    profile = get_profile(get_engine(isolated), pid)
    assert profile is not None and profile.desired_retention == pytest.approx(0.85)
    assert any("This is your desired retention now" in c.value for c in at.caption)


def test_fit_with_too_few_reviews_says_why(isolated):
    at, _ = open_page(isolated)
    at.button(key="fit_parameters").click().run()
    assert not at.exception, at.exception
    infos = [i.value for i in at.info]
    assert any("Not fitted: 0 reviews on later days; the optimiser needs at least 512" in i for i in infos), (
        infos
    )


def test_progress_shows_true_retention_and_calibration(isolated, small_bank):
    from trainer.content.graph import introduction_order
    from trainer.study.queue import Study
    from trainer.study.scheduling import Rating

    engine = get_engine(isolated)
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(small_bank, introduction_order(small_bank))
    start = utcnow() - timedelta(days=40)
    for card_id in ("a1", "a2", "b1"):
        study.answer(card_id, Rating.EASY, start)  # straight into review
        due = study.memory(card_id).due
        assert due is not None
        study.answer(card_id, Rating.GOOD if card_id != "b1" else Rating.AGAIN, due)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("trainer/ui/progress.py").run()
    assert not at.exception, at.exception
    headings = [m.value for m in at.markdown]
    assert "**True retention, by day**" in headings
    assert "**Calibration: predicted recall against what happened**" in headings
    assert len(at.get("plotly_chart")) == 5  # answers, due, by topic, true retention, calibration
    assert not any(s.value.startswith("Readiness forecast") for s in at.subheader)  # no exam date
    from trainer.study.exam_plan import set_exam_date

    set_exam_date(engine, profile.id, today() + timedelta(days=10))
    at.run()
    assert any(s.value.startswith("Readiness forecast on exam day (") for s in at.subheader)
    assert {m.label: m.value for m in at.metric}["Not started"] == "3"
    table = at.dataframe[0].value
    all_time = table[table[""] == "All time"].iloc[0]
    assert all_time["Young"] == "66.7% (3)" and all_time["Mature"] == "—"
