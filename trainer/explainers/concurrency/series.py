"""Per-second series from the raw record of a run, without looping over requests in Python.

Each function turns sorted event times into one value per second with ``searchsorted``,
``cumsum`` and ``bincount``; that is what lets the run loops record only times.
"""

from __future__ import annotations

import numpy as np


def per_second(times: np.ndarray, seconds: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Count (or sum ``weights``) of events by the second they fall in; later ones dropped.

    ``times`` must be sorted: then the counts are differences of ``searchsorted`` positions,
    which is much cheaper than binning every event.
    """
    edges = np.searchsorted(times, np.arange(seconds + 1, dtype=float), side="left")
    if weights is None:
        return np.diff(edges).astype(float)
    return np.diff(_running_total(weights)[edges])


def _running_total(values: np.ndarray) -> np.ndarray:
    """0 followed by the cumulative sums of ``values``, written straight into one array.

    The same numbers as ``concatenate(([0.0], cumsum(values)))`` with one large array instead
    of two: each fresh array of a million values costs page faults, which add up here.
    """
    out = np.empty(len(values) + 1)
    out[0] = 0.0
    np.cumsum(values, dtype=float, out=out[1:])
    return out


def mean_in_flight(starts: np.ndarray, ends: np.ndarray, seconds: int) -> np.ndarray:
    """Time-averaged number in flight in each second, without looping over requests.

    With G(x) = Σ (min(x, end) − start)⁺ the busy time up to x, G(x) = Σ_{start<x} (x − start)
    − Σ_{end<x} (x − end); both sums come from counts and totals below each whole second.
    ``starts`` are sorted (searchsorted); ``ends`` are not (bincount).
    """
    if len(starts) == 0:
        return np.zeros(seconds)
    edges = np.arange(seconds + 1, dtype=float)
    count = np.searchsorted(starts, edges, side="left")
    total = _running_total(starts)[count]
    g = edges * count - total
    bins = ends.astype(np.int64)  # ends are not negative, so truncating is the floor
    np.minimum(bins, seconds, out=bins)
    per_count = np.bincount(bins, minlength=seconds + 1)[: seconds + 1]
    per_total = np.bincount(bins, weights=ends, minlength=seconds + 1)[: seconds + 1]
    g -= edges * np.concatenate(([0], np.cumsum(per_count)[:-1]))
    g += np.concatenate(([0.0], np.cumsum(per_total)[:-1]))
    return np.maximum(np.diff(g), 0.0)


def queue_series(ts: np.ndarray, leave: np.ndarray, seconds: int) -> tuple[np.ndarray, ...]:
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


def backlog_series(
    ts: np.ndarray, starts: np.ndarray, counts: np.ndarray, seconds: int
) -> tuple[np.ndarray, ...]:
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
