"""The stream simulator's settings: one frozen record of everything a run depends on, and its checks.

The record is hashable so the page can cache runs by it. :meth:`StreamSettings.problems` lists
every reason AWS (or this simulator) would refuse the settings, worded after AWS's own limits,
so the page and the command show them all at once instead of a traceback.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from trainer.explainers.budget import DEFAULT_BUDGET, Work, WorkBudget
from trainer.explainers.streams.limits import (
    DEFAULT_BATCH_SIZE,
    INFINITE,
    MAX_BATCH_SIZE,
    MAX_BATCHING_WINDOW_S,
    MAX_DURATION_MS,
    MAX_PARALLELIZATION,
    MAX_PARTITION_KEYS,
    MAX_RECORD_AGE_S,
    MAX_RECORDS,
    MAX_RECORDS_PER_SHARD_PER_S,
    MAX_RETRY_ATTEMPTS,
    MAX_SECONDS,
    MAX_SHARDS,
    MIN_BATCH_SIZE,
    MIN_PARALLELIZATION,
    MIN_RECORD_AGE_S,
)
from trainer.explainers.traffic import SimulationError


@dataclass(frozen=True)
class StreamSettings:
    """A Kinesis or DynamoDB stream, its event source mapping and the function behind it.

    Times are in the unit their name says. ``records_per_second`` is per shard: producers
    spread records over the shards by partition key, and each shard is read on its own.
    ``duration_ms`` is how long one invocation takes, whatever the batch holds.
    """

    shards: int = 4
    parallelization_factor: int = 1
    records_per_second: float = 100.0  # per shard
    partition_keys: int = 1_000  # distinct partition keys in each shard
    batch_size: int = DEFAULT_BATCH_SIZE
    window_s: int = 0  # MaximumBatchingWindowInSeconds
    duration_ms: float = 200.0
    seconds: int = 300
    poison_at_s: float | None = None  # the first record written to shard 0 at or after this time
    bisect: bool = False  # BisectBatchOnFunctionError
    report_batch_item_failures: bool = False  # FunctionResponseTypes = [ReportBatchItemFailures]
    max_retry_attempts: int = INFINITE
    max_record_age_s: int = INFINITE
    on_failure_destination: bool = True

    def with_(self, **changes: Any) -> StreamSettings:
        return replace(self, **changes)

    @property
    def lanes_per_shard(self) -> int:
        """Batches a shard can have in flight: the factor, unless there are fewer keys than that.

        Lambda keeps records with the same partition key in order, so one key never runs in
        two batches at once; a shard with 3 keys can use at most 3 of a factor of 10.
        """
        return min(self.parallelization_factor, self.partition_keys)

    @property
    def max_concurrency(self) -> int:
        """The most invocations the mapping can run at once: shards × ParallelizationFactor."""
        return self.shards * self.parallelization_factor

    def problems(self, budget: WorkBudget = DEFAULT_BUDGET) -> list[str]:
        """Every reason AWS (or this simulator) would refuse these settings; [] when fine."""
        out = [*_check_stream(self), *_check_mapping(self), *_check_errors(self)]
        if not out:
            out += _check_size(self) or budget.problems(stream_work(self))
        return out

    def validate(self, budget: WorkBudget = DEFAULT_BUDGET) -> None:
        problems = self.problems(budget)
        if problems:
            raise SimulationError("\n".join(problems), problems)


def _whole(value: object, lo: float, hi: float) -> bool:
    """True when value is a whole number (not a bool) within [lo, hi]."""
    if isinstance(value, bool):
        return False
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number == int(number) and lo <= number <= hi


def _real(value: object, lo: float, hi: float) -> bool:
    if isinstance(value, bool):
        return False
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and lo <= number <= hi


def _check_stream(s: StreamSettings) -> list[str]:
    out = []
    if not _whole(s.shards, 1, MAX_SHARDS):
        out.append(f"Shards must be a whole number from 1 to {MAX_SHARDS} here; got {s.shards}.")
    if not _real(s.records_per_second, 0, MAX_RECORDS_PER_SHARD_PER_S):
        out.append(
            f"Records per second per shard must be 0 to {MAX_RECORDS_PER_SHARD_PER_S:,.0f} "
            f"(a Kinesis shard takes at most 1,000 records/s); got {s.records_per_second}."
        )
    if not _whole(s.partition_keys, 1, MAX_PARTITION_KEYS):
        out.append(f"Partition keys per shard must be 1 to {MAX_PARTITION_KEYS:,}; got {s.partition_keys}.")
    if not _whole(s.seconds, 1, MAX_SECONDS):
        out.append(f"Simulated time must be 1 to {MAX_SECONDS:,} seconds (one hour); got {s.seconds}.")
    if not _real(s.duration_ms, 1, MAX_DURATION_MS):
        out.append(
            f"Duration must be 1 to {MAX_DURATION_MS:,} ms (the 15-minute timeout); got {s.duration_ms}."
        )
    return out


def _check_mapping(s: StreamSettings) -> list[str]:
    out = []
    if not _whole(s.parallelization_factor, MIN_PARALLELIZATION, MAX_PARALLELIZATION):
        out.append(
            f"ParallelizationFactor must be between {MIN_PARALLELIZATION} and {MAX_PARALLELIZATION}; "
            f"got {s.parallelization_factor}."
        )
    if not _whole(s.batch_size, MIN_BATCH_SIZE, MAX_BATCH_SIZE):
        out.append(f"BatchSize must be between {MIN_BATCH_SIZE} and {MAX_BATCH_SIZE:,}; got {s.batch_size}.")
    if not _whole(s.window_s, 0, MAX_BATCHING_WINDOW_S):
        out.append(
            f"MaximumBatchingWindowInSeconds must be a whole number from 0 to {MAX_BATCHING_WINDOW_S}; "
            f"got {s.window_s}."
        )
    return out


def _check_errors(s: StreamSettings) -> list[str]:
    out = []
    if s.poison_at_s is not None and not _real(s.poison_at_s, 0, max(0.0, float(s.seconds) - 1e-9)):
        out.append(
            f"The poison record must be written within the run (0 to {s.seconds} s); got {s.poison_at_s}."
        )
    if not (s.max_retry_attempts == INFINITE or _whole(s.max_retry_attempts, 0, MAX_RETRY_ATTEMPTS)):
        out.append(
            f"MaximumRetryAttempts must be -1 (infinite) or 0 to {MAX_RETRY_ATTEMPTS:,}; "
            f"got {s.max_retry_attempts}."
        )
    age = s.max_record_age_s
    if not (age == INFINITE or _whole(age, MIN_RECORD_AGE_S, MAX_RECORD_AGE_S)):
        out.append(
            f"MaximumRecordAgeInSeconds must be -1 (infinite) or {MIN_RECORD_AGE_S} to "
            f"{MAX_RECORD_AGE_S:,} (one week); got {age}."
        )
    return out


def _simulated_records(s: StreamSettings) -> int:
    """The simulator runs one ordinary shard (counted ``shards − 1`` times) and the poisoned one,
    so the work is one or two shards' records and invocations, whatever the shard count."""
    return (1 if s.poison_at_s is None else 2) * math.ceil(s.records_per_second * s.seconds)


def stream_work(s: StreamSettings) -> Work:
    """Invocations the run would simulate, retries included (only once every field is valid).

    Each lane runs one invocation at a time, so retries of a failing batch take the same slots
    as new batches: the run has at most one invocation a record, and at most a lane's time
    divided by the duration (about 5 µs and 400 bytes each, as the playground's attempts).
    """
    simulated = 1 if s.poison_at_s is None else 2
    slots = simulated * s.lanes_per_shard * (s.seconds * 1000.0 / s.duration_ms + 1)
    return Work(
        min(float(_simulated_records(s)), slots),
        "invocations (retries included)",
        ["the records per second", "the simulated time", "the ParallelizationFactor"],
    )


def _check_size(s: StreamSettings) -> list[str]:
    """Keep the records small enough to hold (only once every field is valid)."""
    records = _simulated_records(s)
    if records > MAX_RECORDS:
        return [
            f"That is {records:,} records to simulate; keep it under {MAX_RECORDS:,} by lowering "
            "the rate or the simulated time."
        ]
    return []
