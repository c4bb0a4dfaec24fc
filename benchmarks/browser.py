"""Key press -> next card shown, in Chromium, against the floor of a one-button Streamlit page.

    .venv/bin/python benchmarks/browser.py [--cards 50]

Starts two Streamlit servers in the same run: the trainer (a fresh database, one profile with
enough new cards a day) and a page with one button whose shortcut is Space and a counter. For
each of the trainer's cards it presses Space (show the answer), waits for the back, presses 3
(Good) and times until a different card's front is on screen. For the floor it presses Space and
times until the counter shows the new value. It prints p50 and p95 of both and their ratio (the
issue's target: the study loop within 2x the floor at p50), then the same as one JSON line with
the machine's load average before and after.

Needs Debian's chromium and Playwright (see tests/browser.py). A shared machine's load moves both
numbers; the ratio, measured in the same run, is the figure to compare.
"""

from __future__ import annotations

import argparse
import json
import os
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
        front = page.locator(".st-key-card_front")
        front.wait_for()  # the first run drawn, as for the floor below
        page.wait_for_selector(IDLE)
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
        # The page's first run drawn (idle alone can be seen before that run has started).
        page.get_by_text("presses: 0", exact=True).wait_for()
        page.wait_for_selector(IDLE)
        for n in range(1, presses + 1):
            start = time.perf_counter()
            page.keyboard.press("Space")
            # Waited for the way the study loop is (a function polled each frame), so the two
            # numbers differ by the apps, not by how the benchmark looks for the change.
            page.wait_for_function(
                "t => [...document.querySelectorAll('[data-testid=stMarkdownContainer] p')]"
                ".some(p => p.innerText === t)",
                arg=f"presses: {n}",
            )
            timings.append(time.perf_counter() - start)
            page.wait_for_selector(IDLE)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cards", type=int, default=50)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        study = study_loop(args.cards, Path(tmp))
        base = floor(args.cards, Path(tmp))
    s50, s95 = statistics.median(study), percentile(study, 0.95)
    f50, f95 = statistics.median(base), percentile(base, 0.95)
    print(f"study loop, key 3 -> next card ({len(study)} cards): p50 {s50:.3f} s, p95 {s95:.3f} s")
    print(f"one-button floor, Space -> counter ({len(base)} presses): p50 {f50:.3f} s, p95 {f95:.3f} s")
    print(f"ratio at p50: {s50 / f50:.2f}x (target: at most 2x)")
    result = {
        "study_p50_s": round(s50, 4),
        "study_p95_s": round(s95, 4),
        "floor_p50_s": round(f50, 4),
        "floor_p95_s": round(f95, 4),
        "ratio_p50": round(s50 / f50, 3),
        "target_ratio_p50": 2.0,
        "cards": len(study),
        # The machine is shared: its load (1, 5, 15 min) before and after says how far to trust it.
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
