"""Rolling updates and the deployment circuit breaker.

A rolling update (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html)
replaces tasks while the total stays at most ``maximumPercent`` of the desired count and the
healthy tasks at least ``minimumHealthyPercent`` of it (both rounded the safe way). With the
circuit breaker a deployment fails after threshold = 0.5 × desired count failed tasks (at least
3, at most 200; https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html);
with rollback ECS then deploys the last completed revision again. Without rollback the failed
deployment stops launching tasks and the service keeps what it has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.settings import EcsSettings
from trainer.explainers.ecs_scaling.tasks import ServiceTasks


class DeploymentState(StrEnum):
    NONE = "none"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    FAILED = "failed"
    ROLLED_BACK = "rolled-back"

    @property
    def label(self) -> str:
        return {
            "none": "No deployment",
            "in-progress": "In progress",
            "completed": "Completed",
            "failed": "Failed (no rollback)",
            "rolled-back": "Failed and rolled back",
        }[self.value]


def breaker_threshold(desired: int) -> int:
    """Failed tasks that fail a deployment: 0.5 × desired (rounded up), within 3..200."""
    return min(max(math.ceil(limits.CIRCUIT_BREAKER_SHARE * desired), limits.CIRCUIT_BREAKER_MIN),
               limits.CIRCUIT_BREAKER_MAX)  # fmt: skip


@dataclass
class Rollout:
    """The service's revisions and its deployment in progress, if any."""

    settings: EcsSettings
    current: int = 0  # the revision the service runs (or is moving to)
    stable: int = 0  # the last completed revision
    in_progress: bool = False
    frozen: bool = False  # a failed deployment without rollback: nothing new is launched
    failures: int = 0
    state: DeploymentState = DeploymentState.NONE
    rolling_back: bool = False

    def start(self, revision: int) -> None:
        self.current, self.in_progress, self.failures = revision, True, 0
        self.state = DeploymentState.IN_PROGRESS

    def on_failures(self, failed: int, desired: int) -> str | None:
        """Count failed tasks of the revision being deployed; returns what the breaker did, if anything."""
        s = self.settings
        if not self.in_progress or failed <= 0:
            return None
        self.failures += failed
        threshold = breaker_threshold(desired)
        if not s.circuit_breaker or self.rolling_back or self.failures < threshold:
            return None
        if s.rollback:
            self.rolling_back = True
            self.state = DeploymentState.ROLLED_BACK
            self.current, self.failures = self.stable, 0
            return (
                f"Circuit breaker: {threshold} failed tasks (0.5 × {desired} desired, 3..200) → "
                f"deployment FAILED, rolling back to revision {self.stable}"
            )
        self.in_progress, self.frozen = False, True
        self.state = DeploymentState.FAILED
        return (
            f"Circuit breaker: {threshold} failed tasks → deployment FAILED, no rollback: no new tasks start"
        )

    def reconcile(self, tasks: ServiceTasks, desired: int) -> int:
        """Launch (as waiting) and stop tasks toward ``desired``; returns tasks launched."""
        if self.frozen:
            return 0
        target = self.current
        live_target = tasks.of_revision(target)
        old_healthy = sum(n for rev, n in tasks.running.items() if rev != target)
        old_other = tasks.total - live_target - old_healthy
        if old_other:  # old tasks not serving yet (waiting, starting, unhealthy) are simply stopped
            self._stop_not_serving(tasks, target)
        if not self.in_progress:
            if live_target < desired:
                tasks.add_waiting(target, desired - live_target)
                return desired - live_target
            if live_target > desired:
                tasks.stop(live_target - desired, keep_revision=target)
            return 0
        s = self.settings
        max_total = math.floor(desired * s.max_pct / 100)
        min_healthy = math.ceil(desired * s.min_healthy_pct / 100)
        need = desired - live_target
        room = max_total - tasks.total
        start = max(0, min(need, room))
        tasks.add_waiting(target, start)
        healthy = tasks.n_running
        excess_old = old_healthy + live_target + start - desired
        stop = min(old_healthy, max(0, healthy - min_healthy), max(excess_old, need - start))
        for rev in [r for r in tasks.running if r != target]:
            stop -= tasks.stop_running(rev, stop)
        if need < 0:
            tasks.stop(-need, keep_revision=None)
        if tasks.running[target] >= desired and tasks.total == tasks.running[target]:
            self.in_progress = False
            self.stable = target
            if self.state is DeploymentState.IN_PROGRESS:
                self.state = DeploymentState.COMPLETED
        return start

    def _stop_not_serving(self, tasks: ServiceTasks, target: int) -> None:
        for stage in (tasks.waiting, tasks.starting, tasks.unhealthy):
            stage[:] = [row for row in stage if row[-2] == target]
