"""Exam plan page: the exam date and its new-card pace, the readiness forecast (predicted recall of
every card on exam day by topic and concept, next to the mock-exam readiness), the workload
planner and fitting FSRS parameters to the learner's own reviews (``exam_plan_tuning``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.charts import exam_plan as charts
from trainer.content.model import Bank
from trainer.exams.attempts import Exams
from trainer.exams.readiness import readiness
from trainer.store.tables import Profile
from trainer.store.types import utcnow
from trainer.study.exam_plan import MAX_DAYS_AHEAD, ExamDateError, exam_plan, set_exam_date
from trainer.study.queue import Study
from trainer.study.recall_forecast import GroupRecall, recall_forecast
from trainer.study.scheduling import study_date
from trainer.ui import common, identity
from trainer.ui.exam_plan_tuning import fit_section, planner_section
from trainer.ui.exam_start import readiness_summary
from trainer.ui.plain import plain

# Metrics side by side in a horizontal container wrap two to a row on a phone instead of stacking
# four tall boxes (st.columns stacks them one under another below 640 px).
METRIC_WIDTH = 150


def exam_date_section(engine: Engine, profile: Profile, study: Study, now: datetime) -> None:
    """Set or clear the exam date and the most new cards a day; then the plan's message."""
    assert profile.id is not None
    actor = identity.current_actor()  # the core refuses another person's profile
    settings = study.settings
    today = study_date(now, settings)
    current = settings.exam_date
    passed = current is not None and current <= today
    st.subheader("Exam date")
    with st.form("exam_date_form", border=True):
        left, right = st.columns(2)
        chosen = left.date_input(
            "Exam date",
            value=None if passed else current,
            min_value=today + timedelta(days=1),
            max_value=today + timedelta(days=MAX_DAYS_AHEAD),
            format="YYYY-MM-DD",
            key="exam_date",
        )
        maximum = right.number_input(
            "Most new cards a day",
            min_value=1,
            max_value=9999,
            value=settings.exam_max_new_per_day,
            step=1,
            key="exam_max_new",
            help="The pace toward the date may rise up to this many new cards a day, never above it.",
        )
        saved = st.form_submit_button("Save exam date", type="primary", icon=":material/event:")
    if saved:
        if not isinstance(chosen, date):
            st.error("Choose an exam date first.")
        else:
            try:
                set_exam_date(engine, profile.id, chosen, int(maximum), today=today, actor=actor)
            except ExamDateError as exc:
                st.error(plain(exc))
            else:
                st.toast(f"Exam date set: {chosen:%d %B %Y}.", icon=":material/event:")
                st.rerun()
    if current is not None and st.button(
        "Clear exam date", key="exam_date_clear", icon=":material/event_busy:"
    ):
        set_exam_date(engine, profile.id, None, actor=actor)
        st.toast("Exam date cleared: the schedule is back to normal.", icon=":material/event_busy:")
        st.rerun()

    plan = exam_plan(engine, profile.id, settings, now, study.done_today(now)[0], actor=actor)
    if plan is None:
        st.caption(
            "Without an exam date FSRS schedules for an open-ended future. With one, every card is "
            "introduced early enough for two reviews before the date, and intervals that would end "
            "after it are shortened so each card is seen in the last days before the exam."
        )
        return
    if plan.passed:
        st.info(
            f"Your exam was on {plan.exam_date:%d %B %Y}. " + plan.explain(),
            icon=":material/event_available:",
        )
        return
    with st.container(horizontal=True, key="exam_plan_pace"):
        st.metric("Days left", plan.days_left, border=True, width=METRIC_WIDTH)
        st.metric("New cards a day", plan.pace.per_day, border=True, width=METRIC_WIDTH)
        st.metric("Needed a day", plan.pace.required, border=True, width=METRIC_WIDTH)
        st.metric("New cards left", plan.pace.new_left, border=True, width=METRIC_WIDTH)
    if plan.pace.reachable:
        st.success(plan.explain(), icon=":material/check_circle:")
    else:
        st.warning(plan.explain(), icon=":material/warning:")


def _titles(content: Bank, groups: tuple[GroupRecall, ...], concepts: bool) -> dict[str, str]:
    if concepts:
        return {
            g.name: content.concepts[g.name].name if g.name in content.concepts else g.name for g in groups
        }
    return {g.name: content.topic_title(g.name) for g in groups}


def forecast_section(engine: Engine, profile: Profile, study: Study, content: Bank, now: datetime) -> None:
    """Predicted recall of every card on exam day (or today, without a date), by topic and concept."""
    assert profile.id is not None
    settings = study.settings
    at = settings.exam_at if settings.exam_at is not None and settings.exam_at > now else now
    on_exam_day = at is not now
    forecast = recall_forecast(engine, profile.id, settings, content, at, actor=identity.current_actor())
    assert forecast is not None  # ``at`` is always given
    when = f"on exam day ({settings.exam_date:%d %B})" if on_exam_day else "today"
    st.subheader("Readiness forecast")
    overall = forecast.overall
    box = st.container(horizontal=True, key="exam_plan_recall")
    box.metric(
        "Expected recall",
        f"{overall.mean:.0%}",
        delta=f"90 % band {overall.low:.0%}–{overall.high:.0%}",
        delta_color="off",
        delta_arrow="off",
        border=True,
        width=2 * METRIC_WIDTH,
        help=f"The share of all cards you are expected to recall {when}, if you stopped reviewing now. "
        "Cards not started count as 0.",
    )
    box.metric("Cards at ≥ 0.9", f"{overall.at_least_0_9:.0%}", border=True, width=METRIC_WIDTH)
    box.metric("Median card", f"{overall.median:.0%}", border=True, width=METRIC_WIDTH)
    box.metric("Not started", overall.unseen, border=True, width=METRIC_WIDTH)
    if not on_exam_day:
        st.caption("Set an exam date to see these on the day itself; until then they are for today.")
    st.markdown(f"**Predicted recall {when}, by topic**")
    st.plotly_chart(
        charts.forecast_chart(forecast.by_topic, _titles(content, forecast.by_topic, False)),
        key="exam_plan_forecast_topics",
    )
    with st.expander(f"By concept ({len(forecast.by_concept)}), weakest first"):
        weakest = tuple(sorted(forecast.by_concept, key=lambda g: g.mean))
        st.plotly_chart(
            charts.forecast_chart(weakest, _titles(content, weakest, True)),
            key="exam_plan_forecast_concepts",
        )
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Every card's predicted recall {when}**")
        st.plotly_chart(charts.recall_histogram(list(forecast.recalls.values())), key="exam_plan_histogram")
    with right:
        st.markdown("**Mock-exam readiness**")
        readiness_summary(readiness(Exams(engine, profile.id, actor=identity.current_actor()).history()))
    st.caption(
        "Bars: the expected share of the group's cards recalled, with the 90 % band of that share "
        "(each card is recalled or not with its own probability; few cards, wide band). Diamonds: "
        "the share of cards predicted at 0.9 or more. The mock-exam readiness is from your timed exams."
    )


def main() -> None:
    st.title(":material/event: Exam plan")
    profile = common.require_profile()
    assert profile.id is not None  # a stored profile always has its id
    common.sidebar_profile(profile)
    engine = common.engine()
    content = common.bank()
    study = common.study_for(profile)
    now = utcnow()
    exam_date_section(engine, profile, study, now)
    forecast_section(engine, profile, study, content, now)
    planner_section(engine, profile, study.settings)
    fit_section(engine, profile, study.settings)


main()
