"""Exam practice and workshop quiz rooms (commit 2badc8f): six tables.

JSON is kept as text here, as those releases stored it; revision 0004 turns it into JSON columns.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "examattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("spec", sa.Text(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=False),
        sa.Column("deadline", TIMESTAMP, nullable=True),
        sa.Column("submitted_at", TIMESTAMP, nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("scaled", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("cards_marked", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
    )
    op.create_index("ix_examattempt_profile_status", "examattempt", ["profile_id", "status", "started_at"])

    op.create_table(
        "examanswer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("attempt_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("chosen", sa.String(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=True),
        sa.Column("answered_at", TIMESTAMP, nullable=True),
        sa.Column("time_ms", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("attempt_id", "position", name="uq_examanswer_attempt_position"),
        sa.ForeignKeyConstraint(["attempt_id"], ["examattempt.id"]),
    )
    op.create_index("ix_examanswer_attempt_id", "examanswer", ["attempt_id"])

    op.create_table(
        "questionreport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(length=120), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("attempt_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("resolved_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
        sa.ForeignKeyConstraint(["attempt_id"], ["examattempt.id"]),
    )
    op.create_index("ix_questionreport_question_id", "questionreport", ["question_id"])

    op.create_table(
        "room",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("open_code", sa.String(length=12), nullable=True),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("host_secret_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("scoring", sa.String(length=20), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.Column("teams", sa.Text(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("opened_at", TIMESTAMP, nullable=True),
        sa.Column("deadline", TIMESTAMP, nullable=True),
        sa.Column("paused_at", TIMESTAMP, nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("started_at", TIMESTAMP, nullable=True),
        sa.Column("finished_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_code"),
    )
    op.create_index("ix_room_code", "room", ["code"])

    op.create_table(
        "roomparticipant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=40), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=True),
        sa.Column("seat_hash", sa.String(length=64), nullable=False),
        sa.Column("joined_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("room_id", "name_key", name="uq_roomparticipant_room_name"),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"]),
    )
    op.create_index("ix_roomparticipant_room_id", "roomparticipant", ["room_id"])
    op.create_index("ix_roomparticipant_seat_hash", "roomparticipant", ["seat_hash"])

    op.create_table(
        "roomanswer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("question_index", sa.Integer(), nullable=False),
        sa.Column("chosen", sa.String(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("answered_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "question_index", name="uq_roomanswer_participant_question"),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"]),
        sa.ForeignKeyConstraint(["participant_id"], ["roomparticipant.id"]),
    )
    op.create_index("ix_roomanswer_room_question", "roomanswer", ["room_id", "question_index"])


def downgrade() -> None:
    for table in ("roomanswer", "roomparticipant", "room", "questionreport", "examanswer", "examattempt"):
        op.drop_table(table)
