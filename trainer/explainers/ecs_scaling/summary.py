"""The run's cost series and summary, from the per-second series and the events."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from trainer.explainers.ecs_scaling.pricing import INSTANCE_SHAPES, fargate_usd_per_task_second
from trainer.explainers.ecs_scaling.results import EcsSeries, EcsSummary, ScalingActivity
from trainer.explainers.ecs_scaling.settings import EcsSettings
from trainer.explainers.sizing.kinds import LaunchType


def summarise(
    s: EcsSettings, series: EcsSeries, activities: list[ScalingActivity], failed_tasks: int, deployment: str
) -> tuple[EcsSeries, EcsSummary]:
    placed = series.running + series.unhealthy + series.starting
    fargate = s.launch_type is LaunchType.FARGATE
    if fargate:
        cost = placed * fargate_usd_per_task_second(s.task_cpu, s.task_memory_mib)
        task_seconds = float(placed.sum())
        vcpu_hours = task_seconds * s.task_cpu / 1024 / 3600
        gb_hours = task_seconds * s.task_memory_mib / 1024 / 3600
        instance_hours = 0.0
    else:
        price = INSTANCE_SHAPES[s.instance_type].usd_per_hour
        instance_seconds = (series.instances + series.instances_launching).astype(np.float64)
        cost = instance_seconds * price / 3600
        vcpu_hours = gb_hours = 0.0
        instance_hours = float(instance_seconds.sum()) / 3600
    series = replace(series, cost_usd=cost)
    outs = [a for a in activities if a.direction == "out"]
    total_cost = float(cost.sum())
    offered = float(series.offered.sum())
    dropped = float(series.dropped.sum())
    summary = EcsSummary(
        max_tasks=int(series.running.max(initial=0)),
        final_tasks=int(series.running[-1]),
        final_desired=int(series.desired[-1]),
        max_desired=int(series.desired.max(initial=0)),
        max_instances=int((series.instances + series.instances_launching).max(initial=0)),
        first_scale_out_s=outs[0].at_s if outs else None,
        scale_out_events=len(outs),
        scale_in_events=sum(1 for a in activities if a.direction == "in"),
        pending_task_seconds=int(series.pending.sum()),
        max_waiting_tasks=int(series.waiting.max(initial=0)),
        requests_offered=round(offered),
        requests_served=round(float(series.served.sum())),
        requests_dropped=round(dropped),
        dropped_share=dropped / offered if offered else 0.0,
        max_addresses=int(placed.max(initial=0)),
        tasks_per_instance=None if fargate else s.tasks_per_instance,
        fargate_vcpu_hours=vcpu_hours,
        fargate_gb_hours=gb_hours,
        instance_hours=instance_hours,
        cost_usd=total_cost,
        cost_per_hour_usd=total_cost * 3600 / s.seconds,
        deployment=deployment,
        failed_tasks=failed_tasks,
        steady_state_tasks=s.steady_tasks(float(series.offered[-1])),
    )
    return series, summary
