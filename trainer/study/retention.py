"""Retention statistics as Anki shows them: true retention of young and mature cards, and calibration.

* **True retention** is the share of reviews of cards in the review state that were not rated
  Again, as in Anki's "True retention" table. A review counts as *young* when the interval the
  card had been given before it was under ``MATURE_DAYS`` (21) days, as *mature* otherwise:
  Anki's split, because a week-old memory and a three-month-old one fail for different reasons
  and the learner wants to see both against their desired retention. Learning steps, relearning
  steps and practice-ahead answers do not count: they are not tests of long-term memory.
* **Calibration** compares FSRS's predicted recall at each review with what happened. The log
  keeps each answer's stability and time, so the prediction is recomputed with the scheduler
  from the card's previous answer (its stability then, and the days since): the same number the
  scheduler used when it chose that interval (with the parameters in use now). Reviews are
  binned by prediction; a well calibrated model has the share recalled in each bin close to the
  bin's mean prediction.

Everything here works on plain rows (:class:`LoggedAnswer`) so the rules can be tested with
hand-made logs; :func:`profile_answers` reads them from the store.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.engine import Engine

from trainer.store.enums import MemoryState, ReviewKind
from trainer.store.tables import ReviewLog, table_of
from trainer.study.scheduling import Memory, Scheduler, Settings, study_date

MATURE_DAYS = 21  # Anki: a card whose interval is 21 days or more is mature
CALIBRATION_BINS = 10
_LOG = table_of(ReviewLog)


class Period(StrEnum):
    """How true retention is grouped over time."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def label(self) -> str:
        return {"day": "By day", "week": "By week", "month": "By month"}[self.value]

    @property
    def default_count(self) -> int:
        """How many periods a chart shows: a month of days, half a year of weeks, a year of months."""
        return {"day": 30, "week": 26, "month": 12}[self.value]

    def start_of(self, day: date) -> date:
        if self is Period.WEEK:
            return day - timedelta(days=day.weekday())  # weeks start on Monday
        if self is Period.MONTH:
            return day.replace(day=1)
        return day

    def previous(self, start: date) -> date:
        if self is Period.WEEK:
            return start - timedelta(days=7)
        if self is Period.MONTH:
            return (start - timedelta(days=1)).replace(day=1)
        return start - timedelta(days=1)


@dataclass(frozen=True)
class LoggedAnswer:
    """One review-log row, as the statistics need it."""

    card_id: str
    rating: int
    reviewed_at: datetime
    kind: ReviewKind = ReviewKind.REVIEW
    state_before: MemoryState = MemoryState.REVIEW
    stability_after: float | None = None
    difficulty_after: float | None = None
    interval_days: float | None = None  # the interval this answer gave


@dataclass(frozen=True)
class ScoredReview:
    """A review of a card in the review state, with what was known before it."""

    card_id: str
    reviewed_at: datetime
    passed: bool  # not rated Again
    last_interval_days: float | None  # the interval the card had been given (None: not logged)
    predicted: float | None  # FSRS's predicted recall at this review (None: no earlier answer)

    @property
    def mature(self) -> bool:
        return self.last_interval_days is not None and self.last_interval_days >= MATURE_DAYS


@dataclass(frozen=True)
class RetentionCount:
    """Reviews and passes of young and of mature cards in one period."""

    start: date
    young_reviews: int = 0
    young_passed: int = 0
    mature_reviews: int = 0
    mature_passed: int = 0

    @property
    def young(self) -> float | None:
        return self.young_passed / self.young_reviews if self.young_reviews else None

    @property
    def mature(self) -> float | None:
        return self.mature_passed / self.mature_reviews if self.mature_reviews else None

    @property
    def reviews(self) -> int:
        return self.young_reviews + self.mature_reviews

    @property
    def total(self) -> float | None:
        return (self.young_passed + self.mature_passed) / self.reviews if self.reviews else None


@dataclass(frozen=True)
class CalibrationBin:
    """Reviews whose predicted recall fell in [low, high)."""

    low: float
    high: float
    reviews: int
    mean_predicted: float
    actual: float  # share not rated Again


@dataclass(frozen=True)
class Calibration:
    bins: tuple[CalibrationBin, ...]
    reviews: int
    mean_predicted: float | None
    actual: float | None
    # Mean absolute gap between predicted and actual, weighted by reviews per bin: one number for
    # "how far off is the model for me", in recall points (0.03 = 3 points).
    weighted_gap: float | None


def score_reviews(answers: Iterable[LoggedAnswer], settings: Settings) -> list[ScoredReview]:
    """Every review of a card in the review state, with the interval before it and the recall FSRS
    predicted for it. Practice-ahead rows are skipped altogether: they change no memory."""
    scheduler = Scheduler(settings)
    by_card: dict[str, list[LoggedAnswer]] = defaultdict(list)
    for answer in answers:
        if answer.kind is not ReviewKind.CRAM:
            by_card[answer.card_id].append(answer)
    scored: list[ScoredReview] = []
    for history in by_card.values():
        history.sort(key=lambda a: a.reviewed_at)
        for previous, answer in zip([None, *history[:-1]], history, strict=True):
            if answer.state_before is not MemoryState.REVIEW:
                continue
            predicted = None
            last_interval = None
            if previous is not None:
                last_interval = previous.interval_days
                if previous.stability_after is not None:
                    memory = Memory(
                        card_id=answer.card_id,
                        state=MemoryState.REVIEW,
                        stability=previous.stability_after,
                        difficulty=previous.difficulty_after,
                        last_review=previous.reviewed_at,
                        due=previous.reviewed_at,
                    )
                    predicted = scheduler.retrievability(memory, answer.reviewed_at)
            scored.append(
                ScoredReview(answer.card_id, answer.reviewed_at, answer.rating > 1, last_interval, predicted)
            )
    scored.sort(key=lambda r: r.reviewed_at)
    return scored


def true_retention(
    reviews: Sequence[ScoredReview],
    settings: Settings,
    period: Period,
    today: date,
    count: int | None = None,
) -> list[RetentionCount]:
    """Young and mature retention for the last ``count`` periods up to ``today``, oldest first
    (periods without reviews are kept, with no retention, so the time axis has no holes)."""
    count = count or period.default_count
    starts = [period.start_of(today)]
    while len(starts) < count:
        starts.append(period.previous(starts[-1]))
    starts.reverse()
    tallies = {start: [0, 0, 0, 0] for start in starts}
    for review in reviews:
        start = period.start_of(study_date(review.reviewed_at, settings))
        tally = tallies.get(start)
        if tally is None:
            continue
        offset = 2 if review.mature else 0
        tally[offset] += 1
        tally[offset + 1] += review.passed
    return [RetentionCount(start, *tallies[start]) for start in starts]


@dataclass(frozen=True)
class RetentionRow:
    """One row of Anki's true-retention table (Today, Yesterday, Last week, ...)."""

    label: str
    counts: RetentionCount


def retention_table(reviews: Sequence[ScoredReview], settings: Settings, today: date) -> list[RetentionRow]:
    """Anki's table: today, yesterday, the last 7, 30 and 365 study days, and all time."""
    windows = (
        ("Today", today, today),
        ("Yesterday", today - timedelta(days=1), today - timedelta(days=1)),
        ("Last week", today - timedelta(days=6), today),
        ("Last month", today - timedelta(days=29), today),
        ("Last year", today - timedelta(days=364), today),
        ("All time", date.min, today),
    )
    days = [study_date(r.reviewed_at, settings) for r in reviews]
    rows = []
    for label, first, last in windows:
        tally = [0, 0, 0, 0]
        for day, review in zip(days, reviews, strict=True):
            if first <= day <= last:
                offset = 2 if review.mature else 0
                tally[offset] += 1
                tally[offset + 1] += review.passed
        rows.append(RetentionRow(label, RetentionCount(first, *tally)))
    return rows


def calibration(reviews: Sequence[ScoredReview], bins: int = CALIBRATION_BINS) -> Calibration:
    """Reviews binned by predicted recall (equal widths over 0-1): mean prediction vs share passed."""
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0])  # reviews, predicted, passed
    for review in reviews:
        if review.predicted is None:
            continue
        index = min(bins - 1, math.floor(review.predicted * bins))
        tally = sums[index]
        tally[0] += 1
        tally[1] += review.predicted
        tally[2] += review.passed
    made = tuple(
        CalibrationBin(i / bins, (i + 1) / bins, int(n), predicted / n, passed / n)
        for i, (n, predicted, passed) in sorted(sums.items())
    )
    total = sum(b.reviews for b in made)
    if not total:
        return Calibration((), 0, None, None, None)
    return Calibration(
        bins=made,
        reviews=total,
        mean_predicted=sum(b.mean_predicted * b.reviews for b in made) / total,
        actual=sum(b.actual * b.reviews for b in made) / total,
        weighted_gap=sum(abs(b.mean_predicted - b.actual) * b.reviews for b in made) / total,
    )


def profile_answers(engine: Engine, profile_id: int) -> list[LoggedAnswer]:
    """The profile's review log, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                _LOG.c.card_id,
                _LOG.c.rating,
                _LOG.c.reviewed_at,
                _LOG.c.kind,
                _LOG.c.state_before,
                _LOG.c.stability_after,
                _LOG.c.difficulty_after,
                _LOG.c.interval_days,
            )
            .where(_LOG.c.profile_id == profile_id)
            .order_by(_LOG.c.reviewed_at, _LOG.c.id)
        ).all()
    return [
        LoggedAnswer(
            card_id=row.card_id,
            rating=row.rating,
            reviewed_at=row.reviewed_at,
            kind=ReviewKind(row.kind),
            state_before=MemoryState(row.state_before),
            stability_after=row.stability_after,
            difficulty_after=row.difficulty_after,
            interval_days=row.interval_days,
        )
        for row in rows
    ]


def scored_profile_reviews(engine: Engine, profile_id: int, settings: Settings) -> list[ScoredReview]:
    """The profile's reviews of cards in the review state, scored (see :func:`score_reviews`)."""
    return score_reviews(profile_answers(engine, profile_id), settings)
