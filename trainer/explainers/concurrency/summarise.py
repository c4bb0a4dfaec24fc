"""From the raw record of a run to the result: per-second series, cost, latency, the summary.

Nothing here feeds back into the run, so it is all done afterwards with numpy.
"""

from __future__ import annotations

import math

import numpy as np

from trainer.explainers.concurrency.erlang import erlang_prediction
from trainer.explainers.concurrency.pricing import (
    PC_BILLING_INCREMENT_S,
    PRICE_GB_S,
    PRICE_PC_DURATION_GB_S,
    PRICE_PC_GB_S,
    PRICE_PER_REQUEST,
)
from trainer.explainers.concurrency.raw_run import RawRun
from trainer.explainers.concurrency.results import SimulationResult, Steps, Summary
from trainer.explainers.concurrency.series import backlog_series, mean_in_flight, per_second, queue_series
from trainer.explainers.concurrency.settings import PlaygroundSettings


def summarise(s: PlaygroundSettings, ts: np.ndarray, run: RawRun, limit: np.ndarray) -> SimulationResult:
    """The result of a run: ``ts`` are the arrival times, ``limit`` the function's per second."""
    n = s.seconds
    if run.leave is not None:
        depth, oldest = queue_series(ts, run.leave, n)
    elif run.batch_starts is not None and run.batch_counts is not None:
        depth, oldest = backlog_series(ts, run.batch_starts, run.batch_counts, n)
    else:
        depth, oldest = np.zeros(n), np.zeros(n)
    any_pc = bool(run.on_pc.any())  # without any, skip masking every request twice
    od_cost, pc_cost = _costs(s, run, any_pc)
    steps = Steps(
        arrivals=per_second(ts, n),
        invocations=per_second(run.starts, n),
        concurrency_peak=np.asarray(run.peaks, dtype=float),
        concurrency_mean=mean_in_flight(run.starts, run.ends, n),
        provisioned_in_use=(
            mean_in_flight(run.starts[run.on_pc], run.ends[run.on_pc], n) if any_pc else np.zeros(n)
        ),
        throttles=per_second(run.throttle_times, n),
        cold_starts=per_second(run.starts[run.cold], n),
        queue_depth=depth,
        oldest_age_s=oldest,
        dlq=per_second(np.sort(run.dlq_times), n),
        cost_on_demand=od_cost,
        cost_provisioned=pc_cost,
        limit=limit.astype(float),
        other_load=s.other_use(),
        esm_concurrency=np.asarray(run.esm if run.esm else np.zeros(n), dtype=float),
    )
    return SimulationResult(s, steps, _summary(s, ts, run, steps), run.trace)


def _summary(s: PlaygroundSettings, ts: np.ndarray, run: RawRun, steps: Steps) -> Summary:
    invocations, throttled = len(run.starts), len(run.throttle_times)
    attempts = invocations + throttled
    cold = int(np.count_nonzero(run.cold))
    gb = s.memory_mb / 1024.0
    billed_pc_s = math.ceil(s.seconds / PC_BILLING_INCREMENT_S) * PC_BILLING_INCREMENT_S
    pc_config = s.provisioned * gb * PRICE_PC_GB_S
    pc_usage = float(steps.cost_provisioned.sum()) - pc_config * s.seconds
    od_total = float(steps.cost_on_demand.sum())
    predicted, offered = erlang_prediction(s)
    return Summary(
        arrivals=len(ts),
        invocations=invocations,
        throttled=throttled,
        throttle_fraction=throttled / attempts if attempts else 0.0,
        scaling_throttled=run.scaling_throttled,
        failed=run.failed,
        errors=run.errors,
        dlq=int(steps.dlq.sum()),
        cold_starts=cold,
        cold_start_fraction=cold / invocations if invocations else 0.0,
        peak_concurrency=int(max(run.peaks, default=0)),
        mean_concurrency=float(steps.concurrency_mean.mean()),
        p99_added_latency_ms=1000.0 * _p99(run.added_latency, run.latency_count),
        max_queue_depth=int(steps.queue_depth.max(initial=0)),
        max_oldest_age_s=float(steps.oldest_age_s.max(initial=0)),
        cost_on_demand_usd=od_total,
        cost_provisioned_usd=pc_usage + pc_config * billed_pc_s,
        cost_total_usd=od_total + pc_usage + pc_config * billed_pc_s,
        cost_per_day_usd=(od_total + pc_usage) * 86_400 / s.seconds + pc_config * 86_400,
        erlang_b=predicted,
        offered_load=offered,
    )


def _costs(s: PlaygroundSettings, run: RawRun, any_pc: bool) -> tuple[np.ndarray, np.ndarray]:
    """On-demand and provisioned cost per second (provisioned: configured plus duration)."""
    gb = s.memory_mb / 1024.0
    if not any_pc:
        weights = run.billed * gb  # in place below: PRICE_PER_REQUEST + billed × gb × price
        weights *= PRICE_GB_S
        weights += PRICE_PER_REQUEST
        od_cost = per_second(run.starts, s.seconds, weights)
        return od_cost, np.zeros(s.seconds) + s.provisioned * gb * PRICE_PC_GB_S
    od, pc = ~run.on_pc, run.on_pc
    od_cost = per_second(run.starts[od], s.seconds, PRICE_PER_REQUEST + run.billed[od] * gb * PRICE_GB_S)
    pc_cost = per_second(
        run.starts[pc], s.seconds, PRICE_PER_REQUEST + run.billed[pc] * gb * PRICE_PC_DURATION_GB_S
    )
    return od_cost, pc_cost + s.provisioned * gb * PRICE_PC_GB_S


def _p99(sample: np.ndarray, count: int) -> float:
    """Nearest-rank 99th percentile of ``count`` values: ``sample`` plus zeros for the rest."""
    if count == 0:
        return 0.0
    rank = math.ceil(0.99 * count)  # 1-based
    zeros = count - len(sample)
    if rank <= zeros:
        return 0.0
    return float(np.partition(sample, rank - zeros - 1)[rank - zeros - 1])
