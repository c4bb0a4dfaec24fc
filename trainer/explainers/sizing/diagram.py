"""The sizing diagram's structure: VPC → Availability Zones → subnets → network interfaces by
workload, as a networkx tree with a position for every node.

Layers come from ``nx.multipartite_layout`` (one column per level, left to right); within a
column, leaves are spaced evenly in tree order and every parent sits at the middle of its
children, so edges never cross. Nodes carry their labels and hover text; drawing them is
:func:`trainer.charts.sizing.sizing_figure`'s job.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

import networkx as nx

from trainer.explainers.sizing.kinds import UseKind
from trainer.explainers.sizing.results import AddressUse, PlanSizing


def _family(kind: UseKind) -> str:
    """The workload family a node is drawn as: ECS, Lambda, or added by hand."""
    if kind in (UseKind.ECS_TASK, UseKind.ECS_INSTANCE):
        return "ECS"
    if kind is UseKind.LAMBDA_HYPERPLANE:
        return "Lambda"
    return "Other"


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _text(value: object) -> str:
    """A plan's own text (names, zones, security groups) for a Plotly label.

    Plotly renders a subset of HTML in labels and hover text (``<a href>``, ``<b>``, ``<br>``),
    and a plan can come from a shared link, so every piece of it is HTML-escaped.
    """
    return escape(str(value), quote=True)


def diagram_graph(result: PlanSizing) -> nx.DiGraph[str]:
    """The tree behind the diagram. Every node has ``layer``, ``kind``, ``label`` and ``hover``;
    subnets add ``fill`` (peak share of usable addresses), workloads ``family`` and ``peak``."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    plan = result.plan
    combos = {(c.subnet, ", ".join(c.functions)): c for c in result.lambda_.combinations}
    graph.add_node(
        "vpc",
        layer=0,
        kind="vpc",
        label=f"VPC<br>{_text(plan.vpc_cidr)}",
        hover=f"VPC {_text(plan.vpc_cidr)}<br>{len(plan.subnets)} subnets, "
        f"{result.usable:,} usable addresses",
    )
    for az in result.azs:
        node = f"az:{az.az}"
        graph.add_node(
            node,
            layer=1,
            kind="az",
            label=_text(az.az),
            hover=f"{_text(az.az)}<br>{len(az.subnets)} subnet(s)<br>"
            f"{az.steady:,} steady / {az.peak:,} peak of {az.usable:,} usable",
        )
        graph.add_edge("vpc", node)
        for sized in (s for s in result.subnets if s.subnet.az == az.az):
            subnet = sized.subnet
            snode = f"subnet:{subnet.name}"
            graph.add_node(
                snode,
                layer=2,
                kind="subnet",
                fill=sized.fill_peak,
                label=f"<b>{_text(subnet.name)}</b> {_text(subnet.cidr)}<br>{sized.peak:,}/{sized.usable:,}"
                f" at peak ({sized.fill_peak:.0%})",
                hover=f"<b>{_text(subnet.name)}</b> ({_text(subnet.cidr)}, {_text(subnet.az)})<br>"
                f"usable {sized.usable:,}<br>steady {sized.steady:,} · peak {sized.peak:,}"
                f"<br>headroom {sized.headroom:,}",
            )
            graph.add_edge(node, snode)
            by_workload: dict[str, list[AddressUse]] = defaultdict(list)
            for use in sized.uses:
                by_workload[use.workload].append(use)
            for workload, uses in by_workload.items():
                peak = sum(u.peak for u in uses)
                steady = sum(u.steady for u in uses)
                title = workload
                if uses[0].kind is UseKind.LAMBDA_HYPERPLANE:
                    combo = combos[(subnet.name, workload)]
                    count = len(combo.functions)
                    title = (
                        f"λ {'+'.join(combo.security_groups)} ({count} function{'s' if count > 1 else ''})"
                    )
                detail = "<br>".join(f"{u.kind.label}: {u.steady:,} steady, {u.peak:,} peak" for u in uses)
                wnode = f"use:{subnet.name}:{workload}"
                graph.add_node(
                    wnode,
                    layer=3,
                    kind="workload",
                    family=_family(uses[0].kind),
                    peak=peak,
                    label=f"{_text(_short(title))}: {steady:,} → {peak:,} ENIs",
                    hover=f"<b>{_text(workload)}</b> in {_text(subnet.name)}<br>{detail}",
                )
                graph.add_edge(snode, wnode)
    return graph


def diagram_positions(graph: nx.DiGraph[str]) -> dict[str, tuple[float, float]]:
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
