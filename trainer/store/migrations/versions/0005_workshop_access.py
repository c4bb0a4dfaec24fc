"""Workshop access (issue 17): join attempts for the rate limit, one-time host links, seats held
by a browser session.

* ``joinattempt``: one row per wrong join code, keyed by a hash of the browser session or the
  client address, pruned after the rate limit's window (``trainer.workshops.throttle``).
* ``hostlink``: one-time host links. A row holds the hash of the link's token and the room's host
  secret sealed with that token, so the link opens the console once and the secret itself never
  sits in a URL (``trainer.workshops.links``).
* ``room.seats_per_browser``: how many seats one browser session may hold (1 unless the host
  allows more, for shared devices). Existing rooms get 1.
* ``roomparticipant.holder_hash`` (the browser session holding the seat, hashed) and
  ``roomparticipant.seat_issued_at`` (when the seat's current rejoin token was issued; the token
  changes at every use and expires). Existing seats have neither: their holder is unknown, and
  their token counts as issued when they joined.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "joinattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_joinattempt_who_time", "joinattempt", ["who", "attempted_at"])
    op.create_index("ix_joinattempt_attempted_at", "joinattempt", ["attempted_at"])

    op.create_table(
        "hostlink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("sealed_secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"]),
    )
    op.create_index("ix_hostlink_room_id", "hostlink", ["room_id"])
    op.create_index("ix_hostlink_created_at", "hostlink", ["created_at"])

    with op.batch_alter_table("room") as batch:
        batch.add_column(sa.Column("seats_per_browser", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("roomparticipant") as batch:
        batch.add_column(sa.Column("holder_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("seat_issued_at", TIMESTAMP, nullable=True))
        batch.create_index("ix_roomparticipant_room_holder", ["room_id", "holder_hash"])


def downgrade() -> None:
    with op.batch_alter_table("roomparticipant") as batch:
        batch.drop_index("ix_roomparticipant_room_holder")
        batch.drop_column("seat_issued_at")
        batch.drop_column("holder_hash")
    with op.batch_alter_table("room") as batch:
        batch.drop_column("seats_per_browser")
    op.drop_index("ix_hostlink_created_at", table_name="hostlink")
    op.drop_index("ix_hostlink_room_id", table_name="hostlink")
    op.drop_table("hostlink")
    op.drop_index("ix_joinattempt_attempted_at", table_name="joinattempt")
    op.drop_index("ix_joinattempt_who_time", table_name="joinattempt")
    op.drop_table("joinattempt")
