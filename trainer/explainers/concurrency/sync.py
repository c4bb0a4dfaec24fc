"""Synchronous calls without caller retries: the fast path, one pass over the requests.

Without provisioned concurrency, and with idle environments kept at least
:data:`COUNTED_MIN_KEEP_S` (nearly every run), the loop of :mod:`~.sync_counted` does it: it
counts how many are running from sorted end times instead of keeping them in a heap.
Otherwise, and in the rare runs where that loop's shortcuts do not hold, the heap loop here
does: requests arrive in time order; each pops the environments that have
finished (heaps of end times, one for provisioned, one for on-demand), takes a provisioned
one if one is free, else checks the limit, finds out whether an idle environment is left
(one list lookup, see :func:`~trainer.explainers.concurrency.environments.reclaim_times`) or
a new one is needed, and pushes its own end time. The tests check both loops request by
request against a plain model with explicit environments, and against the general
(retrying) loop.

End times (arrival + duration) are added up front by numpy, and the loops read arrivals and
end times through ``memoryview``: Python floats are made one at a time as the loop needs them,
instead of two lists of 600,000 up front (``tolist`` alone took a quarter of the time).
"""

from __future__ import annotations

from heapq import heappop, heappush

import numpy as np

from trainer.explainers.concurrency.environments import INF, ScalingBudget, reclaim_times
from trainer.explainers.concurrency.raw_run import RawRun
from trainer.explainers.concurrency.settings import PlaygroundSettings
from trainer.explainers.concurrency.sync_counted import SyncTimes, run_counted

# Below this idle reclaim time the counting loop would replay seconds too often to be faster
# (it tells warm from cold by the seconds' peaks); the heap loop keeps the exact record.
COUNTED_MIN_KEEP_S = 30.0


def run_sync(
    s: PlaygroundSettings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int], rng: np.random.Generator
) -> RawRun:
    """Synchronous calls without caller retries: the fast path (one pass, no retry queue)."""
    init, keep = s.init_ms / 1000.0, s.idle_reclaim_s
    ts = np.ascontiguousarray(ts, dtype=float)
    es = ts + ds  # the same sums Python would make: IEEE addition either way
    counted = not s.provisioned and keep >= COUNTED_MIN_KEEP_S
    times = run_counted(ts, es, od_limit, s.seconds, init, keep) if counted else None
    if times is None:
        times = _run_heaps(s, ts, es, od_limit)
    return _raw_run(s, ts, ds, es, times, rng)


def _run_heaps(s: PlaygroundSettings, ts: np.ndarray, es: np.ndarray, od_limit: list[int]) -> SyncTimes:
    """The heap loop: per request, pop finished environments from the busy heaps (noting
    when each was freed, see :func:`reclaim_times`), then provisioned if one is free, else the
    limit check, else an idle on-demand environment, else a cold start if the scaling rate
    allows it. Only times are recorded in the loop; numpy maps them back to request indexes
    after."""
    seconds, pc, init, keep = s.seconds, s.provisioned, s.init_ms / 1000.0, s.idle_reclaim_s
    tv, ev = ts.data, es.data  # memoryviews: iterating yields Python floats one at a time
    bounds = np.searchsorted(ts, np.arange(seconds + 1)).tolist()
    # freed[L + 1]: when the environment freed at the last fall from level L was freed; it is
    # reclaimed ``keep`` later (reclaim_times less ``keep``, added where it is read, shifted by
    # one so that the index is the heap's length before the pop: running + the sentinel).
    busy, pcb, freed = [INF], [INF], [-INF, *reclaim_times(od_limit)]
    throttled: list[float] = []
    colds: list[float] = []
    on_pc: list[float] = []
    peaks = [0] * seconds
    scale = ScalingBudget()
    for k in range(seconds):
        while busy[0] <= k:
            freed[len(busy) + 1] = heappop(busy)  # (the pop runs before the len)
        while pcb[0] <= k:
            heappop(pcb)
        peak, limit = len(busy) + len(pcb) - 2, od_limit[k]
        lo, hi = bounds[k], bounds[k + 1]
        for t, e in zip(tv[lo:hi], ev[lo:hi], strict=True):
            while busy[0] <= t:
                freed[len(busy) + 1] = heappop(busy)
            if pc:
                while pcb[0] <= t:
                    heappop(pcb)
                if len(pcb) <= pc:
                    heappush(pcb, e)
                    on_pc.append(t)
                    if len(pcb) + len(busy) - 2 > peak:
                        peak = len(pcb) + len(busy) - 2
                    continue
            n = len(busy)  # on-demand running + 1 (the sentinel) = running after this one
            if n > limit:
                throttled.append(t)
                continue
            if freed[n + 1] + keep > t:  # an idle environment at this level, not yet reclaimed
                heappush(busy, e)
            else:
                if not scale.take(t):
                    throttled.append(t)
                    continue
                heappush(busy, e + init)
                colds.append(t)
            if n + pc > peak:  # provisioned ones are all busy when we get here
                peak = n + pc
        peaks[k] = peak
    return SyncTimes(throttled, colds, on_pc, peaks, scale.refused)


def _raw_run(
    s: PlaygroundSettings,
    ts: np.ndarray,
    ds: np.ndarray,
    es: np.ndarray,
    times: SyncTimes,
    rng: np.random.Generator,
) -> RawRun:
    """Map the recorded times back to requests (arrival times are sorted and distinct)."""
    init = s.init_ms / 1000.0
    colds, on_pc = times.colds, times.on_pc
    throttle_times = np.asarray(times.throttled, dtype=float)
    ok = np.ones(len(ts), dtype=bool)
    ok[np.searchsorted(ts, throttle_times)] = False
    starts, billed, ends = ts[ok], ds[ok], es[ok]
    cold = np.zeros(len(starts), dtype=bool)
    cold[np.searchsorted(starts, colds)] = True
    ends[cold] += init  # x + 0.0 == x, so this equals adding init × cold to every end
    pcm = np.zeros(len(starts), dtype=bool)
    if on_pc:
        pcm[np.searchsorted(starts, on_pc)] = True
    errors = int(np.count_nonzero(rng.random(len(starts)) < s.error_rate)) if s.error_rate else 0
    return RawRun(
        starts=starts,
        ends=ends,
        billed=billed,
        on_pc=pcm,
        cold=cold,
        throttle_times=throttle_times,
        peaks=times.peaks,
        added_latency=np.full(len(colds), init),
        latency_count=len(starts),
        scaling_throttled=times.scaling_throttled,
        errors=errors,
    )
