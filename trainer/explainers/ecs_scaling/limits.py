"""The AWS numbers the ECS auto scaling simulator follows, where each is documented, and its guards.

Application Auto Scaling, target tracking
  (https://docs.aws.amazon.com/autoscaling/application/userguide/target-tracking-scaling-policy-overview.html):
  scale out "proportionally to the metric as fast as it can", scale in "more gradually", only when
  the metric is "far enough below the target value (usually more than 10% lower)"; several policies:
  scale out if any is ready, scale in only if all (with scale-in enabled) are, and the policy giving
  the largest capacity wins; no scaling on INSUFFICIENT_DATA; DisableScaleIn.
* Cooldowns (same page and
  https://docs.aws.amazon.com/autoscaling/application/APIReference/API_TargetTrackingScalingPolicyConfiguration.html):
  default 300 s for ECS services; during a scale-out cooldown the capacity already added counts
  toward the next scale-out, which happens only if it is larger; a scale-out during a scale-in
  cooldown happens at once and ends that cooldown.
* The alarms target tracking creates for ECS: scale-out after 3 one-minute datapoints above the
  target, scale-in after 15 one-minute datapoints below it. AWS's guides say only "scales in more
  gradually"; the 3 and 15 are what the console shows for the alarms it creates (e.g. a re:Post
  answer, https://repost.aws/questions/QUVoLPVCU5QamquwCMrFMOzw), so they are listed among the
  modelling choices as well.
* ECS scale-in is turned off while a deployment is in progress; scale-out goes on
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html).
* Predefined metrics ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization and
  ALBRequestCountPerTarget, the last in requests per target per minute
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/target-tracking-create-policy.html).
* Step scaling uses one Cooldown for both directions and your own alarms
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-stepscaling.html).

Capacity provider managed scaling
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-auto-scaling.html,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ManagedScaling.html):
  CapacityProviderReservation every minute, 100 % = every instance runs a task; above the
  targetCapacity (1-100, default 100) the Auto Scaling group scales out, below it in;
  minimumScalingStepSize 1 and maximumScalingStepSize 10,000 by default (1-10,000), applying to
  scale-out only; instanceWarmupPeriod default 300 s (0-10,000) blocks the next scale-out; with no
  instance at all the metric reads 200 %; managed termination protection terminates only
  instances without non-daemon tasks; don't combine spread with binpack.

Deployments
  (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html,
  https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeploymentCircuitBreaker.html):
  minimumHealthyPercent and maximumPercent bound the healthy and total tasks during a rolling
  update; the circuit breaker fails the deployment after threshold = 0.5 × desired count failed
  tasks, at least 3 and at most 200, and with rollback returns to the last completed deployment.

Tasks per instance (awsvpc: one ENI each, the primary ENI counts) come from the sizing
explainer's instance table; CPU is 1,024 units per vCPU
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html).
Tasks per service: 5,000 (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html).
"""

from __future__ import annotations

# --- Application Auto Scaling -----------------------------------------------------------------
DATAPOINT_S = 60  # CloudWatch one-minute datapoints
SCALE_OUT_DATAPOINTS = 3
SCALE_IN_DATAPOINTS = 15
SCALE_IN_THRESHOLD_SHARE = 0.9  # "usually more than 10% lower" than the target
DEFAULT_COOLDOWN_S = 300
MAX_COOLDOWN_S = 3_600 * 24  # the simulator's bound; the API accepts larger values

# --- Capacity providers -------------------------------------------------------------------------
MIN_TARGET_CAPACITY, MAX_TARGET_CAPACITY = 1, 100
DEFAULT_WARMUP_S, MAX_WARMUP_S = 300, 10_000
MIN_STEP, MAX_STEP = 1, 10_000
EMPTY_CLUSTER_RESERVATION = 200.0
CAPACITY_SCALE_IN_DATAPOINTS = 15  # a modelling choice, see choices.py
CPU_UNITS_PER_VCPU = 1_024

# --- Deployments --------------------------------------------------------------------------------
CIRCUIT_BREAKER_SHARE = 0.5
CIRCUIT_BREAKER_MIN, CIRCUIT_BREAKER_MAX = 3, 200
MAX_PERCENT_RANGE = (100, 200)  # the simulator's bounds, as in the sizing explainer
MIN_HEALTHY_RANGE = (0, 100)

# --- Service ------------------------------------------------------------------------------------
MAX_TASKS_PER_SERVICE = 5_000

# --- The simulator's guards (not AWS's) ---------------------------------------------------------
MAX_SECONDS = 7 * 86_400  # a week at one-second resolution stays well under a second of work
MAX_RPS = 1_000_000.0
MAX_TASK_RPS = 100_000.0
MAX_INSTANCES = 2_000
MAX_START_S = 3_600
