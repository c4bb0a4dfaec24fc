"""``trainer simulate ecs``: an ECS service with Service Auto Scaling, on Fargate or EC2.

Start from the defaults or a preset of the ECS auto scaling explainer (``--preset``), override
any setting, and get a summary (or ``--json``: max_tasks, final_tasks, max_instances,
first_scale_out_s, scale_out_events, scale_in_events, pending_task_seconds, requests_dropped,
cost_usd and the rest of the summary). The simulator loads when the command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from trainer.cli.reporting import print_result, settings_checked

if TYPE_CHECKING:
    from trainer.explainers.ecs_scaling.results import EcsResult
    from trainer.explainers.ecs_scaling.settings import EcsSettings

PRESET_IDS = (
    "cpu-morning-ramp",
    "spike-beats-cooldown",
    "requests-see-demand",
    "disable-scale-in",
    "step-scaling",
    "tasks-wait-for-instances",
    "trunking-packs-more",
    "fargate-day",
    "ec2-day",
    "spread-keeps-instances",
    "bad-deployment-rollback",
    "memory-bound-wrong-metric",
    "memory-bound-right-metric",
)

# Option name -> EcsSettings field, for options that map one to one.
_DIRECT = {
    "task_rps": "task_rps",
    "min_tasks": "min_tasks",
    "max_tasks": "max_tasks",
    "start_tasks": "start_tasks",
    "target_cpu": "target_cpu",
    "target_memory": "target_memory",
    "target_requests": "target_requests",
    "scale_out_cooldown": "scale_out_cooldown_s",
    "scale_in_cooldown": "scale_in_cooldown_s",
    "task_start_s": "task_start_s",
    "instance_type": "instance_type",
    "target_capacity": "target_capacity",
    "warmup_s": "warmup_s",
    "deploy_at_s": "deploy_at_s",
    "seconds": "seconds",
    "seed": "seed",
}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "ecs",
        help="simulate ECS service auto scaling on Fargate or EC2",
        description="Simulate one ECS service behind a load balancer: target tracking (or step) "
        "scaling with its alarms and cooldowns, tasks on Fargate or on EC2 instances with "
        "capacity provider managed scaling, and an optional rolling deployment. Unset options "
        "come from --preset, or the defaults.",
    )
    add = parser.add_argument
    add("--preset", choices=PRESET_IDS, help="start from a preset of the ECS auto scaling explainer")
    add("--launch-type", choices=["fargate", "ec2"], help="capacity: Fargate or EC2 (default fargate)")
    add("--rps", type=float, help="steady offered load, requests/s")
    add("--step-rps", type=float, help="the load jumps to this many requests/s at --step-at-s")
    add("--step-at-s", type=float, help="when the load jumps (default: half-way)")
    add("--task-rps", type=float, help="requests/s one task serves at 100%% CPU (default 50)")
    add("--target-cpu", type=float, help="CPU target tracking target, percent (default 70)")
    add("--target-memory", type=float, help="memory target tracking target, percent (default off)")
    add("--target-requests", type=float, help="ALBRequestCountPerTarget target per minute (default off)")
    add("--no-cpu-policy", action="store_true", help="turn the CPU target tracking policy off")
    add("--min-tasks", type=int, help="minimum capacity (default 2)")
    add("--max-tasks", type=int, help="maximum capacity (default 40)")
    add("--start-tasks", type=int, help="desired count at the start (default 3)")
    add("--scale-out-cooldown", type=int, help="ScaleOutCooldown, seconds (default 300)")
    add("--scale-in-cooldown", type=int, help="ScaleInCooldown, seconds (default 300)")
    add("--disable-scale-in", action="store_true", help="DisableScaleIn on the target tracking policies")
    add("--step-scaling", action="store_true", help="use one step scaling policy on CPU instead")
    add("--task-start-s", type=int, help="seconds from placement to healthy (default 60)")
    add("--instance-type", help="EC2: instance type (default m5.large)")
    add("--trunking", action="store_true", help="EC2: ENI trunking on")
    add("--spread", action="store_true", help="EC2: spread placement instead of binpack")
    add("--target-capacity", type=int, help="EC2: managed scaling targetCapacity, 1-100 (default 100)")
    add("--warmup-s", type=int, help="EC2: instanceWarmupPeriod (default 300)")
    add("--deploy-at-s", type=int, help="start a rolling update at this second")
    add("--bad-revision", action="store_true", help="the deployed revision fails its health checks")
    add("--seconds", type=int, help="simulated seconds (default 3600)")
    add("--seed", type=int, help="random seed (the load is deterministic; kept for repeatability)")
    add("--json", action="store_true", help="print the summary as JSON")
    parser.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> EcsSettings:
    from trainer.explainers.ecs_scaling.presets import PRESETS
    from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement, PolicyKind
    from trainer.explainers.sizing.kinds import LaunchType
    from trainer.explainers.traffic import Load, LoadKind, steady

    base = PRESETS[args.preset].settings if args.preset else EcsSettings()
    changes: dict[str, Any] = {
        field: getattr(args, opt) for opt, field in _DIRECT.items() if getattr(args, opt) is not None
    }
    if args.launch_type:
        changes["launch_type"] = LaunchType(args.launch_type)
    if args.no_cpu_policy:
        changes["target_cpu"] = None
    if args.disable_scale_in:
        changes["disable_scale_in"] = True
    if args.step_scaling:
        changes["policy"] = PolicyKind.STEP
    if args.trunking:
        changes["trunking"] = True
    if args.spread:
        changes["placement"] = Placement.SPREAD
    if args.bad_revision:
        changes["bad_revision"] = True
        changes.setdefault("deploy_at_s", base.deploy_at_s if base.deploy_at_s is not None else 600)
    seconds = changes.get("seconds", base.seconds)
    if args.step_rps is not None:
        level = args.rps if args.rps is not None else base.load.level
        at = args.step_at_s if args.step_at_s is not None else seconds / 2
        changes["load"] = Load(
            LoadKind.SPIKE, level=level, peak=args.step_rps, start_s=at, length_s=float(seconds)
        )
    elif args.rps is not None:
        changes["load"] = steady(args.rps)
    return base.with_(**changes)


def run(args: argparse.Namespace) -> int:
    from trainer.explainers.ecs_scaling.simulation import simulate

    with settings_checked():
        result = simulate(settings_from_args(args))
    return print_result(args.json, result.summary.to_json_dict, lambda: _text(result))


def _text(result: EcsResult) -> str:
    s, m = result.settings, result.summary
    capacity = (
        "Fargate"
        if m.tasks_per_instance is None
        else f"EC2 {s.instance_type} ({m.tasks_per_instance} tasks each, "
        f"trunking {'on' if s.trunking else 'off'})"
    )
    policies = (
        ", ".join(f"{metric.label} {target:g}" for metric, target in s.targets.items()) or "step scaling"
    )
    first = "never" if m.first_scale_out_s is None else f"at {m.first_scale_out_s:,} s"
    lines = [
        f"{s.load.describe('req/s')}, {s.task_rps:g} req/s per task, {capacity}, {policies}, {s.seconds:,} s",
        f"  tasks           {m.max_tasks} at most, {m.final_tasks} at the end "
        f"(min {s.min_tasks}, max {s.max_tasks})",
        f"  scaling         {m.scale_out_events} out (first {first}), {m.scale_in_events} in",
        f"  pending         {m.pending_task_seconds:,} task-seconds; "
        f"{m.max_waiting_tasks} waiting for room at most",
        f"  requests        {m.requests_served:,} served, {m.requests_dropped:,} dropped or slow "
        f"({100 * m.dropped_share:.1f} %)",
        f"  cost            ${m.cost_usd:,.2f} (${m.cost_per_hour_usd:,.3f} per hour)",
    ]
    if m.tasks_per_instance is not None:
        lines.insert(
            3, f"  instances       {m.max_instances} at most, {m.instance_hours:,.1f} instance-hours"
        )
    if m.deployment != "none":
        lines.append(f"  deployment      {m.deployment}, {m.failed_tasks} failed tasks")
    if m.steady_state_tasks is not None:
        lines.append(
            f"  closed form     ceil(final load / ({s.task_rps:g} × target)) = {m.steady_state_tasks} tasks"
        )
    return "\n".join(lines)
