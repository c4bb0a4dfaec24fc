"""The ECS auto scaling explainer's presets: each teaches one lesson, with what to watch.

Preset ids are stable: content YAML links cards to them (``explainer: {page: ecs-scaling,
preset: <id>}``), the page loads them from ``?preset=<id>`` and ``trainer simulate ecs --preset``
offers the same ids.
"""

from __future__ import annotations

from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement, PolicyKind
from trainer.explainers.preset import Preset
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.traffic import Load, LoadKind, steady


def _presets() -> dict[str, Preset[EcsSettings]]:
    ramp = Load(LoadKind.RAMP, level=60.0, peak=900.0, start_s=600.0, length_s=3_600.0)
    spike = Load(LoadKind.SPIKE, level=150.0, peak=600.0, start_s=900.0, length_s=1_200.0)
    spiky = EcsSettings(load=spike, seconds=5_400, start_tasks=5, min_tasks=2, max_tasks=40)
    jump = Load(LoadKind.SPIKE, level=100.0, peak=500.0, start_s=600.0, length_s=100_000.0)
    ec2 = EcsSettings(
        load=jump, seconds=3_600, launch_type=LaunchType.EC2, instance_type="m5.large", start_tasks=3,
        min_tasks=2, max_tasks=40, start_instances=2, task_start_s=20,
    )  # fmt: skip
    wave = Load(LoadKind.WAVE, level=40.0, peak=800.0)
    day = EcsSettings(load=wave, seconds=86_400, start_tasks=2, min_tasks=2, max_tasks=60)
    memory_bound = EcsSettings(
        load=Load(LoadKind.RAMP, level=50.0, peak=400.0, start_s=300.0, length_s=2_400.0), seconds=3_600,
        memory_idle_pct=40.0, memory_per_load_pct=120.0, start_tasks=3, max_tasks=40,
    )  # fmt: skip
    steady_service = EcsSettings(load=steady(300.0), seconds=2_400, start_tasks=9, min_tasks=9, max_tasks=30)
    presets = [
        Preset(
            "cpu-morning-ramp",
            "Target tracking on CPU follows a morning ramp",
            "A target tracking policy on ECSServiceAverageCPUUtilization keeps the tasks' average "
            "CPU near its target: as the load climbs it adds tasks in proportion, ceil(tasks × "
            "CPU / target), each time its alarm has seen 3 one-minute datapoints above the target.",
            "The load climbs from 60 to 900 requests/s over an hour. CPU hovers around the 70 % "
            "line while the desired count steps up every few minutes; each step's marker tells you "
            "the sum it did. At the top the count settles at ceil(900 / (50 × 0.7)) = 26 tasks.",
            EcsSettings(load=ramp, seconds=5_400, start_tasks=2, min_tasks=2, max_tasks=40),
        ),
        Preset(
            "spike-beats-cooldown",
            "A spike beats the alarms and the cooldown",
            "Scaling needs time: 3 minutes of datapoints before the alarm, a minute for new tasks "
            "to start, then a 300 s scale-out cooldown before the base of the next calculation "
            "moves. A sudden spike is over-run in the meantime, and CPU can't read above 100 %, so "
            "each step asks for at most 100/70 times the tasks.",
            "Load jumps from 150 to 600 requests/s at 900 s. Requests are dropped (red) for "
            "several minutes while the count climbs 5 → 8 → 12 → 18; after the spike the tasks stay "
            "until the scale-in alarm has seen 15 minutes below 63 %, then drop in one step.",
            spiky,
        ),
        Preset(
            "requests-see-demand",
            "ALBRequestCountPerTarget sees the whole spike",
            "CPU tops out at 100 %, so a CPU policy can't tell a spike of 2× from 10×. "
            "ALBRequestCountPerTarget counts every request the load balancer routes per target, "
            "so one step asks for the tasks the whole load needs.",
            "The spike of “spike-beats-cooldown”, scaled on 2,100 requests per target per minute "
            "(70 % of a task's 50 requests/s): the first scale-out goes straight to 18 tasks and "
            "far fewer requests are dropped. Compare the dropped count with the CPU preset.",
            spiky.with_(target_cpu=None, target_requests=2_100.0),
        ),
        Preset(
            "disable-scale-in",
            "DisableScaleIn keeps the capacity",
            "With scale-in disabled the policy only adds tasks; something else (a scheduled "
            "action, a step policy, a person) must remove them.",
            "Same spike as “spike-beats-cooldown”: the count climbs the same way and then stays "
            "at its peak to the end of the run. The cost per hour is the price of that.",
            spiky.with_(disable_scale_in=True),
        ),
        Preset(
            "step-scaling",
            "Step scaling: fixed steps from your own alarms",
            "A step policy adds or removes a fixed number of tasks when an alarm you defined "
            "fires, whatever the load: +1 for a small breach, +3 for a large one, −1 below the "
            "lower threshold. AWS recommends target tracking for utilisation metrics.",
            "The same spike: each minute of CPU above 85 % adds 3 tasks, but a single Cooldown of "
            "300 s holds the next step back, so the count climbs in small stairs and requests "
            "are dropped for longer than with target tracking.",
            spiky.with_(policy=PolicyKind.STEP),
        ),
        Preset(
            "tasks-wait-for-instances",
            "Tasks wait until managed scaling adds instances",
            "On EC2 a task needs room on an instance. With awsvpc each task takes an ENI: an "
            "m5.large without trunking holds 2 tasks. Tasks with no room wait in PROVISIONING; "
            "CapacityProviderReservation climbs above 100 % and managed scaling launches "
            "instances, one step per instance warm-up period.",
            "At 600 s the load jumps to 500 requests/s. Service Auto Scaling raises the desired "
            "count within 3 minutes, but the pending band (orange) stays wide: 2 tasks per "
            "instance, instances that take 2 minutes to boot and a 300 s warm-up between steps.",
            ec2,
        ),
        Preset(
            "trunking-packs-more",
            "ENI trunking: CPU, not ENIs, limits tasks per instance",
            "ENI trunking raises an m5.large from 2 to 10 awsvpc tasks. Tasks per instance is the "
            "least of CPU units, registered memory and ENIs, so now CPU (2,048 / 512 = 4) binds.",
            "The jump of “tasks-wait-for-instances” with trunking on: 4 tasks per instance, so "
            "half the instances, fewer tasks waiting, and the service catches up sooner.",
            ec2.with_(trunking=True),
        ),
        Preset(
            "fargate-day",
            "A day on Fargate: pay per task",
            "On Fargate you pay for each task's vCPU and memory per second, from the moment it "
            "is placed; scaling in saves money at once because there are no instances to empty.",
            "A daily wave from 40 to 800 requests/s. The task count follows the wave; the cost "
            "per hour (in the metrics) is the figure to compare with “ec2-day”.",
            day,
        ),
        Preset(
            "ec2-day",
            "The same day on EC2 with managed scaling",
            "On EC2 you pay for instances. Binpacking tasks onto few instances and managed "
            "scaling's scale-in keep the bill close to the tasks' needs, with spare room the "
            "target capacity leaves.",
            "Same wave as “fargate-day” on m5.large with trunking (4 tasks each). Instances follow "
            "the tasks with a lag. Compare the cost per hour: four 0.5 vCPU / 1 GB tasks cost "
            "Fargate about what one m5.large costs, so with spare room EC2 is not cheaper here; "
            "it pays off when tasks fill the instances.",
            day.with_(launch_type=LaunchType.EC2, trunking=True, task_start_s=20, start_instances=1),
        ),
        Preset(
            "spread-keeps-instances",
            "Spread placement stops managed scaling from scaling in",
            "Managed termination protection only lets the group terminate instances without "
            "tasks. Spread placement puts a task on every instance, so none is ever empty and the "
            "group can't scale in; binpack leaves whole instances free.",
            "After the spike the tasks scale in, but with spread each remaining task sits on its "
            "own instance and the instance count stays high. Switch placement to binpack to see "
            "the instances go.",
            ec2.with_(load=spike, seconds=5_400, start_tasks=5, trunking=True, placement=Placement.SPREAD),
        ),
        Preset(
            "bad-deployment-rollback",
            "The circuit breaker rolls back a bad deployment",
            "A rolling update whose new tasks never pass their health checks: with the deployment "
            "circuit breaker, ECS counts the failed tasks and, at 0.5 × the desired count (at "
            "least 3), fails the deployment and rolls back to the last completed one.",
            "At 600 s a deployment starts (minimumHealthyPercent 100, maximumPercent 200): 9 new "
            "tasks start next to the 9 old ones, doubling tasks and subnet addresses, fail after "
            "the 60 s grace period and health checks. Their failures pass the threshold of 5 "
            "(0.5 × 9): the breaker trips and the service keeps its old revision. Scale-in is "
            "suspended while the deployment runs.",
            steady_service.with_(deploy_at_s=600, bad_revision=True),
        ),
        Preset(
            "memory-bound-wrong-metric",
            "A memory-bound service scaled on CPU",
            "Scale on the resource that runs out first. This service's memory fills at half its "
            "CPU; a CPU target of 70 % is never reached, so the service never scales and the "
            "tasks drop what their memory can't hold.",
            "Memory sits at 100 % while CPU stays at 50 % and no scale-out ever happens; the red "
            "dropped area grows with the load. Switch to a memory target (preset "
            "“memory-bound-right-metric”) to fix it.",
            memory_bound,
        ),
        Preset(
            "memory-bound-right-metric",
            "The same service scaled on memory",
            "ECSServiceAverageMemoryUtilization tracks the resource that limits this service, so "
            "target tracking adds tasks before memory fills.",
            "Memory hovers near 75 % and the task count follows the load; compare the requests "
            "dropped with “memory-bound-wrong-metric”.",
            memory_bound.with_(target_cpu=None, target_memory=75.0),
        ),
    ]
    return {p.id: p for p in presets}


PRESETS: dict[str, Preset[EcsSettings]] = _presets()
