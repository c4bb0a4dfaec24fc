"""Teams (issue 15): cohorts a facilitator leads, their members, e-mail invites and assignments.

* ``team``: name, optional exam date, whether learners see the anonymous aggregate, and the join
  link (the sha256 hex of its token, never the token, and when it stops working).
* ``teammember``: a profile in a team, as a learner or one of its facilitators; once per team.
* ``teaminvite``: a casefolded e-mail address, accepted when someone signs in with it verified.
* ``assignment``: cards or questions (their ids, and how they were chosen) due by a date.

New tables only: nothing changes for existing rows.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=True),
        sa.Column("share_aggregate", sa.Boolean(), nullable=False),
        sa.Column("join_token_hash", sa.String(length=64), nullable=True),
        sa.Column("join_token_expires", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("join_token_hash"),
    )
    op.create_table(
        "teammember",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("facilitator", sa.Boolean(), nullable=False),
        sa.Column("joined_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
        sa.UniqueConstraint("team_id", "profile_id", name="uq_teammember_team_profile"),
    )
    op.create_index("ix_teammember_team_id", "teammember", ["team_id"])
    op.create_index("ix_teammember_profile_id", "teammember", ["profile_id"])
    op.create_table(
        "teaminvite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("accepted_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.UniqueConstraint("team_id", "email", name="uq_teaminvite_team_email"),
    )
    op.create_index("ix_teaminvite_team_id", "teaminvite", ["team_id"])
    op.create_index("ix_teaminvite_email", "teaminvite", ["email"])
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("item_ids", JSON, nullable=False),
        sa.Column("source", JSON, nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
    )
    op.create_index("ix_assignment_team_id", "assignment", ["team_id"])


def downgrade() -> None:
    op.drop_index("ix_assignment_team_id", table_name="assignment")
    op.drop_table("assignment")
    op.drop_index("ix_teaminvite_email", table_name="teaminvite")
    op.drop_index("ix_teaminvite_team_id", table_name="teaminvite")
    op.drop_table("teaminvite")
    op.drop_index("ix_teammember_profile_id", table_name="teammember")
    op.drop_index("ix_teammember_team_id", table_name="teammember")
    op.drop_table("teammember")
    op.drop_table("team")
