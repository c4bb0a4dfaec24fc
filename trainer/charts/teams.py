"""Plotly figures for the team pages, built from trainer.teams' plain records; no Streamlit here."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from trainer.teams.dashboard import TeamAggregate, TeamDashboard

# Red (forgotten) to green (remembered): the same reading as the concept map's recall colours.
RECALL_SCALE = [[0.0, "#b91c1c"], [0.5, "#f59e0b"], [0.75, "#fde68a"], [0.9, "#86efac"], [1.0, "#15803d"]]


# Row labels longer than this are cut (the hover has the whole name): a phone has room for the
# labels or for the cells, not for both.
LABEL_MAX = 30


def short_labels(names: list[str], limit: int = LABEL_MAX) -> list[str]:
    """Names cut to ``limit`` characters with an ellipsis, still all different (plotly merges
    rows or columns that share a label)."""
    labels: list[str] = []
    for name in names:
        label = name if len(name) <= limit else name[: limit - 1].rstrip() + "…"
        number = 2
        while label in labels:
            suffix = f" ({number})"
            label = name[: limit - len(suffix) - 1].rstrip() + "…" + suffix
            number += 1
        labels.append(label)
    return labels


def recall_heatmap(board: TeamDashboard, on_exam_day: bool = False) -> go.Figure:
    """Members × concepts, coloured by predicted recall; the hover gives both numbers and the
    cards behind the cell.

    The longer of the two lists runs down the page, where its labels read across: members in
    rows for a big team, concepts in rows when there are more concepts than members (a bank of
    90 concepts as columns gives labels nobody can read, on a desktop or a phone)."""
    values = board.recall_exam if on_exam_day and board.recall_exam is not None else board.recall_today
    exam = board.recall_exam if board.recall_exam is not None else np.full(values.shape, np.nan)
    cards = np.broadcast_to(board.cards, values.shape)
    custom = np.dstack([board.recall_today * 100, exam * 100, cards, board.studied])
    members = [name for _pid, name in board.members]
    concepts = list(board.concept_names)
    # The whole names for the hover, member first (the axes may show them cut).
    text = np.array([[f"{m} · {c}" for c in concepts] for m in members], dtype=object).reshape(values.shape)
    by_concept = len(concepts) > len(members)
    if by_concept:  # concepts down, members across
        z, custom, text = values.T, custom.transpose(1, 0, 2), text.T
        x, y = short_labels(members, 18), short_labels(concepts)
    else:
        z, x, y = values, short_labels(concepts), short_labels(members)
    exam_line = "<br>on exam day %{customdata[1]:.0f} %" if board.recall_exam is not None else ""
    fig = go.Figure(
        go.Heatmap(
            z=z * 100,
            x=x,
            y=y,
            zmin=0,
            zmax=100,
            colorscale=RECALL_SCALE,
            # A short horizontal bar under the chart, whatever its height: the cells keep the
            # width (on a phone a bar beside them takes a fifth of it).
            colorbar={
                "title": {"text": "recall %", "side": "top"},
                "orientation": "h",
                "thickness": 10,
                "len": 220,
                "lenmode": "pixels",
                "x": 0,
                "xanchor": "left",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
            },
            customdata=custom,
            text=text,
            xgap=1,
            ygap=1,
            hovertemplate="%{text}<br>predicted recall today %{customdata[0]:.0f} %"
            + exam_line
            + "<br>%{customdata[3]:.0f} of %{customdata[2]:.0f} cards studied<extra></extra>",
        )
    )
    fig.update_layout(
        margin={"l": 10, "r": 10, "t": 10, "b": 70},  # the colour bar below
        # Every row and column labelled (plotly skips every other label when rows are tight).
        height=max(300, (20 if by_concept else 26) * len(y) + 260),
        xaxis={
            # Members' names stand upright above a tall chart: narrow columns on a phone.
            "tickangle": -90 if by_concept else -45,
            "side": "top" if by_concept else "bottom",
            "tickmode": "linear",
            "dtick": 1,
            "automargin": True,
        },
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
