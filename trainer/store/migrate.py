"""Schema migrations: Alembic owns the schema, and every start-up brings the database to head.

The revisions live in ``trainer/store/migrations/versions`` (0001 is the first release's schema).
Alembic is configured in code, so this works from an installed wheel with no ``alembic.ini``.

``upgrade`` is what ``make_engine`` runs once per process and URL, and what ``trainer db upgrade``
runs for operators. It is safe when several servers start together:

- A database already at head is only read (one small query, no lock), so a normal start-up
  costs nothing and works on a read-only SQLite file.
- Otherwise one process at a time upgrades, under the database's own lock: a session-level
  advisory lock on PostgreSQL, SQLite's write lock (``BEGIN IMMEDIATE``) on SQLite. The others
  wait, then find the database at head and do nothing.
- The whole upgrade is one transaction (both databases have transactional DDL): it happens
  completely or not at all.

Databases made before Alembic have no ``alembic_version`` table. Their tables say which release
made them, so they are stamped at the matching revision and upgraded from there.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import create_engine, inspect
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine

from trainer.store.errors import StorageError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Revisions a database made before Alembic is recognised as (see ``detect_revision``).
FIRST_RELEASE = "0001"  # profile, cardstate, reviewlog
QUESTIONS_IN_STUDY = "0002"  # + reviewlog.question_id
EXAMS_AND_WORKSHOPS = "0003"  # + the exam and workshop tables

# PostgreSQL advisory locks are per database; the second key is the schema, so trainers that
# share a database in different schemas do not wait for each other.
_PG_LOCK_CLASS = 7242


@dataclass(frozen=True)
class Revisions:
    """Where a database's schema stood before an upgrade and where it stands now."""

    before: str | None  # None: an empty database
    after: str | None
    head: str
    # True when the database was made before Alembic and its revision was read from its tables;
    # it is recorded (stamped) by the next upgrade.
    detected: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration in code; ``env.py`` runs on ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")  # 0005_add_something.py
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    """The newest revision this code knows."""
    revision = _scripts().get_current_head()
    assert revision is not None  # the chain is never empty
    return revision


def shown_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def current_revision(conn: Connection) -> str | None:
    """The revision recorded in the database, or None (empty, or made before Alembic)."""
    return MigrationContext.configure(conn).get_current_revision()


def detect_revision(conn: Connection) -> str | None:
    """The revision a database made before Alembic matches, from its tables; None when empty."""
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    if "profile" not in tables:
        return None
    if "examattempt" in tables:
        return EXAMS_AND_WORKSHOPS
    columns = {column["name"] for column in inspector.get_columns("reviewlog")}
    return QUESTIONS_IN_STUDY if "question_id" in columns else FIRST_RELEASE


def _check_known(revision: str | None, engine: Engine) -> None:
    if revision is None:
        return
    try:
        known = _scripts().get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise StorageError(
            f"the database {shown_url(engine)} has schema revision {revision!r}, which this version "
            "of the trainer does not know: a newer trainer upgraded it. Run that version (or newer)."
        )


def status(engine: Engine) -> Revisions:
    """The database's revision and the head, without changing anything.

    A database made before Alembic reports the revision it matches (it is stamped on upgrade).
    """
    with engine.connect() as conn:
        revision = current_revision(conn)
        detected = revision is None and (revision := detect_revision(conn)) is not None
    _check_known(revision, engine)
    return Revisions(before=revision, after=revision, head=head(), detected=detected)


def upgrade(engine: Engine) -> Revisions:
    """Bring the database to head under the migration lock; see the module docstring.

    Connection problems raise SQLAlchemy's OperationalError (``make_engine`` words them); a
    failed upgrade raises StorageError and leaves the database as it was.
    """
    target = head()
    with engine.connect() as conn:
        before = current_revision(conn)
    _check_known(before, engine)
    if before == target:
        return Revisions(before=before, after=before, head=target)
    try:
        with _migration_lock(engine) as conn:
            before = current_revision(conn)  # another server may have upgraded meanwhile
            _check_known(before, engine)
            if before is None:
                before = detect_revision(conn)
                if before is not None:
                    MigrationContext.configure(conn).stamp(_scripts(), before)
            if before != target:
                command.upgrade(alembic_config(conn), target)
            after = current_revision(conn)
    except StorageError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a revision is reported plainly
        raise StorageError(
            f"could not upgrade the database {shown_url(engine)} to schema revision {target}: "
            f"{_reason(exc)}. Nothing was changed."
        ) from None
    return Revisions(before=before, after=after, head=target)


def downgrade(engine: Engine, target: str) -> Revisions:
    """Take the schema back to ``target`` under the migration lock (for developers; operators
    restore a backup instead, see docs/database.md)."""
    try:
        with _migration_lock(engine) as conn:
            before = current_revision(conn)
            command.downgrade(alembic_config(conn), target)
            after = current_revision(conn)
    except StorageError:
        raise
    except Exception as exc:  # noqa: BLE001 - reported plainly, like a failed upgrade
        raise StorageError(
            f"could not downgrade the database {shown_url(engine)} to schema revision {target}: "
            f"{_reason(exc)}. Nothing was changed."
        ) from None
    return Revisions(before=before, after=after, head=head())


def _reason(exc: BaseException) -> str:
    """The first line of the driver's message: no SQL, no parameters."""
    origin = getattr(exc, "orig", None) or exc
    lines = str(origin).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that holds the database's migration lock; commits on exit."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            # Copying a table in batch mode drops and renames tables; with foreign keys enforced
            # that would cascade or fail. The pragma is ignored inside a transaction, so it is
            # set first, and BEGIN IMMEDIATE then takes the write lock for the whole upgrade
            # (other writers wait on the busy timeout).
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                try:
                    yield conn
                    problems = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if problems is not None:
                        raise StorageError(
                            f"the upgrade of {shown_url(engine)} would break a reference from table "
                            f"{problems[0]!r}; nothing was changed."
                        )
                    conn.commit()
                finally:
                    if conn.in_transaction():
                        conn.rollback()
            finally:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
        elif conn.dialect.name == "postgresql":
            schema = conn.execute(sql_text("SELECT current_schema()")).scalar_one() or ""
            key = {"cls": _PG_LOCK_CLASS, "obj": _int32(zlib.crc32(schema.encode()))}
            # Session-level, so it is held across the commit of the upgrade's transaction and
            # released explicitly (or by the server if this connection dies).
            conn.execute(sql_text("SELECT pg_advisory_lock(:cls, :obj)"), key)
            conn.commit()
            try:
                yield conn
                conn.commit()
            finally:
                if conn.in_transaction():
                    conn.rollback()
                conn.execute(sql_text("SELECT pg_advisory_unlock(:cls, :obj)"), key)
                conn.commit()
        else:
            yield conn
            conn.commit()


def _int32(value: int) -> int:
    return value - (1 << 32) if value >= (1 << 31) else value


# -- once per process ---------------------------------------------------------------------------

_UPGRADED: set[str] = set()
_UPGRADING = threading.Lock()


def ensure_upgraded(engine: Engine) -> None:
    """Upgrade to head once per process and URL (in-memory databases are new every time)."""
    url = engine.url.render_as_string(hide_password=False)
    if url in _UPGRADED:
        return
    with _UPGRADING:
        if url in _UPGRADED:
            return
        upgrade(engine)
        if engine.url.database not in (None, "", ":memory:"):
            _UPGRADED.add(url)


# -- for developers ------------------------------------------------------------------------------


def new_revision(message: str) -> Path:
    """Write ``versions/NNNN_<message>.py`` with the next number, its operations drafted by
    Alembic's comparison of the models with a scratch SQLite database at head.

    The draft is a start, not the migration: write the operations out for both databases,
    convert existing data, and test it (see docs/database.md).
    """
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'head.db'}")
        try:
            upgrade(engine)
            with engine.connect() as conn:
                script = command.revision(
                    alembic_config(conn), message=message, autogenerate=True, rev_id=f"{int(head()) + 1:04d}"
                )
        finally:
            engine.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


if __name__ == "__main__":  # python -m trainer.store.migrate revision "what changes"
    if len(sys.argv) != 3 or sys.argv[1] != "revision":
        sys.exit('usage: python -m trainer.store.migrate revision "what the revision changes"')
    print(new_revision(sys.argv[2]))
