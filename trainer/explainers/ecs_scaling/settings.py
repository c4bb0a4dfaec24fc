"""The ECS auto scaling simulator's settings: one frozen record of everything a run depends on.

The record is hashable, so the page caches runs by it. :meth:`EcsSettings.problems` lists every
reason AWS (or this simulator) would refuse the settings, so the page and the command show them
all at once; :meth:`EcsSettings.too_large` says which setting to lower before a run that would
take too long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.pricing import INSTANCE_SHAPES
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.instances import instance_limits
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.traffic import Load, LoadKind, SimulationError


class ScalingMetric(StrEnum):
    """The predefined metric a policy scales on."""

    CPU = "cpu"
    MEMORY = "memory"
    REQUESTS = "requests"

    @property
    def label(self) -> str:
        return _METRIC_LABELS[self]


_METRIC_LABELS = {
    ScalingMetric.CPU: "ECSServiceAverageCPUUtilization",
    ScalingMetric.MEMORY: "ECSServiceAverageMemoryUtilization",
    ScalingMetric.REQUESTS: "ALBRequestCountPerTarget",
}


class PolicyKind(StrEnum):
    TARGET_TRACKING = "target-tracking"
    STEP = "step"

    @property
    def label(self) -> str:
        return "Target tracking" if self is PolicyKind.TARGET_TRACKING else "Step scaling"


class Placement(StrEnum):
    BINPACK = "binpack"
    SPREAD = "spread"

    @property
    def label(self) -> str:
        return "binpack (memory)" if self is Placement.BINPACK else "spread (instanceId)"


@dataclass(frozen=True)
class EcsSettings:
    """One ECS service behind an Application Load Balancer, its scaling policies and capacity.

    Target tracking policies are on when their target is set (several may be on at once);
    ``policy`` STEP replaces them with one step scaling policy on ``step_metric``.
    """

    # Load
    load: Load = Load(LoadKind.RAMP, level=100.0, peak=500.0, start_s=600.0, length_s=1_800.0)  # requests/s
    seconds: int = 3_600
    seed: int = 1  # the load is deterministic; kept for the command's interface and future noise
    # Task
    task_rps: float = 50.0  # requests/s one task serves at 100 % CPU
    task_cpu: int = 512  # CPU units (1,024 per vCPU)
    task_memory_mib: int = 1_024
    memory_idle_pct: float = 30.0  # memory used by an idle task
    memory_per_load_pct: float = 30.0  # extra memory % at 100 % CPU
    # Service Auto Scaling
    min_tasks: int = 2
    max_tasks: int = 40
    start_tasks: int = 3
    policy: PolicyKind = PolicyKind.TARGET_TRACKING
    target_cpu: float | None = 70.0
    target_memory: float | None = None
    target_requests: float | None = None  # requests per target per minute
    scale_out_cooldown_s: int = limits.DEFAULT_COOLDOWN_S
    scale_in_cooldown_s: int = limits.DEFAULT_COOLDOWN_S
    disable_scale_in: bool = False
    step_metric: ScalingMetric = ScalingMetric.CPU
    step_upper: float = 70.0
    step_lower: float = 30.0
    step_out_datapoints: int = 1
    step_in_datapoints: int = 5
    step_cooldown_s: int = limits.DEFAULT_COOLDOWN_S
    # Capacity
    launch_type: LaunchType = LaunchType.FARGATE
    task_start_s: int = 60  # placed -> healthy and serving
    instance_type: str = "m5.large"
    trunking: bool = False
    placement: Placement = Placement.BINPACK
    target_capacity: int = 100
    instance_start_s: int = 120
    warmup_s: int = limits.DEFAULT_WARMUP_S
    min_step: int = limits.MIN_STEP
    max_step: int = limits.MAX_STEP
    termination_protection: bool = True
    min_instances: int = 0
    max_instances: int = 50
    start_instances: int = 1
    # Deployment
    deploy_at_s: int | None = None
    bad_revision: bool = False
    min_healthy_pct: int = 100
    max_pct: int = 200
    grace_s: int = 60
    circuit_breaker: bool = True
    rollback: bool = True

    def with_(self, **changes: Any) -> EcsSettings:
        return replace(self, **changes)

    # --- Derived values ----------------------------------------------------------------------

    @property
    def targets(self) -> dict[ScalingMetric, float]:
        """The target tracking policies that are on, by metric."""
        if self.policy is not PolicyKind.TARGET_TRACKING:
            return {}
        pairs = (
            (ScalingMetric.CPU, self.target_cpu),
            (ScalingMetric.MEMORY, self.target_memory),
            (ScalingMetric.REQUESTS, self.target_requests),
        )
        return {metric: float(value) for metric, value in pairs if value is not None}

    @property
    def memory_limited_rps(self) -> float:
        """Requests/s one task can take before its memory is full (inf when memory never fills)."""
        if self.memory_per_load_pct <= 0:
            return math.inf
        return (100.0 - self.memory_idle_pct) / self.memory_per_load_pct * self.task_rps

    @property
    def task_capacity_rps(self) -> float:
        """Requests/s one healthy task serves: CPU or memory, whichever fills first."""
        return min(self.task_rps, self.memory_limited_rps)

    @property
    def tasks_per_instance(self) -> int:
        """Tasks one instance holds: the least of CPU, registered memory and awsvpc ENIs."""
        return self.instance_fit()[0]

    def instance_fit(self) -> tuple[int, dict[str, int]]:
        shape = INSTANCE_SHAPES[self.instance_type]
        eni = instance_limits(self.instance_type).tasks_per_instance(self.trunking)
        by = {
            "CPU": shape.vcpus * limits.CPU_UNITS_PER_VCPU // self.task_cpu,
            "memory": int(shape.memory_gib * 1024 * 0.94) // self.task_memory_mib,
            "ENIs": eni,
        }
        return min(by.values()), by

    def steady_tasks(self, rps: float) -> int | None:
        """The closed form a single CPU target settles at: ceil(load / (capacity × target))."""
        if self.target_cpu is None or self.policy is not PolicyKind.TARGET_TRACKING:
            return None
        need = math.ceil(round(rps / (self.task_rps * self.target_cpu / 100.0), 9))
        return min(max(need, self.min_tasks), self.max_tasks)

    # --- Checks -------------------------------------------------------------------------------

    def problems(self) -> list[str]:
        out = self.load.problems("Offered load", "requests/s", limits.MAX_RPS)
        if self.seconds < 60:
            out.append("Simulate at least 60 seconds (one CloudWatch datapoint).")
        if not 0 < self.task_rps <= limits.MAX_TASK_RPS:
            out.append("Requests per task must be more than 0.")
        if self.task_cpu < 128 or self.task_cpu > 16_384:
            out.append("Task CPU must be 128 to 16,384 units.")
        if self.task_memory_mib < 128 or self.task_memory_mib > 122_880:
            out.append("Task memory must be 128 to 122,880 MiB.")
        if not 0 <= self.memory_idle_pct < 100 or self.memory_per_load_pct < 0:
            out.append("Idle memory must be 0 to 99 % and memory growth 0 or more.")
        if not 0 <= self.min_tasks <= self.max_tasks <= limits.MAX_TASKS_PER_SERVICE:
            out.append(
                f"Need 0 ≤ minimum tasks ≤ maximum tasks ≤ {limits.MAX_TASKS_PER_SERVICE:,} "
                "(tasks per service)."
            )
        if not self.min_tasks <= self.start_tasks <= self.max_tasks:
            out.append("Start tasks must be between the minimum and the maximum.")
        for name, value in (("CPU", self.target_cpu), ("memory", self.target_memory)):
            if value is not None and not 1 <= value <= 100:
                out.append(f"The {name} target must be 1 to 100 %.")
        if self.target_requests is not None and self.target_requests <= 0:
            out.append("The request count target must be more than 0 requests per target per minute.")
        if self.policy is PolicyKind.TARGET_TRACKING and not self.targets:
            out.append("Turn on at least one target tracking policy (CPU, memory or requests).")
        if self.policy is PolicyKind.STEP:
            if not self.step_lower < self.step_upper:
                out.append("Step scaling: the lower threshold must be below the upper one.")
            if not (1 <= self.step_out_datapoints <= 60 and 1 <= self.step_in_datapoints <= 60):
                out.append("Step scaling alarms need 1 to 60 datapoints.")
        for name, value in (
            ("Scale-out cooldown", self.scale_out_cooldown_s),
            ("Scale-in cooldown", self.scale_in_cooldown_s),
            ("Step cooldown", self.step_cooldown_s),
        ):
            if not 0 <= value <= limits.MAX_COOLDOWN_S:
                out.append(f"{name} must be 0 to {limits.MAX_COOLDOWN_S:,} s.")
        if not 0 <= self.task_start_s <= limits.MAX_START_S:
            out.append(f"Task start time must be 0 to {limits.MAX_START_S:,} s.")
        if self.launch_type is LaunchType.EC2:
            out.extend(self._ec2_problems())
        out.extend(self._deployment_problems())
        return out

    def _ec2_problems(self) -> list[str]:
        out: list[str] = []
        if self.instance_type not in INSTANCE_SHAPES:
            return [f"Unknown instance type {self.instance_type!r}; use one of {', '.join(INSTANCE_SHAPES)}."]
        try:
            fit = self.tasks_per_instance
        except SizingError as exc:
            return [f"{str(exc)[:1].upper()}{str(exc)[1:]}."]
        if fit < 1:
            out.append(f"One task ({self.task_cpu} CPU units, {self.task_memory_mib} MiB) does not fit "
                       f"on a {self.instance_type}: tasks would stay PROVISIONING forever.")  # fmt: skip
        if not limits.MIN_TARGET_CAPACITY <= self.target_capacity <= limits.MAX_TARGET_CAPACITY:
            out.append("targetCapacity must be 1 to 100 %.")
        if not 0 <= self.warmup_s <= limits.MAX_WARMUP_S:
            out.append(f"instanceWarmupPeriod must be 0 to {limits.MAX_WARMUP_S:,} s.")
        if not limits.MIN_STEP <= self.min_step <= self.max_step <= limits.MAX_STEP:
            out.append("Need 1 ≤ minimumScalingStepSize ≤ maximumScalingStepSize ≤ 10,000.")
        if not 0 <= self.instance_start_s <= limits.MAX_START_S:
            out.append(f"Instance boot time must be 0 to {limits.MAX_START_S:,} s.")
        if not 0 <= self.min_instances <= self.start_instances <= self.max_instances <= limits.MAX_INSTANCES:
            out.append(f"Need 0 ≤ minimum ≤ starting ≤ maximum instances ≤ {limits.MAX_INSTANCES:,}.")
        return out

    def _deployment_problems(self) -> list[str]:
        out: list[str] = []
        if self.deploy_at_s is not None and not 0 <= self.deploy_at_s < self.seconds:
            out.append("The deployment must start inside the simulated time.")
        lo, hi = limits.MIN_HEALTHY_RANGE
        if not lo <= self.min_healthy_pct <= hi:
            out.append("minimumHealthyPercent must be 0 to 100 here.")
        lo, hi = limits.MAX_PERCENT_RANGE
        if not lo <= self.max_pct <= hi:
            out.append("maximumPercent must be 100 to 200 here.")
        if self.min_healthy_pct == 100 and self.max_pct == 100:
            out.append("minimumHealthyPercent 100 with maximumPercent 100 leaves no room to replace a task.")
        if not 0 <= self.grace_s <= limits.MAX_START_S:
            out.append(f"Health check grace period must be 0 to {limits.MAX_START_S:,} s.")
        return out

    def validate(self) -> None:
        """Raise SimulationError with every problem, or the "too large" line, before any work."""
        problems = self.problems()
        if problems:
            raise SimulationError("\n".join(problems), problems)
        message = self.too_large()
        if message:
            raise SimulationError(message)

    def too_large(self) -> str | None:
        """A one-line "too large: lower X" when a run would take more than a few seconds."""
        if self.seconds > limits.MAX_SECONDS:
            return (
                f"Too large: {self.seconds:,} simulated seconds would take more than a few seconds; "
                f"lower the simulated time to {limits.MAX_SECONDS:,} or less."
            )
        return None
