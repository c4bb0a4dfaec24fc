"""Workshop (participant): join a live quiz room with its code and a display name, then answer
on your own device. A fragment polls the room through the core every 2 seconds and redraws the
page when the host moves on, so it follows the room without reloading. ``?code=XXXX-XXXX`` in the
URL fills in the code.

The seat is held in the browser session (``st.session_state``). The URL carries a one-time
rejoin token (``&seat=...``) so a reload (a new session) gets the seat back; the token is swapped
for a new one at each use and expires, so one seen in a proxy log or a history is dead. Typed
codes are rate-limited per session and client address (``trainer.workshops.throttle``), and a
session holds one seat per room unless the host allows more.

Display names are always rendered as plain text (``st.text``, dataframes, escaped charts).
"""

from __future__ import annotations

import os
import secrets

import streamlit as st

from trainer.charts import workshops as charts
from trainer.content.snapshot import LETTERS
from trainer.ui import common
from trainer.workshops import answers, naming, results, rooms
from trainer.workshops.errors import WorkshopError
from trainer.workshops.model import Participant, RoomInfo, RoomPhase, RoomQuestionResult, RoomState
from trainer.workshops.naming import NAME_MAX
from trainer.workshops.throttle import Visitor


# How often the live view asks the database where the room is. Each poll costs the server a
# fragment rerun; big rooms on few cores can poll less often (see docs/team-deployment.md).
def _poll_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("TRAINER_WORKSHOP_POLL_SECONDS") or 2))
    except ValueError:
        return 2.0


POLL = _poll_seconds()
SEAT = "workshop_seat"
MESSAGE = "workshop_message"
VISITOR = "workshop_visitor"  # this browser session's random key (rate limit, seat holder)
LOOKUP = "workshop_lookup"  # (code, room or message) of the last code looked up
NO_TOOLBAR = {"displayModeBar": False}

state = st.session_state
params = st.query_params
engine = common.engine()

st.title(":material/groups: Workshop")


def leave() -> None:
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
            seat, fresh = rooms.rejoin(engine, code, token, visitor())
        except WorkshopError as exc:
            params.pop("seat", None)
            st.warning(str(exc), icon=":material/person_off:")
            return None
        state[SEAT] = seat
        params["seat"] = fresh
    return seat


def look_up(code: str) -> RoomInfo | None:
    """The room for a typed code, looked up once per code (every rerun of the form would
    otherwise count the same wrong code again against the rate limit)."""
    typed = naming.normalise_code(code)
    last = state.get(LOOKUP)
    if last is None or last[0] != typed:
        try:
            found: RoomInfo | str = rooms.find_room(engine, typed, visitor())
        except WorkshopError as exc:
            found = str(exc)
        last = state[LOOKUP] = (typed, found)
    if isinstance(last[1], str):
        st.warning(last[1], icon=":material/search_off:")
        return None
    return last[1]


def join_form() -> None:
    st.write(
        "Join the live quiz with the code on the host's screen and the name you want on the leaderboard."
    )
    if "ws_code" not in state and params.get("code"):
        state["ws_code"] = naming.normalise_code(params.get("code"))
    code = st.text_input("Join code", max_chars=12, key="ws_code", placeholder="e.g. K7QX-3MPA")
    room = look_up(code) if code.strip() else None
    if room is not None and room.title:
        st.text(f"Room: {room.title}")
    team = None
    if room is not None and room.teams:
        choice = st.selectbox("Team", ["Any team (balanced for you)", *room.teams], key="ws_team")
        team = None if choice.startswith("Any team") else choice
    name = st.text_input(
        "Display name", max_chars=NAME_MAX, key="ws_name", placeholder="Shown on the leaderboard"
    )
    if st.button("Join", type="primary", key="ws_join", icon=":material/login:"):
        try:
            participant, token = rooms.join(engine, code, name, team, visitor=visitor())
        except WorkshopError as exc:
            st.error(str(exc), icon=":material/error:")
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


def countdown(s: RoomState) -> None:
    left = s.remaining
    if left is None:
        return
    secs = int(left.total_seconds() + 0.999)
    paused = " (paused)" if s.phase is RoomPhase.PAUSED else ""
    st.progress(
        min(1.0, left.total_seconds() / s.room.seconds), text=f":material/timer: {secs} s left{paused}"
    )


def drawn_key(s: RoomState) -> tuple:
    """What the page was drawn for: when any of it changes, the page is drawn again."""
    return (s.room.revision, s.time_up, s.mine is not None)


@st.fragment(run_every=POLL)
def watch(p: Participant, drawn: tuple) -> None:
    """The live part: polls the room through the core. It redraws only the small things that
    change on their own (the countdown, who is in the lobby); when the host moves the room on
    (or the time runs out) it redraws the whole page, so charts and forms are built once per
    step rather than at every poll."""
    s = rooms.room_state(engine, p.room_id, participant_id=p.id)
    if drawn_key(s) != drawn:
        st.rerun(scope="app")
    if s.phase is RoomPhase.LOBBY:
        st.metric("In the room", s.participants)
    elif s.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED) and s.mine is None:
        countdown(s)


def show_message(index: int) -> None:
    message = state.get(MESSAGE)
    if message and message[0] == index:
        st.error(message[1], icon=":material/block:")


def open_question(p: Participant, s: RoomState) -> None:
    q, i = s.question, s.room.current
    if q is None:
        return
    if s.mine is not None:
        with st.container(border=True, key="ws_received"):
            st.markdown(f"#### {q.stem}")
            picked = ", ".join(LETTERS[j] for j in s.mine.chosen)
            st.success(
                f"Answer received ({picked}). Wait for the host to show the answer.",
                icon=":material/check_circle:",
            )
        return
    if s.time_up:
        st.markdown(f"#### {q.stem}")
        st.warning("Time's up — waiting for the host to show the answer.", icon=":material/timer_off:")
        return
    paused = s.phase is RoomPhase.PAUSED
    if paused:
        st.info("The host paused the question. You can answer when it resumes.", icon=":material/pause:")
    with st.container(border=True, key="ws_question"):
        chosen = common.question_form(q, key=f"ws{s.room.id}_{i}", disabled=paused)  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question
        show_message(i)
        if st.button(
            "Submit answer", type="primary", key="ws_submit", disabled=paused, icon=":material/send:"
        ):
            try:
                answers.submit_answer(engine, p.id, i, chosen)
            except WorkshopError as exc:
                state[MESSAGE] = (i, str(exc))
            else:
                state.pop(MESSAGE, None)
            st.rerun()


def revealed(p: Participant, s: RoomState) -> None:
    q, i = s.question, s.room.current
    if q is None:
        return
    mine = s.mine
    if mine is None:
        st.info("You did not answer this one.", icon=":material/hourglass_disabled:")
    elif mine.correct:
        st.success(f"+{mine.points:,} points", icon=":material/celebration:")
    with st.container(border=True, key="ws_reveal"):
        st.markdown(f"#### {q.stem}")
        dist = results.distribution(engine, s.room.id, i)
        st.plotly_chart(charts.distribution_chart(q, dist), key="ws_dist", config=NO_TOOLBAR)
        common.question_feedback(q, set(mine.chosen) if mine else set())  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question
    standings = results.leaderboard(engine, s.room.id)
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
            charts.team_chart(results.team_scores(engine, s.room.id, standings)),
            key="ws_teams",
            config=NO_TOOLBAR,
        )
    st.caption("Waiting for the next question…")


def live(p: Participant, s: RoomState) -> None:
    q, i = s.question, s.room.current
    if s.phase is RoomPhase.LOBBY:
        st.info("You're in! Waiting for the host to start.", icon=":material/hourglass_top:")
    elif q is not None:
        stage = "answer" if s.phase is RoomPhase.REVEALED else q.topic_title
        st.caption(f"Question {i + 1} of {s.room.total} · {stage}")
    watch(p, drawn_key(s))
    if s.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED):
        open_question(p, s)
    elif s.phase is RoomPhase.REVEALED:
        revealed(p, s)


def final_results(p: Participant) -> None:
    st.subheader("Final results")
    standings = results.leaderboard(engine, p.room_id)
    room = rooms.get_room(engine, p.room_id)
    if standings:
        st.plotly_chart(charts.podium_chart(standings), key="ws_podium", config=NO_TOOLBAR)
    me = next((x for x in standings if x.participant_id == p.id), None)
    mine = results.my_results(engine, p.id)
    if me is not None:
        place, points, right = st.columns(3)
        place.metric("Your place", f"{me.rank} of {len(standings)}")
        points.metric("Your points", f"{me.points:,}")
        right.metric("Correct", f"{me.correct} of {room.total}")
    if room.teams:
        st.plotly_chart(
            charts.team_chart(results.team_scores(engine, p.room_id, standings)),
            key="ws_final_teams",
            config=NO_TOOLBAR,
        )
    st.markdown("##### Your answers")
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
    if st.button("Leave the room", key="ws_leave", icon=":material/logout:"):
        leave()
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
now = rooms.room_state(engine, participant.room_id, participant_id=participant.id)
if now.phase is RoomPhase.FINISHED:
    final_results(participant)
else:
    live(participant, now)
    if st.button("Leave the room", key="ws_leave_live", type="tertiary", icon=":material/logout:"):
        leave()
        st.rerun()
