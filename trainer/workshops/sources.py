"""Choosing a room's questions: from a topic, a concept, an exam domain or a hand-picked list.

Which questions qualify is the shared question pool (:func:`trainer.content.selection.question_pool`,
the same filter exams and study use). On top of it, one workshop rule: a hand-picked list is
asked in the order the host picked it, all of it, while the other sources are sampled at random.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from trainer.content.model import Bank, Domain, Question
from trainer.content.selection import QuestionFilter, question_pool
from trainer.workshops.errors import WorkshopError
from trainer.workshops.model import MAX_QUESTIONS

SOURCE_KINDS = ("topic", "concept", "domain", "questions")


@dataclass(frozen=True)
class Source:
    """Where a room's questions come from: a topic, a concept, an exam domain or a list of ids.

    Stored with the room (as JSON, with its label) so the report can say what was asked."""

    kind: str
    value: str = ""
    question_ids: tuple[str, ...] = ()

    def label(self, bank: Bank | None = None) -> str:
        if self.kind == "questions":
            return f"{len(self.question_ids)} hand-picked questions"
        if self.kind == "topic":
            return f"Topic · {bank.topic_title(self.value) if bank else self.value}"
        if self.kind == "concept":
            name = bank.concepts[self.value].name if bank and self.value in bank.concepts else self.value
            return f"Concept · {name}"
        try:
            return f"Exam domain · {Domain(self.value).label}"
        except ValueError:
            return f"Exam domain · {self.value}"

    def question_filter(self) -> QuestionFilter:
        """The shared pool filter for this source."""
        if self.kind == "questions":
            return QuestionFilter(question_ids=self.question_ids)
        if self.kind == "topic":
            return QuestionFilter(topic=self.value)
        if self.kind == "concept":
            return QuestionFilter(concept=self.value)
        if self.kind == "domain":
            return QuestionFilter(domain=self.value)
        raise WorkshopError(f"Unknown question source {self.kind!r}; use one of {', '.join(SOURCE_KINDS)}.")


def source_questions(bank: Bank, source: Source) -> list[Question]:
    """The questions a room from this source may use: sorted by id, hand-picked ones in the
    order picked (without repeats). An unknown hand-picked id is an error, not skipped."""
    wanted = source.question_filter()
    if not (source.question_ids if source.kind == "questions" else source.value):
        return []  # an empty filter would match every question in the bank
    pool = question_pool(bank, wanted)
    if source.kind != "questions":
        return pool
    by_id = {q.id: q for q in pool}
    missing = [q for q in source.question_ids if q not in by_id]
    if missing:
        raise WorkshopError(f"Unknown question id(s): {', '.join(missing)}.")
    return [by_id[q] for q in dict.fromkeys(source.question_ids)]


def select_questions(bank: Bank, source: Source, count: int, seed: int | None = None) -> list[Question]:
    """Up to ``count`` questions from the source: a seeded random sample, in random order;
    hand-picked questions are all kept, in the order they were picked."""
    pool = source_questions(bank, source)
    if not pool:
        raise WorkshopError(f"No questions in {source.label(bank)}: choose another source.")
    if source.kind == "questions":
        return pool[:MAX_QUESTIONS]
    count = max(1, min(count, len(pool), MAX_QUESTIONS))
    return random.Random(seed).sample(pool, count)
