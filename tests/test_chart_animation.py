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


@pytest.mark.parametrize("launch", ["fargate", "ec2"])
def test_every_panel_of_the_ecs_chart_has_a_trace_on_its_own_axes(launch):
    # On Fargate nothing was drawn on the bottom panel's own axes (no instances), and plotly then
    # laid the shared time axis and the cost overlay over the whole figure: every panel but the
    # cost came out blank. Each x/y axis pair the layout defines must carry a trace.
    from trainer.charts.ecs_scaling import build_figure
    from trainer.explainers.ecs_scaling.settings import EcsSettings
    from trainer.explainers.ecs_scaling.simulation import simulate
    from trainer.explainers.sizing.kinds import LaunchType

    fig = build_figure(simulate(EcsSettings(launch_type=LaunchType(launch)))).to_dict()
    used = {(t.get("xaxis", "x"), t.get("yaxis", "y")) for t in fig["data"]}
    for n in ("", "2", "3", "4"):
        assert (f"x{n}", f"y{n}") in used, f"nothing drawn on x{n}/y{n}"


def test_the_slider_has_a_row_of_its_own_above_the_plot():
    fig = stream_figure(simulate_stream(StreamSettings(seconds=120))).to_dict()
    buttons, slider = fig["layout"]["updatemenus"][0], fig["layout"]["sliders"][0]
    assert buttons["y"] > slider["y"] > 1  # both above the plot, the buttons on top
    assert slider["x"] == 0 and slider["len"] == 1 and slider["pad"]["l"] == 0  # full width
