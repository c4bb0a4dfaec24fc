"""Benchmark: "record a rating, then fetch the next card" on a large collection.

A file SQLite database with 10,000 cards (7,000 already in review, a few thousand due) and
100,000 review-log rows; the loop answers the current card Good and fetches the next one, as
the Study page does. When the `anki` package is installed (`pip install -e '.[bench]'`), the
same workload runs on Anki's own library in the same invocation and the ratio is printed.

The goal is a p50 ratio to Anki of at most RATIO_GOAL. Other work on the machine slows both
sides, so the load average before and after the run is printed with the numbers.

It also times fitting FSRS parameters to 100,000 reviews (fsrs-rs, target under 10 s) and a
90-day workload plan for the 10,000 cards at 28 retentions (target under 2 s).

Prints JSON. Run: `make bench` or `.venv/bin/python benchmarks/study.py [--iterations N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.store.engine import make_engine  # noqa: E402
from trainer.store.tables import CardState, ReviewLog  # noqa: E402
from trainer.study.optimizer import LogReview, optimise  # noqa: E402
from trainer.study.profiles import create_profile, update_settings  # noqa: E402
from trainer.study.queue import Study  # noqa: E402
from trainer.study.scheduling import Rating, Settings  # noqa: E402
from trainer.study.workload import plan_workload  # noqa: E402

CARDS = 10_000
REVIEWED = 7_000
DUE_NOW = 3_000
LOG_ROWS = 100_000
TOPICS = [f"topic-{i}" for i in range(9)]
RATIO_GOAL = 1.5


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summary(times_ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(times_ms), 4),
        "p95_ms": round(percentile(times_ms, 0.95), 4),
        "mean_ms": round(statistics.fmean(times_ms), 4),
    }


def build_trainer_db(path: Path, now: datetime) -> Study:
    engine = make_engine(f"sqlite:///{path}")
    profile = create_profile(engine, "bench")
    profile = update_settings(engine, profile.id, reviews_per_day=99_999, new_per_day=9_999)
    rng = random.Random(7)
    states = []
    for i in range(CARDS):
        reviewed = i < REVIEWED
        due = (
            now - timedelta(days=rng.randint(0, 5))
            if i < DUE_NOW
            else now + timedelta(days=rng.randint(1, 90))
        )
        states.append(
            {
                "profile_id": profile.id,
                "card_id": f"card-{i:05d}",
                "topic": TOPICS[i % len(TOPICS)],
                "state": "review" if reviewed else "new",
                "queue": "review" if reviewed else "new",
                "position": i,
                "step": None,
                "stability": rng.uniform(2, 60) if reviewed else None,
                "difficulty": rng.uniform(3, 8) if reviewed else None,
                "due": due if reviewed else None,
                "last_review": due - timedelta(days=rng.randint(2, 30)) if reviewed else None,
                "reps": rng.randint(2, 20) if reviewed else 0,
                "lapses": 0,
                "suspended": False,
                "leech": False,
                "retired": False,
            }
        )
    logs = [
        {
            "profile_id": profile.id,
            "card_id": f"card-{rng.randrange(REVIEWED):05d}",
            "rating": rng.randint(1, 4),
            "reviewed_at": now - timedelta(minutes=rng.randint(60 * 24, 60 * 24 * 365)),
            "kind": "review",
            "state_before": "review",
            "state_after": "review",
        }
        for _ in range(LOG_ROWS)
    ]
    with engine.begin() as conn:
        conn.execute(CardState.__table__.insert(), states)
        conn.execute(ReviewLog.__table__.insert(), logs)
    return Study(engine, profile)


def run_trainer(iterations: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        now = datetime.now(UTC)
        study = build_trainer_db(Path(tmp) / "bench.db", now)
        card = study.next_card(now)
        times = []
        last_topic = None
        for _ in range(iterations):
            start = time.perf_counter()
            study.answer(card.card_id, Rating.GOOD)
            last_topic = card.topic
            card = study.next_card(last_topic=last_topic)
            times.append((time.perf_counter() - start) * 1000)
        return summary(times)


def run_anki(iterations: int) -> dict | None:
    try:
        from anki.collection import Collection
        from anki.scheduler.v3 import CardAnswer
    except ImportError:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "bench.anki2"))
        basic = col.models.by_name("Basic")
        deck_id = col.decks.id("bench")
        for i in range(CARDS):
            note = col.new_note(basic)
            note["Front"], note["Back"] = f"front {i}", f"back {i}"
            col.add_note(note, deck_id)
        card_ids = list(col.find_cards("deck:bench"))
        col.sched.set_due_date(card_ids[:DUE_NOW], "0")
        col.sched.set_due_date(card_ids[DUE_NOW:REVIEWED], "1-90")
        rng = random.Random(7)
        base = int(time.time() * 1000) - 400 * 86_400_000
        col.db.executemany(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "values (?, ?, -1, ?, 10, 5, 2500, 8000, 1)",
            [(base + i * 97, card_ids[rng.randrange(REVIEWED)], rng.randint(1, 4)) for i in range(LOG_ROWS)],
        )
        conf = col.decks.config_dict_for_deck_id(deck_id)
        conf["rev"]["perDay"] = 9_999  # Anki's maximum
        conf["new"]["perDay"] = 9_999
        col.decks.update_config(conf)
        col.decks.select(deck_id)
        times = []
        queued = col.sched.get_queued_cards()
        for _ in range(iterations):
            start = time.perf_counter()
            top = queued.cards[0]
            card = col.get_card(top.card.id)
            card.start_timer()
            col.sched.answer_card(
                col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.GOOD)
            )
            queued = col.sched.get_queued_cards()
            times.append((time.perf_counter() - start) * 1000)
        col.close()
        return summary(times)


def run_fitting_and_planning() -> dict:
    """Fit parameters to LOG_ROWS synthetic reviews (10 a card, gaps growing, ratings mostly Good)
    and plan 90 days of workload for CARDS cards."""
    rng = random.Random(11)
    start = datetime(2025, 1, 6, 12, tzinfo=UTC)
    log = []
    for i in range(LOG_ROWS // 10):
        at, gap = start + timedelta(days=rng.randint(0, 60)), 1.0
        for _ in range(10):
            rating = rng.choices((1, 2, 3, 4), (0.1, 0.15, 0.65, 0.1))[0]
            log.append(LogReview(f"card-{i:05d}", rating, at))
            gap = 1.0 if rating == 1 else gap * rng.uniform(1.8, 3.0)
            at += timedelta(days=max(1, round(gap)))
    started = time.perf_counter()
    fitted = optimise(log, Settings())
    fit_s = time.perf_counter() - started
    started = time.perf_counter()
    plan = plan_workload(Settings(), CARDS, 90)
    plan_s = time.perf_counter() - started
    return {
        "optimise_reviews": len(log),
        "optimise_s": round(fit_s, 2),
        "optimise_under_10_s": fit_s < 10,
        "optimise_adopted": fitted.adopted,
        "workload_plan_90_days_s": round(plan_s, 2),
        "workload_plan_under_2_s": plan_s < 2,
        "optimal_retention": plan.optimal_retention,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=1000)
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]
    ours = run_trainer(args.iterations)
    result: dict = {
        "workload": {
            "cards": CARDS,
            "review_log_rows": LOG_ROWS,
            "iterations": args.iterations,
            "database": "file SQLite (WAL)",
        },
        "machine": {"cpus": os.cpu_count(), "load_average_before": load_before},
        "answer_next_p50_ms": ours["p50_ms"],
        "answer_next_p95_ms": ours["p95_ms"],
        "trainer": ours,
    }
    anki = run_anki(args.iterations)
    if anki:
        result["anki"] = anki
        result["ratio_p50_vs_anki"] = round(ours["p50_ms"] / anki["p50_ms"], 2)
        result["ratio_p95_vs_anki"] = round(ours["p95_ms"] / anki["p95_ms"], 2)
        result["ratio_p50_goal"] = RATIO_GOAL
        result["ratio_p50_within_goal"] = result["ratio_p50_vs_anki"] <= RATIO_GOAL
    else:
        result["anki"] = "not installed: pip install -e '.[bench]' to compare"
    result["fitting_and_planning"] = run_fitting_and_planning()
    result["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
