"""``trainer study optimize`` and ``trainer study plan``: a profile's FSRS parameters and workload.

``optimize`` fits FSRS parameters to the profile's own review log (``trainer.study.optimizer``),
shows log loss and RMSE (bins) of the current and the new parameters on reviews the optimiser did
not see, and adopts the new ones only when they are better (``--monthly``: only when the last run
is a month old, for a scheduled job). ``plan`` simulates reviews and minutes a day for desired
retention 0.70 to 0.97 (``trainer.study.workload``). The database is ``TRAINER_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from trainer.cli.reporting import print_result

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from trainer.store.tables import Profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "study",
        help="fit a profile's FSRS parameters to its reviews, or plan its workload",
        description="Study scheduling for one profile: optimise its FSRS parameters from its own "
        "review log, or simulate its workload for a range of desired retentions.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    optimize = actions.add_parser(
        "optimize",
        help="fit FSRS parameters to the profile's review log; adopt them only when better",
        description="Fit FSRS parameters to the profile's review log with fsrs-rs (Anki's "
        "optimiser). Both the current and the new parameters are scored on the later 20%% of the "
        "reviews, which the optimiser does not see; the new ones are adopted only when better.",
    )
    optimize.add_argument("--profile", required=True, help="the profile's name")
    optimize.add_argument(
        "--monthly", action="store_true", help="do nothing unless the last run is 30 days old"
    )
    optimize.add_argument("--json", action="store_true", help="print the result as JSON")
    optimize.set_defaults(handler=run_optimize)
    plan = actions.add_parser(
        "plan",
        help="reviews and minutes a day for desired retention 0.70 to 0.97, and the optimal one",
        description="Simulate the profile's next 90 days (or to its exam date) at desired "
        "retention 0.70 to 0.97: reviews and minutes a day, cards remembered, and the retention "
        "that costs least work per card remembered (as Anki's FSRS simulator).",
    )
    plan.add_argument("--profile", required=True, help="the profile's name")
    plan.add_argument("--days", type=int, help="days to simulate (default 90, or to the exam date)")
    plan.add_argument("--json", action="store_true", help="print the result as JSON")
    plan.set_defaults(handler=run_plan)


def _profile(name: str) -> tuple[Engine, Profile]:
    from trainer.cli import UsageError
    from trainer.store.engine import DatabaseUrlError, make_engine
    from trainer.study.profiles import ProfileError, find_profile

    try:
        engine = make_engine()
    except DatabaseUrlError as exc:
        raise UsageError(str(exc)) from None
    try:
        profile = find_profile(engine, name)
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    if profile is None:
        raise UsageError(f"no profile named {name!r}; the names are on the Profile page")
    return engine, profile


def run_optimize(args: argparse.Namespace) -> int:
    from trainer.study.optimizer import monthly_due, optimise_profile
    from trainer.study.queue import settings_for

    engine, profile = _profile(args.profile)
    assert profile.id is not None
    if args.monthly and not monthly_due(engine, profile.id):
        print("the last optimisation is less than 30 days old: nothing to do")
        return 0
    result = optimise_profile(engine, profile, settings_for(profile))

    def text_of() -> str:
        if result.parameters is None:
            return f"not optimised: {result.reason}"
        return "\n".join(
            [
                f"{result.reviews:,} reviews; scored on the later 20 % the optimiser did not see",
                f"  log loss      current {result.previous_log_loss:.4f}   new {result.log_loss:.4f}",
                f"  RMSE (bins)   current {result.previous_rmse_bins:.4f}   new {result.rmse_bins:.4f}",
                f"  {result.reason}",
            ]
        )

    return print_result(args.json, result.to_json_dict, text_of)


def run_plan(args: argparse.Namespace) -> int:
    from trainer.cli import UsageError
    from trainer.study.exam_plan import new_cards_left
    from trainer.study.queue import settings_for
    from trainer.study.workload import WorkloadError, plan_for_profile

    engine, profile = _profile(args.profile)
    assert profile.id is not None
    try:
        plan = plan_for_profile(
            engine, profile.id, settings_for(profile), new_cards_left(engine, profile.id), args.days
        )
    except WorkloadError as exc:
        raise UsageError(str(exc)) from None

    def json_of() -> dict[str, Any]:
        return plan.to_json_dict()

    return print_result(args.json, json_of, plan.describe)
