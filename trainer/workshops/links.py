"""One-time host links: opening the host console without the host secret in a URL.

Reverse proxies log every request's address, query string included, so a secret in a URL ends
up in their access logs (and in browser histories and screen shares). The host's secret stays in
the host's browser session (server-side ``st.session_state``); a URL carries at most a host link
token, which works once and expires after ``HOST_LINK_TTL``:

* the console keeps a fresh token in its own address bar, so a reload opens it again (and
  swaps the token for a new one);
* the host can make a link to open the console on another device; it also works once.

A link row holds the SHA-256 of its token and the room's secret *sealed* with the token: the
secret's 32 bytes XOR a key derived from the token. The database alone cannot unseal it (it keeps
only the token's hash) and the token alone is no secret once used (the row is gone). Opening a
link deletes its row in the same transaction that reads it, so of two requests with one token
exactly one gets in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor
from trainer.store.statements import locked, writing
from trainer.store.tables import HostLink, table_of
from trainer.workshops import naming
from trainer.workshops.access import (
    ROOMS,
    check_host,
    check_host_actor,
    clock,
    room_info,
    room_row,
    token_hash,
)
from trainer.workshops.errors import HostOnly
from trainer.workshops.model import RoomInfo

LINKS = table_of(HostLink)
# Long enough to create a room the day before a workshop and open it on the day.
HOST_LINK_TTL = timedelta(hours=48)
SPENT = (
    "This host link was already used or has expired: a host link opens the console once. "
    "Open the console from the browser that has it and make a new link there."
)


def _key(token: str) -> bytes:
    return hashlib.sha256(b"trainer host link\0" + token.encode()).digest()


def _secret_bytes(secret: str) -> bytes:
    """A host secret (``secrets.token_urlsafe(32)``) as its 32 bytes."""
    return base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))


def seal(secret: str, token: str) -> str:
    raw = _secret_bytes(secret)
    return bytes(a ^ b for a, b in zip(raw, _key(token), strict=True)).hex()


def unseal(sealed: str, token: str) -> str:
    raw = bytes(a ^ b for a, b in zip(bytes.fromhex(sealed), _key(token), strict=True))
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def issue_host_link(
    engine: Engine, room_id: int, secret: str, now: datetime | None = None, *, actor: Actor | None = None
) -> str:
    """A new one-time token for the room's console; only the host's secret (in the host's hands,
    with sign-in on) can make one. Expired links of every room are deleted meanwhile."""
    token = secrets.token_urlsafe(24)
    with writing(engine) as conn:
        when = clock(conn, now)
        room_row(conn, room_id, secret, host=True, actor=actor)
        conn.execute(delete(LINKS).where(LINKS.c.created_at < when - HOST_LINK_TTL))
        conn.execute(
            LINKS.insert().values(
                room_id=room_id,
                token_hash=token_hash(token),
                sealed_secret=seal(secret, token),
                created_at=when,
            )
        )
    return token


def open_host_link(
    engine: Engine, code: str, token: str | None, now: datetime | None = None, *, actor: Actor | None = None
) -> tuple[RoomInfo, str]:
    """The room and its host secret for a one-time link; the link is spent. A wrong, used or
    expired token, or another room's, raises :class:`~trainer.workshops.errors.HostOnly`. With
    sign-in on, a link opened by someone who is not the room's host (nor a maintainer) raises
    :class:`~trainer.workshops.errors.NotTheHost` and stays as it was, for its host."""
    if not token or not isinstance(token, str):
        raise HostOnly(SPENT)
    with writing(engine) as conn:
        when = clock(conn, now)
        link = conn.execute(locked(select(LINKS).where(LINKS.c.token_hash == token_hash(token)))).first()
        if link is None:
            raise HostOnly(SPENT)
        conn.execute(delete(LINKS).where(LINKS.c.id == link.id))
        room = conn.execute(select(ROOMS).where(ROOMS.c.id == link.room_id)).one()
        fresh = when <= link.created_at + HOST_LINK_TTL
        same_room = hmac.compare_digest(room.code, naming.normalise_code(code))
        secret = unseal(link.sealed_secret, token)
        if not (fresh and same_room):
            spent = True
        else:
            check_host(room, secret)
            check_host_actor(conn, room, actor)  # refused: the transaction, and the link, roll back
            spent = False
    if spent:  # the expired or misdirected link is deleted all the same
        raise HostOnly(SPENT)
    return room_info(room), secret
