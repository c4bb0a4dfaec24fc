"""Coverage of the study notes: which cards and questions cover each outline entry."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.content.model import Bank

MIN_CARDS = 2
MIN_QUESTIONS = 1


@dataclass(frozen=True)
class EntryCoverage:
    entry_id: str
    section: str
    text: str
    cards: tuple[str, ...]
    questions: tuple[str, ...]

    @property
    def covered(self) -> bool:
        return len(self.cards) >= MIN_CARDS and len(self.questions) >= MIN_QUESTIONS


def outline_coverage(bank: Bank) -> list[EntryCoverage]:
    cards: dict[str, list[str]] = {e: [] for e in bank.outline}
    questions: dict[str, list[str]] = {e: [] for e in bank.outline}
    for card in bank.cards.values():
        for entry in card.outline:
            cards.setdefault(entry, []).append(card.id)
    for question in bank.questions.values():
        for entry in question.outline:
            questions.setdefault(entry, []).append(question.id)
    return [
        EntryCoverage(entry.id, entry.section, entry.text, tuple(cards[entry.id]), tuple(questions[entry.id]))
        for entry in bank.outline.values()
    ]


def topic_totals(bank: Bank) -> dict[str, dict[str, int]]:
    totals = {t: {"cards": 0, "questions": 0, "multiple": 0} for t in bank.topics}
    for card in bank.cards.values():
        totals.setdefault(card.topic, {"cards": 0, "questions": 0, "multiple": 0})["cards"] += 1
    for q in bank.questions.values():
        row = totals.setdefault(q.topic, {"cards": 0, "questions": 0, "multiple": 0})
        row["questions"] += 1
        row["multiple"] += q.type == "multiple"
    return totals
