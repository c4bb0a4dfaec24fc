"""The raw record of one run: what each loop hands to the summary before any per-second series.

The three loops (synchronous, retrying, SQS) record only what feeds back into their decisions
and what cannot be recovered later: when each invocation started and ended, which were cold or
on provisioned environments, when throttles happened. Everything else (series, latencies,
cost) is computed from this record with numpy afterwards, which keeps the loops fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class RawRun:
    """Times in seconds from the start of the run; one entry per invocation unless noted."""

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
