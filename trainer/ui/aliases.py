"""Aliases & canaries: a function's versions and aliases, and a CodeDeploy traffic shift.

All the modelling is in ``trainer.explainers.aliases`` and the charts in
``trainer.charts.aliases``; this page gathers the settings at the top of the main column (the
preset picker and a folded "Settings" expander with a tab per group: a phone folds the sidebar
away), keeps every one of them in the URL, and shows the diagram or the deployment.

URL state: ``?preset=<id>`` for an unchanged preset, otherwise every setting as its own query
parameter (``trainer.explainers.aliases.links``). The page rewrites the URL after every change,
so the address bar can always be shared; a damaged link gets one plain message and the defaults.
Every control is drawn on every run (in two tabs), so Streamlit never forgets a value while the
other view is shown.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from trainer.charts.aliases import build_alias_diagram, build_comparison_figure, build_deployment_figure
from trainer.explainers.aliases import deployment as limits
from trainer.explainers.aliases.canary import DeploymentResult, compare_strategies, simulate_deployment
from trainer.explainers.aliases.deployment import AlarmMetric, DeploymentSettings
from trainer.explainers.aliases.links import QUERY_KEYS, from_query, to_query
from trainer.explainers.aliases.presets import PRESETS
from trainer.explainers.aliases.scenario import AliasesScenario, View
from trainer.explainers.aliases.strategies import STRATEGIES
from trainer.explainers.aliases.topology import MAX_VERSIONS, AliasSetup, CallerTarget, ProvisionedOn
from trainer.explainers.traffic import SimulationError
from trainer.ui.common import explainer_url, render_back_links
from trainer.ui.explainer_state import ExplainerState
from trainer.ui.plain import plain

PAGE = "aliases"
_P = "al_"  # session_state and widget-key prefix


# --- Scenario <-> widget values ----------------------------------------------------------------


def widget_values(s: AliasesScenario) -> dict[str, Any]:
    """The value of every control for this scenario (keys without the prefix)."""
    a, d = s.setup, s.deployment
    return {
        "view": s.view.value,
        "published": int(a.published),
        "live": int(a.live_version),
        "second": int(a.weighted_version),
        "weight_pct": round(100 * a.weight, 4),
        "dev": bool(a.dev_on_latest),
        "pc_on": a.provisioned_on.value,
        "pc_version": int(a.provisioned_version),
        "pc": int(a.provisioned),
        "api": a.api_target.value,
        "esm": a.esm_target.value,
        "strategy": d.strategy,
        "rps": float(d.rps),
        "new_err_pct": round(100 * d.new_error_rate, 4),
        "old_err_pct": round(100 * d.old_error_rate, 4),
        "alarm_pct": round(100 * d.alarm_error_rate, 4),
        "metric": d.alarm_metric.value,
        "period": int(d.alarm_period_s),
        "evals": int(d.evaluation_periods),
        "rollback": bool(d.rollback_on_alarm),
        "pre_s": int(d.pre_hook_s),
        "pre_ok": bool(d.pre_hook_passes),
        "post_s": int(d.post_hook_s),
        "post_ok": bool(d.post_hook_passes),
        "seconds": int(d.seconds),
    }


def scenario_from(v: dict[str, Any]) -> AliasesScenario:
    """The scenario from control values (the inverse of :func:`widget_values`)."""
    setup = AliasSetup(
        published=int(v["published"]),
        live_version=int(v["live"]),
        weighted_version=int(v["second"]),
        weight=round(v["weight_pct"] / 100, 6),
        dev_on_latest=bool(v["dev"]),
        provisioned_on=ProvisionedOn(v["pc_on"]),
        provisioned_version=int(v["pc_version"]),
        provisioned=int(v["pc"]),
        api_target=CallerTarget(v["api"]),
        esm_target=CallerTarget(v["esm"]),
    )
    deployment = DeploymentSettings(
        strategy=v["strategy"],
        rps=float(v["rps"]),
        new_error_rate=round(v["new_err_pct"] / 100, 6),
        old_error_rate=round(v["old_err_pct"] / 100, 6),
        alarm_error_rate=round(v["alarm_pct"] / 100, 6),
        alarm_metric=AlarmMetric(v["metric"]),
        alarm_period_s=int(v["period"]),
        evaluation_periods=int(v["evals"]),
        rollback_on_alarm=bool(v["rollback"]),
        pre_hook_s=int(v["pre_s"]),
        pre_hook_passes=bool(v["pre_ok"]),
        post_hook_s=int(v["post_s"]),
        post_hook_passes=bool(v["post_ok"]),
        seconds=int(v["seconds"]),
    )
    return AliasesScenario(View(v["view"]), setup, deployment)


STATE = ExplainerState(
    prefix=_P,
    presets=PRESETS,
    default=AliasesScenario,
    widget_values=widget_values,
    query_keys=QUERY_KEYS,
)


# --- Presets and the URL -----------------------------------------------------------------------


def _apply_query() -> None:
    """Load what the URL asks for when it changed since we last read or wrote it.

    Unlike the other explainers, ``preset=<id>`` alone stands for an unchanged preset, and a
    learner coming back to the page without a query keeps what they had.
    """
    query = STATE.query()
    if _P + "view" in st.session_state and query == st.session_state.get(STATE.seen_key):
        return
    STATE.remember_url(query)
    wanted = query.get("preset")
    if wanted is not None:
        if wanted in PRESETS:
            STATE.load(PRESETS[wanted].settings, wanted)
            return
        st.session_state[STATE.notice_key] = STATE.unknown_preset_notice(wanted)
    elif query:
        try:
            scenario = from_query(query)
        except SimulationError as exc:
            st.session_state[STATE.notice_key] = (
                f"This link's settings could not be used ({plain(exc.problems[0])}). "
                "Showing the default settings."
            )
        else:
            STATE.load(scenario, STATE.matching_preset(scenario))
            return
    elif _P + "view" in st.session_state:
        return  # back on the page without a query: keep what the learner had
    STATE.load(AliasesScenario(), None)


def _update_url(scenario: AliasesScenario) -> str | None:
    """Put the scenario in the URL; returns the id of the preset it equals, if any."""
    preset = STATE.matching_preset(scenario)
    wanted = {"preset": preset} if preset else to_query(scenario)
    STATE.write_url(wanted, current=st.query_params.to_dict())
    return preset


# --- Controls --------------------------------------------------------------------------


def _int(label: str, key: str, lo: int, hi: int, step: int = 1, **kw: Any) -> None:
    st.session_state[_P + key] = int(min(max(int(st.session_state[_P + key]), lo), hi))
    st.number_input(label, min_value=lo, max_value=hi, step=step, key=_P + key, **kw)


def _float(label: str, key: str, lo: float, hi: float, step: float, **kw: Any) -> None:
    st.session_state[_P + key] = float(min(max(float(st.session_state[_P + key]), lo), hi))
    st.number_input(label, min_value=lo, max_value=hi, step=step, key=_P + key, **kw)


_SETUP, _DEPLOYMENT = "Versions & aliases", "Canary deployment"


def _controls(view: str) -> None:
    """The preset picker and the settings, at the top of the main column (see settings_panel);
    the tab the view is about is the one shown first."""
    open_tab = _SETUP if view == View.DIAGRAM.value else _DEPLOYMENT
    setup, deployment = STATE.settings_panel([_SETUP, _DEPLOYMENT], open_tab=open_tab)
    with setup:
        _setup_controls()
    with deployment:
        _deployment_controls()


def _setup_controls() -> None:
    _int("Published versions", "published", 1, MAX_VERSIONS)
    n = int(st.session_state[_P + "published"])
    _int("Alias live points to version", "live", 1, MAX_VERSIONS)
    _int(
        "Second version for weighted routing (0: none)",
        "second",
        0,
        MAX_VERSIONS,
        help="AdditionalVersionWeights: a published version that gets a share of the alias's requests.",
    )
    _float("Weight on the second version (%)", "weight_pct", 0.0, 100.0, 5.0)
    st.checkbox("Alias dev points to $LATEST", key=_P + "dev")
    st.selectbox(
        "Provisioned concurrency on",
        [p.value for p in ProvisionedOn],
        key=_P + "pc_on",
        format_func=lambda p: ProvisionedOn(p).label,
    )
    _int("… on version", "pc_version", 1, MAX_VERSIONS, help="Used when it goes on a published version.")
    _int("Provisioned environments", "pc", 1, 10_000, 10)
    targets = [t.value for t in CallerTarget]
    st.selectbox("API Gateway invokes", targets, key=_P + "api", format_func=lambda t: CallerTarget(t).label)
    st.selectbox(
        "The event source mapping invokes",
        targets,
        key=_P + "esm",
        format_func=lambda t: CallerTarget(t).label,
    )
    st.caption(f"{n} published version{'s' if n != 1 else ''} plus $LATEST.")


def _deployment_controls() -> None:
    st.selectbox(
        "Deployment configuration",
        list(STRATEGIES),
        key=_P + "strategy",
        help="CodeDeploy's predefined Lambda configurations (CodeDeployDefault.Lambda… in CodeDeploy).",
    )
    _float("Requests per second", "rps", 0.1, limits.MAX_RPS, 10.0)
    _float("New version's error rate (%)", "new_err_pct", 0.0, 100.0, 1.0)
    _float("Original version's error rate (%)", "old_err_pct", 0.0, 100.0, 0.5)
    st.markdown("**CloudWatch alarm**")
    _float("Threshold: error rate above (%)", "alarm_pct", 0.0, 100.0, 1.0)
    st.radio(
        "Counts errors of",
        [m.value for m in AlarmMetric],
        key=_P + "metric",
        format_func=lambda m: AlarmMetric(m).label,
    )
    _int("Period (s)", "period", 60, limits.MAX_PERIOD_S, 60)
    _int("Evaluation periods", "evals", 1, limits.MAX_EVALUATION_PERIODS)
    st.checkbox("Roll back automatically when the alarm fires", key=_P + "rollback")
    st.markdown("**Hooks**")
    c1, c2 = st.columns(2)
    with c1:
        _int("Pre-traffic (s)", "pre_s", 0, limits.MAX_HOOK_S, 5)
        st.checkbox("passes", key=_P + "pre_ok")
    with c2:
        _int("Post-traffic (s)", "post_s", 0, limits.MAX_HOOK_S, 5)
        st.checkbox("passes ", key=_P + "post_ok")
    _int("Simulated seconds", "seconds", 60, limits.MAX_SECONDS, 60)


# --- Running and showing -----------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def run_deployment(settings: DeploymentSettings) -> DeploymentResult:
    return simulate_deployment(settings)


@st.cache_data(show_spinner=False, max_entries=32)
def run_comparison(settings: DeploymentSettings) -> list[DeploymentResult]:
    return compare_strategies(settings)


@st.cache_resource(show_spinner=False, max_entries=16)
def diagram_for(setup: AliasSetup) -> go.Figure:
    return build_alias_diagram(setup)


def _show_diagram(setup: AliasSetup) -> None:
    st.plotly_chart(diagram_for(setup), key=_P + "diagram", config={"displayModeBar": False})
    st.caption("Hover over a box for what it is and its ARN. Change the pointers under **Settings** above.")
    for note in setup.advice():
        st.warning(note, icon=":material/info:")
    with st.expander("What the diagram shows"):
        st.markdown(
            "- **$LATEST** is the only version you can edit. An unqualified ARN invokes it.\n"
            "- **Publishing** takes an immutable snapshot of the code and most settings and "
            "numbers it 1, 2, 3 …; a published version never changes.\n"
            "- An **alias** is a named pointer with its own ARN. It points to one version "
            "(which may be $LATEST), never to another alias, and may send a weight of its "
            "requests to a second *published* version.\n"
            "- **Provisioned concurrency** goes on a published version or an alias, never on "
            "$LATEST; an alias with a routing config can't have it managed.\n"
            "- Give **API Gateway and event source mappings the alias ARN**: a release then "
            "moves one pointer, and a rollback moves it back."
        )


def _show_deployment(d: DeploymentSettings) -> None:
    result = run_deployment(d)
    cols = st.columns(4)
    cols[0].metric("Outcome", result.outcome.value.replace("-", " "), help=result.outcome.label)
    cols[1].metric(
        "Requests on the new version",
        f"{result.requests_on_new:,.0f}",
        help="Expected requests the new version served: the users who met it.",
    )
    cols[2].metric("Errors seen", f"{result.errors_seen:,.0f}", help="Expected errors from the new version.")
    cols[3].metric(
        "Alarm / rollback",
        f"{_at(result.alarm_at_s)} / {_at(result.rollback_at_s)}",
        help="When the alarm first went into ALARM, and when the alias went back.",
    )
    st.caption(f"**{result.strategy.name}** ({result.strategy.codedeploy_name}): {result.strategy.describe}")
    st.plotly_chart(build_deployment_figure(result), key=_P + "deployment", config={"displayModeBar": False})
    st.caption(
        "Purple bands: the pre- and post-traffic hooks. Alarm bars: green below the threshold, "
        "orange breaching, red in ALARM."
    )
    st.plotly_chart(
        build_comparison_figure(run_comparison(d)), key=_P + "compare", config={"displayModeBar": False}
    )
    _assumptions(d)


def _at(seconds: int | None) -> str:
    return "—" if seconds is None else f"{seconds} s"


def _assumptions(d: DeploymentSettings) -> None:
    with st.expander("What this simulation assumes", expanded=False):
        st.markdown(
            "These are the simulator's choices, not AWS facts:\n"
            "- Counts are **expected values** (rps × share × error rate), not random draws.\n"
            f"- The alarm's statistic is errors ÷ invocations in each {d.alarm_period_s}-s "
            "period, compared with *greater than* the threshold; periods start with the "
            "deployment; a period with no requests counts as not breaching; the alarm needs "
            f"**all {d.evaluation_periods}** evaluation period(s) breaching in a row; the "
            "metric arrives with no delay.\n"
            "- CodeDeploy rolls back the moment the alarm fires, and the alias returns to the "
            "original version at once. It watches the alarm only until the deployment has "
            "succeeded; an alarm after that rolls nothing back.\n"
            f"- The pre-traffic hook takes {d.pre_hook_s} s and the post-traffic hook "
            f"{d.post_hook_s} s; a linear shift moves its first increment as soon as the "
            "pre-traffic hook passes.\n\n"
            "From the documentation: the nine predefined configurations and their steps "
            "(CodeDeploy user guide, *Deployment configurations on an AWS Lambda compute "
            "platform*); hooks run before traffic shifting starts and after it ends, and a "
            "failed hook or an alarm stops the deployment and can roll it back."
        )


def _share_link(scenario: AliasesScenario, preset: str | None) -> str:
    if preset:
        query = f"preset={preset}"
    else:
        query = "&".join(f"{k}={v}" for k, v in to_query(scenario).items())
    page_url = st.context.url
    if page_url:
        return f"{page_url}?{query}"
    return explainer_url(PAGE, preset) if preset else f"/{PAGE}?{query}"


def main() -> None:
    st.title(":material/call_split: Aliases & canaries")
    st.markdown(
        "Versions are immutable snapshots, aliases are pointers, and CodeDeploy moves an alias "
        "from one version to the next a step at a time, watching an alarm. Pick a preset or "
        "open **Settings** below to change it."
    )
    _apply_query()
    view = st.radio(
        "View", [v.value for v in View], key=_P + "view", format_func=lambda v: View(v).label, horizontal=True
    )
    _controls(str(view))
    if STATE.notice:
        st.warning(STATE.notice, icon=":material/link_off:")
    chosen = STATE.chosen
    try:
        scenario = scenario_from(STATE.values())
    except (ValueError, TypeError):
        st.error("Those settings can't be read; press Reset to the preset's settings.")
        return
    problems = scenario.setup.problems() + scenario.deployment.problems()
    preset = _update_url(scenario) if not problems else None
    STATE.explain_preset(changed=preset != chosen)
    if problems:
        st.error("\n\n".join(problems), icon=":material/block:")
        return
    if scenario.view is View.DIAGRAM:
        _show_diagram(scenario.setup)
    else:
        _show_deployment(scenario.deployment)
    with st.expander("Share these settings"):
        st.code(_share_link(scenario, preset), language=None)
    if chosen in PRESETS:
        render_back_links(PAGE, chosen, "Cards about this idea")


main()
