"""Every Lambda explainer of issue 13 in a real browser: a card in the Library deep-links to the
preset that shows it, the page loads that preset, and it lists the same card to go back to."""

from __future__ import annotations

import re

import pytest

from tests.browser import ARTIFACTS, chromium_page, require_browser, streamlit_server, wait_idle
from trainer.content.loader import load_bank
from trainer.ui.common import EXPLAINER_TITLES

pytestmark = pytest.mark.browser

# Explainer name in content YAML -> the page's URL path (trainer/ui/pages.py).
EXPLAINERS = {"memory": "memory", "streams": "streams", "aliases": "aliases", "connections": "connections"}


def first_linked_card(page: str):
    bank = load_bank()
    return next(
        c for c in sorted(bank.cards.values(), key=lambda c: c.id) if c.explainer and c.explainer.page == page
    )


def test_cards_deep_link_to_each_new_explainer_and_back(tmp_path):
    require_browser()
    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page() as page:
        for name, url_path in EXPLAINERS.items():
            card = first_linked_card(name)
            assert card.explainer is not None
            page.goto(f"{url}/library")
            wait_idle(page)
            page.locator(".st-key-lib_query input").fill(card.id)
            page.locator(".st-key-lib_query input").press("Enter")
            wait_idle(page)
            page.locator("[data-testid=stExpander] summary").first.click()
            page.get_by_text(f"Try it in the {EXPLAINER_TITLES[name]}").first.click()
            # The page may rewrite the query to carry every setting; the preset stays named.
            page.wait_for_url(re.compile(rf".*/{url_path}\?.*preset={re.escape(card.explainer.preset)}.*"))
            wait_idle(page)
            page.get_by_text("Cards about this idea").wait_for()
            main = page.locator("[data-testid=stMain]").inner_text()
            back = main.split("Cards about this idea", 1)[1]
            assert card.front in back, f"{name}: the page does not list card {card.id} to go back to"
            page.screenshot(path=str(ARTIFACTS / f"{name}-from-card.png"))
