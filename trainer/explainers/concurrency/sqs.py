"""SQS event source mapping: the messages wait in the queue and pollers take them in batches.

A batch goes when it is full (``batch_size``) or its oldest message has waited the batching
window (``batching_window_s``), and a slot is free. The mapping starts at 5 concurrent batches
and adds up to 300 a minute while messages are waiting (modelled as 5 a second), up to
``max_concurrency`` (default 1,000). The mapping never invokes above the function's free
concurrency in this model, so nothing is throttled; the backlog waits instead.
"""

from __future__ import annotations

from bisect import bisect_right
from heapq import heappop, heappush

import numpy as np

from trainer.explainers.concurrency.environments import INF, ScalingBudget, reclaim_times
from trainer.explainers.concurrency.limits import SQS_ADD_PER_SECOND, SQS_MAX_BATCHES, SQS_START_BATCHES
from trainer.explainers.concurrency.raw_run import RawRun
from trainer.explainers.concurrency.settings import PlaygroundSettings


def run_sqs(
    s: PlaygroundSettings, ts: np.ndarray, per_message: np.ndarray, limit: list[int], od_limit: list[int]
) -> RawRun:
    """SQS event source mapping: pollers take batches from the queue.

    A batch goes when it is full or its oldest message has waited the batching window, and a
    slot is free: fewer batches in flight than the mapping's current concurrency and the
    function's limit. A batch's handler time is the sum of its messages' durations (the
    duration setting is per message). The mapping's concurrency steps up by 5 each second in
    which messages are left waiting (AWS: up to 300 a minute) and back down by 5 when the
    queue is empty (how fast it scales in is this model's choice).
    """
    loop = _SqsLoop(s, ts, per_message, limit, od_limit)
    loop.run()
    return loop.result()


class _SqsLoop:
    """State of the SQS simulation: the queue head, batches in flight, the mapping's scale."""

    def __init__(
        self,
        s: PlaygroundSettings,
        ts: np.ndarray,
        per_message: np.ndarray,
        limit: list[int],
        od_limit: list[int],
    ) -> None:
        self.s, self.ts = s, ts
        self.tsl = ts.tolist()
        self.cum = np.concatenate(([0.0], np.cumsum(per_message))).tolist()
        self.limit, self.od_limit = limit, od_limit
        self.init = s.init_ms / 1000.0
        self.top = s.max_concurrency or SQS_MAX_BATCHES
        self.esm = min(SQS_START_BATCHES, self.top)
        self.busy: list[float] = [INF]
        self.pcb: list[float] = [INF]
        self.gone = reclaim_times(od_limit)
        self.scale = ScalingBudget()
        self.batches: list[tuple[float, float, float, bool, bool, int]] = []
        self.peaks = [0] * s.seconds
        self.esm_series = [0] * s.seconds
        self.head = 0
        self.now = 0.0

    def run(self) -> None:
        bounds = np.searchsorted(self.ts, np.arange(1, self.s.seconds + 1)).tolist()
        for k in range(self.s.seconds):
            self._release(float(k))
            self.peak = self._running()
            self.esm_series[k] = self.esm
            self._fill(k + 1.0, min(self.esm, self.limit[k]), self.od_limit[k])
            self.peaks[k] = self.peak
            waiting = bounds[k] - self.head
            if waiting > 0:
                self.esm = min(self.esm + SQS_ADD_PER_SECOND, self.top)
            else:
                self.esm = max(self.esm - SQS_ADD_PER_SECOND, min(SQS_START_BATCHES, self.top))

    def _running(self) -> int:
        return len(self.busy) + len(self.pcb) - 2

    def _release(self, t: float) -> None:
        while self.busy[0] <= t:
            self.gone[len(self.busy)] = heappop(self.busy) + self.s.idle_reclaim_s
        while self.pcb[0] <= t:
            heappop(self.pcb)

    def _fill(self, edge: float, cap: int, od_cap: int) -> None:
        """Start every batch that can start before ``edge``."""
        tsl, n, size = self.tsl, len(self.tsl), self.s.batch_size
        pc = self.s.provisioned
        while self.head < n:
            h = self.head
            ready = tsl[h] + self.s.batching_window_s
            if h + size - 1 < n and tsl[h + size - 1] < ready:
                ready = tsl[h + size - 1]
            ready = max(ready, self.now)
            if ready >= edge:
                return
            self.now = ready
            self._release(ready)
            pc_free = pc and len(self.pcb) <= pc
            if self._running() >= cap or not (pc_free or len(self.busy) <= od_cap):
                nxt = min(self.busy[0], self.pcb[0])
                if nxt >= edge:
                    return
                self.now = nxt
                continue
            where = "pc" if pc_free else self._od_env(ready)
            if where == "wait":
                self.now = self.scale.window_end
                continue
            self._start(ready, where)

    def _od_env(self, t: float) -> str:
        if self.gone[len(self.busy)] > t:  # see reclaim_times
            return "warm"
        return "cold" if self.scale.take(t) else "wait"

    def _start(self, t: float, where: str) -> None:
        h = self.head
        stop = min(h + self.s.batch_size, len(self.tsl))
        count = bisect_right(self.tsl, t, h, stop) - h
        handler = self.cum[h + count] - self.cum[h]
        cold = where == "cold"
        end = t + handler + (self.init if cold else 0.0)
        heappush(self.pcb if where == "pc" else self.busy, end)
        self.batches.append((t, end, handler, where == "pc", cold, count))
        self.head = h + count
        self.peak = max(self.peak, self._running())

    def result(self) -> RawRun:
        cols = np.array(self.batches, dtype=float).reshape(-1, 6)
        starts, counts = cols[:, 0], cols[:, 5].astype(np.int64)
        cold = cols[:, 4] > 0
        taken = int(counts.sum())
        waits = np.repeat(starts + self.init * cold, counts) - self.ts[:taken]
        return RawRun(
            starts=starts,
            ends=cols[:, 1],
            billed=cols[:, 2],
            on_pc=cols[:, 3] > 0,
            cold=cold,
            throttle_times=np.empty(0),
            peaks=self.peaks,
            added_latency=waits,
            latency_count=taken,
            scaling_throttled=0,
            batch_starts=starts,
            batch_counts=counts,
            esm=self.esm_series,
        )
