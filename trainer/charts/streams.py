"""The streams explainer's charts: the mapping over time (animated), and the poisoned lane batch by batch.

The timeline animates in the browser like the concurrency playground's (frames + Play + a
slider; axis ranges fixed from the whole run so later frames never rescale). Three panels share
the time axis: concurrency against shards × ParallelizationFactor; IteratorAge (the newest
record of each batch sent) and the longest wait (its oldest record); records per second written,
processed and discarded, with the backlog on the right axis.

The second figure shows each invocation of the lane that holds the poison record as a bar
spanning the records it was sent, red when it failed: bisection shows as bars halving down to
the single bad record, ReportBatchItemFailures as a retry starting at the poison.
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
    f32,
    frame_cuts,
    frame_times,
    panel_title,
    playback_controls,
    scatter,
)
from trainer.charts.palette import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, RED
from trainer.explainers.streams.results import StreamResult

# Panel row -> (x axis, y axis); the backlog has its own y axis on the third panel.
_AXES = {1: ("x", "y"), 2: ("x2", "y2"), 3: ("x3", "y3"), 4: ("x3", "y4")}


@dataclass(frozen=True)
class StreamBuckets:
    """The run bucketed for drawing: x is each bucket's start time in seconds."""

    x: np.ndarray
    concurrency: np.ndarray  # peak in the bucket
    age: np.ndarray  # largest IteratorAge in the bucket (NaN: no batch sent)
    wait: np.ndarray  # largest oldest-record wait in the bucket
    written: np.ndarray  # per second, averaged over the bucket
    processed: np.ndarray
    discarded: np.ndarray
    failed: np.ndarray  # failed invocations summed over the bucket
    backlog: np.ndarray  # at the bucket's end


def bucket(result: StreamResult, max_points: int = 240) -> StreamBuckets:
    series = result.series
    size = max(1, math.ceil(series.seconds / max_points))
    starts = np.arange(0, series.seconds, size)

    def peak(a: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.array(
                [np.nan if np.all(np.isnan(c)) else np.nanmax(c) for c in np.split(a, starts[1:])]
            )

    def mean(a: np.ndarray) -> np.ndarray:
        return np.add.reduceat(a, starts) / np.diff(np.r_[starts, series.seconds])

    return StreamBuckets(
        x=starts.astype(np.float64),
        concurrency=np.maximum.reduceat(series.concurrency_peak, starts),
        age=peak(series.iterator_age_s),
        wait=peak(series.oldest_wait_s),
        written=mean(series.written),
        processed=mean(series.processed),
        discarded=mean(series.discarded),
        failed=np.add.reduceat(series.failed_invocations, starts),
        backlog=series.backlog[np.minimum(np.r_[starts[1:], series.seconds] - 1, series.seconds - 1)],
    )


def build_figure(result: StreamResult, *, frames: int = 36, max_points: int = 240) -> go.Figure:
    """The animated timeline. The first view shows the whole run; Play replays it.

    Built from plain dicts with plotly's validation off, as the playground's chart is: validating
    dozens of frames would make every control change feel slow.
    """
    b = bucket(result, max_points)
    data = [*_static_traces(result), *_animated(b, len(b.x))]
    animated = list(range(len(data) - len(list(_animated(b, 1))), len(data)))
    cuts = frame_cuts(len(b.x), frames)
    frame_list = [
        {"name": str(j), "data": list(_animated(b, cut)), "traces": animated} for j, cut in enumerate(cuts)
    ]
    return go.Figure(
        {"data": data, "layout": _layout(result, b, cuts), "frames": frame_list}, _validate=False
    )


def _line(x: ArrayLike, y: ArrayLike, name: str, row: int, **extra: Any) -> dict[str, Any]:
    return scatter(x, y, name, _AXES[row], **extra)


def _static_traces(result: StreamResult) -> Iterator[dict[str, Any]]:
    s = result.settings
    yield _line(
        [0, s.seconds],
        [s.max_concurrency] * 2,
        f"Limit: {s.shards} shards × factor {s.parallelization_factor}",
        1,
        mode="lines",
        line={"color": RED, "dash": "dash", "width": 2},
        hoverinfo="skip",
    )
    bound = s.window_s + s.duration_ms / 1000
    yield _line(
        [0, s.seconds],
        [bound] * 2,
        f"Window + duration ({bound:g} s)",
        2,
        mode="lines",
        line={"color": GREY, "dash": "dot", "width": 1},
        hoverinfo="skip",
    )


def _animated(b: StreamBuckets, cut: int) -> Iterator[dict[str, Any]]:
    x = b.x[:cut]
    yield _line(
        x,
        b.concurrency[:cut],
        "Running batches (peak)",
        1,
        mode="lines",
        line={"color": BLUE, "width": 2, "shape": "hv"},
        hovertemplate="t=%{x:.0f}s: %{y:.0f} running<extra></extra>",
    )
    yield _line(
        x,
        b.age[:cut],
        "IteratorAge (newest record)",
        2,
        mode="lines",
        line={"color": PURPLE, "width": 2},
        hovertemplate="t=%{x:.0f}s: IteratorAge %{y:.2f} s<extra></extra>",
    )
    yield _line(
        x,
        b.wait[:cut],
        "Oldest record's wait",
        2,
        mode="lines",
        line={"color": PURPLE, "width": 1, "dash": "dot"},
        hovertemplate="t=%{x:.0f}s: oldest waited %{y:.2f} s<extra></extra>",
    )
    for name, values, color, fill in (
        ("Written/s", b.written, GREY, "rgba(127,127,127,0.2)"),
        ("Processed/s", b.processed, GREEN, "rgba(44,160,44,0.25)"),
        ("Discarded/s", b.discarded, BLACK, "rgba(34,34,34,0.5)"),
    ):
        yield _line(
            x,
            values[:cut],
            name,
            3,
            mode="lines",
            fill="tozeroy",
            fillcolor=fill,
            line={"color": color, "width": 1, "shape": "hv"},
            hovertemplate=f"{name} %{{y:,.1f}}<extra></extra>",
        )
    hit = np.flatnonzero(b.failed[:cut] > 0)
    yield _line(
        x[hit],
        np.zeros(len(hit)),
        "Failed invocations",
        3,
        mode="markers",
        marker={"symbol": "x-thin", "color": RED, "line": {"width": 2, "color": RED}, "size": 8},
        customdata=f32(b.failed[hit]),
        hovertemplate="t=%{x:.0f}s: %{customdata:,.0f} failed<extra></extra>",
    )
    yield _line(
        x,
        b.backlog[:cut],
        "Backlog (right axis)",
        4,
        mode="lines",
        line={"color": ORANGE, "width": 2},
        hovertemplate="backlog %{y:,.0f}<extra></extra>",
    )


def _layout(result: StreamResult, b: StreamBuckets, cuts: list[int]) -> dict[str, Any]:
    s = result.settings
    seconds = s.seconds
    bound = s.window_s + s.duration_ms / 1000
    height, bottom = 700, 40  # px: the controls go by pixels above the plot
    return {
        "height": height,
        "margin": {"l": 60, "r": 60, "t": CONTROLS_TOP_PX, "b": bottom},
        "legend": {"orientation": "h", "y": -0.14, "yanchor": "top", "x": 0},
        "hovermode": "closest",
        "xaxis": {"range": [0, seconds], "anchor": "y", "matches": "x3", "showticklabels": False},
        "yaxis": {
            "range": [0, axis_top(b.concurrency, floor=float(s.max_concurrency))],
            "domain": [0.72, 1.0],
            "title": {"text": "batches"},
        },
        "xaxis2": {"range": [0, seconds], "anchor": "y2", "matches": "x3", "showticklabels": False},
        "yaxis2": {
            "range": [0, axis_top(b.age, b.wait, floor=bound)],
            "domain": [0.38, 0.64],
            "title": {"text": "seconds"},
        },
        "xaxis3": {"range": [0, seconds], "anchor": "y3", "title": {"text": "simulated time (s)"}},
        "yaxis3": {
            "range": [0, axis_top(b.written, b.processed, b.discarded)],
            "domain": [0.0, 0.3],
            "title": {"text": "records/s"},
        },
        "yaxis4": {
            "range": [0, axis_top(b.backlog)],
            "overlaying": "y3",
            "side": "right",
            "anchor": "x3",
            "showgrid": False,
            "title": {"text": "backlog"},
        },
        "annotations": [
            panel_title("Running batches (limit: shards × factor)", 1.0),
            panel_title("IteratorAge and longest wait (s)", 0.655),
            panel_title("Records/s, failures (×), backlog", 0.315),
        ],
        **playback_controls(frame_times(b.x, cuts), height, bottom),
    }


def poison_lane_figure(
    result: StreamResult, *, before: int = 1, after: int = 3, most: int = 60
) -> go.Figure | None:
    """Each invocation of the poisoned lane around the poison, as a bar over the records it was sent.

    Record positions are counted from the start of the first failing batch. None without a
    poison record that was ever sent.
    """
    lane = result.poison_lane
    failing = [i for i, row in enumerate(lane) if row[4]]
    if not failing:
        return None
    lo = max(0, failing[0] - before)
    hi = min(len(lane), (failing[-1] + 1 + after) if len(failing) <= most else failing[0] + most)
    rows = lane[lo:hi]
    origin = lane[failing[0]][2]
    numbers = list(range(lo + 1, hi + 1))
    colors = [RED if bad else GREEN for *_, bad in rows]
    text = [f"{stop - first} record{'s' if stop - first != 1 else ''}" for _, _, first, stop, _ in rows]
    figure = go.Figure(
        go.Bar(
            x=numbers,
            y=[stop - first for _, _, first, stop, _ in rows],
            base=[first - origin for _, _, first, _, _ in rows],
            marker_color=colors,
            text=text,
            textposition="none",
            customdata=[[start, "failed" if bad else "succeeded"] for start, _, _, _, bad in rows],
            hovertemplate=(
                "invocation %{x} at %{customdata[0]:.2f}s: %{text}, %{customdata[1]}<extra></extra>"
            ),
        )
    )
    figure.update_layout(
        height=320,
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        title={"text": "The poisoned lane, invocation by invocation (red: failed)", "font": {"size": 13}},
        xaxis={"title": {"text": "invocation in this lane"}},
        yaxis={"title": {"text": "records (from the failing batch)"}},
        showlegend=False,
    )
    return figure
