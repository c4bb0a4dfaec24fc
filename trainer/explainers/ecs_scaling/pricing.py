"""Prices and instance shapes the cost figures use: us-east-1, Linux, x86, On-Demand.

Fargate: $0.04048 per vCPU-hour and $0.004445 per GB-hour
(https://aws.amazon.com/fargate/pricing/). EC2 On-Demand hourly prices and each type's vCPUs and
memory (https://aws.amazon.com/ec2/pricing/on-demand/,
https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html) for the instance types the sizing
explainer's table knows, so tasks per instance can use its ENI limits. Prices change: they are
here to compare Fargate with EC2 for one load, not to quote a bill.
"""

from __future__ import annotations

from dataclasses import dataclass

FARGATE_VCPU_HOUR = 0.04048
FARGATE_GB_HOUR = 0.004445


@dataclass(frozen=True)
class InstanceShape:
    vcpus: int
    memory_gib: float
    usd_per_hour: float


INSTANCE_SHAPES: dict[str, InstanceShape] = {
    "t3.micro": InstanceShape(2, 1, 0.0104),
    "t3.small": InstanceShape(2, 2, 0.0208),
    "t3.medium": InstanceShape(2, 4, 0.0416),
    "t3.large": InstanceShape(2, 8, 0.0832),
    "m5.large": InstanceShape(2, 8, 0.096),
    "m5.xlarge": InstanceShape(4, 16, 0.192),
    "m5.2xlarge": InstanceShape(8, 32, 0.384),
    "c5.large": InstanceShape(2, 4, 0.085),
    "c5.xlarge": InstanceShape(4, 8, 0.17),
    "c5.2xlarge": InstanceShape(8, 16, 0.34),
    "r5.large": InstanceShape(2, 16, 0.126),
    "r5.xlarge": InstanceShape(4, 32, 0.252),
    "r5.2xlarge": InstanceShape(8, 64, 0.504),
    "m6i.large": InstanceShape(2, 8, 0.096),
    "m6i.xlarge": InstanceShape(4, 16, 0.192),
    "m6i.2xlarge": InstanceShape(8, 32, 0.384),
    "m6g.large": InstanceShape(2, 8, 0.077),
    "c6i.large": InstanceShape(2, 4, 0.085),
}


def fargate_usd_per_task_second(cpu_units: int, memory_mib: int) -> float:
    vcpu = cpu_units / 1024
    gb = memory_mib / 1024
    return (vcpu * FARGATE_VCPU_HOUR + gb * FARGATE_GB_HOUR) / 3600
