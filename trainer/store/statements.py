"""SQL the two databases spell differently, written once.

SQLAlchemy's generic ``insert()`` has no "skip rows that already exist"; SQLite and PostgreSQL
both have ``INSERT … ON CONFLICT DO NOTHING`` through their dialects' own ``insert()``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.expression import Executable


def insert_missing(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], unique: Sequence[str]
) -> None:
    """Insert ``rows``, skipping any whose ``unique`` columns match a row already there.

    Two sessions inserting the same rows at once both succeed, and each row is there once:
    the unique constraint on ``unique`` decides, never a check made before the insert.
    """
    if not rows:
        return
    dialect = conn.dialect.name
    statement: Executable
    if dialect == "postgresql":
        statement = postgresql_insert(table).on_conflict_do_nothing(index_elements=list(unique))
    elif dialect == "sqlite":
        statement = sqlite_insert(table).on_conflict_do_nothing(index_elements=list(unique))
    else:  # pragma: no cover - the trainer supports SQLite and PostgreSQL
        raise NotImplementedError(f"insert_missing does not support {dialect}")
    conn.execute(statement, list(rows))
