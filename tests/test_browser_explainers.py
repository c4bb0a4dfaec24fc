"""Every Lambda explainer of issue 13 in a real browser: a card in the Library deep-links to the
preset that shows it, the page loads that preset, and it lists the same card to go back to."""

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

# Explainer name in content YAML -> (the page's URL path, the words of a card's link to it).
# Nothing from trainer.ui is imported here: creating the st.Page objects outside a running app
# would break every AppTest run later in the same process.
EXPLAINERS = {
    "memory": ("memory", "Try it in the memory & cost tuner"),
    "streams": ("streams", "Try it in the stream event sources explainer"),
    "aliases": ("aliases", "Try it in the aliases & canaries explainer"),
    "connections": ("connections", "Try it in the connection reuse explainer"),
}


def first_linked_card(page: str):
    bank = load_bank()
    return next(
        c for c in sorted(bank.cards.values(), key=lambda c: c.id) if c.explainer and c.explainer.page == page
    )


def test_cards_deep_link_to_each_new_explainer_and_back(tmp_path):
    require_browser()
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        for name, (url_path, link_text) in EXPLAINERS.items():
            card = first_linked_card(name)
            assert card.explainer is not None
            page.goto(f"{url}/library")
            wait_idle(page)
            page.locator(".st-key-lib_query input").fill(card.id)
            page.locator(".st-key-lib_query input").press("Enter")
            wait_idle(page)
            open_first_library_item(page)
            click_visible_text(page, link_text)
            page.get_by_text("Cards about this idea").wait_for(timeout=60_000)
            # Streamlit changes the address in place (no page load), and the page may rewrite the
            # query to carry every setting: poll the address until it names the page and preset.
            page.wait_for_function(
                "([path, preset]) => location.pathname.endsWith(path)"
                " && new URLSearchParams(location.search).get('preset') === preset",
                arg=[f"/{url_path}", card.explainer.preset],
                timeout=30_000,
            )
            main = page.locator("[data-testid=stMain]").inner_text()
            back = main.split("Cards about this idea", 1)[1]
            assert card.front in back, f"{name}: the page does not list card {card.id} to go back to"
            page.screenshot(path=str(ARTIFACTS / f"{name}-from-card.png"))
