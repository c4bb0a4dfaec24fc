"""Benchmark: what idle workshop pages cost the server, and how fast a question reaches the room.

One Streamlit server (``streamlit run app.py``) on a fresh SQLite file, one headless Chromium
(Debian's ``/usr/bin/chromium`` through Playwright, as ``tests/browser.py``) with one tab per
participant (each tab its own Streamlit session), five tabs to a browser context. The
participants take their seats through the core (a seat token each, opened as
``/workshop?code=...&seat=...``) so the run does not spend minutes typing names.

Everything is measured as the server process's CPU time (``/proc/<pid>/stat``, user + system,
its finished threads included), never wall time, so other work on the machine slows the run
but does not change the figures much. Each figure is a window in which nothing but polling
happens, less the server's own idle CPU (measured first, with no page open):

* ``participant_lobby_ms_per_poll`` and ``participant_question_ms_per_poll``: the window's CPU
  divided by the participants' polls in it (counted in the browsers: each fragment rerun is one
  websocket message from the page), the host console's share taken off in the second;
* ``host_question_ms_per_poll`` and ``host_revealed_ms_per_poll``: host consoles alone (the
  participants' tabs closed, the room still holding them), ``--hosts`` of them so a window
  holds enough polls to measure;
* ``participant_redraw_ms``: what a page costs the server beyond its poll when the room moves
  on (it draws the whole page again, once): the host pauses and resumes the question every
  second for a window, and the extra CPU is divided by the steps times the participants. A room
  of N costs N times this at every question, within one poll;
* ``click_to_question_ms``: for every question opened by a click on the host's console, the
  time from the click to the question showing on each participant's screen (a MutationObserver
  in the page; one machine, one clock), p50 / p95 / max over all participants and questions;
  split into ``click_to_server_ms`` (the question's opening time in the database) and
  ``server_to_screen_ms``.

``goal_ratio`` is the participant's cost per poll over the issue's goal of 5 ms (under 1: met);
``participants_per_core`` is what one core would serve at the page's poll interval.

Run: ``.venv/bin/python benchmarks/workshop_poll.py [--participants 20 --window 20]``; about two
minutes for 20 participants. Progress on stderr, JSON on stdout. Not part of ``make test``. On
a page that does not get where it should, the run stops with a screenshot in tests/artifacts/.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, streamlit_server  # noqa: E402
from trainer.content.loader import load_bank  # noqa: E402
from trainer.store.engine import make_engine  # noqa: E402
from trainer.workshops import links, rooms  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
TABS_PER_CONTEXT = 5
GOAL_MS = 5.0  # issue 17: under 5 ms of server CPU per participant poll
POLL_SECONDS = float(os.environ.get("TRAINER_WORKSHOP_POLL_SECONDS") or 0.75)  # the page's default
WAIT_MS = 90_000  # a page that takes longer than this to get somewhere is stuck
SHOWN = "() => window.__shown > 0"
# Records in the page the first moment the open-question view is on screen (reset per click).
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (its threads, finished ones included), in seconds."""
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


def summary(values: list[float]) -> dict[str, int]:
    return {
        "n": len(values),
        "p50": round(percentile(values, 0.5)),
        "p95": round(percentile(values, 0.95)),
        "max": round(max(values)),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class Counter:
    """Messages the pages sent over their websockets (Streamlit's BackMsg: one per rerun request)."""

    def __init__(self) -> None:
        self.sent = 0

    def attach(self, page) -> None:
        page.on("websocket", lambda ws: ws.on("framesent", self._one))

    def _one(self, _frame) -> None:
        self.sent += 1


def wait_or_explain(page, what: str, check) -> None:
    """Run ``check()`` (a Playwright wait); if the page never gets there, keep a screenshot and
    say which page and what it was waiting for."""
    try:
        check()
    except Exception as exc:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"workshop-poll-stuck-{int(time.time())}.png"
        page.screenshot(path=str(shot))
        raise SystemExit(
            f"a page never showed {what} within {WAIT_MS // 1000} s ({exc!r}); see {shot}"
        ) from exc


class Server:
    """The server process's CPU over windows of polling, less its idle rate."""

    def __init__(self, pid: int, pump) -> None:
        self.pid, self.pump, self.idle_per_s = pid, pump, 0.0

    def measure_idle(self, seconds: float) -> None:
        self.idle_per_s = self.window(seconds, Counter())[0] / seconds

    def window(self, seconds: float, counter: Counter) -> tuple[float, int]:
        """CPU seconds (idle rate taken off) and messages counted over ``seconds`` of polling."""
        sent0, cpu0, start = counter.sent, cpu_seconds(self.pid), time.monotonic()
        while time.monotonic() - start < seconds:
            self.pump(200)  # let Playwright deliver the websocket events
        cpu = cpu_seconds(self.pid) - cpu0 - self.idle_per_s * (time.monotonic() - start)
        return max(0.0, cpu), counter.sent - sent0


def per_poll(cpu: float, polls: int) -> float:
    return round(1000 * cpu / max(1, polls), 2)


def redraws(server: Server, host, seconds: float) -> tuple[int, float, float]:
    """The host pauses and resumes the open question for about ``seconds``: each is a step that
    every participant's page draws again in full. Returns the steps, the server's CPU (idle rate
    taken off) and the window's length."""
    steps, cpu0, start = 0, cpu_seconds(server.pid), time.monotonic()
    while time.monotonic() - start < seconds - 3:
        for click, then in (("wh_pause", "wh_resume"), ("wh_resume", "wh_pause")):
            host.locator(f".st-key-{click} button").click()
            host.locator(f".st-key-{then} button").wait_for()
            server.pump(1000)  # every page polls at least once: it has drawn the step
            steps += 1
    server.pump(2000)  # the last step's redraws end
    elapsed = time.monotonic() - start
    return steps, cpu_seconds(server.pid) - cpu0 - server.idle_per_s * elapsed, elapsed


def open_host(context, base: str, engine, room, secret: str, counter: Counter, manual: bool):
    """A host console in its own tab (its own session), from a one-time host link."""
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    counter.attach(page)
    token = links.issue_host_link(engine, room.id, secret)
    page.goto(f"{base}/workshop-host?room={room.code}&key={token}", wait_until="commit")
    wait_or_explain(page, "the host console", page.locator(".st-key-wh_auto").wait_for)
    if manual:
        page.locator(".st-key-wh_auto label").first.click()  # the host reveals by hand
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--window", type=float, default=20.0, help="seconds per measuring window")
    parser.add_argument("--questions", type=int, default=3, help="questions opened by a host click")
    parser.add_argument("--hosts", type=int, default=4, help="host consoles in the host-only windows")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    result: dict[str, object] = {
        "participants": args.participants,
        "window_s": args.window,
        "poll_s": POLL_SECONDS,
        "cores": os.cpu_count(),
        "load_average_before": load_average(),
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'poll.db'}"
        engine = make_engine(url)
        bank = load_bank()
        chosen = [bank.questions[q] for q in sorted(bank.questions)[: args.questions + 1]]
        room, secret = rooms.create_room(engine, chosen, seconds=300, title="Poll benchmark", bank=bank)
        seats = [rooms.join(engine, room.code, f"P{i:03d}")[1] for i in range(args.participants)]
        with streamlit_server({"TRAINER_DATABASE_URL": url}) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            pages: list = []
            counter = Counter()
            server = Server(server_pid(int(base.rsplit(":", 1)[1])), lambda ms: time.sleep(ms / 1000))
            server.measure_idle(min(5.0, args.window))
            result["server_idle_cpu_share"] = round(server.idle_per_s, 4)

            # A tab per participant (each tab its own Streamlit session: the seat is held in the
            # session), TABS_PER_CONTEXT tabs to a browser context: tabs of one context share the
            # HTTP cache, so the app's JavaScript is not downloaded by every participant at once.
            contexts = []
            for n, seat in enumerate(seats):
                if n % TABS_PER_CONTEXT == 0:
                    contexts.append(browser.new_context(viewport={"width": 390, "height": 844}))
                page = contexts[-1].new_page()
                page.set_default_timeout(WAIT_MS)
                counter.attach(page)
                page.goto(f"{base}/workshop?code={room.code}&seat={seat}", wait_until="commit")
                pages.append(page)
            for page in pages:
                lobby_text = page.get_by_text("Waiting for the host to start")
                wait_or_explain(page, "the lobby", lobby_text.wait_for)
            say(f"{len(pages)} participants in the lobby after {time.monotonic() - started:.0f} s; measuring")
            server.pump = pages[0].wait_for_timeout
            server.pump(3000)  # first draws settle
            cpu, polls = server.window(args.window, counter)
            lobby = per_poll(cpu, polls)
            result["participant_lobby_ms_per_poll"] = lobby
            result["participant_lobby_polls"] = polls

            host_context = browser.new_context(viewport={"width": 1300, "height": 950})
            host_counter = Counter()
            host = open_host(host_context, base, engine, room, secret, host_counter, manual=True)
            host.locator(".st-key-wh_start button").wait_for()
            host.wait_for_timeout(1500)
            say("host console open; opening questions")

            delays: list[float] = []  # the host's click to the question on a participant's screen
            click_lags: list[float] = []  # the host's click to the question opening on the server
            since_opened: list[float] = []  # the question opening on the server to a screen
            for q in range(args.questions):
                for page in pages:
                    if q:  # every page shows the revealed answer, not the question before, when timing starts
                        wait_or_explain(page, f"answer {q}", page.locator(".st-key-ws_reveal").wait_for)
                    page.evaluate(WATCH_QUESTION)
                button = host.locator(".st-key-wh_start button" if q == 0 else ".st-key-wh_next button")
                button.wait_for()
                clicked = host.evaluate("Date.now()")
                button.click()
                for page in pages:
                    wait_or_explain(
                        page, f"question {q + 1}", partial(page.wait_for_function, SHOWN, polling=100)
                    )
                opened = rooms.get_room(engine, room.id).opened_at
                assert opened is not None
                opened_ms = opened.timestamp() * 1000
                click_lags.append(opened_ms - clicked)
                for page in pages:
                    shown = page.evaluate("window.__shown")
                    delays.append(shown - clicked)
                    since_opened.append(shown - opened_ms)
                if q == 0:  # participants idle with a question open (the host's page polls too)
                    server.pump(2000)
                    host0 = host_counter.sent
                    question_cpu, question_polls = server.window(args.window, counter)
                    question_host_polls = host_counter.sent - host0
                    result["participant_question_polls"] = question_polls
                    steps, redraw_cpu, seconds = redraws(server, host, args.window)
                    extra = redraw_cpu - (question_cpu / args.window) * seconds  # beyond polling
                    result["participant_redraw_ms"] = round(1000 * extra / (steps * len(pages)), 2)
                    result["redraw_steps"] = steps
                wait_or_explain(
                    host, f"Reveal on question {q + 1}", host.locator(".st-key-wh_reveal button").click
                )
                wait_or_explain(
                    host, f"Next after question {q + 1}", host.locator(".st-key-wh_next button").wait_for
                )
            result["click_to_question_ms"] = summary(delays)
            result["click_to_server_ms"] = summary(click_lags)
            result["server_to_screen_ms"] = summary(since_opened)
            say(f"click to question: {result['click_to_question_ms']}; host consoles alone")

            # Host consoles alone (the room keeps its participants): an open question, then the
            # revealed one. Several consoles, so a window holds enough polls to measure.
            for context in contexts:
                context.close()
            hosts = [host] + [
                open_host(host_context, base, engine, room, secret, host_counter, manual=True)
                for _ in range(args.hosts - 1)
            ]
            host.locator(".st-key-wh_next button").click()
            for page in hosts:
                page.locator(".st-key-wh_reveal button").wait_for()
            server.pump = host.wait_for_timeout
            server.pump(3000)
            cpu, host_polls = server.window(args.window, host_counter)
            host_question = per_poll(cpu, host_polls)
            result["host_question_ms_per_poll"] = host_question
            result["host_question_polls"] = host_polls
            host.locator(".st-key-wh_reveal button").click()
            for page in hosts:
                page.locator(".st-key-wh_next button").wait_for()
            server.pump(3000)
            cpu, host_polls = server.window(args.window, host_counter)
            result["host_revealed_ms_per_poll"] = per_poll(cpu, host_polls)
            result["host_revealed_polls"] = host_polls

            # Participants with a question open: that window's CPU less the host console's share.
            host_share = host_question * question_host_polls / 1000
            question = per_poll(max(0.0, question_cpu - host_share), question_polls)
            result["participant_question_ms_per_poll"] = question
            browser.close()
        engine.dispose()
    worst = max(lobby, question)
    result["goal_ms_per_poll"] = GOAL_MS
    result["goal_ratio"] = round(worst / GOAL_MS, 2)
    result["participants_per_core"] = int(1000 / (worst / POLL_SECONDS)) if worst else None
    result["load_average_after"] = load_average()
    result["run_s"] = round(time.monotonic() - started)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
