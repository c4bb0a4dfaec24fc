"""What a simulation hands back: per-second series, a summary, and the settings that made them.

The page draws the series and shows the summary; ``trainer simulate`` prints the summary
(``--json``: :meth:`SimulationResult.to_json_dict`) and, on request, the series.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from trainer.explainers.concurrency.settings import PlaygroundSettings


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
class SimulationResult:
    settings: PlaygroundSettings
    steps: Steps
    summary: Summary
    trace: list[tuple[float, int, str]] = field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """The summary as plain JSON values, with the run length and the invocation type."""
        out = asdict(self.summary)
        out["seconds"] = self.settings.seconds
        out["invocation"] = self.settings.invocation.value
        return out
