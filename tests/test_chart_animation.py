"""The pieces the animated explainer charts share (trainer.charts.animation)."""

from __future__ import annotations

import numpy as np
import pytest

from trainer.charts.animation import axis_top, frame_cuts, frame_times, scatter
from trainer.charts.streams import build_figure as stream_figure
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.streams.simulation import simulate as simulate_stream


@pytest.mark.parametrize(("points", "frames"), [(240, 36), (10, 36), (1, 5), (37, 36), (0, 4)])
def test_frames_grow_strictly_and_the_last_shows_the_whole_run(points, frames):
    cuts = frame_cuts(points, frames)
    assert cuts == sorted(set(cuts)) and len(cuts) <= max(1, frames)
    assert cuts[-1] == max(1, points)
    assert all(1 <= c <= max(1, points) for c in cuts)


def test_frame_times_follow_the_bucket_width():
    assert frame_times(np.array([0.0, 5.0, 10.0]), [1, 3]) == [5.0, 15.0]
    assert frame_times(np.array([0.0]), [1]) == [1.0]


def test_a_short_run_never_animates_past_its_end():
    # The streams chart once made frames for buckets that do not exist when a run had fewer
    # buckets than frames, so the slider went past the end of the run.
    result = simulate_stream(StreamSettings(seconds=10))
    fig = stream_figure(result, frames=36, max_points=240).to_dict()
    labels = [step["label"] for step in fig["layout"]["sliders"][0]["steps"]]
    assert len(labels) == len(fig["frames"]) <= 36
    assert float(labels[-1].rstrip("s")) <= 10


def test_the_axis_top_leaves_room_and_ignores_gaps():
    assert axis_top(np.array([np.nan, 10.0]), np.array([np.nan])) == pytest.approx(11.5)
    assert axis_top(np.array([]), floor=2.0) == pytest.approx(2.3)


def test_a_trace_is_single_precision_on_the_given_axes():
    trace = scatter([0, 1], [0.1, 0.2], "x", ("x2", "y3"), mode="lines")
    assert trace["x"].dtype == np.float32 and (trace["xaxis"], trace["yaxis"]) == ("x2", "y3")
    assert trace["mode"] == "lines"
