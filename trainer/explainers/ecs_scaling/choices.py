"""Every point where the simulator had to choose because AWS documents no answer.

The page shows this list under "Modelling choices" and ``docs/ecs-scaling.md`` repeats it, so a
learner never mistakes a choice of this simulator for AWS behaviour. Keep each entry one sentence
or two, and add one whenever the engine decides something the documentation does not.
"""

from __future__ import annotations

MODELLING_CHOICES: tuple[str, ...] = (
    "Target tracking alarms: scale-out after 3 and scale-in after 15 consecutive one-minute "
    "datapoints. The console shows these for the alarms ECS target tracking creates; the AWS "
    "guides only say scale-in is 'more gradual'.",
    "The scale-in alarm's threshold is 90 % of the target ('usually more than 10% lower' in the "
    "Application Auto Scaling guide).",
    "A datapoint is the mean of the minute's per-second values and is evaluated the moment its "
    "minute ends; real CloudWatch datapoints arrive a minute or more later.",
    "While an alarm stays in ALARM its policy is evaluated again every minute, subject to the cooldowns.",
    "New capacity = ceil(current desired count × metric / target). During a scale-out cooldown "
    "the base is the count before the scale-out that started it, and the result counts only if "
    "it is larger than the desired count (AWS: 'a larger scale out').",
    "Scale-in is blocked during a scale-out cooldown as well as during a scale-in cooldown.",
    "Step scaling: +1 task for a breach under 15 points above the upper threshold, +3 for a "
    "larger one, −1 below the lower threshold; each alarm needs its own number of datapoints.",
    "Per-task load is shared evenly over healthy tasks; CPU % = requests served per task / the "
    "task's requests per second at 100 % CPU; memory % = idle memory + a share growing with load.",
    "Requests beyond what healthy tasks can serve (CPU at 100 % or memory full) count as dropped "
    "or slow; there is no queue and no retry.",
    "ALBRequestCountPerTarget counts every request offered (it still sees demand when CPU is "
    "pinned at 100 %), divided by healthy tasks.",
    "A task is healthy and serving a fixed start time after it is placed (Fargate: provisioning, "
    "image pull and health checks in one delay); stopping is immediate (no draining delay).",
    "EC2: an instance registers with the cluster a fixed boot time after the Auto Scaling group launches it.",
    "Registered instance memory is 94 % of the instance's memory (the OS and the ECS agent keep "
    "the rest; the real figure varies by AMI).",
    "Managed scaling: CapacityProviderReservation = instances needed (tasks binpacked by CPU, "
    "memory and ENIs) / instances × 100; scale-out adds ceil(needed × 100 / targetCapacity) − "
    "instances within the step sizes, at most one step per minute; scale-in after 15 one-minute "
    "datapoints below the target.",
    "Spread placement puts tasks round-robin on instances, so an instance is empty only when "
    "there are more instances than tasks; binpack fills instances in order.",
    "Without managed termination protection, scale-in terminates instances even when they run "
    "tasks; those tasks stop and the service starts them again.",
    "Rolling update: new tasks start while the total stays ≤ maximumPercent; old tasks stop while "
    "healthy tasks stay ≥ minimumHealthyPercent; a failed new task is replaced at once (no "
    "back-off).",
    "A task of a bad revision fails its health check 30 s after its grace period ends; it never "
    "serves traffic.",
    "Fargate is billed per second for every task placed (starting or running); the one-minute "
    "minimum, storage and data transfer are left out. EC2 instances are billed per second "
    "from launch.",
)
