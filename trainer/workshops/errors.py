"""What cannot be done in a workshop room, and why.

Every message is meant for the person on the other side of the screen (a participant on a phone,
the host at a projector), so it says in plain words what happened and what to do. The pages
catch :class:`WorkshopError` and show its message; the subclasses let tests (and a page that
wants to) tell the cases apart.
"""

from __future__ import annotations


class WorkshopError(ValueError):
    """Something that cannot be done; the message says why, in plain words."""


class RoomNotFound(WorkshopError):
    """No open room has that id or join code. A finished room's code gets the same answer as a
    code never used, so the message tells a guesser nothing."""


class TooManyAttempts(WorkshopError):
    """Too many wrong join codes from this browser session or address: wait, then try again."""

    def __init__(self, message: str, wait_seconds: int):
        super().__init__(message)
        self.wait_seconds = wait_seconds


class HostOnly(WorkshopError):
    """The action needs the host secret, and what was given is missing, wrong or tampered with."""


class NotTheHost(HostOnly):
    """With sign-in on, the host secret is not enough: the signed-in person is not the room's
    host (nor a maintainer), so a secret or host link passed on or replayed opens nothing."""


class GuestsNotAllowed(WorkshopError):
    """The host let only signed-in people into this room, and the visitor is not signed in."""


class InvalidName(WorkshopError):
    """A display name or team name that is empty or too long."""


class NameTaken(InvalidName):
    """Someone in the room already has this display name (ignoring case and spacing)."""


class RoomFull(WorkshopError):
    """The room has reached its participant limit."""


class NotAParticipant(WorkshopError):
    """The participant id or seat token is not (or no longer) in this room."""


class SeatLimit(WorkshopError):
    """This browser session already holds as many seats in the room as the host allows."""


class WrongPhase(WorkshopError):
    """A host action that does not fit where the room is (e.g. 'next' before 'reveal')."""


class Conflict(WorkshopError):
    """Someone else changed the room at the same moment (e.g. two host tabs)."""


class AnswerRejected(WorkshopError):
    """An answer that was not stored."""


class AlreadyAnswered(AnswerRejected):
    """The participant's answer to this question is already in: one answer per question."""


class QuestionClosed(AnswerRejected):
    """The question is not taking answers (lobby, paused, revealed, moved on or finished)."""


class TooLate(QuestionClosed):
    """The answer arrived after the timer (and its grace for the network) ran out."""


class InvalidAnswer(AnswerRejected):
    """The choice does not fit the question (no option, an unknown option, the wrong count)."""
