"""The pieces every animated explainer chart shares: panel titles, Play/Pause, the time slider.

Written once so the explainers look and behave alike: the same button labels, frame speed and
slider style, whatever the simulation behind the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

FRAME_MS = 90  # one animation frame while playing
# The figure's top margin holds two rows above the plot: Play/Pause, and under it the time slider
# across the whole width. Side by side, a phone-wide chart left the slider a thumb's width with
# its labels on top of each other (review defect 15).
CONTROLS_TOP_PX = 130
_BUTTONS_ABOVE_PX = 90  # from the plot's top to the buttons' bottom edge
_SLIDER_ABOVE_PX = 34  # from the plot's top to the slider's bottom edge
_STILL = {"frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}, "mode": "immediate"}


def panel_title(text: str, y: float) -> dict[str, Any]:
    """A bold title above a panel of a stacked figure (an annotation at paper height ``y``)."""
    return {
        "text": f"<b>{text}</b>",
        "x": 0,
        "y": y,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "left",
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": 13},
    }


def play_buttons(y: float) -> dict[str, Any]:
    """Play (from the first frame) and Pause, top left at paper height ``y``."""
    play = {**_STILL, "frame": {"duration": FRAME_MS, "redraw": False}, "fromcurrent": False}
    return {
        "type": "buttons",
        "direction": "left",
        "showactive": False,
        "x": 0.0,
        "y": y,
        "xanchor": "left",
        "yanchor": "bottom",
        "buttons": [
            {"label": "▶ Play", "method": "animate", "args": [None, play]},
            {"label": "❚❚ Pause", "method": "animate", "args": [[None], _STILL]},
        ],
    }


def time_slider(frame_times_s: Sequence[float], y: float) -> dict[str, Any]:
    """A slider with one step per animation frame (frames are named "0", "1", ...), labelled with
    the simulated time each frame reaches; it starts at the last frame, the whole run."""
    return {
        "active": len(frame_times_s) - 1,
        "steps": [
            {"label": f"{t:.0f}s", "method": "animate", "args": [[str(j)], _STILL]}
            for j, t in enumerate(frame_times_s)
        ],
        "x": 0.0,
        "len": 1.0,
        "y": y,
        "yanchor": "bottom",
        "pad": {"t": 0, "b": 0, "l": 0},
        "currentvalue": {"visible": False},
        "ticklen": 0,
        "font": {"size": 9},
    }


def playback_controls(frame_times_s: Sequence[float], height_px: int, bottom_px: int) -> dict[str, Any]:
    """The layout's ``updatemenus`` and ``sliders``: Play/Pause, then the time slider on a row of
    its own, both above the plot. The figure's top margin must be :data:`CONTROLS_TOP_PX`;
    ``height_px`` and ``bottom_px`` are its height and bottom margin, which place the rows in
    pixels whatever the plot's height."""
    plot_px = height_px - CONTROLS_TOP_PX - bottom_px
    return {
        "updatemenus": [play_buttons(1 + _BUTTONS_ABOVE_PX / plot_px)],
        "sliders": [time_slider(frame_times_s, 1 + _SLIDER_ABOVE_PX / plot_px)],
    }


def frame_cuts(points: int, frames: int) -> list[int]:
    """How many of ``points`` buckets each animation frame shows: strictly increasing, at most
    ``frames`` of them, the last one all of the buckets (the whole run, the first view)."""
    n = max(1, min(frames, points))
    return sorted({max(1, round(points * (j + 1) / n)) for j in range(n)})


def frame_times(x: np.ndarray, cuts: Sequence[int]) -> list[float]:
    """The simulated time each frame reaches, for the slider's labels (buckets are evenly spaced)."""
    step = float(x[1] - x[0]) if len(x) > 1 else 1.0
    return [cut * step for cut in cuts]


def f32(values: ArrayLike) -> np.ndarray:
    """Single precision: a figure carries every frame's series to the browser, and half the bytes
    draw the same chart at screen resolution."""
    return np.asarray(values, dtype=np.float32)


def scatter(x: ArrayLike, y: ArrayLike, name: str, axes: tuple[str, str], **extra: Any) -> dict[str, Any]:
    """One scatter trace as a plain dict on the axes ``(xaxis, yaxis)``: the figures are built with
    plotly's validation off, since validating dozens of frames would make every control feel slow."""
    xaxis, yaxis = axes
    return {
        "type": "scatter",
        "x": f32(x),
        "y": f32(y),
        "name": name,
        "xaxis": xaxis,
        "yaxis": yaxis,
        **extra,
    }


def axis_top(*arrays: np.ndarray, floor: float = 1.0, headroom: float = 1.15) -> float:
    """The top of a y axis that holds every finite value of ``arrays`` with a little room above,
    fixed for the whole animation so the axis does not jump while it plays."""
    finite = [float(np.nanmax(a)) for a in arrays if a.size and np.isfinite(a).any()]
    return headroom * max([floor, *finite])
