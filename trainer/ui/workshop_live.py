"""Pieces the participant page and the host console share: the countdown the browser animates, the
join QR code, and the charts every page of a step draws alike.

Both pages draw a question once per step (see :mod:`trainer.workshops.live`), so the countdown
cannot be a number the server redraws every second: it is a CSS animation of the bar and of the
number (an animated ``@property`` integer shown through a CSS counter), with the time left baked
in when the step is drawn. A pause redraws it as a still bar.

A chart that is the same on every page of a step (the answer distribution after a reveal, the
team scores) is built once per process and step (:func:`shared_figure`): building a Plotly
figure costs about 5 ms, and a room of 200 reveals on 200 pages within a second.

The QR code is made here, on the server (``segno``, PNG), so showing it needs no outside service
and works on a network with no internet access.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from functools import lru_cache

import plotly.graph_objects as go
import segno
import streamlit as st

from trainer.workshops.model import RoomPhase, RoomState

BAR_COLOUR = "#c2410c"  # the theme's primary colour
TRACK_COLOUR = "#e6e9ef"
FIGURES_MAX = 64  # shared charts kept per process: the last steps of the rooms running on it

_figures: OrderedDict[Hashable, go.Figure] = OrderedDict()
_figures_lock = threading.Lock()


def countdown(s: RoomState, label: str = "left") -> None:
    """The time left on the room's question, counted down in the browser."""
    left = s.remaining
    if left is None:
        return
    secs = max(0.0, left.total_seconds())
    whole = int(secs + 0.999)
    share = min(1.0, secs / s.room.seconds) * 100
    if s.phase is RoomPhase.PAUSED or s.time_up or secs <= 0:
        word = "paused" if s.phase is RoomPhase.PAUSED else ("time's up" if s.time_up else label)
        st.progress(share / 100, text=f":material/timer: {whole} s {word}")
        return
    name = f"wst{s.room.id}r{s.room.revision}"  # one keyframes name per step: its values are baked in
    # Two calls: a style-only st.html goes to Streamlit's style container (mixed with markup, the
    # sanitiser drops the <style> element).
    st.html(
        f"""<style>
@property --{name} {{ syntax: '<integer>'; inherits: false; initial-value: 0; }}
@keyframes {name}n {{ from {{ --{name}: {whole}; }} to {{ --{name}: 0; }} }}
@keyframes {name}b {{ from {{ width: {share:.1f}%; }} to {{ width: 0%; }} }}
.{name}-n {{ animation: {name}n {secs:.2f}s linear forwards; counter-reset: left var(--{name}); }}
.{name}-n::after {{ content: counter(left) " s {label}"; }}
.{name}-b {{ animation: {name}b {secs:.2f}s linear forwards; }}
</style>"""
    )
    st.html(
        f"""<div class="ws-timer" role="timer" aria-label="{whole} seconds {label}">
<div class="{name}-n" style="font-size:.95rem;margin-bottom:.3rem"></div>
<div style="height:.5rem;border-radius:.25rem;background:{TRACK_COLOUR};overflow:hidden">
<div class="{name}-b" style="height:100%;width:{share:.1f}%;background:{BAR_COLOUR}"></div></div></div>"""
    )


@lru_cache(maxsize=64)
def qr_png(url: str) -> bytes:
    """A QR code of ``url`` as a PNG (about half a kilobyte)."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="png", scale=10, border=2)
    return out.getvalue()


def shared_figure(key: Hashable, build: Callable[[], go.Figure]) -> go.Figure:
    """The chart for ``key`` (which names the room, its revision and the chart), built once per
    process. Drawing a figure only reads it, so every session may draw the same object."""
    with _figures_lock:
        figure = _figures.get(key)
    if figure is None:
        figure = build()
        with _figures_lock:
            _figures[key] = figure
            while len(_figures) > FIGURES_MAX:
                _figures.popitem(last=False)
    return figure
