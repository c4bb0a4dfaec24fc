"""The sizing diagram as a plotly figure: VPC → Availability Zones → subnets → network interfaces
by workload, each subnet coloured by how full it gets at peak.

The tree and its layout come from :mod:`trainer.explainers.sizing.diagram`; this module only
draws them. Edges are elbows (across, down, across) so siblings line up in columns.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from trainer.explainers.sizing.diagram import diagram_graph, diagram_positions
from trainer.explainers.sizing.limits import TIGHT_FILL
from trainer.explainers.sizing.results import PlanSizing

# Green while comfortable, amber from the warning threshold, red when the subnet is full.
FILL_COLORSCALE = [
    [0.0, "#2e9e5b"],
    [0.5, "#8cc152"],
    [TIGHT_FILL, "#f0a202"],
    [1.0, "#d62728"],
]

# Colour and marker symbol per workload family (the diagram's ``family`` node attribute).
_WORKLOAD_STYLE = {
    "ECS": ("#1f77b4", "circle"),
    "Lambda": ("#9467bd", "hexagon"),
    "Other": ("#7f7f7f", "triangle-right"),
}


def sizing_figure(result: PlanSizing) -> go.Figure:
    """The diagram as a plotly figure."""
    graph = diagram_graph(result)
    pos = diagram_positions(graph)
    leaves = sum(1 for n in graph if graph.out_degree(n) == 0)
    xs = sorted({x for x, _ in pos.values()})
    figure = go.Figure()

    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for a, b in graph.edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        xm = (x0 + x1) / 2
        edge_x += [x0, xm, xm, x1, None]
        edge_y += [y0, y0, y1, y1, None]
    figure.add_trace(
        go.Scatter(
            x=edge_x,
            y=edge_y,
            mode="lines",
            hoverinfo="skip",
            line={"color": "#b0b7c3", "width": 1.2},
            showlegend=False,
        )
    )

    def nodes(kind: str, family: str | None = None) -> list[str]:
        return [
            n
            for n, d in graph.nodes(data=True)
            if d["kind"] == kind and (family is None or d.get("family") == family)
        ]

    def add(
        names: list[str], name: str, marker: dict[str, Any], textposition: str, showlegend: bool = False
    ) -> None:
        if not names:
            return
        figure.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in names],
                y=[pos[n][1] for n in names],
                mode="markers+text",
                name=name,
                showlegend=showlegend,
                text=[graph.nodes[n]["label"] for n in names],
                textposition=textposition,
                textfont={"size": 12},
                hovertext=[graph.nodes[n]["hover"] for n in names],
                hoverinfo="text",
                marker=marker,
            )
        )

    add(nodes("vpc"), "VPC", {"symbol": "square", "size": 26, "color": "#232f3e"}, "bottom center")
    add(nodes("az"), "Availability Zone", {"symbol": "diamond", "size": 20, "color": "#5a6b86"}, "top center")
    subnets = nodes("subnet")
    add(
        subnets,
        "Subnet",
        {
            "symbol": "circle",
            "size": 24,
            "color": [min(graph.nodes[n]["fill"], 1.0) for n in subnets],
            "cmin": 0,
            "cmax": 1,
            "colorscale": FILL_COLORSCALE,
            "line": {"color": "#ffffff", "width": 1.5},
            "colorbar": {
                "title": {"text": "Peak fill"},
                "tickformat": ".0%",
                "thickness": 14,
                "len": 0.6 if leaves > 4 else 0.9,
            },
        },
        "top center",
    )
    for family, (color, symbol) in _WORKLOAD_STYLE.items():
        names = nodes("workload", family)
        label = {"ECS": "ECS service", "Lambda": "Lambda (Hyperplane ENIs)", "Other": "Added by hand"}[family]
        add(names, label, {"symbol": symbol, "size": 14, "color": color}, "middle right", showlegend=True)

    span = xs[-1] - xs[0] if len(xs) > 1 else 1.0
    figure.update_layout(
        height=max(380, 46 * leaves + 140),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"visible": False, "range": [xs[0] - 0.12 * span, xs[-1] + 0.75 * span]},
        yaxis={"visible": False, "range": [-(leaves - 1) - 0.7, 0.9]},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        hoverlabel={"align": "left"},
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return figure
