"""Plotly figures for the team pages, built from trainer.teams' plain records; no Streamlit here."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from trainer.teams.dashboard import TeamAggregate, TeamDashboard

# Red (forgotten) to green (remembered): the same reading as the concept map's recall colours.
RECALL_SCALE = [[0.0, "#b91c1c"], [0.5, "#f59e0b"], [0.75, "#fde68a"], [0.9, "#86efac"], [1.0, "#15803d"]]


def recall_heatmap(board: TeamDashboard, on_exam_day: bool = False) -> go.Figure:
    """Members (rows) × concepts (columns), coloured by predicted recall; the hover gives both
    numbers and the cards behind the cell."""
    values = board.recall_exam if on_exam_day and board.recall_exam is not None else board.recall_today
    exam = board.recall_exam if board.recall_exam is not None else np.full(values.shape, np.nan)
    cards = np.broadcast_to(board.cards, values.shape)
    custom = np.dstack([board.recall_today * 100, exam * 100, cards, board.studied])
    exam_line = "<br>on exam day %{customdata[1]:.0f} %" if board.recall_exam is not None else ""
    fig = go.Figure(
        go.Heatmap(
            z=values * 100,
            x=list(board.concept_names),
            y=[name for _pid, name in board.members],
            zmin=0,
            zmax=100,
            colorscale=RECALL_SCALE,
            colorbar={"title": "recall %", "thickness": 12},
            customdata=custom,
            xgap=1,
            ygap=1,
            hovertemplate="%{y} · %{x}<br>predicted recall today %{customdata[0]:.0f} %"
            + exam_line
            + "<br>%{customdata[3]:.0f} of %{customdata[2]:.0f} cards studied<extra></extra>",
        )
    )
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        # Every member and concept labelled (plotly skips every other label when rows are tight).
        height=max(300, 26 * len(board.members) + 240),
        xaxis={"tickangle": -45, "side": "bottom", "tickmode": "linear", "dtick": 1, "automargin": True},
        yaxis={"autorange": "reversed", "tickmode": "linear", "dtick": 1, "automargin": True},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig


def aggregate_chart(aggregate: TeamAggregate) -> go.Figure:
    """A learner's own predicted recall per concept beside the team's average (no one else's)."""
    fig = go.Figure()
    fig.add_bar(
        y=list(aggregate.concept_names),
        x=aggregate.team_mean * 100,
        orientation="h",
        name=f"Team average ({aggregate.members} learners)",
        marker_color="#94a3b8",
        hovertemplate="%{y}: team %{x:.0f} %<extra></extra>",
    )
    if aggregate.mine is not None:
        fig.add_scatter(
            y=list(aggregate.concept_names),
            x=aggregate.mine * 100,
            mode="markers",
            name="You",
            marker={"color": "#2563eb", "size": 10},
            hovertemplate="%{y}: you %{x:.0f} %<extra></extra>",
        )
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        height=max(240, 20 * len(aggregate.concepts) + 100),
        xaxis={"range": [0, 100], "title": "predicted recall %"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return fig
