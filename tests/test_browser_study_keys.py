"""Study keys in a real browser: Space shows the answer, Space again means Good, Ctrl+Z takes the
rating back (issue 16, review defects 6 and 17); the page makes no request outside the app
(defect 30, the favicon)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.browser import ARTIFACTS, chromium_page, require_browser, streamlit_server, wait_idle
from trainer.store.engine import make_engine
from trainer.store.tables import ReviewLog, table_of
from trainer.study.profiles import create_profile

pytestmark = pytest.mark.browser


def ratings(db_url: str) -> list[int]:
    with make_engine(db_url).connect() as conn:
        return list(conn.execute(select(table_of(ReviewLog).c.rating)).scalars())


def test_space_space_rates_good_and_ctrl_z_undoes_it(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    create_profile(make_engine(db_url), "Ana")
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        outside: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(url) else outside.append(r.url))
        page.goto(url)
        wait_idle(page)
        # Review defect 30: the favicon is served by the app, and nothing is fetched elsewhere.
        icon = page.locator("link[rel*=icon]").first.get_attribute("href") or ""
        assert icon.startswith(("/", url)) and "gstatic" not in icon, icon
        card = page.locator(".st-key-card_front")
        first = card.inner_text()
        page.keyboard.press("Space")
        page.locator(".st-key-card_back").wait_for()
        wait_idle(page)
        expect(page.locator(".st-key-rate_space")).to_be_hidden()  # the twin of Good is not shown
        page.keyboard.press("Space")
        expect(card).not_to_have_text(first)
        wait_idle(page)
        assert ratings(db_url) == [3]
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "study-after-good.png"))
        page.keyboard.press("Control+z")
        expect(card).to_have_text(first)
        wait_idle(page)
        assert ratings(db_url) == []
        expect(page.get_by_text("Undone: Good")).to_be_visible()
        assert not [u for u in outside if not u.startswith(("data:", "blob:"))], outside


IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def test_study_on_a_phone_is_compact_with_big_buttons_and_no_key_hints(tmp_path):
    """Review defect 16: counts stacked and pushed the card off the first screen; key hints on touch."""
    require_browser()
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    create_profile(make_engine(db_url), "Ana")
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(
                viewport={"width": 390, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                user_agent=IPHONE,
            ).new_page()
            page.goto(url)
            wait_idle(page)
            metrics = page.locator(".st-key-study_counts [data-testid=stMetric]")
            tops = {round(m.bounding_box()["y"]) for m in metrics.all()}
            assert len(tops) == 1, tops  # one row
            assert page.locator(".st-key-card_front").bounding_box()["y"] < 844 / 2
            assert "Space" not in page.locator(".st-key-show_answer").inner_text()
            page.locator(".st-key-show_answer button").tap()
            page.locator(".st-key-card_back").wait_for()
            wait_idle(page)
            good = page.locator(".st-key-rate_good button:visible").first
            assert good.bounding_box()["height"] >= 40 and good.bounding_box()["width"] >= 300
            assert "3" not in good.inner_text().replace("10m", "")  # no key hint on the label
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "study-phone-back.png"), full_page=True)
        finally:
            browser.close()
