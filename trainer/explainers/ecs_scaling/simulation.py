"""``simulate``: one ECS service, its Service Auto Scaling and its capacity, second by second.

The state changes only at a few moments: a minute ends (a CloudWatch datapoint; alarms, scaling
policies and managed scaling act), a task becomes healthy or fails, an instance registers, a
deployment starts. The loop jumps from one such moment to the next and fills the per-second
arrays in between with slices, so a day at one-second resolution is about 1,440 minute steps
plus the events; the load-dependent values (requests served, CPU, memory) are then computed for
the whole run at once with numpy. The datapoint a minute produces is computed from the same
function on that minute's slice, so what the alarms see is exactly what the chart shows.
"""

from __future__ import annotations

import math

import numpy as np

from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.alarms import AlarmState
from trainer.explainers.ecs_scaling.capacity import Cluster, InstanceChange
from trainer.explainers.ecs_scaling.deployments import Rollout
from trainer.explainers.ecs_scaling.load import datapoint, metric_of, serve
from trainer.explainers.ecs_scaling.results import (
    AlarmChange,
    DeploymentEvent,
    EcsResult,
    EcsSeries,
    ScalingActivity,
)
from trainer.explainers.ecs_scaling.scaler import Scaler
from trainer.explainers.ecs_scaling.settings import EcsSettings, ScalingMetric
from trainer.explainers.ecs_scaling.summary import summarise
from trainer.explainers.ecs_scaling.tasks import ServiceTasks

# The per-second state the loop records, in this order.
_STATE = ("desired", "running", "unhealthy", "starting", "waiting", "instances", "launching", "deployed")


class _Run:
    """The mutable state of one run; :func:`simulate` is its only user."""

    def __init__(self, s: EcsSettings) -> None:
        self.s = s
        self.offered = s.load.per_second(s.seconds)
        self.state = np.zeros((len(_STATE), s.seconds), dtype=np.int32)
        self.tasks = ServiceTasks(bad_revisions=frozenset({1}) if s.bad_revision else frozenset())
        self.cluster = Cluster(s)
        self.rollout = Rollout(s)
        self.scaler = Scaler(s)
        self.desired = s.start_tasks
        self.history: dict[ScalingMetric, list[float]] = {m: [] for m in ScalingMetric}
        self.alarm_states: dict[str, AlarmState] = {}
        self.activities: list[ScalingActivity] = []
        self.alarms: list[AlarmChange] = []
        self.instance_changes: list[InstanceChange] = []
        self.deployment_events: list[DeploymentEvent] = []
        self.failed_tasks = 0
        self._last_note: str | None = None
        # The service starts steady: its tasks already running on the instances it starts with.
        self.tasks.running[0] = s.start_tasks if self.cluster.fargate else min(
            s.start_tasks, self.cluster.ready * self.cluster.per_instance
        )  # fmt: skip
        self.tasks.add_waiting(0, s.start_tasks - self.tasks.running[0])

    # --- Moments ------------------------------------------------------------------------------

    def record(self, start: int, end: int) -> None:
        t = self.tasks
        values = (
            self.desired, t.n_running, t.n_unhealthy, t.n_starting, t.n_waiting,
            self.cluster.ready, self.cluster.n_launching, t.running[1],
        )  # fmt: skip
        self.state[:, start:end] = np.asarray(values, dtype=np.int32)[:, None]

    def settle(self, now: int) -> None:
        """Tasks and instances reach ``now``; the scheduler places and replaces tasks."""
        self.cluster.advance(now)
        failed = self.tasks.advance(now, self.s.grace_s)
        if failed:
            count = sum(failed.values())
            self.failed_tasks += count
            self.deployment_events.append(
                DeploymentEvent(now, f"{count} task(s) of revision {max(failed)} failed their health checks")
            )
            note = self.rollout.on_failures(failed.get(self.rollout.current, 0), self.desired)
            if note:
                self.deployment_events.append(DeploymentEvent(now, note))
        self.rollout.reconcile(self.tasks, self.desired)
        self.tasks.place(now, self.s.task_start_s, self.cluster.room(self.tasks.placed))
        if self.s.task_start_s == 0:
            self.tasks.advance(now, self.s.grace_s)

    def minute(self, now: int) -> None:
        """A minute ended: datapoints, alarms, Service Auto Scaling, then managed scaling."""
        window = slice(now - limits.DATAPOINT_S, now)
        served = serve(self.s, self.offered[window], self.state[1, window])
        for metric in ScalingMetric:
            self.history[metric].append(datapoint(metric_of(served, metric)))
        self._alarm_changes(now)
        decision = self.scaler.decide(now, self.desired, self.history, self.rollout.in_progress)
        if decision is not None:
            if decision.direction == "none":
                if decision.reason != self._last_note:
                    self.activities.append(
                        ScalingActivity(now, "none", self.desired, self.desired, decision.reason)
                    )
                self._last_note = decision.reason
            else:
                self.activities.append(
                    ScalingActivity(now, decision.direction, self.desired, decision.to, decision.reason)
                )
                self.desired, self._last_note = decision.to, None
        self.settle(now)
        change = self.cluster.managed_scaling(now, self.tasks.placed, self.tasks.n_waiting)
        if change is not None:
            self.instance_changes.append(change)
            if change.killed:
                self.tasks.stop(change.killed)
            self.settle(now)

    def _alarm_changes(self, now: int) -> None:
        for policy in self.scaler.policies:
            history = self.history[policy.metric]
            for alarm in (policy.high, policy.low):
                state = alarm.state(history)
                if self.alarm_states.get(alarm.name, AlarmState.INSUFFICIENT_DATA) is not state:
                    self.alarm_states[alarm.name] = state
                    value = history[-1]
                    self.alarms.append(AlarmChange(now, alarm.name, state.value, value, alarm.describe("")))

    def deploy(self, now: int) -> None:
        self.rollout.start(1)
        kind = "a revision whose tasks fail their health checks" if self.s.bad_revision else "revision 1"
        self.deployment_events.append(
            DeploymentEvent(
                now,
                f"Rolling update to {kind} (minimumHealthyPercent {self.s.min_healthy_pct}, "
                f"maximumPercent {self.s.max_pct})",
            )
        )


def simulate(settings: EcsSettings) -> EcsResult:
    settings.validate()
    s = settings
    run = _Run(s)
    now, next_minute = 0, limits.DATAPOINT_S
    run.settle(0)
    deploy_at = math.inf if s.deploy_at_s is None else s.deploy_at_s
    while now < s.seconds:
        upcoming = min(next_minute, run.tasks.next_event(), run.cluster.next_event(), deploy_at, s.seconds)
        upcoming = max(int(math.ceil(upcoming)), now + 1) if upcoming > now else now + 1
        run.record(now, min(upcoming, s.seconds))
        now = upcoming
        if now >= s.seconds:
            break
        if now >= deploy_at:
            run.deploy(now)
            deploy_at = math.inf
        run.settle(now)
        if now == next_minute:
            run.minute(now)
            next_minute += limits.DATAPOINT_S
    return _result(run)


def _result(run: _Run) -> EcsResult:
    s = run.s
    desired, running, unhealthy, starting, waiting, instances, launching, deployed = run.state
    served = serve(s, run.offered, running)
    series = EcsSeries(
        offered=run.offered,
        served=served.served,
        dropped=served.dropped,
        cpu_pct=served.cpu_pct,
        memory_pct=served.memory_pct,
        requests_per_target=served.requests_per_target,
        desired=desired,
        running=running,
        unhealthy=unhealthy,
        starting=starting,
        waiting=waiting,
        instances=instances,
        instances_launching=launching,
        deployed_running=deployed,
        cost_usd=np.zeros(s.seconds),
    )
    series, summary = summarise(s, series, run.activities, run.failed_tasks, run.rollout.state.value)
    return EcsResult(
        settings=s,
        summary=summary,
        series=series,
        datapoints={m.value: np.asarray(h, dtype=np.float64) for m, h in run.history.items()},
        reservation=np.asarray(run.cluster.reservation, dtype=np.float64),
        activities=tuple(run.activities),
        alarms=tuple(run.alarms),
        instance_changes=tuple(run.instance_changes),
        deployment_events=tuple(run.deployment_events),
    )
