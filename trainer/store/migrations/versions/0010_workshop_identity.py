"""Workshops and profiles with sign-in on (issue 15).

* ``room.host_profile_id``: the signed-in facilitator who created the room; host actions need
  them (or a maintainer) as well as the host secret. NULL for rooms made in local mode (all
  existing ones). ``room.allow_guests``: whether people who are not signed in may join with a
  code and a display name; existing rooms keep allowing it, as before.
* ``roomparticipant.profile_id``: a signed-in participant's own profile (one seat per profile
  per room); NULL for guests and every existing seat. ``roomanswer.question_id``: the bank's
  question id, so a profile's workshop answers count with its other question attempts; NULL
  for existing answers (they belong to no profile).
* ``profile.claim_email`` and ``profile.claimed_at``: a local profile an operator set aside for
  whoever signs in with that verified e-mail, and when a signed-in person claimed it.
* ``teammember.profile_id`` now cascades: deleting a profile in a team took an IntegrityError.

Foreign keys to ``profile`` from rooms and seats are ON DELETE SET NULL: deleting a profile
leaves the room's answers to the host's report, anonymous.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)
# SQLite's batch mode names the unnamed foreign keys it reflects with this, so one can be dropped.
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}
MEMBER_FK = "fk_teammember_profile_id_profile"


def upgrade() -> None:
    with op.batch_alter_table("profile") as batch:
        batch.add_column(sa.Column("claim_email", sa.String(length=254), nullable=True))
        batch.add_column(sa.Column("claimed_at", TIMESTAMP, nullable=True))

    with op.batch_alter_table("room") as batch:
        batch.add_column(sa.Column("host_profile_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("allow_guests", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.create_foreign_key(
            "fk_room_host_profile_id_profile", "profile", ["host_profile_id"], ["id"], ondelete="SET NULL"
        )

    with op.batch_alter_table("roomanswer") as batch:
        batch.add_column(sa.Column("question_id", sa.String(length=120), nullable=True))

    with op.batch_alter_table("roomparticipant") as batch:
        batch.add_column(sa.Column("profile_id", sa.Integer(), nullable=True))
        batch.create_index("ix_roomparticipant_profile_id", ["profile_id"])
        batch.create_unique_constraint("uq_roomparticipant_room_profile", ["room_id", "profile_id"])
        batch.create_foreign_key(
            "fk_roomparticipant_profile_id_profile", "profile", ["profile_id"], ["id"], ondelete="SET NULL"
        )

    _member_fk(ondelete="CASCADE")


def _member_fk(ondelete: str | None) -> None:
    """Replace teammember's foreign key to profile (PostgreSQL named the one from 0009 itself)."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        (old,) = [
            str(fk["name"])
            for fk in sa.inspect(bind).get_foreign_keys("teammember")
            if fk["referred_table"] == "profile"
        ]
        op.drop_constraint(old, "teammember", type_="foreignkey")
        op.create_foreign_key(MEMBER_FK, "teammember", "profile", ["profile_id"], ["id"], ondelete=ondelete)
        return
    with op.batch_alter_table("teammember", naming_convention=NAMING) as batch:
        batch.drop_constraint(MEMBER_FK, type_="foreignkey")
        batch.create_foreign_key(MEMBER_FK, "profile", ["profile_id"], ["id"], ondelete=ondelete)


def downgrade() -> None:
    _member_fk(ondelete=None)
    with op.batch_alter_table("roomparticipant") as batch:
        batch.drop_constraint("fk_roomparticipant_profile_id_profile", type_="foreignkey")
        batch.drop_constraint("uq_roomparticipant_room_profile", type_="unique")
        batch.drop_index("ix_roomparticipant_profile_id")
        batch.drop_column("profile_id")
    with op.batch_alter_table("roomanswer") as batch:
        batch.drop_column("question_id")
    with op.batch_alter_table("room") as batch:
        batch.drop_constraint("fk_room_host_profile_id_profile", type_="foreignkey")
        batch.drop_column("allow_guests")
        batch.drop_column("host_profile_id")
    with op.batch_alter_table("profile") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("claim_email")
