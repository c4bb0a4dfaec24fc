"""ECS auto scaling: watch Service Auto Scaling and the capacity layer act on one service.

The simulation is ``trainer.explainers.ecs_scaling``, the chart ``trainer.charts.ecs_scaling``;
this page gathers the settings at the top of the main column (the preset picker and a folded
"Settings" expander with one tab per group: a phone folds the sidebar away), runs the (cached)
simulation and shows the animated chart, the numbers, the scaling activities with their
reasons and the modelling choices. URL state: every setting is in the query
(``trainer.explainers.ecs_scaling.links``), with ``preset=<id>`` while the settings are a
preset's; a link that cannot be read gets one plain warning and the defaults.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.ecs_scaling import build_figure
from trainer.explainers.ecs_scaling import limits
from trainer.explainers.ecs_scaling.choices import MODELLING_CHOICES
from trainer.explainers.ecs_scaling.links import from_query, to_query
from trainer.explainers.ecs_scaling.presets import PRESETS
from trainer.explainers.ecs_scaling.pricing import INSTANCE_SHAPES
from trainer.explainers.ecs_scaling.results import EcsResult
from trainer.explainers.ecs_scaling.settings import EcsSettings, Placement, PolicyKind, ScalingMetric
from trainer.explainers.ecs_scaling.simulation import simulate
from trainer.explainers.sizing.kinds import LaunchType
from trainer.explainers.traffic import Load, LoadKind, SimulationError
from trainer.ui.common import render_back_links
from trainer.ui.explainer_state import ExplainerState

PAGE = "ecs-scaling"
_P = "ecs_"  # session_state and widget-key prefix
_LOADS = (LoadKind.STEADY, LoadKind.RAMP, LoadKind.SPIKE, LoadKind.WAVE)


def widget_values(s: EcsSettings) -> dict[str, Any]:
    """The value of every control for these settings (keys without the prefix)."""
    load = s.load
    return {
        "load": load.kind.value if load.kind in _LOADS else LoadKind.STEADY.value,
        "rps": float(load.level),
        "peak": float(load.peak),
        "at": float(load.start_s),
        "for": float(load.length_s),
        "seconds": int(s.seconds),
        "task_rps": float(s.task_rps),
        "task_cpu": int(s.task_cpu),
        "task_mem": int(s.task_memory_mib),
        "mem_idle": float(s.memory_idle_pct),
        "mem_load": float(s.memory_per_load_pct),
        "min": int(s.min_tasks),
        "max": int(s.max_tasks),
        "start": int(s.start_tasks),
        "policy": s.policy.value,
        "cpu_on": s.target_cpu is not None,
        "cpu": float(s.target_cpu if s.target_cpu is not None else 70.0),
        "mem_on": s.target_memory is not None,
        "mem": float(s.target_memory if s.target_memory is not None else 75.0),
        "req_on": s.target_requests is not None,
        "req": float(s.target_requests if s.target_requests is not None else 2_100.0),
        "out_cd": int(s.scale_out_cooldown_s),
        "in_cd": int(s.scale_in_cooldown_s),
        "no_in": bool(s.disable_scale_in),
        "step_metric": s.step_metric.value,
        "step_up": float(s.step_upper),
        "step_low": float(s.step_lower),
        "step_out_dp": int(s.step_out_datapoints),
        "step_in_dp": int(s.step_in_datapoints),
        "step_cd": int(s.step_cooldown_s),
        "launch": s.launch_type.value,
        "task_start": int(s.task_start_s),
        "instance": s.instance_type,
        "trunk": bool(s.trunking),
        "placement": s.placement.value,
        "target_cap": int(s.target_capacity),
        "boot": int(s.instance_start_s),
        "warmup": int(s.warmup_s),
        "min_step": int(s.min_step),
        "max_step": int(s.max_step),
        "protect": bool(s.termination_protection),
        "min_inst": int(s.min_instances),
        "max_inst": int(s.max_instances),
        "start_inst": int(s.start_instances),
        "deploy_on": s.deploy_at_s is not None,
        "deploy": int(s.deploy_at_s if s.deploy_at_s is not None else min(600, s.seconds // 2)),
        "bad": bool(s.bad_revision),
        "min_healthy": int(s.min_healthy_pct),
        "max_pct": int(s.max_pct),
        "grace": int(s.grace_s),
        "breaker": bool(s.circuit_breaker),
        "rollback": bool(s.rollback),
    }


def settings_from(v: dict[str, Any]) -> EcsSettings:
    """The settings from control values (the inverse of :func:`widget_values`)."""
    load = Load(
        LoadKind(v["load"]),
        level=float(v["rps"]),
        peak=float(v["peak"]),
        start_s=float(v["at"]),
        length_s=float(v["for"]),
    ).canonical()
    return EcsSettings(
        load=load,
        seconds=int(v["seconds"]),
        task_rps=float(v["task_rps"]),
        task_cpu=int(v["task_cpu"]),
        task_memory_mib=int(v["task_mem"]),
        memory_idle_pct=float(v["mem_idle"]),
        memory_per_load_pct=float(v["mem_load"]),
        min_tasks=int(v["min"]),
        max_tasks=int(v["max"]),
        start_tasks=int(v["start"]),
        policy=PolicyKind(v["policy"]),
        target_cpu=float(v["cpu"]) if v["cpu_on"] else None,
        target_memory=float(v["mem"]) if v["mem_on"] else None,
        target_requests=float(v["req"]) if v["req_on"] else None,
        scale_out_cooldown_s=int(v["out_cd"]),
        scale_in_cooldown_s=int(v["in_cd"]),
        disable_scale_in=bool(v["no_in"]),
        step_metric=ScalingMetric(v["step_metric"]),
        step_upper=float(v["step_up"]),
        step_lower=float(v["step_low"]),
        step_out_datapoints=int(v["step_out_dp"]),
        step_in_datapoints=int(v["step_in_dp"]),
        step_cooldown_s=int(v["step_cd"]),
        launch_type=LaunchType(v["launch"]),
        task_start_s=int(v["task_start"]),
        instance_type=str(v["instance"]),
        trunking=bool(v["trunk"]),
        placement=Placement(v["placement"]),
        target_capacity=int(v["target_cap"]),
        instance_start_s=int(v["boot"]),
        warmup_s=int(v["warmup"]),
        min_step=int(v["min_step"]),
        max_step=int(v["max_step"]),
        termination_protection=bool(v["protect"]),
        min_instances=int(v["min_inst"]),
        max_instances=int(v["max_inst"]),
        start_instances=int(v["start_inst"]),
        deploy_at_s=int(v["deploy"]) if v["deploy_on"] else None,
        bad_revision=bool(v["bad"]),
        min_healthy_pct=int(v["min_healthy"]),
        max_pct=int(v["max_pct"]),
        grace_s=int(v["grace"]),
        circuit_breaker=bool(v["breaker"]),
        rollback=bool(v["rollback"]),
    )


def _canonical(s: EcsSettings) -> EcsSettings:
    return s.with_(load=s.load.canonical())


STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=EcsSettings,
    widget_values=widget_values,
    canonical=_canonical,
    notice_name="link_problem",
    model_name="model",
)


# --- Controls -----------------------------------------------------------------------------


def _number(label: str, key: str, lo: float, hi: float, step: float, **kw: Any) -> Any:
    kind = int if isinstance(step, int) else float
    st.session_state[_P + key] = kind(min(max(st.session_state[_P + key], lo), hi))
    return st.number_input(label, min_value=lo, max_value=hi, step=step, key=_P + key, **kw)


def _choice(label: str, key: str, options: list[str], labels: dict[str, str], **kw: Any) -> Any:
    return st.selectbox(label, options, key=_P + key, format_func=lambda o: labels.get(o, o), **kw)


_SECTIONS = ["Load", "Task", "Scaling", "Capacity", "Deployment"]  # short: five tabs fit a phone


def _controls() -> None:
    """The preset picker and the settings, at the top of the main column (see settings_panel)."""
    load, task, scaling, capacity, deployment = STATE.settings_panel(_SECTIONS)
    with load:
        kind = _choice("Shape", "load", [k.value for k in _LOADS], {k.value: k.label for k in _LOADS})
        _number("Requests/s (base)", "rps", 0.0, limits.MAX_RPS, 10.0)
        if kind != LoadKind.STEADY.value:
            _number("Peak requests/s", "peak", 0.0, limits.MAX_RPS, 10.0)
        if kind in (LoadKind.RAMP.value, LoadKind.SPIKE.value):
            _number("Starts at (s)", "at", 0.0, float(limits.MAX_SECONDS), 60.0)
            _number("Lasts (s)", "for", 0.0, float(limits.MAX_SECONDS * 2), 60.0)
        _number(
            "Simulated seconds",
            "seconds",
            60,
            limits.MAX_SECONDS,
            600,
            help="One-second steps; a day is 86,400.",
        )
    with task:
        _number("Requests/s one task serves at 100 % CPU", "task_rps", 0.1, limits.MAX_TASK_RPS, 5.0)
        _number("Task CPU units (1,024 = 1 vCPU)", "task_cpu", 128, 16_384, 128)
        _number("Task memory (MiB)", "task_mem", 128, 122_880, 256)
        _number("Memory used when idle (%)", "mem_idle", 0.0, 99.0, 5.0)
        _number(
            "Extra memory at 100 % CPU (%)",
            "mem_load",
            0.0,
            1_000.0,
            10.0,
            help="Over 100 − idle, memory fills before CPU: a memory-bound service.",
        )
    with scaling:
        _number("Minimum tasks", "min", 0, limits.MAX_TASKS_PER_SERVICE, 1)
        _number("Maximum tasks", "max", 1, limits.MAX_TASKS_PER_SERVICE, 1)
        _number("Tasks at the start", "start", 0, limits.MAX_TASKS_PER_SERVICE, 1)
        policy = _choice(
            "Policy", "policy", [p.value for p in PolicyKind], {p.value: p.label for p in PolicyKind}
        )
        if policy == PolicyKind.TARGET_TRACKING.value:
            if st.checkbox("ECSServiceAverageCPUUtilization", key=_P + "cpu_on"):
                _number("CPU target (%)", "cpu", 1.0, 100.0, 5.0)
            if st.checkbox("ECSServiceAverageMemoryUtilization", key=_P + "mem_on"):
                _number("Memory target (%)", "mem", 1.0, 100.0, 5.0)
            if st.checkbox("ALBRequestCountPerTarget", key=_P + "req_on"):
                _number("Requests per target per minute", "req", 1.0, 1e7, 100.0)
            _number("ScaleOutCooldown (s)", "out_cd", 0, limits.MAX_COOLDOWN_S, 60)
            _number("ScaleInCooldown (s)", "in_cd", 0, limits.MAX_COOLDOWN_S, 60)
            st.checkbox("DisableScaleIn", key=_P + "no_in")
        else:
            metrics = [m.value for m in ScalingMetric]
            _choice("Metric", "step_metric", metrics, {m.value: m.label for m in ScalingMetric})
            _number("Upper threshold (scale out)", "step_up", 0.0, 1e7, 5.0)
            _number("Lower threshold (scale in)", "step_low", 0.0, 1e7, 5.0)
            _number("Scale-out alarm datapoints", "step_out_dp", 1, 60, 1)
            _number("Scale-in alarm datapoints", "step_in_dp", 1, 60, 1)
            _number("Cooldown (s)", "step_cd", 0, limits.MAX_COOLDOWN_S, 60)
    with capacity:
        launch = _choice(
            "Launch type",
            "launch",
            [t.value for t in LaunchType],
            {"fargate": "Fargate", "ec2": "EC2 (capacity provider)"},
        )
        _number(
            "Placed → healthy (s)",
            "task_start",
            0,
            limits.MAX_START_S,
            10,
            help="Fargate: provisioning, image pull and health checks.",
        )
        if launch == LaunchType.EC2.value:
            _choice("Instance type", "instance", list(INSTANCE_SHAPES), {})
            st.checkbox("ENI trunking", key=_P + "trunk")
            _choice(
                "Placement",
                "placement",
                [p.value for p in Placement],
                {p.value: p.label for p in Placement},
            )
            _number("targetCapacity (%)", "target_cap", 1, 100, 5)
            _number("Instance boot time (s)", "boot", 0, limits.MAX_START_S, 30)
            _number("instanceWarmupPeriod (s)", "warmup", 0, limits.MAX_WARMUP_S, 60)
            _number("minimumScalingStepSize", "min_step", 1, limits.MAX_STEP, 1)
            _number("maximumScalingStepSize", "max_step", 1, limits.MAX_STEP, 1)
            st.checkbox("Managed termination protection", key=_P + "protect")
            _number("Instances at the start", "start_inst", 0, limits.MAX_INSTANCES, 1)
            _number("Group minimum", "min_inst", 0, limits.MAX_INSTANCES, 1)
            _number("Group maximum", "max_inst", 0, limits.MAX_INSTANCES, 1)
    with deployment:
        if st.checkbox("Start a rolling update", key=_P + "deploy_on"):
            _number("… at (s)", "deploy", 0, limits.MAX_SECONDS - 1, 60)
            st.checkbox("The new revision fails its health checks", key=_P + "bad")
            _number("minimumHealthyPercent", "min_healthy", 0, 100, 10)
            _number("maximumPercent", "max_pct", 100, 200, 10)
            _number("Health check grace period (s)", "grace", 0, limits.MAX_START_S, 10)
            st.checkbox("Deployment circuit breaker", key=_P + "breaker")
            st.checkbox("… with rollback", key=_P + "rollback")


# --- Running and showing --------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_simulation(settings: EcsSettings) -> EcsResult:
    return simulate(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def figure_for(settings: EcsSettings) -> go.Figure:
    """Cached as a resource: copying figures through pickle would re-validate them."""
    return build_figure(run_simulation(settings))


def _metrics(result: EcsResult) -> None:
    m, s = result.summary, result.settings
    cols = st.columns(4)
    cols[0].metric(
        "Tasks (peak / end)",
        f"{m.max_tasks} / {m.final_tasks}",
        help=f"Healthy tasks. Desired peaked at {m.max_desired} (maximum {s.max_tasks}).",
    )
    first = "never" if m.first_scale_out_s is None else f"{m.first_scale_out_s:,} s"
    cols[1].metric(
        "Scale-outs / scale-ins",
        f"{m.scale_out_events} / {m.scale_in_events}",
        help=f"First scale-out: {first}.",
    )
    cols[2].metric(
        "Requests dropped or slow",
        f"{100 * m.dropped_share:.1f} %",
        help=f"{m.requests_dropped:,} of {m.requests_offered:,} offered.",
    )
    cols[3].metric(
        "Cost per hour", f"${m.cost_per_hour_usd:,.3f}", help=f"${m.cost_usd:,.2f} for the whole run."
    )
    more = st.columns(4)
    more[0].metric(
        "Pending task-seconds",
        f"{m.pending_task_seconds:,}",
        help="Tasks desired but not serving yet (waiting for room, or starting).",
    )
    if m.tasks_per_instance is not None:
        _, by = s.instance_fit()
        more[1].metric(
            "Tasks per instance",
            f"{m.tasks_per_instance}",
            help="The least of " + ", ".join(f"{k} {n}" for k, n in by.items()),
        )
        more[2].metric(
            "Instances (peak)", f"{m.max_instances}", help=f"{m.instance_hours:,.1f} instance-hours"
        )
    else:
        more[1].metric("vCPU-hours", f"{m.fargate_vcpu_hours:,.2f}")
        more[2].metric("GB-hours", f"{m.fargate_gb_hours:,.2f}")
    if m.deployment != "none":
        more[3].metric("Deployment", m.deployment, help=f"{m.failed_tasks} tasks failed their health checks")
    else:
        more[3].metric("Subnet addresses (peak)", f"{m.max_addresses}", help="awsvpc: one per placed task")


def _activities(result: EcsResult) -> None:
    with st.expander(f"Scaling activities and alarms ({len(result.activities)} activities)"):
        rows: list[dict[str, Any]] = [
            {
                "time (s)": a.at_s,
                "what": {"out": "scale-out", "in": "scale-in"}.get(a.direction, "not scaled"),
                "tasks": f"{a.before} → {a.after}",
                "why": a.reason,
            }
            for a in result.activities
        ]
        rows += [
            {"time (s)": c.at_s, "what": "instances", "tasks": f"{c.before} → {c.after}", "why": c.reason}
            for c in result.instance_changes
        ]
        rows += [
            {"time (s)": d.at_s, "what": "deployment", "tasks": "", "why": d.text}
            for d in result.deployment_events
        ]
        rows += [
            {"time (s)": a.at_s, "what": f"alarm {a.state}", "tasks": "", "why": a.reason}
            for a in result.alarms
        ]
        st.dataframe(sorted(rows, key=lambda r: float(r["time (s)"])), hide_index=True, width="stretch")


def _how_it_works() -> None:
    with st.expander("How the simulator works"):
        st.markdown(
            "- **Target tracking** creates two alarms per policy: scale out after 3 one-minute "
            "datapoints above the target, scale in after 15 below 90 % of it. New capacity = "
            "ceil(tasks × metric / target). Several policies: scale out if any asks, scale in only "
            "if all agree, the largest capacity wins.\n"
            "- **Cooldowns** (300 s by default for ECS): during a scale-out cooldown only a larger "
            "scale-out happens; a scale-out ends a scale-in cooldown at once. Scale-in is suspended "
            "during deployments.\n"
            "- **EC2 capacity providers**: tasks per instance is the least of CPU units, memory and "
            "awsvpc ENIs. Tasks with no room wait; CapacityProviderReservation (instances needed / "
            "instances) above targetCapacity makes managed scaling launch instances, one step per "
            "instanceWarmupPeriod.\n"
            "- **Rolling updates** keep healthy tasks ≥ minimumHealthyPercent and all tasks ≤ "
            "maximumPercent; the circuit breaker fails a deployment after 0.5 × desired failed "
            "tasks (3 to 200) and can roll back.\n\n"
            "Sources: the Application Auto Scaling User Guide (target tracking), the Amazon ECS "
            "Developer Guide (service auto scaling, cluster auto scaling, rolling updates), the "
            "ECS API reference (ManagedScaling, ServiceDeploymentCircuitBreaker) and the Fargate "
            "pricing page."
        )
    with st.expander("Modelling choices (where AWS documents no answer)", expanded=False):
        st.markdown("\n".join(f"{i}. {text}" for i, text in enumerate(MODELLING_CHOICES, start=1)))


def main() -> None:
    st.title(":material/stacks: ECS auto scaling")
    st.markdown(
        "One ECS service behind a load balancer: Service Auto Scaling adds and removes **tasks**; "
        "on EC2, capacity provider managed scaling adds and removes **instances** to hold them. "
        "Choose a preset or open **Settings** below to change it, then press **▶ Play**."
    )
    STATE.read_link(from_query)
    STATE.restore_hidden()
    _controls()
    chosen = STATE.chosen
    if STATE.notice:
        st.warning(STATE.notice, icon=":material/link_off:")
    settings = settings_from(STATE.remember())
    preset = STATE.unchanged_preset(settings)
    STATE.explain_preset(changed=preset is None)
    query = to_query(settings, preset)
    STATE.write_url(query)
    try:
        result = run_simulation(settings)
        figure = figure_for(settings)
    except SimulationError as exc:
        st.error(str(exc).replace("\n", "\n\n"), icon=":material/block:")
        return
    st.plotly_chart(figure, key=_P + "chart", config={"displayModeBar": False})
    _metrics(result)
    _activities(result)
    STATE.share_link(PAGE, query)
    _how_it_works()
    if chosen in PRESETS:
        render_back_links(PAGE, chosen, "Cards about this idea")


main()
