"""The connection explainer's charts: one invocation's timeline, and connections over time.

The timeline is a Gantt-like bar chart in milliseconds: one row per case (a warm invocation
that opens a new connection, one that reuses the init connection, one whose kept connection was
dropped by the idle timeout, and a cold start in a panel of its own scale), each a row of phases
coloured by kind, so the handshakes stand next to the operation they serve. The rows that apply
to the current settings are marked.

The run chart shows, second by second, the execution environments in use, the database (or
DynamoDB endpoint) connections against ``max_connections`` and RDS Proxy's pool, and below it
cold starts, failed invocations and operations waiting for a pooled connection. Both are
interactive (hover, zoom); the axis ranges are fixed from the data.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trainer.charts.palette import BLACK, BLUE, GREY, PURPLE, RED
from trainer.explainers.connections.results import ConnectionResult
from trainer.explainers.connections.settings import ConnectionMode, ConnectionSettings
from trainer.explainers.connections.timeline import Phase, PhaseKind, phases

COLOURS = {
    PhaseKind.INIT: "#9467bd",
    PhaseKind.STALE: "#d62728",
    PhaseKind.DNS: "#8c564b",
    PhaseKind.TCP: "#ff7f0e",
    PhaseKind.TLS: "#e6b800",
    PhaseKind.LOGIN: "#17becf",
    PhaseKind.WAIT: "#7f7f7f",
    PhaseKind.OPERATION: "#2ca02c",
}


def timeline_rows(s: ConnectionSettings) -> list[tuple[str, list[Phase], bool]]:
    """(label, phases, applies to these settings) for each case the timeline shows."""
    reuse = s.mode is ConnectionMode.REUSE
    rows = [
        ("Cold start", phases(s, cold=True), True),
        ("Warm, new connection", phases(s, cold=False, mode=ConnectionMode.PER_INVOCATION), not reuse),
        ("Warm, reused", phases(s, cold=False, mode=ConnectionMode.REUSE), reuse),
    ]
    if not s.keep_alive and s.idle_timeout_s > 0:
        rows.append(
            (
                f"Warm, idle > {s.idle_timeout_s:g} s",
                phases(s, cold=False, stale=True, mode=ConnectionMode.REUSE),
                reuse,
            )
        )
    return rows


def timeline_figure(s: ConnectionSettings) -> go.Figure:
    """Warm invocations on top, the cold start below, each panel to its own scale.

    A cold start's init is usually ten or a hundred times the handshake; on one shared axis it
    would squash the warm rows, whose handshake-versus-operation contrast is the lesson.
    """
    rows = timeline_rows(s)
    labels = [f"<b>{label} ◀</b>" if applies else label for label, _, applies in rows]
    panels = [(labels[1:], rows[1:], 1), (labels[:1], rows[:1], 2)]
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[len(rows) - 1, 1.3],
        vertical_spacing=0.3,
        subplot_titles=("Warm invocations, ms", "Cold start, ms (its own scale)"),
    )
    for kind in PhaseKind:
        first = True
        for panel_labels, panel_rows, row_no in panels:
            x, base, y, text = [], [], [], []
            for label, (_, row, _) in zip(panel_labels, panel_rows, strict=True):
                for phase in row:
                    if phase.kind is kind and phase.ms > 0:
                        x.append(phase.ms)
                        base.append(phase.start_ms)
                        y.append(label)
                        text.append(f"{phase.ms:,.3g} ms")
            if not x:
                continue
            fig.add_bar(
                x=x,
                base=base,
                y=y,
                orientation="h",
                name=kind.label,
                legendgroup=kind.value,
                showlegend=first,
                marker_color=COLOURS[kind],
                text=text,
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                hovertemplate="%{y}<br>"
                + kind.label
                + ": %{x:,.2f} ms (from %{base:,.2f} ms)<extra></extra>",
                row=row_no,
                col=1,
            )
            first = False
    warm_total = max(p.end_ms for _, row, _ in rows[1:] for p in row)
    cold_total = max(p.end_ms for p in rows[0][1])
    fig.update_layout(
        barmode="overlay",
        height=300 + 60 * len(rows),
        margin={"l": 10, "r": 10, "t": 60, "b": 30},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0},
        title={"text": "One invocation, phase by phase", "font": {"size": 14}},
        uniformtext={"minsize": 9, "mode": "hide"},
    )
    fig.update_xaxes(range=[0, warm_total * 1.05], row=1, col=1)
    fig.update_xaxes(range=[0, cold_total * 1.05], row=2, col=1)
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=labels[1:], row=1, col=1)
    fig.update_yaxes(autorange="reversed", row=2, col=1)
    return fig


def run_figure(result: ConnectionResult) -> go.Figure:
    s, series, summary = result.settings, result.series, result.summary
    t = np.arange(series.seconds)
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        row_heights=[0.62, 0.38],
        vertical_spacing=0.08,
        subplot_titles=("Connections held by the database, each second", "Cold starts, failures and waiting"),
    )
    fig.add_scatter(
        x=t,
        y=series.environments,
        name="Environments in use",
        line={"color": GREY, "shape": "hv"},
        row=1,
        col=1,
    )
    who = "database" if summary.max_connections is not None else "DynamoDB endpoint"
    fig.add_scatter(
        x=t,
        y=series.db_connections,
        name=f"Connections at the {who} (peak)",
        line={"color": BLUE, "shape": "hv", "width": 2.5},
        row=1,
        col=1,
    )
    top = max(float(series.environments.max()), float(series.db_connections.max()), 1.0)
    if summary.max_connections is not None:
        top = max(top, float(summary.max_connections))
        fig.add_scatter(
            x=[0, series.seconds],
            y=[summary.max_connections] * 2,
            name="max_connections",
            line={"color": RED, "dash": "dash"},
            row=1,
            col=1,
        )
    if summary.pool_size is not None:
        fig.add_scatter(
            x=[0, series.seconds],
            y=[summary.pool_size] * 2,
            name=f"RDS Proxy pool ({s.max_connections_percent} %)",
            line={"color": PURPLE, "dash": "dot"},
            row=1,
            col=1,
        )
    fig.add_bar(x=t, y=series.cold_starts, name="Cold starts", marker_color=PURPLE, row=2, col=1)
    fig.add_bar(x=t, y=series.failures, name="Failed invocations", marker_color=RED, row=2, col=1)
    if summary.pool_size is not None:
        fig.add_scatter(
            x=t, y=series.waiting, name="Waiting for a pooled connection", line={"color": BLACK}, row=2, col=1
        )
    low = max(
        float(series.cold_starts.max(initial=0)),
        float(series.failures.max(initial=0)),
        float(series.waiting.max(initial=0)),
        1.0,
    )
    fig.update_layout(
        height=520,
        barmode="group",
        margin={"l": 10, "r": 10, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.15, "x": 0},
        hovermode="x unified",
    )
    fig.update_xaxes(range=[0, series.seconds], row=1, col=1)
    fig.update_xaxes(range=[0, series.seconds], title_text="seconds", row=2, col=1)
    fig.update_yaxes(range=[0, top * 1.1], rangemode="tozero", row=1, col=1)
    fig.update_yaxes(range=[0, low * 1.15], rangemode="tozero", row=2, col=1)
    return fig
