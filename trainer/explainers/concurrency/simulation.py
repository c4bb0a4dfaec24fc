"""Run the simulation: draw the requests, pick the loop for the invocation type, summarise.

Three loops, one per way the function is invoked: :func:`~.sync.run_sync` (synchronous, no
caller retries: the fast path), :func:`~.retries.run_retrying` (caller retries, and
asynchronous events) and :func:`~.sqs.run_sqs` (an SQS event source mapping). Each hands back
a :class:`~.raw_run.RawRun`; :func:`~.summarise.summarise` turns it into the result.

Correctness: a synchronous function capped at c with Poisson arrivals is the textbook loss
system, so the share throttled must match Erlang-B (:mod:`~.erlang`); the tests check that,
and check the fast path request by request against a plain model with explicit environments.
"""

from __future__ import annotations

import numpy as np

from trainer.explainers.budget import DEFAULT_BUDGET, NO_BUDGET, WorkBudget
from trainer.explainers.concurrency.durations import draw_durations
from trainer.explainers.concurrency.results import SimulationResult
from trainer.explainers.concurrency.retries import run_retrying
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings
from trainer.explainers.concurrency.sqs import run_sqs
from trainer.explainers.concurrency.summarise import summarise
from trainer.explainers.concurrency.sync import run_sync
from trainer.explainers.concurrency.work import playground_work
from trainer.explainers.traffic import SimulationError, arrival_times


def simulate(
    settings: PlaygroundSettings,
    *,
    arrivals: np.ndarray | None = None,
    trace: bool = False,
    budget: WorkBudget = DEFAULT_BUDGET,
) -> SimulationResult:
    """Run the simulation. Raises :class:`SimulationError` (never anything else) on bad settings,
    and on a run larger than ``budget`` (the command line may pass a larger one).

    ``arrivals`` replaces the Poisson arrivals with given times (tests use it for exact
    schedules); ``trace`` records every attempt of every request as (time, request, what).
    """
    settings.validate(budget if arrivals is None else NO_BUDGET)
    rng = np.random.default_rng(settings.seed)
    if arrivals is None:
        times = arrival_times(settings.traffic.per_second(settings.seconds), rng)
    else:  # the budget counts the given arrivals, not the traffic's
        times = np.sort(np.asarray(arrivals, dtype=float))
        times = times[(times >= 0) & (times < settings.seconds)]
        too_large = budget.problem(playground_work(settings, arrivals=len(times)))
        if too_large:
            raise SimulationError(too_large, [too_large])
    durations = draw_durations(settings.duration_dist, settings.duration_ms, settings.p99_ms, len(times), rng)
    limit = settings.function_limit()
    od_limit = np.maximum(limit - settings.provisioned, 0).tolist()
    if settings.invocation is Invocation.SQS:
        run = run_sqs(settings, times, durations, limit.tolist(), od_limit)
    elif (
        settings.invocation is Invocation.SYNC
        and settings.caller_retries == 0
        and not trace
        and arrivals is None
    ):
        run = run_sync(settings, times, durations, od_limit, rng)
    else:
        run = run_retrying(settings, times, durations, od_limit, trace)
    return summarise(settings, times, run, limit)
