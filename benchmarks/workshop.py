"""Benchmark: 200 participants answering a 10-question workshop room at the same moment.

Each participant is a thread calling the core (``trainer.workshops.answers.submit_answer``) through one
engine, as the Streamlit servers do. For every question the host opens it, all participants
answer at once (released together by an event), and the host reveals it. One answer in ten is
sent twice at the same moment, to check that the second copy is refused under load.

Afterwards the database must hold exactly participants × questions answers: none lost (every
accepted answer is stored), none duplicated (no participant has two answers to a question).

Runs on SQLite (a file database in WAL mode) and on PostgreSQL (``--pg-url`` or the
``TRAINER_TEST_PG_URL`` environment variable; a private schema is created and dropped). Prints
JSON. Run: ``.venv/bin/python benchmarks/workshop.py [--participants 200 --questions 10]``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from tests.pgschema import private_schema_url  # noqa: E402
from trainer.content.model import Domain, Option, Question  # noqa: E402
from trainer.store.engine import make_engine  # noqa: E402
from trainer.workshops import answers, host_actions, rooms  # noqa: E402
from trainer.workshops.access import ANSWERS  # noqa: E402
from trainer.workshops.errors import AlreadyAnswered  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def questions(n: int) -> list[Question]:
    return [
        Question(
            id=f"bench-{i}",
            stem=f"Benchmark question {i}?",
            type="single",
            options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(4)),
            answer=(i % 4,),
            domain=Domain.DEVELOPMENT,
            difficulty=2,
            topic="bench",
        )
        for i in range(n)
    ]


@contextmanager
def sqlite_url():
    with tempfile.TemporaryDirectory() as tmp:
        yield f"sqlite:///{Path(tmp) / 'workshop.db'}"


def run(url: str, n_participants: int, n_questions: int, seed: int = 7) -> dict:
    engine = make_engine(url)
    rng = random.Random(seed)
    room, secret = rooms.create_room(engine, questions(n_questions), seconds=600, title="Benchmark")
    t0 = time.perf_counter()
    people = [rooms.join(engine, room.code, f"Participant {i:03d}")[0] for i in range(n_participants)]
    join_s = time.perf_counter() - t0

    # Per participant and question: the option, and whether to send the answer twice at once.
    plan = [
        [(rng.randrange(4), rng.random() < 0.1) for _ in range(n_questions)] for _ in range(n_participants)
    ]
    opened = [threading.Event() for _ in range(n_questions)]
    done = threading.Barrier(n_participants + 1)
    latencies: list[float] = []
    accepted: list[tuple[int, int]] = []
    refused_duplicates = 0
    errors: list[str] = []
    lock = threading.Lock()

    def submit(pid: int, q: int, option: int) -> None:
        nonlocal refused_duplicates
        start = time.perf_counter()
        try:
            answers.submit_answer(engine, pid, q, [option])
        except AlreadyAnswered:
            with lock:
                refused_duplicates += 1
            return
        except Exception as exc:  # noqa: BLE001 - reported in the output
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            latencies.append(elapsed)
            accepted.append((pid, q))

    def participant(index: int) -> None:
        pid = people[index].id
        for q in range(n_questions):
            opened[q].wait()
            option, twice = plan[index][q]
            if twice:
                copy = threading.Thread(target=submit, args=(pid, q, option))
                copy.start()
                submit(pid, q, option)
                copy.join()
            else:
                submit(pid, q, option)
            done.wait()

    threads = [threading.Thread(target=participant, args=(i,)) for i in range(n_participants)]
    for t in threads:
        t.start()
    answering = 0.0
    for q in range(n_questions):
        if q == 0:
            host_actions.start(engine, room.id, secret)
        else:
            host_actions.next_question(engine, room.id, secret)
        t0 = time.perf_counter()
        opened[q].set()
        done.wait()
        answering += time.perf_counter() - t0
        host_actions.reveal(engine, room.id, secret)
    host_actions.end(engine, room.id, secret)
    for t in threads:
        t.join()

    with engine.connect() as conn:
        stored = conn.execute(
            select(func.count()).select_from(ANSWERS).where(ANSWERS.c.room_id == room.id)
        ).scalar_one()
        duplicates = conn.execute(
            select(func.count()).select_from(
                select(ANSWERS.c.participant_id)
                .where(ANSWERS.c.room_id == room.id)
                .group_by(ANSWERS.c.participant_id, ANSWERS.c.question_index)
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar_one()
        stored_keys = set(
            conn.execute(
                select(ANSWERS.c.participant_id, ANSWERS.c.question_index).where(ANSWERS.c.room_id == room.id)
            ).all()
        )
    engine.dispose()
    expected = n_participants * n_questions
    lost = sum(1 for key in accepted if tuple(key) not in stored_keys)
    duplicate_attempts = sum(1 for row in plan for _, twice in row if twice)
    return {
        "participants": n_participants,
        "questions": n_questions,
        "answers_per_s": round(len(accepted) / answering, 1) if answering else None,
        "p50_ms": round(statistics.median(latencies), 2) if latencies else None,
        "p95_ms": round(percentile(latencies, 0.95), 2) if latencies else None,
        "max_ms": round(max(latencies), 2) if latencies else None,
        "expected": expected,
        "accepted": len(accepted),
        "stored": stored,
        "duplicates": duplicates,
        "lost": lost,
        "duplicate_attempts": duplicate_attempts,
        "duplicate_attempts_refused": refused_duplicates,
        "errors": errors[:5],
        "error_count": len(errors),
        "join_ms_each": round(join_s * 1000 / n_participants, 2),
        "ok": stored == expected
        and duplicates == 0
        and lost == 0
        and not errors
        and refused_duplicates == duplicate_attempts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--questions", type=int, default=10)
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("TRAINER_TEST_PG_URL", ""),
        help="PostgreSQL server URL (default: $TRAINER_TEST_PG_URL)",
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args(argv)
    results: dict[str, dict] = {}
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with sqlite_url() as url:
                results["sqlite"] = run(url, args.participants, args.questions)
        elif backend == "postgresql":
            if not args.pg_url:
                results["postgresql"] = {
                    "skipped": "no PostgreSQL: pass --pg-url or set "
                    "TRAINER_TEST_PG_URL (`bash .ci/postgres.sh`)"
                }
                continue
            with private_schema_url(args.pg_url) as url:
                results["postgresql"] = run(url, args.participants, args.questions)
    print(json.dumps(results, indent=2))
    return 0 if all(r.get("ok", True) for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
