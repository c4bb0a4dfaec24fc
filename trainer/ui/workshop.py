"""Workshop (participant): join a live quiz room with its code and a display name, then answer
on your own device. ``?code=XXXX-XXXX`` in the URL fills in the code.

**Polling, cheaply.** A fragment polls every ``POLL`` seconds (0.75 s unless
``TRAINER_WORKSHOP_POLL_SECONDS`` says otherwise), and each poll only compares the room's shared
pulse (:mod:`trainer.workshops.live`: one small query per process at most every 0.1 s, whatever
the number of participants) with what the page drew. When nothing changed it draws at most one
number (who is in the lobby), so an idle page costs the server a few milliseconds a poll; when the
host moves on, the page is drawn again once, from the room as read once per step for every page
of the process (:mod:`trainer.workshops.step_cache`). The countdown is animated by the browser
(CSS), not redrawn every second.

**Answering** is one tap on a big A-D button for a single answer; a multiple-response question
has toggle buttons and a Submit button. Speed points count from when the server first drew the
question for this seat (``live.mark_shown``), not from the host's click.

The seat is held in the browser session (``st.session_state``). The URL carries a one-time
rejoin token (``&seat=...``) so a reload (a new session) gets the seat back; the token is swapped
for a new one at each use and expires, so one seen in a proxy log or a history is dead. Typed
codes are rate-limited per session and client address (``trainer.workshops.throttle``), and a
session holds one seat per room unless the host allows more: leaving and joining again from the
same tab gives back the same seat, name and points. While a seat is held the app's navigation
is hidden (``trainer/ui/pages.py``), so a phone shows the quiz and nothing else.

Display names are always rendered as plain text (``st.text``, dataframes, escaped charts).
"""

from __future__ import annotations

import os
import secrets
from datetime import datetime

import streamlit as st

from trainer.charts import workshops as charts
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.ui import common, heap, identity
from trainer.ui.plain import plain
from trainer.ui.workshop_live import countdown, shared_figure
from trainer.workshops import answers, live, naming, results, rooms, step_cache
from trainer.workshops.errors import WorkshopError
from trainer.workshops.model import Participant, RoomInfo, RoomPhase, RoomQuestionResult, RoomState
from trainer.workshops.naming import NAME_MAX
from trainer.workshops.throttle import Visitor


# How often the live view asks whether the room moved on. A poll costs the server a few
# milliseconds (see docs/team-deployment.md); 0.75 s puts a new question on every screen within
# about a second of the host's click.
def _poll_seconds() -> float:
    try:
        return min(10.0, max(0.5, float(os.environ.get("TRAINER_WORKSHOP_POLL_SECONDS") or 0.75)))
    except ValueError:
        return 0.75


POLL = _poll_seconds()
SEAT = "workshop_seat"  # also read by trainer/ui/pages.py: a held seat hides the navigation
MESSAGE = "workshop_message"
VISITOR = "workshop_visitor"  # this browser session's random key (rate limit, seat holder)
LOOKUP = "workshop_lookup"  # (code, room or message) of the last code looked up
NO_TOOLBAR = {"displayModeBar": False}
PICKED = "ws_picked"  # (room id, question index, chosen options) of a multiple-response question
# Big answer buttons: a whole-width target of at least 56 px per option, text left-aligned.
ANSWER_STYLE = """<style>
[class*="st-key-ws_opt_"] button { min-height: 3.5rem; justify-content: flex-start; text-align: left; }
[class*="st-key-ws_opt_"] button p { font-size: 1.1rem; }
.st-key-ws_stem p { font-size: 1.15rem; font-weight: 600; line-height: 1.45; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
</style>"""  # drawn only while a seat is held: the sidebar (menu and notes) has nothing for a player

state = st.session_state
params = st.query_params
engine = common.engine()

st.title(":material/groups: Workshop")


def leave() -> None:
    """Leave the room on this tab. The seat stays this browser session's: joining again (any name)
    gives it back with its points, and a reload before leaving keeps it through the rejoin link."""
    state.pop(SEAT, None)
    state.pop(MESSAGE, None)
    params.pop("seat", None)


def client_address() -> str | None:
    """The client's address for the rate limit. Behind a reverse proxy every connection comes
    from the proxy, so with TRAINER_BEHIND_PROXY set the address is the last X-Forwarded-For hop
    (the one the proxy itself appended; earlier hops are whatever the client sent)."""
    try:
        if os.environ.get("TRAINER_BEHIND_PROXY", "").strip():
            hops = [h.strip() for h in (st.context.headers.get("X-Forwarded-For") or "").split(",")]
            if hops and hops[-1]:
                return hops[-1]
        return st.context.ip_address
    except Exception:  # noqa: BLE001 - no client context (tests): the session limit still holds
        return None


def visitor() -> Visitor:
    if VISITOR not in state:
        state[VISITOR] = secrets.token_urlsafe(18)
    return Visitor(session=state[VISITOR], address=client_address())


def current_seat() -> Participant | None:
    """The participant of this browser session, or the one whose rejoin token is in the URL
    (the token is spent and the URL gets the next one)."""
    seat = state.get(SEAT)
    if seat is not None:
        return seat
    code, token = params.get("code"), params.get("seat")
    if code and token:
        try:
            seat, fresh = rooms.rejoin(engine, code, token, visitor(), actor=identity.current_actor())
        except WorkshopError as exc:
            params.pop("seat", None)
            st.warning(plain(exc), icon=":material/person_off:")
            return None
        state[SEAT] = seat
        params["seat"] = fresh
    return seat


def look_up(code: str) -> RoomInfo | str:
    """The room for a typed code, or why not: looked up once per code (every rerun of the form
    would otherwise count the same wrong code again against the rate limit)."""
    typed = naming.normalise_code(code)
    # No max_chars on the field (a longer paste would vanish); a code that long is no code.
    overlong = common.too_long(typed, naming.CODE_LENGTH, "A join code")
    if overlong:
        return overlong
    last = state.get(LOOKUP)
    if last is None or last[0] != typed:
        try:
            found: RoomInfo | str = rooms.find_room(engine, typed, visitor())
        except WorkshopError as exc:
            found = str(exc)
        last = state[LOOKUP] = (typed, found)
    return last[1]


def join_form() -> None:
    st.write(
        "Join the live quiz with the code on the host's screen and the name you want on the leaderboard."
    )
    # With sign-in on: a signed-in person's seat and answers are their profile's (the core binds
    # them); a guest may join only a room whose host allows guests.
    actor = identity.current_actor()
    guest = actor is not None and actor.guest
    if guest:
        st.info(identity.GUEST_NOTE, icon=":material/person:")
        identity.sign_in_buttons("ws_signin", primary=False)  # joining is the page's main action
    elif actor is not None and actor.identity is not None:
        state.setdefault("ws_name", actor.identity.display_name[:NAME_MAX])
        st.caption(
            "Signed in: your answers count in your own study, and your workshops are listed on your profile."
        )
    if "ws_code" not in state and params.get("code"):
        state["ws_code"] = naming.normalise_code(params.get("code"))
    code = st.text_input("Join code", key="ws_code", placeholder="e.g. K7QX-3MPA")
    found = look_up(code) if code.strip() else None
    room = found if isinstance(found, RoomInfo) else None
    if isinstance(found, str):  # one message, and nothing to join
        st.warning(plain(found), icon=":material/search_off:")
    refused = guest and room is not None and not room.allow_guests
    if refused:
        st.warning(rooms.GUESTS_NOT_ALLOWED, icon=":material/login:")
    if room is not None and room.title:
        st.text(f"Room: {room.title}")
    team = None
    if room is not None and room.teams:
        choice = st.selectbox("Team", ["Any team (balanced for you)", *room.teams], key="ws_team")
        team = None if choice.startswith("Any team") else choice
    # No max_chars: a longer pasted name would vanish and the next message would say "Enter a
    # display name"; the core says how long it is and the limit instead.
    name = st.text_input("Display name", key="ws_name", placeholder="Shown on the leaderboard")
    if room is not None and room.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED):
        st.caption("A question is open: you get it with the time that is left, timed from when you see it.")
    if st.button(
        "Join",
        type="primary",
        key="ws_join",
        icon=":material/login:",
        disabled=isinstance(found, str) or refused,
    ):
        try:
            participant, token = rooms.join(engine, code, name, team, visitor=visitor(), actor=actor)
        except WorkshopError as exc:
            st.error(plain(exc), icon=":material/error:")  # may quote the typed name
            return
        state.pop(LOOKUP, None)
        state[SEAT] = participant
        params["code"] = participant.code
        params["seat"] = token
        st.rerun()


def who(p: Participant) -> None:
    st.text(
        f"You are {p.name}"
        + (f" · team {p.team}" if p.team else "")
        + f" · room {naming.display_code(p.code)}"
    )


@st.fragment(run_every=POLL)
def watch(p: Participant, drawn: tuple[int, bool]) -> None:
    """The live part. Each poll reads the process's shared pulse of the room (no query of its
    own most of the time) and compares it with the step the page was drawn for: the same, it
    draws at most the lobby's head count; different (the host moved on, the time ran out), it
    draws the whole page again, once."""
    # A poll's run does not pass through pages.run_app, which does this after every page run.
    heap.keep_collections_cheap()  # Streamlit's after-run collection, see trainer/ui/heap.py
    pulse = live.pulse(engine, p.room_id)
    if pulse.step != drawn:
        st.rerun(scope="app")
    if pulse.phase is RoomPhase.LOBBY:
        st.metric("In the room", pulse.participants)


def show_message(index: int) -> None:
    message = state.get(MESSAGE)
    if message and message[0] == index:
        st.error(plain(message[1]), icon=":material/block:")


def stem(q: QuestionSnapshot) -> None:
    """The stem in large body text (not a heading: no anchor link, and it leaves room for the options)."""
    with st.container(key="ws_stem"):
        st.markdown(q.stem)


def send(p: Participant, index: int, chosen: list[int], shown_at: datetime) -> None:
    """Submit (a button's callback): the answer is timed from when this seat was shown the question."""
    try:
        answers.submit_answer(engine, p.id, index, chosen, shown_at=shown_at)
    except WorkshopError as exc:
        state[MESSAGE] = (index, str(exc))
    else:
        state.pop(MESSAGE, None)
        state.pop(PICKED, None)


def toggle(room_id: int, index: int, option: int) -> None:
    picked = state.get(PICKED)
    chosen = set(picked[2]) if picked and picked[:2] == (room_id, index) else set()
    chosen ^= {option}
    state[PICKED] = (room_id, index, tuple(sorted(chosen)))


def open_question(p: Participant, s: RoomState) -> None:
    q, i = s.question, s.room.current
    if q is None:
        return
    if s.mine is not None:
        with st.container(border=True, key="ws_received"):
            stem(q)
            picked = ", ".join(LETTERS[j] for j in s.mine.chosen)
            st.success(
                f"Answer received ({picked}). Wait for the host to show the answer.",
                icon=":material/check_circle:",
            )
        return
    if s.time_up:
        stem(q)
        st.warning("Time's up — waiting for the host to show the answer.", icon=":material/timer_off:")
        return
    paused = s.phase is RoomPhase.PAUSED
    if paused:
        st.info("The host paused the question. You can answer when it resumes.", icon=":material/pause:")
    assert s.room.opened_at is not None  # an open or paused question has been opened
    shown = live.mark_shown(p.id, i, s.room.opened_at, s.now)
    countdown(s)
    with st.container(border=True, key="ws_question"):
        stem(q)
        show_message(i)
        if q.type == "single":
            for j, option in enumerate(q.options):
                st.button(
                    f"**{LETTERS[j]}** · {option.text}",
                    key=f"ws_opt_{j}",
                    disabled=paused,
                    width="stretch",
                    on_click=send,
                    args=(p, i, [j], shown),
                )
            return
        held = state.get(PICKED)
        chosen = list(held[2]) if held and held[:2] == (s.room.id, i) else []
        st.caption(f"Choose {q.choose}, then submit.")
        for j, option in enumerate(q.options):
            on = j in chosen
            st.button(
                f"**{LETTERS[j]}** · {option.text}",
                key=f"ws_opt_{j}",
                disabled=paused,
                width="stretch",
                type="primary" if on else "secondary",
                icon=":material/check_box:" if on else ":material/check_box_outline_blank:",
                on_click=toggle,
                args=(s.room.id, i, j),
            )
        st.button(
            f"Submit {len(chosen)} of {q.choose}",
            type="primary",
            key="ws_submit",
            disabled=paused or len(chosen) != q.choose,
            icon=":material/send:",
            on_click=send,
            args=(p, i, chosen, shown),
        )


def revealed(p: Participant, s: RoomState) -> None:
    q = s.question
    if q is None:
        return
    mine = s.mine
    if mine is None:
        st.info("You did not answer this one.", icon=":material/hourglass_disabled:")
    elif mine.correct:
        st.success(f"+{mine.points:,} points", icon=":material/celebration:")
    shown = step_cache.revealed(engine, s.room)  # the same for every page: computed once per step
    with st.container(border=True, key="ws_reveal"):
        stem(q)
        dist = shown.distribution
        assert dist is not None  # a revealed question has one
        figure = shared_figure(
            (s.room.id, shown.revision, "dist"), lambda: charts.distribution_chart(q, dist)
        )
        st.plotly_chart(figure, key="ws_dist", config=NO_TOOLBAR)
        common.question_feedback(q, set(mine.chosen) if mine else set())  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question
    standings = shown.standings
    me = next((x for x in standings if x.participant_id == p.id), None)
    if me is not None:
        st.metric("Your place", f"{me.rank} of {len(standings)}", help=f"Points so far: {me.points:,}")
    st.plotly_chart(
        charts.leaderboard_chart(standings, top=5, highlight=p.id),
        key="ws_board",
        config=NO_TOOLBAR,
    )
    if s.room.teams:
        st.plotly_chart(
            shared_figure((s.room.id, shown.revision, "teams"), lambda: charts.team_chart(shown.teams)),
            key="ws_teams",
            config=NO_TOOLBAR,
        )
    st.caption("Waiting for the next question…")


def live_view(p: Participant, s: RoomState) -> None:
    q, i = s.question, s.room.current
    if s.phase is RoomPhase.LOBBY:
        st.info("You're in! Waiting for the host to start.", icon=":material/hourglass_top:")
    elif q is not None:
        stage = "answer" if s.phase is RoomPhase.REVEALED else q.topic_title
        st.caption(f"Question {i + 1} of {s.room.total} · {stage}")
    # Compared with the shared pulse itself, so a pulse a moment older than the state drawn
    # cannot make the page redraw in a loop until it catches up. The fragment sits in a container
    # of its own: when a poll is requested while a click's full run is going (about one tap in
    # three), Streamlit drops the fragment's block from that run and the browser removes it, and
    # without the container everything below it moved up one place and the poll's block then
    # replaced the "answer received" box (its border and stem lost; tests/test_browser_workshop.py).
    with st.container(key="ws_pulse"):
        watch(p, live.pulse(engine, p.room_id).step)
    if s.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED):
        open_question(p, s)
    elif s.phase is RoomPhase.REVEALED:
        revealed(p, s)


def final_results(p: Participant, room: RoomInfo) -> None:
    st.subheader("Final results")
    final = step_cache.revealed(engine, room)  # the same for every page: computed once
    standings = final.standings
    if standings:
        figure = shared_figure((room.id, final.revision, "podium"), lambda: charts.podium_chart(standings))
        st.plotly_chart(figure, key="ws_podium", config=NO_TOOLBAR)
    me = next((x for x in standings if x.participant_id == p.id), None)
    mine = results.my_results(engine, p.id)
    if me is not None:
        place, points, right = st.columns(3)
        place.metric("Your place", f"{me.rank} of {len(standings)}")
        points.metric("Your points", f"{me.points:,}")
        right.metric("Correct", f"{me.correct} of {room.asked}")
    if room.teams:
        st.plotly_chart(
            shared_figure((room.id, final.revision, "teams"), lambda: charts.team_chart(final.teams)),
            key="ws_final_teams",
            config=NO_TOOLBAR,
        )
    st.markdown("##### Your answers")
    if room.asked < room.total:
        unasked = room.total - room.asked
        st.caption(
            f"The host ended the workshop after question {room.asked}: "
            f"{unasked} question{'s were' if unasked != 1 else ' was'} not asked."
        )
    for r in mine:
        icon = (
            ":material/check_circle:"
            if r.correct
            else (":material/cancel:" if r.chosen is not None else ":material/remove_circle_outline:")
        )
        yours = ", ".join(LETTERS[j] for j in r.chosen) if r.chosen else "no answer"
        with st.expander(
            f"{icon} Q{r.index + 1}. {r.question.stem[:90]}"
            f"{'…' if len(r.question.stem) > 90 else ''} — you: {yours}, "
            f"key: {r.question.key_letters} · {r.points:,} pts"
        ):
            common.question_feedback(r.question, set(r.chosen or ()))  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question
    study_mistakes(p, mine)
    leave_button("ws_leave", clear_code=True)


def leave_button(key: str, clear_code: bool = False) -> None:
    """Leave, after a confirmation (it sits below the answers, where a stray tap lands)."""
    with st.popover("Leave the room", icon=":material/logout:"):
        st.write("Leave this room? Your name and points stay: join again from this tab to get them back.")
        if st.button("Yes, leave", key=key, type="primary"):
            leave()
            if clear_code:
                params.pop("code", None)
            st.rerun()


def study_mistakes(p: Participant, mine: list[RoomQuestionResult]) -> None:
    cards = results.mistake_cards(mine)
    st.markdown("##### Keep learning")
    if not cards:
        st.success("No mistakes to add to your study queue — well done.", icon=":material/verified:")
        return
    wrong = sum(1 for r in mine if r.chosen is not None and not r.correct)
    st.write(
        f"You missed {wrong} question{'s' if wrong != 1 else ''}, linked to {len(cards)} "
        f"card{'s' if len(cards) != 1 else ''}. Add them to your spaced repetition so they "
        "come up first."
    )
    profile = common.current_profile()
    if profile is None:
        if not identity.is_guest():  # a guest is asked to sign in instead (profile_picker)
            st.info("Choose your study profile (or create one) first.", icon=":material/person:")
        common.profile_picker(key="ws_picker")
        return
    st.text(f"Study profile: {profile.name}")
    done = state.get("ws_added")
    if done and done[0] == (p.id, profile.id):
        st.success(
            f"{done[1]} card{'s' if done[1] != 1 else ''} moved to the front of your study queue.",
            icon=":material/playlist_add_check:",
        )
        return
    if st.button(
        "Add my mistakes to my study queue",
        type="primary",
        key="ws_add_mistakes",
        icon=":material/playlist_add:",
    ):
        moved = results.add_mistakes_to_study(engine, p.id, common.study_for(profile))
        state["ws_added"] = ((p.id, profile.id), moved)
        st.rerun()


participant = current_seat()
if participant is None:
    join_form()
    st.stop()

who(participant)
st.html(ANSWER_STYLE)
# The room as of the shared pulse, read once per step for every page of this process.
now = step_cache.room_state(engine, participant.room_id, participant_id=participant.id)
if now.phase is RoomPhase.FINISHED:
    final_results(participant, now.room)
else:
    live_view(participant, now)
    leave_button("ws_leave_live")
