"""``trainer db upgrade``, ``current`` and ``ready``: the database schema and readiness, for operators.

The app and every command already upgrade the database when they start; these let an operator
do it as a separate step of a deployment (see docs/database.md) and check where a database is.
The database is ``TRAINER_DATABASE_URL``, or the default SQLite file.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

EMPTY = "none (empty database)"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "db",
        help="upgrade the database schema, or show its revision",
        description="Manage the database schema of TRAINER_DATABASE_URL (default: the local SQLite "
        "file). The app and the other commands upgrade it at start-up too.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    actions.required = True
    upgrade = actions.add_parser(
        "upgrade",
        help="upgrade the schema to the newest revision",
        description="Upgrade the schema to the newest revision, under a lock (safe while servers "
        "start). Prints the revision before and after.",
    )
    upgrade.set_defaults(handler=run_upgrade)
    current = actions.add_parser(
        "current",
        help="show the schema revision and whether it is the newest",
        description="Show the database's schema revision and whether it is the newest this "
        "trainer knows. Changes nothing.",
    )
    current.set_defaults(handler=run_current)
    ready = actions.add_parser(
        "ready",
        help="exit 0 when the database answers and the content loads, else 1",
        description="The readiness check as a command (a server started by `trainer serve` answers "
        "the same at /_trainer/ready): the database answers a query at the newest schema "
        "revision, and the content bank loads with at least one card. Changes nothing.",
    )
    ready.set_defaults(handler=run_ready)


# The store (SQLAlchemy, Alembic) is imported when a db action runs, so that the other commands
# do not pay for it at start-up.


def _engine() -> Engine:
    from trainer.cli import UsageError
    from trainer.store.engine import DatabaseUrlError, make_engine

    try:
        return make_engine(migrate=False)
    except DatabaseUrlError as exc:
        raise UsageError(str(exc)) from None


def run_upgrade(args: argparse.Namespace) -> int:
    from trainer.store.engine import StorageError, upgrade_schema

    engine = _engine()
    try:
        revisions = upgrade_schema(engine)
    except StorageError as exc:
        print(f"trainer db upgrade: error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if revisions.changed:
        print(f"upgraded the schema: {revisions.before or EMPTY} -> {revisions.after}")
    else:
        print(f"the schema is already at the newest revision: {revisions.after}")
    return 0


def run_current(args: argparse.Namespace) -> int:
    from trainer.store.engine import StorageError, schema_status

    engine = _engine()
    try:
        revisions = schema_status(engine)
    except StorageError as exc:
        print(f"trainer db current: error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    shown = revisions.after or EMPTY
    if revisions.detected:
        shown += ", made before migrations (recorded at the next upgrade)"
    if revisions.after == revisions.head:
        print(f"{shown} (head)")
    else:
        print(f"{shown} (not head: the newest is {revisions.head}; run `trainer db upgrade`)")
    return 0


def run_ready(args: argparse.Namespace) -> int:
    from trainer.content.loader import load_bank
    from trainer.store.engine import StorageError, schema_status
    from trainer.store.readiness import database_problem

    engine = _engine()
    try:
        problem = database_problem(engine=engine)
        if problem is None:
            try:
                revisions = schema_status(engine)
            except StorageError as exc:
                problem = str(exc)
            else:
                if revisions.after != revisions.head:
                    problem = (
                        f"the schema is at {revisions.after or EMPTY}, not the newest {revisions.head}; "
                        "run `trainer db upgrade`"
                    )
    finally:
        engine.dispose()
    if problem:
        print(f"not ready: {problem}", file=sys.stderr)
        return 1
    cards = len(load_bank().cards)
    if not cards:
        print("not ready: the content has no cards (run `trainer check`)", file=sys.stderr)
        return 1
    print(f"ready: the database answers and the content has {cards} cards")
    return 0
