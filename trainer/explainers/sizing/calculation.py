"""Sizing a plan: tasks, instances, Hyperplane ENIs and addresses per subnet, at steady state and
at peak, and a split of the VPC CIDR into subnets of the recommended sizes.

Steady state is the desired task count and one Hyperplane ENI per subnet + security-group set;
peak is the auto scaling maximum times the deployment's maximumPercent, and one more
Hyperplane ENI per 65,000 connections. A workload spreads evenly over its subnets, each
subnet's share rounded up (a slight overestimate, on purpose).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
from collections.abc import Iterable, Mapping

from trainer.explainers.budget import DEFAULT_BUDGET, Work, WorkBudget
from trainer.explainers.sizing.addresses import reserved_addresses, smallest_prefix, usable_addresses
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.findings import assumptions, findings
from trainer.explainers.sizing.instances import instance_limits
from trainer.explainers.sizing.kinds import LaunchType, UseKind
from trainer.explainers.sizing.limits import (
    CIDR_BLOCKS_PER_VPC,
    CONNECTIONS_PER_HYPERPLANE_ENI,
    LEGACY_MB_PER_ENI,
    MIN_PREFIX,
)
from trainer.explainers.sizing.plan import EcsService, LambdaFunction, Plan
from trainer.explainers.sizing.results import (
    AddressUse,
    AzSizing,
    HyperplaneCombination,
    LambdaSizing,
    LegacyEstimate,
    PlanSizing,
    ServiceSizing,
    Split,
    SplitSubnet,
    SubnetSizing,
)


def even_share(count: int, ways: int) -> int:
    """Per-subnet share of an even spread, rounded up (a slight overestimate, on purpose)."""
    return math.ceil(count / ways) if count else 0


def size_service(service: EcsService) -> ServiceSizing:
    """Tasks, addresses and (on EC2) instances one ECS service needs."""
    steady_tasks, peak_tasks = service.desired, service.peak_tasks
    if service.launch_type is LaunchType.FARGATE:
        return ServiceSizing(
            name=service.name,
            launch_type=service.launch_type,
            subnets=service.subnets,
            steady_tasks=steady_tasks,
            peak_tasks=peak_tasks,
            steady_ips=steady_tasks,
            peak_ips=peak_tasks,
        )
    limits = instance_limits(service.instance_type or "")
    per_instance = limits.tasks_per_instance(service.trunking)
    instances_steady = math.ceil(steady_tasks / per_instance)
    instances_peak = math.ceil(peak_tasks / per_instance)
    interfaces = (2 if service.trunking else 1) if service.instances_in_task_subnets else 0
    return ServiceSizing(
        name=service.name,
        launch_type=service.launch_type,
        subnets=service.subnets,
        steady_tasks=steady_tasks,
        peak_tasks=peak_tasks,
        tasks_per_instance=per_instance,
        instances_steady=instances_steady,
        instances_peak=instances_peak,
        interfaces_per_instance=interfaces,
        steady_ips=steady_tasks,
        peak_ips=peak_tasks,
        instance_ips_steady=instances_steady * interfaces,
        instance_ips_peak=instances_peak * interfaces,
    )


def _service_uses(service: ServiceSizing) -> list[AddressUse]:
    ways = len(service.subnets)
    uses = []
    for subnet in service.subnets:
        uses.append(
            AddressUse(
                subnet,
                service.name,
                UseKind.ECS_TASK,
                even_share(service.steady_tasks, ways),
                even_share(service.peak_tasks, ways),
            )
        )
        if service.interfaces_per_instance:
            uses.append(
                AddressUse(
                    subnet,
                    service.name,
                    UseKind.ECS_INSTANCE,
                    even_share(service.instances_steady or 0, ways) * service.interfaces_per_instance,
                    even_share(service.instances_peak or 0, ways) * service.interfaces_per_instance,
                )
            )
    return uses


def hyperplane_enis(connections: int) -> int:
    """ENIs one subnet + security-group combination needs: one, plus one per 65,000
    connections beyond the first 65,000."""
    return max(1, math.ceil(connections / CONNECTIONS_PER_HYPERPLANE_ENI))


def legacy_enis(concurrency: int, memory_mb: int) -> int:
    """The pre-2019 sizing formula: peak concurrency x (memory in GB / 3 GB), rounded up."""
    return math.ceil(concurrency * memory_mb / LEGACY_MB_PER_ENI)


def size_lambda(functions: Iterable[LambdaFunction]) -> LambdaSizing:
    """Group functions into Hyperplane ENI combinations (subnet + security-group set).

    A function's connections are assumed to spread evenly over its subnets."""
    groups: dict[tuple[str, tuple[str, ...]], tuple[list[str], int]] = {}
    legacy = []
    for function in functions:
        share = even_share(function.connections, len(function.subnets))
        for subnet in function.subnets:
            names, connections = groups.get((subnet, function.security_groups), ([], 0))
            groups[(subnet, function.security_groups)] = ([*names, function.name], connections + share)
        if function.concurrency is not None and function.memory_mb is not None:
            legacy.append(
                LegacyEstimate(
                    function.name,
                    function.concurrency,
                    function.memory_mb,
                    legacy_enis(function.concurrency, function.memory_mb),
                )
            )
    combinations = tuple(
        HyperplaneCombination(subnet, groups_, tuple(names), connections, 1, hyperplane_enis(connections))
        for (subnet, groups_), (names, connections) in groups.items()
    )
    return LambdaSizing(combinations, tuple(legacy))


def suggest_split(
    plan: Plan, prefixes: Mapping[str, int | None], peaks: Mapping[str, int] | None = None
) -> Split:
    """Pack subnets of the given prefixes into the VPC CIDR, largest first, grouped by AZ."""
    vpc = ipaddress.IPv4Network(plan.vpc_cidr)
    if any(prefix is None for prefix in prefixes.values()):
        return Split(
            False,
            (),
            (),
            "a subnet needs more addresses than a /16 holds; spread its workloads over more subnets first",
        )
    order = sorted(plan.subnets, key=lambda s: (prefixes[s.name], s.az, s.name))
    total = sum(2 ** (32 - prefixes[s.name]) for s in order)  # type: ignore[operator]
    if total > vpc.num_addresses:
        needed = 32 - math.ceil(math.log2(total))
        if needed >= MIN_PREFIX:
            advice = f"a /{needed} VPC CIDR would hold them"
        else:
            advice = (
                f"more than a /{MIN_PREFIX} holds: add CIDR blocks (up to "
                f"{CIDR_BLOCKS_PER_VPC} per VPC by default) or split across VPCs"
            )
        return Split(
            False,
            (),
            (),
            f"the recommended subnets need {total:,} addresses but "
            f"the VPC {vpc} has {vpc.num_addresses:,}; {advice}",
        )
    offset = 0
    placed = []
    for subnet in order:
        prefix = prefixes[subnet.name]
        network = ipaddress.IPv4Network((int(vpc.network_address) + offset, prefix))
        offset += network.num_addresses
        placed.append((subnet, network))
    peaks = peaks or {}
    free: tuple[str, ...] = ()
    if offset < vpc.num_addresses:
        start = vpc.network_address + offset
        free = tuple(str(n) for n in ipaddress.summarize_address_range(start, vpc.broadcast_address))
    placed.sort(key=lambda pair: pair[1])
    subnets = tuple(
        SplitSubnet(s.name, s.az, str(n), usable_addresses(n.prefixlen), peaks.get(s.name, 0))
        for s, n in placed
    )
    spare = vpc.num_addresses - offset
    count = f"{len(subnets)} subnet{'s' if len(subnets) != 1 else ''}"
    verb = "use" if len(subnets) != 1 else "uses"
    return Split(
        True,
        subnets,
        free,
        f"{count} {verb} {offset:,} of the VPC's "
        f"{vpc.num_addresses:,} addresses; {spare:,} stay free for growth",
    )


def plan_work(plan: Plan) -> Work:
    """Steps :func:`size_plan` takes: every subnet looks through every address use (a service
    uses each of its subnets). Plain arithmetic, about a twentieth of a playground attempt each."""
    uses = sum(len(s.subnets) for s in plan.ecs_services) + len(plan.lambda_functions) + len(plan.other_users)
    return Work(
        len(plan.subnets) * max(uses, 1) / 20.0,
        "subnet and workload pairs to size",
        ["the number of subnets", "the number of services and functions"],
    )


def size_plan(plan: Plan, budget: WorkBudget = DEFAULT_BUDGET) -> PlanSizing:
    """Size every subnet of a plan at steady state and at peak, and say what to change."""
    too_large = budget.problem(plan_work(plan))
    if too_large:
        raise SizingError(too_large)
    services = tuple(size_service(s) for s in plan.ecs_services)
    lambda_ = size_lambda(plan.lambda_functions)
    uses: list[AddressUse] = []
    for service in services:
        uses.extend(_service_uses(service))
    for combo in lambda_.combinations:
        uses.append(
            AddressUse(
                combo.subnet,
                ", ".join(combo.functions),
                UseKind.LAMBDA_HYPERPLANE,
                combo.enis_steady,
                combo.enis_peak,
            )
        )
    for other in plan.other_users:
        uses.append(AddressUse(other.subnet, other.name, other.kind, other.count, other.count))

    subnets = []
    for subnet in plan.subnets:
        mine = tuple(u for u in uses if u.subnet == subnet.name)
        peak = sum(u.peak for u in mine)
        subnets.append(
            SubnetSizing(
                subnet=subnet,
                usable=subnet.usable,
                reserved=reserved_addresses(subnet.network),
                steady=sum(u.steady for u in mine),
                peak=peak,
                uses=mine,
                recommended_prefix=smallest_prefix(peak, plan.headroom_percent),
            )
        )
    azs = tuple(
        AzSizing(
            az=az,
            subnets=tuple(s.subnet.name for s in subnets if s.subnet.az == az),
            usable=sum(s.usable for s in subnets if s.subnet.az == az),
            steady=sum(s.steady for s in subnets if s.subnet.az == az),
            peak=sum(s.peak for s in subnets if s.subnet.az == az),
        )
        for az in plan.azs
    )
    split = suggest_split(
        plan, {s.subnet.name: s.recommended_prefix for s in subnets}, {s.subnet.name: s.peak for s in subnets}
    )
    result = PlanSizing(
        plan=plan,
        subnets=tuple(subnets),
        azs=azs,
        services=services,
        lambda_=lambda_,
        other_interfaces=sum(o.count for o in plan.other_users),
        split=split,
        findings=(),
        assumptions=assumptions(plan),
    )
    return dataclasses.replace(result, findings=findings(result))
