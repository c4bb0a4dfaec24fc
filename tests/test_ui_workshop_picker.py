"""Host a workshop, "Hand-picked questions" (review defect 19): the picker's first entry was
Streamlit's "Select all", and one click on it silently filled the room with the first 50
questions. The picker now has no such entry; picks are made one by one, up to the room's limit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.test_ui_exam import question_yaml
from trainer.workshops.model import MAX_QUESTIONS

APP = str(ROOT / "app.py")


def test_hand_picked_questions_have_no_select_all(
    file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches
):
    questions = MAX_QUESTIONS + 10  # more than a room holds: "Select all" would have filled it
    write_content(
        "questions.yaml",
        "questions:\n" + "".join(question_yaml(f"q{i:02}", "development", "alpha") for i in range(questions)),
    )
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("trainer/ui/workshop_host.py").run()
    at.button_group(key="wh_kind").set_value("Hand-picked questions").run()
    assert not at.exception, at.exception
    picker = at.multiselect(key="wh_picked")
    assert len(picker.options) == questions
    assert picker.proto.select_all == 0  # no "Select all" entry
    assert picker.proto.max_selections == MAX_QUESTIONS
    assert picker.value == []
