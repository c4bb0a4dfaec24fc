"""Load balancing, easy days and a vacation for each profile (issue 14).

``profile.calendar``: a small JSON object, NULL for Anki's defaults (load balancing on, every
weekday a normal day, no vacation), so nothing changes for existing profiles. Its keys are read
by ``trainer.study.load_balance.calendar_from_json``: ``load_balancing``, ``easy_days`` (seven
percentages, Monday first) and ``vacation`` (first and last day, ISO dates).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

JSON = sa.JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("calendar", JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("calendar")
