"""The main study flow in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.browser import (
    ARTIFACTS,
    chromium_page,
    click_visible_text,
    open_first_library_item,
    require_browser,
    streamlit_server,
    wait_idle,
)
from trainer.content.loader import load_bank
from trainer.store.engine import make_engine
from trainer.store.tables import ReviewLog

pytestmark = pytest.mark.browser


def test_study_a_few_cards_in_chromium(tmp_path):
    require_browser()
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        page.goto(url)
        wait_idle(page)
        page.locator(".st-key-picker_name input").fill("Browser learner")
        page.get_by_role("button", name="Create profile").click()
        wait_idle(page)
        fronts = []
        for rating in ("good", "easy", "again"):
            front = page.locator(".st-key-card_front").inner_text()
            fronts.append(front)
            page.locator(".st-key-show_answer button").first.click()
            page.locator(".st-key-card_back").wait_for()
            page.locator(f".st-key-rate_{rating} button").first.wait_for()
            label = page.locator(f".st-key-rate_{rating} button").first.inner_text()
            assert rating.capitalize() in label and "·" in label  # the interval is shown
            if rating == "again":
                ARTIFACTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / "study-answer.png"), full_page=True)
            page.locator(f".st-key-rate_{rating} button").first.click()
            # The next card replaces this one (the rated card waits for its learning step).
            page.wait_for_function(
                "front => { const el = document.querySelector('.st-key-card_front');"
                " return el && el.innerText !== front; }",
                arg=front,
            )
            wait_idle(page)
        assert len(set(fronts)) == 3  # a new card after each rating
        page.screenshot(path=str(ARTIFACTS / "study.png"), full_page=True)

        # Reload: the profile and its progress come back from the database.
        page.reload()
        wait_idle(page)
        assert "Browser learner" in page.locator("[data-testid=stSidebar]").inner_text()
    with make_engine(db_url).connect() as conn:
        assert conn.execute(select(func.count()).select_from(ReviewLog.__table__)).scalar_one() == 3


def test_card_deep_links_to_its_explainer_preset_and_back(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        page.goto(f"{url}/library")
        wait_idle(page)
        page.locator(".st-key-lib_query input").fill("noisy")
        page.locator(".st-key-lib_query input").press("Enter")
        # Wait for the filtered list itself: "idle" can be seen before the search's rerun starts,
        # and a click then lands on the unfiltered list's first card.
        expect(page.get_by_text(re.compile(r"^\d+ of \d+ cards$")).first).not_to_have_text(
            re.compile(rf"^{len(load_bank().cards)} of ")
        )
        wait_idle(page)
        open_first_library_item(page)
        click_visible_text(page, "Try it in the concurrency playground")
        expect(page).to_have_url(re.compile(r"/playground\?preset=noisy-neighbour$"))
        wait_idle(page)
        # The preset is loaded, and it links back to the cards that point at it.
        page.get_by_text("Cards about this idea").wait_for()
        assert "noisy neighbour" in page.locator("[data-testid=stMain]").inner_text().lower()
        page.screenshot(path=str(ARTIFACTS / "playground-from-card.png"))
