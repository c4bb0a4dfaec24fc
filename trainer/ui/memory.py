"""Memory & cost tuner: a Lambda Power Tuning to play with (memory, CPU share and cost).

The model is ``trainer.explainers.memory`` and the chart ``trainer.charts.memory``; this page
gathers the settings at the top of the main column (the preset picker and a folded "Settings"
expander with one tab per group: a phone folds the sidebar away), draws the curve and names the
cheapest, fastest and balanced memory sizes.

URL state: every setting is in the query (``trainer.explainers.memory.links``), plus
``preset=<id>`` while the settings are a preset's, so a shared link reproduces the view. A link
that names an unknown preset or carries a value the tuner refuses gets one plain warning and
the defaults. The URL is read only when it changed since the page last wrote it, so the
page's own rewrites never reset the controls.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.memory import build_figure
from trainer.explainers.memory import limits
from trainer.explainers.memory.links import KEYS, query_from_settings, settings_from_query
from trainer.explainers.memory.presets import PRESETS
from trainer.explainers.memory.pricing import (
    PRICE_PER_REQUEST,
    PRICES_CHECKED,
    PRICES_REGION,
    PRICES_SOURCE,
    Arch,
)
from trainer.explainers.memory.settings import TuningSettings
from trainer.explainers.memory.tuning import TuningResult, tune
from trainer.explainers.memory.workloads import Workload
from trainer.explainers.traffic import SimulationError
from trainer.ui.common import render_back_links
from trainer.ui.explainer_state import ExplainerState

PAGE = "memory"
_P = "mem_"  # session_state and widget-key prefix


# --- Settings <-> widget values -------------------------------------------------------------


def widget_values(s: TuningSettings) -> dict[str, Any]:
    return {
        "workload": s.workload.value,
        "ms": float(s.duration_ms_at_1024),
        "arch": s.arch.value,
        "arm_speed": float(s.arm_speed),
        "init_ms": float(s.init_ms_at_1024),
        "needed_mb": int(s.needed_mb),
        "weight": float(s.cost_weight),
    }


def settings_from(v: dict[str, Any]) -> TuningSettings:
    return TuningSettings(
        workload=Workload(v["workload"]),
        duration_ms_at_1024=float(v["ms"]),
        arch=Arch(v["arch"]),
        arm_speed=float(v["arm_speed"]),
        init_ms_at_1024=float(v["init_ms"]),
        needed_mb=int(v["needed_mb"]),
        cost_weight=float(v["weight"]),
    ).canonical()


STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=TuningSettings,
    widget_values=widget_values,
    query_keys=KEYS,
    canonical=TuningSettings.canonical,
)


# --- Controls -------------------------------------------------------------------------------


_SECTIONS = ["Function", "Architecture", "Balance"]


def _controls() -> None:
    """The preset picker and the settings, at the top of the main column (see settings_panel)."""
    function, arch_tab, balance = STATE.settings_panel(_SECTIONS)
    with function:
        st.radio(
            "Workload",
            [w.value for w in Workload],
            key=_P + "workload",
            format_func=lambda w: Workload(w).label,
        )
        st.number_input(
            "Duration at 1,024 MB (ms)",
            min_value=1.0,
            max_value=float(limits.TIMEOUT_MS),
            step=100.0,
            key=_P + "ms",
            help="As measured (or guessed) at 1,024 MB; the model scales it to every other size.",
        )
        st.number_input(
            "Cold-start init time at 1,024 MB (ms)",
            min_value=0.0,
            max_value=float(limits.MAX_INIT_MS),
            step=50.0,
            key=_P + "init_ms",
            help="Shown in the hover and the table; not added to the cost here.",
        )
        st.number_input(
            "Memory the function needs (MB)",
            min_value=limits.MIN_MEMORY_MB,
            max_value=limits.MAX_MEMORY_MB,
            step=64,
            key=_P + "needed_mb",
            help="Smaller sizes would run out of memory; they are greyed out.",
        )
    with arch_tab:
        arch = st.radio(
            "Architecture", [a.value for a in Arch], key=_P + "arch", format_func=lambda a: Arch(a).label
        )
        st.number_input(
            "Arm speed relative to x86",
            min_value=limits.MIN_ARM_SPEED,
            max_value=limits.MAX_ARM_SPEED,
            step=0.05,
            key=_P + "arm_speed",
            disabled=arch != Arch.ARM.value,
            help="1 = the same speed. Measure your own code: it depends on the code.",
        )
    with balance:
        st.slider(
            "Balanced point: weight on cost",
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            key=_P + "weight",
            help="0 picks the fastest size, 1 the cheapest (AWS Lambda Power Tuning's balancedWeight).",
        )


# --- Showing --------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_tuning(settings: TuningSettings) -> TuningResult:
    return tune(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def figure_for(settings: TuningSettings) -> go.Figure:
    """Cached as a resource: copying a figure through pickle would re-validate it."""
    return build_figure(run_tuning(settings))


def _metrics(r: TuningResult) -> None:
    cols = st.columns(3)
    for col, (label, p) in zip(
        cols, (("Cheapest", r.cheapest), ("Fastest", r.fastest), ("Balanced", r.balanced)), strict=True
    ):
        col.metric(
            label,
            f"{p.memory_mb:,} MB",
            help=f"{p.duration_ms:,.1f} ms, ${p.cost_per_million_usd:,.4f} per million invocations, "
            f"{p.vcpus:.2f} vCPU",
        )
        col.caption(f"{p.duration_ms:,.0f} ms · ${p.cost_per_million_usd:,.2f} per million")


def _why(r: TuningResult) -> None:
    """The single-thread lesson, in this function's own numbers."""
    s = r.settings
    one, top = r.point(limits.MB_PER_VCPU), r.point(limits.MAX_MEMORY_MB)
    if s.workload.threads == 1:
        st.markdown(
            f"**Why nothing is gained above 1,769 MB:** this function computes on one thread, and "
            f"one thread can use at most one vCPU. 10,240 MB brings {top.vcpus:.2f} vCPUs, of "
            f"which it uses {top.vcpus_used:.0f}: the duration stays at {one.duration_ms:,.1f} ms "
            f"while the cost goes from ${one.cost_per_million_usd:,.2f} to "
            f"${top.cost_per_million_usd:,.2f} per million "
            f"({top.cost_per_million_usd / one.cost_per_million_usd:.1f}×)."
        )
    else:
        st.markdown(
            f"**Several threads use the extra vCPUs:** from {one.duration_ms:,.1f} ms at 1,769 MB "
            f"(1 vCPU) to {top.duration_ms:,.1f} ms at 10,240 MB ({top.vcpus:.2f} vCPUs on "
            f"{top.cores} cores). The part of the work that stays on one thread limits the gain."
        )


def _table(r: TuningResult) -> None:
    rows = [
        {
            "memory (MB)": p.memory_mb,
            "vCPU share": round(p.vcpus, 2),
            "vCPUs used": round(p.vcpus_used, 2),
            "duration (ms)": round(p.duration_ms, 1),
            "init (ms)": round(p.init_ms, 1),
            "$ per million": round(p.cost_per_million_usd, 4),
        }
        for p in r.sample()
        if r.curve.usable[p.memory_mb - limits.MIN_MEMORY_MB]
    ]
    with st.expander("The numbers at each size"):
        st.dataframe(rows, hide_index=True, width="stretch")


def _how_it_works() -> None:
    with st.expander("How the model works, and the prices"):
        st.markdown(
            "- **CPU follows memory.** Lambda has no CPU setting: at 1,769 MB a function has the "
            "equivalent of one vCPU, and CPU grows in proportion to memory, to about 5.8 vCPUs' "
            "worth on 6 cores at 10,240 MB.\n"
            "- **One thread uses at most one vCPU**, so the computing of a single-threaded "
            "function speeds up only to 1,769 MB. Multi-threaded computing (95 % parallel here) "
            "keeps speeding up; time spent waiting on other services does not change.\n"
            "- The workloads split their time at 1,024 MB like this: CPU-bound all computing; "
            "I/O-bound 10 % computing and 90 % waiting; mixed half and half. These are the "
            "model's assumptions: measure a real function (AWS Lambda Power Tuning runs it at "
            "each size).\n"
            "- **Cost** per invocation = GB-seconds (memory in GB × seconds) × the price per "
            "GB-second + the request price. Init time is shown, not added to the cost here.\n"
            "- **Cheapest** and **fastest** are the smallest memory reaching the lowest cost or "
            "duration; **balanced** minimises weight × cost / highest cost + (1 − weight) × "
            "duration / longest duration, as Power Tuning does."
        )
        st.caption(
            f"Prices: {PRICES_REGION}, first tier, on demand — x86 "
            f"${Arch.X86.price_per_gb_s:.10f} and Arm ${Arch.ARM.price_per_gb_s:.10f} per "
            f"GB-second, ${PRICE_PER_REQUEST * 1e6:.2f} per million requests; checked on "
            f"{PRICES_CHECKED} against the [AWS Lambda pricing page]({PRICES_SOURCE}). Free "
            "tier and volume discounts are left out."
        )


def main() -> None:
    st.title("Memory & cost tuner")
    st.markdown(
        "Lambda gives CPU in proportion to memory. See what that does to a function's duration "
        "and its cost per million invocations from 128 MB to 10,240 MB — the picture AWS Lambda "
        f"Power Tuning draws. Choose a preset or open **Settings** below to describe your function. "
        f"Prices: {PRICES_REGION}, checked {PRICES_CHECKED}."
    )
    STATE.read_url(lambda query, _base: settings_from_query(query), ready="ms")
    _controls()
    notice = STATE.notice
    if notice:
        st.warning(notice)
    chosen = STATE.chosen
    try:
        settings = settings_from(STATE.values())
        result = run_tuning(settings)
        figure = figure_for(settings)
    except SimulationError as exc:
        st.error("\n\n".join(exc.problems), icon=":material/block:")
        return
    preset = STATE.unchanged_preset(settings)
    query = STATE.with_preset(query_from_settings(settings), preset)
    STATE.write_url(query)
    STATE.explain_preset(changed=preset is None)
    _metrics(result)
    st.plotly_chart(figure, key=_P + "chart", config={"displayModeBar": False})
    _why(result)
    _table(result)
    _how_it_works()
    STATE.share_link(PAGE, query)
    if chosen in PRESETS:
        render_back_links(PAGE, chosen, "Cards about this idea")


main()
