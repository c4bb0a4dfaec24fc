"""Replaying simulated learners through the real scheduler, to check the exam-date rules.

A learner studies once a day. Each day, as the Study page would, they answer learning cards as
they fall due, then the reviews due today (up to the daily review limit), then new cards up to
today's new-card limit (:meth:`trainer.study.queue.Study.new_limit`'s rule, the exam pace when a
date is set). Every interval comes from :class:`trainer.study.scheduling.Scheduler` itself, the
same object the Study page uses, so the exam-date rules applied here are the ones learners get.

The learner's answers are drawn from FSRS's own prediction: a card is recalled with probability
equal to its retrievability at that moment; a recalled review is Hard, Good or Easy with Anki's
simulator's default shares, a new card's first answer follows Anki's first-rating shares. This is
the model's world, so the replay measures what the *schedule* does (who is seen when, how many
reviews), not whether FSRS's model is right.

The database is not involved: the queue's order is the same, and a replay of 1,000 cards over
60 days takes well under a second instead of minutes. Work is bounded: at most MAX_CARDS cards
over MAX_DAYS days.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from trainer.store.enums import MemoryState
from trainer.study.exam_date import new_card_pace
from trainer.study.scheduling import Memory, Rating, Scheduler, Settings

MAX_CARDS = 10_000
MAX_DAYS = 365
# Anki's simulator defaults (fsrs-rs SimulatorConfig): first answers Again/Hard/Good/Easy, and
# Hard/Good/Easy among recalled reviews.
FIRST_RATING_SHARES = (0.24, 0.094, 0.495, 0.171)
RECALLED_RATING_SHARES = (0.224, 0.632, 0.144)
# Seconds an answer takes, to move the session clock (learning steps come back within it).
ANSWER_SECONDS = 8
STUDY_HOUR = 12  # the learner's daily session starts at noon UTC
START = date(2026, 1, 5)


class ReplayError(ValueError):
    """Replay settings that cannot work; the message says what to enter instead."""


@dataclass(frozen=True)
class ReplaySettings:
    cards: int = 1000
    new_per_day: int = 20
    exam_in_days: int | None = None  # None: no exam date
    days: int | None = None  # days replayed; default the exam's, or 60 without one
    desired_retention: float = 0.9
    max_new_per_day: int = 50  # the exam pace's maximum
    reviews_per_day: int = 9999
    seed: int = 1

    def __post_init__(self) -> None:
        problems = []
        if not 1 <= self.cards <= MAX_CARDS:
            problems.append(f"--cards must be between 1 and {MAX_CARDS:,}")
        if not 0 <= self.new_per_day <= 9999:
            problems.append("--new-per-day must be between 0 and 9999")
        if self.exam_in_days is not None and not 1 <= self.exam_in_days <= MAX_DAYS:
            problems.append(f"--exam-in-days must be between 1 and {MAX_DAYS}")
        if self.days is not None and not 1 <= self.days <= MAX_DAYS:
            problems.append(f"--days must be between 1 and {MAX_DAYS}")
        if not 0.70 <= self.desired_retention <= 0.99:
            problems.append("--desired-retention must be between 0.70 and 0.99")
        if not 1 <= self.max_new_per_day <= 9999:
            problems.append("--max-new-per-day must be between 1 and 9999")
        if not 1 <= self.reviews_per_day <= 99999:
            problems.append("--reviews-per-day must be between 1 and 99999")
        if not 0 <= self.seed <= 2**32 - 1:
            problems.append("--seed must be between 0 and 4294967295")
        if problems:
            raise ReplayError("; ".join(problems))

    @property
    def horizon(self) -> int:
        if self.days is not None:
            return self.days
        return self.exam_in_days if self.exam_in_days is not None else 60


@dataclass(frozen=True)
class ReplayResult:
    settings: ReplaySettings
    unseen_at_exam: int  # cards never introduced by the exam (or the end)
    share_recall_at_least_0_9_at_exam: float
    mean_recall_at_exam: float
    reviews_total: int  # every answer, learning steps included
    max_reviews_per_day: int
    reviews_per_day: tuple[int, ...]
    min_reviews_before_exam: int  # fewest review-day answers any introduced card had after its first day

    def to_json_dict(self) -> dict[str, object]:
        return {
            "cards": self.settings.cards,
            "new_per_day": self.settings.new_per_day,
            "exam_in_days": self.settings.exam_in_days,
            "days": self.settings.horizon,
            "desired_retention": self.settings.desired_retention,
            "seed": self.settings.seed,
            "unseen_at_exam": self.unseen_at_exam,
            "share_recall_at_least_0_9_at_exam": round(self.share_recall_at_least_0_9_at_exam, 4),
            "mean_recall_at_exam": round(self.mean_recall_at_exam, 4),
            "reviews_total": self.reviews_total,
            "max_reviews_per_day": self.max_reviews_per_day,
            "min_reviews_before_exam": self.min_reviews_before_exam,
        }


def _answer(rng: random.Random, scheduler: Scheduler, memory: Memory, now: datetime) -> Rating:
    if memory.state == MemoryState.NEW:
        return Rating(rng.choices((1, 2, 3, 4), FIRST_RATING_SHARES)[0])
    if rng.random() >= scheduler.retrievability(memory, now):
        return Rating.AGAIN
    if memory.state != MemoryState.REVIEW:
        return Rating.GOOD
    return Rating(rng.choices((2, 3, 4), RECALLED_RATING_SHARES)[0])


def replay(settings: ReplaySettings) -> ReplayResult:
    """Replay one simulated learner; deterministic for a given seed."""
    rng = random.Random(settings.seed)
    exam_date = START + timedelta(days=settings.exam_in_days) if settings.exam_in_days else None
    scheduler_settings = Settings(
        new_per_day=settings.new_per_day,
        reviews_per_day=settings.reviews_per_day,
        desired_retention=settings.desired_retention,
        exam_date=exam_date,
        exam_max_new_per_day=settings.max_new_per_day,
        day_starts_at=4,
    )
    scheduler = Scheduler(scheduler_settings)
    memories = [Memory(card_id=f"c{i}") for i in range(settings.cards)]
    new_queue = list(range(settings.cards))  # introduction order
    first_day: dict[int, int] = {}
    review_days: dict[int, set[int]] = {}
    per_day: list[int] = []
    learn_ahead = scheduler_settings.learn_ahead
    for day in range(settings.horizon):
        today = START + timedelta(days=day)
        clock = datetime.combine(today, time(STUDY_HOUR), tzinfo=UTC)
        day_end = datetime.combine(today + timedelta(days=1), time(4), tzinfo=UTC)
        answers = 0

        def answer(index: int, day: int = day) -> None:
            nonlocal clock, answers
            memory = memories[index]
            outcome = scheduler.review(memory, _answer(rng, scheduler, memory, clock), clock)
            memories[index] = outcome.memory
            if day != first_day.setdefault(index, day):
                review_days.setdefault(index, set()).add(day)
            clock += timedelta(seconds=ANSWER_SECONDS)
            answers += 1

        due = [
            i
            for i, m in enumerate(memories)
            if m.state == MemoryState.REVIEW and m.due is not None and m.due < day_end
        ]
        due.sort(key=lambda i: memories[i].due or clock)
        learning = {
            i for i, m in enumerate(memories) if m.state in (MemoryState.LEARNING, MemoryState.RELEARNING)
        }
        for index in due[: settings.reviews_per_day]:
            answer(index)
            if memories[index].state != MemoryState.REVIEW:
                learning.add(index)
        if exam_date is not None:
            limit = new_card_pace(
                len(new_queue), today, exam_date, settings.new_per_day, settings.max_new_per_day
            ).per_day
        else:
            limit = settings.new_per_day
        introduced, new_queue = new_queue[:limit], new_queue[limit:]
        for index in introduced:
            answer(index)
            if memories[index].state != MemoryState.REVIEW:
                learning.add(index)
        # Learning steps come back within the session (Anki shows them up to 20 minutes early);
        # whatever is due after the day's end waits for tomorrow.
        while learning:
            index = min(learning, key=lambda i: memories[i].due or clock)
            due_at = memories[index].due or clock
            if due_at >= day_end:
                break
            clock = max(clock, due_at - learn_ahead)
            answer(index)
            if memories[index].state == MemoryState.REVIEW:
                learning.discard(index)
        per_day.append(answers)

    at = scheduler_settings.exam_at or datetime.combine(
        START + timedelta(days=settings.horizon), time(4), tzinfo=UTC
    )
    recalls = [scheduler.retrievability(m, at) for m in memories]
    introduced_cards = [i for i in range(settings.cards) if i in first_day]
    return ReplayResult(
        settings=settings,
        unseen_at_exam=settings.cards - len(introduced_cards),
        share_recall_at_least_0_9_at_exam=sum(r >= 0.9 for r in recalls) / settings.cards,
        mean_recall_at_exam=sum(recalls) / settings.cards,
        reviews_total=sum(per_day),
        max_reviews_per_day=max(per_day, default=0),
        reviews_per_day=tuple(per_day),
        min_reviews_before_exam=min((len(review_days.get(i, ())) for i in introduced_cards), default=0),
    )


def with_seed(settings: ReplaySettings, seed: int) -> ReplaySettings:
    return replace(settings, seed=seed)
