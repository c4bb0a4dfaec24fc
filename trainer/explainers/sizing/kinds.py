"""The enums of the sizing calculator: launch types, address users, finding severity, subnet fit.

Their values are the words of the plan format (YAML, JSON, URL tokens) and of the CSV and JSON
output, so they never change; display text comes from each enum's ``label``.
"""

from __future__ import annotations

from enum import StrEnum


class LaunchType(StrEnum):
    FARGATE = "fargate"
    EC2 = "ec2"


class UseKind(StrEnum):
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

#: Kinds a person adds by hand; the others follow from the ECS services and Lambda functions.
MANUAL_KINDS = (UseKind.NAT_GATEWAY, UseKind.INTERFACE_ENDPOINT, UseKind.LOAD_BALANCER_NODE, UseKind.OTHER)


class Severity(StrEnum):
    """How much a finding matters: an error means the plan does not work as it stands."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


class SubnetFit(StrEnum):
    """How well a subnet's peak fits in its usable addresses."""

    OK = "ok"
    TIGHT = "tight"  # above limits.TIGHT_FILL
    EXHAUSTED = "exhausted"  # more addresses needed than usable

    @property
    def label(self) -> str:
        return _FIT_LABELS[self]


_FIT_LABELS = {
    SubnetFit.OK: "OK",
    SubnetFit.TIGHT: "Tight",
    SubnetFit.EXHAUSTED: "Full",
}
