"""SQL the two databases spell differently, written once.

SQLAlchemy's generic ``insert()`` has no "skip rows that already exist"; SQLite and PostgreSQL
both have ``INSERT … ON CONFLICT DO NOTHING`` through their dialects' own ``insert()``.

A read-check-write (rate a card from its current memory, count a room's participants and add one)
must not interleave with another session's: :func:`writing` is the transaction for it. On
PostgreSQL the rows it reads are locked with ``SELECT … FOR UPDATE`` (see :func:`locked`); SQLite
has no row locks, so the transaction takes the database's write lock before its first read
(``BEGIN IMMEDIATE``). Writers then wait their turn (SQLite's busy timeout, PostgreSQL's row
lock) instead of working from a row another session is about to change.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Select, Table
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
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


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction for a read-check-write: commits on exit, rolls back on an exception.

    On SQLite it holds the database's write lock from its first statement (``BEGIN IMMEDIATE``,
    waiting up to the busy timeout for another writer), so what it reads cannot change before it
    writes. Python's sqlite3 driver would otherwise begin the transaction only at the first
    INSERT or UPDATE, after the reads. On PostgreSQL it is an ordinary transaction: read the rows
    it will change with :func:`locked`.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


SelectT = TypeVar("SelectT", bound=Select[Any])


def locked(query: SelectT) -> SelectT:
    """``query`` locking the rows it reads until the transaction ends (PostgreSQL's
    ``FOR NO KEY UPDATE``: it waits for, and makes wait, anyone updating those rows, yet lets
    rows of other tables that reference them be inserted). SQLite ignores it; :func:`writing`
    holds its write lock instead."""
    return query.with_for_update(key_share=True)
