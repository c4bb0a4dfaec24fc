"""The closed sets of values the database holds: card states and queues, review kinds, exam
modes, kinds and statuses, room phases and scoring.

They live in the store because the tables declare them (an enum column with a CHECK constraint
refuses any other value), and the store sits below study, exams and workshops, which all use
these same enums. Each is a StrEnum whose values are the strings stored in the database, so a
member compares equal to its stored text. Display text is the ``label`` property.
"""

from __future__ import annotations

from enum import StrEnum

# -- study -------------------------------------------------------------------------------------


class MemoryState(StrEnum):
    """FSRS's card state with a New state in front (a card never answered)."""

    NEW = "new"
    LEARNING = "learning"
    REVIEW = "review"
    RELEARNING = "relearning"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class StudyQueue(StrEnum):
    """Where a card sits for the study queue; derived from its state and flags, kept as a column
    so that the next card is one indexed query."""

    NEW = "new"
    LEARN = "learn"  # intraday (re)learning steps
    REVIEW = "review"
    SUSPENDED = "suspended"
    RETIRED = "retired"  # no longer in the YAML; its history is kept

    @property
    def label(self) -> str:
        return {"learn": "Learning"}.get(self.value, self.value.capitalize())


class ReviewKind(StrEnum):
    """What a review-log row records."""

    REVIEW = "review"  # an answer that changes the schedule
    CRAM = "cram"  # practice ahead: logged, the schedule is left alone
    QUESTION = "question"  # a review recorded through a scenario question

    @property
    def label(self) -> str:
        return {"review": "Review", "cram": "Practice ahead", "question": "Scenario question"}[self.value]


# -- exams -------------------------------------------------------------------------------------


class ExamMode(StrEnum):
    TIMED = "timed"
    REVIEW = "review"
    DRILL = "drill"

    @property
    def label(self) -> str:
        return {"timed": "Timed exam", "review": "Review mode", "drill": "Drill"}[self.value]

    @property
    def immediate_feedback(self) -> bool:
        """Review and drill show the key after each answer; a timed exam only at the end."""
        return self is not ExamMode.TIMED


class ExamKind(StrEnum):
    """What an attempt draws from: a full or short mock, or a drill of one area."""

    FULL = "full"
    SHORT = "short"
    REVIEW = "review"
    DOMAIN = "domain"
    TOPIC = "topic"
    CONCEPT = "concept"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return {
            "full": "Full mock",
            "short": "Short mock",
            "review": "Review",
            "domain": "Domain drill",
            "topic": "Topic drill",
            "concept": "Concept drill",
            "missed": "Missed questions",
        }[self.value]


class AttemptStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    TIMED_OUT = "timed_out"  # submitted automatically at the deadline
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def finished(self) -> bool:
        """Scored and in the history (an abandoned attempt has no result)."""
        return self in (AttemptStatus.SUBMITTED, AttemptStatus.TIMED_OUT)


# -- workshops ---------------------------------------------------------------------------------


class RoomPhase(StrEnum):
    """Where a room is. The host moves it on; answers are taken only in QUESTION_OPEN."""

    LOBBY = "lobby"
    QUESTION_OPEN = "question_open"
    PAUSED = "paused"
    REVEALED = "revealed"
    FINISHED = "finished"

    @property
    def label(self) -> str:
        return {
            "lobby": "Lobby",
            "question_open": "Question open",
            "paused": "Paused",
            "revealed": "Answer shown",
            "finished": "Finished",
        }[self.value]


class Scoring(StrEnum):
    """How a room scores a correct answer (the points are ``trainer.workshops.scoring``)."""

    SPEED = "speed"
    ACCURACY = "accuracy"

    @property
    def label(self) -> str:
        return {
            "speed": "Speed-weighted (500–1000 per correct answer)",
            "accuracy": "Accuracy only (1000 per correct answer)",
        }[self.value]
