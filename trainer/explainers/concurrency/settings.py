"""The playground's settings: one record of everything a run depends on, and its checks.

The record is frozen and hashable so that the page can cache runs by it; :meth:`canonical`
resets the fields that cannot matter (the SQS options of a synchronous function, say) so that
settings which simulate the same thing also cache the same. :meth:`problems` lists every reason
AWS (or this simulator) would refuse the settings, worded like AWS's own error where there is
one, so the page and the command can show them all at once instead of a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

import numpy as np

from trainer.explainers.budget import DEFAULT_BUDGET, WorkBudget
from trainer.explainers.concurrency.durations import DurationDist, lognormal_params
from trainer.explainers.concurrency.limits import (
    DEFAULT_ACCOUNT_LIMIT,
    MAX_ACCOUNT_LIMIT,
    MAX_ARRIVALS,
    MAX_BATCH_SIZE,
    MAX_BATCHING_WINDOW_S,
    MAX_CALLER_RETRIES,
    MAX_DURATION_MS,
    MAX_EVENT_AGE_S,
    MAX_INIT_MS,
    MAX_MEMORY_MB,
    MAX_RATE,
    MAX_RETRY_ATTEMPTS,
    MAX_SECONDS,
    MAX_SEED,
    MIN_EVENT_AGE_S,
    MIN_MEMORY_MB,
    MIN_UNRESERVED,
    SQS_MAX_BATCHES,
)
from trainer.explainers.concurrency.work import playground_work
from trainer.explainers.traffic import Load, SimulationError, steady


class Invocation(StrEnum):
    SYNC = "sync"
    ASYNC = "async"
    SQS = "sqs"

    @property
    def label(self) -> str:
        return {"sync": "Synchronous", "async": "Asynchronous", "sqs": "SQS event source"}[self.value]


@dataclass(frozen=True)
class PlaygroundSettings:
    """Everything the simulation depends on. Times in the unit their name says."""

    traffic: Load = field(default_factory=lambda: steady(100.0))
    seconds: int = 600
    seed: int = 1
    # The function.
    duration_ms: float = 100.0
    duration_dist: DurationDist = DurationDist.EXPONENTIAL
    duration_p99_ms: float = 0.0  # lognormal only; 0 means 3 × the mean
    memory_mb: int = 1_024
    init_ms: float = 300.0
    idle_reclaim_s: float = 300.0
    # Limits.
    account_limit: int = DEFAULT_ACCOUNT_LIMIT
    other_load: Load = field(default_factory=lambda: steady(0.0))
    reserved: int | None = None
    provisioned: int = 0
    # How it is invoked.
    invocation: Invocation = Invocation.SYNC
    caller_retries: int = 0
    error_rate: float = 0.0
    max_event_age_s: int = MAX_EVENT_AGE_S
    max_retry_attempts: int = MAX_RETRY_ATTEMPTS
    batch_size: int = 10
    batching_window_s: int = 0
    max_concurrency: int | None = None  # SQS ScalingConfig.MaximumConcurrency

    def with_(self, **changes: Any) -> PlaygroundSettings:
        return replace(self, **changes)

    def canonical(self) -> PlaygroundSettings:
        """These settings with every field that cannot matter reset to its default.

        Two settings that simulate the same thing compare (and cache) equal: the p99 of a
        non-lognormal duration, the SQS options of a synchronous function, and so on.
        """
        d = PlaygroundSettings()
        inv = self.invocation
        lognormal = self.duration_dist is DurationDist.LOGNORMAL
        return replace(
            self,
            traffic=self.traffic.canonical(),
            other_load=self.other_load.canonical(),
            duration_p99_ms=self.p99_ms if lognormal else d.duration_p99_ms,
            caller_retries=self.caller_retries if inv is Invocation.SYNC else d.caller_retries,
            error_rate=self.error_rate if inv is not Invocation.SQS else d.error_rate,
            max_event_age_s=self.max_event_age_s if inv is Invocation.ASYNC else d.max_event_age_s,
            max_retry_attempts=(self.max_retry_attempts if inv is Invocation.ASYNC else d.max_retry_attempts),
            batch_size=self.batch_size if inv is Invocation.SQS else d.batch_size,
            batching_window_s=(self.batching_window_s if inv is Invocation.SQS else d.batching_window_s),
            max_concurrency=self.max_concurrency if inv is Invocation.SQS else d.max_concurrency,
        )

    @property
    def p99_ms(self) -> float:
        return self.duration_p99_ms or 3.0 * self.duration_ms

    def function_limit(self) -> np.ndarray:
        """Concurrency this function may use in each second (reserved, or what others leave)."""
        if self.reserved is not None:
            return np.full(self.seconds, self.reserved, dtype=np.int64)
        free = self.account_limit - np.ceil(self.other_use())
        return np.maximum(free, self.provisioned).astype(np.int64)

    def other_use(self) -> np.ndarray:
        """Concurrency the other functions use each second (they cannot touch our reserve)."""
        ceiling = self.account_limit - (self.reserved or 0)
        return np.clip(self.other_load.per_second(self.seconds), 0, ceiling)

    def problems(self, budget: WorkBudget = DEFAULT_BUDGET) -> list[str]:
        """Every reason AWS (or this simulator) would refuse these settings; [] when fine.

        The work budget is checked last, on settings that are otherwise fine: a run too large
        for it is refused before it starts (``work.py``).
        """
        out = [
            *_check_run(self),
            *_check_function(self),
            *_check_limits(self),
            *_check_invocation(self),
        ]
        return out or budget.problems(playground_work(self))

    def validate(self, budget: WorkBudget = DEFAULT_BUDGET) -> None:
        problems = self.problems(budget)
        if problems:
            raise SimulationError("\n".join(problems), problems)


def _bad_number(value: object) -> bool:
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _check_run(s: PlaygroundSettings) -> list[str]:
    out = []
    if _bad_number(s.seconds) or s.seconds != int(s.seconds) or not 1 <= s.seconds <= MAX_SECONDS:
        out.append(f"Simulated time must be 1 to {MAX_SECONDS:,} seconds (one day); got {s.seconds}.")
    if _bad_number(s.seed) or s.seed != int(s.seed) or not 0 <= s.seed <= MAX_SEED:
        out.append(f"Seed must be a whole number from 0 to {MAX_SEED:,}; got {s.seed}.")
    out += s.traffic.problems("Request rate", "requests/s", MAX_RATE)
    if not out:
        expected = float(np.sum(s.traffic.per_second(s.seconds)))
        if expected > MAX_ARRIVALS:
            out.append(
                f"That is about {expected:,.0f} requests to simulate; keep it under "
                f"{MAX_ARRIVALS:,} by lowering the rate or the simulated time."
            )
    return out


def _check_function(s: PlaygroundSettings) -> list[str]:
    out = []
    if _bad_number(s.duration_ms) or not 0 < s.duration_ms <= MAX_DURATION_MS:
        out.append(
            f"Duration must be more than 0 and at most {MAX_DURATION_MS:,} ms "
            f"(the 15-minute timeout); got {s.duration_ms}."
        )
    elif s.duration_dist is DurationDist.LOGNORMAL:
        try:
            lognormal_params(s.duration_ms, s.p99_ms)
        except SimulationError as exc:
            out.append(str(exc))
    if _bad_number(s.memory_mb) or not MIN_MEMORY_MB <= s.memory_mb <= MAX_MEMORY_MB:
        out.append(f"MemorySize must be between {MIN_MEMORY_MB} and {MAX_MEMORY_MB:,} MB; got {s.memory_mb}.")
    if _bad_number(s.init_ms) or not 0 <= s.init_ms <= MAX_INIT_MS:
        out.append(f"Cold-start init time must be 0 to {MAX_INIT_MS:,} ms; got {s.init_ms}.")
    if _bad_number(s.idle_reclaim_s) or not 1 <= s.idle_reclaim_s <= MAX_SECONDS:
        out.append(f"Idle environments must be kept 1 to {MAX_SECONDS:,} seconds; got {s.idle_reclaim_s}.")
    return out


def _check_limits(s: PlaygroundSettings) -> list[str]:
    out = []
    if _bad_number(s.account_limit) or not MIN_UNRESERVED <= s.account_limit <= MAX_ACCOUNT_LIMIT:
        return [
            f"Account concurrency limit must be {MIN_UNRESERVED} to "
            f"{MAX_ACCOUNT_LIMIT:,}; got {s.account_limit}."
        ]
    out += s.other_load.problems("Other functions' concurrency", "", math.inf)
    if s.other_load.maximum() > s.account_limit:
        out.append(
            f"Other functions can't use more than the account limit "
            f"({s.account_limit:,}); lower their concurrency."
        )
    most = s.account_limit - MIN_UNRESERVED
    if s.reserved is not None:
        if _bad_number(s.reserved) or s.reserved < 0:
            out.append(f"ReservedConcurrentExecutions must be 0 or more; got {s.reserved}.")
        elif s.reserved > most:
            out.append(
                f"Specified ReservedConcurrentExecutions for function ({s.reserved}) decreases "
                f"account's UnreservedConcurrentExecution below its minimum value of "
                f"[{MIN_UNRESERVED}]. With an account limit of {s.account_limit:,}, reserve at "
                f"most {most:,}, or raise the account limit."
            )
    if _bad_number(s.provisioned) or s.provisioned < 0:
        out.append(f"ProvisionedConcurrentExecutions must be 0 or more; got {s.provisioned}.")
    elif s.reserved is not None and 0 <= s.reserved < s.provisioned:
        out.append(
            f"Requested ProvisionedConcurrentExecutions ({s.provisioned}) should not be greater "
            f"than the reservedConcurrentExecution for function ({s.reserved}). Lower "
            f"provisioned concurrency to {s.reserved} or less, or raise reserved concurrency."
        )
    elif s.reserved is None and s.provisioned > most:
        out.append(
            f"Provisioned concurrency ({s.provisioned}) must leave at least "
            f"{MIN_UNRESERVED} of the account limit unreserved; use at most {most:,}."
        )
    return out


def _check_invocation(s: PlaygroundSettings) -> list[str]:
    out = []
    if _bad_number(s.error_rate) or not 0 <= s.error_rate <= 1:
        out.append(f"Error rate must be between 0 and 1 (a share); got {s.error_rate}.")
    if s.invocation is Invocation.SYNC:
        if _bad_number(s.caller_retries) or not 0 <= s.caller_retries <= MAX_CALLER_RETRIES:
            out.append(f"Caller retries must be 0 to {MAX_CALLER_RETRIES}; got {s.caller_retries}.")
    elif s.invocation is Invocation.ASYNC:
        age = s.max_event_age_s
        if _bad_number(age) or not MIN_EVENT_AGE_S <= age <= MAX_EVENT_AGE_S:
            out.append(
                f"MaximumEventAgeInSeconds must be between {MIN_EVENT_AGE_S} and "
                f"{MAX_EVENT_AGE_S:,} (1 minute to 6 hours); got {age}."
            )
        tries = s.max_retry_attempts
        if _bad_number(tries) or not 0 <= tries <= MAX_RETRY_ATTEMPTS:
            out.append(f"MaximumRetryAttempts must be between 0 and {MAX_RETRY_ATTEMPTS}; got {tries}.")
    else:
        out += _check_sqs(s)
    return out


def _check_sqs(s: PlaygroundSettings) -> list[str]:
    out = []
    if _bad_number(s.batch_size) or not 1 <= s.batch_size <= MAX_BATCH_SIZE:
        out.append(f"BatchSize must be between 1 and {MAX_BATCH_SIZE:,}; got {s.batch_size}.")
    window = s.batching_window_s
    if _bad_number(window) or window != int(window) or not 0 <= window <= MAX_BATCHING_WINDOW_S:
        out.append(
            f"MaximumBatchingWindowInSeconds must be a whole number from 0 to "
            f"{MAX_BATCHING_WINDOW_S}; got {window}."
        )
    elif s.batch_size > 10 and window < 1:
        out.append(
            "Maximum batch window in seconds must be greater than 0 if maximum batch "
            f"size is greater than 10 (BatchSize is {s.batch_size}): set "
            "MaximumBatchingWindowInSeconds to 1 or more, or BatchSize to 10 or less."
        )
    cap = s.max_concurrency
    if cap is not None and (_bad_number(cap) or not 2 <= cap <= SQS_MAX_BATCHES):
        out.append(f"ScalingConfig MaximumConcurrency must be between 2 and {SQS_MAX_BATCHES:,}; got {cap}.")
    return out
