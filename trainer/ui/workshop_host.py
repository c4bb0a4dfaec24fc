"""Host a workshop: create a live quiz room, then run it from the host console.

The console is reached with ``?room=CODE&secret=...``: only that secret can start, reveal,
advance, pause or end the room; a missing or tampered secret shows an error and no controls.
The live part is a fragment that polls the room through the core every second, so answers given
on other devices (and other app servers) show up without reloading. When the room ends, the page
shows the podium and the facilitator's report: item analysis per question and a CSV of every
answer.
"""

from __future__ import annotations

import os
from urllib.parse import urlencode, urlsplit

import pandas as pd
import streamlit as st

from trainer.charts import workshops as charts
from trainer.content.model import Domain
from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.ui import common
from trainer.workshops import rooms as ws

POLL = "1s"
PARTICIPANT_PATH = "workshop"  # url_path of trainer/ui/workshop.py in app.py
HOST_PATH = "workshop-host"
TIMERS = [10, 15, 20, 30, 45, 60, 90, 120]
SOURCES = {"Topic": "topic", "Concept": "concept", "Exam domain": "domain",
           "Hand-picked questions": "questions"}

state = st.session_state
params = st.query_params
engine = common.engine()
content = common.bank()


def md_escape(text: str) -> str:
    """Host-typed text (a room title) for markdown: every punctuation character escaped."""
    return "".join("\\" + ch if ch in "\\`*_{}[]()<>#+-.!|~:$=&\"'" else ch for ch in text)


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


def host_url(code: str, secret: str) -> str:
    return f"{base_url()}/{HOST_PATH}?{urlencode({'room': code, 'secret': secret})}"


# -- creating a room ------------------------------------------------------------------------------


def question_label(qid: str) -> str:
    q = content.questions[qid]
    stem = q.stem if len(q.stem) <= 90 else q.stem[:89] + "…"
    return f"{stem} ({content.topic_title(q.topic)})"


def create_form() -> None:
    st.write("Run a live quiz for a team: everyone answers on their own laptop or phone, "
             "a leaderboard after each question, and a report of which questions taught and which "
             "confused.")
    common.show_skipped_files(content)
    if not content.questions:
        st.warning("There are no questions in the content yet.", icon=":material/warning:")
        return
    kind = SOURCES[st.segmented_control("Questions from", list(SOURCES), default="Topic",
                                        key="wh_kind") or "Topic"]
    source = None
    def available(kind: str, value: str) -> int:
        return len(ws.candidates(content, ws.Source(kind, value)))

    if kind == "topic":
        topics = [t for t in content.topics if available("topic", t)]
        value = st.selectbox("Topic", topics, key="wh_topic", format_func=lambda t: (
            f"{content.topic_title(t)} ({available('topic', t)} questions)"))
        source = ws.Source("topic", value) if value else None
    elif kind == "concept":
        concepts = sorted((c for c in content.concepts if available("concept", c)),
                          key=lambda c: content.concepts[c].name.lower())
        value = st.selectbox("Concept", concepts, key="wh_concept", format_func=lambda c: (
            f"{content.concepts[c].name} ({available('concept', c)} questions)"))
        source = ws.Source("concept", value) if value else None
    elif kind == "domain":
        value = st.selectbox("Exam domain", [d.value for d in Domain], key="wh_domain",
                             format_func=lambda d: f"{Domain(d).title} ({available('domain', d)} questions)")
        source = ws.Source("domain", value) if value else None
    else:
        picked = st.multiselect("Questions, in the order to ask them", sorted(content.questions),
                                format_func=question_label, key="wh_picked",
                                max_selections=ws.MAX_QUESTIONS,
                                placeholder="Search the stems and pick questions")
        source = ws.Source("questions", question_ids=tuple(picked)) if picked else None
    pool = ws.candidates(content, source) if source else []
    left, right = st.columns(2)
    with left:
        if kind != "questions" and pool:
            most = min(len(pool), ws.MAX_QUESTIONS)
            count = st.number_input("Number of questions", 1, most, min(10, most), key="wh_count",
                                    help=f"Drawn at random from the {len(pool)} available.")
        else:
            count = len(pool)
        seconds = st.select_slider("Timer per question (seconds)", TIMERS, value=20, key="wh_timer")
    with right:
        scoring = st.radio("Scoring", list(ws.Scoring), format_func=lambda s: s.title, key="wh_scoring",
                           help="Speed-weighted is Kahoot's rule: a correct answer earns 1000 × "
                                "(1 − (t/T)/2), at least 500. Accuracy only: 1000 per correct answer.")
        teams_on = st.toggle("Play in teams", key="wh_teams_on",
                             help="A team's score is the average of its members' points.")
        teams: list[str] = []
        if teams_on:
            raw = st.text_input("Team names (comma-separated)", "Red, Blue", key="wh_teams")
            teams = [t for t in (x.strip() for x in raw.split(",")) if t]
    title = st.text_input("Title shown to participants (optional)", key="wh_title",
                          max_chars=ws.TITLE_MAX, placeholder=source.label(content) if source else "")
    if st.button("Create room", type="primary", key="wh_create", icon=":material/add_circle:",
                 disabled=not pool):
        try:
            questions = ws.select_questions(content, source, int(count))
            room, secret = ws.create_room(engine, questions, seconds=int(seconds), scoring=scoring,
                                          teams=teams, title=title or source.label(content),
                                          source=source, bank=content)
        except ws.WorkshopError as exc:
            st.error(str(exc), icon=":material/error:")
            return
        params.from_dict({"room": room.code, "secret": secret})
        st.rerun()


# -- the console -------------------------------------------------------------------------------------


def refused(message: str) -> None:
    st.error(message, icon=":material/lock:")
    st.caption("Only the person who created the room has its host link. To run a workshop of your "
               "own, create a new room.")
    if st.button("Create a new room", key="wh_new_after_refusal", icon=":material/add_circle:"):
        params.clear()
        st.rerun()


def join_banner(room: ws.RoomInfo, secret: str) -> None:
    code_col, info_col = st.columns([3, 2], vertical_alignment="center")
    with code_col:
        # The code is the database's, made only of CODE_ALPHABET: no user text in this HTML.
        assert set(room.code) <= set(ws.CODE_ALPHABET)
        st.html(f"<div style='font-size:1rem;opacity:.7'>Join code</div>"
                f"<div class='wh-code' style='font-size:5.5rem;font-weight:800;letter-spacing:.5rem;"
                f"line-height:1.1;font-family:monospace'>{room.code}</div>")
    with info_col:
        url = join_url(room.code)
        st.markdown("Join at")
        st.code(url, language=None, wrap_lines=True)
        if room.title:
            st.markdown(f"**{md_escape(room.title)}**")
        st.caption(f"{room.total} questions · {room.seconds} s each · "
                   f"{'speed-weighted' if room.scoring is ws.Scoring.SPEED else 'accuracy only'}"
                   + (f" · {len(room.teams)} teams" if room.teams else ""))
    with st.expander(":material/key: Host link — keep it private; it controls the room"):
        st.code(host_url(room.code, secret), language=None, wrap_lines=True)


def act(action, room_id: int, secret: str) -> None:
    try:
        action(engine, room_id, secret)
    except ws.WorkshopError as exc:
        state["wh_message"] = str(exc)
    else:
        state.pop("wh_message", None)


def controls(s: ws.RoomState, secret: str) -> None:
    """The host's buttons; each runs its action in a callback, before the fragment redraws."""
    room, phase = s.room, s.phase
    args = (room.id, secret)
    cols = st.columns(4)
    if phase is ws.RoomPhase.LOBBY:
        cols[0].button("Start", type="primary", key="wh_start", icon=":material/play_arrow:",
                       disabled=s.participants == 0, on_click=act, args=(ws.start, *args),
                       help=None if s.participants else "Wait for someone to join")
    elif phase in (ws.RoomPhase.QUESTION_OPEN, ws.RoomPhase.PAUSED):
        cols[0].button("Reveal answer", type="primary", key="wh_reveal", icon=":material/visibility:",
                       on_click=act, args=(ws.reveal, *args))
        if phase is ws.RoomPhase.QUESTION_OPEN:
            cols[1].button("Pause", key="wh_pause", icon=":material/pause:", disabled=s.time_up,
                           on_click=act, args=(ws.pause, *args))
        else:
            cols[1].button("Resume", key="wh_resume", icon=":material/play_arrow:",
                           on_click=act, args=(ws.resume, *args))
    elif phase is ws.RoomPhase.REVEALED:
        label = "Finish and show the podium" if room.is_last else "Next question"
        cols[0].button(label, type="primary", key="wh_next", icon=":material/skip_next:",
                       on_click=act, args=(ws.next_question, *args))
    with cols[3].popover("End workshop", icon=":material/stop_circle:"):
        st.write("End now? Everyone sees the final results.")
        st.button("Yes, end the workshop", key="wh_end", type="primary", on_click=act,
                  args=(ws.end, *args))
    if state.get("wh_message"):
        st.warning(state["wh_message"], icon=":material/info:")


def key_and_explanations(q: QuestionSnapshot) -> None:
    st.success(f"Answer: {q.key_letters}", icon=":material/check_circle:")
    with st.expander("Explanations"):
        for i, option in enumerate(q.options):
            mark = ":material/check: " if i in q.answer else ":material/close: "
            st.markdown(f"{mark}**{LETTERS[i]}. {option.text}**  \n{option.explanation}")
        common.render_references(q)


def lobby(room: ws.RoomInfo) -> None:
    people = ws.participants(engine, room.id)
    if not people:
        st.info("Waiting for participants to join with the code…", icon=":material/hourglass_top:")
        return
    frame = pd.DataFrame({"Name": [p.name for p in people]})
    if room.teams:
        frame["Team"] = [p.team for p in people]
    st.dataframe(frame, hide_index=True, key="wh_people", height=min(400, 38 + 35 * len(people)))


def question_view(s: ws.RoomState) -> None:
    q, i = s.question, s.room.current
    st.caption(f"Question {i + 1} of {s.room.total} · {q.topic_title}"
               + (" · choose " + str(q.choose) if q.type != "single" else ""))
    left = s.remaining
    if left is not None:
        secs = int(left.total_seconds() + 0.999)
        label = "paused" if s.phase is ws.RoomPhase.PAUSED else ("time's up" if s.time_up else "left")
        st.progress(min(1.0, left.total_seconds() / s.room.seconds),
                    text=f":material/timer: {secs} s {label}")
    with st.container(border=True, key="wh_question"):
        st.markdown(f"#### {q.stem}")
        for j, option in enumerate(q.options):
            st.markdown(f"**{LETTERS[j]}.** {option.text}")


def revealed_view(s: ws.RoomState) -> None:
    q, i = s.question, s.room.current
    st.caption(f"Question {i + 1} of {s.room.total} · answer")
    with st.container(border=True, key="wh_reveal"):
        st.markdown(f"#### {q.stem}")
        st.plotly_chart(charts.distribution_chart(q, ws.distribution(engine, s.room.id, i)),
                        key="wh_dist", config={"displayModeBar": False})
        key_and_explanations(q)
    standings = ws.leaderboard(engine, s.room.id)
    st.plotly_chart(charts.leaderboard_chart(standings, top=10), key="wh_board",
                    config={"displayModeBar": False})
    if s.room.teams:
        st.plotly_chart(charts.team_chart(ws.team_scores(engine, s.room.id, standings)),
                        key="wh_teams_chart", config={"displayModeBar": False})


def console(room: ws.RoomInfo, secret: str) -> None:
    join_banner(room, secret)
    st.toggle("Reveal automatically when time is up or everyone has answered", value=True,
              key="wh_auto")

    @st.fragment(run_every=POLL)
    def live() -> None:
        s = ws.room_state(engine, room.id)
        if s.phase is ws.RoomPhase.FINISHED:
            st.rerun(scope="app")
        if s.should_reveal and state.get("wh_auto", True):
            try:
                ws.reveal(engine, room.id, secret)
            except ws.WorkshopError:
                pass  # another host tab revealed it first
            s = ws.room_state(engine, room.id)
        joined, answered, phase = st.columns(3)
        joined.metric("Participants", s.participants)
        if s.phase in (ws.RoomPhase.QUESTION_OPEN, ws.RoomPhase.PAUSED, ws.RoomPhase.REVEALED):
            answered.metric("Answers", f"{s.answered} / {s.participants}")
        phase.metric("Now", s.phase.title)
        controls(s, secret)
        if s.phase is ws.RoomPhase.LOBBY:
            lobby(s.room)
        elif s.phase in (ws.RoomPhase.QUESTION_OPEN, ws.RoomPhase.PAUSED):
            question_view(s)
        elif s.phase is ws.RoomPhase.REVEALED:
            revealed_view(s)

    live()


# -- the report -------------------------------------------------------------------------------------------


FLAG_LABELS = {"too_easy": "too easy", "too_hard": "too hard", "check_key": "check the key",
               "distractor_attracts_top": "distractor attracts top half"}


def fmt(value: float | None, pattern: str) -> str:
    return "n/a" if value is None else format(value, pattern)


def report_view(room: ws.RoomInfo, secret: str) -> None:
    st.subheader(f"Workshop {room.code} — finished")
    standings = ws.leaderboard(engine, room.id)
    if standings:
        st.plotly_chart(charts.podium_chart(standings), key="wh_podium", config={"displayModeBar": False})
        left, right = st.columns(2)
        with left:
            st.plotly_chart(charts.leaderboard_chart(standings, top=15), key="wh_final_board",
                            config={"displayModeBar": False})
        if room.teams:
            with right:
                st.plotly_chart(charts.team_chart(ws.team_scores(engine, room.id, standings)),
                                key="wh_final_teams", config={"displayModeBar": False})
    rep = ws.report(engine, room.id, secret)
    st.subheader("Report: which questions taught and which confused")
    n1, n2, n3, n4 = st.columns(4)
    n1.metric("Participants", rep.participants)
    n2.metric("Answered at least once", rep.respondents)
    n3.metric("Answers", rep.answers)
    n4.metric("Questions flagged", len(rep.flagged))
    st.caption("Difficulty p = share correct (0.30–0.79 is the useful range). Discrimination r_pb = "
               "point-biserial correlation of the question with the total score (0.30 or more is "
               "good; negative usually means a wrong key). With few participants these figures "
               "are unstable: N is shown beside each.")
    rows = []
    for item in rep.items:
        s = item.stats
        rows.append({
            "Q": item.index + 1,
            "N": s.n,
            "Difficulty p": s.p,
            "Discrimination r_pb": s.r_pb,
            "Flags": " · ".join(FLAG_LABELS.get(f.code, f.code) for f in s.flags if f.warning) or "—",
            "Question": item.question.stem[:100] + ("…" if len(item.question.stem) > 100 else ""),
        })
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="wh_items", column_config={
        "Difficulty p": st.column_config.NumberColumn(format="%.2f"),
        "Discrimination r_pb": st.column_config.NumberColumn(format="%.2f"),
    })
    if any(i.stats.p is not None for i in rep.items):
        st.plotly_chart(charts.item_map_chart(rep.items), key="wh_item_map",
                        config={"displayModeBar": False})
    for item in rep.items:
        s = item.stats
        warn = any(f.warning for f in s.flags)
        icon = ":material/flag:" if warn else ":material/check_circle:"
        with st.expander(f"{icon} Q{item.index + 1}. {item.question.stem[:90]} "
                         f"— p {fmt(s.p, '.2f')}, r_pb {fmt(s.r_pb, '.2f')}, N {s.n}"):
            a, b, c = st.columns(3)
            a.metric("Difficulty p", fmt(s.p, ".2f"), help=f"{s.correct} of N = {s.n} correct")
            b.metric("Discrimination r_pb", fmt(s.r_pb, ".2f"), help=f"N = {s.n}")
            c.metric("Top / bottom half", f"{s.n_top} / {s.n_bottom}",
                     help="How many of the top and bottom halves (by total score) answered")
            for flag in s.flags:
                (st.warning if flag.warning else st.info)(flag.message)
            st.dataframe(pd.DataFrame([{
                "Option": f"{LETTERS[o.index]}{' (key)' if o.is_key else ''}",
                "Text": item.question.options[o.index].text,
                f"All (N = {s.n})": o.chosen,
                f"Top half (N = {s.n_top})": o.top,
                f"Bottom half (N = {s.n_bottom})": o.bottom,
            } for o in s.options]), hide_index=True, key=f"wh_distractors_{item.index}")
    st.download_button("Download every answer (CSV)", ws.answers_csv(engine, room.id, secret),
                       file_name=f"workshop-{room.code}.csv", mime="text/csv", key="wh_csv",
                       icon=":material/download:", on_click="ignore")
    if st.button("Create another room", key="wh_again", icon=":material/add_circle:"):
        params.clear()
        st.rerun()


# -- the page ------------------------------------------------------------------------------------------------

st.title(":material/co_present: Host a workshop")
code, secret = params.get("room"), params.get("secret")
if not code and not secret:
    create_form()
    st.stop()
try:
    room = ws.host_room(engine, code or "", secret)
except ws.WorkshopError as exc:
    refused(str(exc))
    st.stop()
if room.phase is ws.RoomPhase.FINISHED:
    report_view(room, secret)
else:
    console(room, secret)
