"""Host a workshop: create a live quiz room, then run it from the host console.

Only the room's host secret can start, reveal, advance, pause or end the room. The secret never
sits in a URL (proxies log URLs): it is held in the host's browser session, and the address bar
carries ``?room=CODE&key=...``, a one-time host link token (``trainer.workshops.links``) that
a reload exchanges for the secret and swaps for a new one. The host can make more one-time links
to open the console on another device. A missing, used or tampered link shows an error and no
controls. (A ``?secret=`` link from before still opens the console; the secret is then taken
out of the address bar.)
The live part is a small fragment that polls the room's shared pulse (``trainer.workshops.live``)
every second: the head count and the answers so far, and the automatic reveal. The rest (the
controls, the question, the distribution and leaderboard charts) is drawn once per step, when the
pulse shows the room moved on, not every second. When the room ends, the page
shows the podium and the facilitator's report: item analysis per question and a CSV of every
answer. The first screen is ``trainer/ui/workshop_create.py``, the report
``trainer/ui/workshop_report.py``; this module is the page and the live console.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import streamlit as st

from trainer.access.permissions import AccessDenied, Action
from trainer.charts import workshops as charts
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.ui import common, heap, identity
from trainer.ui.plain import plain
from trainer.ui.workshop_create import HOSTS, create_form
from trainer.ui.workshop_live import countdown, qr_png, shared_figure
from trainer.ui.workshop_report import report_view
from trainer.workshops import host_actions, links, live, rooms, step_cache
from trainer.workshops.errors import HostOnly, WorkshopError
from trainer.workshops.model import RoomInfo, RoomPhase, RoomState
from trainer.workshops.naming import CODE_ALPHABET, display_code
from trainer.workshops.scoring import Scoring

POLL = "1s"
PARTICIPANT_PATH = "workshop"  # url_path of trainer/ui/workshop.py in app.py
HOST_PATH = "workshop-host"
NO_TOOLBAR = {"displayModeBar": False}
RELOAD_LINKS = "wh_reload_links"  # join code -> the one-time token in this session's address bar

state = st.session_state
params = st.query_params
engine = common.engine()


def base_url() -> str:
    """The app's public address: TRAINER_PUBLIC_URL when set (behind a reverse proxy), else the
    address this browser used."""
    configured = os.environ.get("TRAINER_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    try:
        parts = urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 - outside a browser session (tests)
        return ""
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def join_url(code: str) -> str:
    return f"{base_url()}/{PARTICIPANT_PATH}?{urlencode({'code': code})}"


def host_url(code: str, token: str) -> str:
    """A one-time host link (see ``trainer.workshops.links``): never the secret itself."""
    return f"{base_url()}/{HOST_PATH}?{urlencode({'room': code, 'key': token})}"


def held_secret(code: str) -> str | None:
    """The host secret of room ``code`` for this browser session: held from creating the room,
    or from exchanging the one-time link in the address bar (then spent), or from an old
    ``?secret=`` link (then taken out of the address bar)."""
    held: dict[str, str] = state.setdefault(HOSTS, {})
    if code in held:
        return held[code]
    token, legacy = params.get("key"), params.get("secret")
    if token:
        params.pop("key", None)
        _, secret = links.open_host_link(engine, code, token, actor=actor)
    elif legacy:
        params.pop("secret", None)
        secret = legacy
    else:
        return None
    held[code] = secret
    return secret


def keep_reload_link(room: RoomInfo, secret: str) -> None:
    """Put a one-time host link in the address bar, once per session, so a reload (which is a
    new session) opens the console again."""
    tokens: dict[str, str] = state.setdefault(RELOAD_LINKS, {})
    if room.code not in tokens:
        tokens[room.code] = links.issue_host_link(engine, room.id, secret, actor=actor)
    if params.get("key") != tokens[room.code]:
        params["key"] = tokens[room.code]


# -- the console -------------------------------------------------------------------------------------


def refused(message: str) -> None:
    st.error(message, icon=":material/lock:")
    st.caption(
        "Only the person who created the room has its host link. To run a workshop of your "
        "own, create a new room."
    )
    if st.button("Create a new room", key="wh_new_after_refusal", icon=":material/add_circle:"):
        params.clear()
        st.rerun()


def join_banner(room: RoomInfo, secret: str) -> None:
    code_col, qr_col, info_col = st.columns([5, 3, 4], vertical_alignment="center")
    url = join_url(room.code)
    with code_col:
        # The code is the database's, made only of CODE_ALPHABET: no user text in this HTML.
        assert set(room.code) <= set(CODE_ALPHABET)
        st.html(
            f"<div style='font-size:1rem;opacity:.7'>Join code</div>"
            f"<div class='wh-code' style='font-size:3.6rem;font-weight:800;letter-spacing:.25rem;"
            f"line-height:1.1;font-family:monospace;white-space:nowrap'>{display_code(room.code)}</div>"
        )
    with qr_col:
        st.image(qr_png(url), caption="Scan to join", width=160)
    with info_col:
        st.markdown("Join at")
        st.code(url, language=None, wrap_lines=True)
        if room.title:
            st.markdown(f"**{plain(room.title)}**")
        st.caption(
            f"{room.total} questions · {room.seconds} s each · "
            f"{'speed-weighted' if room.scoring is Scoring.SPEED else 'accuracy only'}"
            + (f" · {len(room.teams)} teams" if room.teams else "")
        )
    with st.expander(":material/key: Host link — open this console on another device"):
        st.caption(
            "A host link controls the room. It opens the console once, within "
            f"{int(links.HOST_LINK_TTL.total_seconds() // 3600)} hours: make a new one for each "
            "device. This browser keeps the console as long as this tab is open, reloads included."
        )
        if st.button("Make a one-time host link", key="wh_make_link", icon=":material/link:"):
            state["wh_link"] = (room.code, links.issue_host_link(engine, room.id, secret, actor=actor))
        made = state.get("wh_link")
        if made and made[0] == room.code:
            st.code(host_url(room.code, made[1]), language=None, wrap_lines=True)


HostAction = Callable[..., RoomInfo]  # (engine, room_id, secret, *, actor) -> the room


def act(action: HostAction, room_id: int, secret: str) -> None:
    # The core checks the secret and, with sign-in on, that this is the room's host.
    try:
        action(engine, room_id, secret, actor=actor)
    except (WorkshopError, AccessDenied) as exc:
        state["wh_message"] = str(exc)
    else:
        state.pop("wh_message", None)


def controls(s: RoomState, secret: str) -> None:
    """The host's buttons; each runs its action in a callback, before the fragment redraws."""
    room, phase = s.room, s.phase
    args = (room.id, secret)
    cols = st.columns(4)
    if phase is RoomPhase.LOBBY:
        cols[0].button(
            "Start",
            type="primary",
            key="wh_start",
            icon=":material/play_arrow:",
            disabled=s.participants == 0,
            on_click=act,
            args=(host_actions.start, *args),
            help=None if s.participants else "Wait for someone to join",
        )
    elif phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED):
        cols[0].button(
            "Reveal answer",
            type="primary",
            key="wh_reveal",
            icon=":material/visibility:",
            on_click=act,
            args=(host_actions.reveal, *args),
        )
        if phase is RoomPhase.QUESTION_OPEN:
            cols[1].button(
                "Pause",
                key="wh_pause",
                icon=":material/pause:",
                disabled=s.time_up,
                on_click=act,
                args=(host_actions.pause, *args),
            )
        else:
            cols[1].button(
                "Resume",
                key="wh_resume",
                icon=":material/play_arrow:",
                on_click=act,
                args=(host_actions.resume, *args),
            )
    elif phase is RoomPhase.REVEALED:
        label = "Finish and show the podium" if room.is_last else "Next question"
        cols[0].button(
            label,
            type="primary",
            key="wh_next",
            icon=":material/skip_next:",
            on_click=act,
            args=(host_actions.next_question, *args),
        )
    with cols[3].popover("End workshop", icon=":material/stop_circle:"):
        st.write("End now? Everyone sees the final results.")
        st.button(
            "Yes, end the workshop",
            key="wh_end",
            type="primary",
            on_click=act,
            args=(host_actions.end, *args),
        )
    if state.get("wh_message"):
        st.warning(plain(state["wh_message"]), icon=":material/info:")


def key_and_explanations(q: QuestionSnapshot) -> None:
    st.success(f"Answer: {q.key_letters}", icon=":material/check_circle:")
    with st.expander("Explanations"):
        for i, option in enumerate(q.options):
            mark = ":material/check: " if i in q.answer else ":material/close: "
            st.markdown(f"{mark}**{LETTERS[i]}. {option.text}**  \n{option.explanation}")
        common.render_references(q)  # type: ignore[arg-type]  # QuestionSnapshot duck-types Question


def lobby(room: RoomInfo) -> None:
    people = rooms.participants(engine, room.id)
    if not people:
        st.info("Waiting for participants to join with the code…", icon=":material/hourglass_top:")
        return
    with st.container(border=True, key="wh_people"):
        st.caption(f"In the room ({len(people)})")
        # Names are typed by participants: plain text only.
        st.text("  ·  ".join(p.name + (f" ({p.team})" if p.team else "") for p in people))


def question_view(s: RoomState) -> None:
    q, i = s.question, s.room.current
    if q is None:
        return
    st.caption(
        f"Question {i + 1} of {s.room.total} · {q.topic_title}"
        + (" · choose " + str(q.choose) if q.type != "single" else "")
    )
    countdown(s)
    with st.container(border=True, key="wh_question"):
        st.markdown(f"#### {q.stem}")
        for j, option in enumerate(q.options):
            st.markdown(f"**{LETTERS[j]}.** {option.text}")


def revealed_view(s: RoomState) -> None:
    q, i = s.question, s.room.current
    if q is None:
        return
    st.caption(f"Question {i + 1} of {s.room.total} · answer")
    shown = step_cache.revealed(engine, s.room)  # computed once per step, for every page
    dist = shown.distribution
    assert dist is not None  # a revealed question has one
    with st.container(border=True, key="wh_reveal"):
        st.markdown(f"#### {q.stem}")
        st.plotly_chart(
            shared_figure((s.room.id, shown.revision, "dist"), lambda: charts.distribution_chart(q, dist)),
            key="wh_dist",
            config=NO_TOOLBAR,
        )
        key_and_explanations(q)
    standings = shown.standings
    st.plotly_chart(charts.leaderboard_chart(standings, top=10), key="wh_board", config=NO_TOOLBAR)
    if s.room.teams:
        st.plotly_chart(
            shared_figure((s.room.id, shown.revision, "teams"), lambda: charts.team_chart(shown.teams)),
            key="wh_teams_chart",
            config=NO_TOOLBAR,
        )


def step(s_phase: RoomPhase, revision: int, participants: int) -> tuple[int, int]:
    """What the console's body was drawn for: the room's revision, and in the lobby the head
    count (the list of names); anything else updates in the small live fragment."""
    return (revision, participants if s_phase is RoomPhase.LOBBY else -1)


def console(room: RoomInfo, secret: str) -> None:
    join_banner(room, secret)
    st.toggle("Reveal automatically when time is up or everyone has answered", value=True, key="wh_auto")
    s = step_cache.room_state(engine, room.id)  # as of the shared pulse, read once per step
    shared = live.pulse(engine, room.id)  # what the fragment compares with (see workshop.py)
    drawn = step(shared.phase, shared.revision, shared.participants)

    @st.fragment(run_every=POLL)
    def pulse() -> None:
        """Each second: the counts, and the automatic reveal. The body below is drawn again only
        when the room moved on (or, in the lobby, someone joined)."""
        heap.keep_collections_cheap()  # as in the participant's poll (trainer/ui/workshop.py)
        now = live.pulse(engine, room.id)
        if now.should_reveal and state.get("wh_auto", True):
            try:
                host_actions.reveal(engine, room.id, secret, actor=actor)
            except WorkshopError:
                pass  # another host tab revealed it first
            st.rerun(scope="app")
        if step(now.phase, now.revision, now.participants) != drawn:
            st.rerun(scope="app")
        joined, answered, phase = st.columns(3)
        joined.metric("Participants", now.participants)
        if now.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED, RoomPhase.REVEALED):
            answered.metric("Answers", f"{now.answered} / {now.participants}")
        phase.metric("Now", now.phase.label)

    with st.container(key="wh_pulse"):  # a container of its own: see live_view in workshop.py
        pulse()
    controls(s, secret)
    if s.phase is RoomPhase.LOBBY:
        lobby(s.room)
    elif s.phase in (RoomPhase.QUESTION_OPEN, RoomPhase.PAUSED):
        question_view(s)
    elif s.phase is RoomPhase.REVEALED:
        revealed_view(s)


# -- the page ------------------------------------------------------------------------------------------------

st.title(":material/co_present: Host a workshop")
# With sign-in on, hosting is for facilitators: refused here in words, and again by the core.
actor = identity.require_action(Action.HOST_WORKSHOP)
code = params.get("room")
if not code:
    create_form(engine, common.bank())
    st.stop()
try:
    secret = held_secret(code)
    room = rooms.host_room(engine, code, secret, actor=actor)
except WorkshopError as exc:
    refused(str(exc) if isinstance(exc, HostOnly) else "That host link does not open a room.")
    st.stop()
host_secret = secret or ""  # host_room refused a missing secret
keep_reload_link(room, host_secret)
if room.phase is RoomPhase.FINISHED:
    report_view(engine, room, host_secret)
else:
    console(room, host_secret)
