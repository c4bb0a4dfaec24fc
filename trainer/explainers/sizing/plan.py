"""The plan: one VPC, its subnets, and the ECS services, Lambda functions and other address users
that run in them.

Every record validates itself on construction and raises :class:`SizingError` with one line,
so a :class:`Plan` that exists is a plan the calculator can size. Records are frozen: the page
compares a plan with the presets' to know whether it was edited.
"""

from __future__ import annotations

import difflib
import ipaddress
import math
from collections.abc import Sequence
from dataclasses import dataclass

from trainer.explainers.sizing.addresses import parse_cidr, usable_addresses
from trainer.explainers.sizing.checks import (
    SizingError,
    check_workload_subnets,
    parse_enum,
    require_count,
    require_name,
)
from trainer.explainers.sizing.instances import instance_limits, no_trunking_message
from trainer.explainers.sizing.kinds import MANUAL_KINDS, LaunchType, UseKind
from trainer.explainers.sizing.limits import (
    DEFAULT_HEADROOM_PERCENT,
    DEFAULT_MAX_PERCENT,
    HEADROOM_RANGE,
    LAMBDA_MEMORY_MB,
    MAX_PERCENT_RANGE,
    MAX_SECURITY_GROUPS,
    MAX_SUBNETS_PER_VPC,
)


@dataclass(frozen=True)
class Subnet:
    name: str
    cidr: str
    az: str

    def __post_init__(self) -> None:
        require_name(self.name, "subnet")
        if not isinstance(self.az, str) or not self.az.strip():
            raise SizingError(f"subnet {self.name!r}: give its Availability Zone (az)")
        object.__setattr__(self, "cidr", str(parse_cidr(self.cidr, f"subnet {self.name!r}")))

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.cidr)

    @property
    def usable(self) -> int:
        return usable_addresses(self.network.prefixlen)


@dataclass(frozen=True)
class EcsService:
    """An awsvpc ECS service: every task gets its own network interface and one address.

    Peak is the maximum task count from auto scaling times the deployment's maximumPercent:
    a rolling deployment at full scale briefly runs old and new tasks side by side."""

    name: str
    subnets: tuple[str, ...]
    launch_type: LaunchType = LaunchType.FARGATE
    desired: int = 1
    maximum: int | None = None  # None: same as desired
    max_percent: int = DEFAULT_MAX_PERCENT
    instance_type: str | None = None
    trunking: bool = False
    #: EC2 only: count the container instances' own interfaces in the tasks' subnets.
    instances_in_task_subnets: bool = True

    def __post_init__(self) -> None:
        what = f"ECS service {self.name!r}"
        require_name(self.name, "ECS service")
        object.__setattr__(self, "launch_type", parse_enum(LaunchType, self.launch_type, what, "launch_type"))
        require_count(self.desired, f"{what}: desired")
        maximum = self.desired if self.maximum is None else self.maximum
        object.__setattr__(self, "maximum", maximum)
        require_count(maximum, f"{what}: maximum")
        if maximum < self.desired:
            raise SizingError(
                f"{what}: maximum ({maximum}) is below desired ({self.desired}); the "
                "auto scaling maximum must be at least the desired count"
            )
        low, high = MAX_PERCENT_RANGE
        if (
            isinstance(self.max_percent, bool)
            or not isinstance(self.max_percent, int)
            or not (low <= self.max_percent <= high)
        ):
            raise SizingError(
                f"{what}: max_percent must be a whole number from {low} to {high}, got "
                f"{self.max_percent!r} (the calculator models rolling deployments from no extra "
                "tasks to a full second set)"
            )
        check_workload_subnets(self.subnets, what)
        object.__setattr__(self, "subnets", tuple(self.subnets))
        if self.launch_type is LaunchType.FARGATE:
            if self.instance_type or self.trunking:
                raise SizingError(
                    f"{what}: Fargate gives every task its own network interface, so "
                    "instance_type and trunking don't apply"
                )
        else:
            if not self.instance_type:
                raise SizingError(f"{what}: the EC2 launch type needs an instance_type")
            try:
                limits = instance_limits(self.instance_type)
            except SizingError as exc:
                raise SizingError(f"{what}: {exc}") from None
            object.__setattr__(self, "instance_type", limits.name)
            if self.trunking and not limits.supports_trunking:
                raise SizingError(f"{what}: {no_trunking_message(limits.name)}")

    @property
    def max_tasks(self) -> int:
        """The auto scaling maximum; ``maximum`` left out means the desired count."""
        return self.desired if self.maximum is None else self.maximum

    @property
    def peak_tasks(self) -> int:
        return math.ceil(self.max_tasks * self.max_percent / 100)


@dataclass(frozen=True)
class LambdaFunction:
    """A VPC-attached Lambda function. Since 2019 Lambda creates one Hyperplane ENI per unique
    subnet + security-group combination, shared by every function that uses the combination,
    and adds another for every 65,000 connections."""

    name: str
    subnets: tuple[str, ...]
    security_groups: tuple[str, ...]
    connections: int = 0  # peak connections through the function's ENIs
    concurrency: int | None = None  # peak concurrency, for the pre-2019 formula only
    memory_mb: int | None = None

    def __post_init__(self) -> None:
        what = f"Lambda function {self.name!r}"
        require_name(self.name, "Lambda function")
        check_workload_subnets(self.subnets, what)
        object.__setattr__(self, "subnets", tuple(self.subnets))
        groups = tuple(self.security_groups)
        if not groups:
            raise SizingError(
                f"{what}: list at least one security group (ENIs are shared per subnet + security-group set)"
            )
        if len(groups) > MAX_SECURITY_GROUPS:
            raise SizingError(
                f"{what}: {len(groups)} security groups; a function takes at most {MAX_SECURITY_GROUPS}"
            )
        if len(set(groups)) != len(groups):
            raise SizingError(f"{what}: a security group is listed twice")
        if not all(isinstance(g, str) and g.strip() and "," not in g for g in groups):
            raise SizingError(f"{what}: security group names must be non-empty, without commas")
        object.__setattr__(self, "security_groups", tuple(sorted(groups)))
        require_count(self.connections, f"{what}: connections")
        if (self.concurrency is None) != (self.memory_mb is None):
            raise SizingError(
                f"{what}: give both concurrency and memory_mb for the pre-2019 comparison, or neither"
            )
        if self.concurrency is not None and self.memory_mb is not None:
            require_count(self.concurrency, f"{what}: concurrency")
            low, high = LAMBDA_MEMORY_MB
            require_count(self.memory_mb, f"{what}: memory_mb")
            if not low <= self.memory_mb <= high:
                raise SizingError(f"{what}: memory_mb must be from {low} to {high:,}, got {self.memory_mb}")


@dataclass(frozen=True)
class OtherUse:
    """Addresses a person adds by hand: NAT gateways, interface endpoints, load balancer
    nodes, anything else with a network interface in the subnet."""

    name: str
    subnet: str
    kind: UseKind = UseKind.OTHER
    count: int = 1

    def __post_init__(self) -> None:
        what = f"address user {self.name!r}"
        require_name(self.name, "address user")
        kind = parse_enum(UseKind, self.kind, what, "kind")
        if kind not in MANUAL_KINDS:
            raise SizingError(f"{what}: kind must be one of {', '.join(k.value for k in MANUAL_KINDS)}")
        object.__setattr__(self, "kind", kind)
        require_count(self.count, f"{what}: count")


@dataclass(frozen=True)
class Plan:
    """One VPC and what runs in it. Construction validates the whole plan."""

    vpc_cidr: str
    subnets: tuple[Subnet, ...]
    ecs_services: tuple[EcsService, ...] = ()
    lambda_functions: tuple[LambdaFunction, ...] = ()
    other_users: tuple[OtherUse, ...] = ()
    headroom_percent: int = DEFAULT_HEADROOM_PERCENT

    def __post_init__(self) -> None:
        vpc = parse_cidr(self.vpc_cidr, "VPC CIDR")
        object.__setattr__(self, "vpc_cidr", str(vpc))
        for name in ("subnets", "ecs_services", "lambda_functions", "other_users"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        low, high = HEADROOM_RANGE
        if (
            isinstance(self.headroom_percent, bool)
            or not isinstance(self.headroom_percent, int)
            or not low <= self.headroom_percent <= high
        ):
            raise SizingError(
                f"headroom_percent must be a whole number from {low} to {high}, got {self.headroom_percent!r}"
            )
        if not self.subnets:
            raise SizingError("the plan has no subnets; add at least one")
        if len(self.subnets) > MAX_SUBNETS_PER_VPC:
            raise SizingError(f"{len(self.subnets)} subnets; a VPC holds at most {MAX_SUBNETS_PER_VPC}")
        seen: dict[str, Subnet] = {}
        for subnet in self.subnets:
            if subnet.name in seen:
                raise SizingError(f"two subnets are named {subnet.name!r}")
            if not subnet.network.subnet_of(vpc):
                raise SizingError(f"subnet {subnet.name!r} ({subnet.cidr}) is outside the VPC {vpc}")
            for other in seen.values():
                if subnet.network.overlaps(other.network):
                    raise SizingError(
                        f"subnets {other.name!r} ({other.cidr}) and {subnet.name!r} ({subnet.cidr}) overlap"
                    )
            seen[subnet.name] = subnet
        names: set[str] = set()
        workloads: list[tuple[str, Sequence[str]]] = [
            *((f"ECS service {s.name!r}", s.subnets) for s in self.ecs_services),
            *((f"Lambda function {f.name!r}", f.subnets) for f in self.lambda_functions),
            *((f"address user {o.name!r}", (o.subnet,)) for o in self.other_users),
        ]
        for name in (
            *(s.name for s in self.ecs_services),
            *(f.name for f in self.lambda_functions),
            *(o.name for o in self.other_users),
        ):
            if name in names:
                raise SizingError(f"two workloads are named {name!r}; names must be unique")
            names.add(name)
        for what, subnet_names in workloads:
            for name in subnet_names:
                if name not in seen:
                    close = difflib.get_close_matches(name, list(seen), n=1)
                    hint = (
                        f"; did you mean {close[0]!r}?" if close else (f"; the subnets are {', '.join(seen)}")
                    )
                    raise SizingError(f"{what}: unknown subnet {name!r}{hint}")

    def subnet(self, name: str) -> Subnet:
        return next(s for s in self.subnets if s.name == name)

    @property
    def azs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.az for s in self.subnets))
