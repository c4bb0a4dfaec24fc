"""The study loop's hottest statements, run on the database driver's own cursor.

SQLAlchemy Core spends about 20 µs setting up each execution (an execution context, parameter
processing, a result object): more than SQLite takes to run the statements of a rating. A rating
runs three of them (read the card, save its memory, add its log row) and fetching the next card
one, so that set-up was most of the loop's time, and the reason it was 1.6 to 1.9 times slower than
Anki's own library on the same collection (``benchmarks/study.py``).

Here each of those statements is compiled by SQLAlchemy once per dialect (its SQL text, the order
of its parameters and the values it binds itself, such as a LIMIT) and run on the DBAPI cursor of
the caller's connection, inside the caller's transaction (:func:`trainer.store.statements.writing`
still takes the locks). The values are converted here for the few types these statements use, as
the columns' types would (``trainer.store.types``): timestamps are stored in UTC (ISO text on
SQLite, ``timestamptz`` on PostgreSQL) and read back timezone-aware; enums are stored as their
text; booleans are 0/1 on SQLite. Everything else keeps going through SQLAlchemy, and
``tests/test_hot_sql.py`` checks that both ways read and write the same rows on both databases.
While anything listens to SQLAlchemy's cursor events (tracing, a test that makes the database
fail), the statements go through SQLAlchemy instead, so those listeners see every statement.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any, NamedTuple, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement, Executable

from trainer.store.enums import MemoryState, StudyQueue
from trainer.study.scheduling import Memory

# How SQLite stores a timestamp (SQLAlchemy's DateTime on SQLite): UTC, without the offset.
_SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


class HotStatement:
    """One statement compiled per dialect and run on the driver's cursor (module docstring)."""

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self.columns: dict[str, int] | None = None  # a result column's name -> its place

    def _for(self, dialect: Dialect) -> _Compiled:
        key = (dialect.name, dialect.driver)
        compiled = self._compiled.get(key)
        if compiled is None:
            if dialect.name not in ("sqlite", "postgresql"):  # pragma: no cover - the two supported
                raise NotImplementedError(f"the study loop's statements do not support {dialect.name}")
            done = cast(SQLCompiler, self.statement.compile(dialect=dialect))
            positional = done.positional and done.positiontup is not None
            names = tuple(done.positiontup or ()) if positional else tuple(done.params)
            fixed = {name: value for name, value in done.params.items() if value is not None}
            compiled = self._compiled[key] = _Compiled(done.string, names, positional, fixed)
        return compiled

    def execute(self, conn: Connection, values: Mapping[str, Any]) -> Any:
        """Run with ``values`` (the statement's bind names) in ``conn``'s transaction; returns
        the driver's cursor (or, while something listens to cursor events, SQLAlchemy's result:
        both have ``fetchone`` and ``fetchall``)."""
        dispatch = conn.dispatch
        if dispatch.before_cursor_execute or dispatch.after_cursor_execute:
            # Tracing, or a test making the database fail: they hook SQLAlchemy's execution.
            result = conn.execute(cast(Executable, self.statement), dict(values))
            if self.columns is None and result.returns_rows:
                self.columns = {name: i for i, name in enumerate(result.keys())}
            return result
        compiled = self._for(conn.dialect)
        sqlite = conn.dialect.name == "sqlite"
        merged = {**compiled.fixed, **values}
        params: Sequence[Any] | dict[str, Any]
        if compiled.positional:
            params = [_bind(merged[name], sqlite) for name in compiled.names]
        else:
            params = {name: _bind(merged[name], sqlite) for name in compiled.names}
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, params)
        except conn.dialect.loaded_dbapi.Error as exc:
            raise _wrapped(conn, exc, compiled.sql, params, cursor) from exc
        if self.columns is None and cursor.description:
            self.columns = {column[0]: i for i, column in enumerate(cursor.description)}
        return cursor


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]  # the bind names, in the order of the placeholders when positional
    positional: bool
    fixed: dict[str, Any]  # values the statement binds itself (a LIMIT, a queue's name)


def _wrapped(conn: Connection, exc: Any, sql: str, params: Any, cursor: Any) -> StatementError:
    """The driver's error as SQLAlchemy raises it for any other statement (OperationalError,
    IntegrityError, ...), so the error boundary words it the same way; a lost connection is
    invalidated, as SQLAlchemy does, rather than going back to the pool."""
    dialect = conn.dialect
    lost = bool(dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor))
    if lost:
        conn.invalidate(exc)
    return DBAPIError.instance(
        sql, params, exc, dialect.loaded_dbapi.Error, connection_invalidated=lost, dialect=dialect
    )


def _bind(value: Any, sqlite: bool) -> Any:
    if isinstance(value, datetime):
        if value.utcoffset() is None:
            raise ValueError(
                "a timestamp without a time zone cannot be stored; use trainer.store.types.utcnow()"
            )
        return value.astimezone(UTC).strftime(_SQLITE_TIME) if sqlite else value.astimezone(UTC)
    if isinstance(value, Enum):
        return value.value
    return value


def read_time(value: Any) -> datetime | None:
    """A timestamp as the driver returns it, timezone-aware in UTC (UTCDateTime's reading)."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


class CardRow:
    """A card's row read by the hot path: what an answer needs of it, typed as SQLAlchemy would
    return it (the columns in the order of ``select(CARDS)``)."""

    __slots__ = ("id", "card_id", "queue", "due", "retired", "memory")

    def __init__(self, values: Sequence[Any], index: Mapping[str, int]):
        self.id = values[index["id"]]
        self.card_id = values[index["card_id"]]
        self.queue = StudyQueue(values[index["queue"]])
        self.due = read_time(values[index["due"]])
        self.retired = bool(values[index["retired"]])
        self.memory = Memory(
            card_id=self.card_id,
            state=MemoryState(values[index["state"]]),
            step=values[index["step"]],
            stability=values[index["stability"]],
            difficulty=values[index["difficulty"]],
            due=self.due,
            last_review=read_time(values[index["last_review"]]),
            reps=values[index["reps"]],
            lapses=values[index["lapses"]],
            leech=bool(values[index["leech"]]),
            suspended=bool(values[index["suspended"]]),
        )


def read_card(statement: HotStatement, conn: Connection, values: Mapping[str, Any]) -> CardRow | None:
    """The one card row ``statement`` (a ``select(CARDS)``) finds, or None."""
    found = statement.execute(conn, values).fetchone()
    if found is None:
        return None
    assert statement.columns is not None  # set by the execution that found the row
    return CardRow(found, statement.columns)
