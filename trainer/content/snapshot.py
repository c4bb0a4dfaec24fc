"""Question snapshots: a scenario question frozen as it was when an exam or a room began.

Exams and workshop rooms store the questions they asked in a JSON column, so that a result or a
facilitator's report can still be read after the YAML changes or a question is removed.
A snapshot duck-types with :class:`trainer.content.model.Question` for the page helpers that render
options, references, corrections and explainer links.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from trainer.content.model import Correction, ExplainerLink, Option, Question, Reference

LETTERS = "ABCDEFGHIJ"


@dataclass(frozen=True)
class QuestionSnapshot:
    id: str
    stem: str
    type: str
    options: tuple[Option, ...]  # in the order shown
    answer: tuple[int, ...]  # indexes into ``options`` as shown
    domain: str = ""
    domain_title: str = ""
    difficulty: int = 2
    topic: str = ""
    topic_title: str = ""
    # order[i] is the index in the original question of shown option i (options may be shuffled).
    order: tuple[int, ...] = ()
    cards: tuple[str, ...] = ()
    concepts: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    correction: Correction | None = None
    explainer: ExplainerLink | None = None

    @property
    def choose(self) -> int:
        return len(self.answer)

    @property
    def multiple(self) -> bool:
        return self.type == "multiple"

    @property
    def key_letters(self) -> str:
        return ", ".join(LETTERS[i] for i in self.answer)

    @classmethod
    def from_question(
        cls, q: Question, topic_title: str = "", order: Sequence[int] | None = None
    ) -> QuestionSnapshot:
        """Freeze a bank question, optionally with its options shown in ``order``."""
        order = tuple(order) if order is not None else tuple(range(len(q.options)))
        shown = {original: i for i, original in enumerate(order)}
        return cls(
            id=q.id,
            stem=q.stem,
            type=q.type,
            options=tuple(q.options[i] for i in order),
            answer=tuple(sorted(shown[i] for i in q.answer)),
            domain=q.domain.value,
            domain_title=q.domain.label,
            difficulty=q.difficulty,
            topic=q.topic,
            topic_title=topic_title or q.topic,
            order=order,
            cards=tuple(q.cards),
            concepts=tuple(q.concepts),
            references=tuple(q.references),
            correction=q.correction,
            explainer=q.explainer,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "stem": self.stem,
            "type": self.type,
            "options": [{"text": o.text, "explanation": o.explanation} for o in self.options],
            "answer": list(self.answer),
            "order": list(self.order),
            "domain": self.domain,
            "domain_title": self.domain_title,
            "difficulty": self.difficulty,
            "topic": self.topic,
            "topic_title": self.topic_title,
            "cards": list(self.cards),
            "concepts": list(self.concepts),
            "references": [{"title": r.title, "url": r.url} for r in self.references],
            "correction": asdict(self.correction) if self.correction else None,
            "explainer": asdict(self.explainer) if self.explainer else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> QuestionSnapshot:
        """Read a stored snapshot; tolerant of fields that older snapshots lack."""
        return cls(
            id=d["id"],
            stem=d["stem"],
            type=d["type"],
            options=tuple(Option(text=o["text"], explanation=o.get("explanation", "")) for o in d["options"]),
            answer=tuple(d["answer"]),
            order=tuple(d.get("order") or range(len(d["options"]))),
            domain=d.get("domain", ""),
            domain_title=d.get("domain_title") or d.get("domain", ""),
            difficulty=d.get("difficulty", 2),
            topic=d.get("topic", ""),
            topic_title=d.get("topic_title") or d.get("topic", ""),
            cards=tuple(d.get("cards", ())),
            concepts=tuple(d.get("concepts", ())),
            references=tuple(Reference(**r) for r in d.get("references", ())),
            correction=Correction(**d["correction"]) if d.get("correction") else None,
            explainer=ExplainerLink(**d["explainer"]) if d.get("explainer") else None,
        )


def snapshots_to_data(questions: Sequence[QuestionSnapshot]) -> list[dict[str, Any]]:
    """Plain data (lists, dicts, strings, numbers) for a JSON column."""
    return [q.to_dict() for q in questions]


def snapshots_from_data(data: Sequence[dict[str, Any]]) -> tuple[QuestionSnapshot, ...]:
    """The snapshots read back from a JSON column."""
    return tuple(QuestionSnapshot.from_dict(d) for d in data)
