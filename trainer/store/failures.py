"""What a failed request means to the person who made it, in plain words, and a request id.

The web pages and the command line each run inside one error boundary (``trainer.ui.boundary``
and ``trainer.cli.main``). When something escapes a page or a command, the boundary asks
:func:`explain` what kind of failure it is and shows :meth:`Failure.message`: what happened,
whether anything was saved, and what to do, quoting a short request id. The details (exception,
SQL, parameters, file paths) go only to the server's log under that id (:func:`log_failure`),
so a person can quote the id and the operator can find the traceback.

"Was anything saved?" has one honest answer for the whole trainer: every change is one
database transaction (a rating, an exam answer, a workshop answer), so a step that failed saved
nothing, and everything saved before it is safe.

This module lives in the store because most failures a person can meet come from the database;
it imports no front end, only SQLAlchemy's exception classes.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import exc as sa

from trainer.store.errors import StorageError

LOG = logging.getLogger("trainer.failures")

NOTHING_SAVED = "Nothing from this step was saved; everything saved before it is safe."


class FailureKind(StrEnum):
    UNAVAILABLE = "unavailable"
    READ_ONLY = "read-only"
    FULL = "full"
    CONFLICT = "conflict"
    OUT_OF_RANGE = "out-of-range"
    TOO_COMPLEX = "too-complex"
    INTERNAL = "internal"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def retries_by_itself(self) -> bool:
        """Whether the page should look again by itself: only an outage ends without anyone acting."""
        return self is FailureKind.UNAVAILABLE


_LABELS = {
    FailureKind.UNAVAILABLE: "The trainer cannot reach its database right now.",
    FailureKind.READ_ONLY: "The trainer's database refused to save: it is read-only.",
    FailureKind.FULL: "The trainer's database refused to save: its disk is full.",
    FailureKind.CONFLICT: "Someone else changed the same thing at the same moment.",
    FailureKind.OUT_OF_RANGE: "A value in the link or the form is out of range.",
    FailureKind.TOO_COMPLEX: "The input is too large or too deeply nested to work with.",
    FailureKind.INTERNAL: "Something went wrong on the server.",
}

_TODO = {
    FailureKind.UNAVAILABLE: "This page tries again by itself every few seconds; you can also press "
    "Try again. If it lasts, tell the person who runs the trainer",
    FailureKind.READ_ONLY: "Tell the person who runs the trainer (the database file or disk must be "
    "writable), then press Try again",
    FailureKind.FULL: "Tell the person who runs the trainer (free some disk space), then press Try again",
    FailureKind.CONFLICT: "Press Try again: the page reloads with the newest state",
    FailureKind.OUT_OF_RANGE: "Check the link or the numbers and try again",
    FailureKind.TOO_COMPLEX: "Use a smaller input, or open the page without the link's settings",
    FailureKind.INTERNAL: "Press Try again or reload the page. If it keeps happening, tell the person "
    "who runs the trainer",
}


# The same advice for someone at the command line, who runs the trainer themselves.
_TODO_COMMAND = {
    FailureKind.UNAVAILABLE: "Check that the database server is running and reachable, then run the "
    "command again",
    FailureKind.READ_ONLY: "Make the database file and its folder writable, then run the command again",
    FailureKind.FULL: "Free some disk space, then run the command again",
    FailureKind.CONFLICT: "Run the command again",
    FailureKind.OUT_OF_RANGE: "Check the numbers given and run the command again",
    FailureKind.TOO_COMPLEX: "Use a smaller input",
    FailureKind.INTERNAL: "Run the command again; if it keeps happening, report it",
}


@dataclass(frozen=True)
class Failure:
    """One failed request as a person should see it."""

    kind: FailureKind
    request_id: str

    @property
    def saved(self) -> str:
        return NOTHING_SAVED

    @property
    def todo(self) -> str:
        return _TODO[self.kind]

    def message(self) -> str:
        """What happened, whether anything was saved, what to do, and the id to quote."""
        return f"{self.kind.label} {self.saved} {self.todo}, quoting request id {self.request_id}."

    def line(self) -> str:
        """The same for the command line, in one line."""
        todo = _TODO_COMMAND[self.kind]
        return f"{self.kind.label} {self.saved} {todo}, quoting request id {self.request_id}."


def new_request_id() -> str:
    """A short id to quote: 8 hex digits, unique enough to find one line in a day's log."""
    return secrets.token_hex(4)


def classify(exc: BaseException) -> FailureKind:
    """The kind of failure an exception stands for; unknown exceptions are INTERNAL."""
    if isinstance(exc, StorageError):
        return FailureKind.UNAVAILABLE
    if isinstance(exc, sa.IntegrityError):
        return FailureKind.CONFLICT
    if isinstance(exc, (sa.DataError, OverflowError)):
        return FailureKind.OUT_OF_RANGE
    if isinstance(exc, (RecursionError, MemoryError)):
        return FailureKind.TOO_COMPLEX
    if isinstance(exc, sa.DBAPIError) or isinstance(exc, (sa.DisconnectionError, sa.TimeoutError)):
        reason = str(getattr(exc, "orig", None) or exc).lower()
        if "disk is full" in reason or "no space left" in reason or "disk full" in reason:
            return FailureKind.FULL
        if "readonly" in reason or "read-only" in reason or "read only" in reason:
            return FailureKind.READ_ONLY
        if isinstance(exc, (sa.OperationalError, sa.InterfaceError, sa.DisconnectionError, sa.TimeoutError)):
            return FailureKind.UNAVAILABLE
        if getattr(exc, "connection_invalidated", False):
            return FailureKind.UNAVAILABLE
    return FailureKind.INTERNAL


def explain(exc: BaseException) -> Failure:
    """The failure to show for an exception, with a fresh request id."""
    return Failure(classify(exc), new_request_id())


def log_failure(failure: Failure, exc: BaseException, where: str) -> None:
    """Write the details (traceback, SQL, parameters) to the server's log under the request id."""
    LOG.error(
        "request %s failed (%s) in %s: %s",
        failure.request_id,
        failure.kind.value,
        where,
        type(exc).__name__,
        exc_info=exc,
    )
