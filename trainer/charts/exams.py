"""Plotly figures for the Exam practice page, built from the plain records of ``trainer.exams``
(history entries, breakdowns, readiness); no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from trainer.exams.readiness import Readiness
from trainer.exams.records import HistoryEntry
from trainer.exams.rules import MAX_SCALED, MIN_SCALED, PASS_RAW_ANCHOR, PASS_SCALED, ExamMode
from trainer.exams.scoring import Breakdown

COLORS = {
    "full": "#3b82f6",
    "short": "#a855f7",
    "practice": "#94a3b8",
    "pass": "#ef4444",
    "good": "#22c55e",
    "weak": "#f97316",
}
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 320,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def _group(entry: HistoryEntry) -> str:
    if entry.spec.mode is ExamMode.TIMED:
        return "full" if entry.spec.kind == "full" else "short"
    return "practice"


def trend_chart(history: Sequence[HistoryEntry], ready: Readiness | None = None) -> go.Figure:
    """Estimated scaled score of every finished attempt over time, with the 720 pass line."""
    fig = go.Figure()
    names = {"full": "Full mocks", "short": "Short mocks", "practice": "Review and drills"}
    for group, name in names.items():
        rows = [(n, h) for n, h in enumerate(history, start=1) if _group(h) == group]
        if not rows:
            continue
        fig.add_scatter(
            x=[n for n, _ in rows],
            y=[h.scaled for _, h in rows],
            name=name,
            mode="lines+markers" if group != "practice" else "markers",
            marker={
                "color": COLORS[group],
                "size": 9,
                "symbol": "circle" if group != "practice" else "circle-open",
            },
            line={"color": COLORS[group]},
            customdata=[
                [h.correct, h.total, round(h.raw * 100), f"{h.submitted_at:%d %b %Y %H:%M} UTC"]
                for _, h in rows
            ],
            hovertemplate="Attempt %{x}: %{y} (estimate)<br>%{customdata[0]}/%{customdata[1]} "
            "correct (%{customdata[2]}%)<br>%{customdata[3]}<extra>" + name + "</extra>",
        )
    if ready is not None:
        fig.add_hrect(
            y0=ready.low,
            y1=ready.high,
            fillcolor=COLORS["full"],
            opacity=0.12,
            line_width=0,
            annotation_text="readiness, 95 % interval",
            annotation_position="top left",
        )
    fig.add_hline(
        y=PASS_SCALED,
        line={"color": COLORS["pass"], "dash": "dash"},
        annotation_text="720 pass line",
        annotation_position="bottom right",
    )
    fig.update_layout(title="Estimated scaled score per attempt", **_LAYOUT)
    fig.update_xaxes(
        title="attempt (oldest first)", tickmode="linear", dtick=1, range=[0.5, max(len(history), 1) + 0.5]
    )
    fig.update_yaxes(title="scaled score (estimate)", range=[MIN_SCALED, MAX_SCALED])
    return fig


def breakdown_chart(rows: Sequence[Breakdown], title: str) -> go.Figure:
    """Share correct per domain or topic as horizontal bars, with the estimated pass level."""
    names = [r.title for r in rows]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=[r.pct for r in rows],
            orientation="h",
            marker_color=[COLORS["good"] if r.pct >= PASS_RAW_ANCHOR * 100 else COLORS["weak"] for r in rows],
            text=[f"{r.correct}/{r.total} ({r.pct:.0f} %)" for r in rows],
            cliponaxis=False,
            textposition=["inside" if r.pct >= 60 else "outside" for r in rows],
            insidetextanchor="end",
            hovertemplate="%{y}: %{x:.0f} %<extra></extra>",
        )
    )
    fig.add_vline(
        x=PASS_RAW_ANCHOR * 100,
        line={"color": COLORS["pass"], "dash": "dot"},
        annotation_text="≈ pass level",
        annotation_position="top",
    )
    fig.update_layout(title=title, showlegend=False, **{**_LAYOUT, "height": max(220, 44 * len(rows) + 90)})
    fig.update_xaxes(title="% correct", range=[0, 105], tickvals=[0, 25, 50, 75, 100])
    fig.update_yaxes(autorange="reversed")
    return fig
