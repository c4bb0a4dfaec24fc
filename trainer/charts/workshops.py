"""Plotly figures for workshop rooms: the answer distribution, the leaderboard, the podium,
team scores and the item analysis overview. Built from the records in ``trainer.workshops.model``.

Display names are typed by participants, and Plotly renders a few HTML tags in text (``<b>``,
``<a href>``...), so every name is HTML-escaped before it goes into a figure.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import plotly.graph_objects as go

from trainer.content.snapshot import LETTERS, QuestionSnapshot
from trainer.workshops.model import Distribution, QuestionAnalysis, Standing, TeamScore

RIGHT = "#22c55e"
WRONG = "#94a3b8"
ACCENT = "#3b82f6"
PODIUM = {1: "#f59e0b", 2: "#9ca3af", 3: "#b45309"}
_LAYOUT = {
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "plot_bgcolor": "rgba(0,0,0,0)",
    "showlegend": False,
}


def safe(text: str | None, limit: int = 40) -> str:
    """User text for a Plotly label: shortened and HTML-escaped."""
    text = text or ""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=True)


def distribution_chart(question: QuestionSnapshot, dist: Distribution, reveal: bool = True) -> go.Figure:
    """One bar per option; the key in green once revealed."""
    labels = [f"{LETTERS[i]}. {safe(o.text, 38)}" for i, o in enumerate(question.options)]
    colors = [
        RIGHT if reveal and i in question.answer else (WRONG if reveal else ACCENT)
        for i in range(len(labels))
    ]
    total = max(dist.answers, 1)
    text = [f"{c} ({c / total:.0%})" if dist.answers else "0" for c in dist.counts]
    fig = go.Figure(
        go.Bar(
            x=list(dist.counts),
            y=labels,
            orientation="h",
            marker_color=colors,
            text=text,
            textposition="auto",
            hoverinfo="skip",
        )
    )
    title = f"{dist.answers} answer{'s' if dist.answers != 1 else ''}"
    if reveal and dist.answers:
        title += f" · {dist.correct / dist.answers:.0%} correct"
    fig.update_layout(title=title, height=90 + 48 * len(labels), **_LAYOUT)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(
        rangemode="tozero",
        range=[0, max(max(dist.counts, default=0), 1) * 1.15],
        dtick=max(1, max(dist.counts, default=1) // 5 or 1),
        title=None,
    )
    return fig


def leaderboard_chart(
    standings: Sequence[Standing], top: int = 10, highlight: int | None = None
) -> go.Figure:
    """The top of the leaderboard as horizontal bars; ``highlight`` marks one participant."""
    rows = list(standings[:top])
    if highlight is not None and all(s.participant_id != highlight for s in rows):
        rows += [s for s in standings if s.participant_id == highlight]
    names = [f"{s.rank}. {safe(s.name)}" + (f" ({safe(s.team, 20)})" if s.team else "") for s in rows]
    colors = [PODIUM.get(s.rank, ACCENT) if s.participant_id != highlight else "#7c3aed" for s in rows]
    fig = go.Figure(
        go.Bar(
            x=[s.points for s in rows],
            y=names,
            orientation="h",
            marker_color=colors,
            text=[f"{s.points:,}" for s in rows],
            # A bar of zero has no inside: "auto" would print nothing, and a board of empty
            # rows after a question nobody got right reads as a broken chart.
            textposition="outside" if any(s.points == 0 for s in rows) else "auto",
            hoverinfo="skip",
        )
    )
    title = "Leaderboard" if any(s.points for s in rows) else "Leaderboard: no points yet"
    fig.update_layout(title=title, height=90 + 36 * max(len(rows), 1), **_LAYOUT)
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(rangemode="tozero", title="points")
    return fig


def podium_chart(standings: Sequence[Standing]) -> go.Figure:
    """First, second and third place on a podium (second left, first in the middle)."""
    by_rank = sorted(standings, key=lambda s: s.rank)[:3]
    order = [1, 0, 2] if len(by_rank) == 3 else list(range(len(by_rank)))
    places = [by_rank[i] for i in order if i < len(by_rank)]
    heights = {1: 3, 2: 2, 3: 1.4}
    fig = go.Figure(
        go.Bar(
            x=[f"{s.rank}. {safe(s.name, 20)}" for s in places],
            y=[heights.get(s.rank, 1) for s in places],
            marker_color=[PODIUM.get(s.rank, ACCENT) for s in places],
            text=[f"{s.points:,} pts" for s in places],
            textposition="outside",
            textangle=0,
            textfont={"size": 16},
            hoverinfo="skip",
            width=0.6,
            cliponaxis=False,
        )
    )
    fig.update_layout(title="Podium", height=320, **_LAYOUT)
    fig.update_yaxes(visible=False, range=[0, 3.6])
    fig.update_xaxes(tickfont={"size": 16})
    return fig


def team_chart(teams: Sequence[TeamScore]) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=[round(t.points) for t in teams],
            y=[f"{t.rank}. {safe(t.team, 24)}" for t in teams],
            orientation="h",
            marker_color=[PODIUM.get(t.rank, ACCENT) for t in teams],
            text=[f"{t.points:,.0f} avg · {t.members} member{'s' if t.members != 1 else ''}" for t in teams],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    fig.update_layout(
        title="Teams (average points per member)", height=90 + 40 * max(len(teams), 1), **_LAYOUT
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(rangemode="tozero", title="average points")
    return fig


def item_map_chart(items: Sequence[QuestionAnalysis]) -> go.Figure:
    """Difficulty (share correct) against discrimination for every question, with the useful
    ranges shaded: items outside them are the ones to look at."""
    shown = [i for i in items if i.stats.p is not None]
    fig = go.Figure()
    fig.add_shape(
        type="rect",
        x0=0.30,
        x1=0.79,
        y0=0.30,
        y1=1,
        fillcolor=RIGHT,
        opacity=0.10,
        line_width=0,
        layer="below",
    )
    fig.add_hline(y=0, line_dash="dot", line_color="#ef4444")
    fig.add_trace(
        go.Scatter(
            x=[i.stats.p for i in shown],
            y=[i.stats.r_pb if i.stats.r_pb is not None else 0 for i in shown],
            mode="markers+text",
            text=[f"Q{i.index + 1}" for i in shown],
            textposition="top center",
            marker={
                "size": 12,
                "color": ["#ef4444" if any(f.warning for f in i.stats.flags) else ACCENT for i in shown],
            },
            customdata=[[i.stats.n, "n/a" if i.stats.r_pb is None else f"{i.stats.r_pb:.2f}"] for i in shown],
            hovertemplate="p = %{x:.2f}<br>r_pb = %{customdata[1]}<br>N = %{customdata[0]}<extra></extra>",
        )
    )
    fig.update_layout(title="Difficulty and discrimination (shaded: the useful range)", height=360, **_LAYOUT)
    fig.update_xaxes(title="difficulty p (share correct)", range=[-0.02, 1.05])
    fig.update_yaxes(title="discrimination r_pb", range=[-1.05, 1.05])
    return fig
