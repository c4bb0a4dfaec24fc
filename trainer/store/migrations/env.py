"""Alembic's environment: runs the revisions on the connection ``trainer.store.migrate`` hands it.

The trainer configures Alembic in code (no ``alembic.ini``), so this works from an installed
wheel. ``migrate`` opens the connection, takes the migration lock and owns the transaction;
this script only runs the revisions inside it.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import trainer.store.tables  # noqa: F401  (registers every table on SQLModel.metadata)

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through trainer.store.migrate, which supplies the connection")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite cannot alter most column properties in place; batch mode copies the table.
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
