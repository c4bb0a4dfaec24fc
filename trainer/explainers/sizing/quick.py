"""One-workload calculators: the command line's ``trainer size ecs`` and ``trainer size lambda``.

They answer the quick question (one ECS service, or functions sharing subnets) without a whole
plan, by building the same records :func:`~trainer.explainers.sizing.calculation.size_plan`
uses, so both give the same numbers. The results are JSON-ready dicts.
"""

from __future__ import annotations

from typing import Any

from trainer.explainers.sizing.calculation import even_share, legacy_enis, size_lambda, size_service
from trainer.explainers.sizing.checks import SizingError, parse_enum, require_count
from trainer.explainers.sizing.instances import instance_limits
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.sizing.limits import (
    DEFAULT_MAX_PERCENT,
    HYPERPLANE_ADDRESS_ASSUMPTION,
    LAMBDA_VPC_ENI_QUOTA,
    LAMBDA_VPC_ENI_QUOTA_TEXT,
    MAX_WORKLOAD_SUBNETS,
)
from trainer.explainers.sizing.plan import EcsService, LambdaFunction


def quick_ecs(
    launch_type: LaunchType | str,
    tasks: int,
    max_tasks: int | None = None,
    max_percent: int = DEFAULT_MAX_PERCENT,
    instance_type: str | None = None,
    trunking: bool = False,
    subnets: int = 1,
) -> dict[str, Any]:
    """Addresses and instances for one ECS service spread over ``subnets`` subnets."""
    require_count(subnets, "subnets")
    require_count(tasks, "tasks")
    if not 1 <= subnets <= MAX_WORKLOAD_SUBNETS:
        raise SizingError(
            f"subnets must be from 1 to {MAX_WORKLOAD_SUBNETS} (a service "
            f"takes at most {MAX_WORKLOAD_SUBNETS}), got {subnets}"
        )
    if max_tasks is not None:
        require_count(max_tasks, "max tasks")
        if max_tasks < tasks:
            raise SizingError(
                f"max tasks ({max_tasks}) is below tasks ({tasks}); the auto "
                "scaling maximum must be at least the desired count"
            )
    what = "ECS service 'service'"  # the record's own prefix, removed again below
    try:
        service = EcsService(
            name="service",
            subnets=tuple(f"subnet-{i + 1}" for i in range(subnets)),
            launch_type=parse_enum(LaunchType, launch_type, what, "launch_type"),
            desired=tasks,
            maximum=max_tasks,
            max_percent=max_percent,
            instance_type=instance_type,
            trunking=trunking,
        )
    except SizingError as exc:
        raise SizingError(str(exc).removeprefix(f"{what}: ")) from None
    sized = size_service(service)
    data: dict[str, Any] = {
        "launch_type": service.launch_type.value,
        "tasks": service.desired,
        "max_tasks": service.max_tasks,
        "max_percent": service.max_percent,
        "subnets": subnets,
        "steady_ips": sized.steady_ips,
        "peak_tasks": sized.peak_tasks,
        "peak_ips": sized.peak_ips,
        "steady_ips_per_subnet": even_share(sized.steady_ips, subnets),
        "peak_ips_per_subnet": even_share(sized.peak_ips, subnets),
    }
    if service.launch_type is LaunchType.EC2:
        limits = instance_limits(service.instance_type or "")
        data.update(
            instance_type=limits.name,
            trunking=service.trunking,
            max_enis=limits.max_enis,
            tasks_per_instance=sized.tasks_per_instance,
            tasks_per_instance_without_trunking=limits.tasks_without_trunking,
            tasks_per_instance_with_trunking=limits.tasks_with_trunking,
            instances_steady=sized.instances_steady,
            instances_needed=sized.instances_peak,
            note="instances counted for network interfaces only, not CPU or memory; "
            "their own interfaces' addresses are not in peak_ips",
        )
    return data


def quick_lambda(
    subnets: int,
    security_group_sets: int,
    connections: int = 0,
    concurrency: int | None = None,
    memory_mb: int | None = None,
) -> dict[str, Any]:
    """Hyperplane ENIs for functions using ``security_group_sets`` different security-group
    sets in the same ``subnets`` subnets, with ``connections`` spread evenly over them."""
    require_count(subnets, "subnets")
    require_count(security_group_sets, "security group sets")
    require_count(connections, "connections")
    if not 1 <= subnets <= MAX_WORKLOAD_SUBNETS:
        raise SizingError(
            f"subnets must be from 1 to {MAX_WORKLOAD_SUBNETS} (a function takes at most "
            f"{MAX_WORKLOAD_SUBNETS}), got {subnets}"
        )
    if security_group_sets < 1:
        raise SizingError("security group sets must be at least 1")
    names = tuple(f"subnet-{i + 1}" for i in range(subnets))
    base, extra = divmod(connections, security_group_sets)
    functions = [
        LambdaFunction(
            name=f"functions-with-set-{i + 1}",
            subnets=names,
            security_groups=(f"sg-set-{i + 1}",),
            connections=base + (1 if i < extra else 0),
        )
        for i in range(security_group_sets)
    ]
    if (concurrency is None) != (memory_mb is None):
        raise SizingError("give both concurrency and memory_mb for the pre-2019 comparison, or neither")
    legacy = None
    if concurrency is not None and memory_mb is not None:
        try:
            LambdaFunction(
                name="legacy",
                subnets=names,
                security_groups=("sg",),
                concurrency=concurrency,
                memory_mb=memory_mb,
            )
        except SizingError as exc:
            raise SizingError(str(exc).removeprefix("Lambda function 'legacy': ")) from None
        legacy = legacy_enis(concurrency, memory_mb)
    sized = size_lambda(functions)
    per_subnet = dict.fromkeys(names, 0)
    for combo in sized.combinations:
        per_subnet[combo.subnet] += combo.enis_peak
    return {
        "subnets": subnets,
        "security_group_sets": security_group_sets,
        "combinations": len(sized.combinations),
        "connections": connections,
        "hyperplane_enis_steady": sized.enis_steady,
        "hyperplane_enis": sized.enis_peak,
        "hyperplane_enis_per_subnet": max(per_subnet.values()),
        "ips_assumed": sized.enis_peak,
        "ips_note": HYPERPLANE_ADDRESS_ASSUMPTION,
        "quota_enis_per_vpc": LAMBDA_VPC_ENI_QUOTA_TEXT,
        "over_quota": sized.enis_peak > LAMBDA_VPC_ENI_QUOTA,
        "legacy_enis": legacy,
        "legacy_model": "pre-2019 model, for contrast only: peak concurrency × "
        "(memory in GB / 3 GB), one address each",
    }
