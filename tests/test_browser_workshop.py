"""Two Streamlit servers on one PostgreSQL database, driven in Chromium: participants on server A
answer, and the host console on server B shows the answer count without a reload (its
fragment polls the database). Two participant browsers (separate contexts) time the delay from
the host's click to the question on their screens, over QUESTIONS questions: within a second at
p95 (issue 16; the delays and their p50/p95/max are written to
tests/artifacts/workshop-latency.json). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import json
import random
import statistics

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
# Records the first moment the open-question view is on the page (reset before each click).
WATCH_QUESTION = """() => {
  window.__shown = 0;
  const seen = () => {
    if (!window.__shown && document.querySelector('.st-key-ws_question')) window.__shown = Date.now();
  };
  if (!window.__watching) {
    window.__watching = new MutationObserver(seen);
    window.__watching.observe(document.body, {childList: true, subtree: true});
  }
  seen();
}"""
# Issue 16: participants see a new question within 1 s of the host's click, at p95.
CLICK_TO_QUESTION_MS = 1000
QUESTIONS = 6  # two browsers: 12 delays


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
    singles = [q for q in sorted(bank.questions) if bank.questions[q].type == "single"]
    questions = [bank.questions[q] for q in singles[:QUESTIONS]]  # one tap answers each
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
        assert not player.locator("[data-testid=stSidebarNav]").count()  # no app menu for a player
        player.wait_for_function("() => location.search.includes('seat=')")
        seat_url = player.url
        player.reload()  # the one-time rejoin token gets the seat back, and is swapped
        player.get_by_text("You're in! Waiting for the host to start.").wait_for()
        player.wait_for_function(f"() => location.href !== {seat_url!r}")

        # A second participant in a browser of their own (a separate context: its own session).
        phone = player.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        phone.set_default_timeout(30_000)
        _, seat = rooms.join(engine, room.code, "Bo")
        phone.goto(f"{server_a}/workshop?code={room.code}&seat={seat}")
        phone.get_by_text("You're in! Waiting for the host to start.").wait_for()

        # The host's console on the other server sees the participants by itself.
        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('Participants') && m.innerText.includes('2'))",
            timeout=30_000,
        )
        delays = []
        for page in (player, phone):
            page.evaluate(WATCH_QUESTION)
        clicked = host.evaluate("Date.now()")
        host.locator(".st-key-wh_start button").click()
        host.locator(".st-key-wh_question").wait_for()
        for page in (player, phone):
            page.wait_for_function("() => window.__shown > 0", timeout=30_000)
            delays.append(page.evaluate("window.__shown") - clicked)

        key = questions[0].answer[0]
        wait_idle(player)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        player.screenshot(path=str(ARTIFACTS / "workshop-participant.png"), full_page=True)
        phone.screenshot(path=str(ARTIFACTS / "workshop-participant-phone.png"), full_page=True)
        player.locator(f".st-key-ws_opt_{key} button").click()  # one tap answers
        player.locator(".st-key-ws_received").wait_for()
        phone.locator(f".st-key-ws_opt_{(key + 1) % 4} button").click()
        phone.locator(".st-key-ws_received").wait_for()

        # No reload: the answer count on server B changes when its fragment next polls.
        host.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMetric]')]"
            ".some(m => m.innerText.includes('Answers') && m.innerText.includes('2 / 2'))",
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

        # The next questions reach both screens as quickly (the host on server B, the
        # participants on server A: the click travels through the database).
        # A host clicks at any moment of the pages' poll cycle, not just after they drew the answer.
        pause = random.Random(16)
        for _ in range(2, QUESTIONS + 1):
            for page in (player, phone):  # timing starts once both show the answer, not a question
                page.locator(".st-key-ws_reveal").wait_for(timeout=30_000)
                page.evaluate(WATCH_QUESTION)
            host.wait_for_timeout(pause.uniform(0, 1000))
            clicked = host.evaluate("Date.now()")
            host.locator(".st-key-wh_next button").click()
            for page in (player, phone):
                page.wait_for_function("() => window.__shown > 0", timeout=30_000)
                delays.append(page.evaluate("window.__shown") - clicked)
            host.locator(".st-key-wh_reveal button").click()
        p95 = statistics.quantiles(delays, n=20, method="inclusive")[-1]
        figures = {"p50": statistics.median(delays), "p95": round(p95), "max": max(delays)}
        (ARTIFACTS / "workshop-latency.json").write_text(
            json.dumps({"click_to_question_ms": delays, **figures})
        )
        assert p95 <= CLICK_TO_QUESTION_MS, figures
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(ANSWERS)).scalar_one() == 2
    engine.dispose()
