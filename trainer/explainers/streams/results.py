"""What a stream run produced: per-second series, the summary, and the result that holds both.

``StreamSummary.to_json_dict`` is the shape ``trainer simulate stream --json`` prints, so its
key names are part of the command's interface.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from trainer.explainers.streams.settings import StreamSettings


@dataclass(frozen=True)
class StreamSeries:
    """One value per simulated second (index k covers [k, k + 1) s)."""

    concurrency_peak: np.ndarray  # most invocations running at once
    iterator_age_s: np.ndarray  # largest IteratorAge of the batches sent; NaN when none was sent
    oldest_wait_s: np.ndarray  # longest wait of a batch's oldest record when sent; NaN when none
    written: np.ndarray  # records written to the stream
    processed: np.ndarray  # records checkpointed (processed successfully)
    discarded: np.ndarray  # records given up on (to the on-failure destination, if any)
    failed_invocations: np.ndarray
    backlog: np.ndarray  # records written but neither processed nor discarded, at the second's end

    @property
    def seconds(self) -> int:
        return len(self.written)


@dataclass(frozen=True)
class StreamSummary:
    max_concurrency: int
    concurrency_limit: int  # shards × ParallelizationFactor
    max_iterator_age_s: float  # the newest record of a batch: how far behind the mapping is
    max_record_wait_s: float  # the oldest record of a batch: the longest any record waited
    records_written: int
    records_processed: int
    records_to_destination: int
    records_discarded: int  # equals records_to_destination when a destination is configured
    invocations: int
    failed_invocations: int
    batches_retried: int  # invocations that resent a failed batch (or a half of one)
    backlog_at_end: int
    poison_invocations: int | None  # invocations from the poison's first batch to its discard
    poison_discarded_at_s: float | None

    def to_json_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["max_iterator_age_s"] = round(self.max_iterator_age_s, 3)
        out["max_record_wait_s"] = round(self.max_record_wait_s, 3)
        if self.poison_discarded_at_s is not None:
            out["poison_discarded_at_s"] = round(self.poison_discarded_at_s, 3)
        return out


@dataclass(frozen=True)
class StreamResult:
    settings: StreamSettings
    summary: StreamSummary
    series: StreamSeries
    # The poisoned lane's invocations (start, end, first, stop, failed), for the chart and tests;
    # empty without a poison record.
    poison_lane: tuple[tuple[float, float, int, int, bool], ...] = ()
