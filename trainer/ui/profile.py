"""Profile page: choose or create a profile, and its study settings."""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from trainer.study import profiles
from trainer.study.queue import suspended_or_leech
from trainer.ui import common
from trainer.ui.plain import plain

# What a card that keeps lapsing turns into, by the stored setting.
LEECH_ACTIONS = {"suspend": "Tag and suspend", "tag": "Tag only"}

st.title(":material/person: Profile & settings")
engine = common.engine()
profile = common.current_profile()

existing = profiles.list_profiles(engine)
if existing:
    names = [p.name for p in existing]
    index = names.index(profile.name) if profile and profile.name in names else None
    choice = st.selectbox(
        "Profile", names, index=index, placeholder="Choose your profile", key="profile_choice"
    )
    if choice and (profile is None or choice != profile.name):
        common.select_profile(existing[names.index(choice)])
        st.rerun()

with st.expander("Create a new profile", expanded=not existing):
    with st.form("create_profile", clear_on_submit=True):
        name = st.text_input("Name", max_chars=profiles.MAX_NAME, placeholder="e.g. Ana")
        if st.form_submit_button("Create profile", type="primary"):
            try:
                created = profiles.create_profile(engine, name, common.browser_timezone())
            except profiles.ProfileError as exc:
                st.error(plain(exc))
            else:
                common.select_profile(created)
                st.success(f"Profile “{plain(created.name)}” created.")
                st.rerun()

if profile is None:
    st.info("Choose or create a profile to see its settings.")
    st.stop()
assert profile.id is not None  # a stored profile always has its id

st.subheader(f"Settings for {plain(profile.name)}")
zones = sorted(available_timezones())
with st.form("settings"):
    left, right = st.columns(2)
    new_per_day = left.number_input("New cards per day", 0, 9999, profile.new_per_day, key="new_per_day")
    reviews_per_day = right.number_input(
        "Maximum reviews per day", 0, 99999, profile.reviews_per_day, key="reviews_per_day"
    )
    retention = left.slider(
        "Desired retention",
        0.70,
        0.99,
        float(profile.desired_retention),
        0.01,
        help="The share of reviews you want to pass. Higher means more reviews.",
        key="desired_retention",
    )
    day_start = right.number_input(
        "The day starts at (hour, local time)", 0, 23, profile.day_starts_at, key="day_starts_at"
    )
    learning = left.text_input(
        "Learning steps", profile.learning_steps, key="learning_steps", help="Space-separated, e.g. '1m 10m'"
    )
    relearning = right.text_input(
        "Relearning steps",
        profile.relearning_steps,
        key="relearning_steps",
        help="Steps after a lapse, e.g. '10m'",
    )
    leech_threshold = left.number_input(
        "Leech threshold (lapses)", 1, 99, profile.leech_threshold, key="leech_threshold"
    )
    leech_action = right.selectbox(
        "Leech action",
        list(LEECH_ACTIONS),
        index=list(LEECH_ACTIONS).index(profile.leech_action),
        format_func=LEECH_ACTIONS.__getitem__,
        key="leech_action",
    )
    timezone = st.selectbox(
        "Time zone",
        zones,
        index=zones.index(profile.timezone) if profile.timezone in zones else zones.index("UTC"),
        key="timezone",
    )
    if st.form_submit_button("Save settings", type="primary"):
        try:
            profiles.update_settings(
                engine,
                profile.id,
                new_per_day=int(new_per_day),
                reviews_per_day=int(reviews_per_day),
                desired_retention=float(retention),
                day_starts_at=int(day_start),
                learning_steps=learning,
                relearning_steps=relearning,
                leech_threshold=int(leech_threshold),
                leech_action=leech_action,
                timezone=timezone,
            )
        except profiles.ProfileError as exc:
            st.error(f"Not saved: {plain(exc)}")
        else:
            st.success("Settings saved.")

st.subheader("Suspended cards and leeches")
held = suspended_or_leech(engine, profile.id)
content = common.bank()
if not held:
    st.caption("None. Cards you suspend, and leeches (cards you keep forgetting), appear here.")
for row in held:
    card = content.cards.get(row.card_id)
    cols = st.columns([6, 1, 2])
    cols[0].markdown(
        f"{':material/healing: ' if row.leech else ''}{card.front if card else row.card_id} "
        f"— {row.lapses} lapses"
    )
    cols[1].caption("leech" if row.leech else "")
    if row.suspended and cols[2].button("Unsuspend", key=f"unsuspend_{row.card_id}"):
        common.study_for(profile).set_suspended(row.card_id, False)
        st.rerun()
