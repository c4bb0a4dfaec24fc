"""The pieces every animated explainer chart shares: panel titles, Play/Pause, the time slider.

Written once so the explainers look and behave alike: the same button labels, frame speed and
slider style, whatever the simulation behind the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FRAME_MS = 90  # one animation frame while playing
BUTTONS_WIDTH_PX = 150  # the Play and Pause buttons side by side, with a little space
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
        # The rail starts a fixed number of pixels in, past the Play/Pause buttons, rather than
        # at a share of the width: on a phone-sized chart a share puts it under the buttons.
        "x": 0.0,
        "len": 1.0,
        "y": y,
        "yanchor": "bottom",
        "pad": {"t": 0, "b": 0, "l": BUTTONS_WIDTH_PX},
        "currentvalue": {"visible": False},
        "ticklen": 0,
        "font": {"size": 9},
    }
