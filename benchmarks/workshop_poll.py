"""Benchmark: what idle workshop pages cost the server, and how fast a question reaches the room.

One Streamlit server (``streamlit run app.py``) on a fresh SQLite file, one headless Chromium
(Debian's ``/usr/bin/chromium`` through Playwright, as ``tests/browser.py``) with one tab per
participant (each tab its own Streamlit session), five tabs to a browser context. The
participants take their seats through the core (a seat token each, opened as
``/workshop?code=...&seat=...``) so the run does not spend minutes typing names.

Measured from the server process's CPU time (``/proc/<pid>/stat``, user + system) over windows
in which nothing but polling happens:

* ``participant_lobby_ms_per_poll`` and ``participant_question_ms_per_poll``: the server's CPU
  over the window divided by the participant polls in it (counted in the browsers: each fragment
  rerun is one message from the page to the server);
* ``host_question_ms_per_poll`` and ``host_revealed_ms_per_poll``: the host console alone (the
  participants' pages closed, the room still holding them), CPU divided by the host's polls;
* ``click_to_question_ms``: for every question opened by a click on the host's console, the
  time from the click to the question showing on each participant's screen (the same clock: one
  machine), p50 / p95 / max over all participants and questions.

Run: ``.venv/bin/python benchmarks/workshop_poll.py [--participants 20 --window 20]``; it takes
two to four minutes. Prints JSON. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from trainer.content.loader import load_bank  # noqa: E402
from trainer.store.engine import make_engine  # noqa: E402
from trainer.workshops import links, rooms  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
TABS_PER_CONTEXT = 5
# Records in the page the first moment the open-question view is on screen.
WATCH_QUESTION = """() => {
  window.__shown = 0;
  if (window.__watching) return;
  window.__watching = setInterval(() => {
    if (!window.__shown && document.querySelector('.st-key-ws_question')) window.__shown = Date.now();
  }, 10);
}"""
# Counts the page's messages to the server (each poll of the fragment is one).
COUNT_SENT = """() => { window.__sent = 0; }"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (its threads included), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def server_pid(port: int) -> int:
    """The pid of the streamlit process listening on ``port`` (a child of this process)."""
    me = os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == me and b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
            return int(proc.name)
    raise RuntimeError("streamlit server process not found")


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Counter:
    """Messages each page sent over its websocket (Streamlit's BackMsg: one per rerun request)."""

    def __init__(self) -> None:
        self.sent = 0

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framesent", self._one))

    def _one(self, _frame) -> None:
        self.sent += 1


def window(pid: int, seconds: float, counter: Counter, pump) -> tuple[float, int]:
    """Server CPU seconds and pages' messages over ``seconds`` of idle polling."""
    sent0, cpu0 = counter.sent, cpu_seconds(pid)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pump(200)  # let Playwright deliver the websocket events
    return cpu_seconds(pid) - cpu0, counter.sent - sent0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--window", type=float, default=20.0, help="seconds per measuring window")
    parser.add_argument("--questions", type=int, default=3, help="questions opened by a host click")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'poll.db'}"
        engine = make_engine(url)
        bank = load_bank()
        chosen = [bank.questions[q] for q in sorted(bank.questions)[: args.questions]]
        room, secret = rooms.create_room(engine, chosen, seconds=120, title="Poll benchmark", bank=bank)
        seats = [rooms.join(engine, room.code, f"P{i:03d}")[1] for i in range(args.participants)]
        result: dict[str, object] = {"participants": args.participants, "window_s": args.window}
        with streamlit_server({"TRAINER_DATABASE_URL": url}) as base, sync_playwright() as pw:
            pid = server_pid(int(base.rsplit(":", 1)[1]))
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            counter = Counter()
            pages = []
            # A tab per participant (each tab its own Streamlit session: the seat is held in the
            # session), TABS_PER_CONTEXT tabs to a browser context: tabs of one context share the
            # HTTP cache, so the app's JavaScript is not downloaded by every participant at once,
            # and a context stays under Chromium's limits on connections to one host.
            contexts = []
            for n, seat in enumerate(seats):
                if n % TABS_PER_CONTEXT == 0:
                    contexts.append(browser.new_context(viewport={"width": 390, "height": 844}))
                page = contexts[-1].new_page()
                page.set_default_timeout(180_000)
                counter.attach(page)
                page.goto(f"{base}/workshop?code={room.code}&seat={seat}", wait_until="commit")
                pages.append(page)
            for i, page in enumerate(pages):
                try:
                    page.get_by_text("Waiting for the host to start").wait_for()
                except Exception:
                    page.screenshot(path=f"/tmp/workshop_poll_stuck_{i}.png")
                    raise
                say(f"participant {i} in the lobby")
            say(f"{len(pages)} participants in the lobby; measuring")
            pump = pages[0].wait_for_timeout
            pump(3000)  # first draws settle
            cpu, polls = window(pid, args.window, counter, pump)
            result["participant_lobby_ms_per_poll"] = round(1000 * cpu / max(1, polls), 2)
            result["participant_lobby_polls"] = polls
            result["server_cpu_share_lobby"] = round(cpu / args.window, 3)

            host_context = browser.new_context(viewport={"width": 1300, "height": 950})
            host = host_context.new_page()
            host.set_default_timeout(180_000)
            host_counter = Counter()
            host_counter.attach(host)
            token = links.issue_host_link(engine, room.id, secret)
            host.goto(f"{base}/workshop-host?room={room.code}&key={token}", wait_until="commit")
            host.locator(".st-key-wh_auto label").first.click()  # the host reveals by hand
            host.locator(".st-key-wh_start button").wait_for()
            host.wait_for_timeout(1500)

            say("lobby measured; host console open")
            delays: list[float] = []  # the host's click to the question on a participant's screen
            click_lags: list[float] = []  # the host's click to the question opening on the server
            since_opened: list[float] = []  # the question opening on the server to a screen
            for q in range(args.questions):
                for page in pages:
                    page.evaluate(WATCH_QUESTION)
                button = host.locator(".st-key-wh_start button" if q == 0 else ".st-key-wh_next button")
                button.wait_for()
                clicked = host.evaluate("Date.now()")
                button.click()
                for page in pages:
                    page.wait_for_function("() => window.__shown > 0", polling=50)
                opened = rooms.get_room(engine, room.id).opened_at
                assert opened is not None
                click_lags.append(opened.timestamp() * 1000 - clicked)
                for page in pages:
                    delays.append(page.evaluate("window.__shown") - clicked)
                    since_opened.append(page.evaluate("window.__shown") - opened.timestamp() * 1000)
                if q == 0:  # participants idle with a question open (the host's page polls too)
                    host_polls0 = host_counter.sent
                    cpu, polls = window(pid, args.window, counter, pump)
                    host_polls = host_counter.sent - host_polls0
                    result["participant_question_polls"] = polls
                    result["server_cpu_share_question"] = round(cpu / args.window, 3)
                    result["_question_cpu"] = cpu
                    result["_question_host_polls"] = host_polls
                if q < args.questions - 1:
                    host.locator(".st-key-wh_reveal button").click()
                    host.locator(".st-key-wh_next button").wait_for()
            for name, values in (
                ("click_to_question_ms", delays),
                ("click_to_server_ms", click_lags),
                ("server_to_screen_ms", since_opened),
            ):
                result[name] = {
                    "n": len(values),
                    "p50": round(percentile(values, 0.5)),
                    "p95": round(percentile(values, 0.95)),
                    "max": round(max(values)),
                }

            say(f"questions opened: {result['click_to_question_ms']}; host console alone")
            # The host console alone (the room keeps its participants): an open question, then
            # after the reveal.
            for context in contexts:
                context.close()
            pump = host.wait_for_timeout
            pump(2000)
            cpu_q, host_polls_q = window(pid, args.window, host_counter, pump)
            result["host_question_ms_per_poll"] = round(1000 * cpu_q / max(1, host_polls_q), 2)
            result["host_question_polls"] = host_polls_q
            host.locator(".st-key-wh_reveal button").click(timeout=180_000)
            host.locator(".st-key-wh_next button").wait_for()
            pump(2000)
            cpu_r, host_polls_r = window(pid, args.window, host_counter, pump)
            result["host_revealed_ms_per_poll"] = round(1000 * cpu_r / max(1, host_polls_r), 2)
            result["host_revealed_polls"] = host_polls_r
            # Participants with a question open: the window's CPU less the host's share.
            host_share = result["host_question_ms_per_poll"] * result.pop("_question_host_polls") / 1000
            polls = result["participant_question_polls"]
            cpu = result.pop("_question_cpu")
            result["participant_question_ms_per_poll"] = round(
                1000 * max(0.0, cpu - host_share) / max(1, polls), 2
            )
            browser.close()
        engine.dispose()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
