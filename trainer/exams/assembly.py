"""Drawing an attempt's questions: split by the DVA-C02 domain weights, seeded, without repeats.

The draw happens once, when an attempt starts; its result is frozen as question snapshots (see
``trainer.content.snapshot``) so the attempt no longer depends on the bank.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from trainer.content.model import Bank, Domain
from trainer.content.selection import question_pool
from trainer.content.snapshot import QuestionSnapshot
from trainer.exams.rules import ExamSpec


def allocate(
    n: int, capacity: dict[Domain, int], weights: dict[Domain, float] | None = None
) -> dict[Domain, int]:
    """How many questions to draw from each domain: ``n`` split by the domain weights with the
    largest-remainder method, capped by what each domain has.

    A domain that cannot fill its share gives everything it has, and the shortfall is shared
    among the others, again by weight ("borrowing"). Ties in the remainders go to the heavier
    domain. The total is ``min(n, sum(capacity))``.
    """
    weights = weights or {d: d.weight for d in Domain}
    order = list(Domain)
    alloc = dict.fromkeys(capacity, 0)
    remaining = max(0, min(n, sum(capacity.values())))
    open_ = [d for d in order if capacity.get(d, 0) > 0]
    quotas: dict[Domain, float] = {}
    while open_ and remaining:
        total_weight = sum(weights[d] for d in open_) or float(len(open_))
        quotas = {d: remaining * (weights[d] or 0) / total_weight if total_weight else 0 for d in open_}
        full = [d for d in open_ if quotas[d] >= capacity[d]]
        if not full:
            break
        for d in full:  # these domains give all they have; share the rest among the others
            alloc[d] = capacity[d]
            remaining -= capacity[d]
            open_.remove(d)
    if open_ and remaining:
        floors = {d: int(quotas[d]) for d in open_}
        for d in open_:
            alloc[d] = floors[d]
        left = remaining - sum(floors.values())
        by_remainder = sorted(open_, key=lambda d: (-(quotas[d] - floors[d]), -weights[d], order.index(d)))
        for d in by_remainder[:left]:
            alloc[d] += 1
    return alloc


@dataclass(frozen=True)
class DomainPlan:
    """One domain's part of a weighted exam, shown on the start screen before the draw."""

    domain: Domain
    ideal: int  # the share at the real weights
    planned: int  # what the bank allows
    available: int


def plan(bank: Bank, spec: ExamSpec) -> list[DomainPlan]:
    """Per domain: the ideal count at the DVA-C02 weights, what will be drawn, what the bank has."""
    pool = question_pool(bank, spec.question_filter)
    capacity = {d: sum(1 for q in pool if q.domain == d) for d in Domain}
    ideal = allocate(spec.length, dict.fromkeys(Domain, spec.length))
    planned = allocate(spec.length, capacity)
    return [DomainPlan(d, ideal[d], planned[d], capacity[d]) for d in Domain]


def assemble(bank: Bank, spec: ExamSpec, seed: int) -> list[QuestionSnapshot]:
    """Draw the questions of an attempt: deterministic for a given bank, spec and seed.

    A weighted exam takes each domain's share (see :func:`allocate`); a drill samples its pool.
    No question appears twice. The order of the questions and, if ``spec.shuffle_options``, the
    order of each question's options are shuffled with the same seed; the snapshot keeps the
    mapping to the original option order.
    """
    rng = random.Random(seed)
    pool = question_pool(bank, spec.question_filter)
    if spec.weighted:
        by_domain = {d: [q for q in pool if q.domain == d] for d in Domain}
        counts = allocate(spec.length, {d: len(qs) for d, qs in by_domain.items()})
        chosen = [q for d in Domain for q in rng.sample(by_domain[d], counts[d])]
    else:
        chosen = rng.sample(pool, min(spec.length, len(pool)))
    rng.shuffle(chosen)
    result = []
    for q in chosen:
        order = list(range(len(q.options)))
        if spec.shuffle_options:
            rng.shuffle(order)
        result.append(QuestionSnapshot.from_question(q, bank.topic_title(q.topic), order))
    return result
