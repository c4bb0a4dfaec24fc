"""The workload planner: reviews and minutes a day for each desired retention, as Anki's FSRS
simulator shows them, and the retention that costs least work for what is remembered.

The simulation is fsrs-rs's (the one Anki runs), with the learner's parameters (fitted or
default), learning steps and daily limits, and Anki's default answer shares and seconds per
answer. For each desired retention from 0.70 to 0.97 it simulates the next 90 days (or the days
to the exam date) and reports reviews and minutes a day and the cards remembered at the end.

``optimal_retention`` is the retention in that range with the least simulated time per card
remembered at the end (Anki's "compute minimum recommended retention" minimises the same ratio).
It is searched on the grid itself, averaged over SEEDS simulations each, rather than with
fsrs-rs's own ``optimal_retention``, which simulates a year per step and takes seconds.

fsrs-rs's simulator starts from new cards only, so a learner's cards already studied are
simulated as if new: for someone well into the deck the first weeks are overestimated. The
figures compare retentions with each other; they are not a promise about a given day.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import fsrs_rs_python as fsrs_rs
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from trainer.store.enums import StudyQueue
from trainer.store.tables import CardState, table_of
from trainer.store.types import utcnow
from trainer.study.scheduling import Settings, study_date

RETENTIONS: tuple[float, ...] = tuple(round(0.70 + 0.01 * i, 2) for i in range(28))  # 0.70..0.97
DEFAULT_DAYS = 90
MAX_DAYS = 365
MAX_CARDS = 100_000
SEEDS = 2
_CS = table_of(CardState)


class WorkloadError(ValueError):
    """A plan that cannot be simulated; the message says what to enter instead."""


@dataclass(frozen=True)
class RetentionWorkload:
    retention: float
    reviews_per_day: float  # mean answers a day (reviews and new-card learning steps)
    max_reviews_per_day: float
    minutes_per_day: float
    max_minutes_per_day: float
    remembered: float  # cards expected to be remembered at the end
    seconds_per_remembered: float


@dataclass(frozen=True)
class WorkloadPlan:
    days: int
    cards: int
    current_retention: float
    rows: tuple[RetentionWorkload, ...]
    optimal_retention: float

    def row(self, retention: float) -> RetentionWorkload:
        return min(self.rows, key=lambda r: abs(r.retention - retention))

    def to_json_dict(self) -> dict[str, object]:
        return {
            "days": self.days,
            "cards": self.cards,
            "current_retention": self.current_retention,
            "optimal_retention": self.optimal_retention,
            "retentions": [
                {
                    "retention": r.retention,
                    "reviews_per_day": round(r.reviews_per_day, 1),
                    "max_reviews_per_day": round(r.max_reviews_per_day, 1),
                    "minutes_per_day": round(r.minutes_per_day, 1),
                    "max_minutes_per_day": round(r.max_minutes_per_day, 1),
                    "remembered": round(r.remembered, 1),
                    "seconds_per_remembered": round(r.seconds_per_remembered, 1),
                }
                for r in self.rows
            ],
        }

    def describe(self) -> str:
        lines = [
            f"{self.cards:,} cards over {self.days} days; least work per card remembered at retention "
            f"{self.optimal_retention:.2f} (yours: {self.current_retention:.2f})",
            "  retention  reviews/day  minutes/day  remembered",
        ]
        for r in self.rows:
            if round(r.retention * 100) % 5 == 0 or r.retention in (
                self.optimal_retention,
                self.current_retention,
            ):
                lines.append(
                    f"  {r.retention:9.2f}  {r.reviews_per_day:11.1f}  {r.minutes_per_day:11.1f}  "
                    f"{r.remembered:10.0f}"
                )
        return "\n".join(lines)


def _config(settings: Settings, cards: int, days: int, new_per_day: int) -> fsrs_rs.SimulatorConfig:
    config = fsrs_rs.default_simulator_config()
    config.deck_size = cards
    config.learn_span = days
    config.max_cost_perday = 86400.0  # no time cap: the learner's limits are the count limits
    config.max_ivl = float(settings.maximum_interval)
    config.learn_limit = new_per_day
    config.review_limit = settings.reviews_per_day
    config.learning_step_count = len(settings.learning_steps)
    config.relearning_step_count = len(settings.relearning_steps)
    return config


def plan_workload(
    settings: Settings, cards: int, days: int = DEFAULT_DAYS, new_per_day: int | None = None
) -> WorkloadPlan:
    """Simulate every retention in RETENTIONS for ``cards`` cards over ``days`` days."""
    if not 1 <= days <= MAX_DAYS:
        raise WorkloadError(f"the plan covers 1 to {MAX_DAYS} days")
    if not 1 <= cards <= MAX_CARDS:
        raise WorkloadError(f"the plan needs 1 to {MAX_CARDS:,} cards")
    config = _config(settings, cards, days, settings.new_per_day if new_per_day is None else new_per_day)
    parameters = list(settings.parameters or fsrs_rs.DEFAULT_PARAMETERS)
    rows = []
    for retention in RETENTIONS:
        runs = [fsrs_rs.simulate(parameters, retention, config, seed) for seed in range(SEEDS)]
        answers = [
            [r + n for r, n in zip(run.review_cnt_per_day, run.learn_cnt_per_day, strict=True)]
            for run in runs
        ]
        costs = [list(run.cost_per_day) for run in runs]
        remembered = statistics.fmean(run.memorized_cnt_per_day[-1] for run in runs)
        total_seconds = statistics.fmean(sum(c) for c in costs)
        rows.append(
            RetentionWorkload(
                retention=retention,
                reviews_per_day=statistics.fmean(sum(a) / days for a in answers),
                max_reviews_per_day=statistics.fmean(max(a) for a in answers),
                minutes_per_day=total_seconds / days / 60,
                max_minutes_per_day=statistics.fmean(max(c) for c in costs) / 60,
                remembered=remembered,
                seconds_per_remembered=total_seconds / remembered if remembered else float("inf"),
            )
        )
    best = min(rows, key=lambda r: r.seconds_per_remembered)
    return WorkloadPlan(days, cards, settings.desired_retention, tuple(rows), best.retention)


def plan_for_profile(
    engine: Engine, profile_id: int, settings: Settings, new_left: int, days: int | None = None
) -> WorkloadPlan:
    """The plan for a profile's collection: 90 days, or the days left to its exam date."""
    with engine.connect() as conn:
        cards = int(
            conn.execute(
                select(func.count()).where(
                    _CS.c.profile_id == profile_id,
                    _CS.c.queue.in_((StudyQueue.NEW, StudyQueue.LEARN, StudyQueue.REVIEW)),
                )
            ).scalar_one()
        )
    if days is None:
        days = DEFAULT_DAYS
        if settings.exam_date is not None:
            left = (settings.exam_date - study_date(utcnow(), settings)).days
            if left > 0:
                days = min(left, MAX_DAYS)
    del new_left  # the simulator starts every card as new (see the module's docstring)
    return plan_workload(settings, max(1, cards), days)
