"""How much work a playground run is, before it runs: request attempts, retries included.

The MAX_ARRIVALS cap counted requests, not attempts, so retries went unbounded: the review's
asynchronous run at 100 % errors, 100,000 requests/s for 50 s and 2 retries took 103 s and
2.5 GB. Here each loop's attempts are bounded from above:

* the synchronous fast path (no caller retries) is vectorised and costs about a seventh of a
  retrying attempt per request (:data:`FAST_PATH_WEIGHT`); SQS batches cost less still;
* a function error is retried only if the retry falls inside the simulated time (Lambda waits
  about 1 and then 2 minutes), so at most ``1 + retries that fit`` runs per event;
* a throttled attempt is retried (by the caller, or by Lambda with a backoff from 1 s up to 5
  minutes) only while capacity is short: attempts beyond what the limit can run in the
  simulated time (limit × seconds ÷ duration) are counted once for every retry that fits.

The estimate is deliberately on the high side; the presets and the page's defaults stay far
below the budget (``tests/test_budget.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from trainer.explainers.budget import Work
from trainer.explainers.concurrency.limits import (
    ASYNC_ERROR_DELAYS_S,
    ASYNC_THROTTLE_FIRST_S,
    ASYNC_THROTTLE_MAX_S,
)

if TYPE_CHECKING:
    from trainer.explainers.concurrency.settings import PlaygroundSettings

FAST_PATH_WEIGHT = 0.15
SQS_WEIGHT = 0.1


def playground_work(s: PlaygroundSettings, arrivals: float | None = None) -> Work:
    """Attempts the run would make, worst case, in retrying-loop steps (``arrivals``: the
    number of requests when they are given, rather than drawn from the traffic)."""
    if arrivals is None:
        arrivals = float(np.sum(s.traffic.per_second(s.seconds)))
    kind = s.invocation.value
    levers = ["the request rate", "the simulated time"]
    if kind == "sqs":
        return Work(arrivals * SQS_WEIGHT, "request attempts", levers)
    if kind == "sync" and s.caller_retries == 0:
        return Work(arrivals * FAST_PATH_WEIGHT, "request attempts", levers)
    window = float(min(s.seconds, s.max_event_age_s if kind == "async" else s.seconds))
    if kind == "sync":
        runs = arrivals
        throttle_retries = s.caller_retries
        levers.append("the caller retries")
    else:
        runs = arrivals * (1 + (_error_retries_that_fit(s.max_retry_attempts, window) if s.error_rate else 0))
        throttle_retries = _throttle_retries_that_fit(window)
        levers.append("MaximumRetryAttempts")
    capacity = max(float(np.sum(s.function_limit())), 0.0) / max(s.duration_ms / 1000.0, 1e-3)
    short = max(runs - capacity, 0.0)
    levers.append("the error rate" if kind == "async" else "the duration")
    return Work(runs + short * throttle_retries, "request attempts (retries included)", levers)


def _error_retries_that_fit(retries: int, window: float) -> int:
    """Error retries Lambda would start within ``window`` seconds of the first attempt."""
    waited, fit = 0.0, 0
    for k in range(int(retries)):
        waited += ASYNC_ERROR_DELAYS_S[min(k, len(ASYNC_ERROR_DELAYS_S) - 1)]
        if waited > window:
            break
        fit += 1
    return fit


def _throttle_retries_that_fit(window: float) -> int:
    """Throttle retries of one event within ``window`` seconds (backoff 1 s, doubling, up to 5 min)."""
    waited, fit, wait = 0.0, 0, ASYNC_THROTTLE_FIRST_S
    while waited + wait <= window:
        waited += wait
        fit += 1
        wait = min(wait * 2, ASYNC_THROTTLE_MAX_S)
    return fit
