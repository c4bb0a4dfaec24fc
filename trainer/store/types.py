"""Column types shared by every table, and the clock.

Three kinds of column hold more than a plain value, each through one type declared here:

* ``UTCDateTime`` — every timestamp. Stored as UTC (TIMESTAMP WITH TIME ZONE on PostgreSQL,
  ISO text on SQLite) and always returned timezone-aware in UTC, whatever the backend gives
  back, so no caller repairs a datetime read from the database.
* ``json_column()`` — JSON documents (question snapshots, chosen options, team names): JSONB on
  PostgreSQL, JSON text on SQLite. Callers store and read Python lists and dicts.
* ``enum_column()`` — a closed set of values (``trainer.store.enums``): the value's text in a
  VARCHAR with a CHECK constraint (no native database enum, so adding a value is a plain
  migration on both databases); returned as the enum member.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, Enum, Interval
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

# Room for the longest value of any enum column, with space to grow without a migration.
ENUM_LENGTH = 20


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and returned timezone-aware in UTC.

    A naive datetime is refused rather than guessed at: every clock in the trainer is aware.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(
                "a timestamp without a time zone cannot be stored; use trainer.store.types.utcnow()"
            )
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:  # SQLite keeps the UTC wall time without an offset
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def coerce_compared_value(self, op: Any, value: Any) -> TypeEngine[Any]:
        # ``column - timedelta`` and friends: the other side is an interval, not a timestamp.
        if isinstance(value, timedelta):
            return Interval()
        return self


def json_column() -> TypeEngine[Any]:
    """JSON on SQLite, JSONB on PostgreSQL; Python None is SQL NULL."""
    return JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def enum_column(enum: type[StrEnum], constraint: str) -> Enum:
    """A VARCHAR holding ``enum``'s values, with a CHECK constraint named ``constraint``."""
    return Enum(
        enum,
        name=constraint,
        native_enum=False,
        create_constraint=True,
        length=ENUM_LENGTH,
        values_callable=_values,
        validate_strings=True,
    )
