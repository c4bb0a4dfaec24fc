"""The ECS auto scaling explainer's chart: load, utilisation, tasks and instances on one time axis.

Four stacked panels share the time axis and animate in the browser like the other explainers
(frames + Play + a slider; axis ranges fixed from the whole run; the markers stay put):
requests/s offered, served and
dropped; CPU and memory against the targets; tasks desired, running and pending, with a marker
for each scaling activity and alarm change (its reason on hover); instances and the cost per
hour. Built from plain dicts with plotly's validation off, so a control change stays quick.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from trainer.charts.animation import (
    CONTROLS_TOP_PX,
    axis_top,
    frame_cuts,
    frame_times,
    panel_title,
    playback_controls,
    scatter,
)
from trainer.charts.palette import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from trainer.explainers.ecs_scaling.results import EcsResult
from trainer.explainers.sizing.kinds import LaunchType

_AXES = {1: ("x", "y"), 2: ("x2", "y2"), 3: ("x3", "y3"), 4: ("x4", "y4"), 5: ("x4", "y5")}


@dataclass(frozen=True)
class Buckets:
    x: np.ndarray  # each bucket's start, seconds
    offered: np.ndarray
    served: np.ndarray
    dropped: np.ndarray
    cpu: np.ndarray
    memory: np.ndarray
    desired: np.ndarray
    running: np.ndarray
    pending: np.ndarray
    unhealthy: np.ndarray
    instances: np.ndarray
    cost_per_hour: np.ndarray


def bucket(result: EcsResult, max_points: int = 200) -> Buckets:
    x = result.series
    size = max(1, math.ceil(x.seconds / max_points))
    starts = np.arange(0, x.seconds, size)
    widths = np.diff(np.r_[starts, x.seconds])

    def mean(a: np.ndarray) -> np.ndarray:
        return np.add.reduceat(a.astype(np.float64), starts) / widths

    def nanmean(a: np.ndarray) -> np.ndarray:
        ok = np.isfinite(a)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.add.reduceat(np.where(ok, a, 0.0), starts) / np.add.reduceat(ok.astype(float), starts)

    return Buckets(
        x=starts.astype(np.float64),
        offered=mean(x.offered),
        served=mean(x.served),
        dropped=mean(x.dropped),
        cpu=nanmean(x.cpu_pct),
        memory=nanmean(x.memory_pct),
        desired=np.maximum.reduceat(x.desired, starts),
        running=np.minimum.reduceat(x.running, starts),
        pending=np.maximum.reduceat(x.pending, starts),
        unhealthy=np.maximum.reduceat(x.unhealthy, starts),
        instances=np.maximum.reduceat(x.instances + x.instances_launching, starts),
        cost_per_hour=mean(x.cost_usd) * 3600,
    )


def _line(x: ArrayLike, y: ArrayLike, name: str, row: int, **extra: Any) -> dict[str, Any]:
    return scatter(x, y, name, _AXES[row], **extra)


def build_figure(result: EcsResult, *, frames: int = 24, max_points: int = 200) -> go.Figure:
    """The animated timeline; the first view shows the whole run, Play replays it."""
    b = bucket(result, max_points)
    # Markers are drawn once for the whole run (not per frame): every animated trace costs plotly
    # a full validation in each frame, and the markers' hover text is the part worth reading.
    static = [*_static(result), *_markers(result, math.inf)]
    animated = list(_animated(result, b, len(b.x)))
    indexes = list(range(len(static), len(static) + len(animated)))
    cuts = frame_cuts(len(b.x), frames)
    frame_list = [
        {"name": str(j), "data": list(_animated(result, b, cut)), "traces": indexes}
        for j, cut in enumerate(cuts)
    ]
    layout = _layout(result, b, frame_times(b.x, cuts))
    return go.Figure({"data": static + animated, "layout": layout, "frames": frame_list}, _validate=False)


def _static(result: EcsResult) -> Iterator[dict[str, Any]]:
    s = result.settings
    end = [0, s.seconds]
    for metric, target in s.targets.items():
        if metric.value == "requests":
            continue
        yield _line(
            end,
            [target] * 2,
            f"{metric.label} target {target:g} %",
            2,
            mode="lines",
            line={"color": RED, "dash": "dash", "width": 1.5},
            hoverinfo="skip",
        )
    yield _line(
        end,
        [s.max_tasks] * 2,
        f"Maximum capacity ({s.max_tasks})",
        3,
        mode="lines",
        line={"color": GREY, "dash": "dot", "width": 1},
        hoverinfo="skip",
    )
    if s.launch_type is not LaunchType.EC2:
        # No instances on Fargate, so nothing else is drawn on the bottom panel's own axes, and
        # plotly then lays out the other panels' shared time axis and the cost overlay over the
        # whole figure (every panel but the cost came out blank). An empty trace keeps the axes.
        yield _line([], [], "", 4, mode="lines", showlegend=False, hoverinfo="skip")


def _animated(result: EcsResult, b: Buckets, cut: int) -> Iterator[dict[str, Any]]:
    x = b.x[:cut]
    for name, values, color, fill in (
        ("Offered req/s", b.offered, GREY, None),
        ("Served req/s", b.served, GREEN, "rgba(44,160,44,0.2)"),
        ("Dropped or slow req/s", b.dropped, RED, "rgba(214,39,40,0.35)"),
    ):
        extra = {"fill": "tozeroy", "fillcolor": fill} if fill else {}
        yield _line(
            x,
            values[:cut],
            name,
            1,
            mode="lines",
            line={"color": color, "width": 1.5},
            **extra,
            hovertemplate=f"t=%{{x:,.0f}}s {name} %{{y:,.0f}}<extra></extra>",
        )
    yield _line(
        x,
        b.cpu[:cut],
        "CPU %",
        2,
        mode="lines",
        line={"color": BLUE, "width": 2},
        hovertemplate="CPU %{y:.0f} %<extra></extra>",
    )
    yield _line(
        x,
        b.memory[:cut],
        "Memory %",
        2,
        mode="lines",
        line={"color": PURPLE, "width": 2},
        hovertemplate="memory %{y:.0f} %<extra></extra>",
    )
    yield _line(
        x,
        b.pending[:cut],
        "Pending (waiting + starting)",
        3,
        mode="lines",
        fill="tozeroy",
        fillcolor="rgba(255,127,14,0.3)",
        line={"color": ORANGE, "width": 1, "shape": "hv"},
        hovertemplate="pending %{y:.0f}<extra></extra>",
    )
    yield _line(
        x,
        b.desired[:cut],
        "Desired",
        3,
        mode="lines",
        line={"color": BLACK, "width": 1.5, "dash": "dash", "shape": "hv"},
        hovertemplate="desired %{y:.0f}<extra></extra>",
    )
    yield _line(
        x,
        b.running[:cut],
        "Running (healthy)",
        3,
        mode="lines",
        line={"color": BLUE, "width": 2, "shape": "hv"},
        hovertemplate="running %{y:.0f}<extra></extra>",
    )
    yield _line(
        x,
        b.unhealthy[:cut],
        "Failing health checks",
        3,
        mode="lines",
        line={"color": RED, "width": 1, "shape": "hv"},
        hovertemplate="unhealthy %{y:.0f}<extra></extra>",
    )
    if result.settings.launch_type is LaunchType.EC2:
        yield _line(
            x,
            b.instances[:cut],
            "Instances",
            4,
            mode="lines",
            line={"color": BLACK, "width": 2, "shape": "hv"},
            hovertemplate="instances %{y:.0f}<extra></extra>",
        )
    yield _line(
        x,
        b.cost_per_hour[:cut],
        "Cost $/hour (right axis)",
        5,
        mode="lines",
        line={"color": GREEN, "width": 1.5},
        hovertemplate="$%{y:.3f} per hour<extra></extra>",
    )


def _markers(result: EcsResult, until_s: float) -> Iterator[dict[str, Any]]:
    acts = [a for a in result.activities if a.at_s <= until_s]
    for direction, symbol, color, name in (
        ("out", "triangle-up", GREEN, "Scale-out"),
        ("in", "triangle-down", PURPLE, "Scale-in"),
        ("none", "circle-open", GREY, "Not scaled (reason)"),
    ):
        chosen = [a for a in acts if a.direction == direction]
        yield _line(
            [a.at_s for a in chosen],
            [a.after for a in chosen],
            name,
            3,
            mode="markers",
            marker={"symbol": symbol, "color": color, "size": 10 if direction != "none" else 7},
            text=[_wrap(f"{a.before} → {a.after} tasks. {a.reason}") for a in chosen],
            hovertemplate="t=%{x:,.0f}s<br>%{text}<extra>" + name + "</extra>",
        )
    alarms = [a for a in result.alarms if a.at_s <= until_s and a.state == "ALARM"]
    yield _line(
        [a.at_s for a in alarms],
        [100.0] * len(alarms),
        "Alarm → ALARM",
        2,
        mode="markers",
        marker={"symbol": "diamond", "color": RED, "size": 8},
        text=[
            _wrap(f"{a.alarm} ({a.reason.split(': ', 1)[1]}); newest datapoint {a.value:,.1f}")
            for a in alarms
        ],
        hovertemplate="t=%{x:,.0f}s<br>%{text}<extra>alarm</extra>",
    )
    changes = [c for c in result.instance_changes if c.at_s <= until_s]
    if result.settings.launch_type is LaunchType.EC2:
        yield _line(
            [c.at_s for c in changes],
            [c.after for c in changes],
            "Instance scaling",
            4,
            mode="markers",
            marker={"symbol": "square", "color": ORANGE, "size": 8},
            text=[_wrap(c.reason) for c in changes],
            hovertemplate="t=%{x:,.0f}s<br>%{text}<extra>managed scaling</extra>",
        )
    events = [d for d in result.deployment_events if d.at_s <= until_s]
    yield _line(
        [d.at_s for d in events],
        [0.0] * len(events),
        "Deployment event",
        3,
        mode="markers",
        marker={"symbol": "x", "color": RED, "size": 9},
        text=[_wrap(d.text) for d in events],
        hovertemplate="t=%{x:,.0f}s<br>%{text}<extra>deployment</extra>",
    )


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _layout(result: EcsResult, b: Buckets, times: list[float]) -> dict[str, Any]:
    s = result.settings
    ec2 = s.launch_type is LaunchType.EC2
    span = [0, s.seconds]
    hidden = {"range": span, "matches": "x4", "showticklabels": False}
    height, bottom = 880, 40  # px: the controls go by pixels above the plot
    return {
        "height": height,
        "margin": {"l": 60, "r": 60, "t": CONTROLS_TOP_PX, "b": bottom},
        "legend": {"orientation": "h", "y": -0.11, "yanchor": "top", "x": 0},
        "hovermode": "closest",
        "xaxis": {**hidden, "anchor": "y"},
        "yaxis": {
            "range": [0, axis_top(b.offered, headroom=1.12)],
            "domain": [0.79, 1.0],
            "title": {"text": "req/s"},
        },
        "xaxis2": {**hidden, "anchor": "y2"},
        "yaxis2": {"range": [0, 110], "domain": [0.54, 0.74], "title": {"text": "%"}},
        "xaxis3": {**hidden, "anchor": "y3"},
        "yaxis3": {
            "range": [0, axis_top(b.desired, b.running, b.pending, floor=s.max_tasks * 0.5, headroom=1.12)],
            "domain": [0.24, 0.49],
            "title": {"text": "tasks"},
        },
        "xaxis4": {"range": span, "anchor": "y4", "title": {"text": "simulated time (s)"}},
        "yaxis4": {
            "range": [0, axis_top(b.instances, floor=2.0, headroom=1.12)],
            "domain": [0.0, 0.19],
            "title": {"text": "instances" if ec2 else ""},
            # On Fargate the panel holds only the cost, on yaxis5 overlaying this axis: the axis
            # stays (without ticks or grid) because plotly lays an overlay over an invisible axis
            # on the whole height, and the cost line then covered every panel.
            "showticklabels": ec2,
            "showgrid": ec2,
            "zeroline": ec2,
        },
        "yaxis5": {
            "range": [0, axis_top(b.cost_per_hour, floor=0.01, headroom=1.12)],
            "overlaying": "y4",
            "side": "right",
            "anchor": "x4",
            "showgrid": False,
            "title": {"text": "$/hour"},
        },
        "annotations": [
            panel_title("Load: req/s offered, served, dropped", 1.0),
            panel_title("CPU, memory vs target (◆ ALARM)", 0.745),
            panel_title("Tasks (▲▼ scaling, ○ not scaled: hover)", 0.495),
            panel_title(("Instances (■ scaling), " if ec2 else "") + "cost per hour", 0.195),
        ],
        **playback_controls(times, height, bottom),
    }
