"""The Concept map in a real browser (review defects 9 and 10): a click keeps every concept
visible, moves the select box and shows the details beside the graph; a phone gets a list."""

from __future__ import annotations

import pytest

from tests.browser import (
    ARTIFACTS,
    chromium_page,
    phone_page,
    require_browser,
    streamlit_server,
    wait_idle,
)
from trainer.store.engine import make_engine
from trainer.study.profiles import create_profile

pytestmark = pytest.mark.browser


def test_click_a_concept_then_the_phone_list(tmp_path):
    require_browser()
    from playwright.sync_api import expect

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    create_profile(make_engine(db_url), "Ana")
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url:
        with chromium_page(1280, 900) as page:
            page.goto(url + "/concepts")
            wait_idle(page)
            points = page.locator(".st-key-concept_chart path.point")
            expect(points.first).to_be_visible()
            count = points.count()
            # Plotly picks the point under the pointer: hover there, then click (again if the
            # first click landed while the chart was still settling).
            target = points.nth(count // 2)
            chosen = page.locator(".st-key-concept_pick input")
            for _ in range(3):
                target.scroll_into_view_if_needed()
                spot = target.bounding_box()
                centre = (spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)
                page.mouse.move(*centre)
                page.wait_for_timeout(400)
                page.mouse.click(*centre)
                page.wait_for_timeout(1500)
                wait_idle(page)
                if chosen.input_value():
                    break
            expect(chosen).not_to_have_value("")  # the select box follows the click
            wait_idle(page)
            name = chosen.input_value().split(" — ")[0].strip()
            heading = page.get_by_role("heading", name=name, exact=True)
            expect(heading).to_be_visible()
            # Beside the graph, and on screen where the click was (the graph is taller than it).
            chart = page.locator(".st-key-concept_chart").bounding_box()
            box = heading.bounding_box()
            assert box["x"] > chart["x"] + chart["width"] - 5 and 0 <= box["y"] < 900, (box, chart)
            # No concept faded out.
            opacities = points.evaluate_all("ps => ps.map(p => parseFloat(getComputedStyle(p).opacity))")
            assert min(opacities) == 1, opacities
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "concept-map-selected.png"))
        with phone_page() as phone:
            phone.goto(url + "/concepts")
            wait_idle(phone)
            expect(phone.locator(".st-key-concept_chart")).to_have_count(0)
            phone.locator("[class*=st-key-concept_item_] button").first.tap()
            wait_idle(phone)
            expect(phone.locator(".st-key-concept_pick input")).not_to_have_value("")
            phone.screenshot(path=str(ARTIFACTS / "concept-map-phone.png"))
