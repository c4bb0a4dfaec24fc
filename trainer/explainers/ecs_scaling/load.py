"""What the offered load does to the service each second: requests served and dropped, and the
three metrics target tracking can follow (CPU, memory, requests per target).

Everything here is vectorised over seconds: the run loop calls it on one minute to make a
datapoint, and on the whole run to make the series.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.explainers.ecs_scaling.settings import EcsSettings, ScalingMetric


@dataclass(frozen=True)
class Served:
    """Per-second values for given offered load and healthy tasks (NaN metrics with no task)."""

    served: np.ndarray  # requests/s served
    dropped: np.ndarray  # requests/s beyond what healthy tasks can serve (slow or failed)
    cpu_pct: np.ndarray  # mean CPU utilisation of the healthy tasks
    memory_pct: np.ndarray
    requests_per_target: np.ndarray  # requests per healthy target per minute (ALB's unit)


def serve(s: EcsSettings, offered: np.ndarray, healthy: np.ndarray) -> Served:
    healthy_f = healthy.astype(np.float64)
    capacity = healthy_f * s.task_capacity_rps
    served = np.minimum(offered, capacity)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_task = np.where(healthy_f > 0, served / healthy_f, np.nan)
        cpu = np.minimum(per_task / s.task_rps, 1.0) * 100.0
        memory = np.minimum(s.memory_idle_pct + s.memory_per_load_pct * per_task / s.task_rps, 100.0)
        per_target = np.where(healthy_f > 0, offered * 60.0 / healthy_f, np.nan)
    return Served(served, offered - served, cpu, memory, per_target)


def metric_of(served: Served, metric: ScalingMetric) -> np.ndarray:
    if metric is ScalingMetric.CPU:
        return served.cpu_pct
    if metric is ScalingMetric.MEMORY:
        return served.memory_pct
    return served.requests_per_target


def datapoint(values: np.ndarray) -> float:
    """A one-minute datapoint: the mean of the seconds that had data (NaN: INSUFFICIENT_DATA)."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else float("nan")
