"""Profiles bound to a signed-in person (issue 15).

``profile.signin_subject``: "<issuer> <subject>" of the OpenID Connect identity the profile
belongs to, unique, NULL for every profile made without sign-in (all existing ones), so nothing
changes for a local installation.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("signin_subject", sa.Text(), nullable=True))
        batch.create_unique_constraint("uq_profile_signin_subject", ["signin_subject"])


def downgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.drop_constraint("uq_profile_signin_subject", type_="unique")
        batch.drop_column("signin_subject")
