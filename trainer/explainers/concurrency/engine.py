"""Lambda concurrency and throttling simulator: the engine behind the playground page.

What is modelled, and why it is modelled this way
-------------------------------------------------
* **Requests** arrive as a Poisson process whose rate follows a :class:`~trainer.traffic.Load`
  shape. Each has a duration drawn from a fixed, exponential or lognormal distribution.
* **Execution environments** serve one request at a time. A request that finds an idle
  environment starts warm; otherwise a new environment is created, which takes the
  initialisation (cold-start) time before the handler runs. An idle environment is reclaimed
  after ``idle_reclaim_s``. The most recently freed environment is reused first, so a pool that
  grew for a spike shrinks again once the spike is over (AWS does not document how it picks an
  environment; this is the simulator's assumption). Provisioned environments are always
  initialised, never reclaimed, and are used before any on-demand environment.
* **Limits.** The function may run at most ``reserved`` requests at once if reserved
  concurrency is set; otherwise whatever the account limit leaves after the other functions'
  load. On top of that, at most 1,000 new environments may be created per function in each
  10-second window. A request over either limit is throttled (HTTP 429).
* **Invocation types.** Synchronous callers get the 429 and may retry. Asynchronous events are
  queued by Lambda: throttled attempts come back after a backoff that grows from 1 s up to
  5 minutes (doubling each time is this model's choice), function errors are retried after about 1 and then 2 minutes (up to
  ``max_retry_attempts``), and an event that runs out of retries or passes
  ``max_event_age_s`` goes to the dead-letter queue / on-failure destination. With an SQS
  event source mapping the messages wait in the queue; pollers take batches (``batch_size``,
  ``batching_window_s``); the mapping starts at 5 concurrent batches and adds up to 300 a
  minute while messages are waiting (modelled as 5 a second), up to ``max_concurrency``
  (default 1,000).
  The mapping never invokes above the function's free concurrency in this model, so nothing
  is throttled; the backlog waits instead.
* **Cost** uses us-east-1 x86 prices: requests, on-demand GB-seconds, and for provisioned
  concurrency the configured GB-seconds plus the (cheaper) duration on provisioned
  environments. Initialisation time is not billed in this model.

Correctness, and speed
----------------------
A synchronous function capped at c with Poisson arrivals is the textbook loss system, so the
share throttled must match the Erlang-B formula (:func:`erlang_b`); the tests check that.
The engine is event driven: in time order, each request pops the environments that have
finished (a heap of end times), checks the limit, finds out whether an idle environment is
left (one array lookup, see :func:`_reclaim_times`) or a new one is needed, and pushes its
own end time. That is a handful of C-level list operations per request, about 0.35 µs, so
600,000 requests take about a quarter of a second; everything that does not feed back into
those decisions (per-second series, latencies, cost) is computed afterwards with numpy. The
tests check the result request by request against a plain model with explicit environments.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from heapq import heappop, heappush

import numpy as np

from trainer.explainers.traffic import (
    Load,
    LoadKind,
    SimulationError,
    arrival_times,
    steady,
)

__all__ = [
    "DurationDist", "Invocation", "Load", "LoadKind", "Preset", "PRESETS", "Result",
    "Settings", "SimulationError", "Steps", "Summary", "erlang_b", "lognormal_params", "steady",
    "simulate",
]

INF = float("inf")

# Account and scaling limits (aws-facts.md section d).
DEFAULT_ACCOUNT_LIMIT = 1_000
MIN_UNRESERVED = 100
SCALE_ENVIRONMENTS = 1_000  # new execution environments per function ...
SCALE_WINDOW_S = 10  # ... in each window of this many seconds

# Function settings (aws-facts.md section e).
MIN_MEMORY_MB, MAX_MEMORY_MB = 128, 10_240
MAX_DURATION_MS = 900_000  # the 15-minute timeout

# Asynchronous invocation (sections d and f).
ASYNC_THROTTLE_FIRST_S = 1.0
ASYNC_THROTTLE_MAX_S = 300.0
ASYNC_ERROR_DELAYS_S = (60.0, 120.0)  # before the 2nd and the 3rd attempt
MIN_EVENT_AGE_S, MAX_EVENT_AGE_S = 60, 21_600
MAX_RETRY_ATTEMPTS = 2

# SQS event source mapping (section g).
SQS_START_BATCHES = 5
SQS_ADD_PER_SECOND = 5  # 300 per minute
SQS_MAX_BATCHES = 1_000
MAX_BATCH_SIZE = 10_000
MAX_BATCHING_WINDOW_S = 300

# Caller-side retry policy for synchronous throttles (the caller's choice, not Lambda's).
CALLER_BACKOFF_FIRST_S = 0.1
MAX_CALLER_RETRIES = 10

# us-east-1, x86 (section d, pricing).
PRICE_PER_REQUEST = 0.20 / 1_000_000
PRICE_GB_S = 0.0000166667
PRICE_PC_GB_S = 0.0000041667  # configured provisioned concurrency
PRICE_PC_DURATION_GB_S = 0.0000097222  # duration on provisioned environments
PC_BILLING_INCREMENT_S = 300

# Guards that keep the page and the command responsive.
MAX_SECONDS = 86_400
MAX_RATE = 100_000.0
MAX_ARRIVALS = 5_000_000
MAX_ACCOUNT_LIMIT = 100_000
MAX_INIT_MS = 60_000

Z99 = 2.3263478740408408  # standard normal 99th percentile


class DurationDist(str, Enum):
    FIXED = "fixed"
    EXPONENTIAL = "exponential"
    LOGNORMAL = "lognormal"


class Invocation(str, Enum):
    SYNC = "sync"
    ASYNC = "async"
    SQS = "sqs"

    @property
    def label(self) -> str:
        return {"sync": "Synchronous", "async": "Asynchronous", "sqs": "SQS event source"}[
            self.value
        ]


@dataclass(frozen=True)
class Settings:
    """Everything the simulation depends on. Times in the unit their name says."""

    traffic: Load = field(default_factory=lambda: steady(100.0))
    seconds: int = 600
    seed: int = 1
    # The function.
    duration_ms: float = 100.0
    duration_dist: DurationDist = DurationDist.EXPONENTIAL
    duration_p99_ms: float = 0.0  # lognormal only; 0 means 3 × the mean
    memory_mb: int = 1_024
    init_ms: float = 300.0
    idle_reclaim_s: float = 300.0
    # Limits.
    account_limit: int = DEFAULT_ACCOUNT_LIMIT
    other_load: Load = field(default_factory=lambda: steady(0.0))
    reserved: int | None = None
    provisioned: int = 0
    # How it is invoked.
    invocation: Invocation = Invocation.SYNC
    caller_retries: int = 0
    error_rate: float = 0.0
    max_event_age_s: int = MAX_EVENT_AGE_S
    max_retry_attempts: int = MAX_RETRY_ATTEMPTS
    batch_size: int = 10
    batching_window_s: int = 0
    max_concurrency: int | None = None  # SQS ScalingConfig.MaximumConcurrency

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)

    def canonical(self) -> Settings:
        """These settings with every field that cannot matter reset to its default.

        Two settings that simulate the same thing compare (and cache) equal: the p99 of a
        non-lognormal duration, the SQS options of a synchronous function, and so on.
        """
        d = Settings()
        inv = self.invocation
        lognormal = self.duration_dist is DurationDist.LOGNORMAL
        return replace(
            self, traffic=self.traffic.canonical(), other_load=self.other_load.canonical(),
            duration_p99_ms=self.p99_ms if lognormal else d.duration_p99_ms,
            caller_retries=self.caller_retries if inv is Invocation.SYNC else d.caller_retries,
            error_rate=self.error_rate if inv is not Invocation.SQS else d.error_rate,
            max_event_age_s=self.max_event_age_s if inv is Invocation.ASYNC else d.max_event_age_s,
            max_retry_attempts=(self.max_retry_attempts if inv is Invocation.ASYNC
                                else d.max_retry_attempts),
            batch_size=self.batch_size if inv is Invocation.SQS else d.batch_size,
            batching_window_s=(self.batching_window_s if inv is Invocation.SQS
                               else d.batching_window_s),
            max_concurrency=self.max_concurrency if inv is Invocation.SQS else d.max_concurrency,
        )

    @property
    def p99_ms(self) -> float:
        return self.duration_p99_ms or 3.0 * self.duration_ms

    def function_limit(self) -> np.ndarray:
        """Concurrency this function may use in each second (reserved, or what others leave)."""
        if self.reserved is not None:
            return np.full(self.seconds, self.reserved, dtype=np.int64)
        free = self.account_limit - np.ceil(self.other_use())
        return np.maximum(free, self.provisioned).astype(np.int64)

    def other_use(self) -> np.ndarray:
        """Concurrency the other functions use each second (they cannot touch our reserve)."""
        ceiling = self.account_limit - (self.reserved or 0)
        return np.clip(self.other_load.per_second(self.seconds), 0, ceiling)

    def problems(self) -> list[str]:
        """Every reason AWS (or this simulator) would refuse these settings; [] when fine."""
        return [
            *_check_run(self), *_check_function(self), *_check_limits(self),
            *_check_invocation(self),
        ]

    def validate(self) -> None:
        problems = self.problems()
        if problems:
            exc = SimulationError("\n".join(problems))
            exc.problems = problems  # type: ignore[attr-defined]
            raise exc


def _bad_number(value: object) -> bool:
    try:
        return not math.isfinite(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return True


def _check_run(s: Settings) -> list[str]:
    out = []
    if _bad_number(s.seconds) or s.seconds != int(s.seconds) or not 1 <= s.seconds <= MAX_SECONDS:
        out.append(f"Simulated time must be 1 to {MAX_SECONDS:,} seconds (one day); "
                   f"got {s.seconds}.")
    out += s.traffic.problems("Request rate", "requests/s", MAX_RATE)
    if not out:
        expected = float(np.sum(s.traffic.per_second(s.seconds)))
        if expected > MAX_ARRIVALS:
            out.append(f"That is about {expected:,.0f} requests to simulate; keep it under "
                       f"{MAX_ARRIVALS:,} by lowering the rate or the simulated time.")
    return out


def _check_function(s: Settings) -> list[str]:
    out = []
    if _bad_number(s.duration_ms) or not 0 < s.duration_ms <= MAX_DURATION_MS:
        out.append(f"Duration must be more than 0 and at most {MAX_DURATION_MS:,} ms "
                   f"(the 15-minute timeout); got {s.duration_ms}.")
    elif s.duration_dist is DurationDist.LOGNORMAL:
        try:
            lognormal_params(s.duration_ms, s.p99_ms)
        except SimulationError as exc:
            out.append(str(exc))
    if _bad_number(s.memory_mb) or not MIN_MEMORY_MB <= s.memory_mb <= MAX_MEMORY_MB:
        out.append(f"MemorySize must be between {MIN_MEMORY_MB} and {MAX_MEMORY_MB:,} MB; "
                   f"got {s.memory_mb}.")
    if _bad_number(s.init_ms) or not 0 <= s.init_ms <= MAX_INIT_MS:
        out.append(f"Cold-start init time must be 0 to {MAX_INIT_MS:,} ms; got {s.init_ms}.")
    if _bad_number(s.idle_reclaim_s) or not 1 <= s.idle_reclaim_s <= MAX_SECONDS:
        out.append(f"Idle environments must be kept 1 to {MAX_SECONDS:,} seconds; "
                   f"got {s.idle_reclaim_s}.")
    return out


def _check_limits(s: Settings) -> list[str]:
    out = []
    if _bad_number(s.account_limit) or not MIN_UNRESERVED <= s.account_limit <= MAX_ACCOUNT_LIMIT:
        return [f"Account concurrency limit must be {MIN_UNRESERVED} to "
                f"{MAX_ACCOUNT_LIMIT:,}; got {s.account_limit}."]
    out += s.other_load.problems("Other functions' concurrency", "", INF)
    if s.other_load.maximum() > s.account_limit:
        out.append(f"Other functions can't use more than the account limit "
                   f"({s.account_limit:,}); lower their concurrency.")
    most = s.account_limit - MIN_UNRESERVED
    if s.reserved is not None:
        if _bad_number(s.reserved) or s.reserved < 0:
            out.append(f"ReservedConcurrentExecutions must be 0 or more; got {s.reserved}.")
        elif s.reserved > most:
            out.append(
                f"Specified ReservedConcurrentExecutions for function ({s.reserved}) decreases "
                f"account's UnreservedConcurrentExecution below its minimum value of "
                f"[{MIN_UNRESERVED}]. With an account limit of {s.account_limit:,}, reserve at "
                f"most {most:,}, or raise the account limit."
            )
    if _bad_number(s.provisioned) or s.provisioned < 0:
        out.append(f"ProvisionedConcurrentExecutions must be 0 or more; got {s.provisioned}.")
    elif s.reserved is not None and 0 <= s.reserved < s.provisioned:
        out.append(
            f"Requested ProvisionedConcurrentExecutions ({s.provisioned}) should not be greater "
            f"than the reservedConcurrentExecution for function ({s.reserved}). Lower "
            f"provisioned concurrency to {s.reserved} or less, or raise reserved concurrency."
        )
    elif s.reserved is None and s.provisioned > most:
        out.append(f"Provisioned concurrency ({s.provisioned}) must leave at least "
                   f"{MIN_UNRESERVED} of the account limit unreserved; use at most {most:,}.")
    return out


def _check_invocation(s: Settings) -> list[str]:
    out = []
    if _bad_number(s.error_rate) or not 0 <= s.error_rate <= 1:
        out.append(f"Error rate must be between 0 and 1 (a share); got {s.error_rate}.")
    if s.invocation is Invocation.SYNC:
        if _bad_number(s.caller_retries) or not 0 <= s.caller_retries <= MAX_CALLER_RETRIES:
            out.append(f"Caller retries must be 0 to {MAX_CALLER_RETRIES}; got {s.caller_retries}.")
    elif s.invocation is Invocation.ASYNC:
        age = s.max_event_age_s
        if _bad_number(age) or not MIN_EVENT_AGE_S <= age <= MAX_EVENT_AGE_S:
            out.append(f"MaximumEventAgeInSeconds must be between {MIN_EVENT_AGE_S} and "
                       f"{MAX_EVENT_AGE_S:,} (1 minute to 6 hours); got {age}.")
        tries = s.max_retry_attempts
        if _bad_number(tries) or not 0 <= tries <= MAX_RETRY_ATTEMPTS:
            out.append(f"MaximumRetryAttempts must be between 0 and {MAX_RETRY_ATTEMPTS}; "
                       f"got {tries}.")
    else:
        out += _check_sqs(s)
    return out


def _check_sqs(s: Settings) -> list[str]:
    out = []
    if _bad_number(s.batch_size) or not 1 <= s.batch_size <= MAX_BATCH_SIZE:
        out.append(f"BatchSize must be between 1 and {MAX_BATCH_SIZE:,}; got {s.batch_size}.")
    window = s.batching_window_s
    if _bad_number(window) or window != int(window) or not 0 <= window <= MAX_BATCHING_WINDOW_S:
        out.append(f"MaximumBatchingWindowInSeconds must be a whole number from 0 to "
                   f"{MAX_BATCHING_WINDOW_S}; got {window}.")
    elif s.batch_size > 10 and window < 1:
        out.append("Maximum batch window in seconds must be greater than 0 if maximum batch "
                   f"size is greater than 10 (BatchSize is {s.batch_size}): set "
                   "MaximumBatchingWindowInSeconds to 1 or more, or BatchSize to 10 or less.")
    cap = s.max_concurrency
    if cap is not None and (_bad_number(cap) or not 2 <= cap <= SQS_MAX_BATCHES):
        out.append(f"ScalingConfig MaximumConcurrency must be between 2 and "
                   f"{SQS_MAX_BATCHES:,}; got {cap}.")
    return out


# ---------------------------------------------------------------------------------------------
# Formulas


def erlang_b(c: int, a: float) -> float:
    """Share of requests lost by a c-server loss system offered ``a`` erlangs.

    The stable recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)). With Poisson arrivals
    the result does not depend on the shape of the duration distribution, only its mean,
    which is why a synchronous Lambda function capped at c concurrency must reproduce it.
    """
    if c < 0 or a < 0:
        raise ValueError("erlang_b needs c >= 0 and a >= 0")
    b = 1.0
    for k in range(1, int(c) + 1):
        b = a * b / (k + a * b)
    return b


def lognormal_params(mean: float, p99: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal with the given mean and 99th percentile.

    mean = exp(mu + sigma²/2) and p99 = exp(mu + z·sigma) give sigma²/2 − z·sigma +
    ln(p99/mean) = 0; the smaller root is the one where p99 really is the 99th percentile.
    """
    if p99 < mean:
        raise SimulationError(f"For a lognormal duration the p99 ({p99:g} ms) must be at least "
                              f"the mean ({mean:g} ms).")
    ratio = math.log(p99 / mean)
    disc = Z99 * Z99 - 2.0 * ratio
    if disc < 0:
        most = mean * math.exp(Z99 * Z99 / 2.0)
        raise SimulationError(f"No lognormal has mean {mean:g} ms and p99 {p99:g} ms; "
                              f"keep the p99 at most {most:,.0f} ms (about 15 × the mean).")
    sigma = Z99 - math.sqrt(disc)
    return math.log(mean) - sigma * sigma / 2.0, sigma


def draw_durations(s: Settings, n: int, rng: np.random.Generator) -> np.ndarray:
    """Handler durations in seconds (for SQS: per message)."""
    mean = s.duration_ms / 1000.0
    if s.duration_dist is DurationDist.FIXED:
        return np.full(n, mean)
    if s.duration_dist is DurationDist.EXPONENTIAL:
        return rng.exponential(mean, n)
    mu, sigma = lognormal_params(s.duration_ms, s.p99_ms)
    return rng.lognormal(mu, sigma, n) / 1000.0


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class Steps:
    """Per-second series (index k covers [k, k+1) seconds; queue figures are at its end)."""

    arrivals: np.ndarray
    invocations: np.ndarray
    concurrency_peak: np.ndarray
    concurrency_mean: np.ndarray
    provisioned_in_use: np.ndarray
    throttles: np.ndarray
    cold_starts: np.ndarray
    queue_depth: np.ndarray  # async: events waiting; SQS: messages waiting (backlog)
    oldest_age_s: np.ndarray  # age of the oldest waiting event or message
    dlq: np.ndarray
    cost_on_demand: np.ndarray
    cost_provisioned: np.ndarray
    limit: np.ndarray  # concurrency this function may use
    other_load: np.ndarray  # concurrency other functions use
    esm_concurrency: np.ndarray  # SQS: concurrent batches the mapping allows

    @property
    def seconds(self) -> int:
        return len(self.arrivals)


@dataclass(frozen=True)
class Summary:
    arrivals: int
    invocations: int
    throttled: int
    throttle_fraction: float
    scaling_throttled: int  # of which: over the 1,000-per-10-s environment creation rate
    failed: int  # synchronous requests the caller gave up on
    errors: int
    dlq: int
    cold_starts: int
    cold_start_fraction: float
    peak_concurrency: int
    mean_concurrency: float
    p99_added_latency_ms: float
    max_queue_depth: int
    max_oldest_age_s: float
    cost_on_demand_usd: float
    cost_provisioned_usd: float
    cost_total_usd: float
    cost_per_day_usd: float
    erlang_b: float | None  # Erlang-B prediction of the throttle share, where it applies
    offered_load: float | None  # rate × mean duration (erlangs), for steady traffic


@dataclass
class Result:
    settings: Settings
    steps: Steps
    summary: Summary
    trace: list[tuple[float, int, str]] = field(default_factory=list)

    def to_json_dict(self) -> dict:
        out = asdict(self.summary)
        out["seconds"] = self.settings.seconds
        out["invocation"] = self.settings.invocation.value
        return out


@dataclass
class _Run:
    """What a simulation loop hands to :func:`_summarise` (times in seconds)."""

    starts: np.ndarray
    ends: np.ndarray
    billed: np.ndarray  # handler time of each invocation (init excluded)
    on_pc: np.ndarray
    cold: np.ndarray
    throttle_times: np.ndarray
    peaks: list[int]
    added_latency: np.ndarray  # per successful request/message; zeros may be left out
    latency_count: int  # how many requests the latency sample stands for
    scaling_throttled: int = 0
    failed: int = 0
    errors: int = 0
    dlq_times: np.ndarray = field(default_factory=lambda: np.empty(0))
    leave: np.ndarray | None = None  # async: when each event stopped waiting
    batch_starts: np.ndarray | None = None  # SQS
    batch_counts: np.ndarray | None = None
    esm: list[int] | None = None
    trace: list[tuple[float, int, str]] = field(default_factory=list)


class _ScalingBudget:
    """At most 1,000 new execution environments per function in each 10-second window.

    Unused allowance does not carry over, so a fixed window with a fresh budget is exact.
    """

    __slots__ = ("window_end", "left", "refused")

    def __init__(self) -> None:
        self.window_end = 0.0
        self.left = 0
        self.refused = 0

    def take(self, t: float) -> bool:
        if t >= self.window_end:
            self.window_end = (t // SCALE_WINDOW_S + 1) * SCALE_WINDOW_S
            self.left = SCALE_ENVIRONMENTS
        if self.left:
            self.left -= 1
            return True
        self.refused += 1
        return False


# ---------------------------------------------------------------------------------------------
# The simulation


def simulate(settings: Settings, *, arrivals: np.ndarray | None = None,
             trace: bool = False) -> Result:
    """Run the simulation. Raises :class:`SimulationError` (never anything else) on bad settings.

    ``arrivals`` replaces the Poisson arrivals with given times (tests use it for exact
    schedules); ``trace`` records every attempt of every request as (time, request, what).
    """
    settings.validate()
    rng = np.random.default_rng(settings.seed)
    if arrivals is None:
        times = arrival_times(settings.traffic.per_second(settings.seconds), rng)
    else:
        times = np.sort(np.asarray(arrivals, dtype=float))
        times = times[(times >= 0) & (times < settings.seconds)]
    durations = draw_durations(settings, len(times), rng)
    limit = settings.function_limit()
    od_limit = np.maximum(limit - settings.provisioned, 0).tolist()
    if settings.invocation is Invocation.SQS:
        run = _run_sqs(settings, times, durations, limit.tolist(), od_limit)
    elif (settings.invocation is Invocation.SYNC and settings.caller_retries == 0
          and not trace and arrivals is None):
        run = _run_sync(settings, times, durations, od_limit, rng)
    else:
        run = _run_retrying(settings, times, durations, od_limit, trace)
    return _summarise(settings, times, run, limit)


def _reclaim_times(limits: list[int]) -> list[float]:
    """Idle environments as the time each will be reclaimed, indexed by concurrency level.

    With the most recently freed environment reused first, the idle ones form a stack, and
    the one at depth i is exactly the one freed when the number running last fell from n+i
    to n+i−1 (n = running now). So instead of a stack we keep, for each level L, when the
    environment freed at the last fall from L to L−1 will be reclaimed. A request that
    lifts the level from n to n+1 starts warm iff that time is still ahead; if not, every
    level above has been reclaimed as well (they fell earlier). One store per finish and one
    load per request, instead of pushes and pops.
    """
    return [-INF] * (max(limits, default=0) + 2)


def _run_sync(s: Settings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int],
              rng: np.random.Generator) -> _Run:
    """Synchronous calls without caller retries: the fast path (one pass, no retry queue).

    Per request: pop finished environments from the busy heap (noting when each will be
    reclaimed, see :func:`_reclaim_times`), then provisioned if one is free, else the limit
    check, else an idle on-demand environment, else a cold start if the scaling rate allows
    it. Only times are recorded in the loop; numpy maps them back to request indexes after.
    """
    seconds, pc, init, keep = s.seconds, s.provisioned, s.init_ms / 1000.0, s.idle_reclaim_s
    tsl, dsl = ts.tolist(), ds.tolist()
    bounds = np.searchsorted(ts, np.arange(seconds + 1)).tolist()
    busy, pcb, gone = [INF], [INF], _reclaim_times(od_limit)
    throttled, colds, on_pc, peaks = [], [], [], [0] * seconds
    scale = _ScalingBudget()
    for k in range(seconds):
        while busy[0] <= k:
            gone[len(busy)] = heappop(busy) + keep  # (the pop runs before the len)
        while pcb[0] <= k:
            heappop(pcb)
        peak, limit = len(busy) + len(pcb) - 2, od_limit[k]
        lo, hi = bounds[k], bounds[k + 1]
        for t, d in zip(tsl[lo:hi], dsl[lo:hi]):
            while busy[0] <= t:
                gone[len(busy)] = heappop(busy) + keep
            if pc:
                while pcb[0] <= t:
                    heappop(pcb)
                if len(pcb) <= pc:
                    heappush(pcb, t + d)
                    on_pc.append(t)
                    if len(pcb) + len(busy) - 2 > peak:
                        peak = len(pcb) + len(busy) - 2
                    continue
            n = len(busy)  # on-demand running + 1 (the sentinel) = running after this one
            if n > limit:
                throttled.append(t)
                continue
            if gone[n] > t:  # an idle environment at this level, not yet reclaimed
                heappush(busy, t + d)
            else:
                if not scale.take(t):
                    throttled.append(t)
                    continue
                heappush(busy, t + d + init)
                colds.append(t)
            if n + pc > peak:  # provisioned ones are all busy when we get here
                peak = n + pc
        peaks[k] = peak
    n = len(ts)
    ok = np.ones(n, dtype=bool)
    ok[np.searchsorted(ts, throttled)] = False
    cold = np.zeros(n, dtype=bool)
    cold[np.searchsorted(ts, colds)] = True
    pcm = np.zeros(n, dtype=bool)
    pcm[np.searchsorted(ts, on_pc)] = True
    starts, billed, cold, pcm = ts[ok], ds[ok], cold[ok], pcm[ok]
    errors = int(np.count_nonzero(rng.random(len(starts)) < s.error_rate)) if s.error_rate else 0
    return _Run(
        starts=starts, ends=starts + billed + init * cold, billed=billed, on_pc=pcm, cold=cold,
        throttle_times=np.asarray(throttled), peaks=peaks,
        added_latency=np.full(len(colds), init), latency_count=len(starts),
        scaling_throttled=scale.refused, errors=errors,
    )


def _run_retrying(s: Settings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int],
                  trace: bool) -> _Run:
    """Synchronous calls with caller retries, and asynchronous events: attempts merge with a
    heap of retries that are due later. Same environment logic as :func:`_run_sync`."""
    loop = _RetryLoop(s, ts, ds, od_limit, trace)
    loop.run()
    return loop.result()


class _RetryLoop:
    """State of the retrying simulation; :meth:`attempt` decides one attempt of one request."""

    def __init__(self, s: Settings, ts: np.ndarray, ds: np.ndarray, od_limit: list[int],
                 trace: bool) -> None:
        self.s, self.ts, self.ds = s, ts, ds
        self.tsl, self.dsl = ts.tolist(), ds.tolist()
        self.od_limit = od_limit
        self.sync = s.invocation is Invocation.SYNC
        self.init = s.init_ms / 1000.0
        self.busy: list[float] = [INF]
        self.pcb: list[float] = [INF]
        self.gone = _reclaim_times(od_limit)
        self.due: list[tuple[float, int, int, int, int]] = []
        self.seq = 0
        self.scale = _ScalingBudget()
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
                wait = self.rnd.uniform(0.0, CALLER_BACKOFF_FIRST_S * 2.0 ** throttles)
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

    def result(self) -> _Run:
        cols = np.array(self.started, dtype=float).reshape(-1, 5)
        return _Run(
            starts=cols[:, 0], ends=cols[:, 1], billed=cols[:, 2], on_pc=cols[:, 3] > 0,
            cold=cols[:, 4] > 0, throttle_times=np.asarray(self.throttled), peaks=self.peaks,
            added_latency=np.asarray(self.delays), latency_count=len(self.delays),
            scaling_throttled=self.scale.refused, failed=self.failed, errors=self.errors,
            dlq_times=np.asarray(self.dlq), leave=None if self.sync else np.asarray(self.leave),
            trace=sorted(self.log or [], key=lambda entry: entry[0]),  # stable: in order
        )


def _run_sqs(s: Settings, ts: np.ndarray, per_message: np.ndarray, limit: list[int],
             od_limit: list[int]) -> _Run:
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

    def __init__(self, s: Settings, ts: np.ndarray, per_message: np.ndarray, limit: list[int],
                 od_limit: list[int]) -> None:
        self.s, self.ts = s, ts
        self.tsl = ts.tolist()
        self.cum = np.concatenate(([0.0], np.cumsum(per_message))).tolist()
        self.limit, self.od_limit = limit, od_limit
        self.init = s.init_ms / 1000.0
        self.top = s.max_concurrency or SQS_MAX_BATCHES
        self.esm = min(SQS_START_BATCHES, self.top)
        self.busy: list[float] = [INF]
        self.pcb: list[float] = [INF]
        self.gone = _reclaim_times(od_limit)
        self.scale = _ScalingBudget()
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
        if self.gone[len(self.busy)] > t:  # see _reclaim_times
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

    def result(self) -> _Run:
        cols = np.array(self.batches, dtype=float).reshape(-1, 6)
        starts, counts = cols[:, 0], cols[:, 5].astype(np.int64)
        cold = cols[:, 4] > 0
        taken = int(counts.sum())
        waits = np.repeat(starts + self.init * cold, counts) - self.ts[:taken]
        return _Run(
            starts=starts, ends=cols[:, 1], billed=cols[:, 2], on_pc=cols[:, 3] > 0, cold=cold,
            throttle_times=np.empty(0), peaks=self.peaks, added_latency=waits,
            latency_count=taken, scaling_throttled=0, batch_starts=starts,
            batch_counts=counts, esm=self.esm_series,
        )


# ---------------------------------------------------------------------------------------------
# Per-second series and the summary


def _per_second(times: np.ndarray, seconds: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Count (or sum ``weights``) of events by the second they fall in; later ones dropped.

    ``times`` must be sorted: then the counts are differences of ``searchsorted`` positions,
    which is much cheaper than binning every event.
    """
    edges = np.searchsorted(times, np.arange(seconds + 1, dtype=float), side="left")
    if weights is None:
        return np.diff(edges).astype(float)
    cumulative = np.concatenate(([0.0], np.cumsum(weights, dtype=float)))
    return np.diff(cumulative[edges])


def _mean_in_flight(starts: np.ndarray, ends: np.ndarray, seconds: int) -> np.ndarray:
    """Time-averaged number in flight in each second, without looping over requests.

    With G(x) = Σ (min(x, end) − start)⁺ the busy time up to x, G(x) = Σ_{start<x} (x − start)
    − Σ_{end<x} (x − end); both sums come from counts and totals below each whole second.
    ``starts`` are sorted (searchsorted); ``ends`` are not (bincount).
    """
    if len(starts) == 0:
        return np.zeros(seconds)
    edges = np.arange(seconds + 1, dtype=float)
    count = np.searchsorted(starts, edges, side="left")
    total = np.concatenate(([0.0], np.cumsum(starts)))[count]
    g = edges * count - total
    bins = np.minimum(np.floor(ends), seconds).astype(np.int64)
    per_count = np.bincount(bins, minlength=seconds + 1)[: seconds + 1]
    per_total = np.bincount(bins, weights=ends, minlength=seconds + 1)[: seconds + 1]
    g -= edges * np.concatenate(([0], np.cumsum(per_count)[:-1]))
    g += np.concatenate(([0.0], np.cumsum(per_total)[:-1]))
    return np.maximum(np.diff(g), 0.0)


def _queue_series(ts: np.ndarray, leave: np.ndarray, seconds: int) -> tuple[np.ndarray, ...]:
    """Async events waiting at the end of each second, and the age of the oldest.

    The oldest waiting event is the first (in arrival order) whose leave time is later: the
    first index where the running maximum of leave times passes the moment.
    """
    x = np.arange(1, seconds + 1, dtype=float)
    arrived = np.searchsorted(ts, x, side="right")
    left = np.searchsorted(np.sort(leave), x, side="right")
    depth = (arrived - left).astype(float)
    if len(ts) == 0:
        return depth, np.zeros(seconds)
    first = np.searchsorted(np.maximum.accumulate(leave), x, side="right")
    first = np.minimum(first, len(ts) - 1)
    waiting = (depth > 0) & (ts[first] <= x)
    return depth, np.where(waiting, x - ts[first], 0.0)


def _backlog_series(ts: np.ndarray, starts: np.ndarray, counts: np.ndarray,
                    seconds: int) -> tuple[np.ndarray, ...]:
    """SQS messages waiting at the end of each second, and the oldest one's age (FIFO)."""
    x = np.arange(1, seconds + 1, dtype=float)
    arrived = np.searchsorted(ts, x, side="right")
    taken_cum = np.concatenate(([0], np.cumsum(counts)))
    head = taken_cum[np.searchsorted(starts, x, side="right")]
    depth = (arrived - head).astype(float)
    if len(ts) == 0:
        return depth, np.zeros(seconds)
    oldest = np.where(depth > 0, x - ts[np.minimum(head, len(ts) - 1)], 0.0)
    return depth, oldest


def _p99(sample: np.ndarray, count: int) -> float:
    """Nearest-rank 99th percentile of ``count`` values: ``sample`` plus zeros for the rest."""
    if count == 0:
        return 0.0
    rank = math.ceil(0.99 * count)  # 1-based
    zeros = count - len(sample)
    if rank <= zeros:
        return 0.0
    return float(np.partition(sample, rank - zeros - 1)[rank - zeros - 1])


def _costs(s: Settings, run: _Run) -> tuple[np.ndarray, np.ndarray]:
    gb = s.memory_mb / 1024.0
    od, pc = ~run.on_pc, run.on_pc
    od_cost = _per_second(run.starts[od], s.seconds,
                          PRICE_PER_REQUEST + run.billed[od] * gb * PRICE_GB_S)
    pc_cost = _per_second(run.starts[pc], s.seconds,
                          PRICE_PER_REQUEST + run.billed[pc] * gb * PRICE_PC_DURATION_GB_S)
    return od_cost, pc_cost + s.provisioned * gb * PRICE_PC_GB_S


def _erlang_prediction(s: Settings) -> tuple[float | None, float | None]:
    """Erlang-B throttle share where the textbook assumptions hold (steady, sync, fixed cap)."""
    if s.traffic.kind is not LoadKind.STEADY:
        return None, None
    offered = s.traffic.level * s.duration_ms / 1000.0
    fixed_cap = s.reserved is not None or s.other_load.kind is LoadKind.STEADY
    if s.invocation is not Invocation.SYNC or s.caller_retries or not fixed_cap:
        return None, offered
    return erlang_b(int(s.function_limit()[0]), offered), offered


def _summarise(s: Settings, ts: np.ndarray, run: _Run, limit: np.ndarray) -> Result:
    n = s.seconds
    if run.leave is not None:
        depth, oldest = _queue_series(ts, run.leave, n)
    elif run.batch_starts is not None:
        depth, oldest = _backlog_series(ts, run.batch_starts, run.batch_counts, n)
    else:
        depth, oldest = np.zeros(n), np.zeros(n)
    od_cost, pc_cost = _costs(s, run)
    steps = Steps(
        arrivals=_per_second(ts, n), invocations=_per_second(run.starts, n),
        concurrency_peak=np.asarray(run.peaks, dtype=float),
        concurrency_mean=_mean_in_flight(run.starts, run.ends, n),
        provisioned_in_use=_mean_in_flight(run.starts[run.on_pc], run.ends[run.on_pc], n),
        throttles=_per_second(run.throttle_times, n),
        cold_starts=_per_second(run.starts[run.cold], n), queue_depth=depth,
        oldest_age_s=oldest, dlq=_per_second(np.sort(run.dlq_times), n), cost_on_demand=od_cost,
        cost_provisioned=pc_cost, limit=limit.astype(float), other_load=s.other_use(),
        esm_concurrency=np.asarray(run.esm if run.esm else np.zeros(n), dtype=float),
    )
    return Result(s, steps, _summary(s, ts, run, steps), run.trace)


def _summary(s: Settings, ts: np.ndarray, run: _Run, steps: Steps) -> Summary:
    invocations, throttled = len(run.starts), len(run.throttle_times)
    attempts = invocations + throttled
    cold = int(np.count_nonzero(run.cold))
    gb = s.memory_mb / 1024.0
    billed_pc_s = math.ceil(s.seconds / PC_BILLING_INCREMENT_S) * PC_BILLING_INCREMENT_S
    pc_config = s.provisioned * gb * PRICE_PC_GB_S
    pc_usage = float(steps.cost_provisioned.sum()) - pc_config * s.seconds
    od_total = float(steps.cost_on_demand.sum())
    predicted, offered = _erlang_prediction(s)
    return Summary(
        arrivals=len(ts), invocations=invocations, throttled=throttled,
        throttle_fraction=throttled / attempts if attempts else 0.0,
        scaling_throttled=run.scaling_throttled, failed=run.failed, errors=run.errors,
        dlq=int(steps.dlq.sum()), cold_starts=cold,
        cold_start_fraction=cold / invocations if invocations else 0.0,
        peak_concurrency=int(max(run.peaks, default=0)),
        mean_concurrency=float(steps.concurrency_mean.mean()),
        p99_added_latency_ms=1000.0 * _p99(run.added_latency, run.latency_count),
        max_queue_depth=int(steps.queue_depth.max(initial=0)),
        max_oldest_age_s=float(steps.oldest_age_s.max(initial=0)),
        cost_on_demand_usd=od_total, cost_provisioned_usd=pc_usage + pc_config * billed_pc_s,
        cost_total_usd=od_total + pc_usage + pc_config * billed_pc_s,
        cost_per_day_usd=(od_total + pc_usage) * 86_400 / s.seconds + pc_config * 86_400,
        erlang_b=predicted, offered_load=offered,
    )


# ---------------------------------------------------------------------------------------------
# Presets: each one teaches one idea.


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    idea: str  # the one idea, in a sentence
    watch: str  # what to look at in the chart and the numbers
    settings: Settings


def _presets() -> dict[str, Preset]:
    neighbour = Load(LoadKind.SPIKE, level=300, peak=980, start_s=120, length_s=180)
    presets = [
        Preset(
            "noisy-neighbour", "A noisy neighbour eats the account limit",
            "Functions without reserved concurrency share one pool, the account limit. When "
            "another function takes most of it, this one is throttled although its own "
            "traffic never changed.",
            "At 120 s the other functions jump to 980 of the account's 1,000. The dashed "
            "limit line (account limit minus the other functions) falls from 700 to 20, "
            "below the ~30 this function needs (150 requests/s × 0.2 s), and red throttle "
            "marks appear until the neighbour calms down at 300 s.",
            Settings(traffic=steady(150), seconds=420, duration_ms=200,
                     duration_dist=DurationDist.EXPONENTIAL, other_load=neighbour),
        ),
        Preset(
            "reserved-protects", "Reserved concurrency protects a critical function",
            "Reserved concurrency sets aside part of the account limit for one function: other "
            "functions can no longer take it. It is also a ceiling for that function.",
            "Same neighbour spike as before, but this function reserves 60, so the neighbour "
            "can use at most 940 of the account. The limit line stays flat at 60 and nothing "
            "is throttled. Try reserving "
            "25 to see the other side: reserved concurrency is also a ceiling, and the "
            "function is throttled all the time.",
            Settings(traffic=steady(150), seconds=420, duration_ms=200,
                     duration_dist=DurationDist.EXPONENTIAL, other_load=neighbour, reserved=60),
        ),
        Preset(
            "provisioned-cold-starts", "Provisioned concurrency removes cold starts — at a price",
            "Provisioned environments are initialised before requests arrive, so requests "
            "they serve never wait for a cold start. You pay for them whether used or not.",
            "A spike from 20 to 200 requests/s needs about 100 environments. With 150 "
            "provisioned there are no cold-start marks and the p99 added latency is 0; the "
            "cost per day includes the provisioned charge even at the quiet times. Set "
            "provisioned to 0 to compare: cold starts when the spike hits (even a few "
            "throttles, since initialising environments count as busy) and a lower bill.",
            Settings(traffic=Load(LoadKind.SPIKE, level=20, peak=200, start_s=120, length_s=120),
                     seconds=420, duration_ms=500, duration_dist=DurationDist.FIXED,
                     init_ms=800, idle_reclaim_s=60, reserved=200, provisioned=150),
        ),
        Preset(
            "sqs-burst", "SQS absorbs a burst",
            "With an SQS queue in front, a burst does not get throttled: messages wait in "
            "the queue and the event source mapping works through them at the concurrency "
            "it is allowed.",
            "A 30-second burst of 3,000 messages/s. The mapping starts at 5 concurrent "
            "batches and adds up to 300 a minute (5 a second here) until MaximumConcurrency "
            "200, so "
            "the backlog climbs, peaks, then drains; no throttles. The price is latency: "
            "the p99 added latency is time spent waiting in the queue.",
            Settings(traffic=Load(LoadKind.SPIKE, level=20, peak=3000, start_s=30, length_s=30),
                     seconds=240, duration_ms=100, duration_dist=DurationDist.EXPONENTIAL,
                     invocation=Invocation.SQS, batch_size=10, batching_window_s=0,
                     max_concurrency=200, reserved=250),
        ),
        Preset(
            "async-dlq", "Async retries end in the DLQ",
            "Lambda queues asynchronous events and retries them: throttles with a growing "
            "backoff, function errors about 1 and 2 minutes later. Events that still fail, or "
            "that grow older than the maximum event age, go to the dead-letter queue.",
            "A spike to 50 events/s meets reserved concurrency 25: events are throttled and "
            "come back after 1, 2, 4 ... s, so the queue depth and the oldest event's age "
            "climb. 20 % of attempts fail and are retried a minute later. Watch the DLQ "
            "count: events past 5 minutes old, and events that failed three times.",
            Settings(traffic=Load(LoadKind.SPIKE, level=15, peak=50, start_s=60, length_s=60),
                     seconds=900, duration_ms=1000, duration_dist=DurationDist.FIXED,
                     invocation=Invocation.ASYNC, reserved=25, error_rate=0.2,
                     max_event_age_s=300, max_retry_attempts=2),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset] = _presets()
