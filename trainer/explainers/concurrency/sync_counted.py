"""Synchronous calls without provisioned concurrency: the number running counted, not heaped.

The heap loop (:mod:`~.sync`) keeps the running environments as a heap of end times, and
sifting that heap for every request was most of a run's time. This loop keeps no
environments. It starts from a guess that is right for nearly every request, "every request
before this one ran, warm": then how many are running once request i starts is i + 1 minus
the requests that ended by its arrival, and numpy gives that for all requests at once (one
sort and one ``searchsorted``). The loop only corrects the guess for the exceptions:

* a throttled request never ran, so the guess counts one too many from its arrival until the
  end it would have had;
* a cold start ends ``init`` later than the guess says, so the guess counts one too few from
  its would-be end until its real end.

Two small heaps hold the times when a correction stops, and ``phantom`` is the sum of the
corrections in force. A request that is accepted warm, nearly every one, costs the loop two
comparisons and no record at all. For the benchmark's 600,000 requests at 1,000/s against a
limit of 100 (8 % throttled) that is about half the heap loop's time, numpy's part included.

Warm or cold, without recording every fall of the level
-------------------------------------------------------
With the most recently freed environment reused first, a request that lifts the level to n
starts warm iff the environment freed at the last fall from n to n − 1 is not yet reclaimed
(see :func:`~.environments.reclaim_times`). The heap loop records that fall's time for every
level; this loop answers from the seconds instead. In a second where the level has already
been at n or above, it is warm (the fall came later, less than a second ago, and
``idle_reclaim_s`` is at least 1 s). Otherwise the last second whose peak reached n is k, and
the fall came in (k, k + 1]: warm if k + keep is still ahead, cold if k + 1 + keep is not.
Only when the reclaim time falls inside that second is the second replayed, request by
request, to find the exact fall (:meth:`_Past._last_fall`); with reclaim times of minutes
that hardly ever happens, and a replay looks only at the requests that can end in that
second. A stack of (peak, second), peaks falling towards the
top, finds k without scanning the seconds.

The results are those of the heap loop, decision by decision: the tests compare both with a
plain model with explicit environments. Where an end time equals its arrival time (a
duration below the float resolution), or a replay meets two equal arrival times, the
shortcuts do not hold, and :func:`run_counted` returns ``None`` so that the heap loop runs
instead.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from heapq import heappop, heappush

import numpy as np

from trainer.explainers.concurrency.environments import INF, ScalingBudget


@dataclass
class SyncTimes:
    """What a synchronous loop decided, as times (sorted): enough to build the raw record."""

    throttled: list[float]
    colds: list[float]
    on_pc: list[float]
    peaks: list[int]
    scaling_throttled: int


def run_counted(
    ts: np.ndarray, es: np.ndarray, od_limit: list[int], seconds: int, init: float, keep: float
) -> SyncTimes | None:
    """Synchronous calls without provisioned concurrency or caller retries (``keep`` ≥ 1 s).

    ``ts`` are the sorted arrival times, ``es`` the ends (arrival + duration, before any
    init). ``None`` when the shortcuts do not hold (see the module docstring).
    """
    if keep < 1.0 or not bool(np.all(es > ts)):
        return None
    ends = np.sort(es)
    # lifted[i]: how many run once request i starts, if every request before it ran warm.
    lifted = np.arange(1, len(ts) + 1) - np.searchsorted(ends, ts, side="right")
    marks = np.arange(seconds + 1, dtype=float)
    arrived = np.searchsorted(ts, marks)  # before each whole second
    bounds = arrived.tolist()
    opening = (arrived - np.searchsorted(ends, marks, side="right")).tolist()
    past = _Past(ts, es, bounds, init, keep)

    tv, ev, lv = ts.data, es.data, lifted.data  # memoryviews: Python numbers one at a time
    stopping: list[float] = [INF]  # when a correction of -1 stops counting (phantom falls)
    starting: list[float] = [INF]  # when a cold start really ends (phantom rises back)
    phantom, soon = 0, INF  # the guess minus the truth; the next time either heap acts
    throttled: list[float] = []
    colds: list[float] = []
    peaks = [0] * seconds
    scale = ScalingBudget()
    throttle, push, pop = throttled.append, heappush, heappop
    for k in range(seconds):
        if soon <= k:
            while stopping[0] <= k:
                pop(stopping)
                phantom -= 1
            while starting[0] <= k:
                pop(starting)
                phantom += 1
            soon = min(stopping[0], starting[0])
        peak = opening[k] - phantom
        past.opened.append(peak)
        limit = od_limit[k]
        # Up to ``easy`` running is within the limit and warm (see the module docstring), so
        # nothing is to be done: for the guess m, that is m <= easy + phantom.
        easy = min(peak, limit)
        cap = easy + phantom
        lo, hi = bounds[k], bounds[k + 1]
        for t, e, m in zip(tv[lo:hi], ev[lo:hi], lv[lo:hi], strict=True):
            if soon <= t:
                while stopping[0] <= t:
                    pop(stopping)
                    phantom -= 1
                while starting[0] <= t:
                    pop(starting)
                    phantom += 1
                soon = stopping[0] if stopping[0] < starting[0] else starting[0]
                cap = easy + phantom
            if m <= cap:
                continue
            n = m - phantom  # running once this one starts
            if n <= limit:
                if past.warm(n, t, throttled, colds):
                    peak = easy = n
                    cap = m
                    continue
                if scale.take(t):
                    colds.append(t)
                    push(stopping, e)
                    push(starting, e + init)
                    soon = stopping[0] if stopping[0] < starting[0] else starting[0]
                    peak = easy = n
                    cap = m
                    continue
            throttle(t)
            push(stopping, e)
            phantom += 1
            cap += 1
            if e < soon:
                soon = e
        peaks[k] = peak
        past.close(k, peak)
    if past.unsure:
        return None
    return SyncTimes(throttled, colds, [], peaks, scale.refused)


class _Past:
    """What the level did in the seconds gone by: enough to tell warm from cold.

    ``opened`` holds the level at each second's start; a stack of (peak, second), peaks
    falling towards the newest, gives the newest second whose peak reached a level: a second
    whose peak is at most a later one's can never be the answer, so it leaves the stack.
    """

    def __init__(self, ts: np.ndarray, es: np.ndarray, bounds: list[int], init: float, keep: float) -> None:
        self.ts, self.es, self.bounds, self.init, self.keep = ts, es, bounds, init, keep
        self.opened: list[int] = []
        self.tops: list[int] = []  # minus each peak on the stack, so rising (for bisect)
        self.top_seconds: list[int] = []
        self.reach: np.ndarray | None = None  # running maximum of the ends, made when first needed
        self.unsure = False  # a replay met equal arrival times: the caller uses the heap loop

    def close(self, second: int, peak: int) -> None:
        tops = self.tops
        while tops and tops[-1] >= -peak:
            tops.pop()
            self.top_seconds.pop()
        tops.append(-peak)
        self.top_seconds.append(second)

    def warm(self, n: int, t: float, throttled: list[float], colds: list[float]) -> bool:
        """Whether a request at ``t`` that lifts the level to ``n``, above this second's peak,
        finds an idle environment not yet reclaimed (see the module docstring)."""
        i = bisect_right(self.tops, -n) - 1
        if i < 0:
            return False  # never this high: no environment to reuse
        second = self.top_seconds[i]
        if second + self.keep > t:
            return True
        if second + 1 + self.keep <= t:
            return False
        fell = self._last_fall(n, second, throttled, colds)
        if fell is None:
            self.unsure = True
            return False
        return fell + self.keep > t

    def _last_fall(self, n: int, second: int, throttled: list[float], colds: list[float]) -> float | None:
        """When the level last fell from ``n`` to ``n - 1``, knowing that it happened in
        (second, second + 1]: that second replayed request by request.

        ``None`` if two arrival times among the requests looked at are equal (then a time
        does not name one request).
        """
        if self.reach is None:
            self.reach = np.maximum.accumulate(self.es)
        start, stop = float(second), float(second + 1)
        # Requests before ``first`` ended before start - 1 even after an init: not in this second.
        first = int(np.searchsorted(self.reach, start - self.init - 1.0, side="right"))
        last = self.bounds[second + 1]
        times = self.ts[first:last]
        if len(times) > 1 and not bool(np.all(times[1:] > times[:-1])):
            return None
        ran = np.ones(len(times), dtype=bool)
        ends = self.es[first:last].copy()
        if len(times):
            lo = bisect_left(throttled, times[0])
            ran[np.searchsorted(times, throttled[lo : bisect_left(throttled, stop)])] = False
            lo = bisect_left(colds, times[0])
            ends[np.searchsorted(times, colds[lo : bisect_left(colds, stop)])] += self.init
        finished = np.sort(ends[ran & (ends > start) & (ends <= stop)]).tolist()
        began = self.bounds[second] - first
        arrivals = times[began:][ran[began:]].tolist()
        level, fell, a = self.opened[second], None, 0
        for end in finished:
            while a < len(arrivals) and arrivals[a] < end:  # ends at an arrival's time go first
                level += 1
                a += 1
            if level == n:
                fell = end
            level -= 1
        return fell
