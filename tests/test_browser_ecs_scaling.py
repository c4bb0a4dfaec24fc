"""The ECS auto scaling page in a real browser: open a preset, press Play, follow a card's link
from the Library to the page, and find the card listed there to go back to."""

from __future__ import annotations

import pytest

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

pytestmark = pytest.mark.browser


def test_preset_play_card_link_and_back(tmp_path):
    require_browser()
    card = next(
        c
        for c in sorted(load_bank().cards.values(), key=lambda c: c.id)
        if c.explainer and c.explainer.page == "ecs-scaling"
    )
    assert card.explainer is not None
    with (
        streamlit_server({"TRAINER_DATABASE_URL": f"sqlite:///{tmp_path / 'trainer.db'}"}) as url,
        chromium_page() as page,
    ):
        # A preset from a deep link, then Play: the chart animates without an error.
        page.goto(f"{url}/ecs-scaling?preset=spike-beats-cooldown")
        wait_idle(page)
        page.get_by_text("A spike beats the alarms and the cooldown").first.wait_for(timeout=60_000)
        page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.get_by_text("▶ Play").first.click()
        page.wait_for_timeout(1_500)
        assert not page.locator("[data-testid=stException]").count()
        # A card in the Library links to its preset; the page lists the card to go back to.
        page.goto(f"{url}/library")
        wait_idle(page)
        page.locator(".st-key-lib_query input").fill(card.id)
        page.locator(".st-key-lib_query input").press("Enter")
        wait_idle(page)
        open_first_library_item(page)
        click_visible_text(page, "Try it in the ECS auto scaling explainer")
        page.get_by_text("Cards about this idea").wait_for(timeout=60_000)
        page.wait_for_function(
            "([path, preset]) => location.pathname.endsWith(path)"
            " && new URLSearchParams(location.search).get('preset') === preset",
            arg=["/ecs-scaling", card.explainer.preset],
            timeout=30_000,
        )
        back = page.locator("[data-testid=stMain]").inner_text().split("Cards about this idea", 1)[1]
        assert card.front in back
        page.screenshot(path=str(ARTIFACTS / "ecs-scaling-from-card.png"))
