"""Scoring an attempt: the estimated scaled score, pass or fail, and the per-question result.

Each question is marked all or nothing (``trainer.content.selection.is_correct``, the rule
workshops and study use too); unanswered questions count as wrong, as on the real exam.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from trainer.content.model import Domain
from trainer.content.snapshot import QuestionSnapshot
from trainer.exams.rules import MAX_SCALED, MIN_SCALED, PASS_RAW_ANCHOR, PASS_SCALED


def scaled_score(raw: float, anchor: float = PASS_RAW_ANCHOR) -> int:
    """An ESTIMATE of the scaled score (100–1000) for a raw share correct (0–1).

    AWS does not publish how it turns raw scores into scaled scores: it equates exam forms of
    different difficulty, and 15 of the 65 questions are unscored. This estimate is a linear
    map in two pieces meeting at ``anchor``: 0 % → 100, ``anchor`` → 720 (the pass line),
    100 % → 1000. The result is rounded down, so a raw score below the anchor never shows 720.
    """
    raw = min(1.0, max(0.0, float(raw)))
    if raw <= anchor:
        value = MIN_SCALED + raw / anchor * (PASS_SCALED - MIN_SCALED)
    else:
        value = PASS_SCALED + (raw - anchor) / (1 - anchor) * (MAX_SCALED - PASS_SCALED)
    return int(math.floor(value + 1e-9))


def passed(scaled: int | None) -> bool:
    return scaled is not None and scaled >= PASS_SCALED


@dataclass(frozen=True)
class ExamQuestionResult:
    """One question of a scored attempt: the snapshot as asked, the answer, and its mark."""

    position: int
    question: QuestionSnapshot
    chosen: tuple[int, ...]
    correct: bool
    flagged: bool
    time_ms: int

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class Breakdown:
    """Share correct within one domain or topic (of one attempt, or pooled over the history)."""

    key: str
    title: str
    correct: int
    total: int

    @property
    def pct(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


# The review list's filters, in the order the results screen offers them. "incorrect" is an
# answer that was wrong; "unanswered" is kept apart (both score as wrong).
FILTERS = ("all", "incorrect", "unanswered", "correct", "flagged")


@dataclass(frozen=True)
class ExamResult:
    """The scored attempt. Unanswered questions count as wrong, as on the real exam."""

    items: tuple[ExamQuestionResult, ...]
    elapsed: timedelta

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def correct(self) -> int:
        return sum(1 for i in self.items if i.correct)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answered)

    @property
    def raw(self) -> float:
        return self.correct / self.total if self.total else 0.0

    @property
    def scaled(self) -> int:
        return scaled_score(self.raw)

    @property
    def passed(self) -> bool:
        return passed(self.scaled)

    @property
    def mean_time_per_question(self) -> timedelta:
        return self.elapsed / self.total if self.total else timedelta(0)

    @property
    def wrong_cards(self) -> list[str]:
        """Cards linked to questions answered wrong (not to unanswered ones), each once."""
        seen: dict[str, None] = {}
        for item in self.items:
            if item.answered and not item.correct:
                seen.update(dict.fromkeys(item.question.cards))
        return list(seen)

    def _breakdown(
        self, key: Callable[[QuestionSnapshot], str], title: Callable[[QuestionSnapshot], str]
    ) -> list[Breakdown]:
        groups: dict[str, list[ExamQuestionResult]] = {}
        titles: dict[str, str] = {}
        for item in self.items:
            groups.setdefault(key(item.question), []).append(item)
            titles[key(item.question)] = title(item.question)
        return [Breakdown(k, titles[k], sum(1 for i in v if i.correct), len(v)) for k, v in groups.items()]

    @property
    def by_domain(self) -> list[Breakdown]:
        """Per domain, in the exam guide's order."""
        rank = {d.value: i for i, d in enumerate(Domain)}
        rows = self._breakdown(lambda q: q.domain, lambda q: q.domain_title)
        return sorted(rows, key=lambda b: (rank.get(b.key, 99), b.key))

    @property
    def by_topic(self) -> list[Breakdown]:
        """Per topic, weakest first."""
        rows = self._breakdown(lambda q: q.topic, lambda q: q.topic_title)
        return sorted(rows, key=lambda b: (b.pct, b.title))

    def filtered(self, which: str) -> list[ExamQuestionResult]:
        if which == "incorrect":
            return [i for i in self.items if i.answered and not i.correct]
        if which == "unanswered":
            return [i for i in self.items if not i.answered]
        if which == "correct":
            return [i for i in self.items if i.correct]
        if which == "flagged":
            return [i for i in self.items if i.flagged]
        return list(self.items)

    def summary(self) -> dict[str, Any]:
        """What the history needs without the snapshot (stored at submission)."""
        topics: dict[str, dict[str, Any]] = {}
        for item in self.items:
            t = topics.setdefault(
                item.question.topic,
                {"title": item.question.topic_title, "answered": 0, "correct": 0, "total": 0},
            )
            t["total"] += 1
            t["answered"] += item.answered
            t["correct"] += item.correct
        return {
            "topics": topics,
            "domains": {b.key: [b.correct, b.total] for b in self.by_domain},
            "right": [i.question.id for i in self.items if i.correct],
            "wrong": [i.question.id for i in self.items if i.answered and not i.correct],
        }
