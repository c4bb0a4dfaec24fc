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
    anki = actions.add_parser(
        "import-anki",
        help="import review history from an Anki .colpkg/.apkg for cards of this trainer's export",
        description="Replay the Anki revlog of notes this trainer exported (matched by their stable "
        "GUIDs) into the profile's review log and card memory. Unknown notes and cards that already "
        "have history here are reported, never guessed or overwritten (--force merges histories).",
    )
    anki.add_argument("file", help="the Anki package (.colpkg or .apkg)")
    anki.add_argument("--profile", required=True, help="the profile's name")
    anki.add_argument("--dry-run", action="store_true", help="report what would be imported, write nothing")
    anki.add_argument("--force", action="store_true", help="merge into cards that already have history")
    anki.add_argument("--json", action="store_true", help="print the result as JSON")
    anki.set_defaults(handler=run_import_anki)
    for name, verb in (("postpone", "later"), ("advance", "earlier")):
        shift = actions.add_parser(
            name,
            help=f"move reviews of chosen cards {verb}; shows the recall cost, writes only with --apply",
            description=f"Move the due day of cards in review {verb} by --days. The change in FSRS's "
            "predicted recall at review is shown first; nothing changes without --apply.",
        )
        shift.add_argument("--profile", required=True, help="the profile's name")
        shift.add_argument("--days", type=int, required=True, help="days to move the reviews")
        shift.add_argument("--topic", help="only cards of this topic id")
        shift.add_argument("--concept", help="only cards teaching this concept id")
        shift.add_argument("--overdue", action="store_true", help="only overdue cards")
        shift.add_argument("--apply", action="store_true", help="write the change")
        shift.add_argument("--json", action="store_true", help="print the result as JSON")
        shift.set_defaults(handler=run_shift, shift=name)


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


def run_import_anki(args: argparse.Namespace) -> int:
    from pathlib import Path

    from trainer.cli import UsageError
    from trainer.content.graph import introduction_order
    from trainer.content.loader import load_bank
    from trainer.resources import content_dir
    from trainer.study.anki_import import AnkiImportError, import_anki_history
    from trainer.study.queue import Study

    path = Path(args.file)
    if not path.is_file():
        raise UsageError("no such package file; give the path of a .colpkg or .apkg")
    engine, profile = _profile(args.profile)
    bank = load_bank([content_dir()])
    if not args.dry_run:
        Study(engine, profile).sync(bank, introduction_order(bank))  # every card has its row
    try:
        report = import_anki_history(engine, profile, path, dry_run=args.dry_run, force=args.force, bank=bank)
    except AnkiImportError as exc:
        raise UsageError(str(exc)) from None
    return print_result(args.json, report.to_json_dict, report.describe)


def run_shift(args: argparse.Namespace) -> int:
    from trainer.cli import UsageError
    from trainer.content.loader import load_bank
    from trainer.resources import content_dir
    from trainer.study.queue import settings_for
    from trainer.study.reschedule import Shift, ShiftError, apply_shift, plan_shift, select_cards

    engine, profile = _profile(args.profile)
    assert profile.id is not None
    if not (args.topic or args.concept or args.overdue):
        raise UsageError("choose the cards: --topic, --concept or --overdue")
    try:
        bank = load_bank([content_dir()]) if args.concept else None
        cards = select_cards(
            engine, profile.id, topic=args.topic, concept=args.concept, bank=bank, overdue=args.overdue
        )
        plan = plan_shift(engine, profile.id, settings_for(profile), cards, Shift(args.shift), args.days)
    except ShiftError as exc:
        raise UsageError(str(exc)) from None
    moved = apply_shift(engine, profile.id, plan) if args.apply else 0

    def json_of() -> dict[str, Any]:
        return {**plan.to_json_dict(), "applied": bool(args.apply), "moved": moved}

    def text_of() -> str:
        tail = f"moved {moved} card(s)" if args.apply else "nothing changed; add --apply to do it"
        return f"{plan.describe()}\n{tail}"

    return print_result(args.json, json_of, text_of)
