"""Choosing questions from the bank and marking an answer: one rule for exams, workshops and study.

Both are written once because a learner meets the same question in a mock exam, a workshop room
and the daily queue, and must be marked the same way in each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.content.model import Bank, Question


@dataclass(frozen=True)
class QuestionFilter:
    """Which questions qualify. Every field that is set must match (they combine with AND)."""

    question_ids: Sequence[str] = ()  # empty: any question
    domain: str | None = None  # a Domain value, e.g. "development"
    topic: str | None = None
    concept: str | None = None


def question_pool(bank: Bank, wanted: QuestionFilter) -> list[Question]:
    """The questions that match, sorted by id so that a seeded draw is reproducible."""
    pool = sorted(bank.questions.values(), key=lambda q: q.id)
    if wanted.question_ids:
        ids = set(wanted.question_ids)
        pool = [q for q in pool if q.id in ids]
    if wanted.domain:
        pool = [q for q in pool if q.domain.value == wanted.domain]
    if wanted.topic:
        pool = [q for q in pool if q.topic == wanted.topic]
    if wanted.concept:
        pool = [q for q in pool if wanted.concept in q.concepts]
    return pool


def is_correct(chosen: Iterable[int], key: Iterable[int]) -> bool:
    """All or nothing, as on the real AWS exams: exactly the correct options, no more, no fewer.

    An empty answer is wrong even against an (invalid) empty key, so a skipped question never
    scores.
    """
    picked = set(chosen)
    return bool(picked) and picked == set(key)
