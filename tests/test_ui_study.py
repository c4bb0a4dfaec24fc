"""The Study page as Anki users expect it (review defects 17, 21, 24 and issue 16's study list):
undo (button and Ctrl+Z), Space = Good on the back, bury and suspend confirmed and undoable, a
summary when the day is done, the right words when new/day is 0, questions shown as in Exam."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, card_yaml
from tests.test_content import question
from trainer.content.graph import introduction_order
from trainer.content.loader import load_bank
from trainer.store.engine import get_engine
from trainer.store.tables import ReviewLog, table_of
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile, update_settings
from trainer.study.queue import Study
from trainer.study.scheduling import Rating

APP = str(ROOT / "app.py")


@pytest.fixture
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def studying(url: str, **settings) -> AppTest:
    engine = get_engine(url)
    profile = create_profile(engine, "Ana")
    if settings:
        update_settings(engine, profile.id, **settings)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def ratings(url: str) -> list[int]:
    with get_engine(url).connect() as conn:
        return list(conn.execute(select(table_of(ReviewLog).c.rating)).scalars())


def front(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def test_undo_the_last_rating_shows_the_card_again(isolated):
    at = studying(isolated)
    first = front(at)
    assert not [b for b in at.button if b.key == "study_undo_button"]  # nothing to undo yet
    at.button(key="show_answer").click().run()
    at.button(key="rate_good").click().run()
    assert front(at) != first and ratings(isolated) == [3]
    undo = at.button(key="study_undo_button")
    assert undo.proto.shortcut.lower() == "ctrl+z"
    undo.click().run()
    assert not at.exception, at.exception
    assert front(at) == first and ratings(isolated) == []
    assert any("Undone" in t.value for t in at.toast)
    assert at.metric[0].value == "6"  # the counts are back too
    assert not [b for b in at.button if b.key == "study_undo_button"]


def test_space_on_the_back_means_good(isolated):
    at = studying(isolated)
    at.button(key="show_answer").click().run()
    space = at.button(key="rate_space")
    assert space.proto.shortcut.lower() == "space"
    space.click().run()
    assert not at.exception, at.exception
    assert ratings(isolated) == [3]


@pytest.mark.parametrize("action", ["bury", "suspend"])
def test_bury_and_suspend_confirm_with_a_toast_and_can_be_undone(isolated, action):
    at = studying(isolated)
    first = front(at)
    at.button(key="show_answer").click().run()
    at.button(key=action).click().run()
    assert not at.exception, at.exception
    assert any(("buried" if action == "bury" else "suspended") in t.value for t in at.toast)
    assert front(at) != first
    at.button(key="study_undo_button").click().run()
    assert front(at) == first
    assert at.metric[0].value == "6"


def test_summary_when_the_days_cards_are_done(isolated):
    at = studying(isolated)
    for rating in ("again", "easy", "easy", "easy", "easy", "easy", "easy"):
        at.button(key="show_answer").click().run()
        at.button(key=f"rate_{rating}").click().run()
        if any("done for today" in s.value for s in at.subheader):
            break
    summary = next(m.value for m in at.markdown if m.value.startswith("Today:"))
    assert "**7** answer(s)" in summary and "passed" in summary and "86%" in summary


def test_new_per_day_zero_is_explained_and_practice_ahead_is_a_button(isolated):
    at = studying(isolated, new_per_day=0)
    text = " ".join(m.value for m in at.markdown)
    assert "limit of new cards per day is 0" in text
    assert "suspended" not in text
    assert [link.label for link in at.get("page_link")].count("Library") == 1
    at.button(key="done_practice").click().run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="study_mode").value == "Practice ahead"
    assert any("Practice ahead" in c.value for c in at.caption)


@pytest.fixture
def question_due(file_db, write_content, monkeypatch, clear_streamlit_caches):
    write_content(
        "cards.yaml",
        "cards:\n" + card_yaml("a1", concepts="[base]") + card_yaml("a2") + card_yaml("b1", "beta"),
    )
    write_content("q.yaml", question(answer="2", cards="a1, a2, b1"))
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    bank = load_bank([write_content.root])
    engine = get_engine(file_db)
    study = Study(engine, create_profile(engine, "Ana"))
    study.sync(bank, introduction_order(bank))
    for card_id in ("a1", "a2", "b1"):
        study.answer(card_id, Rating.EASY, utcnow() - timedelta(days=40))
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    for _ in range(2):
        at.button(key="show_answer").click().run()
        at.button(key="rate_good").click().run()
    return at


def test_scenario_question_in_study_reads_like_the_exam(question_due):
    at = question_due
    assert any("Scenario question" in c.value for c in at.caption)
    assert not any(m.value.startswith("#") for m in at.markdown)  # the stem is body text
    assert at.radio[0].label == "Choose one."  # the Exam page's wording
    at.radio[0].set_value(1).run()
    at.button(key="study_q_submit").click().run()
    marks = [m.value for m in at.markdown if "Because" in m.value or "because" in m.value]
    assert any(":green[" in m and "correct answer" in m for m in marks)
    assert any(":red[" in m and "your choice" in m for m in marks)
    # Review defect 7: the answered options are not a greyed-out (disabled) form; the choice is
    # said in words, and each option's mark has words too, not colour alone.
    assert not at.radio and not at.checkbox
    assert any("Your answer: **B** · correct answer: **C**" in m.value for m in at.markdown)
    assert any(m.startswith(":red[:material/cancel:] :red[**B.") and "*your choice*" in m for m in marks)


def test_a_press_for_a_card_no_longer_shown_rates_nothing(isolated):
    """Review defect 6: a rating that arrives after its card left the screen (a key typed while
    the page was redrawn) must not rate the card shown now, nor the old one again."""
    at = studying(isolated)
    at.button(key="show_answer").click().run()
    drawn_for = at.session_state["study_card"]
    other = next(card_id for card_id in load_bank().cards if card_id != drawn_for)
    at.session_state["study_card"] = other  # the page moved on before the press landed
    at.button(key="rate_easy").click().run()  # the button drawn for the first card
    assert not at.exception, at.exception
    assert ratings(isolated) == []
    assert at.button(key="rate_easy")  # the other card's back is shown, unrated
    at.session_state["study_shown"] = False  # its front again: a rating press is not for it
    at.button(key="rate_easy").click().run()
    assert ratings(isolated) == []
    assert at.button(key="show_answer")


def test_reviews_are_counted_once_per_answer(isolated):
    """Undo deletes exactly the one log row of the rating it takes back."""
    at = studying(isolated)
    for _ in range(2):
        at.button(key="show_answer").click().run()
        at.button(key="rate_hard").click().run()
    at.button(key="study_undo_button").click().run()
    with get_engine(isolated).connect() as conn:
        assert conn.execute(select(func.count()).select_from(table_of(ReviewLog))).scalar_one() == 1


def test_learn_this_concept_next_is_disabled_when_nothing_is_new(isolated):
    at = studying(isolated)
    at.switch_page("trainer/ui/concept_map.py").run()
    at.selectbox(key="concept_pick").set_value("base").run()
    assert not at.button(key="concept_learn").disabled  # a1 is not studied yet
    at.switch_page("trainer/ui/study.py").run()
    for _ in range(6):
        if any("done for today" in s.value for s in at.subheader):
            break
        at.button(key="show_answer").click().run()
        at.button(key="rate_easy").click().run()
    at.switch_page("trainer/ui/concept_map.py").run()
    at.selectbox(key="concept_pick").set_value("base").run()
    assert at.button(key="concept_learn").disabled
