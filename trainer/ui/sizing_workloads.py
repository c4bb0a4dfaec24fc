"""The Workloads part of the Subnet sizing results: what each ECS service, Lambda function and
hand-added address user takes, one tab each.

Kept apart from the totals because this is where the page teaches the two models: awsvpc's
one interface per task (and the instance limits on EC2), and Lambda's shared Hyperplane ENIs,
set against the pre-2019 formula the study notes still quote.
"""

from __future__ import annotations

import pandas as pd  # type: ignore[import-untyped]
import streamlit as st

from trainer.explainers.sizing.limits import HYPERPLANE_ADDRESS_ASSUMPTION, LAMBDA_VPC_ENI_QUOTA_TEXT
from trainer.explainers.sizing.results import PlanSizing


def workloads(result: PlanSizing) -> None:
    """Tabs for ECS services, Lambda functions and the rest; the first one with data is open."""
    st.markdown("#### Workloads")
    names = ["ECS services", "Lambda functions", "Added by hand"]
    filled = [bool(result.services), bool(result.plan.lambda_functions), bool(result.plan.other_users)]
    default = names[filled.index(True)] if any(filled) else None
    ecs, lam, other = st.tabs(names, default=default)
    with ecs:
        if not result.services:
            st.caption("No ECS services in this plan.")
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Service": s.name,
                            "Launch type": s.launch_type.value
                            + (
                                f" · {svc.instance_type}{' · trunking' if svc.trunking else ''}"
                                if svc.instance_type
                                else ""
                            ),
                            "Tasks, steady → peak": f"{s.steady_tasks:,} → {s.peak_tasks:,}",
                            "Tasks per instance": _text(s.tasks_per_instance),
                            "Instances, steady → peak": _arrow(s.instances_steady, s.instances_peak),
                            "Instance addresses at peak": _text(s.instance_ips_peak or None),
                        }
                        for s, svc in zip(result.services, result.plan.ecs_services, strict=True)
                    ]
                ),
                hide_index=True,
                width="stretch",
            )
            st.caption(
                "awsvpc gives every task its own network interface. On EC2 the instance's "
                "primary interface counts toward its limit, so a c5.large (3 interfaces) runs "
                "2 tasks, or 10 with ENI trunking. Instance counts here consider network "
                "interfaces only, not CPU or memory."
            )
    with lam:
        if not result.plan.lambda_functions:
            st.caption("No Lambda functions in this plan.")
        else:
            st.markdown(
                "**Current model — Hyperplane ENIs**: one per unique subnet + "
                "security-group set, shared by every function with that set; another "
                "for every 65,000 connections."
            )
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Subnet": c.subnet,
                            "Security groups": " + ".join(c.security_groups),
                            "Functions": ", ".join(c.functions),
                            "Connections": c.connections,
                            "ENIs (steady)": c.enis_steady,
                            "ENIs (peak)": c.enis_peak,
                        }
                        for c in result.lambda_.combinations
                    ]
                ),
                hide_index=True,
                width="stretch",
                column_config={"Connections": st.column_config.NumberColumn(format="localized")},
            )
            st.caption(
                f"{HYPERPLANE_ADDRESS_ASSUMPTION} Quota of elastic network interfaces "
                f"per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT} — a re:Post article gives 500."
            )
            if result.lambda_.legacy:
                with st.container(border=True):
                    st.markdown(
                        "**For contrast only — the pre-2019 model the study notes come "
                        "from.** Before Hyperplane ENIs, Lambda created interfaces in your "
                        "subnets as it scaled: *peak concurrency × (memory in GB ÷ 3 GB)*. "
                        "Lambda no longer works this way."
                    )
                    st.dataframe(
                        pd.DataFrame(
                            [
                                {
                                    "Function": e.function,
                                    "Peak concurrency": e.concurrency,
                                    "Memory (MB)": e.memory_mb,
                                    "ENIs, pre-2019 formula": e.enis,
                                }
                                for e in result.lambda_.legacy
                            ]
                        ),
                        hide_index=True,
                        width="stretch",
                    )
                    st.markdown(
                        f"Old model: **{result.lambda_.legacy_total:,}** ENIs · current "
                        f"model: **{result.lambda_.enis_peak:,}** Hyperplane ENIs."
                    )
    with other:
        if not result.plan.other_users:
            st.caption("Nothing added by hand.")
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "Name": o.name,
                            "Kind": o.kind.label,
                            "Subnet": o.subnet,
                            "Addresses": o.count,
                        }
                        for o in result.plan.other_users
                    ]
                ),
                hide_index=True,
                width="stretch",
            )


def _text(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _arrow(steady: int | None, peak: int | None) -> str:
    return "—" if steady is None or peak is None else f"{steady:,} → {peak:,}"
