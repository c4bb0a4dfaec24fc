"""The database engine: which database, how to connect, one engine per process.

SQLite by default (see ``trainer.resources.default_database_url``), any SQLAlchemy URL through
``TRAINER_DATABASE_URL``. One engine per process (``get_engine`` caches it). SQLite runs in WAL
mode with a busy timeout so that many browser sessions can write at once without "database is
locked" errors.

Creating an engine is the one place the schema is brought up to date: ``make_engine`` upgrades
the database to the newest migration once per process and URL (see ``trainer.store.migrate``),
so the app and every command that touches the database start on the current schema.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from trainer.resources import default_database_url
from trainer.store import migrate as migrations
from trainer.store.errors import DatabaseUrlError, StorageError

SQLITE_BUSY_TIMEOUT_MS = 15_000


def database_url() -> str:
    return os.environ.get("TRAINER_DATABASE_URL", "").strip() or default_database_url()


__all__ = [
    "DatabaseUrlError",
    "StorageError",
    "database_url",
    "get_engine",
    "make_engine",
    "schema_status",
    "session",
    "upgrade_schema",
]


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """Create an engine and bring its database to the newest schema.

    Prefer ``get_engine`` for the process-wide one. The upgrade runs once per process and URL;
    ``migrate=False`` leaves the schema alone (``trainer db`` reports and upgrades by itself).
    Raises StorageError, never a driver traceback, for an unusable URL or database.
    """
    url = url or database_url()
    kwargs: dict = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        if url in ("sqlite://", "sqlite:///:memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database
        else:
            path = url.split("///", 1)[-1]
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the folder for the database {path!r}: {exc.strerror}"
                ) from None
    else:
        kwargs["pool_pre_ping"] = True
    shown = _hide_password(url)
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseUrlError(
            f"TRAINER_DATABASE_URL {shown!r} is not a database URL this trainer can use ({exc}); "
            "use e.g. sqlite:///data/trainer.db or postgresql+psycopg://user:password@host/db"
        ) from None
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    if not migrate:
        return engine
    try:
        with _plain_errors(engine):
            migrations.ensure_upgraded(engine)
    except StorageError:
        engine.dispose()
        raise
    return engine


def upgrade_schema(engine: Engine) -> migrations.Revisions:
    """Bring the database to the newest schema now (``trainer db upgrade``)."""
    with _plain_errors(engine):
        return migrations.upgrade(engine)


def schema_status(engine: Engine) -> migrations.Revisions:
    """The database's schema revision and the newest one, changing nothing (``trainer db current``)."""
    with _plain_errors(engine):
        return migrations.status(engine)


@contextmanager
def _plain_errors(engine: Engine) -> Iterator[None]:
    """A database that cannot be reached becomes a StorageError that says so in one line."""
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        hint = (
            "Check that the database file and its folder exist and this user can write them."
            if engine.dialect.name == "sqlite"
            else "Check that the server is running and the URL, user and password are right."
        )
        shown = migrations.shown_url(engine)
        raise StorageError(f"cannot open the database {shown}: {reason}. {hint}") from None


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    _use_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the file in WAL mode; it stays so, a property of the file.

    Switching needs the file to itself for a moment, and SQLite refuses at once (without the
    busy wait) while another connection is writing, as when servers start together on a new
    database. So a refused switch waits a little and looks again: usually another connection
    has switched it meanwhile.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        mode = str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode in ("wal", "memory"):  # in-memory databases have no journal file
            return
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The one engine per process for a URL."""
    url = url or database_url()
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)
