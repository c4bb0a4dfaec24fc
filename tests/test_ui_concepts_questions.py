"""AppTest of the Concept map page and of scenario questions inside the Study page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, card_yaml
from tests.test_content import question
from trainer.content.graph import introduction_order
from trainer.content.loader import load_bank
from trainer.store.engine import get_engine
from trainer.store.tables import ReviewLog
from trainer.store.types import utcnow
from trainer.study.profiles import create_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating


@pytest.fixture
def app(file_db, write_content, monkeypatch, clear_streamlit_caches):
    write_content(
        "cards.yaml",
        "cards:\n"
        + card_yaml("a1", concepts="[base]")
        + card_yaml("a2", concepts="[base]")
        + card_yaml("b1", "beta", concepts="[advanced]"),
    )
    write_content("q.yaml", question(answer="2", cards="a1, a2, b1"))
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    bank = load_bank([write_content.root])
    assert bank.ok, bank.problems
    engine = get_engine(file_db)
    study = Study(engine, create_profile(engine, "Ana"))
    study.sync(bank, introduction_order(bank))
    month_ago = utcnow() - timedelta(days=40)
    for card_id in ("a1", "a2", "b1"):
        study.answer(card_id, Rating.EASY, month_ago)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at, engine


def test_third_review_is_a_scenario_question(app):
    at, engine = app
    for _ in range(2):
        at.button(key="show_answer").click().run()
        at.button(key="rate_good").click().run()
        assert not at.exception, at.exception
    assert any("Scenario question" in c.value for c in at.caption)
    at.radio[0].set_value(2).run()
    at.button(key="study_q_submit").click().run()
    assert not at.exception, at.exception
    assert any("Correct" in s.value for s in at.success)
    assert any("Right because A." in m.value for m in at.markdown)  # every option explained
    assert any("Wrong because B." in m.value for m in at.markdown)
    with engine.connect() as conn:
        logged = (
            conn.execute(
                select(ReviewLog.__table__.c.card_id).where(ReviewLog.__table__.c.question_id == "q1")
            )
            .scalars()
            .all()
        )
    assert sorted(logged) == ["a1", "a2", "b1"]
    at.button(key="study_q_continue").click().run()
    assert not at.exception


def test_concept_map_colours_and_studies_one_concept(app):
    at, _ = app
    at.switch_page("trainer/ui/concept_map.py").run()
    assert not at.exception, at.exception
    spec = at.get("plotly_chart")[0].proto.spec
    assert "Base idea" in spec and "Advanced idea" in spec and "mastery" in spec
    at.selectbox(key="concept_pick").set_value("base").run()
    assert any(s.value == "Base idea" for s in at.subheader)
    assert [m.value for m in at.metric][1] == "2"  # two cards teach this concept
    assert any("Front of a1?" in e.label for e in at.expander)
    at.button(key="concept_practice").click().run()
    assert not at.exception, at.exception
    assert any("Practice ahead" in c.value for c in at.caption)
    assert at.selectbox(key="cram_topic").value == "concept:base"
