"""The chosen profile sticks in a real browser (review defect 2): a reload, a new tab and a deep
link into a running exam show that profile, not the picker, when there are two or more."""

from __future__ import annotations

import pytest

from tests.browser import ARTIFACTS, chromium_page, require_browser, streamlit_server, wait_idle
from trainer.exams.attempts import Exams
from trainer.store.engine import make_engine
from trainer.study.profiles import create_profile

pytestmark = pytest.mark.browser


def test_profile_survives_reload_new_tab_and_exam_deep_link(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    engine = make_engine(db_url)
    create_profile(engine, "Ana")
    ben = create_profile(engine, "Ben")
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        page.goto(url)
        wait_idle(page)
        expect(page.get_by_text("Progress is kept per profile")).to_be_visible()
        page.locator(".st-key-picker_select").click()
        page.get_by_role("option", name="Ben").click()
        wait_idle(page)
        sidebar = page.locator("[data-testid=stSidebar]")
        expect(sidebar).to_contain_text("Studying as Ben")
        # The page writes the choice into a cookie once its script has run in the browser.
        page.wait_for_function(f"document.cookie.includes('trainer_profile={ben.id}')")
        # Start an exam, then reload its page: the exam is shown, not the picker.
        page.goto(url + "/exam")
        wait_idle(page)
        page.get_by_text("Short: 20 questions, 30 minutes").click()
        wait_idle(page)
        page.locator(".st-key-exam_start button").click()
        page.locator(".st-key-exam_question").wait_for()
        wait_idle(page)
        attempt = Exams(engine, ben.id).current()
        assert attempt is not None and f"attempt={attempt.id}" in page.url
        page.reload()
        wait_idle(page)
        expect(page.locator(".st-key-exam_question")).to_be_visible()
        expect(page.get_by_text("Progress is kept per profile")).to_have_count(0)
        # A new tab opened on a deep link, in the same browser (chromium_page's page owns its
        # context, so the new tab gets a context with the same cookies).
        assert "trainer_profile" in {c["name"] for c in page.context.cookies()}
        other = page.context.browser.new_context(storage_state=page.context.storage_state()).new_page()
        other.goto(f"{url}/exam?attempt={attempt.id}")
        wait_idle(other)
        expect(other.locator(".st-key-exam_question")).to_be_visible()
        expect(other.locator("[data-testid=stSidebar]")).to_contain_text("Studying as Ben")
        # Switching in the sidebar is remembered too.
        other.goto(url)
        wait_idle(other)
        other.locator(".st-key-switch_profile button").first.click()
        other.get_by_role("button", name="Ana").click()
        wait_idle(other)
        expect(other.locator("[data-testid=stSidebar]")).to_contain_text("Studying as Ana")
        other.reload()
        wait_idle(other)
        expect(other.locator("[data-testid=stSidebar]")).to_contain_text("Studying as Ana")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        other.screenshot(path=str(ARTIFACTS / "profile-remembered.png"))
