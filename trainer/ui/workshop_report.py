"""The host page after the end: the podium, the final leaderboard and the facilitator's report
(item analysis per question, a distractor table for each, and a CSV of every answer)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from sqlalchemy.engine import Engine

from trainer.charts import workshops as charts
from trainer.content.snapshot import LETTERS
from trainer.ui import identity
from trainer.workshops import analysis, results
from trainer.workshops.model import QuestionAnalysis, RoomInfo, RoomReport

NO_TOOLBAR = {"displayModeBar": False}
FLAG_LABELS = {
    "too_easy": "too easy",
    "too_hard": "too hard",
    "check_key": "check the key",
    "distractor_attracts_top": "distractor attracts top half",
}


def fmt(value: float | None, pattern: str) -> str:
    return "n/a" if value is None else format(value, pattern)


def podium(engine: Engine, room: RoomInfo) -> None:
    standings = results.leaderboard(engine, room.id)
    if not standings:
        return
    st.plotly_chart(charts.podium_chart(standings), key="wh_podium", config=NO_TOOLBAR)
    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.leaderboard_chart(standings, top=15), key="wh_final_board", config=NO_TOOLBAR)
    if room.teams:
        with right:
            st.plotly_chart(
                charts.team_chart(results.team_scores(engine, room.id, standings)),
                key="wh_final_teams",
                config=NO_TOOLBAR,
            )


def items_table(rep: RoomReport) -> None:
    rows: list[dict[str, Any]] = []
    for item in rep.items:
        s = item.stats
        rows.append(
            {
                "Q": item.index + 1,
                "N": s.n,
                # Text, so an undefined figure reads "n/a" as in the expanders (not a raw "None").
                "Difficulty p": fmt(s.p, ".2f"),
                "Discrimination r_pb": fmt(s.r_pb, ".2f"),
                "Flags": " · ".join(FLAG_LABELS.get(f.code, f.code) for f in s.flags if f.warning) or "—",
                "Question": item.question.stem[:100] + ("…" if len(item.question.stem) > 100 else ""),
            }
        )
    st.dataframe(
        rows,
        hide_index=True,
        key="wh_items",
    )


def item_details(item: QuestionAnalysis) -> None:
    s = item.stats
    warn = any(f.warning for f in s.flags)
    icon = ":material/flag:" if warn else ":material/check_circle:"
    with st.expander(
        f"{icon} Q{item.index + 1}. {item.question.stem[:90]} "
        f"— p {fmt(s.p, '.2f')}, r_pb {fmt(s.r_pb, '.2f')}, N {s.n}"
    ):
        a, b, c = st.columns(3)
        a.metric("Difficulty p", fmt(s.p, ".2f"), help=f"{s.correct} of N = {s.n} correct")
        b.metric("Discrimination r_pb", fmt(s.r_pb, ".2f"), help=f"N = {s.n}")
        c.metric(
            "Top / bottom half",
            f"{s.n_top} / {s.n_bottom}",
            help="How many of the top and bottom halves (by total score) answered",
        )
        for flag in s.flags:
            (st.warning if flag.warning else st.info)(flag.message)
        st.dataframe(
            [
                {
                    "Option": f"{LETTERS[o.index]}{' (key)' if o.is_key else ''}",
                    "Text": item.question.options[o.index].text,
                    f"All (N = {s.n})": o.chosen,
                    f"Top half (N = {s.n_top})": o.top,
                    f"Bottom half (N = {s.n_bottom})": o.bottom,
                }
                for o in s.options
            ],
            hide_index=True,
            key=f"wh_distractors_{item.index}",
        )


def report_view(engine: Engine, room: RoomInfo, secret: str) -> None:
    st.subheader(f"Workshop {room.code} — finished")
    podium(engine, room)
    rep = analysis.report(engine, room.id, secret, actor=identity.current_actor())
    st.subheader("Report: which questions taught and which confused")
    if room.asked < room.total:
        st.caption(
            f"Ended after question {room.asked} of {room.total}: the questions not asked are left out."
        )
    n1, n2, n3, n4 = st.columns(4)
    n1.metric("Participants", rep.participants)
    n2.metric("Answered at least once", rep.respondents)
    n3.metric("Answers", rep.answers)
    n4.metric("Questions flagged", len(rep.flagged))
    st.caption(
        "Difficulty p = share correct (0.30–0.79 is the useful range). Discrimination r_pb = "
        "point-biserial correlation of the question with the total score (0.30 or more is "
        "good; negative usually means a wrong key). With few participants these figures "
        "are unstable: N is shown beside each."
    )
    items_table(rep)
    if any(i.stats.p is not None for i in rep.items):
        st.plotly_chart(charts.item_map_chart(rep.items), key="wh_item_map", config=NO_TOOLBAR)
    for item in rep.items:
        item_details(item)
    st.download_button(
        "Download every answer (CSV)",
        analysis.answers_csv(engine, room.id, secret, actor=identity.current_actor()),
        file_name=f"workshop-{room.code}.csv",
        mime="text/csv",
        key="wh_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    if st.button("Create another room", key="wh_again", icon=":material/add_circle:"):
        st.query_params.clear()
        st.rerun()
