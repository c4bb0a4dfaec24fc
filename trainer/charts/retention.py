"""Plotly figures for retention statistics as Anki shows them: true retention of young and mature
cards over time against the desired retention, and calibration (predicted recall vs outcomes).
Built from the plain records of ``trainer.study.retention``; no Streamlit here."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from trainer.charts.exam_plan import LEGEND_BELOW
from trainer.study.retention import Calibration, Period, RetentionCount

COLORS = {"young": "#84cc16", "mature": "#15803d", "desired": "#c2410c", "ideal": "#94a3b8"}
_LAYOUT = {
    # The legend under the x axis (LEGEND_BELOW): above the plot it ran under Plotly's tool bar on
    # a phone. The bottom margin leaves it room below the axis title.
    "margin": {"l": 10, "r": 10, "t": 30, "b": 90},
    "height": 380,
    "legend": LEGEND_BELOW,
    "plot_bgcolor": "rgba(0,0,0,0)",
}
_TICK = {Period.DAY: "%d %b", Period.WEEK: "%d %b", Period.MONTH: "%b %Y"}


def true_retention_chart(counts: Sequence[RetentionCount], desired: float, period: Period) -> go.Figure:
    """Young and mature retention per period as points joined by lines (gaps where no reviews),
    with the desired retention as a line: above it the learner remembers more than they asked.
    The page titles it (a title inside the figure collides with the tool bar on a phone)."""
    starts = [c.start for c in counts]
    # A point grows with its reviews, as on the calibration chart: one lapse out of one review
    # is a small dot at 0 %, not a cliff that looks like a trend.
    largest = max((max(c.young_reviews, c.mature_reviews) for c in counts), default=1) or 1
    fig = go.Figure()
    for kind, name in (("young", "Young (interval < 21 days)"), ("mature", "Mature (21 days or more)")):
        values = [getattr(c, kind) for c in counts]
        reviews = [getattr(c, f"{kind}_reviews") for c in counts]
        fig.add_scatter(
            x=starts,
            y=[None if v is None else v * 100 for v in values],
            name=name,
            mode="lines+markers",
            connectgaps=False,
            marker={"color": COLORS[kind], "size": [4 + 10 * (n / largest) ** 0.5 for n in reviews]},
            line={"color": COLORS[kind], "width": 1.5},
            customdata=reviews,
            hovertemplate="%{x|"
            + _TICK[period]
            + "}: %{y:.0f} % of %{customdata} reviews<extra>"
            + name
            + "</extra>",
        )
    # The desired retention as a legend entry rather than a label on the line, which sat on the points.
    fig.add_scatter(
        x=[starts[0], starts[-1]] if starts else [],
        y=[desired * 100, desired * 100],
        mode="lines",
        name=f"Desired {desired:.0%}",
        line={"color": COLORS["desired"], "dash": "dash"},
        hoverinfo="skip",
    )
    shown = [v * 100 for c in counts for v in (c.young, c.mature) if v is not None]
    floor = max(0, min(50, 10 * int(min(shown + [desired * 100]) // 10)))
    fig.update_layout(**_LAYOUT)
    fig.update_xaxes(tickformat=_TICK[period])
    fig.update_yaxes(title="% not rated Again", range=[floor, 102])
    return fig


def calibration_chart(result: Calibration) -> go.Figure:
    """Share recalled against mean predicted recall per bin; the diagonal is a perfect model. A
    bin's marker grows with its reviews, so a point from three reviews does not look like a trend."""
    bins = result.bins
    largest = max((b.reviews for b in bins), default=1)
    fig = go.Figure()
    fig.add_scatter(
        x=[0, 100],
        y=[0, 100],
        mode="lines",
        name="Perfect prediction",
        line={"color": COLORS["ideal"], "dash": "dot"},
        hoverinfo="skip",
    )
    fig.add_scatter(
        x=[b.mean_predicted * 100 for b in bins],
        y=[b.actual * 100 for b in bins],
        mode="markers+lines",
        name="Your reviews",
        marker={
            "color": COLORS["mature"],
            "size": [8 + 22 * (b.reviews / largest) ** 0.5 for b in bins],
            "line": {"width": 1, "color": "white"},
        },
        line={"color": COLORS["mature"], "width": 1},
        customdata=[[b.reviews, b.low * 100, b.high * 100] for b in bins],
        hovertemplate="predicted %{customdata[1]:.0f}–%{customdata[2]:.0f} % (mean %{x:.1f} %)"
        "<br>recalled %{y:.1f} % of %{customdata[0]} reviews<extra></extra>",
    )
    fig.update_layout(**_LAYOUT)
    low = min((min(b.mean_predicted, b.actual) for b in bins), default=0.0) * 100
    start = max(0, min(50, 10 * int(low // 10)))
    fig.update_xaxes(title="predicted recall (%)", range=[start, 101])
    fig.update_yaxes(title="recalled (%)", range=[start, 101])
    return fig
