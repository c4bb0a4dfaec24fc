"""Predicted recall on exam day: every card's FSRS retrievability at the exam, by topic and concept.

The mock-exam readiness (``trainer.exams.readiness``) says how the learner scores on questions
today; this says how much of what the cards teach they are predicted to remember *on the day*,
if they stop reviewing now. A card never studied counts as 0: it is the honest prediction, and it
makes unseen cards visible instead of averaging them away.

The band around a group's mean is the spread of the share of its cards recalled: each card is
recalled or not with its own probability, so the count recalled is Poisson-binomial with variance
Σ R(1 − R). The 90 % band is mean ± 1.645 standard deviations of the share, clipped to [0, 1].
Groups with few cards get wide bands, which is the point.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Engine

from trainer.access.permissions import Actor, require_profile
from trainer.content.model import Bank
from trainer.study import statements as sql
from trainer.study.scheduling import Settings
from trainer.study.stats import card_recall

Z_90 = 1.645
# The moment of a profile's latest answer: one step down the (profile_id, reviewed_at) index.
LAST_ANSWER = select(func.max(sql.LOG.c.reviewed_at)).where(sql.LOG.c.profile_id == bindparam("pid"))


@dataclass(frozen=True)
class GroupRecall:
    """Predicted recall at the exam of one group of cards (all, a topic, or a concept)."""

    name: str
    cards: int
    unseen: int  # never studied: predicted recall 0
    mean: float  # expected share of the group's cards recalled
    low: float  # 90 % band of that share
    high: float
    p10: float  # the distribution of the cards' own predicted recall
    median: float
    p90: float
    at_least_0_9: float  # share of cards predicted at 0.9 or more


@dataclass(frozen=True)
class RecallForecast:
    at: datetime
    overall: GroupRecall
    by_topic: tuple[GroupRecall, ...]
    by_concept: tuple[GroupRecall, ...]
    recalls: Mapping[str, float]  # card id -> predicted recall at ``at``


def _quantile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    position = share * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(name: str, recalls: Iterable[float], unseen: int = 0) -> GroupRecall:
    """Aggregate cards' predicted recall (``unseen`` of them never studied, included as 0s)."""
    values = sorted(list(recalls) + [0.0] * unseen)
    n = len(values)
    if n == 0:
        return GroupRecall(name, 0, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    mean = sum(values) / n
    spread = Z_90 * math.sqrt(sum(r * (1 - r) for r in values)) / n
    return GroupRecall(
        name=name,
        cards=n,
        unseen=unseen,
        mean=mean,
        low=max(0.0, mean - spread),
        high=min(1.0, mean + spread),
        p10=_quantile(values, 0.1),
        median=_quantile(values, 0.5),
        p90=_quantile(values, 0.9),
        at_least_0_9=sum(1 for r in values if r >= 0.9) / n,
    )


def forecast_from(recalls: Mapping[str, float], bank: Bank, at: datetime) -> RecallForecast:
    """Group cards' predicted recall (0 for unseen) by topic and by concept. Pure."""
    by_topic: dict[str, list[float]] = defaultdict(list)
    by_concept: dict[str, list[float]] = defaultdict(list)
    in_bank = {cid: recalls.get(cid, 0.0) for cid in bank.cards}
    for cid, recall in in_bank.items():
        card = bank.cards[cid]
        by_topic[card.topic].append(recall)
        for concept in card.concepts:
            by_concept[concept].append(recall)

    def group(name: str, values: list[float]) -> GroupRecall:
        seen = [r for r in values if r > 0.0]
        return summarise(name, seen, unseen=len(values) - len(seen))

    return RecallForecast(
        at=at,
        overall=group("all cards", list(in_bank.values())),
        by_topic=tuple(group(t, v) for t, v in sorted(by_topic.items())),
        by_concept=tuple(group(c, v) for c, v in sorted(by_concept.items())),
        recalls=in_bank,
    )


def recall_forecast(
    engine: Engine,
    profile_id: int,
    settings: Settings,
    bank: Bank,
    at: datetime | None = None,
    actor: Actor | None = None,
) -> RecallForecast | None:
    """Predicted recall at ``at`` (default: the exam date's start); None without either. With
    sign-in on, one's own profile only."""
    require_profile(engine, actor, profile_id)
    at = at or settings.exam_at
    if at is None:
        return None
    return forecast_from(card_recall(engine, profile_id, settings, at), bank, at)


def last_answer_at(engine: Engine, profile_id: int) -> datetime | None:
    """When the profile last answered a card (None: never): with the settings, what a page keys a
    cached forecast on. An undo takes the moment back with the answer, so the key returns to the
    one the forecast had before that answer."""
    with engine.connect() as conn:
        value: datetime | None = conn.execute(LAST_ANSWER, {"pid": profile_id}).scalar_one()
    return value
