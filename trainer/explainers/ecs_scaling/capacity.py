"""The capacity layer: Fargate, or EC2 instances in an Auto Scaling group with managed scaling.

Fargate has no instances: every task finds room at once. On EC2 a task needs room on a
registered instance: tasks per instance is the least of CPU units, registered memory and awsvpc
ENIs (with or without trunking), from ``EcsSettings.instance_fit``. Tasks without room wait.

Managed scaling (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html):
every minute ECS publishes CapacityProviderReservation, instances needed / instances × 100
(200 when there are none but tasks wait). Above ``targetCapacity`` the group scales out — by
the needed count, within minimumScalingStepSize and maximumScalingStepSize, never while an
instance is still in its ``instanceWarmupPeriod``, and to two instances from an empty cluster;
below it the group scales in, and with managed termination protection only instances without
tasks may go. How the alarms count datapoints is this simulator's choice (``choices``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement
from trainer.explainers.sizing.kinds import LaunchType


@dataclass(frozen=True)
class InstanceChange:
    """A scaling activity of the Auto Scaling group (``killed``: tasks stopped with their instance)."""

    at_s: int
    before: int
    after: int
    reason: str
    killed: int = 0


@dataclass
class Cluster:
    settings: EcsSettings
    ready: int = 0
    launching: list[list[int]] = field(default_factory=list)  # [ready_at_s, count]
    last_launch_s: float = -math.inf
    reservation: list[float] = field(default_factory=list)  # CapacityProviderReservation per minute

    def __post_init__(self) -> None:
        s = self.settings
        self.fargate = s.launch_type is LaunchType.FARGATE
        self.per_instance = 0 if self.fargate else s.tasks_per_instance
        if not self.fargate:
            self.ready = s.start_instances

    @property
    def n_launching(self) -> int:
        return sum(n for _, n in self.launching)

    @property
    def instances(self) -> int:
        return self.ready + self.n_launching

    def room(self, placed: int) -> int:
        """How many more tasks can be placed now."""
        if self.fargate:
            return limits.MAX_TASKS_PER_SERVICE
        return max(0, self.ready * self.per_instance - placed)

    def next_event(self) -> float:
        return min((t for t, _ in self.launching), default=math.inf)

    def advance(self, now: int) -> None:
        arrived = sum(n for t, n in self.launching if t <= now)
        self.ready += arrived
        self.launching = [[t, n] for t, n in self.launching if t > now]

    def needed(self, tasks: int) -> int:
        """Instances the tasks need, binpacked."""
        return math.ceil(tasks / self.per_instance) if tasks else 0

    def empty_instances(self, placed: int) -> int:
        if self.settings.placement is Placement.SPREAD:
            return max(0, self.ready - placed)
        return max(0, self.ready - self.needed(placed))

    def managed_scaling(self, now: int, placed: int, waiting: int) -> InstanceChange | None:
        """One minute of managed scaling; None when the group does not change."""
        if self.fargate:
            return None
        s = self.settings
        need, have = self.needed(placed + waiting), self.instances
        if have == 0:
            value = limits.EMPTY_CLUSTER_RESERVATION if need else 100.0
        else:
            value = 100.0 * need / have
        self.reservation.append(value)
        if value > s.target_capacity:
            if now < self.last_launch_s + s.warmup_s:
                return None
            wanted = 2 if have == 0 else math.ceil(round(need * 100.0 / s.target_capacity, 9))
            step = min(max(wanted - have, s.min_step), s.max_step, s.max_instances - have)
            if step <= 0:
                return None
            self.launching.append([now + s.instance_start_s, step])
            self.last_launch_s = now
            return InstanceChange(
                now, have, have + step,
                f"CapacityProviderReservation {value:,.0f} % > target {s.target_capacity} %: "
                f"{need} instance(s) needed for {placed + waiting} tasks ({self.per_instance} per "
                f"instance), {have} in the group → launch {step}",
            )  # fmt: skip
        recent = self.reservation[-limits.CAPACITY_SCALE_IN_DATAPOINTS :]
        if len(recent) < limits.CAPACITY_SCALE_IN_DATAPOINTS or not all(
            v < s.target_capacity for v in recent
        ):
            return None
        wanted = max(s.min_instances, math.ceil(round(need * 100.0 / s.target_capacity, 9)))
        excess = self.ready - wanted
        if excess <= 0:
            return None
        empty = self.empty_instances(placed)
        if s.termination_protection:
            gone, killed = min(excess, empty), 0
        else:
            gone = excess
            busy = self.ready - empty
            killed = min(placed, math.ceil((gone - min(gone, empty)) * placed / busy)) if busy else 0
        if gone <= 0:
            return None
        self.ready -= gone
        why = (
            f"CapacityProviderReservation {value:,.0f} % < target {s.target_capacity} % for "
            f"{limits.CAPACITY_SCALE_IN_DATAPOINTS} minutes → terminate {gone}"
        )
        if killed:
            why += f" (no managed termination protection: {killed} running task(s) stopped with them)"
        elif gone < excess:
            why += f" of {excess} (termination protection keeps instances that run tasks)"
        return InstanceChange(now, have, have - gone, why, killed)
