"""The database holds the invariants: UTC timestamps, JSON columns, enum columns, one exam in
progress per profile.

* Timestamps: TIMESTAMP WITH TIME ZONE on PostgreSQL. Databases made by this trainer already
  have it (SQLModel's UTC type); a column found without a time zone is converted, reading its
  values as UTC (``USING col AT TIME ZONE 'UTC'``). SQLite keeps UTC text and needs nothing.
* JSON: the text columns holding JSON become JSON (JSONB on PostgreSQL, cast from the text).
  SQLite stores JSON as text as before; the table is copied to change the declared type.
* Enums: the state, queue, kind, mode, status, phase and scoring columns become VARCHAR(20)
  with a CHECK constraint listing the values the code knows. A value outside the list stops the
  upgrade with a message naming it (nothing is changed).
* At most one exam attempt in progress per profile: where a profile has several, all but the
  newest are marked abandoned (their answers are kept), then a partial unique index enforces it.

The value lists are written out here rather than imported, so this revision keeps meaning
what it meant when later code changes the enums.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

MEMORY_STATES = ("new", "learning", "review", "relearning")
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "cardstate": {
        "state": MEMORY_STATES,
        "queue": ("new", "learn", "review", "suspended", "retired"),
    },
    "reviewlog": {
        "kind": ("review", "cram", "question"),
        "state_before": MEMORY_STATES,
        "state_after": MEMORY_STATES,
    },
    "examattempt": {
        "mode": ("timed", "review", "drill"),
        "kind": ("full", "short", "review", "domain", "topic", "concept", "missed"),
        "status": ("in_progress", "submitted", "timed_out", "abandoned"),
    },
    "room": {
        "phase": ("lobby", "question_open", "paused", "revealed", "finished"),
        "scoring": ("speed", "accuracy"),
    },
}
# The enum columns' types before this revision (0001 and 0003).
ENUM_BEFORE = {"examattempt": sa.String(length=20), "room": sa.String(length=20)}
ENUM_LENGTH = 20

# (column, type before, nullable)
JSON_COLUMNS: dict[str, list[tuple[str, sa.types.TypeEngine, bool]]] = {
    "examattempt": [("spec", sa.Text(), False), ("questions", sa.Text(), False), ("summary", sa.Text(), True)],
    "examanswer": [("chosen", sa.String(), False)],
    "room": [("source", sa.Text(), False), ("teams", sa.Text(), False), ("questions", sa.Text(), False)],
    "roomanswer": [("chosen", sa.String(), False)],
}
JSON_TYPE = sa.JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")

TIMESTAMPS = {
    "profile": ("created_at",),
    "cardstate": ("due", "last_review", "buried_until"),
    "reviewlog": ("reviewed_at", "due_after"),
    "examattempt": ("started_at", "deadline", "submitted_at"),
    "examanswer": ("answered_at",),
    "questionreport": ("created_at", "resolved_at"),
    "room": ("opened_at", "deadline", "paused_at", "created_at", "started_at", "finished_at"),
    "roomparticipant": ("joined_at",),
    "roomanswer": ("answered_at",),
}

ONE_IN_PROGRESS = "status = 'in_progress'"


def upgrade() -> None:
    bind = op.get_bind()
    _refuse_unknown_values(bind)
    _abandon_all_but_the_newest_attempt(bind)
    if bind.dialect.name == "postgresql":
        _timestamps_with_time_zone(bind)
    for table in ("cardstate", "reviewlog", "examattempt", "examanswer", "room", "roomanswer"):
        with op.batch_alter_table(table) as batch:
            for column, before, nullable in JSON_COLUMNS.get(table, []):
                batch.alter_column(
                    column,
                    type_=JSON_TYPE,
                    existing_type=before,
                    existing_nullable=nullable,
                    postgresql_using=f"{column}::jsonb",
                )
            for column, values in ENUMS.get(table, {}).items():
                batch.alter_column(
                    column,
                    type_=sa.String(length=ENUM_LENGTH),
                    existing_type=ENUM_BEFORE.get(table, sa.String()),
                    existing_nullable=False,
                )
                batch.create_check_constraint(f"ck_{table}_{column}", _one_of(column, values))
    op.create_index(
        "uq_examattempt_one_in_progress",
        "examattempt",
        ["profile_id"],
        unique=True,
        sqlite_where=sa.text(ONE_IN_PROGRESS),
        postgresql_where=sa.text(ONE_IN_PROGRESS),
    )


def downgrade() -> None:
    op.drop_index("uq_examattempt_one_in_progress", table_name="examattempt")
    for table in ("cardstate", "reviewlog", "examattempt", "examanswer", "room", "roomanswer"):
        with op.batch_alter_table(table) as batch:
            for column in ENUMS.get(table, {}):
                batch.drop_constraint(f"ck_{table}_{column}", type_="check")
                batch.alter_column(
                    column,
                    type_=ENUM_BEFORE.get(table, sa.String()),
                    existing_type=sa.String(length=ENUM_LENGTH),
                    existing_nullable=False,
                )
            for column, before, nullable in JSON_COLUMNS.get(table, []):
                batch.alter_column(
                    column,
                    type_=before,
                    existing_type=JSON_TYPE,
                    existing_nullable=nullable,
                    postgresql_using=f"{column}::text",
                )


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _refuse_unknown_values(bind: sa.Connection) -> None:
    for table, columns in ENUMS.items():
        for column, values in columns.items():
            found = bind.execute(sa.text(f"SELECT DISTINCT {column} FROM {table}")).scalars()
            unknown = sorted(str(v) for v in found if v not in values)
            if unknown:
                raise ValueError(
                    f"{table}.{column} holds {', '.join(map(repr, unknown))}, which this version does not "
                    f"know (it knows {', '.join(values)})"
                )


def _abandon_all_but_the_newest_attempt(bind: sa.Connection) -> None:
    attempts = sa.table(
        "examattempt",
        sa.column("id", sa.Integer()),
        sa.column("profile_id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("submitted_at", sa.DateTime(timezone=True)),
    )
    rows = bind.execute(
        sa.select(attempts.c.id, attempts.c.profile_id)
        .where(attempts.c.status == "in_progress")
        .order_by(attempts.c.profile_id, attempts.c.started_at.desc(), attempts.c.id.desc())
    ).all()
    newest: set[int] = set()
    older = []
    for attempt_id, profile_id in rows:
        if profile_id in newest:
            older.append(attempt_id)
        newest.add(profile_id)
    if older:
        bind.execute(
            sa.update(attempts)
            .where(attempts.c.id.in_(older))
            .values(status="abandoned", submitted_at=datetime.now(UTC))
        )


def _timestamps_with_time_zone(bind: sa.Connection) -> None:
    inspector = sa.inspect(bind)
    for table, columns in TIMESTAMPS.items():
        types = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for column in columns:
            if not getattr(types[column], "timezone", False):
                op.alter_column(
                    table,
                    column,
                    type_=sa.DateTime(timezone=True),
                    existing_type=sa.DateTime(),
                    postgresql_using=f"{column} AT TIME ZONE 'UTC'",
                )
