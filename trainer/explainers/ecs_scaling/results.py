"""What an ECS auto scaling run produced: per-second series, per-minute datapoints, the events
(alarm changes, scaling activities, instance changes, deployment steps) and the summary.

``EcsSummary.to_json_dict`` is what ``trainer simulate ecs --json`` prints: its key names are
part of the command's interface.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from trainer.explainers.ecs_scaling.capacity import InstanceChange
from trainer.explainers.ecs_scaling.settings import EcsSettings


@dataclass(frozen=True)
class EcsSeries:
    """One value per simulated second (index k covers [k, k + 1) s)."""

    offered: np.ndarray  # requests/s offered
    served: np.ndarray
    dropped: np.ndarray  # requests/s beyond what healthy tasks serve: slow or failed
    cpu_pct: np.ndarray  # NaN while no task is healthy
    memory_pct: np.ndarray
    requests_per_target: np.ndarray  # per healthy target per minute
    desired: np.ndarray
    running: np.ndarray  # healthy and serving
    unhealthy: np.ndarray  # running but failing health checks (a bad revision)
    starting: np.ndarray  # placed, not yet healthy (PENDING)
    waiting: np.ndarray  # no room on any instance (PROVISIONING)
    instances: np.ndarray  # registered EC2 instances
    instances_launching: np.ndarray
    deployed_running: np.ndarray  # healthy tasks of the revision a deployment brings in
    cost_usd: np.ndarray  # spent in each second

    @property
    def seconds(self) -> int:
        return len(self.offered)

    @property
    def pending(self) -> np.ndarray:
        """Tasks desired but not serving yet: waiting for room or starting."""
        return self.waiting + self.starting


@dataclass(frozen=True)
class ScalingActivity:
    at_s: int
    direction: str  # "out", "in" or "none" (a reason it did not scale)
    before: int
    after: int
    reason: str


@dataclass(frozen=True)
class AlarmChange:
    at_s: int
    alarm: str
    state: str
    value: float  # the newest datapoint
    reason: str


@dataclass(frozen=True)
class DeploymentEvent:
    at_s: int
    text: str


@dataclass(frozen=True)
class EcsSummary:
    max_tasks: int  # most healthy tasks at once
    final_tasks: int  # healthy tasks at the end
    final_desired: int
    max_desired: int
    max_instances: int
    first_scale_out_s: int | None
    scale_out_events: int
    scale_in_events: int
    pending_task_seconds: int  # task-seconds spent waiting for room or starting
    max_waiting_tasks: int
    requests_offered: int
    requests_served: int
    requests_dropped: int
    dropped_share: float
    max_addresses: int  # subnet addresses held by tasks (awsvpc: one each) at the peak
    tasks_per_instance: int | None
    fargate_vcpu_hours: float
    fargate_gb_hours: float
    instance_hours: float
    cost_usd: float
    cost_per_hour_usd: float
    deployment: str
    failed_tasks: int
    steady_state_tasks: int | None  # the closed form ceil(load / (capacity × target)) at the final load

    def to_json_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("dropped_share", "fargate_vcpu_hours", "fargate_gb_hours", "instance_hours"):
            out[key] = round(out[key], 4)
        out["cost_usd"] = round(self.cost_usd, 4)
        out["cost_per_hour_usd"] = round(self.cost_per_hour_usd, 4)
        return out


@dataclass(frozen=True)
class EcsResult:
    settings: EcsSettings
    summary: EcsSummary
    series: EcsSeries
    datapoints: dict[str, np.ndarray]  # metric name -> one value per minute
    reservation: np.ndarray  # CapacityProviderReservation per minute (EC2)
    activities: tuple[ScalingActivity, ...] = ()
    alarms: tuple[AlarmChange, ...] = ()
    instance_changes: tuple[InstanceChange, ...] = ()
    deployment_events: tuple[DeploymentEvent, ...] = field(default_factory=tuple)
