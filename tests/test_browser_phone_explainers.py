"""The explainers and Subnet sizing on a phone (390x844, touch), in real Chromium.

UX review #15 and #28: the explainers sent people to a sidebar a phone folds away, the
playground squashed its time slider under Play/Pause and cut off a chart title; the sizing
editors' toolbars covered their headings. These are layout facts only a browser can check.
"""

from __future__ import annotations

import pytest

from tests.browser import (
    ARTIFACTS,
    PHONE_HEIGHT,
    PHONE_WIDTH,
    phone_page,
    require_browser,
    streamlit_server,
    wait_idle,
)

pytestmark = pytest.mark.browser

WIDTH = PHONE_WIDTH


def _inside_screen(box) -> bool:
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 0.5


def _check_playground(phone) -> None:
    phone.goto(phone.base_url + "/playground?preset=noisy-neighbour")
    wait_idle(phone)
    # The settings are in the main column, on the first screen, with no sidebar to open.
    settings = phone.locator("[data-testid=stExpander] summary", has_text="Settings")
    box = settings.bounding_box()
    assert _inside_screen(box) and box["y"] + box["height"] <= PHONE_HEIGHT, box
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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One app server for every phone check in this module (each starts in about five seconds)."""
    require_browser()
    db_url = f"sqlite:///{tmp_path_factory.mktemp('phone') / 'trainer.db'}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url:
        yield url


@pytest.fixture
def phone(server):
    with phone_page(timeout_ms=60_000) as page:
        page.base_url = server
        yield page


def test_playground_and_sizing_are_usable_on_a_phone(phone):
    _check_playground(phone)
    _check_sizing(phone)


# The explainers moved from the sidebar to settings_panel after the playground: (path, widget-key
# prefix, a control in the first tab, the tabs).
CONVERTED = [
    ("ecs-scaling", "ecs_", "Requests/s (base)", ["Load", "Task", "Scaling", "Capacity", "Deployment"]),
    ("streams", "streams_", "Shards", ["Stream", "Mapping", "Errors", "Run"]),
    ("memory", "mem_", "Duration at 1,024 MB (ms)", ["Function", "Architecture", "Balance"]),
    ("aliases", "al_", "Published versions", ["Versions & aliases", "Canary deployment"]),
    (
        "connections",
        "conn_",
        "Operation time on an open connection (ms)",
        ["Function", "Handshake", "Environments", "Database", "Run"],
    ),
]


@pytest.mark.parametrize(
    ("path", "prefix", "first_control", "tabs"), CONVERTED, ids=[c[0] for c in CONVERTED]
)
def test_an_explainers_settings_are_on_the_first_screen_of_a_phone(phone, path, prefix, first_control, tabs):
    """UX review #15 for every explainer: the settings were in the sidebar a phone folds away
    behind a small icon. At 390x844 the preset picker and the Settings expander are in the main
    column on the first screen, the sidebar holds no control, no text points to a sidebar, and
    a tap opens the settings on screen."""
    phone.goto(f"{phone.base_url}/{path}")
    wait_idle(phone)
    main = phone.locator("[data-testid=stMain]")
    settings = main.locator("[data-testid=stExpander] summary", has_text="Settings:")
    box = settings.bounding_box()
    assert _inside_screen(box) and box["y"] + box["height"] <= PHONE_HEIGHT, box
    preset = main.locator(f".st-key-{prefix}preset")
    assert _inside_screen(preset.bounding_box())
    sidebar = phone.locator("[data-testid=stSidebar]")
    assert sidebar.locator("[data-testid=stExpander], input, [data-baseweb=select]").count() == 0
    assert "sidebar" not in main.inner_text().lower()
    settings.tap()
    control = phone.get_by_label(first_control, exact=True)
    control.wait_for(state="visible")
    assert _inside_screen(control.bounding_box())
    names = [t.strip() for t in main.get_by_role("tab").all_inner_texts()]
    assert names == tabs
    phone.wait_for_timeout(500)  # the expander's opening animation, for the screenshot
    phone.screenshot(path=str(ARTIFACTS / f"phone-{path}.png"))
