"""The sizing diagram: VPC → Availability Zones → subnets → network interfaces by workload.

The structure is a networkx tree. Layers come from ``nx.multipartite_layout`` (one column per
level, left to right); within a column, leaves are spaced evenly in tree order and every
parent sits at the middle of its children, so edges never cross. Plotly draws it, with each
subnet coloured by how full it gets at peak.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx
import plotly.graph_objects as go

from trainer.explainers.sizing.engine import TIGHT_FILL, PlanSizing, UseKind

# Green while comfortable, amber from the warning threshold, red when the subnet is full.
FILL_COLORSCALE = [
    [0.0, "#2e9e5b"],
    [0.5, "#8cc152"],
    [TIGHT_FILL, "#f0a202"],
    [1.0, "#d62728"],
]

_WORKLOAD_STYLE = {
    "ECS": ("#1f77b4", "circle"),
    "Lambda": ("#9467bd", "hexagon"),
    "Other": ("#7f7f7f", "triangle-right"),
}


def _family(kind: UseKind) -> str:
    if kind in (UseKind.ECS_TASK, UseKind.ECS_INSTANCE):
        return "ECS"
    if kind is UseKind.LAMBDA_HYPERPLANE:
        return "Lambda"
    return "Other"


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def diagram_graph(result: PlanSizing) -> nx.DiGraph:
    """The tree behind the diagram; every node has ``layer``, ``kind`` and ``label``."""
    graph = nx.DiGraph()
    plan = result.plan
    combos = {(c.subnet, ", ".join(c.functions)): c for c in result.lambda_.combinations}
    graph.add_node("vpc", layer=0, kind="vpc", label=f"VPC<br>{plan.vpc_cidr}",
                   hover=f"VPC {plan.vpc_cidr}<br>{len(plan.subnets)} subnets, "
                   f"{result.usable:,} usable addresses")
    for az in result.azs:
        node = f"az:{az.az}"
        graph.add_node(node, layer=1, kind="az", label=az.az,
                       hover=f"{az.az}<br>{len(az.subnets)} subnet(s)<br>"
                       f"{az.steady:,} steady / {az.peak:,} peak of {az.usable:,} usable")
        graph.add_edge("vpc", node)
        for sized in (s for s in result.subnets if s.subnet.az == az.az):
            subnet = sized.subnet
            snode = f"subnet:{subnet.name}"
            graph.add_node(
                snode, layer=2, kind="subnet", fill=sized.fill_peak,
                label=f"<b>{subnet.name}</b> {subnet.cidr}<br>{sized.peak:,}/{sized.usable:,}"
                f" at peak ({sized.fill_peak:.0%})",
                hover=f"<b>{subnet.name}</b> ({subnet.cidr}, {subnet.az})<br>"
                f"usable {sized.usable:,}<br>steady {sized.steady:,} · peak {sized.peak:,}"
                f"<br>headroom {sized.headroom:,}",
            )
            graph.add_edge(node, snode)
            by_workload: dict[str, list] = defaultdict(list)
            for use in sized.uses:
                by_workload[use.workload].append(use)
            for workload, uses in by_workload.items():
                peak = sum(u.peak for u in uses)
                steady = sum(u.steady for u in uses)
                title = workload
                if uses[0].kind is UseKind.LAMBDA_HYPERPLANE:
                    combo = combos[(subnet.name, workload)]
                    count = len(combo.functions)
                    title = (f"λ {'+'.join(combo.security_groups)} "
                             f"({count} function{'s' if count > 1 else ''})")
                detail = "<br>".join(
                    f"{u.kind.label}: {u.steady:,} steady, {u.peak:,} peak" for u in uses
                )
                wnode = f"use:{subnet.name}:{workload}"
                graph.add_node(
                    wnode, layer=3, kind="workload", family=_family(uses[0].kind),
                    peak=peak, label=f"{_short(title)}: {steady:,} → {peak:,} ENIs",
                    hover=f"<b>{workload}</b> in {subnet.name}<br>{detail}",
                )
                graph.add_edge(snode, wnode)
    return graph


def diagram_positions(graph: nx.DiGraph) -> dict[str, tuple[float, float]]:
    """Columns from ``nx.multipartite_layout``; rows from the tree order (tidy tree)."""
    columns = nx.multipartite_layout(graph, subset_key="layer", align="vertical")
    rows: dict[str, float] = {}
    next_row = 0.0
    for node in nx.dfs_postorder_nodes(graph, "vpc"):
        children = list(graph.successors(node))
        if children:
            rows[node] = sum(rows[c] for c in children) / len(children)
        else:
            rows[node] = next_row
            next_row += 1.0
    return {node: (float(columns[node][0]), -rows[node]) for node in graph}


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
    figure.add_trace(go.Scatter(x=edge_x, y=edge_y, mode="lines", hoverinfo="skip",
                                line={"color": "#b0b7c3", "width": 1.2}, showlegend=False))

    def nodes(kind: str, family: str | None = None) -> list[str]:
        return [n for n, d in graph.nodes(data=True)
                if d["kind"] == kind and (family is None or d.get("family") == family)]

    def add(names: list[str], name: str, marker: dict, textposition: str,
            showlegend: bool = False) -> None:
        if not names:
            return
        figure.add_trace(go.Scatter(
            x=[pos[n][0] for n in names], y=[pos[n][1] for n in names],
            mode="markers+text", name=name, showlegend=showlegend,
            text=[graph.nodes[n]["label"] for n in names], textposition=textposition,
            textfont={"size": 12},
            hovertext=[graph.nodes[n]["hover"] for n in names], hoverinfo="text",
            marker=marker,
        ))

    add(nodes("vpc"), "VPC", {"symbol": "square", "size": 26, "color": "#232f3e"},
        "bottom center")
    add(nodes("az"), "Availability Zone",
        {"symbol": "diamond", "size": 20, "color": "#5a6b86"}, "top center")
    subnets = nodes("subnet")
    add(subnets, "Subnet", {
        "symbol": "circle", "size": 24,
        "color": [min(graph.nodes[n]["fill"], 1.0) for n in subnets],
        "cmin": 0, "cmax": 1, "colorscale": FILL_COLORSCALE,
        "line": {"color": "#ffffff", "width": 1.5},
        "colorbar": {"title": {"text": "Peak fill"}, "tickformat": ".0%", "thickness": 14,
                     "len": 0.6 if leaves > 4 else 0.9},
    }, "top center")
    for family, (color, symbol) in _WORKLOAD_STYLE.items():
        names = nodes("workload", family)
        label = {"ECS": "ECS service", "Lambda": "Lambda (Hyperplane ENIs)",
                 "Other": "Added by hand"}[family]
        add(names, label, {"symbol": symbol, "size": 14, "color": color}, "middle right",
            showlegend=True)

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
