"""Attempts that can come back: synchronous calls with caller retries, and asynchronous events.

New requests merge, in time order, with a heap of retries that are due later. The environment
logic is the fast path's (:mod:`~trainer.explainers.concurrency.sync`); what differs is what
happens after a throttle or a function error:

* a synchronous caller retries a 429 after exponential backoff with full jitter from 100 ms,
  up to ``caller_retries`` times, then gives up;
* Lambda retries a throttled asynchronous event after a backoff that grows from 1 s up to
  5 minutes (doubling each time is this model's choice), and a function error after about 1
  and then 2 minutes, up to ``max_retry_attempts``; an event that runs out of retries or
  passes ``max_event_age_s`` goes to the dead-letter queue / on-failure destination.

This loop can also record a trace of every attempt, which the tests use to check the
documented schedules exactly.
"""

from __future__ import annotations

import random
from heapq import heappop, heappush

import numpy as np

from trainer.explainers.concurrency.environments import INF, ScalingBudget, reclaim_times
from trainer.explainers.concurrency.limits import (
    ASYNC_ERROR_DELAYS_S,
    ASYNC_THROTTLE_FIRST_S,
    ASYNC_THROTTLE_MAX_S,
    CALLER_BACKOFF_FIRST_S,
)
from trainer.explainers.concurrency.raw_run import RawRun
from trainer.explainers.concurrency.settings import Invocation, PlaygroundSettings


def run_retrying(
    s: PlaygroundSettings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int], trace: bool
) -> RawRun:
    """Synchronous calls with caller retries, and asynchronous events: attempts merge with a
    heap of retries that are due later. Same environment logic as the fast path."""
    loop = _RetryLoop(s, ts, ds, od_limit, trace)
    loop.run()
    return loop.result()


class _RetryLoop:
    """State of the retrying simulation; :meth:`attempt` decides one attempt of one request."""

    def __init__(
        self, s: PlaygroundSettings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int], trace: bool
    ) -> None:
        self.s, self.ts, self.ds = s, ts, ds
        self.tsl, self.dsl = ts.tolist(), ds.tolist()
        self.od_limit = od_limit
        self.sync = s.invocation is Invocation.SYNC
        self.init = s.init_ms / 1000.0
        self.busy: list[float] = [INF]
        self.pcb: list[float] = [INF]
        self.gone = reclaim_times(od_limit)
        self.due: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self.scale = ScalingBudget()
        self.rnd = random.Random(s.seed)
        self.started: list[tuple[float, float, float, bool, bool]] = []
        self.throttled: list[float] = []
        self.dlq: list[float] = []
        self.leave = [INF] * len(ts)
        self.delays: list[float] = []
        self.failed = self.errors = 0
        self.peaks = [0] * s.seconds
        self.log: list[tuple[float, int, str]] | None = [] if trace else None

    def run(self) -> None:
        bounds = np.searchsorted(self.ts, np.arange(1, self.s.seconds + 1)).tolist()
        tsl, due, i = self.tsl, self.due, 0
        for k in range(self.s.seconds):
            edge, hi = k + 1.0, bounds[k]
            self._release(float(k))
            self.peak = len(self.busy) + len(self.pcb) - 2
            while True:
                ta = tsl[i] if i < hi else INF
                if due and due[0][0] < ta:
                    if due[0][0] >= edge:
                        break
                    t, _, eid, throttles, errors = heappop(due)
                elif i < hi:
                    t, eid, throttles, errors = ta, i, 0, 0
                    i += 1
                else:
                    break
                self.attempt(t, eid, throttles, errors, self.od_limit[k])
            self.peaks[k] = self.peak

    def _release(self, t: float) -> None:
        busy, gone, keep = self.busy, self.gone, self.s.idle_reclaim_s
        while busy[0] <= t:
            gone[len(busy)] = heappop(busy) + keep
        while self.pcb[0] <= t:
            heappop(self.pcb)

    def _place(self, t: float, limit: int) -> str:
        """Where the attempt runs: "pc", "warm", "cold", or "throttled"/"scaling"."""
        if self.s.provisioned and len(self.pcb) <= self.s.provisioned:
            return "pc"
        level = len(self.busy)  # running after this one starts
        if level > limit:
            return "throttled"
        if self.gone[level] > t:
            return "warm"
        return "cold" if self.scale.take(t) else "scaling"

    def attempt(self, t: float, eid: int, throttles: int, errors: int, limit: int) -> None:
        self._release(t)
        if not self.sync and self.s.reserved == 0:
            self._to_dlq(t, eid, "dlq (reserved concurrency is 0)")
            return
        where = self._place(t, limit)
        if where in ("throttled", "scaling"):
            self.throttled.append(t)
            self._note(t, eid, where)
            self._after_throttle(t, eid, throttles, errors)
            return
        cold = where == "cold"
        end = t + self.dsl[eid] + (self.init if cold else 0.0)
        heappush(self.pcb if where == "pc" else self.busy, end)
        self.started.append((t, end, self.dsl[eid], where == "pc", cold))
        self.peak = max(self.peak, len(self.busy) + len(self.pcb) - 2)
        self._note(t, eid, "start " + where)
        if self.s.error_rate and self.rnd.random() < self.s.error_rate:
            self.errors += 1
            self._note(end, eid, "error")
            self._after_error(end, eid, errors)
        else:
            self.leave[eid] = t
            self.delays.append(t - self.tsl[eid] + (self.init if cold else 0.0))

    def _after_throttle(self, t: float, eid: int, throttles: int, errors: int) -> None:
        if self.sync:
            if throttles < self.s.caller_retries:
                wait = self.rnd.uniform(0.0, CALLER_BACKOFF_FIRST_S * 2.0**throttles)
                self._retry(t + wait, eid, throttles + 1, errors)
            else:
                self.failed += 1
                self.leave[eid] = t
                self._note(t, eid, "failed")
            return
        wait = min(ASYNC_THROTTLE_FIRST_S * 2.0 ** min(throttles, 30), ASYNC_THROTTLE_MAX_S)
        deadline = self.tsl[eid] + self.s.max_event_age_s
        if t + wait > deadline:
            self._to_dlq(deadline, eid, "dlq (maximum event age)")
        else:
            self._retry(t + wait, eid, throttles + 1, errors)

    def _after_error(self, end: float, eid: int, errors: int) -> None:
        if self.sync:
            self.leave[eid] = end
            return
        if errors >= self.s.max_retry_attempts:
            self._to_dlq(end, eid, "dlq (retries exhausted)")
            return
        when = end + ASYNC_ERROR_DELAYS_S[min(errors, len(ASYNC_ERROR_DELAYS_S) - 1)]
        deadline = self.tsl[eid] + self.s.max_event_age_s
        if when > deadline:
            self._to_dlq(max(end, deadline), eid, "dlq (maximum event age)")
        else:
            self._retry(when, eid, 0, errors + 1)

    def _retry(self, when: float, eid: int, throttles: int, errors: int) -> None:
        self.seq += 1
        heappush(self.due, (when, self.seq, eid, throttles, errors))

    def _to_dlq(self, t: float, eid: int, why: str) -> None:
        self.dlq.append(t)
        self.leave[eid] = t
        self._note(t, eid, why)

    def _note(self, t: float, eid: int, what: str) -> None:
        if self.log is not None:
            self.log.append((t, eid, what))

    def result(self) -> RawRun:
        cols = np.array(self.started, dtype=float).reshape(-1, 5)
        return RawRun(
            starts=cols[:, 0],
            ends=cols[:, 1],
            billed=cols[:, 2],
            on_pc=cols[:, 3] > 0,
            cold=cols[:, 4] > 0,
            throttle_times=np.asarray(self.throttled),
            peaks=self.peaks,
            added_latency=np.asarray(self.delays),
            latency_count=len(self.delays),
            scaling_throttled=self.scale.refused,
            failed=self.failed,
            errors=self.errors,
            dlq_times=np.asarray(self.dlq),
            leave=None if self.sync else np.asarray(self.leave),
            trace=sorted(self.log or [], key=lambda entry: entry[0]),  # stable: in order
        )
