"""Two Streamlit servers on one PostgreSQL database, driven in Chromium: a participant on server A
answers, and the host console on server B shows the answer count without a reload (its
fragment polls the database). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.browser import (
    ARTIFACTS,
    chromium_page,
    require_browser,
    streamlit_server,
    wait_idle,
)
from trainer.content.loader import load_bank
from trainer.store.engine import make_engine
from trainer.workshops import links, naming, rooms
from trainer.workshops.access import ANSWERS

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

METRICS = "[data-testid=stMetric]"


def metric_text(page) -> str:
    return " | ".join(page.locator(METRICS).all_inner_texts())


def tall(page, height: int) -> None:
    """Streamlit scrolls inside its own container, so a full-page screenshot is the viewport:
    make the viewport as tall as the content to capture."""
    page.set_viewport_size({"width": 1300, "height": height})
    page.wait_for_timeout(1000)  # the layout settles and Plotly redraws


def test_participant_on_one_server_host_on_another(pg_url):
    require_browser()
    engine = make_engine(pg_url)
    bank = load_bank()
    questions = [bank.questions[q] for q in sorted(bank.questions)[:2]]
    room, secret = rooms.create_room(engine, questions, seconds=90, title="Lambda & ECS team quiz", bank=bank)
    env = {"TRAINER_DATABASE_URL": pg_url}
    with streamlit_server(env) as server_a, streamlit_server(env) as server_b, chromium_page() as player:
        host = player.context.browser.new_page(viewport={"width": 1300, "height": 950})
        host.set_default_timeout(30_000)
        token = links.issue_host_link(engine, room.id, secret)  # a one-time host link
        host.goto(f"{server_b}/workshop-host?room={room.code}&key={token}")
        wait_idle(host)
        assert naming.display_code(room.code) in host.locator(".wh-code").inner_text()
        host.wait_for_function(f"() => !location.search.includes({token!r})")  # swapped
        assert secret not in host.url
        host.reload()  # a reload (a new session) exchanges the token in the address bar
        wait_idle(host)
        assert naming.display_code(room.code) in host.locator(".wh-code").inner_text()
        host.locator(".st-key-wh_auto label").first.click()  # reveal by hand in this test
        wait_idle(host)

        player.goto(f"{server_a}/workshop?code={room.code}")
        wait_idle(player)
        assert player.locator(".st-key-ws_code input").input_value() == room.code
        player.locator(".st-key-ws_name input").fill("Ana <script>")
        player.locator(".st-key-ws_name input").press("Enter")
        wait_idle(player)
        player.locator(".st-key-ws_join button").click()
        player.get_by_text("You're in! Waiting for the host to start.").wait_for()
        assert "You are Ana <script>" in player.locator("[data-testid=stText]").first.inner_text()
        player.wait_for_function("() => location.search.includes('seat=')")
        seat_url = player.url
        player.reload()  # the one-time rejoin token gets the seat back, and is swapped
        player.get_by_text("You're in! Waiting for the host to start.").wait_for()
        player.wait_for_function(f"() => location.href !== {seat_url!r}")

        # The host's console on the other server sees the participant by itself.
        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('Participants') && m.innerText.includes('1'))",
            timeout=30_000,
        )
        host.locator(".st-key-wh_start button").click()
        host.locator(".st-key-wh_question").wait_for()

        player.locator(".st-key-ws_question").wait_for(timeout=30_000)  # the player's poll
        key = questions[0].answer[0]
        player.locator(".st-key-ws_question [role=radiogroup] label").nth(key).click()
        wait_idle(player)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        player.screenshot(path=str(ARTIFACTS / "workshop-participant.png"), full_page=True)
        player.locator(".st-key-ws_submit button").click()
        player.locator(".st-key-ws_received").wait_for()

        # No reload: the answer count on server B changes when its fragment next polls.
        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('Answers') && m.innerText.includes('1 / 1'))",
            timeout=30_000,
        )
        tall(host, 1350)
        host.screenshot(path=str(ARTIFACTS / "workshop-host.png"), full_page=True)

        host.locator(".st-key-wh_reveal button").click()
        host.locator(".st-key-wh_reveal").first.wait_for()
        player.locator(".st-key-ws_reveal").wait_for(timeout=30_000)
        wait_idle(player)
        tall(player, 2300)
        player.screenshot(path=str(ARTIFACTS / "workshop-participant-reveal.png"), full_page=True)
        tall(host, 1900)
        host.screenshot(path=str(ARTIFACTS / "workshop-host-reveal.png"), full_page=True)
        assert "<script>" not in player.locator(".main, [data-testid=stMain]").first.inner_html()
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ANSWERS)).scalar_one() == 1
    engine.dispose()
