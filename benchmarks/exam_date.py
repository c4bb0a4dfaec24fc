"""Benchmark: studying toward an exam date, against the same learner without one.

Simulated learners (answers drawn from FSRS's predicted recall) replayed through the trainer's own
scheduler (``trainer.study.replay``), several seeds each:

* ``exam_date``: the exam date set, usual pace ``--new-per-day`` (the exam pace raises it);
* ``no_date_same_pace``: no date, the usual pace;
* ``no_date_exam_pace``: no date, but the pace the exam date needed from day one, so the number
  of reviews is comparable and only the interval rules differ.

Recall is FSRS's retrievability at the start of the exam day (or the same moment without a date).
Prints JSON. Run: `.venv/bin/python benchmarks/exam_date.py [--cards N --exam-in-days N --seeds N]`.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer.study.exam_date import INTRODUCTION_LEAD_DAYS  # noqa: E402
from trainer.study.replay import ReplaySettings, replay, with_seed  # noqa: E402

KEYS = (
    "unseen_at_exam",
    "share_recall_at_least_0_9_at_exam",
    "mean_recall_at_exam",
    "reviews_total",
    "max_reviews_per_day",
    "min_reviews_before_exam",
)


def run(variant: ReplaySettings, seeds: int) -> dict[str, float]:
    results = [replay(with_seed(variant, seed)).to_json_dict() for seed in range(seeds)]
    return {key: round(statistics.fmean(float(str(r[key])) for r in results), 4) for key in KEYS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--new-per-day", type=int, default=20)
    parser.add_argument("--exam-in-days", type=int, default=40)
    parser.add_argument("--desired-retention", type=float, default=0.9)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    exam_pace = math.ceil(args.cards / max(1, args.exam_in_days - INTRODUCTION_LEAD_DAYS + 1))
    common = {"cards": args.cards, "desired_retention": args.desired_retention}
    variants = {
        "exam_date": ReplaySettings(**common, new_per_day=args.new_per_day, exam_in_days=args.exam_in_days),
        "no_date_same_pace": ReplaySettings(**common, new_per_day=args.new_per_day, days=args.exam_in_days),
        "no_date_exam_pace": ReplaySettings(**common, new_per_day=exam_pace, days=args.exam_in_days),
    }
    started = time.perf_counter()
    out: dict[str, object] = {
        "cards": args.cards,
        "exam_in_days": args.exam_in_days,
        "new_per_day": args.new_per_day,
        "exam_pace_new_per_day": exam_pace,
        "desired_retention": args.desired_retention,
        "seeds": args.seeds,
    }
    for name, variant in variants.items():
        out[name] = run(variant, args.seeds)
    out["seconds"] = round(time.perf_counter() - started, 2)
    json.dump(out, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
