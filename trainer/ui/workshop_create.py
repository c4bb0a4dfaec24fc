"""The host page's first screen: choose where the questions come from, the timer, the scoring
and the teams, and create the room. On success the page reloads as the host console
(``?room=CODE``): the host secret is kept in this browser session, never in the URL."""

from __future__ import annotations

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.content.model import Bank, Domain
from trainer.ui import common, identity
from trainer.ui.plain import plain
from trainer.workshops import rooms, sources
from trainer.workshops.errors import WorkshopError
from trainer.workshops.model import MAX_QUESTIONS
from trainer.workshops.scoring import Scoring
from trainer.workshops.sources import Source

HOSTS = "wh_hosts"  # join code -> the host secret this browser session holds
SHARED_SEATS_MAX = 20

TIMERS = [10, 15, 20, 30, 45, 60, 90, 120]
# The "Questions from" choices and the source kind each stands for.
SOURCE_CHOICES = {
    "Topic": "topic",
    "Concept": "concept",
    "Exam domain": "domain",
    "Hand-picked questions": "questions",
}


def question_label(content: Bank, qid: str) -> str:
    q = content.questions[qid]
    stem = q.stem if len(q.stem) <= 90 else q.stem[:89] + "…"
    return f"{stem} ({content.topic_title(q.topic)})"


def choose_source(content: Bank) -> tuple[str, Source | None]:
    """The source kind and, once something is chosen, the source."""
    kind = SOURCE_CHOICES[
        st.segmented_control("Questions from", list(SOURCE_CHOICES), default="Topic", key="wh_kind")
        or "Topic"
    ]

    def available(kind: str, value: str) -> int:
        return len(sources.source_questions(content, Source(kind, value)))

    if kind == "topic":
        topics = [t for t in content.topics if available("topic", t)]
        value = st.selectbox(
            "Topic",
            topics,
            key="wh_topic",
            format_func=lambda t: f"{content.topic_title(t)} ({available('topic', t)} questions)",
        )
        return kind, Source("topic", value) if value else None
    if kind == "concept":
        concepts = sorted(
            (c for c in content.concepts if available("concept", c)),
            key=lambda c: content.concepts[c].name.lower(),
        )
        value = st.selectbox(
            "Concept",
            concepts,
            key="wh_concept",
            format_func=lambda c: f"{content.concepts[c].name} ({available('concept', c)} questions)",
        )
        return kind, Source("concept", value) if value else None
    if kind == "domain":
        value = st.selectbox(
            "Exam domain",
            [d.value for d in Domain],
            key="wh_domain",
            format_func=lambda d: f"{Domain(d).label} ({available('domain', d)} questions)",
        )
        return kind, Source("domain", value) if value else None
    picked = st.multiselect(
        "Questions, in the order to ask them",
        sorted(content.questions),
        format_func=lambda qid: question_label(content, qid),
        key="wh_picked",
        max_selections=MAX_QUESTIONS,
        placeholder="Search the stems and pick questions",
        # No "Select all" entry (review defect 19): its click silently filled the room with the
        # first MAX_QUESTIONS questions, which is never a hand-picked list.
        select_all=False,
    )
    return kind, Source("questions", question_ids=tuple(picked)) if picked else None


def create_form(engine: Engine, content: Bank) -> None:
    st.write(
        "Run a live quiz for a team: everyone answers on their own laptop or phone, "
        "a leaderboard after each question, and a report of which questions taught and which "
        "confused."
    )
    common.show_skipped_files(content)
    if not content.questions:
        st.warning("There are no questions in the content yet.", icon=":material/warning:")
        return
    kind, source = choose_source(content)
    pool = sources.source_questions(content, source) if source else []
    left, right = st.columns(2)
    with left:
        if kind != "questions" and pool:
            most = min(len(pool), MAX_QUESTIONS)
            count = st.number_input(
                "Number of questions",
                1,
                most,
                min(10, most),
                key="wh_count",
                help=f"Drawn at random from the {len(pool)} available.",
            )
        else:
            count = len(pool)
        seconds = st.select_slider("Timer per question (seconds)", TIMERS, value=20, key="wh_timer")
    with right:
        scoring = st.radio(
            "Scoring",
            list(Scoring),
            format_func=lambda s: s.label,
            key="wh_scoring",
            help="Speed-weighted is Kahoot's rule: a correct answer earns 1000 × "
            "(1 − (t/T)/2), at least 500. Accuracy only: 1000 per correct answer.",
        )
        teams_on = st.toggle(
            "Play in teams", key="wh_teams_on", help="A team's score is the average of its members' points."
        )
        teams: list[str] = []
        if teams_on:
            raw = st.text_input("Team names (comma-separated)", "Red, Blue", key="wh_teams")
            teams = [t for t in (x.strip() for x in raw.split(",")) if t]
        seats = st.number_input(
            "Seats per browser",
            1,
            SHARED_SEATS_MAX,
            1,
            key="wh_seats",
            help="1 keeps one person to one seat. Raise it when people take turns on a shared device.",
        )
    guests: bool | None = None  # local mode: everyone joins with a name (the core's default)
    if identity.signin_configured():
        guests = st.toggle(
            "Let guests join without signing in",
            value=False,
            key="wh_guests",
            help="Guests join with the code and a display name; their answers stay in this room. "
            "Signed-in participants' answers also go to their own study and progress.",
        )
    title = st.text_input(
        "Title shown to participants (optional)",
        key="wh_title",
        placeholder=source.label(content) if source else "",
    )
    clicked = st.button(
        "Create room", type="primary", key="wh_create", icon=":material/add_circle:", disabled=not pool
    )
    if not clicked or source is None:
        return
    # No max_chars on the title: a longer paste would vanish; the core refuses it in words.
    try:
        questions = sources.select_questions(content, source, int(count))
        room, secret = rooms.create_room(
            engine,
            questions,
            seconds=int(seconds),
            scoring=scoring or Scoring.SPEED,
            teams=teams,
            title=title or source.label(content),
            source=source,
            bank=content,
            seats_per_browser=int(seats),
            actor=identity.current_actor(),
            allow_guests=guests,
        )
    except WorkshopError as exc:
        st.error(plain(exc), icon=":material/error:")  # may quote a typed team name
        return
    st.session_state.setdefault(HOSTS, {})[room.code] = secret
    st.query_params.from_dict({"room": room.code})
    st.rerun()
