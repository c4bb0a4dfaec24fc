"""``simulate``: run a stream event source mapping over a whole stream and summarise it.

Records are written to every shard at the same steady rate, evenly spaced, and spread over
the shard's partition keys in turn. All shards but the first are alike (same arrivals, no
failures), so one of them is simulated and counted ``shards − 1`` times; the first shard is
simulated on its own because it is the one that receives the poison record. Lanes of a shard
are independent (see ``lanes``), so the concurrency at any moment is the sum over lanes.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from trainer.explainers.budget import DEFAULT_BUDGET, WorkBudget
from trainer.explainers.streams.lanes import LaneRun, run_lane
from trainer.explainers.streams.results import StreamResult, StreamSeries, StreamSummary
from trainer.explainers.streams.settings import StreamSettings


def shard_arrivals(s: StreamSettings) -> np.ndarray:
    """Arrival times of one shard's records: evenly spaced at the per-shard rate."""
    if s.records_per_second <= 0:
        return np.zeros(0)
    count = math.ceil(s.records_per_second * s.seconds)
    return np.arange(count, dtype=np.float64) / s.records_per_second


def lane_of(s: StreamSettings, count: int) -> np.ndarray:
    """Which lane each record of a shard goes to: its partition key (taken in turn) mod the factor."""
    return (np.arange(count) % s.partition_keys) % s.parallelization_factor


def simulate(settings: StreamSettings, budget: WorkBudget = DEFAULT_BUDGET) -> StreamResult:
    settings.validate(budget)
    s = settings
    arrivals = shard_arrivals(s)
    lanes = lane_of(s, len(arrivals))
    poison_record: int | None = None
    if s.poison_at_s is not None:
        at = int(np.searchsorted(arrivals, s.poison_at_s, side="left"))
        poison_record = at if at < len(arrivals) else None
    # (weight, lane run, lane arrivals) for every distinct lane simulated.
    runs: list[tuple[int, LaneRun, np.ndarray]] = []
    poison_run: LaneRun | None = None
    clean_shards = s.shards - (1 if poison_record is not None else 0)
    for lane in range(s.lanes_per_shard):
        mine = np.flatnonzero(lanes == lane)
        times = arrivals[mine]
        if clean_shards:
            runs.append((clean_shards, run_lane(times, None, s), times))
        if poison_record is not None:
            local = int(np.searchsorted(mine, poison_record))
            has_it = local < len(mine) and mine[local] == poison_record
            run = run_lane(times, local if has_it else None, s)
            runs.append((1, run, times))
            if has_it:
                poison_run = run
    return _result(s, runs, poison_run, len(arrivals))


def _result(
    s: StreamSettings, runs: list[tuple[int, LaneRun, np.ndarray]], poison_run: LaneRun | None, per_shard: int
) -> StreamResult:
    seconds = s.seconds
    series = StreamSeries(
        concurrency_peak=_concurrency(runs, seconds),
        iterator_age_s=_per_second_max([(r.starts, r.ages) for _, r, _ in runs], seconds),
        oldest_wait_s=_per_second_max([(r.starts, r.waits) for _, r, _ in runs], seconds),
        written=_per_second([(s.shards, shard_arrivals(s), None)], seconds),
        processed=_per_second(
            [(w, np.asarray(r.done_times), np.asarray(r.done_counts)) for w, r, _ in runs], seconds
        ),
        discarded=_per_second(
            [(w, np.asarray(r.dropped_times), np.asarray(r.dropped_counts)) for w, r, _ in runs], seconds
        ),
        failed_invocations=_per_second(
            [(w, np.asarray(r.starts)[np.asarray(r.failed, dtype=bool)], None) for w, r, _ in runs], seconds
        ),
        backlog=np.zeros(seconds),
    )
    backlog = np.cumsum(series.written) - np.cumsum(series.processed) - np.cumsum(series.discarded)
    series = replace(series, backlog=np.maximum(backlog, 0))
    processed = sum(w * sum(r.done_counts) for w, r, _ in runs)
    discarded = sum(w * sum(r.dropped_counts) for w, r, _ in runs)
    summary = StreamSummary(
        max_concurrency=int(series.concurrency_peak.max(initial=0)),
        concurrency_limit=s.max_concurrency,
        max_iterator_age_s=max((max(r.ages, default=0.0) for _, r, _ in runs), default=0.0),
        max_record_wait_s=max((max(r.waits, default=0.0) for _, r, _ in runs), default=0.0),
        records_written=s.shards * per_shard,
        records_processed=int(processed),
        records_to_destination=int(discarded) if s.on_failure_destination else 0,
        records_discarded=int(discarded),
        invocations=sum(w * len(r.starts) for w, r, _ in runs),
        failed_invocations=sum(w * sum(r.failed) for w, r, _ in runs),
        batches_retried=sum(w * sum(r.retried) for w, r, _ in runs),
        backlog_at_end=int(s.shards * per_shard - processed - discarded),
        poison_invocations=_poison_invocations(poison_run),
        poison_discarded_at_s=_poison_time(poison_run),
    )
    lane: tuple[tuple[float, float, int, int, bool], ...] = ()
    if poison_run is not None:
        lane = tuple(
            zip(
                poison_run.starts,
                poison_run.ends,
                poison_run.firsts,
                poison_run.stops,
                poison_run.failed,
                strict=True,
            )
        )
    return StreamResult(settings=s, summary=summary, series=series, poison_lane=lane)


def _poison_invocations(run: LaneRun | None) -> int | None:
    """Invocations from the first one holding the poison record to the one after which it went."""
    if run is None or run.poison_dropped_at is None:
        return None
    first = next((i for i, bad in enumerate(run.failed) if bad), None)
    if first is None:  # discarded for its age before it was ever sent
        return 0
    return run.poison_dropped_at - first + 1


def _poison_time(run: LaneRun | None) -> float | None:
    return None if run is None else run.poison_dropped_s


def _per_second(parts: list[tuple[int, np.ndarray, np.ndarray | None]], seconds: int) -> np.ndarray:
    """Sum weighted counts (1 each when counts is None) into one bucket per second."""
    out = np.zeros(seconds)
    for weight, times, counts in parts:
        if len(times) == 0:
            continue
        index = np.floor(times).astype(np.int64)
        keep = (index >= 0) & (index < seconds)
        values = np.ones(len(times)) if counts is None else counts.astype(np.float64)
        np.add.at(out, index[keep], weight * values[keep])
    return out


def _concurrency(runs: list[tuple[int, LaneRun, np.ndarray]], seconds: int) -> np.ndarray:
    """Most invocations running at once in each second, from every start (+w) and end (−w)."""
    times = np.concatenate(
        [np.asarray(r.starts + r.ends, dtype=np.float64) for _, r, _ in runs] or [np.zeros(0)]
    )
    deltas = np.concatenate(
        [np.r_[np.full(len(r.starts), w), np.full(len(r.ends), -w)] for w, r, _ in runs] or [np.zeros(0)]
    )
    peak = np.zeros(seconds)
    if len(times) == 0:
        return peak
    order = np.lexsort((deltas, times))  # at a tie, ends (negative) come before starts
    times, level = times[order], np.cumsum(deltas[order])
    index = np.floor(times).astype(np.int64)
    keep = index < seconds
    np.maximum.at(peak, index[keep], level[keep])
    before = np.searchsorted(times, np.arange(seconds), side="left") - 1
    carried = np.where(before >= 0, level[np.maximum(before, 0)], 0)
    return np.maximum(peak, carried)


def _per_second_max(parts: list[tuple[list[float], list[float]]], seconds: int) -> np.ndarray:
    """The largest value in each second from (times, values) pairs; NaN for seconds without one."""
    out = np.full(seconds, np.nan)
    for times, values in parts:
        if not times:
            continue
        index = np.floor(np.asarray(times)).astype(np.int64)
        keep = index < seconds
        np.fmax.at(out, index[keep], np.asarray(values)[keep])
    return out
