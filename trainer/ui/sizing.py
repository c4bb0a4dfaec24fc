"""Subnet sizing page: ENIs and IP addresses per subnet, at steady state and at peak.

All arithmetic lives in ``trainer.explainers.sizing`` and the diagram in
``trainer.charts.sizing``; this page only gathers the inputs, keeps them in the URL, and shows
the results.

URL state: ``?preset=<id>`` loads a worked example; ``?plan=<token>`` restores any plan
(``trainer.explainers.sizing.plan_io.encode_plan``). The page rewrites the URL after every
calculation, so the address bar can always be shared. A damaged link shows an error and falls
back to the default example.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import streamlit as st

from trainer.charts.sizing import sizing_figure
from trainer.explainers.sizing.calculation import size_plan
from trainer.explainers.sizing.checks import SizingError
from trainer.explainers.sizing.export import subnets_csv, uses_csv
from trainer.explainers.sizing.instances import instance_table
from trainer.explainers.sizing.kinds import MANUAL_KINDS, LaunchType, Severity, SubnetFit
from trainer.explainers.sizing.limits import (
    DEFAULT_MAX_PERCENT,
    HEADROOM_RANGE,
    HYPERPLANE_ADDRESS_ASSUMPTION,
    LAMBDA_MEMORY_MB,
    LAMBDA_VPC_ENI_QUOTA_TEXT,
    REGION_ENI_QUOTA,
    TIGHT_FILL,
)
from trainer.explainers.sizing.plan import Plan
from trainer.explainers.sizing.plan_io import (
    decode_plan,
    encode_plan,
    plan_from_dict,
    plan_to_dict,
    plan_to_yaml,
)
from trainer.explainers.sizing.presets import DEFAULT_PRESET, PRESETS
from trainer.explainers.sizing.results import PlanSizing
from trainer.ui.common import explainer_url, render_back_links

PAGE = "sizing"
_KEY = "sizing"  # session_state prefix

SUBNET_COLUMNS = ["name", "cidr", "az"]
SERVICE_COLUMNS = [
    "name",
    "launch_type",
    "instance_type",
    "trunking",
    "desired",
    "maximum",
    "max_percent",
    "subnets",
    "instances_in_task_subnets",
]
FUNCTION_COLUMNS = ["name", "subnets", "security_groups", "connections", "concurrency", "memory_mb"]
OTHER_COLUMNS = ["name", "kind", "subnet", "count"]
_INT_COLUMNS = {"desired", "maximum", "max_percent", "connections", "concurrency", "memory_mb", "count"}
_BOOL_COLUMNS = {"trunking", "instances_in_task_subnets"}
_LIST_COLUMNS = {"subnets", "security_groups"}

_FIT_ICONS = {SubnetFit.OK: "✅", SubnetFit.TIGHT: "⚠️", SubnetFit.EXHAUSTED: "⛔"}


# --- State ----------------------------------------------------------------------------------


def _state(name: str, default: Any = None) -> Any:
    return st.session_state.get(f"{_KEY}_{name}", default)


def _set_state(**values: Any) -> None:
    for name, value in values.items():
        st.session_state[f"{_KEY}_{name}"] = value


def _load(plan: Plan, preset: str | None, error: str | None = None) -> None:
    """Seed the form with a plan: new widget keys, so the editors start from it."""
    _set_state(base=plan_to_dict(plan), preset=preset, error=error, rev=_state("rev", 0) + 1)


def _load_preset(preset_id: str) -> None:
    _load(PRESETS[preset_id].settings, preset_id)


def _query() -> tuple[str | None, str | None]:
    return st.query_params.get("preset"), st.query_params.get("plan")


def _apply_query_params() -> None:
    """Load what the URL asks for, when the URL changed since we last read or wrote it."""
    query = _query()
    if _state("rev") is not None and query == _state("seen_query"):
        return
    _set_state(seen_query=query)
    preset_id, token = query
    default = PRESETS[DEFAULT_PRESET]
    if token:
        try:
            plan = decode_plan(token)
        except SizingError as exc:
            _load(
                default.settings,
                default.id,
                f"Could not restore the plan from the link: {exc}. Showing the example "
                f"“{default.title}” instead.",
            )
        else:
            _load(plan, None)
    elif preset_id:
        if preset_id in PRESETS:
            _load_preset(preset_id)
        else:
            _load(
                default.settings,
                default.id,
                f"There is no example called “{preset_id}”. Showing “{default.title}” "
                f"instead; the examples are {', '.join(PRESETS)}.",
            )
    elif _state("rev") is None:
        _load(default.settings, default.id)
    elif _state("current"):
        # Back on the page without parameters (e.g. from the sidebar): restore the last plan.
        _load(plan_from_dict(_state("current")), _state("preset"))


def _update_url(plan: Plan) -> str | None:
    """Put the plan in the URL: ``?preset=`` for an unchanged example, else ``?plan=``.
    Returns the matching example's id, if any."""
    preset = next((p.id for p in PRESETS.values() if p.settings == plan), None)
    wanted = {"preset": preset} if preset else {"plan": encode_plan(plan)}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)
    _set_state(seen_query=(wanted.get("preset"), wanted.get("plan")), current=plan_to_dict(plan))
    return preset


# --- Converting between the plan dict and the editors -----------------------------------------


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    data = {}
    for column in columns:
        values = [row.get(column) for row in rows]
        if column in _LIST_COLUMNS:
            values = [", ".join(v) if isinstance(v, list) else v for v in values]
        if column in _INT_COLUMNS:
            data[column] = pd.array(values, dtype="Int64")
        elif column in _BOOL_COLUMNS:
            data[column] = pd.array(values, dtype="boolean")
        else:
            data[column] = pd.array(values, dtype="object")
    return pd.DataFrame(data, columns=columns)


def _plain(value: Any) -> Any:
    """A cell as plain Python: None for blanks, ints for whole numbers."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.strip() or None
    return value


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for record in frame.to_dict("records"):
        row = {key: _plain(value) for key, value in record.items()}
        row = {key: value for key, value in row.items() if value is not None}
        if any(key not in _BOOL_COLUMNS for key in row):  # skip rows left blank
            rows.append(row)
    return rows


# --- Page sections --------------------------------------------------------------------------


def _examples() -> None:
    st.markdown("#### Start from a worked example")
    columns = st.columns(len(PRESETS))
    for column, preset in zip(columns, PRESETS.values(), strict=True):
        with column:
            st.button(
                preset.title,
                key=f"{_KEY}_load_{preset.id}",
                on_click=_load_preset,
                args=(preset.id,),
                width="stretch",
                type="primary" if _state("preset") == preset.id else "secondary",
            )


def _form(base: dict[str, Any], rev: int) -> dict[str, Any]:
    """The inputs; returns the plan as plain data (validated later by the core)."""
    subnet_names = [s["name"] for s in base["subnets"]]
    with st.form(f"{_KEY}_form_{rev}", border=True):
        st.markdown("#### Describe your VPC")
        left, right = st.columns([3, 2])
        vpc = left.text_input(
            "VPC IPv4 CIDR",
            value=base["vpc_cidr"],
            key=f"{_KEY}_vpc_{rev}",
            help="From /16 to /28. Every subnet must sit inside it.",
        )
        headroom = right.slider(
            "Headroom to keep free at peak (%)",
            min_value=HEADROOM_RANGE[0],
            max_value=HEADROOM_RANGE[1],
            value=base["headroom_percent"],
            step=5,
            key=f"{_KEY}_headroom_{rev}",
            help="Used for the smallest prefix per subnet and the suggested split.",
        )

        st.markdown("**Subnets** — name, CIDR and Availability Zone")
        subnets = st.data_editor(
            _frame(base["subnets"], SUBNET_COLUMNS),
            key=f"{_KEY}_subnets_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name", required=True),
                "cidr": st.column_config.TextColumn("CIDR", required=True),
                "az": st.column_config.TextColumn("Availability Zone", required=True),
            },
        )

        st.markdown(
            "**ECS services** (awsvpc: one network interface and one address per "
            "task) — list subnets by name, separated by commas"
        )
        services = st.data_editor(
            _frame(base["ecs_services"], SERVICE_COLUMNS),
            key=f"{_KEY}_services_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "launch_type": st.column_config.SelectboxColumn(
                    "Launch type", options=[t.value for t in LaunchType], default="fargate", required=True
                ),
                "instance_type": st.column_config.SelectboxColumn(
                    "Instance type",
                    options=list(instance_table()),
                    help="EC2 only. The types with documented ENI limits.",
                ),
                "trunking": st.column_config.CheckboxColumn(
                    "Trunking", default=False, help="ENI trunking (EC2 only)."
                ),
                "desired": st.column_config.NumberColumn("Desired", min_value=0, step=1, default=1),
                "maximum": st.column_config.NumberColumn(
                    "Maximum", min_value=0, step=1, help="Auto scaling maximum; blank = desired."
                ),
                "max_percent": st.column_config.NumberColumn(
                    "Max %",
                    min_value=100,
                    max_value=200,
                    step=1,
                    default=DEFAULT_MAX_PERCENT,
                    help="Deployment maximumPercent: 200 briefly doubles the tasks.",
                ),
                "subnets": st.column_config.TextColumn("Subnets", width="medium"),
                "instances_in_task_subnets": st.column_config.CheckboxColumn(
                    "Count instances",
                    default=True,
                    help="EC2 only: the container instances sit in the same subnets and take addresses too.",
                ),
            },
        )

        st.markdown(
            "**Lambda functions in the VPC** — subnets and security groups by name, separated by commas"
        )
        functions = st.data_editor(
            _frame(base["lambda_functions"], FUNCTION_COLUMNS),
            key=f"{_KEY}_functions_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "subnets": st.column_config.TextColumn("Subnets", width="medium"),
                "security_groups": st.column_config.TextColumn("Security groups"),
                "connections": st.column_config.NumberColumn(
                    "Peak connections",
                    min_value=0,
                    step=1,
                    default=0,
                    help="Each Hyperplane ENI supports up to 65,000 connections.",
                ),
                "concurrency": st.column_config.NumberColumn(
                    "Peak concurrency", min_value=0, step=1, help="Only for the pre-2019 comparison."
                ),
                "memory_mb": st.column_config.NumberColumn(
                    "Memory (MB)",
                    min_value=LAMBDA_MEMORY_MB[0],
                    max_value=LAMBDA_MEMORY_MB[1],
                    step=1,
                    help="Only for the pre-2019 comparison.",
                ),
            },
        )

        st.markdown("**Other address users** — NAT gateways, interface endpoints, load balancer nodes")
        others = st.data_editor(
            _frame(base["other_users"], OTHER_COLUMNS),
            key=f"{_KEY}_others_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn("Name"),
                "kind": st.column_config.SelectboxColumn(
                    "Kind",
                    options=[k.value for k in MANUAL_KINDS],
                    default="interface-endpoint",
                    required=True,
                ),
                "subnet": st.column_config.SelectboxColumn("Subnet", options=subnet_names),
                "count": st.column_config.NumberColumn("Addresses", min_value=0, step=1, default=1),
            },
        )
        st.form_submit_button("Calculate", type="primary", icon=":material/calculate:")
    return {
        "vpc_cidr": vpc,
        "headroom_percent": headroom,
        "subnets": _rows(subnets),
        "ecs_services": _rows(services),
        "lambda_functions": _rows(functions),
        "other_users": _rows(others),
    }


def _summary(result: PlanSizing) -> None:
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
        help=f"At peak, {tightest.subnet.name} uses {tightest.peak:,} of "
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
            st.error(finding.message, icon=":material/error:")
        else:
            st.warning(finding.message, icon=":material/warning:")
    if not problems:
        st.success(
            f"Every subnet keeps more than {1 - TIGHT_FILL:.0%} of its "
            "addresses free at peak, and no quota is close.",
            icon=":material/check_circle:",
        )


def _subnet_table(result: PlanSizing) -> None:
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


def _workloads(result: PlanSizing) -> None:
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


def _split(result: PlanSizing) -> None:
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
        st.warning(f"No split fits: {split.message}.", icon=":material/grid_off:")


def _details(result: PlanSizing) -> None:
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


def _share(result: PlanSizing, preset: str | None) -> None:
    st.markdown("#### Share and export")
    query = f"preset={preset}" if preset else f"plan={encode_plan(result.plan)}"
    # st.context.url is this page's address without the query (None outside a browser).
    page_url = st.context.url
    if page_url:
        link = f"{page_url}?{query}"
    else:
        link = explainer_url(PAGE, preset) if preset else f"/{PAGE}?{query}"
    st.caption("The address bar always holds the current plan. This link restores it:")
    st.code(link, language=None, wrap_lines=True)
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


def _about(placeholder: Any, preset: str | None, edited: bool) -> None:
    """Describe the example the form started from."""
    if preset in PRESETS:
        example = PRESETS[preset]
        note = " (you have edited it)" if edited else ""
        placeholder.info(
            f"**{example.title}**{note}. {example.idea}\n\n**What to watch:** {example.watch}",
            icon=":material/menu_book:",
        )


# --- The page -------------------------------------------------------------------------------


def main() -> None:
    st.title(":material/calculate: ENI & subnet sizing")
    st.markdown(
        "“Make sure your subnets have enough ENIs and IP addresses” is advice; this page "
        "makes it a number. Describe a VPC and the ECS services and Lambda functions that run "
        "in it, and see how many addresses each subnet needs **at steady state and at peak**, "
        "where it runs out, and what CIDR to choose instead."
    )
    _apply_query_params()
    _examples()
    error = _state("error")
    if error:
        st.error(error, icon=":material/link_off:")
    loaded = _state("preset")
    about = st.empty()
    data = _form(_state("base"), _state("rev"))
    try:
        plan = plan_from_dict(data)
        result = size_plan(plan)
    except SizingError as exc:
        _about(about, loaded, edited=True)
        st.error(f"**This plan can't be sized yet:** {exc}", icon=":material/edit_note:")
        st.caption("Fix the input above and press **Calculate**, or load a worked example.")
        return

    preset = _update_url(plan)
    _about(about, loaded, edited=preset != loaded)
    st.divider()
    st.subheader("Results")
    _summary(result)
    _subnet_table(result)
    st.markdown("#### Diagram")
    st.caption(
        "VPC → Availability Zones → subnets → network interfaces by workload "
        "(steady → peak). Subnets are coloured by how full they get at peak."
    )
    st.plotly_chart(sizing_figure(result), width="stretch", config={"displaylogo": False})
    _workloads(result)
    _split(result)
    _details(result)
    _share(result, preset)
    if preset or loaded:
        render_back_links(PAGE, preset or loaded, "Cards about this example")


main()
