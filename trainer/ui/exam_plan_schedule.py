"""The Exam plan page's Schedule section: load balancing and easy days, a vacation, and postponing
or advancing a set of cards with the retention cost shown before anything moves.

The rules and the writes are in the core (``trainer.study.load_balance``, ``study_days`` and
``reschedule``, also behind ``trainer study postpone|advance``); this module only asks for the
choices, says what they did, and keeps a planned postpone or advance in the session until the
learner confirms it, so what is applied is exactly the plan whose cost was shown.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.content.model import Bank
from trainer.store.tables import Profile
from trainer.study.load_balance import MAX_VACATION_DAYS, WEEKDAYS
from trainer.study.profiles import ProfileError
from trainer.study.reschedule import (
    MAX_SHIFT_DAYS,
    Shift,
    ShiftError,
    ShiftPlan,
    apply_shift,
    plan_shift,
    select_cards,
)
from trainer.study.scheduling import Settings
from trainer.study.study_days import calendar_of, set_calendar
from trainer.ui import identity
from trainer.ui.plain import plain

# Anki 24.11's three settings for a day of the week: its share of a normal day's reviews.
DAY_LOADS = {100: "Normal", 50: "Reduced", 0: "Minimum"}
PLAN_KEY = "schedule_shift_plan"  # (profile id, ShiftPlan, what was chosen) awaiting confirmation
MOVED_KEY = "schedule_vacation_moved"  # (profile id, the vacation's message) after a rerun
OVERDUE = "overdue"


def _nearest_load(percentage: int) -> int:
    return min(DAY_LOADS, key=lambda option: abs(option - percentage))


def days_section(engine: Engine, profile: Profile) -> None:
    """Load balancing on or off, and each weekday's load (Normal, Reduced, Minimum)."""
    assert profile.id is not None
    calendar = calendar_of(profile)
    with st.form("schedule_days_form", border=True):
        balancing = st.toggle(
            "Load balancing",
            value=bool(calendar["load_balancing"]),
            key="schedule_load_balancing",
            help="Within the few days FSRS allows around each interval, pick the day with the fewest "
            "reviews already due, as Anki does. The interval each button shows is still the one applied.",
        )
        st.markdown("**Easy days**: days of the week with fewer reviews")
        loads = []
        with st.container(horizontal=True, key="schedule_weekdays"):
            for weekday, percentage in zip(WEEKDAYS, calendar["easy_days"], strict=True):
                loads.append(
                    st.segmented_control(
                        weekday,
                        list(DAY_LOADS),
                        default=_nearest_load(int(percentage)),
                        format_func=DAY_LOADS.__getitem__,
                        required=True,
                        key=f"schedule_day_{weekday.lower()}",
                    )
                )
        saved = st.form_submit_button("Save easy days", icon=":material/calendar_month:")
    if saved:
        try:
            set_calendar(
                engine,
                profile.id,
                load_balancing=balancing,
                easy_days=[int(load) if load is not None else 100 for load in loads],
                actor=identity.current_actor(),
            )
        except ProfileError as exc:
            st.error(plain(exc))
        else:
            st.toast("Easy days saved: new intervals follow them.", icon=":material/calendar_month:")
            st.rerun()
    st.caption(
        "Reduced: about half a normal day's reviews; Minimum: only when every day in a card's range "
        "is a Minimum day. Cards already scheduled keep their day until their next review."
    )


def vacation_section(engine: Engine, profile: Profile, today: date) -> None:
    """Set or remove a vacation; setting one moves the cards due in it and says how."""
    assert profile.id is not None
    actor = identity.current_actor()
    current = calendar_of(profile)["vacation"]
    moved = st.session_state.get(MOVED_KEY)
    if moved and moved[0] == profile.id:
        st.success(moved[1], icon=":material/beach_access:")
    if current is not None:
        start, end = current
        st.info(
            f"Vacation from {start:%a %d %B} to {end:%a %d %B %Y}: no reviews are due on those days.",
            icon=":material/beach_access:",
        )
        if st.button("Remove vacation", key="schedule_vacation_remove", icon=":material/event_busy:"):
            set_calendar(engine, profile.id, vacation=None, actor=actor)
            st.session_state.pop(MOVED_KEY, None)
            st.toast("Vacation removed.", icon=":material/event_busy:")
            st.rerun()
    with st.form("schedule_vacation_form", border=True):
        chosen = st.date_input(
            "Vacation: first and last day",
            value=current or (today + timedelta(days=7), today + timedelta(days=13)),
            min_value=min(today, current[0]) if current else today,  # a vacation under way
            max_value=today + timedelta(days=2 * 365),
            format="YYYY-MM-DD",
            key="schedule_vacation_days",
            help="No reviews are due from the first to the last day. Cards due then come a little "
            "earlier when that keeps half their interval; the rest are spread over as many days after "
            f"it as it lasts (at most {MAX_VACATION_DAYS} days off).",
        )
        saved = st.form_submit_button(
            "Set vacation" if current is None else "Replace vacation", icon=":material/beach_access:"
        )
    if not saved:
        return
    days = tuple(chosen) if isinstance(chosen, tuple | list) else (chosen,)
    if len(days) != 2 or not all(isinstance(d, date) for d in days):
        st.error("Choose the vacation's first and last day (click both in the calendar).")
        return
    try:
        move = set_calendar(engine, profile.id, vacation=(days[0], days[1]), actor=actor)
    except ProfileError as exc:
        st.error(plain(exc))
        return
    st.session_state[MOVED_KEY] = (profile.id, f"Vacation set. {move.describe()}")
    st.rerun()


def _choices(content: Bank) -> dict[str, str]:
    choices = {OVERDUE: "All overdue cards"}
    choices.update({f"topic:{t}": f"Topic: {content.topic_title(t)}" for t in content.topics})
    choices.update({f"concept:{c.id}": f"Concept: {c.name}" for c in content.concepts.values()})
    return choices


def _chosen_cards(engine: Engine, profile_id: int, choice: str, content: Bank) -> list[str]:
    kind, _, ident = choice.partition(":")
    return select_cards(
        engine,
        profile_id,
        topic=ident if kind == "topic" else None,
        concept=ident if kind == "concept" else None,
        bank=content,
        overdue=choice == OVERDUE,
    )


def shift_section(engine: Engine, profile: Profile, settings: Settings, content: Bank) -> None:
    """Postpone or advance a set of cards: plan first (the recall cost), then confirm."""
    assert profile.id is not None
    choices = _choices(content)
    with st.form("schedule_shift_form", border=True):
        left, middle, right = st.columns([5, 4, 2])
        choice = left.selectbox(
            "Cards", list(choices), format_func=choices.__getitem__, key="schedule_shift_cards"
        )
        shift = middle.segmented_control(
            "Move their reviews",
            list(Shift),
            default=Shift.POSTPONE,
            format_func=lambda s: s.label,
            help="Postpone: later (a busy week, a backlog). Advance: earlier (before time off or the exam).",
            required=True,
            key="schedule_shift_kind",
        )
        days = right.number_input(
            "Days", min_value=1, max_value=MAX_SHIFT_DAYS, value=7, step=1, key="schedule_shift_days"
        )
        planned = st.form_submit_button("Show the cost", icon=":material/query_stats:")
    if planned:
        try:
            cards = _chosen_cards(engine, profile.id, choice, content)
            plan = plan_shift(engine, profile.id, settings, cards, Shift(shift or Shift.POSTPONE), int(days))
        except ShiftError as exc:
            st.error(plain(exc))
            return
        st.session_state[PLAN_KEY] = (profile.id, plan, choices[choice])
    held = st.session_state.get(PLAN_KEY)
    if not held or held[0] != profile.id:
        return
    _confirm(engine, profile.id, held[1], held[2])


def _confirm(engine: Engine, profile_id: int, plan: ShiftPlan, chosen: str) -> None:
    """The plan's cost, then Confirm (apply exactly this plan) or Cancel."""
    with st.container(border=True, key="schedule_shift_plan"):
        st.markdown(f"**{plan.shift.label} by {plan.days} day(s): {plain(chosen)}**")
        if not plan.changes:
            st.info(plan.describe(), icon=":material/info:")
        else:
            with st.container(horizontal=True):
                st.metric("Cards", len(plan.changes), border=True, width=150)
                st.metric(
                    "Recall at review",
                    f"{plan.mean_recall_after:.1%}",
                    delta=f"{plan.recall_change * 100:+.1f} points from {plan.mean_recall_before:.1%}",
                    delta_color="normal",
                    border=True,
                    width=300,
                    help="FSRS's predicted recall at the moment each card would be reviewed, averaged.",
                )
            (st.warning if plan.recall_change < 0 else st.info)(plan.describe())
        left, right = st.columns(2)
        if plan.changes and left.button(
            f"{plan.shift.label} {len(plan.changes)} card(s)", key="schedule_shift_confirm", type="primary"
        ):
            moved = apply_shift(engine, profile_id, plan, actor=identity.current_actor())
            st.session_state.pop(PLAN_KEY, None)
            left_alone = len(plan.changes) - moved
            st.toast(
                f"Moved {moved} card(s)"
                + (f"; {left_alone} answered meanwhile were left alone." if left_alone else "."),
                icon=":material/check:",
            )
            st.rerun()
        if right.button("Cancel", key="schedule_shift_cancel"):
            st.session_state.pop(PLAN_KEY, None)
            st.rerun()


def schedule_section(
    engine: Engine, profile: Profile, settings: Settings, content: Bank, today: date
) -> None:
    st.subheader("Schedule")
    st.caption(
        "Shape when reviews fall, as in Anki: lighter days of the week, time off, and moving a set of "
        "cards later or earlier. Nothing moves before you see what it costs in recall."
    )
    days_section(engine, profile)
    st.markdown("**Vacation**")
    vacation_section(engine, profile, today)
    st.markdown("**Postpone or advance**")
    shift_section(engine, profile, settings, content)
