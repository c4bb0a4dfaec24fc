"""Readiness and weak spots, read from the history of finished attempts.

Only the columns stored at submission are used (``HistoryEntry``), so these work on any number
of past attempts without loading their question snapshots.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.exams.records import HistoryEntry
from trainer.exams.rules import PASS_SCALED, ExamMode
from trainer.exams.scoring import Breakdown, scaled_score


@dataclass(frozen=True)
class Readiness:
    """Estimated scaled score from the last few mocks, with a 95 % interval."""

    scaled: int
    low: int
    high: int
    attempts: int
    questions: int
    basis: str  # "full mocks" or "timed exams"

    @property
    def verdict(self) -> str:
        if self.low >= PASS_SCALED:
            return "likely to pass"
        if self.high < PASS_SCALED:
            return "not ready yet"
        return "borderline"


def wilson_interval(correct: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval for a binomial proportion (sound for small samples and 0 %/100 %)."""
    if total <= 0:
        return 0.0, 1.0
    p = correct / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def readiness(history: Sequence[HistoryEntry], last: int = 3) -> Readiness | None:
    """Readiness from the last ``last`` full mocks (or, with none, the last timed exams).

    The questions of those attempts are pooled: the estimate is the scaled score of the pooled
    share correct, and the interval maps the 95 % Wilson interval of that share through the same
    (estimated) scaling. Fewer questions give a wider interval.
    """
    finished = sorted((h for h in history if h.status.finished and h.total), key=lambda h: h.submitted_at)
    full = [h for h in finished if h.spec.mode is ExamMode.TIMED and h.spec.kind == "full"]
    basis = "full mocks"
    if not full:
        full = [h for h in finished if h.spec.mode is ExamMode.TIMED]
        basis = "timed exams"
    recent = full[-last:]
    if not recent:
        return None
    correct = sum(h.correct for h in recent)
    total = sum(h.total for h in recent)
    low, high = wilson_interval(correct, total)
    return Readiness(
        scaled_score(correct / total), scaled_score(low), scaled_score(high), len(recent), total, basis
    )


def weakest_topics(history: Sequence[HistoryEntry], limit: int = 5, min_answered: int = 2) -> list[Breakdown]:
    """Topics with the lowest share correct over all finished attempts (answered questions only)."""
    totals: dict[str, tuple[str, int, int]] = {}
    for h in history:
        for topic, t in (h.summary.get("topics") or {}).items():
            title, correct, answered = totals.get(topic, (t.get("title", topic), 0, 0))
            totals[topic] = (title, correct + t.get("correct", 0), answered + t.get("answered", 0))
    rows = [Breakdown(k, title, c, n) for k, (title, c, n) in totals.items() if n >= min_answered]
    return sorted(rows, key=lambda b: (b.pct, -b.total, b.title))[:limit]


def missed_question_ids(history: Sequence[HistoryEntry]) -> list[str]:
    """Questions answered wrong the last time they were answered in a finished attempt."""
    state: dict[str, bool] = {}
    for h in sorted(history, key=lambda h: h.submitted_at):
        for qid in h.summary.get("right", ()):
            state[qid] = True
        for qid in h.summary.get("wrong", ()):
            state[qid] = False
    return sorted(qid for qid, right in state.items() if not right)
