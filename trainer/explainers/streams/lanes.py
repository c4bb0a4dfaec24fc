"""One lane of a shard: the batches a single poller sends to the function, one after another.

A shard with ``ParallelizationFactor`` F has up to F batches in flight. Lambda keeps records
with the same partition key in order, so this model gives every partition key a fixed lane
(key mod F) and lets each lane run one batch at a time, in arrival order: records of one key
are never processed out of order, and a failing record holds back every later record in its
lane, and only those. (AWS does not document how it assigns keys to concurrent batches; the
fixed lane is this simulator's assumption.)

What happens to a batch follows the Lambda developer guide, "Using Lambda with Amazon Kinesis"
(https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html), sections "Polling and
batching streams", "Error handling" and "Reporting batch item failures":

* Batching: Lambda invokes when the batch is full or the batching window has run out,
  whichever comes first; with a 0 s window, as soon as records are there. (The 6 MB payload
  cap and the once-a-second base polling rate are not modelled: a free lane reads at once.)
* A function error retries the same batch until it succeeds, the retries reach
  ``MaximumRetryAttempts``, or its records are older than ``MaximumRecordAgeInSeconds``; then
  Lambda discards the batch, sends its details to the on-failure destination, and moves on.
  The age is checked on the batch's oldest record before each attempt, and the whole batch is
  discarded (the guide speaks of discarding "a batch of records that's too old").
  With the defaults (−1, −1) a bad record blocks its shard until it leaves the stream.
* ``BisectBatchOnFunctionError`` splits a failed batch in two and retries each half (the first
  half first); "splitting a batch does not count towards the retry quota", so only a batch of
  one record uses retries.
* ``ReportBatchItemFailures``: the function returns the first failed record, Lambda
  checkpoints the records before it and retries from that record on.
* Lambda retries at once: no backoff is modelled between attempts.

The loop records times only; series and summaries are computed afterwards with numpy.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from trainer.explainers.streams.limits import INFINITE
from trainer.explainers.streams.settings import StreamSettings


@dataclass
class LaneRun:
    """What one lane did. Record indices are positions in the lane's own arrival array."""

    starts: list[float] = field(default_factory=list)  # each invocation's start (the batch is sent)
    ends: list[float] = field(default_factory=list)
    firsts: list[int] = field(default_factory=list)  # first record index in the batch
    stops: list[int] = field(default_factory=list)  # one past the last record index
    failed: list[bool] = field(default_factory=list)
    retried: list[bool] = field(default_factory=list)  # a retry (or half) of a failed batch
    ages: list[float] = field(default_factory=list)  # IteratorAge: start − arrival of the last record
    waits: list[float] = field(default_factory=list)  # start − arrival of the first (oldest) record
    done_times: list[float] = field(default_factory=list)  # when records were checkpointed ...
    done_counts: list[int] = field(default_factory=list)  # ... and how many
    dropped_times: list[float] = field(default_factory=list)  # when records were discarded ...
    dropped_counts: list[int] = field(default_factory=list)  # ... and how many
    poison_dropped_at: int | None = None  # index of the last invocation before the poison was dropped
    poison_dropped_s: float | None = None  # when it was dropped


def run_lane(arrivals: np.ndarray, poison: int | None, s: StreamSettings) -> LaneRun:
    """Simulate one lane over ``arrivals`` (sorted times); ``poison`` is the failing record's index."""
    run = LaneRun()
    n = len(arrivals)
    size, window, duration, end = s.batch_size, float(s.window_s), s.duration_ms / 1000.0, float(s.seconds)
    retries = math.inf if s.max_retry_attempts == INFINITE else s.max_retry_attempts
    max_age = math.inf if s.max_record_age_s == INFINITE else float(s.max_record_age_s)
    pending: deque[tuple[int, int, int]] = deque()  # failed batches (or halves) to retry, in order
    t, nxt = 0.0, 0
    while True:
        if pending:
            first, stop, used = pending.popleft()
            start, retry = t, True
        else:
            if nxt >= n:
                break
            opened = max(t, float(arrivals[nxt]))
            full_at = float(arrivals[nxt + size - 1]) if nxt + size - 1 < n else math.inf
            start = max(opened, min(opened + window, full_at))
            if start >= end:
                break
            first = nxt
            stop = min(nxt + size, int(np.searchsorted(arrivals, start, side="right")))
            nxt, used, retry = stop, 0, False
        if start >= end:
            break
        if start - float(arrivals[first]) > max_age:  # "a batch of records that's too old"
            _drop(run, start, stop - first, poison is not None and first <= poison < stop)
            continue
        finish = start + duration
        bad = poison is not None and first <= poison < stop
        run.starts.append(start)
        run.ends.append(finish)
        run.firsts.append(first)
        run.stops.append(stop)
        run.failed.append(bad)
        run.retried.append(retry)
        run.ages.append(start - float(arrivals[stop - 1]))
        run.waits.append(start - float(arrivals[first]))
        t = finish
        if not bad:
            _done(run, finish, stop - first)
            continue
        assert poison is not None
        if s.report_batch_item_failures and poison > first:
            _done(run, finish, poison - first)  # checkpointed before the first failed record
            first = poison
        if s.bisect and stop - first > 1:
            middle = first + (stop - first + 1) // 2
            pending.appendleft((middle, stop, 0))
            pending.appendleft((first, middle, 0))
        elif used < retries:
            pending.appendleft((first, stop, used + 1))
        else:
            _drop(run, finish, stop - first, True)
    return run


def _done(run: LaneRun, when: float, count: int) -> None:
    if count:
        run.done_times.append(when)
        run.done_counts.append(count)


def _drop(run: LaneRun, when: float, count: int, has_poison: bool) -> None:
    run.dropped_times.append(when)
    run.dropped_counts.append(count)
    if has_poison and run.poison_dropped_s is None:
        run.poison_dropped_at = len(run.starts) - 1
        run.poison_dropped_s = when
