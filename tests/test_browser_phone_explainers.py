"""The Concurrency playground and Subnet sizing on a phone (390x844, touch), in real Chromium.

UX review #15 and #28: the playground sent people to a sidebar a phone folds away, squashed its
time slider under Play/Pause and cut off a chart title; the sizing editors' toolbars covered
their headings. These are layout facts only a browser can check.
"""

from __future__ import annotations

import pytest

from tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    require_browser,
    streamlit_server,
    wait_idle,
)

pytestmark = pytest.mark.browser

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)
WIDTH = 390


def _inside_screen(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5


def _check_playground(phone) -> None:
    phone.goto(phone.base_url + "/playground?preset=noisy-neighbour")
    wait_idle(phone)
    # The settings are in the main column, on the first screen, with no sidebar to open.
    settings = phone.locator("[data-testid=stExpander] summary", has_text="Settings")
    box = settings.bounding_box()
    assert _inside_screen(box) and box["y"] + box["height"] <= 844, box
    # The chart: the time slider under Play/Pause (not squashed beside them), titles on screen.
    chart = phone.locator("[data-testid=stPlotlyChart]")
    chart.scroll_into_view_if_needed()
    buttons = chart.locator(".updatemenu-container").bounding_box()
    rail = chart.locator(".slider-container .slider-rail-rect").bounding_box()
    assert rail["y"] >= buttons["y"] + buttons["height"] - 1, (rail, buttons)
    assert rail["width"] >= 180, rail  # the plot's width (it was about 80 px beside the buttons)
    chart_box = chart.bounding_box()
    for text in chart.locator(".annotation-text").all():
        t = text.bounding_box()
        assert t["x"] + t["width"] <= chart_box["x"] + chart_box["width"] + 1, (text.text_content(), t)
    settings.scroll_into_view_if_needed()
    settings.tap()
    rate = phone.get_by_label("Requests per second")
    rate.wait_for(state="visible")
    assert _inside_screen(rate.bounding_box())
    # Over the maximum: lowered to it, with a message (100,000/s for 420 s is then refused as
    # too many requests: the run would be too large, and the page says that too).
    rate.fill("999999")
    rate.press("Enter")
    wait_idle(phone)
    phone.get_by_text("Requests per second can be at most 100,000").wait_for(state="visible")
    assert rate.input_value() in ("100000.00", "100000")
    phone.screenshot(path=str(ARTIFACTS / "phone-playground.png"))


def _check_sizing(phone) -> None:
    phone.goto(phone.base_url + "/sizing")
    wait_idle(phone)
    form = phone.locator("[data-testid=stForm]")
    editors = form.locator("[data-testid=stDataFrame]")
    assert editors.count() == 4
    for i, heading in enumerate(["Subnets", "ECS services", "Lambda functions", "Other address users"]):
        editor = editors.nth(i)
        editor.scroll_into_view_if_needed()
        editor.hover()
        label = form.locator("[data-testid=stMarkdownContainer]", has_text=heading).first.bounding_box()
        toolbar = form.locator("[data-testid=stElementToolbar]").nth(i)
        top = toolbar.bounding_box() if toolbar.is_visible() else editor.bounding_box()
        assert label["y"] + label["height"] <= top["y"] + 1, (heading, label, top)
        assert _inside_screen(editor.bounding_box())  # the table scrolls inside, the page does not
    # A Fargate service's instance type is a dash, not "None".
    assert "None" not in (editors.nth(1).text_content() or "")
    phone.screenshot(path=str(ARTIFACTS / "phone-sizing.png"))


def test_playground_and_sizing_are_usable_on_a_phone(tmp_path):
    require_browser()
    from playwright.sync_api import sync_playwright

    db_url = f"sqlite:///{tmp_path / 'trainer.db'}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                base_url=url,
                viewport={"width": WIDTH, "height": 844},
                device_scale_factor=2,
                is_mobile=True,
                has_touch=True,
                user_agent=IPHONE,
            )
            phone = context.new_page()
            phone.set_default_timeout(60_000)
            phone.base_url = url
            _check_playground(phone)
            _check_sizing(phone)
        finally:
            browser.close()
