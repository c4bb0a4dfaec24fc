"""Studying toward an exam date, and FSRS parameters fitted to each learner (issue 14).

* ``profile.exam_date`` (NULL: no exam date) and ``profile.exam_max_new_per_day`` (the most new
  cards a day the exam pace may rise to; existing profiles get 50): see
  ``trainer.study.exam_date``.
* ``profile.fsrs_parameters``: the FSRS parameters fitted to the learner's own reviews, NULL for
  FSRS's defaults (every existing profile, so their schedules do not change).
* ``parameterset``: every optimisation of a profile's parameters, adopted or not, with its scores
  on reviews the optimiser did not see (``trainer.study.optimizer``).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
JSON = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("exam_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("exam_max_new_per_day", sa.Integer(), nullable=False, server_default="50"))
        batch.add_column(sa.Column("fsrs_parameters", JSON, nullable=True))
    op.create_table(
        "parameterset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("parameters", JSON, nullable=False),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("log_loss", sa.Float(), nullable=True),
        sa.Column("rmse_bins", sa.Float(), nullable=True),
        sa.Column("previous_log_loss", sa.Float(), nullable=True),
        sa.Column("previous_rmse_bins", sa.Float(), nullable=True),
        sa.Column("adopted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["profile_id"], ["profile.id"]),
    )
    op.create_index("ix_parameterset_profile_id", "parameterset", ["profile_id"])


def downgrade() -> None:
    op.drop_index("ix_parameterset_profile_id", table_name="parameterset")
    op.drop_table("parameterset")
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("fsrs_parameters")
        batch.drop_column("exam_max_new_per_day")
        batch.drop_column("exam_date")
