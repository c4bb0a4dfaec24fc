"""Every page through Streamlit's AppTest: the study flow end to end, persisted in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, card_yaml
from trainer.store.engine import get_engine
from trainer.store.tables import ReviewLog
from trainer.study.profiles import find_profile, update_settings

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def new_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def create_profile(at: AppTest, name: str = "Ana") -> AppTest:
    at.text_input(key="picker_name").input(name)
    next(b for b in at.button if b.label == "Create profile").click()
    at.run()
    assert not at.exception, at.exception
    return at


def answers(url: str) -> int:
    with get_engine(url).connect() as conn:
        return conn.execute(select(func.count()).select_from(ReviewLog.__table__)).scalar_one()


def front_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_first_visit_asks_for_a_profile():
    at = new_app()
    assert any("Progress is kept per profile" in i.value for i in at.info)
    create_profile(at)
    assert any(m.value.startswith("### Front of") for m in at.markdown)


def test_empty_profile_name_is_refused_in_plain_words():
    at = new_app()
    create_profile(at, "   ")
    assert any("Enter a name" in e.value for e in at.error)


def test_study_flow_show_answer_rate_next_and_persisted(isolated):
    at = create_profile(new_app())
    first = front_text(at)
    assert at.metric[0].value == "6"  # six new cards available
    at.button(key="show_answer").click().run()
    assert any(m.value.startswith("**Back of") for m in at.markdown)
    labels = [at.button(key=f"rate_{r}").label for r in ("again", "hard", "good", "easy")]
    assert labels[0] == "Again · 1m" and labels[2] == "Good · 10m"
    at.button(key="rate_good").click().run()
    assert not at.exception
    assert front_text(at) != first
    assert answers(isolated) == 1
    # The card is due again in 10 minutes; "in learning" counts it only while that is still the
    # same study day, so keep the day boundary half a day away from the test's clock.
    profile = find_profile(get_engine(isolated), "Ana")
    assert profile is not None and profile.id is not None
    update_settings(get_engine(isolated), profile.id, day_starts_at=(datetime.now(UTC).hour + 12) % 24)
    # A new browser session (new AppTest) sees the same state from the database.
    again = new_app()
    assert again.metric[1].value == "1"  # one card in learning
    assert answers(isolated) == 1


def test_done_for_today_empty_state(isolated, monkeypatch):
    at = create_profile(new_app())
    for _ in range(6):
        at.button(key="show_answer").click().run()
        at.button(key="rate_easy").click().run()
        assert not at.exception
    assert any("done for today" in s.value for s in at.subheader)
    assert any("next card is due" in m.value for m in at.markdown)
    assert answers(isolated) == 6


def test_practice_ahead_leaves_schedule_alone(isolated):
    at = create_profile(new_app())
    at.segmented_control(key="study_mode").set_value("Practice ahead").run()
    assert any("Practice ahead" in c.value for c in at.caption)
    at.button(key="cram_show").click().run()
    at.button(key="cram_good").click().run()
    assert not at.exception
    with get_engine(isolated).connect() as conn:
        kinds = conn.execute(select(ReviewLog.__table__.c.kind)).scalars().all()
    assert kinds == ["cram"]


def test_library_search_and_filter():
    at = new_app()
    at.switch_page("trainer/ui/library.py").run()
    assert not at.exception
    assert any("6 of 6 cards" in c.value for c in at.caption)
    at.text_input(key="lib_query").input("b2").run()
    assert any("1 of 6 cards" in c.value for c in at.caption)
    at.text_input(key="lib_query").input("zzz-nothing").run()
    assert any("No card matches" in i.value for i in at.info)
    downloads = at.get("download_button")
    assert len(downloads) == 3  # Anki deck, cards CSV, questions CSV


def test_progress_page_empty_then_charts():
    at = create_profile(new_app())
    at.switch_page("trainer/ui/progress.py").run()
    assert any("No reviews yet" in i.value for i in at.info)
    at.switch_page("trainer/ui/study.py").run()
    at.button(key="show_answer").click().run()
    at.button(key="rate_good").click().run()
    at.switch_page("trainer/ui/progress.py").run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 3
    assert "Answers per day" in charts[0].proto.spec


def test_profile_settings_saved_and_bad_steps_refused():
    at = create_profile(new_app())
    at.switch_page("trainer/ui/profile.py").run()
    at.number_input(key="new_per_day").set_value(5)
    at.text_input(key="learning_steps").input("soon")
    next(b for b in at.button if b.label == "Save settings").click()
    at.run()
    assert any("Not saved" in e.value and "learning steps" in e.value for e in at.error)
    at.text_input(key="learning_steps").input("2m 15m")
    next(b for b in at.button if b.label == "Save settings").click()
    at.run()
    assert any("Settings saved" in s.value for s in at.success)
    at.switch_page("trainer/ui/study.py").run()
    assert at.metric[0].value == "5"


def test_broken_content_file_is_reported_and_rest_served(write_content):
    write_content("zz-broken.yaml", "cards:\n  - id: x\n    front: [unclosed\n")
    at = create_profile(new_app())
    assert any("skipped because of errors" in e.label for e in at.expander)
    assert any(m.value.startswith("### Front of") for m in at.markdown)


def test_card_with_correction_shows_it(write_content):
    write_content(
        "fix.yaml",
        "cards:\n" + card_yaml("z9", correction="{notes_say: 'old claim', now: 'new fact', since: '2023'}"),
    )
    at = new_app()
    at.switch_page("trainer/ui/library.py").run()
    at.text_input(key="lib_query").input("z9").run()
    assert any("Correction to the notes" in w.value and "new fact" in w.value for w in at.warning)
