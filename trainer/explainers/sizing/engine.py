"""ENI & subnet sizing: turn "make sure your subnets have enough IP addresses" into numbers.

A :class:`Plan` describes one VPC: its IPv4 CIDR, its subnets (each in an Availability Zone),
the ECS services and VPC-attached Lambda functions that run in them, and other address users
added by hand (NAT gateways, interface endpoints, load balancer nodes). :func:`size_plan` says
how many addresses each subnet needs at steady state and at peak, where it runs out, which
quotas come close, the smallest prefix that keeps a chosen headroom, and a split of the VPC
CIDR into subnets of those sizes.

Every limit below comes from the trainer's fact sheet (``shared/reference/aws-facts.md``,
sections a-c). Where AWS does not document a number the calculator needs, it makes an
assumption and says so in :attr:`PlanSizing.assumptions` rather than presenting it as fact.

Invalid input raises :class:`SizingError` with a one-line message meant for the user.
"""

from __future__ import annotations

import base64
import binascii
import csv
import dataclasses
import difflib
import io
import ipaddress
import json
import math
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

import yaml

from trainer.resources import data_file

DATA_FILE = data_file("instance_limits.yaml")

# --- Limits from the fact sheet -------------------------------------------------------------

#: VPC and subnet IPv4 CIDRs must be between /16 and /28 (VPC user guide).
MIN_PREFIX, MAX_PREFIX = 16, 28
#: AWS reserves five addresses in every subnet: the first four and the last.
RESERVED_PER_SUBNET = 5
#: Subnets per VPC (VPC quotas).
MAX_SUBNETS_PER_VPC = 200
#: IPv4 CIDR blocks per VPC, default (VPC quotas); used in advice when a VPC is too small.
CIDR_BLOCKS_PER_VPC = 5
#: "Network interfaces per Region" (VPC quotas, adjustable); it was 350 before 2020.
REGION_ENI_QUOTA = 5_000
#: Lambda "Elastic network interfaces per VPC" default from the Lambda quotas page. A re:Post
#: article says 500, so every message tells the reader to check Service Quotas.
LAMBDA_VPC_ENI_QUOTA = 250
LAMBDA_VPC_ENI_QUOTA_TEXT = "250 (Lambda quotas page; check Service Quotas)"
#: Each Hyperplane ENI supports up to 65,000 connections; beyond that Lambda adds another.
CONNECTIONS_PER_HYPERPLANE_ENI = 65_000
#: awsVpcConfiguration and Lambda VpcConfig both take at most 16 subnets and 5 security groups.
MAX_WORKLOAD_SUBNETS = 16
MAX_SECURITY_GROUPS = 5
#: Lambda memory: 128 MB to 10,240 MB.
LAMBDA_MEMORY_MB = (128, 10_240)
#: The pre-2019 formula divided by 3 GB: peak concurrency x (memory in GB / 3 GB).
LEGACY_MB_PER_ENI = 3 * 1024

# --- Choices of this calculator (not AWS limits) ------------------------------------------

#: A subnet above this fill at peak gets a warning.
TIGHT_FILL = 0.80
#: The fact sheet does not list ECS's own bounds for maximumPercent. The calculator accepts
#: 100% (no extra tasks during a deployment) to 200% (a complete second set of tasks, which is
#: what a rolling deployment at 200% briefly needs) and rejects the rest rather than guess.
MAX_PERCENT_RANGE = (100, 200)
DEFAULT_MAX_PERCENT = 200
DEFAULT_HEADROOM_PERCENT = 20
HEADROOM_RANGE = (0, 90)

HYPERPLANE_ADDRESS_ASSUMPTION = (
    "AWS does not document the address count per Hyperplane ENI; the calculator assumes one."
)


class SizingError(ValueError):
    """Invalid sizing input. ``str(error)`` is one line that says what is wrong and where."""


class LaunchType(str, Enum):
    FARGATE = "fargate"
    EC2 = "ec2"


class UseKind(str, Enum):
    """What takes an address in a subnet."""

    ECS_TASK = "ecs-task"
    ECS_INSTANCE = "ecs-instance"
    LAMBDA_HYPERPLANE = "lambda-hyperplane"
    NAT_GATEWAY = "nat-gateway"
    INTERFACE_ENDPOINT = "interface-endpoint"
    LOAD_BALANCER_NODE = "load-balancer-node"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _USE_LABELS[self]


_USE_LABELS = {
    UseKind.ECS_TASK: "ECS tasks (awsvpc)",
    UseKind.ECS_INSTANCE: "ECS container instances",
    UseKind.LAMBDA_HYPERPLANE: "Lambda Hyperplane ENIs",
    UseKind.NAT_GATEWAY: "NAT gateway",
    UseKind.INTERFACE_ENDPOINT: "Interface endpoint",
    UseKind.LOAD_BALANCER_NODE: "Load balancer node",
    UseKind.OTHER: "Other",
}

#: Kinds a person adds by hand.
MANUAL_KINDS = (
    UseKind.NAT_GATEWAY, UseKind.INTERFACE_ENDPOINT, UseKind.LOAD_BALANCER_NODE, UseKind.OTHER
)


class Level(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class Status(str, Enum):
    """How full a subnet gets at peak."""

    OK = "ok"
    TIGHT = "tight"  # above TIGHT_FILL
    EXHAUSTED = "exhausted"  # more addresses needed than usable


# --- Addresses --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReservedAddress:
    address: str
    purpose: str


def parse_cidr(text: Any, what: str = "CIDR") -> ipaddress.IPv4Network:
    """An IPv4 network between /16 and /28 whose address has no host bits set."""
    if not isinstance(text, str) or not text.strip():
        raise SizingError(f"{what}: expected an IPv4 CIDR such as 10.0.0.0/24, got {text!r}")
    text = text.strip()
    if "/" not in text:
        try:
            ipaddress.IPv4Address(text)
        except ValueError:
            pass
        else:
            raise SizingError(f"{what} {text} has no prefix length; write it like {text}/24")
    try:
        interface = ipaddress.ip_interface(text)
    except ValueError:
        raise SizingError(
            f"{what} {text!r} is not a valid IPv4 CIDR (expected something like 10.0.0.0/24)"
        ) from None
    if interface.version != 4:
        raise SizingError(
            f"{what} {text} is IPv6; this calculator sizes IPv4 (an IPv6 subnet is always a /64)"
        )
    network = interface.network
    if interface.ip != network.network_address:
        raise SizingError(
            f"{what} {text} has host bits set; the network is {network}"
        )
    if not MIN_PREFIX <= network.prefixlen <= MAX_PREFIX:
        raise SizingError(
            f"{what} {network} is a /{network.prefixlen}; AWS allows /{MIN_PREFIX} to "
            f"/{MAX_PREFIX} for VPCs and subnets"
        )
    return network  # type: ignore[return-value]


def usable_addresses(prefix: int) -> int:
    """Addresses left for you in a subnet of this prefix: the size minus the five AWS keeps."""
    return 2 ** (32 - prefix) - RESERVED_PER_SUBNET


def reserved_addresses(network: ipaddress.IPv4Network) -> tuple[ReservedAddress, ...]:
    """The five addresses AWS reserves in a subnet, each with what it is for."""
    base = network.network_address
    return (
        ReservedAddress(str(base), "network address"),
        ReservedAddress(str(base + 1), "VPC router"),
        ReservedAddress(str(base + 2), "reserved by AWS (the DNS server sits at VPC base + 2)"),
        ReservedAddress(str(base + 3), "reserved for future use"),
        ReservedAddress(
            str(network.broadcast_address),
            "network broadcast address (VPCs don't support broadcast, so AWS reserves it)",
        ),
    )


def subnet_info(cidr: str) -> dict[str, Any]:
    """Everything ``trainer size subnet`` reports about one CIDR."""
    network = parse_cidr(cidr, "subnet")
    reserved = reserved_addresses(network)
    return {
        "cidr": str(network),
        "prefix": network.prefixlen,
        "total_ips": network.num_addresses,
        "usable_ips": usable_addresses(network.prefixlen),
        "reserved": [{"address": r.address, "purpose": r.purpose} for r in reserved],
        "first_usable": str(network.network_address + 4),
        "last_usable": str(network.broadcast_address - 1),
    }


def smallest_prefix(needed: int, headroom_percent: int) -> int | None:
    """The smallest subnet (largest prefix, /28 at most) whose usable addresses hold ``needed``
    while keeping ``headroom_percent`` of them free; None when not even a /16 does."""
    for prefix in range(MAX_PREFIX, MIN_PREFIX - 1, -1):
        if needed * 100 <= usable_addresses(prefix) * (100 - headroom_percent):
            return prefix
    return None


# --- Instance limits --------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceLimits:
    """How many awsvpc tasks an EC2 instance type can run: each task needs its own network
    interface, and the instance's primary interface counts toward the limit. ENI trunking
    raises the limit by multiplexing task interfaces over one trunk interface."""

    name: str
    max_enis: int
    ipv4_per_eni: int | None
    tasks_without_trunking: int
    tasks_with_trunking: int | None  # None: trunking not supported on this type

    @property
    def supports_trunking(self) -> bool:
        return self.tasks_with_trunking is not None

    def tasks_per_instance(self, trunking: bool) -> int:
        if trunking:
            if self.tasks_with_trunking is None:
                raise SizingError(_no_trunking_message(self.name))
            return self.tasks_with_trunking
        return self.tasks_without_trunking


@lru_cache(maxsize=1)
def _instance_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@lru_cache(maxsize=1)
def instance_table() -> dict[str, InstanceLimits]:
    """The instance types the calculator knows, from ``data/instance_limits.yaml``."""
    rows = _instance_data()["instance_types"]
    return {name: InstanceLimits(name=name, **values) for name, values in rows.items()}


def _family(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def _no_trunking_message(name: str) -> str:
    family = _family(name)
    if family in _instance_data()["trunking_unsupported"]["not_listed_families"]:
        why = f"the {family} family is not in the ECS ENI trunking list"
    else:
        why = "ECS does not support ENI trunking on it"
    return f"instance type {name} can't use ENI trunking: {why}"


def instance_limits(name: str) -> InstanceLimits:
    """Look an instance type up; an unknown one is an error that names the close matches."""
    key = str(name).strip().lower()
    table = instance_table()
    if key in table:
        return table[key]
    matches = difflib.get_close_matches(key, list(table), n=4, cutoff=0.6)
    if not matches:
        family = _family(key)
        matches = [known for known in table if _family(known) == family]
    hint = f"did you mean {', '.join(matches)}?" if matches else f"known types: {', '.join(table)}"
    unsupported = _instance_data()["trunking_unsupported"]
    family = _family(key)
    note = ""
    if key in unsupported["types"] or family in unsupported["families"] or any(
        fam.endswith("*") and key.startswith(fam[:-1]) for fam in unsupported["families"]
    ):
        note = f" (note: ENI trunking is not supported on {key})"
    raise SizingError(f"unknown instance type {name!r}; {hint}{note}")


# --- The plan -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subnet:
    name: str
    cidr: str
    az: str

    def __post_init__(self) -> None:
        _require_name(self.name, "subnet")
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
        _require_name(self.name, "ECS service")
        object.__setattr__(self, "launch_type", _enum(LaunchType, self.launch_type, what,
                                                      "launch_type"))
        _count(self.desired, f"{what}: desired")
        if self.maximum is None:
            object.__setattr__(self, "maximum", self.desired)
        _count(self.maximum, f"{what}: maximum")
        if self.maximum < self.desired:
            raise SizingError(
                f"{what}: maximum ({self.maximum}) is below desired ({self.desired}); the "
                "auto scaling maximum must be at least the desired count"
            )
        low, high = MAX_PERCENT_RANGE
        if isinstance(self.max_percent, bool) or not isinstance(self.max_percent, int) or not (
            low <= self.max_percent <= high
        ):
            raise SizingError(
                f"{what}: max_percent must be a whole number from {low} to {high}, got "
                f"{self.max_percent!r} (the calculator models rolling deployments from no extra "
                "tasks to a full second set)"
            )
        _workload_subnets(self.subnets, what)
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
                raise SizingError(f"{what}: {_no_trunking_message(limits.name)}")

    @property
    def peak_tasks(self) -> int:
        return math.ceil(self.maximum * self.max_percent / 100)


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
        _require_name(self.name, "Lambda function")
        _workload_subnets(self.subnets, what)
        object.__setattr__(self, "subnets", tuple(self.subnets))
        groups = tuple(self.security_groups)
        if not groups:
            raise SizingError(
                f"{what}: list at least one security group (ENIs are shared per subnet + "
                "security-group set)"
            )
        if len(groups) > MAX_SECURITY_GROUPS:
            raise SizingError(
                f"{what}: {len(groups)} security groups; a function takes at most "
                f"{MAX_SECURITY_GROUPS}"
            )
        if len(set(groups)) != len(groups):
            raise SizingError(f"{what}: a security group is listed twice")
        if not all(isinstance(g, str) and g.strip() and "," not in g for g in groups):
            raise SizingError(f"{what}: security group names must be non-empty, without commas")
        object.__setattr__(self, "security_groups", tuple(sorted(groups)))
        _count(self.connections, f"{what}: connections")
        if (self.concurrency is None) != (self.memory_mb is None):
            raise SizingError(
                f"{what}: give both concurrency and memory_mb for the pre-2019 comparison, "
                "or neither"
            )
        if self.concurrency is not None:
            _count(self.concurrency, f"{what}: concurrency")
            low, high = LAMBDA_MEMORY_MB
            _count(self.memory_mb, f"{what}: memory_mb")
            if not low <= self.memory_mb <= high:
                raise SizingError(
                    f"{what}: memory_mb must be from {low} to {high:,}, got {self.memory_mb}"
                )


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
        _require_name(self.name, "address user")
        kind = _enum(UseKind, self.kind, what, "kind")
        if kind not in MANUAL_KINDS:
            raise SizingError(
                f"{what}: kind must be one of {', '.join(k.value for k in MANUAL_KINDS)}"
            )
        object.__setattr__(self, "kind", kind)
        _count(self.count, f"{what}: count")


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
        if isinstance(self.headroom_percent, bool) or not isinstance(
            self.headroom_percent, int
        ) or not low <= self.headroom_percent <= high:
            raise SizingError(
                f"headroom_percent must be a whole number from {low} to {high}, got "
                f"{self.headroom_percent!r}"
            )
        if not self.subnets:
            raise SizingError("the plan has no subnets; add at least one")
        if len(self.subnets) > MAX_SUBNETS_PER_VPC:
            raise SizingError(
                f"{len(self.subnets)} subnets; a VPC holds at most {MAX_SUBNETS_PER_VPC}"
            )
        seen: dict[str, Subnet] = {}
        for subnet in self.subnets:
            if subnet.name in seen:
                raise SizingError(f"two subnets are named {subnet.name!r}")
            if not subnet.network.subnet_of(vpc):
                raise SizingError(
                    f"subnet {subnet.name!r} ({subnet.cidr}) is outside the VPC {vpc}"
                )
            for other in seen.values():
                if subnet.network.overlaps(other.network):
                    raise SizingError(
                        f"subnets {other.name!r} ({other.cidr}) and {subnet.name!r} "
                        f"({subnet.cidr}) overlap"
                    )
            seen[subnet.name] = subnet
        names: set[str] = set()
        workloads: list[tuple[str, Sequence[str]]] = [
            *((f"ECS service {s.name!r}", s.subnets) for s in self.ecs_services),
            *((f"Lambda function {f.name!r}", f.subnets) for f in self.lambda_functions),
            *((f"address user {o.name!r}", (o.subnet,)) for o in self.other_users),
        ]
        for item in (*self.ecs_services, *self.lambda_functions, *self.other_users):
            if item.name in names:
                raise SizingError(f"two workloads are named {item.name!r}; names must be unique")
            names.add(item.name)
        for what, subnet_names in workloads:
            for name in subnet_names:
                if name not in seen:
                    close = difflib.get_close_matches(name, list(seen), n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else (
                        f"; the subnets are {', '.join(seen)}"
                    )
                    raise SizingError(f"{what}: unknown subnet {name!r}{hint}")

    def subnet(self, name: str) -> Subnet:
        return next(s for s in self.subnets if s.name == name)

    @property
    def azs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.az for s in self.subnets))


def _require_name(name: Any, what: str) -> None:
    if not isinstance(name, str) or not name.strip():
        raise SizingError(f"every {what} needs a name")
    if name != name.strip() or "," in name:
        raise SizingError(f"{what} name {name!r}: no commas or surrounding spaces")


def _count(value: Any, what: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SizingError(f"{what} must be a whole number, got {value!r}")
    if value < 0:
        raise SizingError(f"{what} must be 0 or more, got {value}")


def _enum(kind: type[Enum], value: Any, what: str, key: str) -> Any:
    try:
        return kind(value.strip().lower().replace("_", "-") if isinstance(value, str) else value)
    except ValueError:
        choices = ", ".join(str(k.value) for k in kind)  # type: ignore[attr-defined]
        raise SizingError(f"{what}: {key} must be one of {choices}, got {value!r}") from None


def _workload_subnets(subnets: Sequence[str], what: str) -> None:
    if isinstance(subnets, str) or not subnets:
        raise SizingError(f"{what}: list the subnets it runs in")
    if len(subnets) > MAX_WORKLOAD_SUBNETS:
        raise SizingError(
            f"{what}: {len(subnets)} subnets; AWS takes at most {MAX_WORKLOAD_SUBNETS}"
        )
    if len(set(subnets)) != len(subnets):
        raise SizingError(f"{what}: a subnet is listed twice")


# --- Reading a plan from plain data (YAML file, URL, page) -------------------------------------

_TOP_KEYS = {
    "vpc_cidr", "headroom_percent", "subnets", "ecs_services", "lambda_functions", "other_users",
}
_SUBNET_KEYS = {"name", "cidr", "az"}
_SERVICE_KEYS = {
    "name", "launch_type", "desired", "maximum", "max_percent", "subnets", "instance_type",
    "trunking", "instances_in_task_subnets",
}
_FUNCTION_KEYS = {"name", "subnets", "security_groups", "connections", "concurrency", "memory_mb"}
_OTHER_KEYS = {"name", "kind", "subnet", "count"}


def plan_from_dict(data: Any) -> Plan:
    """Build and validate a plan from plain data, as read from YAML or JSON.

    Lists of names (subnets, security groups) may be YAML lists or comma-separated strings.
    Errors name the place: ``ecs_services[1] ('web'): ...``."""
    top = _mapping(data, "the plan")
    _known_keys(top, _TOP_KEYS, "the plan")
    if "vpc_cidr" not in top:
        raise SizingError("the plan needs a vpc_cidr, e.g. vpc_cidr: 10.0.0.0/16")

    def items(key: str) -> list[tuple[str, Mapping[str, Any]]]:
        raw = top.get(key) or []
        if not isinstance(raw, list):
            raise SizingError(f"{key} must be a list{_line(top, key)}")
        result = []
        for index, item in enumerate(raw):
            where = f"{key}[{index}]"
            result.append((where, _mapping(item, where)))
        return result

    subnets = []
    for where, item in items("subnets"):
        _known_keys(item, _SUBNET_KEYS, where)
        subnets.append(_build(where, item, lambda i: Subnet(
            name=_opt_str(i.get("name")), cidr=i.get("cidr"), az=_opt_str(i.get("az")),
        )))
    services = []
    for index, (where, item) in enumerate(items("ecs_services")):
        _known_keys(item, _SERVICE_KEYS, where)
        services.append(_build(where, item, lambda i, n=index: EcsService(
            name=_opt_str(i.get("name")) or f"service-{n + 1}",
            subnets=_names(i.get("subnets"), where, "subnets"),
            launch_type=i.get("launch_type", LaunchType.FARGATE),
            desired=_num(i, "desired", where, 1),
            maximum=_num(i, "maximum", where, None),
            max_percent=_num(i, "max_percent", where, DEFAULT_MAX_PERCENT),
            instance_type=_opt_str(i.get("instance_type")),
            trunking=_flag(i, "trunking", where, False),
            instances_in_task_subnets=_flag(i, "instances_in_task_subnets", where, True),
        )))
    functions = []
    for index, (where, item) in enumerate(items("lambda_functions")):
        _known_keys(item, _FUNCTION_KEYS, where)
        functions.append(_build(where, item, lambda i, n=index: LambdaFunction(
            name=_opt_str(i.get("name")) or f"function-{n + 1}",
            subnets=_names(i.get("subnets"), where, "subnets"),
            security_groups=_names(i.get("security_groups"), where, "security_groups"),
            connections=_num(i, "connections", where, 0),
            concurrency=_num(i, "concurrency", where, None),
            memory_mb=_num(i, "memory_mb", where, None),
        )))
    others = []
    for index, (where, item) in enumerate(items("other_users")):
        _known_keys(item, _OTHER_KEYS, where)
        others.append(_build(where, item, lambda i, n=index: OtherUse(
            name=_opt_str(i.get("name")) or f"other-{n + 1}",
            subnet=_opt_str(i.get("subnet")) or "",
            kind=i.get("kind", UseKind.OTHER),
            count=_num(i, "count", where, 1),
        )))
    headroom = top.get("headroom_percent", DEFAULT_HEADROOM_PERCENT)
    return Plan(
        vpc_cidr=top["vpc_cidr"],
        subnets=tuple(subnets),
        ecs_services=tuple(services),
        lambda_functions=tuple(functions),
        other_users=tuple(others),
        headroom_percent=DEFAULT_HEADROOM_PERCENT if headroom is None else headroom,
    )


def _build(where: str, item: Mapping[str, Any], make: Any) -> Any:
    """Construct one item, putting its place in the file in front of any error."""
    try:
        return make(item)
    except SizingError as exc:
        message = str(exc)
        if message.startswith(where):
            raise
        raise SizingError(f"{where}{_line(item)}: {message}") from None


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SizingError(f"{where} must be a mapping of keys to values, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", type(None): "nothing"}.get(type(value), repr(value))


def _line(item: Any, key: str | None = None) -> str:
    """" (line N)" when the data came from a YAML file that remembers lines."""
    line_of = getattr(item, "line_of", None)
    if line_of is None:
        return ""
    line = line_of(key) if key else getattr(item, "line", 0)
    return f" (line {line})" if line else ""


def _known_keys(item: Mapping[str, Any], allowed: set[str], where: str) -> None:
    for key in item:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else (
                f"; expected one of {', '.join(sorted(allowed))}"
            )
            raise SizingError(f"{where}{_line(item, str(key))}: unknown key {key!r}{hint}")


def _opt_str(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _num(item: Mapping[str, Any], key: str, where: str, default: Any) -> Any:
    value = item.get(key)
    if value is None:
        return default
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise SizingError(f"{where}{_line(item, key)}: {key} must be a whole number, "
                          f"got {value!r}")
    return value


def _flag(item: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = item.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise SizingError(f"{where}{_line(item, key)}: {key} must be true or false, "
                          f"got {value!r}")
    return value


def _names(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(v.strip() for v in value)
    raise SizingError(f"{where}: {key} must be a list of names or a comma-separated text")


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plain-data form of a plan; ``plan_from_dict(plan_to_dict(p)) == p``."""
    services = []
    for s in plan.ecs_services:
        item: dict[str, Any] = {
            "name": s.name, "launch_type": s.launch_type.value, "desired": s.desired,
            "maximum": s.maximum, "max_percent": s.max_percent, "subnets": list(s.subnets),
        }
        if s.launch_type is LaunchType.EC2:
            item.update(instance_type=s.instance_type, trunking=s.trunking)
            if not s.instances_in_task_subnets:
                item["instances_in_task_subnets"] = False
        services.append(item)
    functions = []
    for f in plan.lambda_functions:
        item = {"name": f.name, "subnets": list(f.subnets),
                "security_groups": list(f.security_groups), "connections": f.connections}
        if f.concurrency is not None:
            item.update(concurrency=f.concurrency, memory_mb=f.memory_mb)
        functions.append(item)
    return {
        "vpc_cidr": plan.vpc_cidr,
        "headroom_percent": plan.headroom_percent,
        "subnets": [{"name": s.name, "cidr": s.cidr, "az": s.az} for s in plan.subnets],
        "ecs_services": services,
        "lambda_functions": functions,
        "other_users": [
            {"name": o.name, "kind": o.kind.value, "subnet": o.subnet, "count": o.count}
            for o in plan.other_users
        ],
    }


def plan_to_yaml(plan: Plan) -> str:
    return yaml.safe_dump(plan_to_dict(plan), sort_keys=False, default_flow_style=None,
                          width=100)


_TOKEN_VERSION = "1."
_MAX_TOKEN_CHARS = 20_000
_MAX_JSON_BYTES = 200_000


def encode_plan(plan: Plan) -> str:
    """A compact, URL-safe token for a plan: versioned, zlib-compressed JSON in base64url."""
    text = json.dumps(plan_to_dict(plan), separators=(",", ":"))
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    return _TOKEN_VERSION + packed


def decode_plan(token: Any) -> Plan:
    """Read a token from :func:`encode_plan`; anything damaged raises :class:`SizingError`."""
    broken = "the plan in the link is damaged or incomplete"
    if not isinstance(token, str) or not token.startswith(_TOKEN_VERSION):
        raise SizingError(f"{broken} (it does not start with {_TOKEN_VERSION!r})")
    if len(token) > _MAX_TOKEN_CHARS:
        raise SizingError(f"{broken} (it is too long)")
    body = token[len(_TOKEN_VERSION):]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(raw, _MAX_JSON_BYTES)
        if inflater.unconsumed_tail or inflater.unused_data or not inflater.eof:
            raise ValueError("truncated or too large")
        data = json.loads(text.decode("utf-8"))
    except (binascii.Error, ValueError, zlib.error, UnicodeDecodeError):
        raise SizingError(f"{broken} (it could not be decoded)") from None
    try:
        return plan_from_dict(data)
    except SizingError as exc:
        raise SizingError(f"{broken}: {exc}") from None


# --- Sizing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressUse:
    """Addresses (one per network interface) that one workload takes in one subnet."""

    subnet: str
    workload: str
    kind: UseKind
    steady: int
    peak: int


@dataclass(frozen=True)
class ServiceSizing:
    name: str
    launch_type: LaunchType
    subnets: tuple[str, ...]
    steady_tasks: int
    peak_tasks: int
    tasks_per_instance: int | None = None  # EC2 only
    instances_steady: int | None = None
    instances_peak: int | None = None
    interfaces_per_instance: int = 0  # primary (+ trunk) counted in the subnets
    steady_ips: int = 0  # task addresses
    peak_ips: int = 0
    instance_ips_steady: int = 0
    instance_ips_peak: int = 0


@dataclass(frozen=True)
class HyperplaneCombination:
    """One Hyperplane ENI group: a subnet + security-group set, shared by its functions."""

    subnet: str
    security_groups: tuple[str, ...]
    functions: tuple[str, ...]
    connections: int
    enis_steady: int
    enis_peak: int


@dataclass(frozen=True)
class LegacyEstimate:
    """The pre-2019 model: peak concurrency x (memory in GB / 3 GB) ENIs, one address each."""

    function: str
    concurrency: int
    memory_mb: int
    enis: int


@dataclass(frozen=True)
class LambdaSizing:
    combinations: tuple[HyperplaneCombination, ...] = ()
    legacy: tuple[LegacyEstimate, ...] = ()

    @property
    def enis_steady(self) -> int:
        return sum(c.enis_steady for c in self.combinations)

    @property
    def enis_peak(self) -> int:
        return sum(c.enis_peak for c in self.combinations)

    @property
    def legacy_total(self) -> int | None:
        return sum(e.enis for e in self.legacy) if self.legacy else None


@dataclass(frozen=True)
class SubnetSizing:
    subnet: Subnet
    usable: int
    reserved: tuple[ReservedAddress, ...]
    steady: int
    peak: int
    uses: tuple[AddressUse, ...]
    recommended_prefix: int | None

    @property
    def headroom(self) -> int:
        """Usable addresses left at peak (negative when the subnet runs out)."""
        return self.usable - self.peak

    @property
    def fill_steady(self) -> float:
        return self.steady / self.usable

    @property
    def fill_peak(self) -> float:
        return self.peak / self.usable

    @property
    def status(self) -> Status:
        if self.peak > self.usable:
            return Status.EXHAUSTED
        if self.fill_peak > TIGHT_FILL:
            return Status.TIGHT
        return Status.OK


@dataclass(frozen=True)
class AzSizing:
    az: str
    subnets: tuple[str, ...]
    usable: int
    steady: int
    peak: int

    @property
    def fill_peak(self) -> float:
        return self.peak / self.usable if self.usable else 0.0


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str
    subnet: str | None = None


@dataclass(frozen=True)
class SplitSubnet:
    name: str
    az: str
    cidr: str
    usable: int
    peak: int


@dataclass(frozen=True)
class Split:
    """Subnets of the recommended sizes packed into the VPC CIDR, largest first, plus the
    space left over. Power-of-two blocks placed largest first never fragment, so the split
    fits whenever the total fits."""

    fits: bool
    subnets: tuple[SplitSubnet, ...]
    free: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class PlanSizing:
    plan: Plan
    subnets: tuple[SubnetSizing, ...]
    azs: tuple[AzSizing, ...]
    services: tuple[ServiceSizing, ...]
    lambda_: LambdaSizing
    other_interfaces: int
    split: Split
    findings: tuple[Finding, ...]
    assumptions: tuple[str, ...]

    @property
    def interfaces_steady(self) -> int:
        """Network interfaces in the whole plan at steady state (for the Region quota)."""
        return (sum(s.steady_ips + s.instance_ips_steady for s in self.services)
                + self.lambda_.enis_steady + self.other_interfaces)

    @property
    def interfaces_peak(self) -> int:
        return (sum(s.peak_ips + s.instance_ips_peak for s in self.services)
                + self.lambda_.enis_peak + self.other_interfaces)

    @property
    def steady(self) -> int:
        return sum(s.steady for s in self.subnets)

    @property
    def peak(self) -> int:
        return sum(s.peak for s in self.subnets)

    @property
    def usable(self) -> int:
        return sum(s.usable for s in self.subnets)


def _spread(count: int, ways: int) -> int:
    """Per-subnet share of an even spread, rounded up (a slight overestimate, on purpose)."""
    return math.ceil(count / ways) if count else 0


def size_service(service: EcsService) -> ServiceSizing:
    """Tasks, addresses and (on EC2) instances one ECS service needs."""
    steady_tasks, peak_tasks = service.desired, service.peak_tasks
    if service.launch_type is LaunchType.FARGATE:
        return ServiceSizing(
            name=service.name, launch_type=service.launch_type, subnets=service.subnets,
            steady_tasks=steady_tasks, peak_tasks=peak_tasks,
            steady_ips=steady_tasks, peak_ips=peak_tasks,
        )
    limits = instance_limits(service.instance_type or "")
    per_instance = limits.tasks_per_instance(service.trunking)
    instances_steady = math.ceil(steady_tasks / per_instance)
    instances_peak = math.ceil(peak_tasks / per_instance)
    interfaces = (2 if service.trunking else 1) if service.instances_in_task_subnets else 0
    return ServiceSizing(
        name=service.name, launch_type=service.launch_type, subnets=service.subnets,
        steady_tasks=steady_tasks, peak_tasks=peak_tasks, tasks_per_instance=per_instance,
        instances_steady=instances_steady, instances_peak=instances_peak,
        interfaces_per_instance=interfaces, steady_ips=steady_tasks, peak_ips=peak_tasks,
        instance_ips_steady=instances_steady * interfaces,
        instance_ips_peak=instances_peak * interfaces,
    )


def _service_uses(service: ServiceSizing) -> list[AddressUse]:
    ways = len(service.subnets)
    uses = []
    for subnet in service.subnets:
        uses.append(AddressUse(subnet, service.name, UseKind.ECS_TASK,
                               _spread(service.steady_tasks, ways),
                               _spread(service.peak_tasks, ways)))
        if service.interfaces_per_instance:
            uses.append(AddressUse(
                subnet, service.name, UseKind.ECS_INSTANCE,
                _spread(service.instances_steady or 0, ways) * service.interfaces_per_instance,
                _spread(service.instances_peak or 0, ways) * service.interfaces_per_instance,
            ))
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
        share = _spread(function.connections, len(function.subnets))
        for subnet in function.subnets:
            names, connections = groups.get((subnet, function.security_groups), ([], 0))
            groups[(subnet, function.security_groups)] = (
                [*names, function.name], connections + share
            )
        if function.concurrency is not None and function.memory_mb is not None:
            legacy.append(LegacyEstimate(
                function.name, function.concurrency, function.memory_mb,
                legacy_enis(function.concurrency, function.memory_mb),
            ))
    combinations = tuple(
        HyperplaneCombination(subnet, groups_, tuple(names), connections, 1,
                              hyperplane_enis(connections))
        for (subnet, groups_), (names, connections) in groups.items()
    )
    return LambdaSizing(combinations, tuple(legacy))


def suggest_split(
    plan: Plan, prefixes: Mapping[str, int | None], peaks: Mapping[str, int] | None = None
) -> Split:
    """Pack subnets of the given prefixes into the VPC CIDR, largest first, grouped by AZ."""
    vpc = ipaddress.IPv4Network(plan.vpc_cidr)
    if any(prefix is None for prefix in prefixes.values()):
        return Split(False, (), (), "a subnet needs more addresses than a /16 holds; spread "
                     "its workloads over more subnets first")
    order = sorted(plan.subnets, key=lambda s: (prefixes[s.name], s.az, s.name))
    total = sum(2 ** (32 - prefixes[s.name]) for s in order)  # type: ignore[operator]
    if total > vpc.num_addresses:
        needed = 32 - math.ceil(math.log2(total))
        if needed >= MIN_PREFIX:
            advice = f"a /{needed} VPC CIDR would hold them"
        else:
            advice = (f"more than a /{MIN_PREFIX} holds: add CIDR blocks (up to "
                      f"{CIDR_BLOCKS_PER_VPC} per VPC by default) or split across VPCs")
        return Split(False, (), (), f"the recommended subnets need {total:,} addresses but "
                     f"the VPC {vpc} has {vpc.num_addresses:,}; {advice}")
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
        free = tuple(str(n) for n in ipaddress.summarize_address_range(
            start, vpc.broadcast_address))
    placed.sort(key=lambda pair: pair[1])
    subnets = tuple(
        SplitSubnet(s.name, s.az, str(n), usable_addresses(n.prefixlen), peaks.get(s.name, 0))
        for s, n in placed
    )
    spare = vpc.num_addresses - offset
    count = f"{len(subnets)} subnet{'s' if len(subnets) != 1 else ''}"
    verb = "use" if len(subnets) != 1 else "uses"
    return Split(True, subnets, free, f"{count} {verb} {offset:,} of the VPC's "
                 f"{vpc.num_addresses:,} addresses; {spare:,} stay free for growth")


def size_plan(plan: Plan) -> PlanSizing:
    """Size every subnet of a plan at steady state and at peak, and say what to change."""
    services = tuple(size_service(s) for s in plan.ecs_services)
    lambda_ = size_lambda(plan.lambda_functions)
    uses: list[AddressUse] = []
    for service in services:
        uses.extend(_service_uses(service))
    for combo in lambda_.combinations:
        uses.append(AddressUse(combo.subnet, ", ".join(combo.functions),
                               UseKind.LAMBDA_HYPERPLANE, combo.enis_steady, combo.enis_peak))
    for other in plan.other_users:
        uses.append(AddressUse(other.subnet, other.name, other.kind, other.count, other.count))

    subnets = []
    for subnet in plan.subnets:
        mine = tuple(u for u in uses if u.subnet == subnet.name)
        peak = sum(u.peak for u in mine)
        subnets.append(SubnetSizing(
            subnet=subnet, usable=subnet.usable, reserved=reserved_addresses(subnet.network),
            steady=sum(u.steady for u in mine), peak=peak, uses=mine,
            recommended_prefix=smallest_prefix(peak, plan.headroom_percent),
        ))
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
    split = suggest_split(plan, {s.subnet.name: s.recommended_prefix for s in subnets},
                          {s.subnet.name: s.peak for s in subnets})
    result = PlanSizing(
        plan=plan, subnets=tuple(subnets), azs=azs, services=services, lambda_=lambda_,
        other_interfaces=sum(o.count for o in plan.other_users), split=split,
        findings=(), assumptions=_assumptions(plan),
    )
    return dataclasses.replace(result, findings=_findings(result))


def _findings(result: PlanSizing) -> tuple[Finding, ...]:
    findings = []
    headroom = result.plan.headroom_percent
    for s in result.subnets:
        name = s.subnet.name
        if s.steady > s.usable:
            findings.append(Finding(Level.ERROR, (
                f"{name} is already out of addresses at steady state: it needs {s.steady:,} "
                f"and has {s.usable:,} usable"), name))
        elif s.peak > s.usable:
            findings.append(Finding(Level.ERROR, (
                f"{name} runs out at peak: it needs {s.peak:,} addresses and has {s.usable:,} "
                f"usable ({s.peak - s.usable:,} short)"), name))
        elif s.status is Status.TIGHT:
            findings.append(Finding(Level.WARNING, (
                f"{name} is {s.fill_peak:.0%} full at peak (over {TIGHT_FILL:.0%}): "
                f"{s.headroom:,} of {s.usable:,} usable addresses left"), name))
        if s.recommended_prefix is None:
            findings.append(Finding(Level.ERROR, (
                f"{name}: {s.peak:,} addresses at peak don't fit even a /{MIN_PREFIX} with "
                f"{headroom}% headroom; spread the workloads over more subnets"), name))
        elif s.recommended_prefix < s.subnet.network.prefixlen:
            findings.append(Finding(Level.INFO, (
                f"{name}: a /{s.recommended_prefix} would keep {headroom}% headroom at peak "
                f"(it is a /{s.subnet.network.prefixlen})"), name))
    peak_enis = result.interfaces_peak
    if peak_enis > REGION_ENI_QUOTA:
        findings.append(Finding(Level.ERROR, (
            f"{peak_enis:,} network interfaces at peak exceed the default quota of "
            f"{REGION_ENI_QUOTA:,} network interfaces per Region (adjustable; other VPCs in "
            "the Region count too)")))
    elif peak_enis > TIGHT_FILL * REGION_ENI_QUOTA:
        findings.append(Finding(Level.WARNING, (
            f"{peak_enis:,} network interfaces at peak are over {TIGHT_FILL:.0%} of the "
            f"{REGION_ENI_QUOTA:,} per Region default quota (other VPCs in the Region count "
            "too)")))
    hyperplane = result.lambda_.enis_peak
    if hyperplane > LAMBDA_VPC_ENI_QUOTA:
        findings.append(Finding(Level.ERROR, (
            f"{hyperplane:,} Lambda Hyperplane ENIs exceed the Lambda quota of elastic network "
            f"interfaces per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT}")))
    elif hyperplane > TIGHT_FILL * LAMBDA_VPC_ENI_QUOTA:
        findings.append(Finding(Level.WARNING, (
            f"{hyperplane:,} Lambda Hyperplane ENIs are over {TIGHT_FILL:.0%} of the Lambda "
            f"quota of elastic network interfaces per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT}")))
    if not result.split.fits:
        findings.append(Finding(Level.WARNING, f"no suggested split: {result.split.message}"))
    order = {Level.ERROR: 0, Level.WARNING: 1, Level.INFO: 2}
    return tuple(sorted(findings, key=lambda f: order[f.level]))


def _assumptions(plan: Plan) -> tuple[str, ...]:
    notes = [
        "Each workload spreads evenly over its subnets; each subnet's share is rounded up, "
        "so per-subnet numbers can add up to slightly more than the total.",
    ]
    if plan.ecs_services:
        notes.append(
            "ECS peak = maximum task count × maximumPercent: a rolling deployment at full "
            "scale briefly runs old and new tasks together. Each awsvpc task has one network "
            "interface with one private IPv4 address."
        )
    if any(s.launch_type is LaunchType.EC2 for s in plan.ecs_services):
        notes.append(
            "EC2 instance counts consider network interfaces only, not CPU or memory, and "
            "count each service as if it had instances of its own."
        )
        if any(s.instances_in_task_subnets for s in plan.ecs_services
               if s.launch_type is LaunchType.EC2):
            notes.append(
                "Container instances are assumed to sit in the same subnets as their tasks, "
                "with one address for the primary network interface and, with trunking, one "
                "for the trunk interface."
            )
    if plan.lambda_functions:
        notes.append(HYPERPLANE_ADDRESS_ASSUMPTION)
        notes.append(
            "A function's connections spread evenly over its subnets. Steady state counts one "
            "Hyperplane ENI per subnet + security-group combination; peak adds one per "
            f"{CONNECTIONS_PER_HYPERPLANE_ENI:,} connections."
        )
    return tuple(notes)


# --- Plain-data output (JSON, CSV) -------------------------------------------------------------


def sizing_to_dict(result: PlanSizing) -> dict[str, Any]:
    """The whole result as JSON-ready data (used by ``trainer size plan --json``)."""
    return {
        "vpc_cidr": result.plan.vpc_cidr,
        "headroom_percent": result.plan.headroom_percent,
        "subnets": [
            {
                "name": s.subnet.name, "az": s.subnet.az, "cidr": s.subnet.cidr,
                "usable_ips": s.usable, "steady_ips": s.steady, "peak_ips": s.peak,
                "headroom_ips": s.headroom, "peak_fill": round(s.fill_peak, 4),
                "status": s.status.value, "recommended_prefix": s.recommended_prefix,
                "reserved": [{"address": r.address, "purpose": r.purpose} for r in s.reserved],
                "uses": [
                    {"workload": u.workload, "kind": u.kind.value, "steady": u.steady,
                     "peak": u.peak}
                    for u in s.uses
                ],
            }
            for s in result.subnets
        ],
        "azs": [
            {"az": a.az, "subnets": list(a.subnets), "usable_ips": a.usable,
             "steady_ips": a.steady, "peak_ips": a.peak}
            for a in result.azs
        ],
        "ecs_services": [_service_dict(s) for s in result.services],
        "lambda": {
            "hyperplane_enis_steady": result.lambda_.enis_steady,
            "hyperplane_enis": result.lambda_.enis_peak,
            "combinations": [
                {"subnet": c.subnet, "security_groups": list(c.security_groups),
                 "functions": list(c.functions), "connections": c.connections,
                 "enis_steady": c.enis_steady, "enis_peak": c.enis_peak}
                for c in result.lambda_.combinations
            ],
            "legacy_enis": result.lambda_.legacy_total,
            "legacy_model": "pre-2019: peak concurrency × (memory in GB / 3 GB), for contrast",
            "legacy": [
                {"function": e.function, "concurrency": e.concurrency,
                 "memory_mb": e.memory_mb, "enis": e.enis}
                for e in result.lambda_.legacy
            ],
            "quota_enis_per_vpc": LAMBDA_VPC_ENI_QUOTA_TEXT,
        },
        "network_interfaces_steady": result.interfaces_steady,
        "network_interfaces_peak": result.interfaces_peak,
        "region_eni_quota": REGION_ENI_QUOTA,
        "split": {
            "fits": result.split.fits, "message": result.split.message,
            "subnets": [
                {"name": p.name, "az": p.az, "cidr": p.cidr, "usable_ips": p.usable,
                 "peak_ips": p.peak}
                for p in result.split.subnets
            ],
            "free": list(result.split.free),
        },
        "findings": [
            {"level": f.level.value, "message": f.message, "subnet": f.subnet}
            for f in result.findings
        ],
        "assumptions": list(result.assumptions),
    }


def _service_dict(s: ServiceSizing) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": s.name, "launch_type": s.launch_type.value, "subnets": list(s.subnets),
        "steady_tasks": s.steady_tasks, "peak_tasks": s.peak_tasks,
        "steady_ips": s.steady_ips, "peak_ips": s.peak_ips,
    }
    if s.launch_type is LaunchType.EC2:
        data.update(
            tasks_per_instance=s.tasks_per_instance,
            instances_needed=s.instances_peak, instances_steady=s.instances_steady,
            instance_ips_steady=s.instance_ips_steady, instance_ips_peak=s.instance_ips_peak,
        )
    return data


def subnets_csv(result: PlanSizing) -> str:
    """One row per subnet: the plan's results as CSV."""
    split = {p.name: p.cidr for p in result.split.subnets}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subnet", "az", "cidr", "usable_ips", "steady_ips", "peak_ips",
                     "headroom_ips", "peak_fill_percent", "status", "recommended_prefix",
                     "suggested_cidr"])
    for s in result.subnets:
        writer.writerow([
            s.subnet.name, s.subnet.az, s.subnet.cidr, s.usable, s.steady, s.peak, s.headroom,
            f"{100 * s.fill_peak:.1f}", s.status.value,
            f"/{s.recommended_prefix}" if s.recommended_prefix else "",
            split.get(s.subnet.name, ""),
        ])
    return out.getvalue()


def uses_csv(result: PlanSizing) -> str:
    """One row per workload per subnet: where the addresses go."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subnet", "az", "workload", "kind", "steady_ips", "peak_ips"])
    for s in result.subnets:
        for u in s.uses:
            writer.writerow([s.subnet.name, s.subnet.az, u.workload, u.kind.value, u.steady,
                             u.peak])
    return out.getvalue()


# --- Worked examples ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Preset:
    id: str
    title: str
    description: str
    plan: Plan = field(repr=False)


def _preset(id: str, title: str, description: str, data: dict[str, Any]) -> Preset:
    return Preset(id, title, description, plan_from_dict(data))


_AZS = ("us-east-1a", "us-east-1b", "us-east-1c")

PRESETS: dict[str, Preset] = {
    p.id: p for p in (
        _preset(
            "fargate-three-az",
            "Fargate service in three AZs",
            "A web service on Fargate spread over three private /24 subnets, one per "
            "Availability Zone, with a small worker service beside it. At steady state the "
            "subnets are mostly empty; at the auto scaling maximum, during a rolling deployment "
            "at maximumPercent 200, every task briefly has a twin, and the same subnets end up "
            "over 80% full. Public subnets hold the NAT gateways and load balancer nodes.",
            {
                "vpc_cidr": "10.0.0.0/20",
                "headroom_percent": 20,
                "subnets": [
                    *({"name": f"private-{az[-1]}", "cidr": f"10.0.{i}.0/24", "az": az}
                      for i, az in enumerate(_AZS)),
                    *({"name": f"public-{az[-1]}", "cidr": f"10.0.3.{64 * i}/26", "az": az}
                      for i, az in enumerate(_AZS)),
                ],
                "ecs_services": [
                    {"name": "web", "launch_type": "fargate", "desired": 30, "maximum": 300,
                     "max_percent": 200, "subnets": ["private-a", "private-b", "private-c"]},
                    {"name": "worker", "launch_type": "fargate", "desired": 6, "maximum": 60,
                     "max_percent": 150, "subnets": ["private-a", "private-b", "private-c"]},
                ],
                "other_users": [
                    *({"name": f"endpoints-{x}", "kind": "interface-endpoint",
                       "subnet": f"private-{x}", "count": 4} for x in "abc"),
                    *({"name": f"nat-{x}", "kind": "nat-gateway", "subnet": f"public-{x}",
                       "count": 1} for x in "abc"),
                    *({"name": f"alb-{x}", "kind": "load-balancer-node",
                       "subnet": f"public-{x}", "count": 1} for x in "abc"),
                ],
            },
        ),
        _preset(
            "ec2-no-trunking",
            "EC2 cluster without trunking",
            "An API service on c5.large container instances with ENI trunking off: each "
            "instance has 3 network interfaces, the primary one is taken, so it runs only 2 "
            "awsvpc tasks, however much CPU and memory are left. Turn trunking on to see the "
            "same tasks fit on 10 per instance. A batch service on t3.medium can't use "
            "trunking at all. Two /26 subnets are too small at peak.",
            {
                "vpc_cidr": "10.1.0.0/22",
                "headroom_percent": 20,
                "subnets": [
                    {"name": "app-a", "cidr": "10.1.0.0/26", "az": "us-east-1a"},
                    {"name": "app-b", "cidr": "10.1.0.64/26", "az": "us-east-1b"},
                ],
                "ecs_services": [
                    {"name": "api", "launch_type": "ec2", "instance_type": "c5.large",
                     "trunking": False, "desired": 12, "maximum": 36, "max_percent": 200,
                     "subnets": ["app-a", "app-b"]},
                    {"name": "batch", "launch_type": "ec2", "instance_type": "t3.medium",
                     "trunking": False, "desired": 2, "maximum": 6, "max_percent": 100,
                     "subnets": ["app-a", "app-b"]},
                ],
                "other_users": [
                    {"name": "endpoints-a", "kind": "interface-endpoint", "subnet": "app-a",
                     "count": 2},
                    {"name": "endpoints-b", "kind": "interface-endpoint", "subnet": "app-b",
                     "count": 2},
                ],
            },
        ),
        _preset(
            "lambda-shared-subnets",
            "Lambda functions sharing subnets",
            "Four functions attached to the same two subnets. Three share one security group, "
            "so they share one Hyperplane ENI per subnet; the fourth adds a database security "
            "group, which is a new combination and a new ENI per subnet. The busiest "
            "combination passes 65,000 connections and gets a second ENI. For contrast, the "
            "pre-2019 formula (peak concurrency × memory / 3 GB) would have needed hundreds "
            "of ENIs for the same functions.",
            {
                "vpc_cidr": "10.2.0.0/24",
                "headroom_percent": 20,
                "subnets": [
                    {"name": "lambda-a", "cidr": "10.2.0.0/27", "az": "eu-west-1a"},
                    {"name": "lambda-b", "cidr": "10.2.0.32/27", "az": "eu-west-1b"},
                ],
                "lambda_functions": [
                    {"name": "orders-api", "subnets": ["lambda-a", "lambda-b"],
                     "security_groups": ["sg-lambda"], "connections": 120_000,
                     "concurrency": 1000, "memory_mb": 1024},
                    {"name": "payments-api", "subnets": ["lambda-a", "lambda-b"],
                     "security_groups": ["sg-lambda"], "connections": 30_000,
                     "concurrency": 300, "memory_mb": 512},
                    {"name": "reports", "subnets": ["lambda-a", "lambda-b"],
                     "security_groups": ["sg-lambda"], "connections": 2_000,
                     "concurrency": 50, "memory_mb": 3008},
                    {"name": "db-migrator", "subnets": ["lambda-a", "lambda-b"],
                     "security_groups": ["sg-lambda", "sg-db"], "connections": 100,
                     "concurrency": 5, "memory_mb": 256},
                ],
            },
        ),
    )
}

DEFAULT_PRESET = "fargate-three-az"


# --- One-workload calculators (the command line's `size ecs` and `size lambda`) ----------------


def quick_ecs(
    launch_type: str,
    tasks: int,
    max_tasks: int | None = None,
    max_percent: int = DEFAULT_MAX_PERCENT,
    instance_type: str | None = None,
    trunking: bool = False,
    subnets: int = 1,
) -> dict[str, Any]:
    """Addresses and instances for one ECS service spread over ``subnets`` subnets."""
    _count(subnets, "subnets")
    _count(tasks, "tasks")
    if not 1 <= subnets <= MAX_WORKLOAD_SUBNETS:
        raise SizingError(f"subnets must be from 1 to {MAX_WORKLOAD_SUBNETS} (a service "
                          f"takes at most {MAX_WORKLOAD_SUBNETS}), got {subnets}")
    if max_tasks is not None:
        _count(max_tasks, "max tasks")
        if max_tasks < tasks:
            raise SizingError(f"max tasks ({max_tasks}) is below tasks ({tasks}); the auto "
                              "scaling maximum must be at least the desired count")
    try:
        service = EcsService(
            name="service", subnets=tuple(f"subnet-{i + 1}" for i in range(subnets)),
            launch_type=launch_type, desired=tasks, maximum=max_tasks,
            max_percent=max_percent, instance_type=instance_type, trunking=trunking,
        )
    except SizingError as exc:
        raise SizingError(str(exc).removeprefix("ECS service 'service': ")) from None
    sized = size_service(service)
    data: dict[str, Any] = {
        "launch_type": service.launch_type.value,
        "tasks": service.desired,
        "max_tasks": service.maximum,
        "max_percent": service.max_percent,
        "subnets": subnets,
        "steady_ips": sized.steady_ips,
        "peak_tasks": sized.peak_tasks,
        "peak_ips": sized.peak_ips,
        "steady_ips_per_subnet": _spread(sized.steady_ips, subnets),
        "peak_ips_per_subnet": _spread(sized.peak_ips, subnets),
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
    _count(subnets, "subnets")
    _count(security_group_sets, "security group sets")
    _count(connections, "connections")
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
        LambdaFunction(name=f"functions-with-set-{i + 1}", subnets=names,
                       security_groups=(f"sg-set-{i + 1}",),
                       connections=base + (1 if i < extra else 0))
        for i in range(security_group_sets)
    ]
    if (concurrency is None) != (memory_mb is None):
        raise SizingError("give both concurrency and memory_mb for the pre-2019 "
                          "comparison, or neither")
    legacy = None
    if concurrency is not None and memory_mb is not None:
        try:
            LambdaFunction(name="legacy", subnets=names, security_groups=("sg",),
                           concurrency=concurrency, memory_mb=memory_mb)
        except SizingError as exc:
            raise SizingError(str(exc).removeprefix("Lambda function 'legacy': ")) from None
        legacy = legacy_enis(concurrency, memory_mb)
    sized = size_lambda(functions)
    per_subnet = {name: 0 for name in names}
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
