"""Benchmark: the team dashboard for 200 members × 60 concepts must compute in under one second.

Seeds a team of ``--members`` learners, each with a card state for every card of a synthetic bank
of ``--concepts`` concepts × ``--cards-per-concept`` cards (most studied, with random stability
and last review, some never started, some overdue), then times
:func:`trainer.teams.dashboard.team_dashboard` — the facilitator's role check, the one card-state
query and the numpy aggregation, today and on the team's exam date — plus the CSV export.

PostgreSQL (``--pg-url`` or ``TRAINER_TEST_PG_URL``; a private schema, dropped afterwards), and
SQLite with ``--sqlite``. Prints JSON: seconds (best and median of ``--repeats``), rows read and
the ratio to the 1 s goal. Run: `.venv/bin/python benchmarks/team_dashboard.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.pgschema import private_schema_url  # noqa: E402
from trainer.content.model import Bank, Card, Concept, Topic  # noqa: E402
from trainer.store.engine import make_engine  # noqa: E402
from trainer.store.tables import CardState, Profile, TeamMember, table_of  # noqa: E402
from trainer.teams import dashboard, membership  # noqa: E402

GOAL_S = 1.0
NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)


def synthetic_bank(concepts: int, cards_per_concept: int) -> Bank:
    bank = Bank(topics={f"t{t}": Topic(f"t{t}", f"Topic {t}", "ECS") for t in range(6)})
    for c in range(concepts):
        cid = f"concept-{c:02d}"
        bank.concepts[cid] = Concept(cid, f"Concept {c}", f"t{c % 6}")
        for k in range(cards_per_concept):
            extra = (f"concept-{(c + 1) % concepts:02d}",) if k == 0 else ()
            card = Card(f"{cid}-card-{k}", "F", "B", "E", f"t{c % 6}", concepts=(cid, *extra))
            bank.cards[card.id] = card
    return bank


def seed(url: str, bank: Bank, members: int) -> int:
    engine = make_engine(url)
    team = membership.create_team(engine, "Benchmark cohort")
    membership.set_exam_date(engine, None, team.id, date(2025, 4, 1), NOW.date())
    rng = random.Random(7)
    profiles, states, links = table_of(Profile), table_of(CardState), table_of(TeamMember)
    with engine.begin() as conn:
        defaults = Profile(name="x").model_dump(exclude={"id", "name"})
        conn.execute(profiles.insert(), [{**defaults, "name": f"Member {i:03d}"} for i in range(members)])
        ids = [r.id for r in conn.execute(profiles.select().where(profiles.c.name.like("Member %")))]
        conn.execute(
            links.insert(),
            [{"team_id": team.id, "profile_id": pid, "facilitator": False, "joined_at": NOW} for pid in ids],
        )
        rows = []
        for pid in ids:
            started = rng.random()
            for position, cid in enumerate(bank.cards):
                base = {
                    "profile_id": pid,
                    "card_id": cid,
                    "topic": bank.cards[cid].topic,
                    "position": position,
                }
                if rng.random() > started:
                    blank = {
                        "stability": None,
                        "difficulty": None,
                        "last_review": None,
                        "due": None,
                        "reps": 0,
                    }
                    rows.append({**base, **blank, "state": "new", "queue": "new"})
                    continue
                last = NOW - timedelta(days=rng.uniform(0, 40))
                stability = rng.uniform(0.5, 60)
                rows.append(
                    {
                        **base,
                        "state": "review",
                        "queue": "review",
                        "stability": stability,
                        "difficulty": rng.uniform(2, 8),
                        "last_review": last,
                        "due": last + timedelta(days=stability),
                        "reps": rng.randint(1, 8),
                    }
                )
        for start in range(0, len(rows), 5000):
            conn.execute(states.insert(), rows[start : start + 5000])
    engine.dispose()
    return team.id


def measure(url: str, members: int, concepts: int, cards_per_concept: int, repeats: int) -> dict[str, object]:
    bank = synthetic_bank(concepts, cards_per_concept)
    team_id = seed(url, bank, members)
    engine = make_engine(url)
    times = []
    board = None
    for _ in range(repeats):
        started = time.perf_counter()
        board = dashboard.team_dashboard(engine, None, team_id, bank, now=NOW)
        dashboard.to_csv(board)
        times.append(time.perf_counter() - started)
    engine.dispose()
    assert board is not None
    best, median = min(times), statistics.median(times)
    return {
        "members": len(board.members),
        "concepts": len(board.concepts),
        "cards": len(bank.cards),
        "card_states": members * len(bank.cards),
        "seconds_best": round(best, 4),
        "seconds_median": round(median, 4),
        "ratio_to_goal": round(median / GOAL_S, 3),
        "under_goal": median < GOAL_S,
    }


@contextlib.contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.db"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--concepts", type=int, default=60)
    parser.add_argument("--cards-per-concept", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pg-url", default=os.environ.get("TRAINER_TEST_PG_URL", ""))
    parser.add_argument("--sqlite", action="store_true", help="also run on a SQLite file")
    args = parser.parse_args()
    sizes = (args.members, args.concepts, args.cards_per_concept, args.repeats)
    results: dict[str, object] = {"goal_seconds": GOAL_S}
    if args.pg_url:
        with private_schema_url(args.pg_url, prefix="bench") as url:
            results["postgresql"] = measure(url, *sizes)
    else:
        results["postgresql"] = {"skipped": "no PostgreSQL: pass --pg-url or set TRAINER_TEST_PG_URL"}
    if args.sqlite:
        with sqlite_url() as url:
            results["sqlite"] = measure(url, *sizes)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
