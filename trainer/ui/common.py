"""Small cached wrappers around the core, shared by every page.

The bank (parsed YAML) and the database engine are made once per process with
``st.cache_resource``; pages never cache a database Session.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.content.graph import introduction_order
from trainer.content.loader import load_bank
from trainer.content.model import Bank, Card, Question
from trainer.content.selection import is_correct
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.store.engine import StorageError, get_engine
from trainer.store.tables import Profile
from trainer.study import profiles
from trainer.study.queue import Study
from trainer.ui import chosen_profile, identity, pages
from trainer.ui.boundary import retry_when_database_answers
from trainer.ui.plain import plain


@st.cache_resource(show_spinner=False)
def bank() -> Bank:
    """The content bank, loaded once per process. Broken files are skipped, not fatal."""
    return load_bank()


def show_skipped_files(content: Bank) -> None:
    """Say which content files were skipped and why, without hiding the rest."""
    if not content.skipped:
        return
    with st.expander(f":material/warning: {len(content.skipped)} content file(s) skipped because of errors"):
        for path, problems in content.skipped.items():
            st.markdown(f"**{plain(path)}**")
            for problem in problems[:10]:
                st.text(f"line {problem.line}: {problem.message}")
            if len(problems) > 10:
                st.text(f"... and {len(problems) - 10} more")
        st.caption("Run `trainer check` to list every problem; fix the file and restart the app.")


# -- explainer links ----------------------------------------------------------------


EXPLAINER_TITLES = {
    "playground": "concurrency playground",
    "sizing": "subnet sizing calculator",
    "memory": "memory & cost tuner",
    "aliases": "aliases & canaries explainer",
    "streams": "stream event sources explainer",
    "connections": "connection reuse explainer",
    "ecs-scaling": "ECS auto scaling explainer",
}


def explainer_url(page: str, preset: str) -> str:
    """Relative deep link to an explainer page with a preset loaded."""
    return f"/{page}?preset={preset}"


def explainer_link(item: Card | Question) -> None:
    """A link to the explainer page with the matching preset loaded."""
    link = item.explainer
    if not link:
        return
    label = f"Try it in the {EXPLAINER_TITLES.get(link.page, link.page)} →"
    try:
        st.page_link(
            pages.EXPLAINERS[link.page],
            label=label,
            icon=":material/science:",
            query_params={"preset": link.preset},
        )
    except (KeyError, st.errors.StreamlitAPIException):
        # The page is not part of this app's navigation (e.g. a page run on its own).
        st.markdown(f":material/science: [{label}]({explainer_url(link.page, link.preset)})")


def cards_for_preset(content: Bank, page: str, preset: str) -> list[Card | Question]:
    """Cards and questions that point at the given explainer preset (for back-links)."""
    items: list[Card | Question] = [*content.cards.values(), *content.questions.values()]
    return [
        item
        for item in items
        if item.explainer and item.explainer.page == page and item.explainer.preset == preset
    ]


def render_back_links(page: str, preset: str, heading: str) -> None:
    """The cards and questions that link to an explainer preset, so the learner can go back."""
    items = cards_for_preset(bank(), page, preset)
    st.markdown(f"#### {heading}")
    if not items:
        st.caption("No cards or questions link to this yet.")
        return
    st.caption("Cards and questions in the library that link here.")
    for item in items:
        if isinstance(item, Card):
            with st.expander(item.front, icon=":material/style:"):
                st.markdown(f"**{item.back}**")
                st.markdown(item.explanation)
                st.caption(f"Card `{item.id}` · find it in the Library")
        else:
            with st.expander(item.stem, icon=":material/quiz:"):
                st.caption(f"Scenario question `{item.id}` · practise it on the Study page")


# -- rendering cards and questions ------------------------------------------------


def render_references(item: Card | Question) -> None:
    links = " · ".join(f"[{ref.title}]({ref.url})" for ref in item.references)
    if links:
        st.caption(f"AWS documentation: {links}")


def render_correction(item: Card | Question) -> None:
    """Where the study notes are out of date, say so visibly."""
    if item.correction:
        st.warning(
            f"**Correction to the notes** — the notes say: {item.correction.notes_say}\n\n"
            f"**True now** (since {item.correction.since}): {item.correction.now}",
            icon=":material/build:",
        )


NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def choose_text(q: Question | QuestionSnapshot) -> str:
    """The instruction under a stem, worded as the real exam words it ("Choose two.")."""
    return f"Choose {NUMBER_WORDS.get(q.choose, q.choose)}." if q.type == "multiple" else "Choose one."


def question_form(
    question: Question, key: str, disabled: bool = False, chosen: list[int] | None = None
) -> list[int]:
    """The stem and options as the Exam page shows them: the stem in body text, a radio for a
    single answer, checkboxes under "Choose two." for several."""
    st.markdown(question.stem)
    labels = [f"{LETTERS[i]}. {option.text}" for i, option in enumerate(question.options)]
    if question.type == "single":
        picked = st.radio(
            choose_text(question),
            range(len(labels)),
            format_func=labels.__getitem__,
            index=chosen[0] if chosen else None,
            key=f"{key}_{question.id}_radio",
            disabled=disabled,
        )
        return [] if picked is None else [picked]
    st.markdown(f"**{choose_text(question)}**")
    return [
        i
        for i, label in enumerate(labels)
        if st.checkbox(
            label, value=bool(chosen and i in chosen), key=f"{key}_{question.id}_opt{i}", disabled=disabled
        )
    ]


def option_explanations(q: Question | QuestionSnapshot, chosen: Iterable[int]) -> None:
    """Every option with its explanation: the key in green, a wrong choice in red, and the words
    "your choice" / "correct answer" so nothing depends on colour alone."""
    picks = set(chosen)
    for i, option in enumerate(q.options):
        is_key, picked = i in q.answer, i in picks
        if is_key:
            mark = ":green[:material/check_circle:]"
            text = f":green[**{LETTERS[i]}. {option.text}**]"
        elif picked:
            mark = ":red[:material/cancel:]"
            text = f":red[**{LETTERS[i]}. {option.text}**]"
        else:
            mark = ":gray[:material/radio_button_unchecked:]"
            text = f"**{LETTERS[i]}. {option.text}**"
        notes = []
        if picked:
            notes.append("your choice")
        if is_key:
            notes.append("correct answer")
        suffix = f" · *{', '.join(notes)}*" if notes else ""
        st.markdown(f"{mark} {text}{suffix}  \n{option.explanation}")


def question_feedback(question: Question, chosen: set[int]) -> None:
    """After answering: right or wrong, then every option's explanation and the references."""
    if is_correct(chosen, question.answer):
        st.success("Correct.", icon=":material/check_circle:")
    else:
        key = ", ".join(LETTERS[i] for i in question.answer)
        st.error(f"Not quite — the answer is {key}.", icon=":material/cancel:")
    option_explanations(question, chosen)
    render_correction(question)
    render_references(question)
    explainer_link(question)


# -- database and profile -------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _engine() -> Engine:
    return get_engine()


def engine() -> Engine:
    """The one database engine per process (SQLite file by default).

    An unusable database stops the page with a plain message instead of a traceback, and the
    page looks again every few seconds, coming back by itself once the database answers.
    """
    try:
        return _engine()
    except StorageError as exc:
        st.error(f"**The trainer cannot use its database.** {plain(exc)}", icon=":material/database:")
        retry_when_database_answers()
        st.stop()


@st.cache_resource(show_spinner=False)
def card_order() -> list[str]:
    return introduction_order(bank())


def current_profile() -> Profile | None:
    """With sign-in on, the signed-in person's own profile and no other (see ``identity``).
    In local mode, the profile chosen in this browser (see ``chosen_profile``); if only one
    exists, that one."""
    if identity.signin_configured():
        return identity.signed_in_profile(engine(), browser_timezone())
    pid = chosen_profile.chosen_id()
    if pid is not None:
        profile = profiles.get_profile(engine(), pid)
        if profile is not None:
            if st.session_state.get(chosen_profile.SESSION_KEY) != pid:
                select_profile(profile)  # remembered by the browser: adopt it for this session
            return profile
        chosen_profile.forget()
    existing = profiles.list_profiles(engine())
    if len(existing) == 1:
        select_profile(existing[0])
        return existing[0]
    return None


def select_profile(profile: Profile) -> None:
    assert profile.id is not None  # a stored profile always has its id
    chosen_profile.choose(profile.id)
    st.session_state.pop("study_card", None)


def study_for(profile: Profile) -> Study:
    """The profile's study queue, synced with the content once per browser session."""
    study = Study(engine(), profile, actor=identity.current_actor())
    synced = st.session_state.setdefault("synced_profiles", set())
    if profile.id not in synced:
        study.sync(bank(), card_order())
        synced.add(profile.id)
    return study


# A second click on "Create profile" while the first one's rerun is under way arrives with the
# field already cleared (or the same name): within this window it is the same request, not a
# new one, so it neither creates twice nor complains that the name is empty.
DOUBLE_SUBMIT_S = 5.0


def create_profile_from_form(name: str) -> Profile | None:
    """Create and select a profile from a form's name; None (with the error shown) if refused."""
    state = st.session_state
    last = state.get("profile_created")
    if last and time.monotonic() - last[1] < DOUBLE_SUBMIT_S:
        typed = " ".join((name or "").split()).casefold()
        if not typed or typed == last[0]:
            return current_profile()
    try:
        profile = profiles.create_profile(engine(), name, browser_timezone())
    except profiles.ProfileError as exc:
        st.error(plain(exc))
        return None
    select_profile(profile)
    state["profile_created"] = (profile.name.casefold(), time.monotonic())
    return profile


def name_input(label: str, key: str) -> str:
    """A profile name field. It has no ``max_chars``: the browser would silently drop a longer
    pasted name and the next message would blame an empty field; the core says how long is too
    long instead."""
    return st.text_input(label, placeholder="e.g. Ana", key=key)


def too_long(text: str | None, limit: int, what: str) -> str | None:
    """Why ``text`` is refused for its length (``what`` names it: "A room title"), or None.

    Free-text fields have no ``max_chars`` (see :func:`name_input`): the browser would drop a
    longer pasted value without a word. Where the core does not say the length itself (it names
    only the limit, or does not check), the page checks it with this and says both numbers."""
    length = len((text or "").strip())
    if length <= limit:
        return None
    return f"{what} can be at most {limit} characters; this one has {length}. Shorten it and try again."


def profile_picker(key: str = "picker") -> Profile | None:
    """Choose an existing profile or create one, inline, so no page is a dead end. With sign-in
    on there is nothing to choose (a signed-in person's profile is theirs): a guest is asked to
    sign in, and never sees the list of profiles."""
    if identity.signin_configured():
        st.info("Sign in to keep progress in your own profile.", icon=":material/login:")
        identity.sign_in_buttons(f"{key}_signin")
        return None
    existing = profiles.list_profiles(engine())
    if existing:
        names = [p.name for p in existing]
        choice = st.selectbox(
            "Who is studying?", names, index=None, placeholder="Choose your profile", key=f"{key}_select"
        )
        if choice:
            profile = existing[names.index(choice)]
            select_profile(profile)
            st.rerun()
    with st.form(f"{key}_create", clear_on_submit=True, border=bool(existing)):
        name = name_input("New profile name", key=f"{key}_name")
        if st.form_submit_button("Create profile", type="primary") and create_profile_from_form(name):
            st.rerun()
    return None


def on_phone() -> bool:
    """Whether the browser says it is a phone or tablet (its User-Agent has "Mobi" or "Android").

    Streamlit does not report the screen's width to the script; the User-Agent is what there is,
    and it is enough to pick a phone-sized default (a list instead of a graph, no key hints).
    """
    agent = st.context.headers.get("User-Agent")
    return isinstance(agent, str) and ("Mobi" in agent or "Android" in agent)


def browser_timezone() -> str:
    """The learner's time zone as the browser reports it, so the day starts at their 4 AM."""
    zone = st.context.timezone or "UTC"
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):  # a zone name this Python does not know
        return "UTC"
    return zone


def require_profile() -> Profile:
    """The current profile, or a friendly picker and a stop."""
    profile = current_profile()
    if profile is None:
        st.info(
            "Progress is kept per profile. Choose yours or create one to start.", icon=":material/person:"
        )
        profile_picker()
        st.stop()
    return profile


def sidebar_profile(profile: Profile) -> None:
    """Who is studying, a way to switch, and the browser remembering the choice (local mode;
    signed in, the page's sidebar already names the person and there is nothing to switch)."""
    if identity.signin_configured():
        return
    with st.sidebar:
        st.caption(f"Studying as **{plain(profile.name)}**")
        with st.popover("Switch profile", icon=":material/switch_account:", key="switch_profile"):
            existing = profiles.list_profiles(engine())
            others = [p for p in existing if p.id != profile.id]
            for other in others:
                if st.button(plain(other.name), key=f"switch_to_{other.id}", width="stretch"):
                    select_profile(other)
                    st.rerun()
            if not others:
                st.caption("No other profiles yet.")
            st.page_link(pages.PROFILE, label="New, rename or delete…", icon=":material/manage_accounts:")
        chosen_profile.keep_in_browser()
