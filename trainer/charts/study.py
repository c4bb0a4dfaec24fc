"""Plotly figures for the Progress page, built from plain data in ``trainer.study.stats``."""

from __future__ import annotations

from collections import Counter
from datetime import date

import plotly.graph_objects as go

from trainer.study.stats import TopicRetention

# One palette for the whole app (Anki's colours for new / learning / review).
COLORS = {
    "new": "#3b82f6",
    "learning": "#ef4444",
    "relearning": "#f97316",
    "review": "#22c55e",
    "cram": "#a855f7",
}
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "height": 320,
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
    "plot_bgcolor": "rgba(0,0,0,0)",
}


def reviews_chart(per_day: dict[date, Counter]) -> go.Figure:
    days = list(per_day)
    fig = go.Figure()
    for state, label in (
        ("new", "New"),
        ("learning", "Learning"),
        ("relearning", "Relearning"),
        ("review", "Review"),
        ("cram", "Practice ahead"),
    ):
        fig.add_bar(x=days, y=[per_day[d][state] for d in days], name=label, marker_color=COLORS[state])
    fig.update_layout(barmode="stack", title="Answers per day (last 30 days)", **_LAYOUT)
    fig.update_yaxes(title="answers", rangemode="tozero")
    return fig


def forecast_chart(forecast: dict[date, int]) -> go.Figure:
    days = list(forecast)
    fig = go.Figure(go.Bar(x=days, y=list(forecast.values()), marker_color=COLORS["review"], name="due"))
    fig.update_layout(title="Due in the next 30 days", **_LAYOUT)
    fig.update_yaxes(title="cards due", rangemode="tozero")
    return fig


def retention_chart(rows: list[TopicRetention], titles: dict[str, str]) -> go.Figure:
    names = [titles.get(r.topic, r.topic) for r in rows]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[(r.retention or 0) * 100 for r in rows],
        orientation="h",
        name="Actual retention",
        marker_color=COLORS["review"],
        text=[f"{r.retention:.0%} of {r.reviews}" if r.reviews else "no reviews yet" for r in rows],
        textposition="auto",
    )
    fig.add_bar(
        y=names,
        x=[(r.predicted_recall or 0) * 100 for r in rows],
        orientation="h",
        name="Predicted recall now",
        marker_color=COLORS["new"],
        text=[f"{r.predicted_recall:.0%}" if r.predicted_recall is not None else "" for r in rows],
        textposition="auto",
    )
    fig.update_layout(
        barmode="group", title="Retention by topic", **{**_LAYOUT, "height": max(320, 60 * len(rows) + 80)}
    )
    fig.update_xaxes(title="%", range=[0, 100])
    fig.update_yaxes(autorange="reversed")
    return fig
