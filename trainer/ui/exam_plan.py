"""Exam plan page: the exam date and its new-card pace, the readiness forecast (predicted recall of
every card on exam day by topic and concept, next to the mock-exam readiness), the workload
planner and fitting FSRS parameters to the learner's own reviews (``exam_plan_tuning``), and the
schedule: easy days, a vacation, postpone and advance (``exam_plan_schedule``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.content.model import Bank
from trainer.store.tables import Profile
from trainer.store.types import utcnow
from trainer.study.exam_plan import MAX_DAYS_AHEAD, ExamDateError, exam_plan, set_exam_date
from trainer.study.queue import Study
from trainer.study.scheduling import study_date
from trainer.ui import common, identity
from trainer.ui import study_forecast as forecast
from trainer.ui.exam_plan_schedule import schedule_section
from trainer.ui.exam_plan_tuning import fit_section, planner_section
from trainer.ui.plain import plain
from trainer.ui.study_forecast import METRIC_WIDTH


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


def forecast_section(study: Study, content: Bank, now: datetime) -> None:
    """Predicted recall of every card on exam day (or today, without a date), by topic and concept,
    next to the mock-exam readiness (the pieces are shared with Study and Progress)."""
    at = forecast.exam_ahead(study.settings, now)
    on_exam_day = at is not None
    # Without a date: today, to the minute, so that reruns within it share the forecast.
    shown = forecast.forecast_for(study, content, at or now.replace(second=0, microsecond=0))
    when = f"on exam day ({study.settings.exam_date:%d %B})" if on_exam_day else "today"
    st.subheader("Readiness forecast")
    forecast.headline(shown, when, key="exam_plan_recall")
    if not on_exam_day:
        st.caption("Set an exam date to see these on the day itself; until then they are for today.")
    st.markdown(f"**Predicted recall {when}, by topic**")
    forecast.topic_chart(shown, content, key="exam_plan_forecast_topics")
    with st.expander(f"By concept ({len(shown.by_concept)}), weakest first"):
        forecast.concept_chart(shown, content, key="exam_plan_forecast_concepts")
    left, right = st.columns(2)
    with left:
        st.markdown(f"**Every card's predicted recall {when}**")
        forecast.histogram(shown, key="exam_plan_histogram")
    with right:
        st.markdown("**Mock-exam readiness**")
        forecast.mock_exam_readiness(study)
    st.caption(forecast.RANGE_NOTE + " The mock-exam readiness is from your timed exams.")


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
    forecast_section(study, content, now)
    planner_section(engine, profile, study.settings)
    schedule_section(engine, profile, study.settings, content, study_date(now, study.settings))
    fit_section(engine, profile, study.settings)


main()
