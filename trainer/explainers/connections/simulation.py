"""The event-driven run: many execution environments, their connections, and the database.

Each execution environment runs one invocation at a time and, while it is in use, starts the
next one ``interval_s`` after the last ended. Environments in use before the jump are already
warm (and, when connections are reused, already connected) and start at random moments so
they do not move in lockstep; the extra environments of a jump all start cold at the jump:
that is the connection storm. An environment left idle longer than ``idle_reclaim_s`` is gone
(AWS does not publish how long idle environments live, so this is a setting) and its next
invocation is a cold start.

Connections:

* **per invocation** — opened in the handler, closed when it returns;
* **reused** — opened during init and kept by the environment until it is reclaimed, or, when
  keep-alive is off and the path has an idle timeout, until it has been idle that long. The
  next invocation then loses a round trip to the reset and connects again.

Without a proxy every connection is a database connection, and one over ``max_connections`` is
refused: that invocation fails (the function would see "too many connections"). With RDS
Proxy, an operation borrows one of the pool's connections for its duration; when all are lent
it waits (first come, first served) and fails after ``borrow_timeout_s``. Session pinning,
which would keep a database connection per client, is not modelled.
"""

from __future__ import annotations

import heapq
import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from trainer.explainers.budget import DEFAULT_BUDGET, WorkBudget
from trainer.explainers.connections.results import ConnectionResult, ConnectionSeries, ConnectionSummary
from trainer.explainers.connections.settings import ConnectionMode, ConnectionSettings, Target
from trainer.explainers.connections.timeline import handshake_ms, operation_ms, stale_ms

# Event kinds; the number is the order of events at the same instant (ends free connections first).
_END, _TIMEOUT, _START, _CONNECT, _OPERATION = 0, 1, 2, 3, 4
_REFUSED, _BORROW_TIMEOUT = "refused", "borrow-timeout"


@dataclass
class _Env:
    index: int
    alive: bool = False
    busy: bool = False
    last_end: float = -math.inf
    conn: bool = False
    dropped: bool = False  # the kept connection was closed by the idle timeout
    gen: int = 0  # invalidates scheduled closes of a connection that was used again
    # The invocation in progress.
    start: float = 0.0
    cold: bool = False
    stale: bool = False
    handshake: float = 0.0
    ready: float = 0.0
    waiting: bool = False
    failure: str = ""


class _Run:
    def __init__(self, s: ConnectionSettings) -> None:
        self.s = s
        self.events: list[tuple[float, int, int, int]] = []
        self.seq = 0
        self.envs = [_Env(i) for i in range(max(s.concurrency, s.peak_concurrency))]
        self.counted = not s.uses_proxy  # the function's connections are database connections
        self.limit = s.max_connections if (s.target is Target.RDS and not s.uses_proxy) else math.inf
        self.open = 0
        self.closing: list[tuple[float, int, int]] = []
        self.db_events: list[tuple[float, int]] = []
        self.wait_events: list[tuple[float, int]] = []
        self.borrowed = 0
        self.queue: deque[_Env] = deque()
        self.hs_s = handshake_ms(s) / 1000.0
        self.op_s = operation_ms(s) / 1000.0
        self.stale_s = stale_ms(s) / 1000.0
        self.drop_after = s.idle_timeout_s if (not s.keep_alive and s.idle_timeout_s > 0) else math.inf
        # Records.
        self.starts: list[float] = []
        self.colds: list[bool] = []
        self.ok_start: list[float] = []
        self.ok_latency: list[float] = []
        self.ok_handshake: list[float] = []
        self.ok_cold: list[bool] = []
        self.fail_times: list[float] = []
        self.refused = self.timeouts = self.new_connections = self.stale_connections = 0
        self.max_wait = 0.0

    # --- scheduling ------------------------------------------------------------------------

    def push(self, t: float, kind: int, env: _Env) -> None:
        self.seq += 1
        heapq.heappush(self.events, (t, kind, self.seq, env.index))

    def level(self, t: float) -> int:
        s = self.s
        return s.peak_concurrency if s.jump_at_s <= t < s.peak_end_s else s.concurrency

    def run(self) -> ConnectionResult:
        s = self.s
        rng = np.random.default_rng(s.seed)
        cycle = s.interval_s + s.operation_ms / 1000.0
        for env in self.envs[: s.concurrency]:
            env.alive, env.last_end = True, 0.0
            if s.mode is ConnectionMode.REUSE and self.open < self.limit:
                self.open_connection(0.0, env)
                self.keep(0.0, env)
            self.push(float(rng.uniform(0.0, cycle)), _START, env)
        if s.jump_at_s < s.seconds and s.peak_end_s > s.jump_at_s:
            for env in self.envs[s.concurrency : s.peak_concurrency]:
                self.push(s.jump_at_s, _START, env)
            if s.peak_end_s < s.seconds:
                for env in self.envs[s.peak_concurrency : s.concurrency]:
                    self.push(s.peak_end_s, _START, env)
        handlers = {
            _START: self.on_start,
            _CONNECT: self.on_connect,
            _OPERATION: self.on_operation,
            _END: self.on_end,
            _TIMEOUT: self.on_timeout,
        }
        while self.events:
            t, kind, _, index = heapq.heappop(self.events)
            handlers[kind](t, self.envs[index])
        return self.result()

    # --- connections -----------------------------------------------------------------------

    def open_connection(self, t: float, env: _Env) -> None:
        env.conn, env.dropped = True, False
        if self.counted:
            self.open += 1
            self.db_events.append((t, 1))

    def close_connection(self, t: float, env: _Env) -> None:
        env.conn = False
        if self.counted:
            self.open -= 1
            self.db_events.append((t, -1))

    def keep(self, t: float, env: _Env) -> None:
        """A reused connection goes idle: it closes when the environment goes, or times out."""
        env.gen += 1
        close_at = t + min(self.s.idle_reclaim_s, self.drop_after)
        heapq.heappush(self.closing, (close_at, env.index, env.gen))

    def expire(self, t: float) -> None:
        """Close the kept connections whose time came by ``t``."""
        while self.closing and self.closing[0][0] <= t:
            at, index, gen = heapq.heappop(self.closing)
            env = self.envs[index]
            if env.gen == gen and env.conn and not env.busy:
                self.close_connection(at, env)
                env.dropped = at < env.last_end + self.s.idle_reclaim_s

    # --- one invocation ----------------------------------------------------------------------

    def on_start(self, t: float, env: _Env) -> None:
        s = self.s
        if env.busy or t >= s.seconds or env.index >= self.level(t):
            return
        self.expire(t)
        cold = not env.alive or t - env.last_end > s.idle_reclaim_s
        env.alive, env.busy = True, True
        env.start, env.cold, env.stale, env.handshake, env.failure = t, cold, False, 0.0, ""
        self.starts.append(t)
        self.colds.append(cold)
        ready = t + s.init_ms / 1000.0 if cold else t
        if s.mode is ConnectionMode.REUSE and not cold:
            if env.conn:
                env.gen += 1  # used again: its scheduled close no longer applies
                self.push(ready, _OPERATION, env)
                return
            if env.dropped:
                env.stale, env.dropped = True, False
                env.handshake += self.stale_s
                self.stale_connections += 1
                ready += self.stale_s
        elif env.conn:  # a cold start replaces the environment, and its connection with it
            self.close_connection(t, env)
        self.push(ready, _CONNECT, env)

    def on_connect(self, t: float, env: _Env) -> None:
        self.expire(t)
        env.handshake += self.hs_s
        self.new_connections += 1
        if self.open >= self.limit:
            env.failure = _REFUSED
            self.push(t + self.hs_s, _END, env)
            return
        self.open_connection(t, env)
        self.push(t + self.hs_s, _OPERATION, env)

    def on_operation(self, t: float, env: _Env) -> None:
        if not self.s.uses_proxy:
            self.push(t + self.op_s, _END, env)
            return
        env.ready = t
        if self.borrowed < self.s.pool_size:
            self.borrow(t, env)
        else:
            env.waiting = True
            self.queue.append(env)
            self.wait_events.append((t, 1))
            self.push(t + self.s.borrow_timeout_s, _TIMEOUT, env)

    def borrow(self, t: float, env: _Env) -> None:
        self.borrowed += 1
        self.db_events.append((t, 1))
        self.max_wait = max(self.max_wait, t - env.ready)
        self.push(t + self.op_s, _END, env)

    def on_timeout(self, t: float, env: _Env) -> None:
        if env.waiting and t >= env.ready + self.s.borrow_timeout_s:
            env.waiting = False
            self.wait_events.append((t, -1))
            env.failure = _BORROW_TIMEOUT
            self.on_end(t, env)

    def release(self, t: float) -> None:
        self.borrowed -= 1
        self.db_events.append((t, -1))
        while self.queue:
            nxt = self.queue.popleft()
            if nxt.waiting:
                nxt.waiting = False
                self.wait_events.append((t, -1))
                self.borrow(t, nxt)
                return

    def on_end(self, t: float, env: _Env) -> None:
        s = self.s
        if env.failure:
            self.fail_times.append(t)
            if env.failure == _REFUSED:
                self.refused += 1
            else:
                self.timeouts += 1
        else:
            if s.uses_proxy:
                self.release(t)
            self.ok_start.append(env.start)
            self.ok_latency.append((t - env.start) * 1000.0)
            self.ok_handshake.append(env.handshake * 1000.0)
            self.ok_cold.append(env.cold)
        if env.conn and s.mode is ConnectionMode.PER_INVOCATION:
            self.close_connection(t, env)
        env.busy, env.last_end = False, t
        if env.conn:
            self.keep(t, env)
        nxt = t + s.interval_s
        if nxt < s.seconds and env.index < self.level(nxt):
            self.push(nxt, _START, env)

    # --- the result ----------------------------------------------------------------------------

    def result(self) -> ConnectionResult:
        s = self.s
        # Times are added up in seconds; round away the float dust (a microsecond is far below
        # anything the settings can express).
        lat = np.round(np.asarray(self.ok_latency, dtype=float), 6)
        hs = np.round(np.asarray(self.ok_handshake, dtype=float), 6)
        db_peak, db_series = _peaks(self.db_events, s.seconds)
        wait_peak, wait_series = _peaks(self.wait_events, s.seconds)
        summary = ConnectionSummary(
            invocations=len(self.starts),
            succeeded=int(lat.size),
            refused=self.refused,
            borrow_timeouts=self.timeouts,
            cold_starts=int(sum(self.colds)),
            new_connections=self.new_connections,
            stale_connections=self.stale_connections,
            p50_ms=float(np.percentile(lat, 50)) if lat.size else 0.0,
            p99_ms=float(np.percentile(lat, 99)) if lat.size else 0.0,
            mean_ms=float(lat.mean()) if lat.size else 0.0,
            handshake_share=float(hs.sum() / lat.sum()) if lat.size and lat.sum() > 0 else 0.0,
            peak_db_connections=db_peak,
            pool_size=s.pool_size if s.uses_proxy else None,
            max_connections=s.max_connections if s.target is Target.RDS else None,
            peak_waiting=wait_peak,
            max_wait_ms=self.max_wait * 1000.0,
        )
        seconds = np.arange(s.seconds)
        starts = np.asarray(self.ok_start, dtype=float)
        ok_sec = np.clip(starts.astype(np.int64), 0, s.seconds - 1)
        total = np.bincount(ok_sec, weights=lat, minlength=s.seconds)
        count = np.bincount(ok_sec, minlength=s.seconds)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_latency = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        series = ConnectionSeries(
            seconds=s.seconds,
            environments=np.array([self.level(float(t)) for t in seconds], dtype=np.int64),
            invocations=_per_second(self.starts, s.seconds),
            cold_starts=_per_second(
                [t for t, c in zip(self.starts, self.colds, strict=True) if c], s.seconds
            ),
            failures=_per_second(self.fail_times, s.seconds),
            db_connections=db_series,
            waiting=wait_series,
            mean_latency_ms=mean_latency,
        )
        return ConnectionResult(s, summary, series, lat, hs, np.asarray(self.ok_cold, dtype=bool))


def _per_second(times: list[float], seconds: int) -> np.ndarray:
    if not times:
        return np.zeros(seconds, dtype=np.int64)
    idx = np.clip(np.asarray(times, dtype=float).astype(np.int64), 0, seconds - 1)
    return np.bincount(idx, minlength=seconds).astype(np.int64)


def _peaks(events: list[tuple[float, int]], seconds: int) -> tuple[int, np.ndarray]:
    """The overall peak of a running count, and its peak in each second."""
    out = np.zeros(seconds, dtype=np.int64)
    if not events:
        return 0, out
    times = np.array([t for t, _ in events], dtype=float)
    deltas = np.array([d for _, d in events], dtype=np.int64)
    order = np.lexsort((deltas, times))  # at one instant, closes before opens
    times, running = times[order], np.cumsum(deltas[order])
    sec = np.clip(times.astype(np.int64), 0, seconds - 1)
    np.maximum.at(out, sec, running)
    # A second with no event keeps the count it started with.
    before = np.searchsorted(times, np.arange(seconds), side="left") - 1
    carried = np.where(before >= 0, running[np.maximum(before, 0)], 0)
    out = np.maximum(out, carried)
    return int(max(0, running.max())), out


def simulate(settings: ConnectionSettings, budget: WorkBudget = DEFAULT_BUDGET) -> ConnectionResult:
    """Run the connection simulation; raises SimulationError for settings it can't run, and for
    a run larger than ``budget``."""
    s = settings.canonical()
    s.validate(budget)
    return _Run(s).run()
