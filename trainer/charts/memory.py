"""The memory and cost tuner's chart: duration and cost per million against memory, Power Tuning style.

Top panel: the duration (left axis) and the cost per million invocations (right axis) at every
sampled memory size, with the cheapest, fastest and balanced sizes marked, and dotted lines at
each whole vCPU (1,769 MB apart). Sizes the function can't use (out of memory, past the
timeout) are shaded grey and the axes are scaled to the usable ones. Bottom panel: the vCPUs the
memory brings against the vCPUs this workload's threads can use: where the two part, extra
memory buys CPU the function leaves idle. The figure is interactive (hover a size for its
numbers); nothing in it needs the server after it is drawn.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trainer.charts.palette import BLUE, GREEN, ORANGE, PURPLE, RED
from trainer.explainers.memory.limits import MAX_MEMORY_MB, MAX_VCPUS, MB_PER_VCPU, MIN_MEMORY_MB
from trainer.explainers.memory.tuning import Point, TuningResult

GREY = "#9e9e9e"  # lighter than the shared grey: it sits behind two curves


def build_figure(result: TuningResult) -> go.Figure:
    points = result.sample()
    c = result.curve
    memory = np.array([p.memory_mb for p in points])
    duration = np.array([p.duration_ms for p in points])
    cost = np.array([p.cost_per_million_usd for p in points])
    usable = c.usable[memory - MIN_MEMORY_MB]
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.7, 0.3],
        vertical_spacing=0.06,
        specs=[[{"secondary_y": True}], [{}]],
    )
    hover = "%{x:,} MB<br>%{y:,.1f} ms<extra>duration</extra>"
    fig.add_trace(
        go.Scatter(x=memory, y=duration, name="Duration", line={"color": BLUE}, hovertemplate=hover),
        row=1,
        col=1,
        secondary_y=False,
    )
    fig.add_trace(
        go.Scatter(
            x=memory,
            y=cost,
            name="Cost / million",
            line={"color": ORANGE},
            hovertemplate="%{x:,} MB<br>$%{y:,.4f} per million<extra>cost</extra>",
        ),
        row=1,
        col=1,
        secondary_y=True,
    )
    _mark(fig, result)
    _shade_unusable(fig, result)
    for k in range(1, MAX_VCPUS):
        x = MB_PER_VCPU * k
        fig.add_vline(
            x=x,
            line={"color": GREY, "dash": "dot", "width": 1},
            annotation_text="1 vCPU" if k == 1 else f"{k}",
            annotation_position="top",
            annotation_font_size=11,
        )
    _cpu_panel(fig, result)
    # Scale to the usable sizes: a timeout's huge duration would flatten everything else.
    clip = not usable.all()
    fig.update_yaxes(
        title_text="duration (ms)",
        rangemode="tozero",
        range=[0, 1.1 * float(duration[usable].max())] if clip else None,
        row=1,
        col=1,
        secondary_y=False,
    )
    fig.update_yaxes(
        title_text="$ per million",
        rangemode="tozero",
        range=[0, 1.1 * float(cost[usable].max())] if clip else None,
        showgrid=False,
        row=1,
        col=1,
        secondary_y=True,
    )
    fig.update_yaxes(title_text="vCPUs", range=[0, MAX_VCPUS + 0.3], row=2, col=1)
    fig.update_xaxes(range=[0, MAX_MEMORY_MB + 100], row=1, col=1)
    fig.update_xaxes(title_text="memory (MB)", range=[0, MAX_MEMORY_MB + 100], row=2, col=1)
    fig.update_layout(
        height=560,
        margin={"l": 50, "r": 50, "t": 40, "b": 40},
        hovermode="closest",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.04, "x": 0},
    )
    return fig


def _mark(fig: go.Figure, result: TuningResult) -> None:
    """The chosen sizes, on both curves, labelled once."""
    # Balanced first, as a wide ring, so a cheapest or fastest mark at the same size shows inside it.
    chosen: list[tuple[str, Point, str, str, int]] = [
        ("balanced", result.balanced, PURPLE, "circle-open", 22),
        ("cheapest", result.cheapest, GREEN, "diamond", 12),
        ("fastest", result.fastest, BLUE, "star", 13),
    ]
    for name, p, colour, symbol, size in chosen:
        text = f"{name}: {p.memory_mb:,} MB<br>{p.duration_ms:,.1f} ms · ${p.cost_per_million_usd:,.4f}/M"
        for secondary, y in ((False, p.duration_ms), (True, p.cost_per_million_usd)):
            fig.add_trace(
                go.Scatter(
                    x=[p.memory_mb],
                    y=[y],
                    mode="markers",
                    name=f"{name.capitalize()} {p.memory_mb:,} MB",
                    legendgroup=name,
                    showlegend=not secondary,
                    marker={
                        "color": colour,
                        "size": size,
                        "symbol": symbol,
                        "line": {"color": colour if symbol.endswith("open") else "white", "width": 2},
                    },
                    hovertemplate=text + "<extra></extra>",
                ),
                row=1,
                col=1,
                secondary_y=secondary,
            )


def _shade_unusable(fig: go.Figure, result: TuningResult) -> None:
    c = result.curve
    bad = ~c.usable
    if not bad.any():
        return
    # Contiguous runs of unusable sizes (out of memory and timeouts sit at the low end).
    edges = np.flatnonzero(np.diff(np.concatenate([[0], bad.astype(np.int8), [0]])))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        lo, hi = int(c.memory_mb[start]), int(c.memory_mb[stop - 1])
        why = "out of memory" if c.out_of_memory[start] else "times out"
        fig.add_vrect(
            x0=lo,
            x1=hi + 1,
            fillcolor=GREY,
            opacity=0.25,
            line_width=0,
            annotation_text=why,
            annotation_position="bottom left",
            row=1,
            col=1,
        )


def _cpu_panel(fig: go.Figure, result: TuningResult) -> None:
    c = result.curve
    step = 16
    x = c.memory_mb[::step]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=c.vcpus[::step],
            name="vCPUs on offer",
            line={"color": GREY, "dash": "dash"},
            hovertemplate="%{x:,} MB: %{y:.2f} vCPU<extra>on offer</extra>",
        ),
        row=2,
        col=1,
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=c.vcpus_used[::step],
            name="vCPUs used",
            line={"color": RED},
            fill="tozeroy",
            fillcolor="rgba(214,39,40,0.12)",
            hovertemplate="%{x:,} MB: %{y:.2f} vCPU<extra>used</extra>",
        ),
        row=2,
        col=1,
    )
