"""Pieces the participant page and the host console share: the countdown the browser animates, and
the join QR code.

Both pages draw a question once per step (see :mod:`trainer.workshops.live`), so the countdown
cannot be a number the server redraws every second: it is a CSS animation of the bar and of the
number (an animated ``@property`` integer shown through a CSS counter), with the time left baked
in when the step is drawn. A pause redraws it as a still bar.

The QR code is made here, on the server (``segno``, PNG), so showing it needs no outside service
and works on a network with no internet access.
"""

from __future__ import annotations

import io
from functools import lru_cache

import segno
import streamlit as st

from trainer.workshops.model import RoomPhase, RoomState

BAR_COLOUR = "#c2410c"  # the theme's primary colour
TRACK_COLOUR = "#e6e9ef"


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
