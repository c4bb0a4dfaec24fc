"""A sized plan as plain data: JSON for ``trainer size plan --json``, CSV for the page's downloads.

The keys and columns are a published format (scripts and CI jobs read them), so they keep their
names: a subnet's fit is ``status`` and a finding's severity is ``level`` here.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.sizing.limits import LAMBDA_VPC_ENI_QUOTA_TEXT, REGION_ENI_QUOTA
from trainer.explainers.sizing.results import PlanSizing, ServiceSizing


def sizing_to_dict(result: PlanSizing) -> dict[str, Any]:
    """The whole result as JSON-ready data (used by ``trainer size plan --json``)."""
    return {
        "vpc_cidr": result.plan.vpc_cidr,
        "headroom_percent": result.plan.headroom_percent,
        "subnets": [
            {
                "name": s.subnet.name,
                "az": s.subnet.az,
                "cidr": s.subnet.cidr,
                "usable_ips": s.usable,
                "steady_ips": s.steady,
                "peak_ips": s.peak,
                "headroom_ips": s.headroom,
                "peak_fill": round(s.fill_peak, 4),
                "status": s.fit.value,
                "recommended_prefix": s.recommended_prefix,
                "reserved": [{"address": r.address, "purpose": r.purpose} for r in s.reserved],
                "uses": [
                    {"workload": u.workload, "kind": u.kind.value, "steady": u.steady, "peak": u.peak}
                    for u in s.uses
                ],
            }
            for s in result.subnets
        ],
        "azs": [
            {
                "az": a.az,
                "subnets": list(a.subnets),
                "usable_ips": a.usable,
                "steady_ips": a.steady,
                "peak_ips": a.peak,
            }
            for a in result.azs
        ],
        "ecs_services": [_service_dict(s) for s in result.services],
        "lambda": {
            "hyperplane_enis_steady": result.lambda_.enis_steady,
            "hyperplane_enis": result.lambda_.enis_peak,
            "combinations": [
                {
                    "subnet": c.subnet,
                    "security_groups": list(c.security_groups),
                    "functions": list(c.functions),
                    "connections": c.connections,
                    "enis_steady": c.enis_steady,
                    "enis_peak": c.enis_peak,
                }
                for c in result.lambda_.combinations
            ],
            "legacy_enis": result.lambda_.legacy_total,
            "legacy_model": "pre-2019: peak concurrency × (memory in GB / 3 GB), for contrast",
            "legacy": [
                {
                    "function": e.function,
                    "concurrency": e.concurrency,
                    "memory_mb": e.memory_mb,
                    "enis": e.enis,
                }
                for e in result.lambda_.legacy
            ],
            "quota_enis_per_vpc": LAMBDA_VPC_ENI_QUOTA_TEXT,
        },
        "network_interfaces_steady": result.interfaces_steady,
        "network_interfaces_peak": result.interfaces_peak,
        "region_eni_quota": REGION_ENI_QUOTA,
        "split": {
            "fits": result.split.fits,
            "message": result.split.message,
            "subnets": [
                {"name": p.name, "az": p.az, "cidr": p.cidr, "usable_ips": p.usable, "peak_ips": p.peak}
                for p in result.split.subnets
            ],
            "free": list(result.split.free),
        },
        "findings": [
            {"level": f.severity.value, "message": f.message, "subnet": f.subnet} for f in result.findings
        ],
        "assumptions": list(result.assumptions),
    }


def _service_dict(s: ServiceSizing) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": s.name,
        "launch_type": s.launch_type.value,
        "subnets": list(s.subnets),
        "steady_tasks": s.steady_tasks,
        "peak_tasks": s.peak_tasks,
        "steady_ips": s.steady_ips,
        "peak_ips": s.peak_ips,
    }
    if s.launch_type is LaunchType.EC2:
        data.update(
            tasks_per_instance=s.tasks_per_instance,
            instances_needed=s.instances_peak,
            instances_steady=s.instances_steady,
            instance_ips_steady=s.instance_ips_steady,
            instance_ips_peak=s.instance_ips_peak,
        )
    return data


def subnets_csv(result: PlanSizing) -> str:
    """One row per subnet: the plan's results as CSV."""
    split = {p.name: p.cidr for p in result.split.subnets}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "subnet",
            "az",
            "cidr",
            "usable_ips",
            "steady_ips",
            "peak_ips",
            "headroom_ips",
            "peak_fill_percent",
            "status",
            "recommended_prefix",
            "suggested_cidr",
        ]
    )
    for s in result.subnets:
        writer.writerow(
            [
                s.subnet.name,
                s.subnet.az,
                s.subnet.cidr,
                s.usable,
                s.steady,
                s.peak,
                s.headroom,
                f"{100 * s.fill_peak:.1f}",
                s.fit.value,
                f"/{s.recommended_prefix}" if s.recommended_prefix else "",
                split.get(s.subnet.name, ""),
            ]
        )
    return out.getvalue()


def uses_csv(result: PlanSizing) -> str:
    """One row per workload per subnet: where the addresses go."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["subnet", "az", "workload", "kind", "steady_ips", "peak_ips"])
    for s in result.subnets:
        for u in s.uses:
            writer.writerow([s.subnet.name, s.subnet.az, u.workload, u.kind.value, u.steady, u.peak])
    return out.getvalue()
