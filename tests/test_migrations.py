"""Schema migrations: a database from any earlier release reaches head with every row intact.

Each test runs on SQLite and on PostgreSQL. Databases made before Alembic are built from the DDL
that those releases' ``create_all`` produced (``tests/schemas/<commit>.<dialect>.sql``), filled
with rows, upgraded by ``make_engine`` as the app does at start-up, and then used.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import DateTime, MetaData, create_engine, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from tests.conftest import ROOT
from trainer.content.graph import introduction_order
from trainer.content.model import Bank, Domain, Option, Question, Reference, Topic
from trainer.exams.attempts import Exams
from trainer.exams.rules import SHORT_MOCK, AttemptStatus
from trainer.store import migrate
from trainer.store.engine import StorageError, make_engine
from trainer.store.tables import CardState, ReviewLog
from trainer.study.profiles import get_profile
from trainer.study.queue import Study
from trainer.study.scheduling import Rating
from trainer.workshops import answers, host_actions, rooms

SCHEMAS = Path(__file__).resolve().parent / "schemas"
FIRST_RELEASE = "8a72c5d"  # profile, cardstate, reviewlog
QUESTIONS_IN_STUDY = "9342a03"  # + reviewlog.question_id
BEFORE_ALEMBIC = "aa16a7c"  # + exams and workshops: the last schema made by create_all
TABLES = [
    "profile",
    "cardstate",
    "reviewlog",
    "examattempt",
    "examanswer",
    "questionreport",
    "room",
    "roomparticipant",
    "roomanswer",
]
JSON_COLUMNS = {
    ("examattempt", "spec"),
    ("examattempt", "questions"),
    ("examattempt", "summary"),
    ("examanswer", "chosen"),
    ("room", "source"),
    ("room", "teams"),
    ("room", "questions"),
    ("roomanswer", "chosen"),
}

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=12)
DOCS = (Reference("Docs", "https://docs.aws.amazon.com/lambda/latest/dg/welcome.html"),)


# -- building databases as earlier releases left them -------------------------------------------


def legacy_database(url: str, commit: str) -> Engine:
    """A plain engine (no migrations) on a database with the tables ``commit`` created."""
    engine = create_engine(url)
    ddl = (SCHEMAS / f"{commit}.{engine.dialect.name}.sql").read_text()
    ddl = "\n".join(line for line in ddl.splitlines() if not line.startswith("--"))
    with engine.begin() as conn:
        for statement in re.split(r";\s*$", ddl, flags=re.MULTILINE):
            if statement.strip():
                conn.exec_driver_sql(statement)
    return engine


def insert_rows(engine: Engine, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Insert rows through the reflected tables, so values are stored as that schema stores them."""
    meta = MetaData()
    meta.reflect(engine)
    with engine.begin() as conn:
        for table, table_rows in rows.items():
            if table_rows:
                conn.execute(meta.tables[table].insert(), table_rows)
        if engine.dialect.name == "postgresql":  # explicit ids leave the sequences behind
            for table in rows:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def raw_rows(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table as the driver returns it (no model types), JSON text decoded."""
    present = set(inspect(engine).get_table_names())
    result = {}
    with engine.connect() as conn:
        for table in TABLES:
            if table not in present:
                continue
            rows = []
            for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY id")).mappings():
                row = dict(row)
                for column, value in row.items():
                    if (table, column) in JSON_COLUMNS and isinstance(value, str):
                        row[column] = json.loads(value)
                rows.append(row)
            result[table] = rows
    return result


def assert_rows_survived(before: dict[str, list[dict]], after: dict[str, list[dict]]) -> None:
    for table, rows in before.items():
        kept = [{column: row[column] for column in rows[0]} for row in after[table]] if rows else []
        assert kept == rows, f"rows of {table} changed"


def first_release_rows() -> dict[str, list[dict[str, Any]]]:
    """Two learners with cards in every queue and their review log, as the first release wrote them."""

    def profile(pid: int, name: str, **settings: Any) -> dict[str, Any]:
        return {
            "id": pid,
            "name": name,
            "created_at": T0,
            "new_per_day": 20,
            "reviews_per_day": 200,
            "desired_retention": 0.9,
            "learning_steps": "1m 10m",
            "relearning_steps": "10m",
            "leech_threshold": 8,
            "leech_action": "suspend",
            "day_starts_at": 4,
            "timezone": "UTC",
            **settings,
        }

    def card(cid: int, pid: int, card_id: str, state: str, queue: str, **memory: Any) -> dict[str, Any]:
        return {
            "id": cid,
            "profile_id": pid,
            "card_id": card_id,
            "topic": "beta" if card_id[0] == "b" else "alpha",
            "state": state,
            "queue": queue,
            "position": cid,
            "step": None,
            "stability": None,
            "difficulty": None,
            "due": None,
            "last_review": None,
            "reps": 0,
            "lapses": 0,
            "suspended": False,
            "leech": False,
            "buried_until": None,
            "retired": False,
            **memory,
        }

    def log(
        lid: int,
        pid: int,
        card_id: str,
        rating: int,
        when: datetime,
        before: str,
        after: str,
        kind: str = "review",
    ) -> dict[str, Any]:
        return {
            "id": lid,
            "profile_id": pid,
            "card_id": card_id,
            "rating": rating,
            "reviewed_at": when,
            "duration_ms": 4200 + lid,
            "kind": kind,
            "state_before": before,
            "state_after": after,
            "due_after": when + timedelta(days=lid),
            "stability_after": 1.5 * lid,
            "difficulty_after": 5.0,
            "interval_days": float(lid),
        }

    day = timedelta(days=1)
    return {
        "profile": [
            profile(1, "Ana", timezone="Europe/Madrid", new_per_day=3),
            profile(2, "Bob", learning_steps="5m", day_starts_at=0),
        ],
        "cardstate": [
            card(
                1,
                1,
                "a1",
                "review",
                "review",
                stability=9.5,
                difficulty=4.2,
                due=T0 + 10 * day,
                last_review=T0,
                reps=3,
            ),
            card(
                2,
                1,
                "a2",
                "learning",
                "learn",
                step=1,
                stability=0.4,
                difficulty=6.1,
                due=T0 + timedelta(minutes=10),
                last_review=T0,
                reps=1,
            ),
            card(
                3,
                1,
                "b1",
                "review",
                "suspended",
                stability=2.0,
                difficulty=8.0,
                due=T0 + 2 * day,
                last_review=T0 - day,
                reps=9,
                lapses=8,
                suspended=True,
                leech=True,
            ),
            card(
                4,
                1,
                "b2",
                "relearning",
                "learn",
                step=0,
                stability=1.1,
                difficulty=7.0,
                due=T0,
                last_review=T0 - day,
                reps=4,
                lapses=1,
                buried_until=T0 + day,
            ),
            card(
                5,
                1,
                "gone",
                "review",
                "retired",
                stability=30.0,
                difficulty=3.0,
                due=T0 + 20 * day,
                last_review=T0 - 5 * day,
                reps=5,
                retired=True,
            ),
            card(6, 1, "a3", "new", "new"),
            card(7, 2, "a1", "new", "new"),
        ],
        "reviewlog": [
            log(1, 1, "a1", 3, T0 - 8 * day, "new", "learning"),
            log(2, 1, "a1", 3, T0 - 7 * day, "learning", "review"),
            log(3, 1, "a1", 4, T0, "review", "review"),
            log(4, 1, "a2", 1, T0, "new", "learning"),
            log(5, 1, "b1", 2, T0 - day, "review", "review", kind="cram"),
            log(6, 1, "b2", 1, T0 - day, "review", "relearning"),
        ],
    }


def question(i: int, kind: str = "single", domain: Domain = Domain.DEVELOPMENT, cards=("a1",)) -> Question:
    n = 4 if kind == "single" else 5
    return Question(
        id=f"q{i}",
        stem=f"Stem {i}?",
        type=kind,
        options=tuple(Option(f"Option {j}", f"Why {j}") for j in range(n)),
        answer=(1,) if kind == "single" else (1, 3),
        domain=domain,
        difficulty=2,
        topic="alpha",
        cards=cards,
        concepts=(),
        references=DOCS,
    )


@pytest.fixture
def bank(small_bank) -> Bank:
    """The six cards a1..b3 of ``small_bank`` plus four scenario questions."""
    questions = [
        question(0),
        question(1, cards=("a2",)),
        question(2, "multiple", Domain.SECURITY, ("b1",)),
        question(3, domain=Domain.DEPLOYMENT),
    ]
    small_bank.questions.update({q.id: q for q in questions})
    small_bank.topics.setdefault("alpha", Topic("alpha", "Alpha topic", "ECS"))
    return small_bank


# -- using a database after its upgrade ----------------------------------------------------------


def study_works(engine: Engine, bank: Bank, profile_id: int = 1) -> None:
    profile = get_profile(engine, profile_id)
    assert profile is not None
    study = Study(engine, profile)
    study.sync(bank, introduction_order(bank))
    card = study.next_card(NOW)
    assert card is not None
    before = study.memory(card.card_id)
    outcome = study.answer(card.card_id, Rating.GOOD, NOW)
    after = study.memory(card.card_id)
    assert after.reps == before.reps + 1 and after.due == outcome.memory.due
    assert after.due is not None and after.due.tzinfo is not None
    with engine.connect() as conn:
        logged = conn.execute(
            select(func.count())
            .select_from(ReviewLog.__table__)
            .where(ReviewLog.__table__.c.reviewed_at == NOW)
        ).scalar_one()
    assert logged == 1


def exam_works(engine: Engine, bank: Bank, profile_id: int = 1) -> None:
    exams = Exams(engine, profile_id)
    current = exams.current(NOW)
    if current is not None:  # one carried over from before the upgrade: finish it first
        exams.submit(current.id, NOW)
    attempt = exams.start(bank, SHORT_MOCK, seed=3, now=NOW)
    assert attempt.is_open and len(attempt.questions) == 4
    for position, q in enumerate(attempt.questions):
        exams.answer(attempt.id, position, q.answer, now=NOW + timedelta(seconds=position))
    done = exams.submit(attempt.id, NOW + timedelta(minutes=5))
    assert done.status is AttemptStatus.SUBMITTED
    assert done.result().correct == 4
    assert attempt.id in [entry.id for entry in exams.history()]


def workshop_works(engine: Engine, bank: Bank) -> None:
    info, secret = rooms.create_room(engine, list(bank.questions.values())[:2], seconds=30, now=NOW)
    person, _seat = rooms.join(engine, info.code, "Carol", now=NOW)
    host_actions.start(engine, info.id, secret, now=NOW)
    receipt = answers.submit_answer(engine, person.id, 0, [1], now=NOW + timedelta(seconds=2))
    assert receipt.correct
    host_actions.reveal(engine, info.id, secret, now=NOW + timedelta(seconds=3))


def recorded_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


# -- the chain ---------------------------------------------------------------------------------------


def test_the_chain_is_linear_and_ends_at_head():
    scripts = migrate._scripts()
    assert scripts.get_heads() == [migrate.head()]
    chain = [rev.revision for rev in reversed(list(scripts.walk_revisions()))]
    assert chain == ["0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009", "0010"]


def test_after_the_last_migration_the_database_matches_the_models(empty_db_url):
    engine = make_engine(empty_db_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_a_new_database_is_created_at_head(empty_db_url):
    engine = make_engine(empty_db_url)
    engine.dispose()
    assert recorded_revision(empty_db_url) == migrate.head()


# -- databases from earlier releases -----------------------------------------------------------------


def test_a_first_release_database_keeps_every_row_and_then_works(empty_db_url, bank):
    legacy = legacy_database(empty_db_url, FIRST_RELEASE)
    insert_rows(legacy, first_release_rows())
    before = raw_rows(legacy)
    legacy.dispose()
    assert {t: len(r) for t, r in before.items()} == {"profile": 2, "cardstate": 7, "reviewlog": 6}

    engine = make_engine(empty_db_url)
    assert recorded_revision(empty_db_url) == migrate.head()
    after = raw_rows(engine)
    assert_rows_survived(before, after)
    assert all(row["question_id"] is None for row in after["reviewlog"])  # the column 0002 added

    # The upgraded rows read back through the models as the first release meant them.
    ana = Study(engine, get_profile(engine, 1))
    assert ana.memory("a1").due == T0 + timedelta(days=10)
    assert ana.memory("b1").suspended and ana.memory("b1").leech
    with engine.connect() as conn:
        retired = conn.execute(
            select(CardState.__table__.c.retired).where(CardState.__table__.c.card_id == "gone")
        ).scalar_one()
    assert retired

    study_works(engine, bank)
    exam_works(engine, bank)
    workshop_works(engine, bank)
    engine.dispose()


@pytest.mark.parametrize(
    "commit, revision",
    [
        (FIRST_RELEASE, "0001"),
        (QUESTIONS_IN_STUDY, "0002"),
        (BEFORE_ALEMBIC, "0003"),
    ],
)
def test_a_database_made_before_alembic_is_recognised_stamped_and_upgraded(empty_db_url, commit, revision):
    legacy_database(empty_db_url, commit).dispose()
    engine = make_engine(empty_db_url, migrate=False)
    status = migrate.status(engine)
    assert (status.before, status.detected) == (revision, True)
    upgraded = migrate.upgrade(engine)
    assert (upgraded.before, upgraded.after) == (revision, migrate.head())
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    engine.dispose()


def today_rows(bank: Bank) -> dict[str, list[dict[str, Any]]]:
    """Rows written by today's code (study, an exam in progress and a finished one, a report,
    a room mid-game), read back as plain values for a schema that keeps JSON as text."""
    scratch = make_engine("sqlite://")
    legacy_rows = first_release_rows()
    insert_rows(scratch, {"profile": legacy_rows["profile"]})
    study = Study(scratch, get_profile(scratch, 1))
    study.sync(bank, introduction_order(bank))
    study.answer("a1", Rating.GOOD, T0)
    study.answer_question(bank.questions["q0"], [1], T0 + timedelta(minutes=1))
    exams = Exams(scratch, 1)
    finished = exams.start(bank, SHORT_MOCK, seed=1, now=T0)
    exams.answer(finished.id, 0, [1], now=T0)
    exams.submit(finished.id, T0 + timedelta(minutes=3))
    from trainer.exams.reports import report_problem

    report_problem(scratch, "q1", "Option B is also right", profile_id=1, attempt_id=finished.id)
    open_attempt = Exams(scratch, 2).start(bank, SHORT_MOCK, seed=2, now=T0)
    Exams(scratch, 2).answer(open_attempt.id, 1, [1], now=T0)
    info, secret = rooms.create_room(
        scratch, list(bank.questions.values()), seconds=600, teams=["Red", "Blue"], now=T0
    )
    people = [
        rooms.join(scratch, info.code, name, team=team, now=T0)[0]
        for name, team in (("Ana", "Red"), ("Bob", "Blue"))
    ]
    host_actions.start(scratch, info.id, secret, now=T0)
    answers.submit_answer(scratch, people[0].id, 0, [1], now=T0 + timedelta(seconds=3))
    rows: dict[str, list[dict[str, Any]]] = {}
    with scratch.connect() as conn:
        for table in TABLES:
            columns = SQLModel.metadata.tables[table].c
            rows[table] = []
            for row in conn.execute(select(SQLModel.metadata.tables[table]).order_by(columns.id)).mappings():
                plain = {}
                for column, value in row.items():
                    if (table, column) in JSON_COLUMNS and not isinstance(value, str) and value is not None:
                        value = json.dumps(value)
                    plain[column] = getattr(value, "value", value)  # enums as their stored text
                rows[table].append(plain)
    scratch.dispose()
    return rows


def test_a_database_of_the_last_release_before_alembic_keeps_every_row_and_then_works(empty_db_url, bank):
    legacy = legacy_database(empty_db_url, BEFORE_ALEMBIC)
    insert_rows(legacy, today_rows(bank))
    before = raw_rows(legacy)
    legacy.dispose()
    assert all(before[t] for t in TABLES), "every table has rows"

    engine = make_engine(empty_db_url)
    assert recorded_revision(empty_db_url) == migrate.head()
    assert_rows_survived(before, raw_rows(engine))

    # Bob's exam in progress resumes where it was, and can be finished.
    resumed = Exams(engine, 2).current(T0 + timedelta(minutes=1))
    assert resumed is not None and resumed.answers[1].chosen == (1,)
    # The room goes on: Bob answers the open question, the host reveals it.
    bob = rooms.participants(engine, before["room"][0]["id"])[1]
    assert answers.submit_answer(engine, bob.id, 0, [2], now=T0 + timedelta(seconds=5)).correct is False

    study_works(engine, bank)
    exam_works(engine, bank, profile_id=2)
    workshop_works(engine, bank)
    engine.dispose()


# -- revision 0004: the database holds the invariants ----------------------------------------------


def test_several_exams_in_progress_become_one_and_every_answer_is_kept(empty_db_url, bank):
    rows = today_rows(bank)
    (open_attempt,) = [a for a in rows["examattempt"] if a["status"] == "in_progress"]
    next_attempt, next_answer = (
        max(a["id"] for a in rows["examattempt"]),
        max(a["id"] for a in rows["examanswer"]),
    )
    for hours in (1, 2):  # two older attempts left in progress by the check-then-insert race
        next_attempt += 1
        rows["examattempt"].append(
            {
                **open_attempt,
                "id": next_attempt,
                "started_at": open_attempt["started_at"] - timedelta(hours=hours),
            }
        )
        for answer in [a for a in rows["examanswer"] if a["attempt_id"] == open_attempt["id"]]:
            next_answer += 1
            rows["examanswer"].append({**answer, "id": next_answer, "attempt_id": next_attempt})
    legacy = legacy_database(empty_db_url, BEFORE_ALEMBIC)
    insert_rows(legacy, rows)
    before = raw_rows(legacy)
    legacy.dispose()

    engine = make_engine(empty_db_url)
    after = raw_rows(engine)
    assert after["examanswer"] == before["examanswer"]  # every answer kept
    status = {a["id"]: a["status"] for a in after["examattempt"]}
    assert status[open_attempt["id"]] == "in_progress"  # the newest goes on
    assert [status[next_attempt - 1], status[next_attempt]] == ["abandoned", "abandoned"]
    assert all(a["submitted_at"] is not None for a in after["examattempt"] if a["status"] == "abandoned")
    assert Exams(engine, 2).current(T0 + timedelta(minutes=1)).id == open_attempt["id"]
    engine.dispose()


def test_timestamps_without_a_time_zone_are_read_as_utc(pg_url, bank):
    """A PostgreSQL database whose timestamp columns have no time zone (as an older SQLModel
    made them) gets TIMESTAMP WITH TIME ZONE, its values taken as the UTC they were written in."""
    legacy = create_engine(pg_url)
    ddl = (SCHEMAS / f"{FIRST_RELEASE}.postgresql.sql").read_text()
    ddl = "\n".join(line for line in ddl.splitlines() if not line.startswith("--"))
    ddl = ddl.replace("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITHOUT TIME ZONE")
    with legacy.begin() as conn:
        for statement in re.split(r";\s*$", ddl, flags=re.MULTILINE):
            if statement.strip():
                conn.exec_driver_sql(statement)
    naive = {
        table: [
            {k: v.replace(tzinfo=None) if isinstance(v, datetime) else v for k, v in row.items()}
            for row in table_rows
        ]
        for table, table_rows in first_release_rows().items()
    }
    insert_rows(legacy, naive)
    legacy.dispose()

    engine = make_engine(pg_url)
    for table in ("profile", "cardstate", "reviewlog"):
        for column in inspect(engine).get_columns(table):
            if isinstance(column["type"], DateTime):
                assert column["type"].timezone, f"{table}.{column['name']}"
    with engine.connect() as conn:
        due = conn.execute(text("SELECT due FROM cardstate WHERE id = 1")).scalar_one()
    assert due == T0 + timedelta(days=10)
    assert Study(engine, get_profile(engine, 1)).memory("a1").due == T0 + timedelta(days=10)
    study_works(engine, bank)
    engine.dispose()


def test_an_unknown_value_in_an_enum_column_stops_the_upgrade_plainly(empty_db_url):
    legacy = legacy_database(empty_db_url, FIRST_RELEASE)
    rows = first_release_rows()
    rows["cardstate"][0]["state"] = "limbo"
    insert_rows(legacy, rows)
    legacy.dispose()
    with pytest.raises(StorageError, match="cardstate.state holds 'limbo'") as info:
        make_engine(empty_db_url)
    assert "Nothing was changed" in str(info.value) and "\n" not in str(info.value)
    assert recorded_revision(empty_db_url) is None


@pytest.mark.parametrize(
    "table, column, value",
    [
        ("cardstate", "queue", "later"),
        ("reviewlog", "kind", "guess"),
        ("examattempt", "status", "paused"),
        ("room", "phase", "intermission"),
    ],
)
def test_enum_columns_refuse_other_values(empty_db_url, bank, table, column, value):
    legacy = legacy_database(empty_db_url, BEFORE_ALEMBIC)
    insert_rows(legacy, today_rows(bank))
    legacy.dispose()
    engine = make_engine(empty_db_url)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(f"UPDATE {table} SET {column} = :value"), {"value": value})
    engine.dispose()


def test_json_and_timestamps_come_back_as_python_values(engine, bank):
    from trainer.store.tables import ExamAnswer, ExamAttempt, Room, table_of

    exams = Exams(engine, 1)
    from trainer.study.profiles import create_profile

    create_profile(engine, "Ana")
    attempt = exams.start(bank, SHORT_MOCK, seed=4, now=NOW)
    exams.answer(attempt.id, 0, [1], now=NOW)
    rooms.create_room(engine, list(bank.questions.values())[:2], teams=["Red", "Blue"], now=NOW)
    with engine.connect() as conn:
        row = conn.execute(select(table_of(ExamAttempt))).one()
        chosen = conn.execute(
            select(table_of(ExamAnswer).c.chosen).order_by(table_of(ExamAnswer).c.id)
        ).scalars()
        room = conn.execute(select(table_of(Room))).one()
    assert isinstance(row.spec, dict) and row.spec["kind"] == "short"
    assert isinstance(row.questions, list) and len(row.questions) == 4
    assert row.summary is None  # SQL NULL until submitted, not JSON null
    assert row.status is AttemptStatus.IN_PROGRESS and row.started_at == NOW
    assert row.started_at.tzinfo is not None and row.started_at.utcoffset() == timedelta(0)
    assert list(chosen)[:2] == [[1], []]
    assert room.teams == ["Red", "Blue"] and room.source == {}


def test_downgrading_to_0003_and_upgrading_again_keeps_every_row(empty_db_url, bank):
    legacy = legacy_database(empty_db_url, BEFORE_ALEMBIC)
    insert_rows(legacy, today_rows(bank))
    before = raw_rows(legacy)
    legacy.dispose()
    engine = make_engine(empty_db_url)
    assert migrate.downgrade(engine, "0003").after == "0003"
    assert_rows_survived(before, raw_rows(engine))
    assert migrate.upgrade(engine).after == migrate.head()
    assert_rows_survived(before, raw_rows(engine))
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    engine.dispose()


# -- revision 0005: workshop access ------------------------------------------------------------------


def test_rooms_and_seats_from_before_0005_keep_working_with_one_time_links(empty_db_url, bank):
    """A room mid-game from before revision 0005: its seat links and host secret still work (the
    seat link now once), it allows one seat per browser, and 0004 <-> 0005 keeps every row."""
    from trainer.workshops import links
    from trainer.workshops.access import token_hash
    from trainer.workshops.throttle import Visitor

    legacy = legacy_database(empty_db_url, BEFORE_ALEMBIC)
    insert_rows(legacy, today_rows(bank))
    secret, seat = "s" * 43, "seat-token-of-ana"
    with legacy.begin() as conn:
        conn.execute(text("UPDATE room SET host_secret_hash = :h"), {"h": token_hash(secret)})
        conn.execute(
            text("UPDATE roomparticipant SET seat_hash = :h WHERE name = 'Ana'"), {"h": token_hash(seat)}
        )
    before = raw_rows(legacy)
    legacy.dispose()

    engine = make_engine(empty_db_url)
    assert_rows_survived(before, raw_rows(engine))
    room = rooms.host_room(engine, before["room"][0]["code"], secret)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT seats_per_browser FROM room")).scalar_one() == 1
    ana, fresh = rooms.rejoin(engine, room.code, seat, Visitor("phone"), now=T0 + timedelta(minutes=5))
    assert ana.name == "Ana" and fresh != seat
    # Her session now holds the seat: joining again from it gives the same seat back.
    assert rooms.join(engine, room.code, "Ana 2", now=T0, visitor=Visitor("phone"))[0] == ana
    token = links.issue_host_link(engine, room.id, secret)
    assert links.open_host_link(engine, room.code, token)[1] == secret

    assert migrate.downgrade(engine, "0004").after == "0004"
    assert migrate.upgrade(engine).after == migrate.head()
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    assert [p.name for p in rooms.participants(engine, room.id)] == ["Ana", "Bob"]
    engine.dispose()


# -- running it again, at once, or on a database it does not know ---------------------------------


def test_upgrading_twice_changes_nothing(empty_db_url):
    engine = make_engine(empty_db_url)
    schema = sorted(inspect(engine).get_table_names())
    again = migrate.upgrade(engine)
    assert not again.changed and again.after == migrate.head()
    assert sorted(inspect(engine).get_table_names()) == schema
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    engine.dispose()


def test_an_engine_upgrades_once_per_process_and_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'once.db'}"
    make_engine(url).dispose()

    def must_not_run(engine):
        raise AssertionError("upgraded twice")

    monkeypatch.setattr(migrate, "upgrade", must_not_run)
    make_engine(url).dispose()  # the same URL again: no second upgrade
    with pytest.raises(AssertionError, match="upgraded twice"):
        make_engine(f"sqlite:///{tmp_path / 'other.db'}")  # another URL is upgraded


def test_servers_starting_together_upgrade_once_and_both_start(empty_db_url):
    legacy = legacy_database(empty_db_url, FIRST_RELEASE)
    insert_rows(legacy, first_release_rows())
    legacy.dispose()
    engines = [make_engine(empty_db_url, migrate=False) for _ in range(4)]
    go = threading.Barrier(len(engines))
    outcomes: list[Any] = []

    def start(engine: Engine) -> None:
        go.wait()
        try:
            outcomes.append(migrate.upgrade(engine))
        except Exception as exc:  # noqa: BLE001 - the test reports any failure below
            outcomes.append(exc)

    threads = [threading.Thread(target=start, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(o, migrate.Revisions) for o in outcomes), outcomes
    assert sorted(o.before for o in outcomes) == ["0001"] + [migrate.head()] * 3  # exactly one upgraded
    with engines[0].connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM reviewlog")).scalar_one() == 6
    for engine in engines:
        engine.dispose()


def test_server_processes_starting_together_upgrade_once(empty_db_url):
    """Separate processes, as several servers would be; each runs ``trainer db upgrade``."""
    env = {"TRAINER_DATABASE_URL": empty_db_url, "PATH": ""}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "trainer.cli", "db", "upgrade"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    results = [proc.communicate(timeout=120) + (proc.returncode,) for proc in procs]
    assert [rc for _, _, rc in results] == [0, 0, 0], results
    outputs = sorted(out for out, _, _ in results)
    assert sum("upgraded the schema" in out for out in outputs) == 1, outputs
    assert recorded_revision(empty_db_url) == migrate.head()


def test_a_database_from_a_newer_trainer_is_refused_plainly(empty_db_url):
    engine = make_engine(empty_db_url, migrate=False)  # not make_engine's once-per-URL upgrade
    migrate.upgrade(engine)
    engine.dispose()
    plain = create_engine(empty_db_url)
    with plain.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    plain.dispose()
    with pytest.raises(StorageError, match="a newer trainer upgraded it") as info:
        make_engine(empty_db_url)
    assert "SELECT" not in str(info.value) and "Traceback" not in str(info.value)


def test_a_failed_upgrade_says_so_plainly_and_changes_nothing(empty_db_url):
    legacy = legacy_database(empty_db_url, QUESTIONS_IN_STUDY)
    with legacy.begin() as conn:  # a stray table in the way of revision 0003
        conn.execute(text("CREATE TABLE questionreport (id INTEGER PRIMARY KEY)"))
    legacy.dispose()
    with pytest.raises(StorageError, match="could not upgrade the database .* Nothing was changed") as info:
        make_engine(empty_db_url)
    message = str(info.value)
    assert "CREATE TABLE" not in message and "\n" not in message
    assert recorded_revision(empty_db_url) is None  # not even the stamp
    assert "examattempt" not in inspect(create_engine(empty_db_url)).get_table_names()


# -- trainer db ------------------------------------------------------------------------------------


def cli_main(argv: list[str]) -> int:
    from trainer.cli import main  # imported here: the other commands' modules are not under test

    return main(argv)


def test_trainer_db_current_and_upgrade(empty_db_url, monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATABASE_URL", empty_db_url)
    legacy_database(empty_db_url, FIRST_RELEASE).dispose()
    assert cli_main(["db", "current"]) == 0
    out = capsys.readouterr().out
    assert "0001" in out and "before migrations" in out and "not head" in out
    assert cli_main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.strip() == f"upgraded the schema: 0001 -> {migrate.head()}"
    assert cli_main(["db", "upgrade"]) == 0
    assert "already at the newest revision" in capsys.readouterr().out
    assert cli_main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip() == f"{migrate.head()} (head)"


def test_trainer_db_with_a_bad_url_is_one_line_and_exit_2(monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATABASE_URL", "not a url")
    assert cli_main(["db", "current"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a database URL" in err


def test_trainer_db_with_an_unreachable_server_is_one_line(monkeypatch, capsys):
    monkeypatch.setenv("TRAINER_DATABASE_URL", "postgresql+psycopg://u:secret@127.0.0.1:1/db")
    assert cli_main(["db", "upgrade"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot open the database" in err and "secret" not in err


# -- for developers ----------------------------------------------------------------------------------


def test_a_new_revision_is_drafted_with_the_next_number(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", copy)
    path = migrate.new_revision("add a column")
    assert path == copy / "versions" / "0011_add_a_column.py"
    text_ = path.read_text()
    assert "revision = '0011'" in text_ and "down_revision = '0010'" in text_
    upgrade_body = text_.split("def upgrade() -> None:")[1].split("def downgrade")[0]
    assert "op." not in upgrade_body  # the models match head: nothing to draft
