"""Plotly figures for the Exam plan page: the readiness forecast (predicted recall on exam day) and
the workload planner, built from the plain records of ``trainer.study``; no Streamlit here."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from trainer.study.recall_forecast import GroupRecall
from trainer.study.workload import WorkloadPlan

COLORS = {
    "mean": "#3b82f6",
    "band": "#1e3a8a",
    "sure": "#16a34a",
    "minutes": "#c2410c",
    "reviews": "#3b82f6",
    "optimal": "#16a34a",
    "current": "#64748b",
    "chosen": "#c2410c",
}
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
    "plot_bgcolor": "rgba(0,0,0,0)",
}


# Under the x axis, at the figure's foot: above the plot a long legend ran under Plotly's tool bar
# on a phone. The figure's bottom margin leaves room for it below the axis title.
LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "y": 0.005,
    "yanchor": "bottom",
    "xanchor": "left",
    "x": 0,
}


def _wrap(name: str, width: int = 30) -> str:
    """Long topic and concept names on two lines, so the bars keep their width on a phone."""
    return "<br>".join(textwrap.wrap(name, width)) or name


def forecast_chart(groups: Sequence[GroupRecall], titles: Mapping[str, str]) -> go.Figure:
    """Per group: the expected share of its cards recalled (bar), the range that share falls in 9
    times out of 10 (whisker: ``GroupRecall.low`` to ``high``, the same kind of range as the
    page's headline, wider for fewer cards) and the share of cards at 0.9 or more (diamond), on
    one 0-100 % axis. The cards' own spread (10th to 90th percentile of their recall) is another
    thing and is only in the hover, named as such. The page titles the chart (a title inside the
    figure collides with the tool bar on a phone)."""
    names = [_wrap(titles.get(g.name, g.name)) for g in groups]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[g.mean * 100 for g in groups],
        orientation="h",
        name="Expected share recalled, whisker: its 90 % range",
        marker_color=COLORS["mean"],
        opacity=0.85,
        error_x={
            "type": "data",
            "symmetric": False,
            "array": [(g.high - g.mean) * 100 for g in groups],
            "arrayminus": [(g.mean - g.low) * 100 for g in groups],
            "color": COLORS["band"],
            "thickness": 2,
            "width": 5,
        },
        customdata=[
            [g.cards, g.unseen, g.low * 100, g.high * 100, g.p10 * 100, g.median * 100, g.p90 * 100]
            for g in groups
        ],
        hovertemplate="%{y}: %{x:.0f} % of the cards expected recalled"
        "<br>90 % range of that share: %{customdata[2]:.0f}–%{customdata[3]:.0f} %"
        "<br>%{customdata[0]} cards, %{customdata[1]} not started"
        "<br>the cards' own recall: 10th percentile %{customdata[4]:.0f} %, "
        "median %{customdata[5]:.0f} %, 90th percentile %{customdata[6]:.0f} %<extra></extra>",
    )
    fig.add_scatter(
        y=names,
        x=[g.at_least_0_9 * 100 for g in groups],
        mode="markers",
        name="Cards at ≥ 0.9",
        marker={
            "symbol": "diamond",
            "size": 11,
            "color": COLORS["sure"],
            "line": {"width": 1, "color": "white"},
        },
        hovertemplate="%{y}: %{x:.0f} % of cards at 0.9 or more<extra></extra>",
    )
    fig.add_vline(x=90, line={"color": COLORS["sure"], "dash": "dot", "width": 1})
    lines = max((name.count("<br>") + 1 for name in names), default=1)
    row = 34 if lines <= 2 else 46  # room for a name on three lines without touching the next
    fig.update_layout(
        height=max(260, row * len(groups) + 120),
        bargap=0.35,
        **{**_LAYOUT, "legend": LEGEND_BELOW, "margin": {"l": 10, "r": 10, "t": 30, "b": 80}},
    )
    fig.update_xaxes(title="% of cards", range=[0, 101], tickvals=[0, 25, 50, 75, 100])
    # An explicit range: autorange pads a category axis for the diamonds' size, which left a
    # band of empty rows above and below a long chart.
    fig.update_yaxes(range=[len(groups) - 0.5, -0.5], automargin=True, tickfont={"size": 11})
    return fig


def recall_histogram(recalls: Sequence[float]) -> go.Figure:
    """How every card's predicted recall on exam day is distributed (cards not started at 0)."""
    fig = go.Figure(
        go.Histogram(
            x=[r * 100 for r in recalls],
            xbins={"start": 0, "end": 100.001, "size": 5},
            marker_color=COLORS["mean"],
            hovertemplate="%{x} %: %{y} cards<extra></extra>",
        )
    )
    fig.add_vline(x=90, line={"color": COLORS["sure"], "dash": "dot"})
    fig.update_layout(
        height=260,
        showlegend=False,
        bargap=0.05,
        **_LAYOUT,
    )
    fig.update_xaxes(title="predicted recall (%)", range=[0, 101])
    fig.update_yaxes(title="cards", rangemode="tozero")
    return fig


def workload_chart(plan: WorkloadPlan, chosen: float | None = None) -> go.Figure:
    """Minutes and reviews a day against desired retention, marking the optimal retention, the
    learner's current one and the one they are looking at."""
    x = [r.retention for r in plan.rows]
    fig = go.Figure()
    fig.add_scatter(
        x=x,
        y=[r.minutes_per_day for r in plan.rows],
        name="Minutes a day",
        mode="lines+markers",
        marker={"size": 6, "color": COLORS["minutes"]},
        unselected={"marker": {"opacity": 1}},  # a click picks a retention; it dims nothing
        line={"color": COLORS["minutes"]},
        customdata=[[r.max_minutes_per_day, r.remembered] for r in plan.rows],
        hovertemplate="retention %{x:.2f}: %{y:.1f} min a day (busiest %{customdata[0]:.0f})"
        "<br>%{customdata[1]:.0f} cards remembered at the end<extra></extra>",
    )
    fig.add_scatter(
        x=x,
        y=[r.reviews_per_day for r in plan.rows],
        name="Reviews a day",
        mode="lines+markers",
        yaxis="y2",
        marker={"size": 6, "color": COLORS["reviews"]},
        unselected={"marker": {"opacity": 1}},
        line={"color": COLORS["reviews"], "dash": "dot"},
        customdata=[[r.max_reviews_per_day] for r in plan.rows],
        hovertemplate="retention %{x:.2f}: %{y:.0f} reviews a day (busiest %{customdata[0]:.0f})"
        "<extra></extra>",
    )
    marks = [(plan.optimal_retention, "optimal", "least work", "top")]
    if plan.current_retention != plan.optimal_retention:
        marks.append((plan.current_retention, "current", "yours", "top"))
    if chosen is not None and chosen not in (plan.optimal_retention, plan.current_retention):
        marks.append((chosen, "chosen", "chosen", "bottom"))
    for value, color, text, edge in marks:
        # The label goes on the side with room: right of a line in the left half, else left.
        position = f"{edge} {'right' if value < 0.84 else 'left'}"
        fig.add_vline(
            x=value,
            line={"color": COLORS[color], "dash": "dash" if color != "chosen" else "solid", "width": 2},
            annotation_text=f"{text} {value:.2f}",
            annotation_position=position,
            annotation_font_color=COLORS[color],
        )
    fig.update_layout(
        height=340,
        yaxis2={
            "title": "reviews a day",
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "tickformat": ",.0f",
            "tickmode": "auto",
            "nticks": 6,
            "showgrid": False,
        },
        **{
            **_LAYOUT,
            # Below the axis: above the plot it ran into the retention labels on a phone.
            "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "xanchor": "left", "x": 0},
        },
    )
    fig.update_xaxes(title="desired retention", range=[0.69, 0.98], dtick=0.05)
    # Only the left axis: update_yaxes would also retitle the reviews axis on the right.
    fig.layout.yaxis.update(title="minutes a day", rangemode="tozero", tickformat=",.0f")
    return fig
