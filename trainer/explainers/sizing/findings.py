"""What a sized plan tells the reader: findings (subnets that run out or get tight, quotas that
come close) and the assumptions behind the numbers.

Findings come most severe first. Assumptions are listed only for the parts of the model the
plan uses, so a Fargate-only plan is not told about Hyperplane ENIs.
"""

from __future__ import annotations

from trainer.explainers.sizing.kinds import LaunchType, Severity, SubnetFit
from trainer.explainers.sizing.limits import (
    CONNECTIONS_PER_HYPERPLANE_ENI,
    HYPERPLANE_ADDRESS_ASSUMPTION,
    LAMBDA_VPC_ENI_QUOTA,
    LAMBDA_VPC_ENI_QUOTA_TEXT,
    MIN_PREFIX,
    REGION_ENI_QUOTA,
    TIGHT_FILL,
)
from trainer.explainers.sizing.plan import Plan
from trainer.explainers.sizing.results import Finding, PlanSizing


def findings(result: PlanSizing) -> tuple[Finding, ...]:
    """Subnets that run out or get tight, subnets that could be smaller, quotas that come
    close, and a split that does not fit; errors first, then warnings, then notes."""
    found = []
    headroom = result.plan.headroom_percent
    for s in result.subnets:
        name = s.subnet.name
        if s.steady > s.usable:
            found.append(
                Finding(
                    Severity.ERROR,
                    (
                        f"{name} is already out of addresses at steady state: it needs {s.steady:,} "
                        f"and has {s.usable:,} usable"
                    ),
                    name,
                )
            )
        elif s.peak > s.usable:
            found.append(
                Finding(
                    Severity.ERROR,
                    (
                        f"{name} runs out at peak: it needs {s.peak:,} addresses and has {s.usable:,} "
                        f"usable ({s.peak - s.usable:,} short)"
                    ),
                    name,
                )
            )
        elif s.fit is SubnetFit.TIGHT:
            found.append(
                Finding(
                    Severity.WARNING,
                    (
                        f"{name} is {s.fill_peak:.0%} full at peak (over {TIGHT_FILL:.0%}): "
                        f"{s.headroom:,} of {s.usable:,} usable addresses left"
                    ),
                    name,
                )
            )
        if s.recommended_prefix is None:
            found.append(
                Finding(
                    Severity.ERROR,
                    (
                        f"{name}: {s.peak:,} addresses at peak don't fit even a /{MIN_PREFIX} with "
                        f"{headroom}% headroom; spread the workloads over more subnets"
                    ),
                    name,
                )
            )
        elif s.recommended_prefix < s.subnet.network.prefixlen:
            found.append(
                Finding(
                    Severity.INFO,
                    (
                        f"{name}: a /{s.recommended_prefix} would keep {headroom}% headroom at peak "
                        f"(it is a /{s.subnet.network.prefixlen})"
                    ),
                    name,
                )
            )
    peak_enis = result.interfaces_peak
    if peak_enis > REGION_ENI_QUOTA:
        found.append(
            Finding(
                Severity.ERROR,
                (
                    f"{peak_enis:,} network interfaces at peak exceed the default quota of "
                    f"{REGION_ENI_QUOTA:,} network interfaces per Region (adjustable; other VPCs in "
                    "the Region count too)"
                ),
            )
        )
    elif peak_enis > TIGHT_FILL * REGION_ENI_QUOTA:
        found.append(
            Finding(
                Severity.WARNING,
                (
                    f"{peak_enis:,} network interfaces at peak are over {TIGHT_FILL:.0%} of the "
                    f"{REGION_ENI_QUOTA:,} per Region default quota (other VPCs in the Region count "
                    "too)"
                ),
            )
        )
    hyperplane = result.lambda_.enis_peak
    if hyperplane > LAMBDA_VPC_ENI_QUOTA:
        found.append(
            Finding(
                Severity.ERROR,
                (
                    f"{hyperplane:,} Lambda Hyperplane ENIs exceed the Lambda quota of elastic network "
                    f"interfaces per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT}"
                ),
            )
        )
    elif hyperplane > TIGHT_FILL * LAMBDA_VPC_ENI_QUOTA:
        found.append(
            Finding(
                Severity.WARNING,
                (
                    f"{hyperplane:,} Lambda Hyperplane ENIs are over {TIGHT_FILL:.0%} of the Lambda "
                    f"quota of elastic network interfaces per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT}"
                ),
            )
        )
    if not result.split.fits:
        found.append(Finding(Severity.WARNING, f"no suggested split: {result.split.message}"))
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return tuple(sorted(found, key=lambda f: order[f.severity]))


def assumptions(plan: Plan) -> tuple[str, ...]:
    """What the numbers assume where AWS documents nothing, for the parts the plan uses."""
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
        if any(s.instances_in_task_subnets for s in plan.ecs_services if s.launch_type is LaunchType.EC2):
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
