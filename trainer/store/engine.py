"""The database engine: which database, how to connect, one engine per process.

SQLite at ``data/trainer.db`` by default, any SQLAlchemy URL through ``TRAINER_DATABASE_URL``.
One engine per process (``get_engine`` caches it). SQLite runs in WAL mode with a busy timeout
so that many browser sessions can write at once without "database is locked" errors.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

import trainer.store.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from trainer.resources import default_database_url

SQLITE_BUSY_TIMEOUT_MS = 15_000


def database_url() -> str:
    return os.environ.get("TRAINER_DATABASE_URL", "").strip() or default_database_url()


class StorageError(RuntimeError):
    """The database cannot be used; the message says what is wrong and how to fix it."""


def _hide_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def make_engine(url: str | None = None) -> Engine:
    """Create an engine and its tables. Prefer ``get_engine`` for the process-wide one.

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
                raise StorageError(f"cannot create the folder for the database {path!r}: {exc.strerror}") from None
    else:
        kwargs["pool_pre_ping"] = True
    shown = _hide_password(url)
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StorageError(
            f"TRAINER_DATABASE_URL {shown!r} is not a database URL this trainer can use ({exc}); "
            "use e.g. sqlite:///data/trainer.db or postgresql+psycopg://user:password@host/db"
        ) from None
    if url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                # Several servers starting at once on an empty database would race to create
                # the same tables; a transaction-scoped advisory lock lets one go first.
                conn.execute(sql_text("SELECT pg_advisory_xact_lock(7242)"))
            SQLModel.metadata.create_all(conn)
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError(
            f"cannot open the database {shown}: {reason}. Check that the server is running and "
            "the URL, user and password are right."
        ) from None
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


_ENGINES: dict[str, Engine] = {}


def get_engine(url: str | None = None) -> Engine:
    """The one engine per process for a URL."""
    url = url or database_url()
    if url not in _ENGINES:
        _ENGINES[url] = make_engine(url)
    return _ENGINES[url]


def session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


