"""The Exam plan page's tuning sections: the workload planner (reviews and minutes a day for each
desired retention, and saving the one picked) and fitting FSRS parameters to the learner's own
reviews, with the history of parameter sets."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.charts import exam_plan as charts
from trainer.store.tables import Profile
from trainer.study.exam_plan import new_cards_left
from trainer.study.optimizer import MIN_REVIEWS, Optimisation, optimise_profile, parameter_history
from trainer.study.profiles import ProfileError, update_settings
from trainer.study.scheduling import Settings
from trainer.study.workload import RETENTIONS, WorkloadError, WorkloadPlan, plan_for_profile
from trainer.ui import identity
from trainer.ui.plain import plain

PICK_KEY = "plan_retention"
FIT_KEY = "fit_result"
CLICKED_KEY = "plan_retention_clicked"


@st.cache_data(ttl=600, show_spinner="Simulating your reviews…", max_entries=64)
def _plan(_engine: Engine, profile_id: int, settings: Settings, cards: int) -> WorkloadPlan:
    """The planner's simulation, kept while the settings and the collection's size stay the same
    (28 retentions × 2 runs: about half a second for 10,000 cards)."""
    del cards  # part of the cache key only: a synced bank with more cards plans again
    return plan_for_profile(_engine, profile_id, settings, 0)


def _closest(retention: float) -> float:
    return min(RETENTIONS, key=lambda r: abs(r - retention))


def _clicked_retention(event: object) -> float | None:
    """The retention of the point clicked in the workload chart, if any."""
    try:
        points = event.selection.points  # type: ignore[attr-defined]
        return _closest(float(points[0]["x"])) if points else None
    except (AttributeError, KeyError, IndexError, TypeError, ValueError):
        return None


def planner_section(engine: Engine, profile: Profile, settings: Settings) -> None:
    """The workload chart, a slider under it to pick a retention, and saving the pick."""
    assert profile.id is not None
    st.subheader("Workload planner")
    try:
        plan = _plan(engine, profile.id, settings, new_cards_left(engine, profile.id))
    except WorkloadError as exc:
        st.info(f"No plan: {plain(exc)}.", icon=":material/info:")
        return
    current = settings.desired_retention
    chosen = float(st.session_state.get(PICK_KEY, _closest(current)))
    st.markdown(f"**Work a day over the next {plan.days} days, for each desired retention**")
    event = st.plotly_chart(
        charts.workload_chart(plan, chosen),
        key="exam_plan_workload",
        on_select="rerun",
        selection_mode="points",
    )
    clicked = _clicked_retention(event)
    # A click on a point picks its retention once; the selection stays in the chart's state, so
    # it is applied only when it changes (the slider can move away from it afterwards).
    if clicked is not None and clicked != st.session_state.get(CLICKED_KEY):
        st.session_state[CLICKED_KEY] = clicked
        st.session_state[PICK_KEY] = clicked
        st.rerun()  # draw the chart again with the pick marked
    picked = st.select_slider(
        "Desired retention",
        options=RETENTIONS,
        value=_closest(chosen),
        format_func=lambda r: f"{r:.2f}",
        key=PICK_KEY,
        help="The share of reviews you want to pass; higher means more reviews for each card. "
        "Clicking a point of the chart picks its retention too.",
    )
    row = plan.row(picked)
    st.markdown(
        f"At **{picked:.2f}**: about **{row.reviews_per_day:.0f} reviews** and "
        f"**{row.minutes_per_day:.0f} minutes** a day on average (busiest day "
        f"{row.max_minutes_per_day:.0f} minutes), **{row.remembered:.0f} of {plan.cards} cards** "
        f"remembered after {plan.days} days. The least work per card remembered is at "
        f"**{plan.optimal_retention:.2f}**; yours is **{current:.2f}**."
    )
    if abs(picked - current) < 0.005:
        st.caption("This is your desired retention now.")
    elif st.button(f"Use {picked:.2f} as my desired retention", key="plan_save", type="primary"):
        try:
            update_settings(engine, profile.id, actor=identity.current_actor(), desired_retention=picked)
        except ProfileError as exc:
            st.error(plain(exc))
        else:
            st.toast(f"Desired retention set to {picked:.2f}.", icon=":material/check:")
            st.rerun()
    st.caption(
        "Simulated with FSRS (the simulator Anki uses) from your settings and parameters, starting "
        "every card as new: the figures compare retentions with each other, not a promise for a day."
    )


def _show_fit(result: Optimisation) -> None:
    if result.parameters is None:
        st.info(
            f"Not fitted: {result.reason}. With fewer, the reviews held out to judge the new "
            "parameters are too few to tell a better set from luck.",
            icon=":material/hourglass_empty:",
        )
        return
    assert result.log_loss is not None and result.previous_log_loss is not None
    assert result.rmse_bins is not None and result.previous_rmse_bins is not None
    cols = st.columns(3)
    cols[0].metric(
        "Log loss",
        f"{result.log_loss:.4f}",
        delta=f"{result.log_loss - result.previous_log_loss:+.4f} vs {result.previous_log_loss:.4f}",
        delta_color="inverse",
        border=True,
    )
    cols[1].metric(
        "RMSE (bins)",
        f"{result.rmse_bins:.4f}",
        delta=f"{result.rmse_bins - result.previous_rmse_bins:+.4f} vs {result.previous_rmse_bins:.4f}",
        delta_color="inverse",
        border=True,
    )
    cols[2].metric("Reviews", f"{result.reviews:,}", border=True)
    message = f"{result.reason.capitalize()}."
    if result.adopted:
        st.success(message, icon=":material/check_circle:")
    else:
        st.info(message, icon=":material/info:")


def fit_section(engine: Engine, profile: Profile, settings: Settings) -> None:
    """ "Fit my parameters", the last result, and every parameter set so far."""
    assert profile.id is not None
    st.subheader("Parameters fitted to you")
    st.caption(
        f"FSRS starts from parameters that describe an average learner. With at least {MIN_REVIEWS} "
        "reviews on later days, fitting them to your own reviews predicts your recall better. Both "
        "sets are scored on your latest 20 % of reviews, which the fit does not see (lower is "
        "better), and the new set is used only when it is better there."
    )
    st.markdown(
        "In use: **your fitted parameters**." if settings.parameters else "In use: **FSRS's defaults**."
    )
    if st.button("Fit my parameters", key="fit_parameters", icon=":material/tune:"):
        with st.spinner("Fitting FSRS to your reviews…"):
            result = optimise_profile(engine, profile, settings, actor=identity.current_actor())
        st.session_state[FIT_KEY] = (profile.id, result)
        if result.adopted:
            st.rerun()  # the page above was drawn with the old parameters
    last = st.session_state.get(FIT_KEY)
    if last and last[0] == profile.id:
        _show_fit(last[1])
    history = parameter_history(engine, profile.id, actor=identity.current_actor())
    if history:
        st.markdown("**Every fit so far** (scores on reviews the fit did not see)")
        rows = list(reversed(history))
        st.dataframe(
            {
                "When (UTC)": [s.created_at.strftime("%Y-%m-%d %H:%M") for s in rows],
                "Reviews": [s.reviews for s in rows],
                "Log loss, in use → new": [
                    f"{s.previous_log_loss:.4f} → {s.log_loss:.4f}"
                    if s.log_loss is not None and s.previous_log_loss is not None
                    else "—"
                    for s in rows
                ],
                "RMSE (bins), in use → new": [
                    f"{s.previous_rmse_bins:.4f} → {s.rmse_bins:.4f}"
                    if s.rmse_bins is not None and s.previous_rmse_bins is not None
                    else "—"
                    for s in rows
                ],
                "Adopted": ["yes" if s.adopted else "no" for s in rows],
            },
            hide_index=True,
            width="stretch",
        )
