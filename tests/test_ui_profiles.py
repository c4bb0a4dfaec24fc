"""Profiles on the pages (review defects 2, 3, 11, 22, 23): the choice sticks, a new profile is the
one shown, double clicks and over-long names get sensible answers, switch, rename and delete."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from trainer.store.engine import get_engine
from trainer.study.profiles import create_profile, find_profile, list_profiles

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def isolated(file_db, small_bank, write_content, monkeypatch, clear_streamlit_caches):
    monkeypatch.setenv("TRAINER_CONTENT_DIR", str(write_content.root))
    return file_db


def app(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def press(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_new_profile_is_selected_with_its_settings_and_message(isolated):
    engine = get_engine(isolated)
    create_profile(engine, "A")
    create_profile(engine, "Z")
    at = app("trainer/ui/profile.py")
    at.selectbox(key="profile_choice").select("A").run()
    assert any(s.value == "Settings for A" for s in at.subheader)
    at.text_input(key="create_name").input("B")
    press(at, "Create profile")
    assert any("B" in s.value and "created" in s.value for s in at.success)
    assert any(s.value == "Settings for B" for s in at.subheader)
    assert at.selectbox(key="profile_choice").value == "B"
    # Saving now changes B's settings, not A's.
    at.number_input(key="new_per_day").set_value(7)
    press(at, "Save settings")
    assert find_profile(engine, "B").new_per_day == 7 and find_profile(engine, "A").new_per_day == 20


def test_double_click_on_create_neither_complains_nor_deselects(isolated):
    at = app()
    at.text_input(key="picker_name").input("Ana")
    press(at, "Create profile")
    # The second click of a double click: the form was cleared by the first.
    at.switch_page("trainer/ui/profile.py").run()
    press(at, "Create profile")
    assert not at.error
    assert any(s.value == "Settings for Ana" for s in at.subheader)
    assert [p.name for p in list_profiles(get_engine(isolated))] == ["Ana"]


def test_overlong_pasted_name_gets_a_clear_message():
    at = app()
    at.text_input(key="picker_name").input("x" * 500)
    press(at, "Create profile")
    assert any("at most 60 characters" in e.value and "500" in e.value for e in at.error)
    assert not any("Enter a name" in e.value for e in at.error)


def test_name_taken_in_another_case_is_refused(isolated):
    create_profile(get_engine(isolated), "**bold**")
    at = app("trainer/ui/profile.py")
    at.text_input(key="create_name").input("**BOLD** ")
    press(at, "Create profile")
    assert any("already exists" in e.value for e in at.error)
    assert len(list_profiles(get_engine(isolated))) == 1


def test_browser_remembered_profile_is_used_on_a_fresh_session(isolated, monkeypatch):
    """A reload, a new tab or a deep link starts a new session: the cookie names the profile."""
    engine = get_engine(isolated)
    create_profile(engine, "Ana")
    ben = create_profile(engine, "Ben")
    at = app()
    assert any("Progress is kept per profile" in i.value for i in at.info)
    monkeypatch.setattr("trainer.ui.chosen_profile.browser_cookie", lambda: str(ben.id))
    at = app()
    assert not at.info
    assert any("Studying as **Ben**" in c.value for c in at.sidebar.caption)
    at = app("trainer/ui/exam.py")
    assert any("Studying as **Ben**" in c.value for c in at.sidebar.caption)
    # A cookie naming a profile that no longer exists falls back to the picker, quietly.
    monkeypatch.setattr("trainer.ui.chosen_profile.browser_cookie", lambda: "999")
    at = app()
    assert any("Progress is kept per profile" in i.value for i in at.info)


def test_choice_is_written_to_the_browser_only_when_it_changes(isolated, monkeypatch):
    engine = get_engine(isolated)
    ana = create_profile(engine, "Ana")
    create_profile(engine, "Ben")
    at = app()
    at.selectbox(key="picker_select").select("Ana").run()
    scripts = [h.proto.body for h in at.get("html")]
    assert any(f"trainer_profile={ana.id};" in body for body in scripts)
    monkeypatch.setattr("trainer.ui.chosen_profile.browser_cookie", lambda: str(ana.id))
    at = app()
    assert not any("trainer_profile" in h.proto.body for h in at.get("html"))


def test_switch_profile_from_the_sidebar(isolated):
    engine = get_engine(isolated)
    create_profile(engine, "Ana")
    ben = create_profile(engine, "Ben")
    at = app()
    at.selectbox(key="picker_select").select("Ana").run()
    at.button(key=f"switch_to_{ben.id}").click().run()
    assert any("Studying as **Ben**" in c.value for c in at.sidebar.caption)


def test_rename_and_delete_with_a_confirmation_saying_what_is_lost(isolated):
    engine = get_engine(isolated)
    create_profile(engine, "Ben")
    at = app("trainer/ui/profile.py")
    at.text_input(key="create_name").input("Ana")
    press(at, "Create profile")
    at.switch_page("trainer/ui/study.py").run()
    at.button(key="show_answer").click().run()
    at.button(key="rate_good").click().run()
    at.switch_page("trainer/ui/profile.py").run()
    at.text_input(key="rename_name").input("ben")
    press(at, "Rename")
    assert any("already exists" in e.value for e in at.error)
    at.text_input(key="rename_name").input("Ana B")
    press(at, "Rename")
    assert any(s.value == "Settings for Ana B" for s in at.subheader)
    at.button(key="delete_profile").click().run()
    warning = next(w.value for w in at.warning if "for good" in w.value)
    assert "1 studied card" in warning and "1 review" in warning and "cannot be undone" in warning
    at.button(key="delete_no").click().run()
    assert find_profile(engine, "Ana B") is not None
    at.button(key="delete_profile").click().run()
    at.button(key="delete_yes").click().run()
    assert not at.exception
    assert any("deleted" in s.value for s in at.success)
    assert [p.name for p in list_profiles(engine)] == ["Ben"]
    assert any(s.value == "Settings for Ben" for s in at.subheader)  # the only one left
