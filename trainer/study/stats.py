"""Progress statistics from the review log and card states: plain data, no charts."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from trainer.store.enums import MemoryState, ReviewKind, StudyQueue
from trainer.store.tables import CardState, ReviewLog, table_of
from trainer.store.types import utcnow
from trainer.study.queue import memory_of
from trainer.study.scheduling import Scheduler, Settings, study_date

_CS = table_of(CardState)
_LOG = table_of(ReviewLog)


@dataclass(frozen=True)
class TopicRetention:
    topic: str
    reviews: int  # reviews of cards already in the review state, in the window
    passed: int  # of those, not rated Again
    predicted_recall: float | None  # mean FSRS retrievability of the topic's seen cards now
    cards_seen: int

    @property
    def retention(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


def reviews_per_day(
    engine: Engine, profile_id: int, settings: Settings, days: int = 30, now: datetime | None = None
) -> dict[date, Counter]:
    """For each of the last ``days`` study days: answers counted by the state before answering."""
    now = now or utcnow()
    today = study_date(now, settings)
    since = now - timedelta(days=days + 1)
    result: dict[date, Counter] = {today - timedelta(days=i): Counter() for i in range(days - 1, -1, -1)}
    with engine.connect() as conn:
        rows = conn.execute(
            select(_LOG.c.reviewed_at, _LOG.c.state_before, _LOG.c.kind).where(
                _LOG.c.profile_id == profile_id, _LOG.c.reviewed_at >= since
            )
        ).all()
    for reviewed_at, state_before, kind in rows:
        day = study_date(reviewed_at, settings)
        if day in result:
            result[day]["cram" if kind == ReviewKind.CRAM else state_before] += 1
    return result


def due_forecast(
    engine: Engine, profile_id: int, settings: Settings, days: int = 30, now: datetime | None = None
) -> dict[date, int]:
    """Cards in review or learning falling due on each of the next ``days`` study days.

    Cards already overdue count on today.
    """
    now = now or utcnow()
    today = study_date(now, settings)
    forecast = {today + timedelta(days=i): 0 for i in range(days)}
    with engine.connect() as conn:
        rows = (
            conn.execute(
                select(_CS.c.due).where(
                    _CS.c.profile_id == profile_id, _CS.c.queue.in_((StudyQueue.REVIEW, StudyQueue.LEARN))
                )
            )
            .scalars()
            .all()
        )
    for due in rows:
        day = max(today, study_date(due, settings))
        if day in forecast:
            forecast[day] += 1
    return forecast


def retention_by_topic(
    engine: Engine, profile_id: int, settings: Settings, days: int = 30, now: datetime | None = None
) -> list[TopicRetention]:
    """True retention (share of mature-state reviews not failed) and predicted recall per topic."""
    now = now or utcnow()
    scheduler = Scheduler(settings)
    with engine.connect() as conn:
        states = conn.execute(select(_CS).where(_CS.c.profile_id == profile_id)).all()
        logs = conn.execute(
            select(_LOG.c.card_id, _LOG.c.rating).where(
                _LOG.c.profile_id == profile_id,
                _LOG.c.state_before == MemoryState.REVIEW,
                _LOG.c.kind != ReviewKind.CRAM,
                _LOG.c.reviewed_at >= now - timedelta(days=days),
            )
        ).all()
    topic_of = {row.card_id: row.topic for row in states}
    reviews: Counter = Counter()
    passed: Counter = Counter()
    for card_id, rating in logs:
        topic = topic_of.get(card_id, "")
        reviews[topic] += 1
        passed[topic] += rating > 1
    recall: dict[str, list[float]] = defaultdict(list)
    for row in states:
        if row.state != MemoryState.NEW and not row.retired:
            recall[row.topic].append(scheduler.retrievability(memory_of(row), now))
    topics = sorted(set(reviews) | set(recall))
    return [
        TopicRetention(
            topic=topic,
            reviews=reviews[topic],
            passed=passed[topic],
            predicted_recall=sum(recall[topic]) / len(recall[topic]) if recall[topic] else None,
            cards_seen=len(recall[topic]),
        )
        for topic in topics
    ]


def card_recall(
    engine: Engine, profile_id: int, settings: Settings, now: datetime | None = None
) -> dict[str, float]:
    """Predicted recall now for every card the profile has studied (0 for never-seen cards)."""
    now = now or utcnow()
    recall = Scheduler(settings).recall_after
    with engine.connect() as conn:
        rows = conn.execute(
            select(_CS.c.card_id, _CS.c.state, _CS.c.stability, _CS.c.last_review).where(
                _CS.c.profile_id == profile_id
            )
        ).all()
    return {
        card_id: 0.0 if state == MemoryState.NEW else recall(stability, last_review, now)
        for card_id, state, stability, last_review in rows
    }


def totals(engine: Engine, profile_id: int) -> dict[str, int]:
    """Headline numbers: answers ever given (practice excluded) and cards per queue."""
    with engine.connect() as conn:
        queues: dict[str, int] = dict(
            conn.execute(
                select(_CS.c.queue, func.count()).where(_CS.c.profile_id == profile_id).group_by(_CS.c.queue)
            ).all()
        )
        reviews = conn.execute(
            select(func.count())
            .select_from(_LOG)
            .where(_LOG.c.profile_id == profile_id, _LOG.c.kind != ReviewKind.CRAM)
        ).scalar_one()
    return {"reviews": reviews, **queues}


@dataclass(frozen=True)
class DaySummary:
    """What the learner did today, as Anki sums up a session: answers, time, share passed."""

    answers: int
    minutes: float
    passed: int  # answers not rated Again

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.answers if self.answers else None


def day_summary(engine: Engine, profile_id: int, since: datetime) -> DaySummary:
    """Answers since ``since`` (the study day's start), practice-ahead answers excluded."""
    with engine.connect() as conn:
        answers, passed, duration_ms = conn.execute(
            select(
                func.count(),
                func.count().filter(_LOG.c.rating > 1),
                func.coalesce(func.sum(_LOG.c.duration_ms), 0),
            ).where(
                _LOG.c.profile_id == profile_id, _LOG.c.reviewed_at >= since, _LOG.c.kind != ReviewKind.CRAM
            )
        ).one()
    return DaySummary(answers=int(answers), minutes=int(duration_ms) / 60_000, passed=int(passed))
