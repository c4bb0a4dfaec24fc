"""Join codes, display names and team names: what people type, cleaned the same way everywhere.

A join code is read off a projector and typed on a phone, so it avoids look-alike characters
and forgives spaces, dashes and lower case. A display name is shown to everyone, so it is
printable, its spacing is collapsed, and two names that differ only in case or spacing count as
the same (:func:`name_key`, which the database's unique constraint on participants uses).
"""

from __future__ import annotations

import secrets
import unicodedata

from trainer.workshops.errors import InvalidName

# Join codes avoid look-alikes (I/1/L, O/0) so they can be read off a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Eight characters, shown as two groups of four (ABCD-EFGH) so they are easy to type on a phone.
# 31**8 = 852,891,037,441 codes, 39.6 bits (five characters were 28.6 million, 24.8 bits).
# Guessing is rate-limited (trainer.workshops.throttle): a client address gets at most
# ADDRESS_LIMIT = 30 wrong codes a minute, 43,200 a day. With 50 rooms open all day, one address
# hits one of them with probability 43,200 * 50 / 31**8 = 2.5e-6 a day; a thousand addresses
# together, 0.25 % a day. Before: 8 guesses a second from one session, no limit, and a given
# room found in about 40 hours at 100 guesses a second.
CODE_LENGTH = 8
CODE_GROUP = 4
NAME_MAX = 24
TEAM_MAX = 24


def new_join_code() -> str:
    """A random join code; the caller retries when an open room already uses it."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    """A code as shown on screen: groups of four joined by a dash (typed either way)."""
    return "-".join(code[i : i + CODE_GROUP] for i in range(0, len(code), CODE_GROUP))


def normalise_code(code: str | None) -> str:
    """What people type, as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch not in " -\t")


def clean_display_name(name: str | None, limit: int = NAME_MAX, what: str = "display name") -> str:
    """A participant's display name (or, with ``what="team name"``, a team's name): printable,
    spaces collapsed, at most ``limit`` characters. Raises :class:`InvalidName` saying why not."""
    text = unicodedata.normalize("NFC", name or "")
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")  # no control chars
    text = " ".join(text.split())
    if not text:
        raise InvalidName(f"Enter a {what}.")
    if len(text) > limit:
        raise InvalidName(f"A {what} can be at most {limit} characters (yours has {len(text)}).")
    return text


def name_key(name: str) -> str:
    """The form two names are compared in: case-folded, spacing collapsed."""
    return " ".join(name.casefold().split())
