"""The rate limit on join codes: wrong codes per browser session and per client address.

A join code is the only thing between a stranger and an open room, so guessing codes is slowed
down: a browser session may try ``SESSION_LIMIT`` wrong codes and a client address
``ADDRESS_LIMIT`` within ``WINDOW``; after that every lookup is refused with "wait N s" until the
oldest wrong code leaves the window, whether the next code is right or not. Right codes are not
counted, so a classroom behind one address (one office NAT) joins freely; the address limit is
set for a room of people mistyping now and then. The arithmetic of what this leaves a guesser is
with the code length in :mod:`trainer.workshops.naming`.

The attempts are rows of the shared database (``JoinAttempt``), so the limit holds across app
servers: a per-process counter would give a guesser one allowance per server process. ``who`` is
a SHA-256 of the session key or the address, so no address is stored. Rows older than the window
are deleted whenever a wrong code is recorded.

Checking and recording are one transaction (:func:`trainer.store.statements.writing`): on SQLite
it holds the write lock, on PostgreSQL a transaction-level advisory lock per session and address,
so concurrent wrong codes from one address cannot all pass the check before any is recorded.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.engine import Connection

from trainer.store.tables import JoinAttempt, table_of
from trainer.workshops.errors import TooManyAttempts

ATTEMPTS = table_of(JoinAttempt)
WINDOW = timedelta(minutes=1)
SESSION_LIMIT = 5
ADDRESS_LIMIT = 30


@dataclass(frozen=True)
class Visitor:
    """Who is trying a join code: a browser session's key (random, kept in the session) and the
    client's address as the server saw it (None when unknown, e.g. on localhost)."""

    session: str
    address: str | None = None

    @property
    def holder(self) -> str:
        """How a seat records the session holding it (``RoomParticipant.holder_hash``)."""
        return _hashed("holder", self.session)

    def keys(self) -> list[tuple[str, int]]:
        """(hashed key, limit) for each thing the limit counts by."""
        keys = [(_hashed("session", self.session), SESSION_LIMIT)]
        if self.address:
            keys.append((_hashed("address", self.address), ADDRESS_LIMIT))
        return keys


def _hashed(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def check(conn: Connection, visitor: Visitor, now: datetime) -> None:
    """Raise TooManyAttempts when the session or the address has used up its wrong codes.

    Call it inside a ``writing`` transaction; :func:`record_wrong_code` in the same one."""
    if conn.dialect.name == "postgresql":
        for key, _ in sorted(visitor.keys()):
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(key)})
    wait = timedelta(0)
    for key, limit in visitor.keys():
        times = list(
            conn.execute(
                select(ATTEMPTS.c.attempted_at)
                .where(ATTEMPTS.c.who == key, ATTEMPTS.c.attempted_at > now - WINDOW)
                .order_by(ATTEMPTS.c.attempted_at)
            ).scalars()
        )
        if len(times) >= limit:
            # Free again when enough of the oldest wrong codes have left the window.
            wait = max(wait, times[len(times) - limit] + WINDOW - now)
    if wait > timedelta(0):
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise TooManyAttempts(
            f"Too many attempts with a wrong code: wait {seconds} s, then check the code on the "
            "host's screen and try again.",
            wait_seconds=seconds,
        )


def record_wrong_code(conn: Connection, visitor: Visitor, now: datetime) -> None:
    """Count a wrong code against the session and the address; forget attempts past the window."""
    conn.execute(ATTEMPTS.delete().where(ATTEMPTS.c.attempted_at <= now - WINDOW))
    conn.execute(ATTEMPTS.insert(), [{"who": key, "attempted_at": now} for key, _ in visitor.keys()])


def _lock_key(hashed: str) -> int:
    """A signed 64-bit advisory lock key from a hashed key (PostgreSQL's one-key lock space,
    apart from the migration lock's two-key space)."""
    value = int(hashed[:16], 16)
    return value - (1 << 64) if value >= (1 << 63) else value
