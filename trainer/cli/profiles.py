"""``trainer profile list`` and ``trainer profile reserve``: local profiles, once sign-in is on.

Profiles made before sign-in belong to nobody; a signed-in person may claim one, once, on the
Profile page (trainer.access.claims). By default only a profile the operator set aside for the
person's verified e-mail address can be claimed: these commands show the local profiles and set
one aside. The database is ``TRAINER_DATABASE_URL``, or the default SQLite file.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "profile",
        help="list profiles from before sign-in, or set one aside for a person to claim",
        description="With sign-in on, profiles made before it belong to nobody. A signed-in person "
        "may claim one, once, on the Profile page: by default the one set aside here for their "
        "verified e-mail address (see docs/team-deployment.md).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    listing = actions.add_parser(
        "list",
        help="the profiles bound to nobody, with their reviews, exams and reservation",
        description="List the profiles made before sign-in (bound to nobody). Changes nothing.",
    )
    listing.set_defaults(handler=run_list)
    reserve = actions.add_parser(
        "reserve",
        help="set a profile aside for whoever signs in with this e-mail address",
        description="Set the profile NAME aside for the person who signs in with EMAIL (verified "
        "by the provider); they can then claim it on the Profile page, once. --clear removes the "
        "reservation.",
    )
    reserve.add_argument("name", metavar="NAME", help="the profile's name (case is ignored)")
    reserve.add_argument("email", metavar="EMAIL", nargs="?", help="the person's e-mail address")
    reserve.add_argument("--clear", action="store_true", help="remove the reservation instead")
    reserve.set_defaults(handler=run_reserve)


def _engine() -> Engine:
    from trainer.cli import UsageError
    from trainer.store.engine import DatabaseUrlError, make_engine

    try:
        return make_engine()
    except DatabaseUrlError as exc:
        raise UsageError(str(exc)) from None


def run_list(args: argparse.Namespace) -> int:
    from trainer.access.claims import unbound_profiles

    local = unbound_profiles(_engine())
    if not local:
        print("No profiles from before sign-in: every profile belongs to a signed-in person.")
        return 0
    width = max(len(p.name) for p in local)
    for p in local:
        reserved = f"reserved for {p.reserved_for}" if p.reserved_for else "not reserved"
        print(f"{p.name:<{width}}  {p.reviews:>6} reviews  {p.exams:>3} exams  {reserved}")
    return 0


def run_reserve(args: argparse.Namespace) -> int:
    from trainer.access.claims import ClaimError, reserve
    from trainer.cli import UsageError

    if args.clear == bool(args.email):
        raise UsageError("give an EMAIL to reserve the profile for, or --clear (not both)")
    try:
        found = reserve(_engine(), args.name, None if args.clear else args.email)
    except ClaimError as exc:
        raise UsageError(str(exc)) from None
    if found.reserved_for:
        print(f"{found.name!r} is set aside for {found.reserved_for}: they can claim it on the Profile page.")
    else:
        print(f"{found.name!r} is no longer reserved.")
    return 0
