"""Deep links read through the shared reader (trainer.explainers.query), for the explainers using it."""

from __future__ import annotations

import pytest

from trainer.explainers.ecs_scaling.links import from_query as ecs_from_query
from trainer.explainers.ecs_scaling.links import to_query as ecs_to_query
from trainer.explainers.ecs_scaling.presets import PRESETS as ECS_PRESETS
from trainer.explainers.ecs_scaling.settings import EcsSettings
from trainer.explainers.query import flag, optional_whole, shown, whole
from trainer.explainers.streams.links import from_query as stream_from_query
from trainer.explainers.streams.links import to_query as stream_to_query
from trainer.explainers.streams.presets import PRESETS as STREAM_PRESETS
from trainer.explainers.streams.settings import StreamSettings
from trainer.explainers.traffic import SimulationError


def test_values_are_read_strictly():
    assert whole("3.0") == 3
    assert flag("1") is True and flag("0") is False
    assert optional_whole("off") is None
    for parse, text in ((whole, "3.5"), (flag, "yes"), (whole, "nan"), (whole, "inf")):
        with pytest.raises((ValueError, OverflowError)):
            parse(text)


def test_values_are_written_without_noise():
    assert [shown(v) for v in (None, True, False, 2.0, 0.25, 7, "m5.large")] == [
        "off", "1", "0", "2", "0.25", "7", "m5.large"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("from_query", "to_query", "presets", "default"),
    [
        (ecs_from_query, ecs_to_query, ECS_PRESETS, EcsSettings),
        (stream_from_query, stream_to_query, STREAM_PRESETS, StreamSettings),
    ],
)
def test_every_preset_survives_a_round_trip_and_keeps_its_name(from_query, to_query, presets, default):
    for pid, preset in presets.items():
        settings, named = from_query(to_query(preset.settings, pid), presets)
        assert named == pid
        assert to_query(settings) == to_query(preset.settings)
    settings, named = from_query(to_query(default()), presets)
    assert named is None and to_query(settings) == to_query(default())


def test_a_hand_edited_value_is_named_and_quoted_briefly():
    with pytest.raises(SimulationError) as caught:
        stream_from_query({"shards": "4" + "x" * 500}, STREAM_PRESETS)
    message = str(caught.value)
    assert "“shards”" in message and len(message) < 120


def test_made_up_names_are_listed_briefly():
    query = {f"[click](https://evil.example/{i:03})" * 3: "1" for i in range(40)}
    with pytest.raises(SimulationError) as caught:
        ecs_from_query(query, ECS_PRESETS)
    message = str(caught.value)
    assert "does not know" in message and "and 35 more" in message
    assert len(message) < 400


def test_an_unreadable_load_shape_is_one_sentence():
    with pytest.raises(SimulationError, match="load, rps values are not valid together"):
        ecs_from_query({"load": "zigzag", "rps": "10"}, ECS_PRESETS)


def test_a_changed_preset_is_no_longer_that_preset():
    pid, preset = next(iter(ECS_PRESETS.items()))
    query = ecs_to_query(preset.settings, pid)
    query["seconds"] = str(int(query["seconds"]) + 60)
    settings, named = ecs_from_query(query, ECS_PRESETS)
    assert named is None and settings.seconds == preset.settings.seconds + 60
