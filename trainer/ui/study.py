"""Study page: one card at a time, Show answer, rate Again/Hard/Good/Easy with intervals shown."""

from __future__ import annotations

import time

import streamlit as st

from trainer.content.model import Card, Question
from trainer.store.types import utcnow
from trainer.study import scenario_questions, stats, undo
from trainer.study.practice_ahead import record_practice, weakest_first
from trainer.study.queue import StudyError
from trainer.study.scheduling import Rating, day_start, format_interval
from trainer.ui import boundary, common, identity, pages, study_forecast, study_keys, team_assignments
from trainer.ui.exam_common import letters
from trainer.ui.plain import plain

RATING_KEYS = {Rating.AGAIN: "1", Rating.HARD: "2", Rating.GOOD: "3", Rating.EASY: "4"}
RATING_HELP = {
    Rating.AGAIN: "Forgot it: see it again soon",
    Rating.HARD: "Recalled with serious effort",
    Rating.GOOD: "Recalled after a moment's thought",
    Rating.EASY: "Recalled instantly",
}

# A touch screen has no keyboard: no shortcut hints on the buttons there (review defect 16).
TOUCH = common.on_phone()


def key(shortcut: str) -> str | None:
    return None if TOUCH else shortcut


# The page's style, drawn with the key handler (study_keys.install) at the top of the page:
# - The hidden twin of Good that holds Space on a card's back (see scheduled()).
# - The four rating buttons share the row equally, whatever their labels.
# - A key hint on a primary button is drawn at full strength: Streamlit's 60 % white on the
#   theme's orange reads 2.8:1, under WCAG AA's 4.5:1 (review defect 7); full white reads 5.2:1.
# - On a narrow screen (review defect 16) the header is compact, and the rating row, like a
#   scenario question's Submit and Continue, is pinned to the bottom of the viewport as in
#   AnkiMobile: the thumb finds it without scrolling past a long answer. The four ratings stay in
#   one row there, each with its interval under the label (see rating_label).
STYLE = """
.st-key-rate_space { display: none; }
.st-key-study_ratings > div { flex: 1 1 0; min-width: 0; }
button[kind="primary"] kbd { opacity: 1; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMainBlockContainer"] h1 { font-size: 1.75rem; padding-bottom: 0.25rem; }
  div[data-testid="stLayoutWrapper"]:has(> .st-key-study_ratings),
  .st-key-study_q_submit, .st-key-study_q_continue {
    position: sticky; bottom: 0; z-index: 990;
    background: var(--st-background-color, #ffffff); box-shadow: 0 -6px 8px -6px #16191f33;
    padding: 0.5rem 0 calc(0.5rem + env(safe-area-inset-bottom)); }
  .st-key-study_ratings { flex-wrap: nowrap; }
  .st-key-study_ratings button { min-height: 3.25rem; padding: 0.25rem; }
  .st-key-study_ratings button p { white-space: normal; line-height: 1.25; }
}
"""


def rating_label(rating: Rating, interval: str) -> str:
    """A rating button's label with its interval: "Good · 3d" on a desktop; on a touch screen the
    interval goes under the label (a Markdown line break), so four buttons fit one row of a phone
    without breaking at random."""
    return f"{rating.label}  \n{interval}" if TOUCH else f"{rating.label} · {interval}"


st.title(":material/psychology: Study")
study_keys.install(STYLE)  # first, so it stays in place while the page changes below it
content = common.bank()
common.show_skipped_files(content)
profile = common.require_profile()
assert profile.id is not None  # a stored profile always has its id
profile_id: int = profile.id
actor = identity.current_actor()  # with sign-in on, the core checks the profile is theirs
common.sidebar_profile(profile)
team_assignments.render_assignments(profile)  # the team's assignments, above the card
study = common.study_for(profile)
study_forecast.study_page_forecast(study, content)  # folded; cached per latest answer
state = st.session_state

state.setdefault("study_mode", "Scheduled")  # other pages may open Practice ahead
mode = (
    st.segmented_control(
        "Mode",
        ["Scheduled", "Practice ahead"],
        key="study_mode",
        help="Practice ahead drills your weakest cards without changing their schedule.",
    )
    or "Scheduled"
)


def reset_card() -> None:
    for key in ("study_card", "study_shown", "study_started", "study_question", "study_result"):
        state.pop(key, None)


# The buttons below act in callbacks: a callback runs before the page is drawn, so one script run
# records the press and draws the next step (an st.rerun() after the press drew the page twice).
# Each callback carries the card it was drawn for and does nothing for any other card: a press
# that arrives after its card left the screen (a key typed while the page was being redrawn)
# must never act on the card shown now.


def on_screen(card_id: str, shown: bool) -> bool:
    """Whether ``card_id`` is the scheduled card on screen, with (or without) its answer shown."""
    return state.get("study_card") == card_id and bool(state.get("study_shown")) == shown


def show_answer(card_id: str) -> None:
    if on_screen(card_id, shown=False):
        state["study_shown"] = True


@boundary.guarded
def rate(card_id: str, rating: Rating) -> None:
    """Record the rating of the card on screen, then move on to the next card."""
    card = content.cards.get(card_id)
    if card is None or not on_screen(card_id, shown=True):
        return
    elapsed = int((time.time() - state.get("study_started", time.time())) * 1000)
    now = utcnow()
    try:
        action = undo.before(common.engine(), profile_id, card_id, reviewed_at=now, actor=actor)
        outcome = study.answer(card_id, rating, now=now, duration_ms=min(elapsed, 600_000))
    except (StudyError, undo.UndoError) as exc:
        state["study_error"] = str(exc)
        return
    remember_undo(action, f"{rating.label} on “{card.front[:60]}”")
    if outcome.became_leech:
        st.toast(
            f"'{card.front[:60]}' is a leech ({outcome.memory.lapses} lapses)"
            + (" and was suspended." if outcome.memory.suspended else "."),
            icon=":material/healing:",
        )
    state["last_topic"] = card.topic
    reset_card()


@boundary.guarded
def hide(card_id: str, how: str) -> None:
    """Bury or suspend the card on screen (``how`` is "bury" or "suspend")."""
    card = content.cards.get(card_id)
    if card is None or not on_screen(card_id, shown=True):
        return
    action = undo.before(common.engine(), profile_id, card_id, actor=actor)
    if how == "bury":
        study.bury(card_id)
        hide_card(action, "buried until tomorrow", card)
    else:
        study.set_suspended(card_id, True)
        hide_card(action, "suspended", card)


@boundary.guarded
def continue_after_question(question_id: str) -> None:
    if state.get("study_question") == question_id and state.get("study_result") is not None:
        state["last_topic"] = content.questions[question_id].topic
        reset_card()


UNDO = "study_undo"  # (profile id, Undoable, what it was) of the last rating, bury or suspend


def remember_undo(action: undo.Undoable, what: str) -> None:
    state[UNDO] = (profile.id, action, what)


@boundary.guarded
def undo_last() -> None:
    """Ctrl+Z or the Undo button: take the last action back and show its card again."""
    saved = state.pop(UNDO, None)
    if saved is None or saved[0] != profile.id:
        return
    _, action, what = saved
    try:
        undo.undo(common.engine(), action, actor=actor)
    except undo.UndoError as exc:
        st.toast(plain(exc), icon=":material/block:")
        return
    reset_card()
    state["study_card"] = action.card_id
    state["study_shown"] = False
    state["study_started"] = time.time()
    st.toast(f"Undone: {what}.", icon=":material/undo:")


def undo_button() -> None:
    saved = state.get(UNDO)
    if saved is None or saved[0] != profile.id:
        return
    st.button(
        f"Undo {saved[2].split(' ', 1)[0].lower()}",
        key="study_undo_button",
        icon=":material/undo:",
        shortcut=key("Ctrl+Z"),
        help=f"Take back: {saved[2]}",
        on_click=undo_last,
    )


def show_counts() -> None:
    counts = study.counts()
    # One compact row, also on a phone (columns stack there and push the card off the first
    # screen, review defect 16).
    with st.container(horizontal=True, gap="large", key="study_counts"):
        st.metric("New", counts.new, help="New cards left today (daily limit in Profile & settings)")
        st.metric("Learning", counts.learning, help="Cards in their learning steps today")
        st.metric("To review", counts.review, help="Reviews due today")


def card_front(card: Card) -> None:
    st.caption(f"{content.topic_title(card.topic)}" + (f" · {' · '.join(card.tags)}" if card.tags else ""))
    with st.container(border=True, key="card_front"):
        st.markdown(f"### {card.front}")


def card_back(card: Card) -> None:
    with st.container(border=True, key="card_back"):
        st.markdown(f"**{card.back}**")
        if card.explanation:
            st.markdown(card.explanation)
        common.render_correction(card)
        common.render_references(card)
        common.explainer_link(card)


def missing_card(card_id: str) -> None:
    st.warning(f"The card '{card_id}' is no longer in the content; skipping it.")
    reset_card()


def scheduled() -> None:
    show_counts()
    if "study_error" in state:
        st.error(plain(state.pop("study_error")), icon=":material/error:")
    card_id = state.get("study_card")
    if card_id is None:
        row = study.next_card(last_topic=state.get("last_topic"))
        if row is None:
            done_for_today()
            return
        card_id = state["study_card"] = row.card_id
        state["study_shown"] = False
        state["study_started"] = time.time()
        if row.queue == "review" and scenario_questions.question_turn(study):
            question = scenario_questions.question_for(study, content, card_id)
            if question is not None:
                state["study_question"] = question.id
    if state.get("study_question") in content.questions:
        scenario_question(content.questions[state["study_question"]])
        return
    card = content.cards.get(card_id)
    if card is None:
        # A row whose YAML was removed while the page was open; retire it quietly.
        study.sync(content, common.card_order())
        missing_card(card_id)
        st.rerun()
    card_front(card)
    if not state.get("study_shown"):
        st.button(
            "Show answer",
            type="primary",
            key="show_answer",
            shortcut=key("Space"),
            width="stretch",
            on_click=show_answer,
            args=(card_id,),
        )
        return
    card_back(card)
    previews = study.preview(card_id)
    # Space on the back means Good, as in Anki: a hidden twin of the Good button holds the key
    # (for AppTest and a browser without the page's key handler; see study_keys).
    st.button("Good", key="rate_space", shortcut=key("Space"), on_click=rate, args=(card_id, Rating.GOOD))
    with st.container(horizontal=True, key="study_ratings", gap="small"):
        for rating in Rating:
            st.button(
                rating_label(rating, format_interval(previews[rating].interval)),
                key=f"rate_{rating.name.lower()}",
                help=RATING_HELP[rating],
                shortcut=key(RATING_KEYS[rating]),
                width="stretch",
                type="primary" if rating == Rating.GOOD else "secondary",
                on_click=rate,
                args=(card_id, rating),
            )
    with st.expander("More"):
        left, right = st.columns(2)
        left.button("Bury until tomorrow", key="bury", on_click=hide, args=(card_id, "bury"))
        right.button("Suspend card", key="suspend", on_click=hide, args=(card_id, "suspend"))


def hide_card(action: undo.Undoable, how: str, card: Card) -> None:
    """After a bury or a suspend: say so (it is easy to miss the card simply vanishing), offer
    the undo, and move on."""
    remember_undo(action, f"“{card.front[:60]}” {how}")
    st.toast(f"Card {how}. Undo: Ctrl+Z or the Undo button.", icon=":material/visibility_off:")
    reset_card()


def scenario_question(question: Question) -> None:
    """A due review asked as an exam-style question; the answer reviews its linked cards."""
    st.caption(f"Scenario question · {content.topic_title(question.topic)} · {question.domain.label}")
    result = state.get("study_result")
    if result is None:
        chosen = common.question_form(question, key="study_q")
        if st.button(
            "Submit answer", type="primary", key="study_q_submit", width="stretch", disabled=not chosen
        ):
            if question.type == "multiple" and len(chosen) != question.choose:
                st.warning(f"Choose exactly {question.choose} options.")
                return
            elapsed = int((time.time() - state.get("study_started", time.time())) * 1000)
            correct = study.answer_question(question, chosen, duration_ms=min(elapsed, 600_000))
            state["study_result"] = {"chosen": sorted(chosen), "correct": correct}
            st.rerun()
        return
    # Answered: no greyed-out (disabled) form, which was hard to read (review defect 7). The
    # options are listed once, each with its mark and the words "your choice" / "correct answer".
    st.markdown(question.stem)
    st.markdown(
        f"*{common.choose_text(question)}* Your answer: **{letters(result['chosen'])}** · "
        f"correct answer: **{letters(question.answer)}**"
    )
    common.question_feedback(question, set(result["chosen"]))
    linked = ", ".join(content.cards[c].front for c in question.cards if c in content.cards)
    st.caption(f"Recorded as {'Good' if result['correct'] else 'Again'} for the linked card(s): {linked}")
    st.button(
        "Continue",
        type="primary",
        key="study_q_continue",
        shortcut=key("Space"),
        width="stretch",
        on_click=continue_after_question,
        args=(question.id,),
    )


def open_practice_ahead() -> None:
    state["study_mode"] = "Practice ahead"


def done_for_today() -> None:
    now = utcnow()
    next_due = study.next_due_at(now)
    summary = stats.day_summary(common.engine(), profile_id, day_start(now, study.settings))
    with st.container(border=True, key="done_today"):
        st.subheader(":material/celebration: You're done for today")
        if summary.answers:
            rate = summary.pass_rate or 0.0
            st.markdown(
                f"Today: **{summary.answers}** answer(s) in **{summary.minutes:.0f} min**, "
                f"**{rate:.0%}** passed (not Again).",
                help="Practice-ahead answers are not counted.",
            )
        if next_due:
            local = next_due.astimezone(study.settings.zone)
            wait = format_interval(next_due - now)
            st.write(
                f"The next card is due **{local:%a %d %b, %H:%M}** ({profile.timezone}), in about {wait}."
            )
        else:
            held = stats.totals(common.engine(), profile_id)
            if held.get("new") and study.settings.new_per_day == 0:
                st.write(
                    "Nothing is scheduled, and no new cards are introduced: your limit of new "
                    "cards per day is 0."
                )
                st.page_link(pages.PROFILE, label="Change it in Profile & settings", icon=":material/tune:")
            elif held.get("suspended"):
                st.write(
                    f"Nothing else is scheduled. {held['suspended']} card(s) are suspended; "
                    "unsuspend them in Profile & settings."
                )
            else:
                st.write("Nothing else is scheduled: you have studied every card.")
        st.write("Want more? Drill your weakest cards without touching the schedule, or browse the cards.")
        left, right = st.columns(2)
        left.button(
            "Practice ahead",
            key="done_practice",
            icon=":material/fitness_center:",
            on_click=open_practice_ahead,
        )
        with right:
            st.page_link(pages.LIBRARY, label="Library", icon=":material/menu_book:")


def practice_filters() -> dict[str | None, str]:
    """Filter choices for practice ahead: everything, a topic, or a concept."""
    choices: dict[str | None, str] = {None: "All topics"}
    choices.update({f"topic:{t}": content.topic_title(t) for t in content.topics})
    choices.update({f"concept:{c.id}": f"Concept: {c.name}" for c in content.concepts.values()})
    return choices


def practice_cards(choice: str | None) -> list[str]:
    kind, _, ident = (choice or "").partition(":")
    return [
        c.id
        for c in content.cards.values()
        if not choice or (kind == "topic" and c.topic == ident) or (kind == "concept" and ident in c.concepts)
    ]


def practice_ahead() -> None:
    choices = practice_filters()
    if state.get("cram_topic") not in choices:
        state["cram_topic"] = None  # e.g. a concept removed from the content
    choice = st.selectbox("Practise", list(choices), format_func=lambda c: choices[c], key="cram_topic")
    if "cram_queue" not in state or state.get("cram_for") != choice:
        state["cram_queue"] = weakest_first(study, practice_cards(choice))
        state["cram_for"] = choice
        state["cram_done"] = 0
        state.pop("cram_shown", None)
    queue = state["cram_queue"]
    st.caption(
        f"Practice ahead: weakest cards first. Answers here are logged but the schedule "
        f"is not changed. {state['cram_done']} done, {len(queue)} left."
    )
    if not queue:
        st.success("Practice round complete. Pick another topic or go back to Scheduled.")
        return
    card = content.cards.get(queue[0])
    if card is None:
        queue.pop(0)
        st.rerun()
    card_front(card)
    if not state.get("cram_shown"):
        st.button(
            "Show answer",
            type="primary",
            key="cram_show",
            shortcut=key("Space"),
            width="stretch",
            on_click=cram_show,
            args=(card.id,),
        )
        return
    card_back(card)
    with st.container(horizontal=True, key="study_ratings", gap="small"):
        for rating in Rating:
            st.button(
                rating.label,
                key=f"cram_{rating.name.lower()}",
                width="stretch",
                shortcut=key(RATING_KEYS[rating]),
                on_click=cram_rate,
                args=(card.id, rating),
            )


def cram_on_screen(card_id: str, shown: bool) -> bool:
    queue = state.get("cram_queue") or []
    return bool(queue) and queue[0] == card_id and bool(state.get("cram_shown")) == shown


def cram_show(card_id: str) -> None:
    if cram_on_screen(card_id, shown=False):
        state["cram_shown"] = True


@boundary.guarded
def cram_rate(card_id: str, rating: Rating) -> None:
    """Practice ahead: log the rating of the card on screen (the schedule is not changed)."""
    if not cram_on_screen(card_id, shown=True):
        return
    record_practice(study, card_id, rating)
    queue = state["cram_queue"]
    queue.pop(0)
    if rating == Rating.AGAIN:
        queue.insert(min(3, len(queue)), card_id)  # see a missed card again shortly
    state["cram_done"] += 1
    state["cram_shown"] = False


if mode == "Practice ahead":
    practice_ahead()
else:
    undo_button()
    scheduled()
