"""Searching the bank (used by the Library page and the command line)."""

from __future__ import annotations

from trainer.content.model import Bank, Card, Question


def search_cards(
    bank: Bank, query: str = "", topic: str | None = None, tags: list[str] | None = None
) -> list[Card]:
    """Cards matching every word of the query (front, back, explanation, tags), topic and tags."""
    words = [w.lower() for w in (query or "").split()]
    wanted_tags = set(tags or ())
    found = []
    for card in bank.cards.values():
        if topic and card.topic != topic:
            continue
        if wanted_tags and not wanted_tags <= set(card.tags):
            continue
        haystack = " ".join((card.front, card.back, card.explanation, " ".join(card.tags), card.id)).lower()
        if all(word in haystack for word in words):
            found.append(card)
    return found


def search_questions(bank: Bank, query: str = "", topic: str | None = None) -> list[Question]:
    """Questions matching every word of the query (stem, options, explanations) and the topic."""
    words = [w.lower() for w in (query or "").split()]
    found = []
    for q in bank.questions.values():
        if topic and q.topic != topic:
            continue
        haystack = " ".join([q.stem, q.id, *(o.text + " " + o.explanation for o in q.options)]).lower()
        if all(word in haystack for word in words):
            found.append(q)
    return found
