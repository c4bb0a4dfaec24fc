"""Profile page: choose or create a profile, and its study settings.

With sign-in on the profile is the person's own: no list, nothing to choose or create. There they
may claim, once, a profile from before sign-in (trainer.access.claims: by default only one the
operator set aside for their e-mail), and see the workshops they took part in signed in.
"""

from __future__ import annotations

from zoneinfo import available_timezones

import streamlit as st

from trainer.access import claims
from trainer.access.permissions import Actor
from trainer.store.tables import Profile
from trainer.study import profiles
from trainer.study.queue import suspended_or_leech
from trainer.ui import chosen_profile, common, identity
from trainer.ui.plain import plain
from trainer.workshops.history import profile_workshops

# What a card that keeps lapsing turns into, by the stored setting.
LEECH_ACTIONS = {"suspend": "Tag and suspend", "tag": "Tag only"}

FLASH = "profile_flash"  # a message for the next run, so it survives the rerun that shows its result


def pick_from_box() -> None:
    """The select box's callback: study as the chosen profile."""
    chosen = next(
        (p for p in profiles.list_profiles(engine) if p.name == st.session_state.profile_choice), None
    )
    if chosen is not None:
        common.select_profile(chosen)


def rename_and_delete(profile: Profile) -> None:
    """Rename the profile, or delete it after a confirmation that says what would be lost."""
    assert profile.id is not None
    # A section, not an expander: an expander folds up on the rerun a button causes, hiding the
    # confirmation or the error that rerun shows.
    st.subheader("Rename or delete")
    with st.container(key="rename_delete"):
        with st.form("rename_profile", border=False):
            new_name = common.name_input("New name", key="rename_name")
            if st.form_submit_button("Rename"):
                try:
                    renamed = profiles.rename_profile(engine, profile.id, new_name)
                except profiles.ProfileError as exc:
                    st.error(plain(exc))
                else:
                    st.session_state[FLASH] = f"Renamed to “{plain(renamed.name)}”."
                    st.rerun()
        if not st.session_state.get("confirm_delete"):
            if st.button("Delete this profile…", icon=":material/delete:", key="delete_profile"):
                st.session_state["confirm_delete"] = profile.id
                st.rerun()
            return
        if st.session_state["confirm_delete"] != profile.id:  # the profile changed meanwhile
            st.session_state.pop("confirm_delete")
            st.rerun()
        data = profiles.profile_data(engine, profile.id)
        with st.container(border=True, key="delete_confirm"):
            st.warning(
                f"Delete **{plain(profile.name)}** for good? This removes the progress of "
                f"{data.cards_studied} studied card(s), {data.reviews} review(s) in its history, "
                f"{data.exams} exam attempt(s) and its settings. It cannot be undone. "
                "Question reports it sent are kept, without its name.",
                icon=":material/warning:",
            )
            yes, no = st.columns(2)
            if yes.button(f"Yes, delete {plain(profile.name)}", type="primary", key="delete_yes"):
                profiles.delete_profile(engine, profile.id)
                st.session_state.pop("confirm_delete")
                chosen_profile.forget()
                st.session_state[FLASH] = f"Profile “{plain(profile.name)}” deleted."
                st.rerun()
            if no.button("Cancel", key="delete_no"):
                st.session_state.pop("confirm_delete")
                st.rerun()


def claim_section(profile: Profile) -> None:
    """Signed in: take over a profile from before sign-in, once, while this one is still empty."""
    actor = identity.current_actor()
    mode = identity.claim_mode()
    if mode is claims.ClaimMode.OFF or not claims.may_claim(engine, actor):
        return
    reserved = claims.reserved_for(engine, actor)
    if reserved is None and mode is not claims.ClaimMode.BY_NAME:
        return
    st.subheader("Progress from before sign-in")
    with st.container(border=True, key="claim"):
        if reserved is not None:
            st.markdown(
                f"The operator set aside **{plain(reserved.name)}** for you: {reserved.reviews} "
                f"review(s) and {reserved.exams} exam attempt(s) from before sign-in. Use it, and its "
                "history and settings become yours; this new profile, still empty, is removed."
            )
            if st.button(f"Use {plain(reserved.name)}", type="primary", key="claim_reserved"):
                take(actor, reserved.name, mode)
            return
        st.markdown(
            "Did you study here before sign-in was turned on? Type that profile's name to make it "
            "yours, with its history and settings. You can do this once, while this profile is empty."
        )
        with st.form("claim_by_name", border=False):
            name = st.text_input("Name of your profile from before", key="claim_name")
            if st.form_submit_button("Claim it", type="primary"):
                take(actor, name, mode)


def take(actor: Actor | None, name: str, mode: claims.ClaimMode) -> None:
    try:
        claims.claim(engine, actor, name, mode)
    except claims.ClaimError as exc:
        st.error(plain(exc), icon=":material/block:")
        return
    st.session_state[FLASH] = "Done: your progress from before sign-in is in this profile now."
    st.rerun()


def workshops_section(profile: Profile) -> None:
    """The workshops this person joined signed in (their answers are in their study too)."""
    assert profile.id is not None
    st.subheader("Your workshops")
    taken = profile_workshops(engine, profile.id, actor=identity.current_actor())
    if not taken:
        st.caption("Workshops you join while signed in are listed here; their answers count in your study.")
        return
    st.dataframe(
        [
            {
                "Joined": w.joined_at.date().isoformat(),
                "Workshop": w.title or w.code,
                "As": w.name,
                "Correct": f"{w.correct} of {w.asked}",
                "Points": w.points,
                "Place": f"{w.rank} of {w.participants}",
                "Status": "finished" if w.finished else "running",
            }
            for w in taken
        ],
        hide_index=True,
        key="profile_workshops",
    )


st.title(":material/person: Profile & settings")
engine = common.engine()
profile = common.current_profile()
if FLASH in st.session_state:
    st.success(st.session_state.pop(FLASH), icon=":material/check_circle:")

# Signed in, the profile is the person's own: no list of others, nothing to choose or create.
signed_in = identity.signin_configured()
existing = [] if signed_in else profiles.list_profiles(engine)
if existing:
    names = [p.name for p in existing]
    # The box always shows the profile in use (e.g. one just created), never a stale choice.
    st.session_state["profile_choice"] = profile.name if profile and profile.name in names else None
    st.selectbox(
        "Profile",
        names,
        placeholder="Choose your profile",
        key="profile_choice",
        on_change=pick_from_box,
    )

if not signed_in:
    # Always open (an expander folds up on the rerun that shows an error, hiding it).
    with st.form("create_profile", clear_on_submit=True):
        name_box, button_box = st.columns([3, 1], vertical_alignment="bottom")
        with name_box:
            name = common.name_input("New profile", key="create_name")
        with button_box:
            submitted = st.form_submit_button("Create profile", type="primary", width="stretch")
        if submitted:
            created = common.create_profile_from_form(name)
            if created is not None:
                st.session_state[FLASH] = f"Profile “{plain(created.name)}” created and selected."
                st.rerun()

if profile is None:
    st.info("Choose or create a profile to see its settings.")
    st.stop()
assert profile.id is not None  # a stored profile always has its id
common.sidebar_profile(profile)
if signed_in:
    claim_section(profile)

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
                identity.current_actor(),
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

if signed_in:
    workshops_section(profile)
else:  # a signed-in person's profile is tied to their account
    rename_and_delete(profile)
