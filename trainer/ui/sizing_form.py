"""The Subnet sizing page's inputs: the worked-example buttons and the plan editor.

The editor is one ``st.form`` so a plan is sized once per **Calculate**, not on every cell edit.
Its widget keys carry a revision number (``sizing_form_<rev>`` and so on): loading an example or
a link bumps the revision, which gives Streamlit new widgets that start from the loaded plan
instead of keeping the old edits. The editors hand back plain data; validating it is the core's
job (``trainer.explainers.sizing.plan_io.plan_from_dict``), so the page and the CLI reject the
same plans with the same messages.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd  # type: ignore[import-untyped]
import streamlit as st

from trainer.explainers.sizing.instances import instance_table
from trainer.explainers.sizing.kinds import MANUAL_KINDS, LaunchType
from trainer.explainers.sizing.limits import DEFAULT_MAX_PERCENT, HEADROOM_RANGE, LAMBDA_MEMORY_MB
from trainer.explainers.sizing.presets import PRESETS
from trainer.ui.sizing_links import STATE_PREFIX, load_preset, remembered

# The editors' columns: the keys of the plan dict (plan_io.plan_to_dict), one editor per list.
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
# Typed so blank cells stay blank (pandas nullable dtypes) instead of becoming NaN or False.
_INT_COLUMNS = {"desired", "maximum", "max_percent", "connections", "concurrency", "memory_mb", "count"}
_BOOL_COLUMNS = {"trunking", "instances_in_task_subnets"}
_LIST_COLUMNS = {"subnets", "security_groups"}


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


# --- The inputs -----------------------------------------------------------------------------

# A blank cell shows this rather than a grey "None" (an instance type on Fargate, a maximum left
# to default to desired): it reads as "nothing here", which is what a blank means.
BLANK = "—"


def _editor_heading(title: str, hint: str) -> None:
    """A table's heading, with room under it for the table's toolbar (add row, search, full
    screen): the toolbar floats above the table's top right corner, and on a phone, where the
    heading wraps and touch leaves the toolbar showing, it covered the heading's last words."""
    st.markdown(f"**{title}** — {hint}")
    st.space(28)


def example_buttons() -> None:
    """One button per worked example; the loaded one is highlighted."""
    st.markdown("#### Start from a worked example")
    columns = st.columns(len(PRESETS))
    for column, preset in zip(columns, PRESETS.values(), strict=True):
        with column:
            st.button(
                preset.title,
                key=f"{STATE_PREFIX}_load_{preset.id}",
                on_click=load_preset,
                args=(preset.id,),
                width="stretch",
                type="primary" if remembered("preset") == preset.id else "secondary",
            )


def plan_form(base: dict[str, Any], rev: int) -> dict[str, Any]:
    """The inputs; returns the plan as plain data (validated later by the core)."""
    subnet_names = [s["name"] for s in base["subnets"]]
    with st.form(f"{STATE_PREFIX}_form_{rev}", border=True):
        st.markdown("#### Describe your VPC")
        st.caption(
            "Tap or double-click a cell to edit it; the empty last row adds one. A table wider "
            "than the screen scrolls sideways."
        )
        left, right = st.columns([3, 2])
        vpc = left.text_input(
            "VPC IPv4 CIDR",
            value=base["vpc_cidr"],
            key=f"{STATE_PREFIX}_vpc_{rev}",
            help="From /16 to /28. Every subnet must sit inside it.",
        )
        headroom = right.slider(
            "Headroom to keep free at peak (%)",
            min_value=HEADROOM_RANGE[0],
            max_value=HEADROOM_RANGE[1],
            value=base["headroom_percent"],
            step=5,
            key=f"{STATE_PREFIX}_headroom_{rev}",
            help="Used for the smallest prefix per subnet and the suggested split.",
        )

        _editor_heading("Subnets", "name, CIDR and Availability Zone")
        subnets = st.data_editor(
            _frame(base["subnets"], SUBNET_COLUMNS),
            key=f"{STATE_PREFIX}_subnets_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder=BLANK,
            column_config={
                "name": st.column_config.TextColumn("Name", required=True),
                "cidr": st.column_config.TextColumn("CIDR", required=True),
                "az": st.column_config.TextColumn("Availability Zone", required=True),
            },
        )

        _editor_heading(
            "ECS services",
            "awsvpc gives each task one network interface and one address. List subnets by name, "
            "separated by commas.",
        )
        services = st.data_editor(
            _frame(base["ecs_services"], SERVICE_COLUMNS),
            key=f"{STATE_PREFIX}_services_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder=BLANK,
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

        _editor_heading(
            "Lambda functions in the VPC", "subnets and security groups by name, separated by commas"
        )
        functions = st.data_editor(
            _frame(base["lambda_functions"], FUNCTION_COLUMNS),
            key=f"{STATE_PREFIX}_functions_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder=BLANK,
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

        _editor_heading("Other address users", "NAT gateways, interface endpoints, load balancer nodes")
        others = st.data_editor(
            _frame(base["other_users"], OTHER_COLUMNS),
            key=f"{STATE_PREFIX}_others_{rev}",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            placeholder=BLANK,
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


def example_note(placeholder: Any, preset: str | None, edited: bool) -> None:
    """Describe the example the form started from, in the placeholder above the form, and say
    whether the plan being sized still matches it."""
    if preset in PRESETS:
        example = PRESETS[preset]
        note = " (you have edited it)" if edited else ""
        placeholder.info(
            f"**{example.title}**{note}. {example.idea}\n\n**What to watch:** {example.watch}",
            icon=":material/menu_book:",
        )
