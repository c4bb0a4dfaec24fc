"""Key press -> next card shown, in Chromium, against the floor of a one-button Streamlit page.

    .venv/bin/python benchmarks/browser.py [--cards 50]

Starts two Streamlit servers in the same run: the trainer (a fresh database, one profile with
enough new cards a day) and a page with one button whose shortcut is Space and a counter. For
each of the trainer's cards it presses Space (show the answer), waits for the back, presses 3
(Good) and times until a different card's front is on screen. For the floor it presses Space and
times until the counter shows the new value. It prints p50 and p95 of both and their ratio (the
issue's target: the study loop within 2x the floor at p50).

Needs Debian's chromium and Playwright (see tests/browser.py). A shared machine's load moves both
numbers; the ratio, measured in the same run, is the figure to compare.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import chromium_page, streamlit_server  # noqa: E402
from trainer.store.engine import make_engine  # noqa: E402
from trainer.study.profiles import create_profile, update_settings  # noqa: E402

IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
FLOOR_PAGE = """
import streamlit as st

st.session_state.setdefault("presses", 0)
if st.button("Next", key="floor_next", shortcut="Space"):
    st.session_state.presses += 1
st.markdown(f"presses: {st.session_state.presses}")
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def study_loop(cards: int, workdir: Path) -> list[float]:
    db_url = f"sqlite:///{workdir / 'trainer.db'}"
    engine = make_engine(db_url)
    profile = create_profile(engine, "Benchmark")
    assert profile.id is not None
    update_settings(engine, profile.id, new_per_day=cards + 10)
    timings: list[float] = []
    with streamlit_server({"TRAINER_DATABASE_URL": db_url}) as url, chromium_page(1280, 900) as page:
        page.goto(url)
        page.wait_for_selector(IDLE)
        front = page.locator(".st-key-card_front")
        for _ in range(cards):
            before = front.inner_text()
            page.keyboard.press("Space")
            page.locator(".st-key-card_back").wait_for()
            page.wait_for_selector(IDLE)
            start = time.perf_counter()
            page.keyboard.press("3")
            page.wait_for_function(
                "t => { const el = document.querySelector('.st-key-card_front');"
                " return el && el.innerText !== t && !document.querySelector('.st-key-card_back'); }",
                arg=before,
            )
            timings.append(time.perf_counter() - start)
            page.wait_for_selector(IDLE)
    return timings


def floor(presses: int, workdir: Path) -> list[float]:
    script = workdir / "floor_page.py"
    script.write_text(FLOOR_PAGE)
    timings: list[float] = []
    with streamlit_server({}, script=str(script)) as url, chromium_page(1280, 900) as page:
        page.goto(url)
        page.wait_for_selector(IDLE)
        for n in range(1, presses + 1):
            start = time.perf_counter()
            page.keyboard.press("Space")
            page.get_by_text(f"presses: {n}", exact=True).wait_for()
            timings.append(time.perf_counter() - start)
            page.wait_for_selector(IDLE)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        study = study_loop(args.cards, Path(tmp))
        base = floor(args.cards, Path(tmp))
    s50, s95 = statistics.median(study), percentile(study, 0.95)
    f50, f95 = statistics.median(base), percentile(base, 0.95)
    print(f"study loop, key 3 -> next card ({len(study)} cards): p50 {s50:.3f} s, p95 {s95:.3f} s")
    print(f"one-button floor, Space -> counter ({len(base)} presses): p50 {f50:.3f} s, p95 {f95:.3f} s")
    print(f"ratio at p50: {s50 / f50:.2f}x (target: at most 2x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
