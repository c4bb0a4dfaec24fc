"""``trainer simulate study``: replay a simulated learner through the real study scheduler.

With ``--exam-in-days`` the exam-date rules apply (``trainer.study.exam_date``); without it the
schedule is the usual one and the recall figures are taken at the end of ``--days``. Prints
unseen_at_exam, share_recall_at_least_0_9_at_exam, mean_recall_at_exam, reviews_total and
max_reviews_per_day (``--json`` for the document). Work is bounded: at most 10,000 cards over
365 days.
"""

from __future__ import annotations

import argparse
from typing import Any

from trainer.cli.reporting import print_result


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "study",
        help="replay a simulated learner through the study scheduler (with or without an exam date)",
        description="Replay a learner who studies once a day through the trainer's own FSRS "
        "scheduler, answers drawn from FSRS's predicted recall, and report how ready they are on "
        "exam day. Leave out --exam-in-days for the schedule without an exam date.",
    )
    add = parser.add_argument
    add("--cards", type=int, default=1000, help="cards in the collection (default 1000, at most 10000)")
    add("--new-per-day", type=int, default=20, help="the learner's usual new cards a day (default 20)")
    add("--exam-in-days", type=int, help="exam date this many days after the start (default: none)")
    add("--days", type=int, help="days replayed (default: to the exam, or 60)")
    add("--desired-retention", type=float, default=0.9, help="FSRS desired retention (default 0.9)")
    add("--max-new-per-day", type=int, default=50, help="the exam pace's maximum (default 50)")
    add("--reviews-per-day", type=int, default=9999, help="daily review limit (default 9999)")
    add("--seed", type=int, default=1, help="random seed of the learner's answers (default 1)")
    add("--json", action="store_true", help="print the result as JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from trainer.cli import UsageError
    from trainer.study.replay import ReplayError, ReplaySettings, replay

    try:
        settings = ReplaySettings(
            cards=args.cards,
            new_per_day=args.new_per_day,
            exam_in_days=args.exam_in_days,
            days=args.days,
            desired_retention=args.desired_retention,
            max_new_per_day=args.max_new_per_day,
            reviews_per_day=args.reviews_per_day,
            seed=args.seed,
        )
    except ReplayError as exc:
        raise UsageError(str(exc)) from None
    result = replay(settings)

    def json_of() -> dict[str, Any]:
        return result.to_json_dict()

    def text_of() -> str:
        exam = f"exam in {settings.exam_in_days} days" if settings.exam_in_days else "no exam date"
        return "\n".join(
            [
                f"{settings.cards:,} cards, {settings.new_per_day} new a day, {exam}, "
                f"retention {settings.desired_retention:g}, seed {settings.seed}",
                f"  unseen at the exam          {result.unseen_at_exam:,}",
                f"  recall >= 0.9 at the exam   "
                f"{100 * result.share_recall_at_least_0_9_at_exam:.1f} % of cards",
                f"  mean recall at the exam     {result.mean_recall_at_exam:.3f}",
                f"  answers                     {result.reviews_total:,} "
                f"(busiest day {result.max_reviews_per_day:,})",
            ]
        )

    return print_result(args.json, json_of, text_of)
