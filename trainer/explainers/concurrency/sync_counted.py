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
Only when the reclaim time falls inside that second is the second replayed, event by
event, to find the exact fall (:meth:`_Past._last_fall`); with reclaim times of minutes
that hardly ever happens, and a replay looks only at that second's events. Replays are
budgeted all the same (about one per 8,000 requests): past that, the heap loop is faster.
A stack of (peak, second), peaks falling towards the top, finds k without scanning the
seconds.

The results are those of the heap loop, decision by decision: the tests compare both with a
plain model with explicit environments. Where an end time equals its arrival time (a
duration below the float resolution) the counting does not hold, and where the replays'
budget runs out the heap loop is faster: then :func:`run_counted` returns ``None`` so that
the heap loop runs instead.
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
    ts: np.ndarray,
    es: np.ndarray,
    od_limit: list[int],
    seconds: int,
    init: float,
    keep: float,
    replays: int | None = None,
) -> SyncTimes | None:
    """Synchronous calls without provisioned concurrency or caller retries (``keep`` ≥ 1 s).

    ``ts`` are the sorted arrival times, ``es`` the ends (arrival + duration, before any
    init). ``None`` when the shortcuts do not hold or more than ``replays`` seconds would be
    replayed (default: 16 + one per 8,192 requests; see the module docstring).
    """
    if keep < 1.0 or not bool(np.all(es > ts)):
        return None
    ends = np.sort(es)
    # lifted[i]: how many run once request i starts, if every request before it ran warm.
    lifted = np.arange(1, len(ts) + 1) - np.searchsorted(ends, ts, side="right")
    marks = np.arange(seconds + 1, dtype=float)
    arrived = np.searchsorted(ts, marks)  # before each whole second
    bounds = arrived.tolist()
    ended = np.searchsorted(ends, marks, side="right")  # ends up to each whole second
    opening = (arrived - ended).tolist()  # running at each second's start
    past = _Past(
        ts, ends, bounds, ended.tolist(), keep, replays=16 + len(ts) // 8192 if replays is None else replays
    )

    tv, ev, lv = ts.data, es.data, lifted.data  # memoryviews: Python numbers one at a time
    stopping: list[float] = [INF]  # when a correction of -1 stops counting (phantom falls)
    starting: list[float] = [INF]  # when a cold start really ends (phantom rises back)
    stopped, started = past.stopped, past.started  # what left the heaps, in time order
    phantom, soon = 0, INF  # the guess minus the truth; the next time either heap acts
    throttled: list[float] = []
    colds: list[float] = []
    peaks = [0] * seconds
    scale = ScalingBudget()
    throttle, push, pop = throttled.append, heappush, heappop
    for k in range(seconds):
        if soon <= k:
            while stopping[0] <= k:
                stopped.append(pop(stopping))
                phantom -= 1
            while starting[0] <= k:
                started.append(pop(starting))
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
                    stopped.append(pop(stopping))
                    phantom -= 1
                while starting[0] <= t:
                    started.append(pop(starting))
                    phantom += 1
                soon = stopping[0] if stopping[0] < starting[0] else starting[0]
                cap = easy + phantom
            if m <= cap:
                continue
            n = m - phantom  # running once this one starts
            if n <= limit:
                if past.warm(n, t, throttled):
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
        if past.close(k, peak):
            return None
    return SyncTimes(throttled, colds, [], peaks, scale.refused)


class _Past:
    """What the level did in the seconds gone by: enough to tell warm from cold.

    ``opened`` holds the level at each second's start; a stack of (peak, second), peaks
    falling towards the newest, gives the newest second whose peak reached a level: a second
    whose peak is at most a later one's can never be the answer, so it leaves the stack.
    ``stopped`` and ``started`` are the corrections' times as they left the heaps (so in
    time order): with the guessed ends and the throttles they give a second's real events.
    """

    def __init__(
        self, ts: np.ndarray, ends: np.ndarray, bounds: list[int], ended: list[int], keep: float, replays: int
    ) -> None:
        self.ts, self.ends, self.bounds, self.ended, self.keep = ts, ends, bounds, ended, keep
        self.replays_left = replays  # past that, replays would cost more than the heap loop
        self.opened: list[int] = []
        self.tops: list[int] = []  # minus each peak on the stack, so rising (for bisect)
        self.top_seconds: list[int] = []
        self.stopped: list[float] = []
        self.started: list[float] = []

    def close(self, second: int, peak: int) -> bool:
        """Note a finished second's peak; True if the replays have used up their budget."""
        tops = self.tops
        while tops and tops[-1] >= -peak:
            tops.pop()
            self.top_seconds.pop()
        tops.append(-peak)
        self.top_seconds.append(second)
        return self.replays_left < 0

    def warm(self, n: int, t: float, throttled: list[float]) -> bool:
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
        self.replays_left -= 1
        return self._last_fall(n, second, throttled) + self.keep > t

    def _last_fall(self, n: int, second: int, throttled: list[float]) -> float:
        """When the level last fell from ``n`` to ``n - 1``, knowing that it happened in
        (second, second + 1]: that second's events in time order, ends first at equal times.

        The real ends in that second are the guessed ones, less the corrections that stopped
        then (a throttled request's or a cold start's guessed end), plus the cold starts that
        really ended then; the requests that ran are the arrivals less the throttled ones.
        The level falls from n at a time when it is n or more before that time's ends and
        less after them.
        """
        start, stop = float(second), float(second + 1)
        s, b = self.stopped, self.started
        times = np.concatenate(
            (
                self.ends[self.ended[second] : self.ended[second + 1]],
                s[bisect_right(s, start) : bisect_right(s, stop)],
                b[bisect_right(b, start) : bisect_right(b, stop)],
                self.ts[self.bounds[second] : self.bounds[second + 1]],
                throttled[bisect_left(throttled, start) : bisect_left(throttled, stop)],
            )
        )
        sizes = (
            self.ended[second + 1] - self.ended[second],
            bisect_right(s, stop) - bisect_right(s, start),
            bisect_right(b, stop) - bisect_right(b, start),
            self.bounds[second + 1] - self.bounds[second],
        )
        change = np.repeat(np.array([-1, 1, -1, 1, -1]), (*sizes, len(times) - sum(sizes)))
        arrival = np.repeat(np.array([0, 0, 0, 1, 1]), (*sizes, len(times) - sum(sizes)))
        order = np.lexsort((arrival, times))
        times, change, arrival = times[order], change[order], arrival[order]
        after = self.opened[second] + np.cumsum(change)
        # The last event of each group of equal (time, kind): the level after the group.
        last = np.flatnonzero(np.append((times[1:] != times[:-1]) | (arrival[1:] != arrival[:-1]), True))
        after = after[last]
        before = np.concatenate(([self.opened[second]], after[:-1]))
        fell = np.flatnonzero((arrival[last] == 0) & (before >= n) & (after < n))
        return float(times[last[fell[-1]]]) if len(fell) else -INF
