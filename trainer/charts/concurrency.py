"""The playground's animated chart: concurrency against the limits, second by second.

Plotly animates in the browser (frames + a Play button + a slider), so replaying costs the
server nothing. Each frame reveals the run up to a moment; the axis ranges are fixed from the
whole run so later frames never rescale or show empty axes. The series are bucketed to at
most a few hundred points (peaks kept as peaks, counts summed) to keep the figure small.

Top panel: this function's running concurrency (peak in each bucket), the concurrency it may
use (reserved, or what the account limit leaves after the other functions), provisioned
concurrency and how much of it is busy; throttles marked on the line, cold starts as a rug
along the bottom. Bottom panel: throttles, cold starts and DLQ deliveries per second and,
for asynchronous and SQS invocation, how many events are waiting.
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
    f32,
    frame_cuts,
    frame_times,
    panel_title,
    playback_controls,
    scatter,
)
from trainer.charts.palette import BLACK, BLUE, GREEN, ORANGE, PURPLE, RED
from trainer.explainers.concurrency.results import SimulationResult
from trainer.explainers.concurrency.settings import Invocation

# Panel row -> (x axis, y axis).
_AXES = {1: ("x", "y"), 2: ("x2", "y2"), 3: ("x2", "y3")}


@dataclass
class BucketedSeries:
    """The run bucketed for drawing: x is each bucket's start time in seconds."""

    x: np.ndarray
    peak: np.ndarray
    limit: np.ndarray
    other: np.ndarray
    pc_busy: np.ndarray
    throttles: np.ndarray  # per second, averaged over the bucket
    colds: np.ndarray
    dlq: np.ndarray
    waiting: np.ndarray
    throttle_total: np.ndarray  # summed over the bucket, for markers
    cold_total: np.ndarray


def bucket(result: SimulationResult, max_points: int = 240) -> BucketedSeries:
    steps = result.steps
    size = max(1, math.ceil(steps.seconds / max_points))
    starts = np.arange(0, steps.seconds, size)

    def peak(a: np.ndarray) -> np.ndarray:
        return np.maximum.reduceat(a, starts)

    def total(a: np.ndarray) -> np.ndarray:
        return np.add.reduceat(a, starts)

    widths = np.diff(np.append(starts, steps.seconds))
    return BucketedSeries(
        x=starts.astype(float),
        peak=peak(steps.concurrency_peak),
        limit=np.minimum.reduceat(steps.limit, starts),
        other=peak(steps.other_load),
        pc_busy=total(steps.provisioned_in_use) / widths,
        throttles=total(steps.throttles) / widths,
        colds=total(steps.cold_starts) / widths,
        dlq=total(steps.dlq) / widths,
        waiting=peak(steps.queue_depth),
        throttle_total=total(steps.throttles),
        cold_total=total(steps.cold_starts),
    )


def y_top(result: SimulationResult, s: BucketedSeries) -> float:
    """Top of the concurrency axis: room for the traffic and provisioned concurrency, and for
    the limit unless it is far above everything else (then it comes into view when it drops)."""
    busy = max(float(s.peak.max(initial=0)), float(result.settings.provisioned), 5.0)
    limit = float(s.limit.max(initial=0))
    return 1.12 * (max(busy, limit) if limit <= 3 * busy else 2 * busy)


def build_figure(result: SimulationResult, *, frames: int = 36, max_points: int = 240) -> go.Figure:
    """The animated figure. The initial view shows the whole run; Play replays it.

    Built from plain dicts with plotly's validation off: validating three dozen frames of
    traces costs a quarter of a second, which would make every control change feel slow.
    """
    s = bucket(result, max_points)
    top = y_top(result, s)
    data = [*_static_traces(result, s), *_animated_traces(result, s, len(s.x), top)]
    first_animated = len(data) - len(list(_animated_traces(result, s, 1, top)))
    animated = list(range(first_animated, len(data)))
    cuts = frame_cuts(len(s.x), frames)
    frame_list = [
        {"name": str(j), "data": list(_animated_traces(result, s, cut, top)), "traces": animated}
        for j, cut in enumerate(cuts)
    ]
    return go.Figure(
        {"data": data, "layout": _layout(result, s, top, cuts), "frames": frame_list},
        _validate=False,
    )


def _line(x: ArrayLike, y: ArrayLike, name: str, row: int, **extra: Any) -> dict[str, Any]:
    return scatter(x, y, name, _AXES[row], **extra)


def _static_traces(result: SimulationResult, s: BucketedSeries) -> Iterator[dict[str, Any]]:
    """Lines that do not animate: the limits are known in advance."""
    settings = result.settings
    label = (
        "Limit: reserved concurrency"
        if settings.reserved is not None
        else "Limit: account limit − other functions"
    )
    yield _line(
        s.x,
        s.limit,
        label,
        1,
        mode="lines",
        line={"color": RED, "dash": "dash", "width": 2, "shape": "hv"},
        hovertemplate="limit %{y:.0f}<extra></extra>",
    )
    if settings.provisioned:
        yield _line(
            [0, settings.seconds],
            [settings.provisioned] * 2,
            f"Provisioned concurrency ({settings.provisioned})",
            1,
            mode="lines",
            line={"color": GREEN, "dash": "dot", "width": 2},
            hoverinfo="skip",
        )
    if settings.invocation is Invocation.SQS and settings.max_concurrency:
        yield _line(
            [0, settings.seconds],
            [settings.max_concurrency] * 2,
            f"SQS MaximumConcurrency ({settings.max_concurrency})",
            1,
            mode="lines",
            line={"color": PURPLE, "dash": "dot", "width": 1},
            hoverinfo="skip",
        )


def _animated_traces(
    result: SimulationResult, s: BucketedSeries, cut: int, top: float
) -> Iterator[dict[str, Any]]:
    """Traces revealed over time; ``cut`` = how many buckets to show."""
    x = s.x[:cut]
    settings = result.settings
    if settings.provisioned:
        yield _line(
            x,
            s.pc_busy[:cut],
            "Provisioned in use",
            1,
            mode="lines",
            fill="tozeroy",
            line={"color": GREEN, "width": 0},
            fillcolor="rgba(44,160,44,0.25)",
            hovertemplate="provisioned busy %{y:.1f}<extra></extra>",
        )
    yield _line(
        x,
        s.peak[:cut],
        "Running (peak)",
        1,
        mode="lines",
        line={"color": BLUE, "width": 2, "shape": "hv"},
        hovertemplate="t=%{x:.0f}s: %{y:.0f} running<extra></extra>",
    )
    hit = np.flatnonzero(s.throttle_total[:cut] > 0)
    yield _line(
        x[hit],
        np.minimum(s.peak[hit], top * 0.97),
        "Throttled",
        1,
        mode="markers",
        marker={
            "symbol": "x-thin",
            "color": RED,
            "line": {"width": 2, "color": RED},
            "size": f32(5 + 2 * np.log10(1 + s.throttle_total[hit])),
        },
        customdata=f32(s.throttle_total[hit]),
        hovertemplate="t=%{x:.0f}s: %{customdata:,.0f} throttled<extra></extra>",
    )
    cold = np.flatnonzero(s.cold_total[:cut] > 0)
    yield _line(
        x[cold],
        np.full(len(cold), top * 0.03),
        "Cold starts",
        1,
        mode="markers",
        marker={
            "symbol": "triangle-up",
            "color": ORANGE,
            "size": f32(7 + 2 * np.log10(1 + s.cold_total[cold])),
        },
        customdata=f32(s.cold_total[cold]),
        hovertemplate="t=%{x:.0f}s: %{customdata:,.0f} cold starts<extra></extra>",
    )
    for name, values, color, fill in (
        ("Throttles/s", s.throttles, RED, "rgba(214,39,40,0.35)"),
        ("Cold starts/s", s.colds, ORANGE, "rgba(255,127,14,0.35)"),
        ("To DLQ/s", s.dlq, BLACK, "rgba(34,34,34,0.35)"),
    ):
        # Step areas rather than bars: plotly animates scatter traces reliably.
        yield _line(
            x,
            values[:cut],
            name,
            2,
            mode="lines",
            fill="tozeroy",
            fillcolor=fill,
            line={"color": color, "width": 1, "shape": "hv"},
            showlegend=False,
            hovertemplate=f"{name} %{{y:.1f}}<extra></extra>",
        )
    if settings.invocation is not Invocation.SYNC:
        what = "SQS backlog" if settings.invocation is Invocation.SQS else "Async queue depth"
        yield _line(
            x,
            s.waiting[:cut],
            what,
            3,
            mode="lines",
            line={"color": PURPLE, "width": 2},
            hovertemplate=f"{what} %{{y:,.0f}}<extra></extra>",
        )


def _layout(result: SimulationResult, s: BucketedSeries, top: float, cuts: list[int]) -> dict[str, Any]:
    seconds = result.settings.seconds
    per_second_top = 1.15 * max(
        float(s.throttles.max(initial=0)), float(s.colds.max(initial=0)), float(s.dlq.max(initial=0)), 1.0
    )
    waiting_top = 1.15 * max(float(s.waiting.max(initial=0)), 1.0)
    queued = result.settings.invocation is not Invocation.SYNC
    annotations = [
        panel_title("Concurrency against the limits", 1.0),
        _per_second_title(result.settings.invocation is Invocation.ASYNC),
    ]
    limit_max = float(s.limit.max(initial=0))
    if limit_max > top:
        annotations.append(
            {
                "x": 0.01,
                "y": 0.97,
                "xref": "paper",
                "yref": "paper",
                "showarrow": False,
                "xanchor": "left",
                "font": {"color": RED, "size": 11},
                "text": f"limit {limit_max:,.0f} is above the top of the chart"
                + (" until it drops" if float(np.min(s.limit)) <= top else ""),
            }
        )
    height, bottom = 620, 40  # px: the controls go by pixels above the plot
    return {
        "height": height,
        "margin": {"l": 60, "r": 60, "t": CONTROLS_TOP_PX, "b": bottom},
        "legend": {"orientation": "h", "y": -0.12, "x": 0},
        "hovermode": "closest",
        "xaxis": {"range": [0, seconds], "anchor": "y", "matches": "x2", "showticklabels": False},
        "yaxis": {"range": [0, top], "domain": [0.38, 1.0], "title": {"text": "running"}},
        "xaxis2": {"range": [0, seconds], "anchor": "y2", "title": {"text": "simulated time (s)"}},
        "yaxis2": {"range": [0, per_second_top], "domain": [0.0, 0.25], "title": {"text": "per second"}},
        "yaxis3": {
            "range": [0, waiting_top],
            "overlaying": "y2",
            "side": "right",
            "anchor": "x2",
            "showgrid": False,
            "visible": queued,
            "title": {"text": "waiting", "font": {"color": PURPLE}},
        },
        "annotations": annotations,
        # The slider has a row of its own under Play/Pause: beside them, a phone-wide chart
        # left it a thumb's width, with its labels on top of each other.
        **playback_controls(frame_times(s.x, cuts), height, bottom),
    }


def _per_second_title(dlq: bool) -> dict[str, Any]:
    """The bottom panel's title and, on a short line of its own, which colour is which: one long
    line was cut off at the edge of a phone-wide chart. Waiting events are named by the right
    axis's purple title."""
    key = "throttles (red) · cold starts (orange)" + (" · to DLQ (black)" if dlq else "")
    title = panel_title("Per second", 0.262)
    return {**title, "align": "left", "text": f"{title['text']}<br><span style='font-size:11px'>{key}</span>"}
