"""Scenario questions in daily study (commit 9342a03): the review log names the question.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column: SQLite adds it in place, no table copy.
    op.add_column("reviewlog", sa.Column("question_id", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reviewlog") as batch:
        batch.drop_column("question_id")
