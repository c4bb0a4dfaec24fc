"""The readiness forecast on the Study and Progress pages (issue 14), through AppTest: folded on
Study with an exam date ahead (its title carries the expected recall and range) and absent
without one; opened, the headline figures, the weakest topics and the mock-exam readiness; worked
out again after an answer (the cache is keyed by the latest answer); on Progress by topic with
every card's distribution next to the mock-exam readiness."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.content.graph import introduction_order
from trainer.store.engine import get_engine
from trainer.store.types import utcnow
from trainer.study.exam_plan import set_exam_date
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating, Settings, study_date

APP = str(ROOT / "app.py")
STUDY_EXPANDER_KEY = "study_forecast_open"  # trainer.ui.study_forecast (not imported outside a run)
TITLE = re.compile(
    r"^Exam-day forecast: \*\*(\d+)%\*\* recall expected \(90 % range (\d+)%–(\d+)%\)"
    r"(, \d+ cards not started)?$"
)


@pytest.fixture
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def profile_with(url: str, bank, exam_in_days: int | None, answered: int = 0) -> Study:
    engine = get_engine(url)
    profile = create_profile(engine, "Ana")
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    for card_id in sorted(bank.cards)[:answered]:
        study.answer(card_id, Rating.EASY, utcnow() - timedelta(days=2))
    if exam_in_days is not None:
        assert profile.id is not None
        today = study_date(utcnow(), Settings())
        set_exam_date(engine, profile.id, today + timedelta(days=exam_in_days))
    return study


def forecast_titles(at: AppTest) -> list[str]:
    return [e.label for e in at.expander if e.label.startswith("Exam-day forecast")]


def summary(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("On exam day ("))


def open_study(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def test_no_forecast_on_study_without_an_exam_date(isolated, small_bank):
    profile_with(isolated, small_bank, None, answered=2)
    at = open_study(AppTest.from_file(APP, default_timeout=60))
    assert forecast_titles(at) == []


def test_study_shows_the_exam_day_forecast_folded(isolated, small_bank):
    profile_with(isolated, small_bank, 20, answered=2)
    at = open_study(AppTest.from_file(APP, default_timeout=60))
    (title,) = forecast_titles(at)
    mean, low, high = (int(x) for x in TITLE.match(title).groups()[:3])  # type: ignore[union-attr]
    assert 0 < mean < 100 and low <= mean <= high  # two of six cards studied, four not started
    assert "Expected recall" not in [m.label for m in at.metric]  # folded: the details are not drawn
    assert [b.key for b in at.button if b.key == "show_answer"]  # the card is still there below it


def test_opened_it_shows_the_figures_and_is_worked_out_again_after_an_answer(isolated, small_bank):
    study = profile_with(isolated, small_bank, 20, answered=2)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[STUDY_EXPANDER_KEY] = True
    open_study(at)
    assert "**4** not started" in summary(at) and "in 20 days" in summary(at)
    assert any(m.value.startswith("**Weakest topics on exam day**") for m in at.markdown)
    assert "**Mock-exam readiness**" in [m.value for m in at.markdown]
    assert any("Sit a timed exam" in c.value for c in at.caption)  # none yet
    before = forecast_titles(at)
    study.answer(sorted(small_bank.cards)[2], Rating.EASY, utcnow())  # e.g. in another tab
    open_study(at)
    assert "**3** not started" in summary(at)
    assert forecast_titles(at) != before


def test_progress_shows_the_forecast_by_topic_next_to_the_mock_exam_readiness(isolated, small_bank):
    profile_with(isolated, small_bank, 20, answered=3)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("trainer/ui/progress.py").run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Readiness forecast on exam day") for s in at.subheader)
    assert {m.label: m.value for m in at.metric}["Not started"] == "3"
    headings = [m.value for m in at.markdown]
    assert "**Predicted recall by topic**" in headings and "**Mock-exam readiness**" in headings
    # Answers, due and retention by topic (no retention statistics before a card comes back for
    # its first review), then the forecast by topic and every card's distribution.
    assert len(at.get("plotly_chart")) == 3 + 2


def test_progress_without_an_exam_date_points_to_the_exam_plan(isolated, small_bank):
    profile_with(isolated, small_bank, None, answered=3)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("trainer/ui/progress.py").run()
    assert not at.exception, at.exception
    assert not any(s.value.startswith("Readiness forecast") for s in at.subheader)
    assert len(at.get("plotly_chart")) == 3
