"""The first release's schema (commit 8a72c5d): profiles, card memory, the review log.

Written out by hand, as that release's ``create_all`` made it, so that a database created by the
first release and one created by this chain are the same. Timestamps were SQLModel's UTC type:
TIMESTAMP WITH TIME ZONE on PostgreSQL, DATETIME text on SQLite.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("new_per_day", sa.Integer(), nullable=False),
        sa.Column("reviews_per_day", sa.Integer(), nullable=False),
        sa.Column("desired_retention", sa.Float(), nullable=False),
        sa.Column("learning_steps", sa.String(), nullable=False),
        sa.Column("relearning_steps", sa.String(), nullable=False),
        sa.Column("leech_threshold", sa.Integer(), nullable=False),
        sa.Column("leech_action", sa.String(), nullable=False),
        sa.Column("day_starts_at", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_profile_name", "profile", ["name"], unique=True)

    op.create_table(
        "cardstate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.String(length=120), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("queue", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("stability", sa.Float(), nullable=True),
        sa.Column("difficulty", sa.Float(), nullable=True),
        sa.Column("due", TIMESTAMP, nullable=True),
        sa.Column("last_review", TIMESTAMP, nullable=True),
        sa.Column("reps", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        sa.Column("leech", sa.Boolean(), nullable=False),
        sa.Column("buried_until", TIMESTAMP, nullable=True),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("profile_id", "card_id", name="uq_cardstate_profile_card"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
    )
    op.create_index("ix_cardstate_queue", "cardstate", ["profile_id", "queue", "due"])

    op.create_table(
        "reviewlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.String(length=120), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", TIMESTAMP, nullable=False),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("state_before", sa.String(), nullable=False),
        sa.Column("state_after", sa.String(), nullable=False),
        sa.Column("due_after", TIMESTAMP, nullable=True),
        sa.Column("stability_after", sa.Float(), nullable=True),
        sa.Column("difficulty_after", sa.Float(), nullable=True),
        sa.Column("interval_days", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
    )
    op.create_index("ix_reviewlog_profile_time", "reviewlog", ["profile_id", "reviewed_at"])
    op.create_index("ix_reviewlog_card_id", "reviewlog", ["card_id"])


def downgrade() -> None:
    op.drop_table("reviewlog")
    op.drop_table("cardstate")
    op.drop_table("profile")
