"""Charts for the Aliases & canaries page: the alias diagram, a deployment over time, and the
same deployment under every strategy.

The diagram is drawn by hand rather than by a graph-layout library: its meaning is in the
columns (callers → aliases → versions) and in the order of the versions, which a force layout
would scramble. Arrows are plotly annotations in data coordinates, nodes are one scatter trace
per kind so the legend doubles as a key, and every node has hover text saying what it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from trainer.charts.palette import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from trainer.explainers.aliases.canary import DeploymentResult
from trainer.explainers.aliases.deployment import AlarmMetric
from trainer.explainers.aliases.topology import ALIAS, LATEST, AliasSetup, CallerTarget, ProvisionedOn

_X_CALLER, _X_ALIAS, _X_VERSION = 0.0, 1.0, 2.0


def _positions(setup: AliasSetup) -> dict[str, tuple[float, float]]:
    """Node name -> (x, y). Versions stack upwards with $LATEST on top."""
    n = setup.published
    pos = {LATEST: (_X_VERSION, float(n))}
    for v in range(1, n + 1):
        pos[str(v)] = (_X_VERSION, float(v - 1))
    pos[ALIAS] = (_X_ALIAS, max(0.0, n / 2 - 0.5))
    pos["dev"] = (_X_ALIAS, float(n))
    pos["API Gateway"] = (_X_CALLER, max(0.0, n / 2 + 0.3))
    pos["Event source mapping"] = (_X_CALLER, max(0.0, n / 2 - 1.3))
    return pos


def _target_node(setup: AliasSetup, target: CallerTarget) -> str:
    return {
        CallerTarget.ALIAS: ALIAS,
        CallerTarget.VERSION: str(setup.live_version),
        CallerTarget.LATEST: LATEST,
    }[target]


def _arrow(
    start: tuple[float, float], end: tuple[float, float], colour: str, text: str = "", dash: bool = False
) -> list[dict[str, Any]]:
    # Stop short of the node so the arrow head stays visible next to the marker.
    (x0, y0), (x1, y1) = start, end
    length = max(float(np.hypot(x1 - x0, y1 - y0)), 1e-9)
    trim = 0.09 / length
    xs, ys = x0 + (x1 - x0) * trim, y0 + (y1 - y0) * trim
    xe, ye = x1 - (x1 - x0) * trim, y1 - (y1 - y0) * trim
    out: list[dict[str, Any]] = [
        {
            "x": xe,
            "y": ye,
            "ax": xs,
            "ay": ys,
            "xref": "x",
            "yref": "y",
            "axref": "x",
            "ayref": "y",
            "showarrow": True,
            "arrowhead": 3,
            "arrowsize": 1.2,
            "arrowwidth": 1.5 if dash else 2.2,
            "arrowcolor": colour,
            "opacity": 0.6 if dash else 1.0,
            "text": "",
        }
    ]
    if text:
        out.append(
            {
                "x": (xs + xe) / 2,
                "y": (ys + ye) / 2,
                "xref": "x",
                "yref": "y",
                "text": text,
                "showarrow": False,
                "font": {"color": colour, "size": 12},
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    return out


def build_alias_diagram(setup: AliasSetup, function_name: str = "my-function") -> go.Figure:
    """The function's versions and aliases, who points where, and provisioned concurrency."""
    pos = _positions(setup)
    arn = f"arn:aws:lambda:…:function:{function_name}"
    routes = setup.routes()
    pc_node = {
        ProvisionedOn.ALIAS: ALIAS,
        ProvisionedOn.VERSION: str(setup.provisioned_version),
    }.get(setup.provisioned_on)
    versions = [str(v) for v in range(1, setup.published + 1)]
    version_hover = [
        f"<b>Version {v}</b><br>Published: an immutable snapshot of code and settings.<br>"
        f"ARN {arn}:{v}<br>"
        + (f"Gets {100 * routes[v]:g} % of the alias's requests" if v in routes else "No alias traffic")
        for v in versions
    ]
    traces = [
        _nodes(
            [pos[v] for v in versions],
            [f"v{v}" for v in versions],
            version_hover,
            "Published version (immutable)",
            BLUE,
            "square",
        ),
        _nodes(
            [pos[LATEST]],
            [LATEST],
            [
                f"<b>$LATEST</b><br>The only editable version: your latest saved code.<br>"
                f"Unqualified ARN {arn} invokes it."
            ],
            "$LATEST (editable)",
            ORANGE,
            "square",
        ),
    ]
    aliases = [ALIAS, *(["dev"] if setup.dev_on_latest else [])]
    alias_hover = [
        f"<b>Alias {ALIAS}</b><br>A pointer with its own ARN {arn}:{ALIAS}.<br>"
        + " + ".join(f"v{v}: {100 * w:g} %" for v, w in routes.items()),
        f"<b>Alias dev</b><br>Aliases may point at $LATEST (but a weighted alias may not).<br>ARN {arn}:dev",
    ]
    traces.append(
        _nodes(
            [pos[a] for a in aliases],
            aliases,
            alias_hover[: len(aliases)],
            "Alias (pointer)",
            GREEN,
            "diamond",
        )
    )
    callers = ["API Gateway", "Event source mapping"]
    caller_labels = ["API Gateway", "Event source<br>mapping"]
    targets = [setup.api_target, setup.esm_target]
    caller_hover = [
        f"<b>{c}</b><br>Invokes {_target_node(setup, t)}: {t.label}"
        for c, t in zip(callers, targets, strict=True)
    ]
    traces.append(_nodes([pos[c] for c in callers], caller_labels, caller_hover, "Caller", PURPLE, "circle"))
    annotations: list[dict[str, Any]] = []
    for version, weight in routes.items():
        label = f"{100 * weight:g} %" if setup.weighted else ""
        annotations += _arrow(pos[ALIAS], pos[version], GREEN, label)
    if setup.dev_on_latest:
        annotations += _arrow(pos["dev"], pos[LATEST], GREEN)
    for caller, target in zip(callers, targets, strict=True):
        colour = PURPLE if target is CallerTarget.ALIAS else RED
        annotations += _arrow(pos[caller], pos[_target_node(setup, target)], colour)
    if pc_node is not None:
        x, y = pos[pc_node]
        annotations.append(
            {
                "x": x + 0.1,
                "y": y,
                "xanchor": "left",
                "xref": "x",
                "yref": "y",
                "text": f"⚡ {setup.provisioned}<br>provisioned",
                "showarrow": False,
                "font": {"color": BLACK, "size": 11},
                "bgcolor": "#fff3cd",
                "bordercolor": ORANGE,
            }
        )
    n = setup.published
    layout = {
        "height": max(360, 80 * (n + 2)),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.02, "x": 0, "yanchor": "top"},
        "xaxis": {"range": [-0.45, 2.7], "visible": False, "fixedrange": True},
        "yaxis": {"range": [-0.8, n + 0.6], "visible": False, "fixedrange": True},
        "annotations": annotations,
        "title": {
            "text": f"Function {function_name}: callers → aliases → versions",
            "x": 0,
            "font": {"size": 15},
        },
        "plot_bgcolor": "white",
        "hovermode": "closest",
    }
    return go.Figure({"data": traces, "layout": layout})


def _nodes(
    points: Sequence[tuple[float, float]],
    labels: list[str],
    hover: list[str],
    name: str,
    colour: str,
    symbol: str,
) -> dict[str, Any]:
    return {
        "type": "scatter",
        "mode": "markers+text",
        "x": [p[0] for p in points],
        "y": [p[1] for p in points],
        "text": labels,
        "textposition": "top center",
        "hovertext": hover,
        "hoverinfo": "text",
        "name": name,
        "marker": {"size": 26, "color": colour, "symbol": symbol, "line": {"width": 1, "color": "white"}},
    }


def build_deployment_figure(result: DeploymentResult) -> go.Figure:
    """Share on the new version, requests and errors per version, and the alarm's periods."""
    s = result.settings
    t = np.arange(s.seconds) / 60.0
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.07,
        row_heights=[0.28, 0.42, 0.3],
        subplot_titles=(
            "Share of requests on the new version",
            "Requests and errors per second, by version",
            f"Alarm: error % per {s.alarm_period_s}-s period "
            f"({'new version' if s.alarm_metric is AlarmMetric.NEW_VERSION else 'whole alias'})",
        ),
    )
    fig.add_scatter(
        x=t, y=100 * result.share, name="% on new version", line={"color": BLUE, "shape": "hv"}, row=1, col=1
    )
    fig.add_scatter(
        x=t,
        y=result.requests_old,
        name="Requests: original version",
        stackgroup="req",
        line={"color": GREY, "width": 0.5},
        row=2,
        col=1,
    )
    fig.add_scatter(
        x=t,
        y=result.requests_new,
        name="Requests: new version",
        stackgroup="req",
        line={"color": BLUE, "width": 0.5},
        row=2,
        col=1,
    )
    fig.add_scatter(x=t, y=result.errors_new, name="Errors: new version", line={"color": RED}, row=2, col=1)
    if s.old_error_rate > 0:
        fig.add_scatter(
            x=t,
            y=result.errors_old,
            name="Errors: original version",
            line={"color": BLACK, "dash": "dot"},
            row=2,
            col=1,
        )
    ends = [p.end_s / 60 for p in result.periods]
    rates = [100 * p.error_rate if p.error_rate is not None else 0.0 for p in result.periods]
    colours = [RED if p.in_alarm else (ORANGE if p.breaching else GREEN) for p in result.periods]
    fig.add_bar(
        x=[e - s.alarm_period_s / 120 for e in ends],
        y=rates,
        width=[0.9 * s.alarm_period_s / 60] * len(ends),
        marker={"color": colours},
        name="Alarm error rate (red: ALARM)",
        hovertext=[
            f"period ending {p.end_s} s: "
            + ("no requests" if p.error_rate is None else f"{100 * p.error_rate:.2f} %")
            + (" · ALARM" if p.in_alarm else (" · breaching" if p.breaching else ""))
            for p in result.periods
        ],
        hoverinfo="text",
        row=3,
        col=1,
    )
    fig.add_hline(
        y=100 * s.alarm_error_rate,
        line={"color": RED, "dash": "dash"},
        annotation_text="threshold",
        row=3,
        col=1,
    )
    _mark_events(fig, result)
    fig.update_yaxes(title_text="%", range=[0, 105], row=1, col=1)
    fig.update_yaxes(title_text="per second", row=2, col=1)
    fig.update_yaxes(title_text="error %", rangemode="tozero", row=3, col=1)
    fig.update_xaxes(
        title_text="minutes since the deployment started", range=[0, s.seconds / 60], row=3, col=1
    )
    fig.update_layout(
        height=640,
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        legend={"orientation": "h", "y": -0.12, "x": 0},
        hovermode="x unified",
        bargap=0,
    )
    return fig


def _mark_events(fig: go.Figure, result: DeploymentResult) -> None:
    s = result.settings
    if s.pre_hook_s:
        fig.add_vrect(
            x0=0, x1=s.pre_hook_s / 60, fillcolor=PURPLE, opacity=0.12, line_width=0, row="all", col=1
        )
    shifted = result.all_shifted_s
    rolled_back_first = (
        result.rollback_at_s is not None and shifted is not None and result.rollback_at_s < shifted
    )
    if shifted is not None and s.post_hook_s and shifted < s.seconds and not rolled_back_first:
        end = min(result.planned_end_s, s.seconds)
        fig.add_vrect(
            x0=shifted / 60,
            x1=end / 60,
            fillcolor=PURPLE,
            opacity=0.12,
            line_width=0,
            row="all",
            col=1,
        )
    events = []
    if result.alarm_at_s is not None:
        events.append((result.alarm_at_s, RED, "alarm"))
    if result.rollback_at_s is not None and result.rollback_at_s != result.alarm_at_s:
        events.append((result.rollback_at_s, BLACK, "rollback"))
    elif result.rollback_at_s is not None:
        events[-1] = (result.rollback_at_s, RED, "alarm → rollback")
    if (
        result.planned_end_s <= s.seconds
        and result.rollback_at_s is None
        and result.shift_starts_s is not None
    ):
        events.append((result.planned_end_s, GREEN, "deployment done"))
    for i, (at, colour, text) in enumerate(sorted(events)):
        fig.add_vline(x=at / 60, line={"color": colour, "dash": "dash"}, row="all", col=1)
        fig.add_annotation(  # staggered, so labels of nearby events do not overlap
            x=at / 60,
            y=0.95 - 0.3 * (i % 3),
            yref="y domain",
            text=text,
            showarrow=False,
            font={"color": colour},
            bgcolor="rgba(255,255,255,0.8)",
            xanchor="left",
            row=1,
            col=1,
        )


def build_comparison_figure(results: Sequence[DeploymentResult]) -> go.Figure:
    """How many requests met the bad version, and how many failed, under each strategy."""
    names = [r.strategy.name for r in results]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=[r.requests_on_new for r in results],
        orientation="h",
        name="Requests served by the new version",
        marker={"color": BLUE},
        text=[_outcome_note(r) for r in results],
        textposition="outside",
        cliponaxis=False,
    )
    fig.add_bar(
        y=names,
        x=[r.errors_seen for r in results],
        orientation="h",
        name="Errors from the new version",
        marker={"color": RED},
    )
    fig.update_layout(
        barmode="group",
        height=480,
        margin={"l": 10, "r": 110, "t": 40, "b": 40},
        title={"text": "The same bad version under every strategy", "x": 0, "font": {"size": 15}},
        xaxis={"title": {"text": "requests (expected)"}, "type": "log"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15, "x": 0},
    )
    return fig


def _outcome_note(r: DeploymentResult) -> str:
    if r.rollback_at_s is not None:
        return f"rolled back at {r.rollback_at_s} s"
    return {
        "succeeded": "not rolled back",
        "in-progress": "still shifting",
        "pre-traffic-hook-failed": "stopped",
    }[r.outcome.value]
