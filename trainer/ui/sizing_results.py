"""The Subnet sizing page's results: the summary, the per-subnet and per-AZ tables, the diagram,
the suggested split, the details, and the share link and downloads.

Everything shown is already computed by ``trainer.explainers.sizing`` (and drawn by
``trainer.charts.sizing``); this module only lays it out, in the order a reader asks: does it
fit, where does it not, why, and what to choose instead.
"""

from __future__ import annotations

import pandas as pd  # type: ignore[import-untyped]
import streamlit as st

from trainer.charts.sizing import sizing_figure
from trainer.explainers.sizing.export import subnets_csv, uses_csv
from trainer.explainers.sizing.kinds import Severity, SubnetFit
from trainer.explainers.sizing.limits import LAMBDA_VPC_ENI_QUOTA_TEXT, REGION_ENI_QUOTA, TIGHT_FILL
from trainer.explainers.sizing.plan_io import plan_to_yaml
from trainer.explainers.sizing.results import PlanSizing
from trainer.ui.plain import plain
from trainer.ui.sizing_links import share_link
from trainer.ui.sizing_workloads import workloads

# Status icons in the per-subnet table, one per SubnetFit.
_FIT_ICONS = {SubnetFit.OK: "✅", SubnetFit.TIGHT: "⚠️", SubnetFit.EXHAUSTED: "⛔"}


def show_results(result: PlanSizing, preset: str | None) -> None:
    """Every results section, in page order; ``preset`` is the example the plan still matches."""
    st.divider()
    st.subheader("Results")
    summary(result)
    subnet_tables(result)
    diagram(result)
    workloads(result)
    suggested_split(result)
    details(result)
    share_and_export(result, preset)


def summary(result: PlanSizing) -> None:
    tightest = max(result.subnets, key=lambda s: s.fill_peak)
    a, b, c, d = st.columns(4)
    a.metric(
        "Addresses at peak",
        f"{result.peak:,}",
        border=True,
        help=f"{result.steady:,} at steady state, of {result.usable:,} usable in all subnets.",
    )
    b.metric(
        "Fullest subnet",
        f"{tightest.fill_peak:.0%}",
        border=True,
        help=f"At peak, {plain(tightest.subnet.name)} uses {tightest.peak:,} of "
        f"{tightest.usable:,} usable addresses.",
    )
    c.metric(
        "ENIs at peak",
        f"{result.interfaces_peak:,}",
        border=True,
        help="All network interfaces in the plan at peak. Default quota: "
        f"{REGION_ENI_QUOTA:,} network interfaces per Region (adjustable), shared "
        "with every other VPC in the Region.",
    )
    d.metric(
        "Hyperplane ENIs",
        f"{result.lambda_.enis_peak:,}",
        border=True,
        help="Lambda's ENIs in this VPC at peak. Quota of elastic network interfaces "
        f"per VPC: {LAMBDA_VPC_ENI_QUOTA_TEXT}.",
    )
    problems = [f for f in result.findings if f.severity is not Severity.INFO]
    for finding in problems:
        if finding.severity is Severity.ERROR:
            st.error(plain(finding.message), icon=":material/error:")
        else:
            st.warning(plain(finding.message), icon=":material/warning:")
    if not problems:
        st.success(
            f"Every subnet keeps more than {1 - TIGHT_FILL:.0%} of its "
            "addresses free at peak, and no quota is close.",
            icon=":material/check_circle:",
        )


def subnet_tables(result: PlanSizing) -> None:
    st.markdown("#### Per subnet")
    rows = [
        {
            "Subnet": s.subnet.name,
            "AZ": s.subnet.az,
            "CIDR": s.subnet.cidr,
            "Usable": s.usable,
            "Steady": s.steady,
            "Peak": s.peak,
            "Headroom": s.headroom,
            "Peak fill": round(100 * s.fill_peak, 1),
            "Status": f"{_FIT_ICONS[s.fit]} {s.fit.label}",
            "Smallest prefix": f"/{s.recommended_prefix}" if s.recommended_prefix else "none",
        }
        for s in result.subnets
    ]
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        width="stretch",
        # The verdict first: on a phone the columns after the fourth are off to the side.
        column_order=["Subnet", "Status", "Peak fill", "AZ", "CIDR", "Usable", "Steady", "Peak"]
        + ["Headroom", "Smallest prefix"],
        column_config={
            "Subnet": st.column_config.TextColumn(pinned=True),
            "Status": st.column_config.TextColumn(width="small"),
            "Usable": st.column_config.NumberColumn(help="Size minus the 5 AWS reserves."),
            "Steady": st.column_config.NumberColumn(
                help="Desired tasks, one ENI per subnet + security-group set, others."
            ),
            "Peak": st.column_config.NumberColumn(
                help="Maximum tasks × maximumPercent, extra Hyperplane ENIs for connections."
            ),
            "Headroom": st.column_config.NumberColumn(help="Usable minus peak."),
            "Peak fill": st.column_config.ProgressColumn(
                "Peak fill",
                min_value=0,
                max_value=100,
                format="%.0f%%",
                help="Peak as a share of usable addresses (the bar stops at 100%).",
            ),
            "Smallest prefix": st.column_config.TextColumn(
                "Smallest",
                help=f"Smallest subnet that keeps {result.plan.headroom_percent}% headroom at peak.",
            ),
        },
    )
    st.markdown("#### Per Availability Zone")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "AZ": a.az,
                    "Subnets": ", ".join(a.subnets),
                    "Usable": a.usable,
                    "Steady": a.steady,
                    "Peak": a.peak,
                    "Peak fill": round(100 * a.fill_peak, 1),
                }
                for a in result.azs
            ]
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Peak fill": st.column_config.ProgressColumn(
                "Peak fill", min_value=0, max_value=100, format="%.0f%%"
            )
        },
    )


def diagram(result: PlanSizing) -> None:
    st.markdown("#### Diagram")
    st.caption(
        "VPC → Availability Zones → subnets → network interfaces by workload "
        "(steady → peak). Subnets are coloured by how full they get at peak."
    )
    st.plotly_chart(sizing_figure(result), width="stretch", config={"displaylogo": False})


def suggested_split(result: PlanSizing) -> None:
    st.markdown("#### Suggested subnet sizes")
    headroom = result.plan.headroom_percent
    split = result.split
    if split.fits:
        st.caption(
            f"The smallest prefix for each subnet that keeps {headroom}% of its "
            f"addresses free at peak, packed into {result.plan.vpc_cidr}: "
            f"{split.message}."
        )
        current = {s.subnet.name: s.subnet.cidr for s in result.subnets}
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Subnet": p.name,
                        "AZ": p.az,
                        "Now": current[p.name],
                        "Suggested": p.cidr,
                        "Usable": p.usable,
                        "Peak": p.peak,
                        "Peak fill": round(100 * p.peak / p.usable, 1),
                    }
                    for p in split.subnets
                ]
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "Peak fill": st.column_config.ProgressColumn(
                    "Peak fill", min_value=0, max_value=100, format="%.0f%%"
                )
            },
        )
        if split.free:
            st.caption("Left free for later: " + ", ".join(split.free))
    else:
        st.warning(f"No split fits: {plain(split.message)}.", icon=":material/grid_off:")


def details(result: PlanSizing) -> None:
    with st.expander("The five addresses AWS reserves in each subnet"):
        st.caption(
            "Usable = 2^(32 − prefix) − 5: the first four addresses and the last one "
            "are never yours. A /24 has 251 usable addresses, a /28 only 11."
        )
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Subnet": s.subnet.name,
                        "Address": r.address,
                        "Purpose": r.purpose,
                    }
                    for s in result.subnets
                    for r in s.reserved
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    with st.expander("Assumptions behind these numbers"):
        for note in result.assumptions:
            st.markdown(f"- {note}")


def share_and_export(result: PlanSizing, preset: str | None) -> None:
    st.markdown("#### Share and export")
    st.caption("The address bar always holds the current plan. This link restores it:")
    st.code(share_link(result.plan, preset), language=None, wrap_lines=True)
    a, b, c = st.columns(3)
    a.download_button(
        "Subnet results (CSV)",
        subnets_csv(result),
        file_name="subnet-sizing.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        width="stretch",
    )
    b.download_button(
        "Addresses by workload (CSV)",
        uses_csv(result),
        file_name="subnet-sizing-by-workload.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        width="stretch",
    )
    c.download_button(
        "Plan for the CLI (YAML)",
        plan_to_yaml(result.plan),
        file_name="vpc-plan.yaml",
        mime="application/x-yaml",
        icon=":material/download:",
        on_click="ignore",
        width="stretch",
        help="Run it with `trainer size plan vpc-plan.yaml`.",
    )
