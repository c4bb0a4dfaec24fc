"""The counting loop for synchronous calls: the same decisions as explicit environments.

``run_counted`` never holds the environments; it counts them and corrects the count for
throttles and cold starts, and tells warm from cold by the seconds' peaks, replaying a second
when that is not enough. Each case here is checked request by request (and peak by peak)
against a plain model that does hold them. Short idle reclaim times make the replays common.
"""

from __future__ import annotations

import numpy as np
import pytest

from trainer.explainers.concurrency.durations import DurationDist, draw_durations
from trainer.explainers.concurrency.sync_counted import run_counted
from trainer.explainers.traffic import Load, LoadKind, arrival_times, steady


def explicit_environments(ts, es, limits, init, keep):
    """One request at a time with a list of environments (the most recently freed is reused).

    Returns the throttled and cold arrival times and each second's peak.
    """
    free: list[float] = []  # when each environment finishes (or finished)
    throttled, cold = [], []
    peaks = [0] * len(limits)
    window, made, second = -1, 0, -1
    for t, e in zip(ts, es, strict=True):
        while second < int(t):  # the seconds up to this arrival start with what is running then
            second += 1
            peaks[second] = sum(1 for f in free if f > second)
        free = [f for f in free if f > t or f + keep > t]
        running = sum(1 for f in free if f > t)
        if running >= limits[second]:
            throttled.append(t)
            continue
        idle = [f for f in free if f <= t]
        if idle:
            free.remove(max(idle))
            free.append(e)
        else:
            if int(t // 10) != window:
                window, made = int(t // 10), 0
            if made >= 1000:
                throttled.append(t)
                continue
            made += 1
            free.append(e + init)
            cold.append(t)
        peaks[second] = max(peaks[second], running + 1)
    for s in range(second + 1, len(limits)):
        peaks[s] = sum(1 for f in free if f > s)
    return throttled, cold, peaks


CASES = [
    # traffic, mean ms, distribution, limit, keep s, init ms, seconds, seed
    (steady(200), 100, DurationDist.EXPONENTIAL, 20, 300.0, 300, 40, 1),
    (
        Load(LoadKind.SPIKE, level=5, peak=300, start_s=10, length_s=5),
        200,
        DurationDist.LOGNORMAL,
        40,
        1.0,
        400,
        40,
        2,
    ),
    (Load(LoadKind.WAVE, level=2, peak=80), 150, DurationDist.LOGNORMAL, 1000, 2.0, 1500, 60, 3),
    (Load(LoadKind.WAVE, level=0, peak=400), 50, DurationDist.FIXED, 15, 1.0, 2000, 60, 4),
    (Load(LoadKind.RAMP, level=0, peak=600), 300, DurationDist.EXPONENTIAL, 1000, 1.5, 50, 40, 5),
    (
        Load(LoadKind.SPIKE, level=20, peak=60, start_s=5, length_s=3),
        1000,
        DurationDist.EXPONENTIAL,
        1000,
        3.0,
        5000,
        30,
        6,
    ),
    (steady(30), 20, DurationDist.LOGNORMAL, 1, 1.0, 0, 120, 7),
    (steady(1050), 1000, DurationDist.FIXED, 5000, 300.0, 0, 11, 8),  # the scaling rate throttles
]


@pytest.mark.parametrize("traffic,ms,dist,limit,keep,init_ms,seconds,seed", CASES)
def test_counted_loop_matches_explicit_environments(traffic, ms, dist, limit, keep, init_ms, seconds, seed):
    rng = np.random.default_rng(seed)
    ts = arrival_times(traffic.per_second(seconds), rng)
    es = ts + draw_durations(dist, ms, ms * 4, len(ts), rng)
    limits = [limit] * seconds
    if seed % 2:  # a neighbour takes most of the limit for a while
        limits[seconds // 3 : seconds // 2] = [max(limit // 4, 1)] * (seconds // 2 - seconds // 3)
    got = run_counted(ts, es, limits, seconds, init_ms / 1000, keep, replays=len(ts))
    assert got is not None
    throttled, cold, peaks = explicit_environments(ts.tolist(), es.tolist(), limits, init_ms / 1000, keep)
    assert got.throttled == throttled
    assert got.colds == cold
    assert got.peaks == peaks
    assert got.on_pc == []


def test_too_many_replays_are_left_to_the_heap_loop():
    """One-second idle reclaim under a wave: many seconds to replay, more than a budget of 2."""
    rng = np.random.default_rng(2)
    ts = arrival_times(Load(LoadKind.WAVE, level=0, peak=300, period_s=7).per_second(60), rng)
    es = ts + draw_durations(DurationDist.EXPONENTIAL, 200, 0, len(ts), rng)
    assert run_counted(ts, es, [1000] * 60, 60, 0.3, 1.0, replays=len(ts)) is not None
    assert run_counted(ts, es, [1000] * 60, 60, 0.3, 1.0, replays=2) is None


def test_an_end_at_its_own_arrival_is_left_to_the_heap_loop():
    ts = np.array([0.5, 1.5])
    assert run_counted(ts, ts.copy(), [1, 1, 1], 3, 0.3, 300.0) is None
